import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.accounts.services import user_create
from shegong.regions.models import Region
from shegong.testing import verified_login


@pytest.fixture
def admin_client(client, users):
    verified_login(client, users["sysadmin"])
    return client


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "ALLUPPER123456", "1234567890123"])
@pytest.mark.django_db
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError) as info:
        user_create(actor=None, username="x", password=password, role=Role.SYSADMIN)
    assert "password" in info.value.message_dict


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.WORKER, "522301"),  # a social worker's jurisdiction is a township or a village
        (Role.AUDITOR, "52"),  # the national roles have none
        (Role.ADMIN, None),  # the regional roles need one
    ],
)
@pytest.mark.django_db
def test_a_role_with_the_wrong_kind_of_jurisdiction_is_refused(role, code):
    with pytest.raises(ValidationError) as info:
        user_create(
            actor=None,
            username="w",
            password="Abcdef-12345",
            role=role,
            jurisdiction=Region.objects.get(code=code) if code else None,
        )
    assert "jurisdiction" in info.value.message_dict


@pytest.mark.django_db
def test_sysadmin_creates_an_account_that_must_change_its_password(admin_client):
    response = admin_client.post(
        reverse("accounts:create"),
        {
            "username": "newcounty",
            "full_name": "新用户",
            "role": "admin",
            "jurisdiction": "522301",
            "is_active": "on",
            "password": "Temp-Passw0rd",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newcounty")
    assert user.jurisdiction_id == "522301" and user.must_change_password


@pytest.mark.django_db
def test_an_unknown_jurisdiction_code_is_an_error_on_its_field(admin_client):
    response = admin_client.post(
        reverse("accounts:create"),
        {"username": "x1", "role": "admin", "jurisdiction": "999999", "password": "Temp-Passw0rd"},
    )
    assert response.status_code == 400
    assert "999999" in str(response.context["form"].errors["jurisdiction"])
    assert not User.objects.filter(username="x1").exists()


@pytest.mark.django_db
def test_sysadmin_deactivates_an_account(admin_client, users):
    target = users["worker"]
    admin_client.post(
        reverse("accounts:edit", args=[target.pk]),
        {"username": "worker", "role": "worker", "jurisdiction": "522301001", "full_name": "x"},
    )
    target.refresh_from_db()
    assert target.is_active is False


@pytest.mark.django_db
def test_the_accounts_list_filters_its_page_and_export_alike(client, users):
    from shegong.testing import assert_list_filters, make_user

    make_user("甲本县行", Role.ADMIN, "522301")
    make_user("乙本县行", Role.WORKER, "522301001")
    assert_list_filters(
        client,
        users["sysadmin"],
        "accounts.accounts",
        page="accounts:list",
        api=None,
        narrow={"role": Role.ADMIN, "q": "本县"},
        rows=("甲本县行", "乙本县行", None),
    )
