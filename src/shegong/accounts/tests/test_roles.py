"""三员分立: the system administrator, the security administrator and the audit officer hold no capability in
common and see no personal data; the security administrator releases lockouts; no role is chosen for the
administrator who creates an account."""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from shegong.accounts.models import User
from shegong.accounts.roles import SEPARATED_ROLES, TWO_FACTOR_ROLES, Cap, Role, capabilities_of
from shegong.lib import fieldcrypto
from shegong.testing import PASSWORD, verified_login

PERSONAL_AND_SERVICE_DATA = {Cap.PII_VIEW, Cap.DATA_VIEW, Cap.DATA_EDIT, Cap.REGIONS_EDIT, Cap.JOBS_USE}


def test_the_three_administrators_share_no_capability_and_see_no_personal_data():
    for role in SEPARATED_ROLES:
        assert capabilities_of(role), role
        assert not capabilities_of(role) & PERSONAL_AND_SERVICE_DATA, role
        for other in SEPARATED_ROLES:
            if other != role:
                assert not capabilities_of(role) & capabilities_of(other), (role, other)
    assert capabilities_of(Role.SECURITY) == {Cap.SECURITY_MANAGE}
    assert Role.SECURITY in TWO_FACTOR_ROLES


def _lock(username: str, limit: int) -> None:
    client = Client()
    for i in range(limit):
        client.post(reverse("accounts:login"), {"username": username, "password": f"wrong-{i}"})


@pytest.mark.django_db
def test_the_security_administrator_sees_a_lockout_and_releases_it(users, settings):
    _lock("leader", settings.AXES_FAILURE_LIMIT)
    _lock("worker", 2)  # failures that do not lock yet
    security = Client()
    verified_login(security, users["security"])
    page = security.get(reverse("accounts:security"))
    lockouts = {lock.username: lock for lock in page.context["lockouts"]}
    assert lockouts["leader"].locked_until is not None and lockouts["leader"].failures == 5
    assert lockouts["leader"].addresses == ["127.0.0.1"]
    assert lockouts["worker"].locked_until is None and lockouts["worker"].failures == 2
    assert [lock.username for lock in page.context["lockouts"]][0] == "leader"  # locked ones first

    response = security.post(reverse("accounts:lockout_release"), {"username": "leader"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="leader").exists()
    released = LogEntry.objects.get(additional_data__event="lockout_released")
    assert released.actor == users["security"] and released.additional_data["released_username"] == "leader"
    assert released.remote_addr == "127.0.0.1"
    login = Client().post(reverse("accounts:login"), {"username": "leader", "password": PASSWORD})
    assert login.status_code == 302 and login["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_releasing_an_address_clears_the_failures_from_it(users, settings):
    _lock("leader", settings.AXES_FAILURE_LIMIT)
    security = Client()
    verified_login(security, users["security"])
    security.post(reverse("accounts:lockout_release"), {"ip": "127.0.0.1"})
    assert not AccessAttempt.objects.exists()
    assert security.post(reverse("accounts:lockout_release"), {}).status_code == 302
    assert LogEntry.objects.filter(additional_data__event="lockout_released").count() == 1


@pytest.mark.django_db
def test_the_security_page_shows_the_settings_in_force_read_only(users, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    security = Client()
    verified_login(security, users["security"])
    page = security.get(reverse("accounts:security"))
    shown = {str(label): value for label, value in page.context["settings_in_force"]}
    assert shown["锁定前允许的登录失败次数"] == settings.AXES_FAILURE_LIMIT
    assert shown["应用前端的可信代理数"] == 1
    html = page.content.decode()
    assert "现行安全设置" in html and 'name="TRUSTED_PROXY_COUNT"' not in html


@pytest.mark.django_db
def test_the_security_administrator_reaches_neither_accounts_nor_the_audit_trail_nor_people(users):
    security = Client()
    verified_login(security, users["security"])
    for name in ("accounts:list", "audit:list", "clients:person_list", "regions:index"):
        assert security.get(reverse(name)).status_code == 403, name
    menu = [item["name"] for item in security.get(reverse("core:home")).context["menu"]]
    assert menu == ["core:home", "accounts:security"]


@pytest.mark.django_db
def test_the_new_account_form_chooses_no_role(users):
    admin = Client()
    verified_login(admin, users["sysadmin"])
    html = admin.get(reverse("accounts:create")).content.decode()
    select = html[html.index('name="role"') : html.index("</select>", html.index('name="role"'))]
    assert '<option value="" selected>请选择</option>' in select
    assert select.count("selected") == 1
    response = admin.post(
        reverse("accounts:create"),
        {"username": "norole", "full_name": "无角色", "role": "", "password": "Quite-L0ng-enough"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["role"] == ["请选择账号的角色。"]
    assert not User.objects.filter(username="norole").exists()
    response = admin.post(
        reverse("accounts:create"),
        {"username": "sec2", "full_name": "安全员", "role": "security", "password": "Quite-L0ng-enough"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="sec2").role == Role.SECURITY


def test_the_security_page_names_the_algorithm_and_the_key_version_in_force(users, settings):
    security = Client()
    verified_login(security, users["security"])
    shown = {
        str(label): str(value)
        for label, value in security.get(reverse("accounts:security")).context["settings_in_force"]
    }
    assert shown["个人信息加密算法"].startswith("Fernet")
    assert shown["当前密钥版本"] == f"<code>{fieldcrypto.keyring().version}</code>"
    assert int(shown["已配置的字段加密密钥数"]) >= 1
