import os
import subprocess
import sys

import pytest
from django.urls import reverse

from shegong.testing import verified_login


def _settings_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "SHEGONG_DEMO", "DEBUG", "SHEGONG_TESTING"}
    }
    clean.update(env)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='shegong.settings'; django.setup();"
        "from django.conf import settings; print(settings.DEBUG)"
    )
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)


def test_a_missing_secret_key_outside_demo_and_tests_is_an_error():
    result = _settings_in_subprocess({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_needs_its_own_lookup_hash_key():
    result = _settings_in_subprocess({"SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEY": "k"})
    assert result.returncode != 0 and "FIELD_HASH_KEY is not set" in result.stderr
    sm4 = _settings_in_subprocess({"SECRET_KEY": "x" * 50, "FIELD_CRYPTO": "sm4", "FIELD_HASH_KEY": "h"})
    assert sm4.returncode != 0 and "FIELD_SM4_KEY is not set" in sm4.stderr


def test_debug_is_off_by_default_even_in_the_demo():
    production = _settings_in_subprocess(
        {"SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEY": "k", "FIELD_HASH_KEY": "h"}
    )
    assert production.stdout.strip() == "False", production.stderr
    demo = _settings_in_subprocess({"SHEGONG_DEMO": "1"})
    assert demo.stdout.strip() == "False", demo.stderr
    developer = _settings_in_subprocess({"SHEGONG_DEMO": "1", "DEBUG": "1"})
    assert developer.stdout.strip() == "True", developer.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, users):
    verified_login(client, users["county"])
    response = client.get(reverse("core:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_404_page_is_in_chinese_and_does_not_say_whether_the_record_exists(client, users):
    verified_login(client, users["county"])
    sibling = client.get(reverse("regions:detail", args=["522302"]))
    missing = client.get(reverse("regions:detail", args=["522399"]))
    assert sibling.status_code == missing.status_code == 404
    import re

    def strip_tokens(html: bytes) -> str:
        return re.sub(r'(X-CSRFToken": "|value=")[A-Za-z0-9]+', "", html.decode())

    assert strip_tokens(sibling.content) == strip_tokens(missing.content)
    assert "不存在" in sibling.content.decode()


@pytest.mark.django_db
def test_the_home_page_shows_the_jurisdiction_with_its_ancestors(client, users):
    verified_login(client, users["worker"])
    html = client.get(reverse("core:home")).content.decode()
    assert "贵州省" in html and "兴义市" in html and "黄草街道" in html


@pytest.mark.django_db
def test_the_menu_shows_only_what_the_role_may_use(client, users):
    verified_login(client, users["auditor"])
    menu = [item["name"] for item in client.get(reverse("core:home")).context["menu"]]
    assert menu == ["core:home", "audit:list"]
    client.logout()
    verified_login(client, users["sysadmin"])
    menu = [item["name"] for item in client.get(reverse("core:home")).context["menu"]]
    assert "accounts:list" in menu and "audit:list" not in menu


@pytest.mark.django_db
def test_every_page_links_only_local_assets(client, users):
    verified_login(client, users["county"])
    html = client.get(reverse("regions:detail", args=["522301"])).content.decode()
    assert "//cdn" not in html and "https://" not in html and "http://" not in html


@pytest.mark.django_db
def test_the_workers_menu_holds_what_a_worker_uses(client, users):
    verified_login(client, users["worker"])
    menu = [item["name"] for item in client.get(reverse("core:home")).context["menu"]]
    assert menu[0] == "core:home"
    for used in (
        "clients:person_list",
        "clients:visit_ledger",
        "casework:service_list",
        "casework:case_list",
    ):
        assert used in menu
    for desk in (
        "network:index",
        "casework:figures",
        "bulletins:bulletin_list",
        "evaluations:evaluation_list",
    ):
        assert desk not in menu
    # Out of the menu is not out of reach: the role's pages still open.
    assert client.get(reverse("casework:figures")).status_code == 200
    client.logout()
    verified_login(client, users["county"])
    menu = [item["name"] for item in client.get(reverse("core:home")).context["menu"]]
    assert "casework:figures" in menu and "network:index" in menu


def test_location_may_be_asked_by_our_own_pages_only(client):
    # A visit's location is attached on the worker's tap (fieldwork.js); no other origin may ask for it.
    policy = client.get("/healthz")["Permissions-Policy"]
    assert "geolocation=(self)" in policy and "camera=()" in policy


def test_every_menu_entry_names_a_page():
    from django.urls import reverse

    from shegong.core.navigation import MENU

    for name, _label, _cap in MENU:
        assert reverse(name)


@pytest.mark.django_db
def test_demo_data_is_refused_outside_demo_mode():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_load")


@pytest.mark.django_db
def test_the_shell_built_once_per_role_and_page_marks_the_page_and_keeps_roles_apart(client, users):
    """core/navigation.py shell_for renders the side menu and the bottom bar once per role and page: the
    rendered HTML marks the page being shown, and one role's menu never reaches another's page."""
    import re

    def shell(user, url):
        client.logout()
        verified_login(client, user)
        html = client.get(url).content.decode()
        active = re.findall(r'class="nav-link (?:dropdown-item|app-menu-top) active" href="([^"]+)"', html)
        bar = re.findall(r'<a href="([^"]+)" class="active" data-place', html)
        return html, active, bar

    people, services = reverse("clients:person_list"), reverse("casework:service_list")
    html, active, bar = shell(users["worker"], people)
    assert active == [people] and bar == [people]
    html, active, bar = shell(users["worker"], services)
    assert active == [services] and bar == [services]
    html, active, bar = shell(users["county"], services)
    assert active == [services] and reverse("network:index") in html  # the county's menu, not the worker's
    html, _active, _bar = shell(users["auditor"], reverse("core:home"))
    assert reverse("network:index") not in html and reverse("audit:list") in html
    html, _active, _bar = shell(users["worker"], people)
    assert reverse("network:index") not in html and reverse("audit:list") not in html
