import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.testing import PASSWORD, verified_login


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _events(event):
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__event=event)


@pytest.mark.django_db
def test_a_worker_logs_in_with_password_only_and_the_login_is_audited(client, users):
    response = client.post(reverse("accounts:login"), {"username": "worker", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert _events("login").filter(actor=users["worker"]).count() == 1


@pytest.mark.django_db
def test_a_wrong_password_gets_one_message_and_is_audited_as_a_failure(client, users):
    response = client.post(reverse("accounts:login"), {"username": "worker", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    entry = _events("login_failed").get()
    assert entry.additional_data["username"] == "worker"
    assert entry.additional_data["outcome"] == "failure"
    assert entry.remote_addr == "127.0.0.1"


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_with_the_right_password(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "leader", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code in (200, 403)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_administrator_without_a_device_must_enrol_before_anything_else(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries down after a wrong code
    response = client.post(reverse("accounts:login"), {"username": "county", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:two_factor_setup")
    assert client.get(reverse("regions:detail", args=["522301"]))["Location"] == reverse(
        "accounts:two_factor_setup"
    )
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=users["county"], confirmed=False)
    assert client.post(reverse("accounts:two_factor_setup"), {"token": "000000"}).status_code == 200
    response = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert response.status_code == 302
    assert client.get(reverse("regions:detail", args=["522301"])).status_code == 200


@pytest.mark.django_db
def test_an_administrator_with_a_device_needs_the_current_code(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=users["county"], name="phone", confirmed=True)
    response = client.post(reverse("accounts:login"), {"username": "county", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(
        reverse("accounts:login"), {"username": "county", "password": PASSWORD, "otp_token": "123456"}
    )
    assert "_auth_user_id" not in client.session
    assert _events("login_failed").filter(additional_data__reason="two_factor").exists()
    response = client.post(
        reverse("accounts:login"), {"username": "county", "password": PASSWORD, "otp_token": _code(device)}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("regions:detail", args=["522301"])).status_code == 200


@pytest.mark.django_db
def test_the_demo_alone_turns_two_factor_off_and_the_login_page_says_so(client, users, settings):
    settings.TWO_FACTOR_REQUIRED = False
    page = client.get(reverse("accounts:login"))
    assert page.context["two_factor_off"] is True
    response = client.post(reverse("accounts:login"), {"username": "county", "password": PASSWORD})
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_an_expired_password_must_be_changed_first(client, users, settings):
    user = users["worker"]
    user.password_changed_at = timezone.now() - dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    user.save()
    verified_login(client, user)
    assert client.get(reverse("regions:index"))["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": "simple", "new_password2": "simple"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    new = "Quite-L0ng-enough"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(reverse("regions:index")).status_code == 302  # to the worker's own township
    assert client.get(reverse("regions:index"))["Location"].startswith("/regions/522301001")


@pytest.mark.django_db
def test_the_login_page_never_redirects_off_site(client, users):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "worker", "password": PASSWORD},
    )
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_session_cookie_expires_and_is_http_only(settings):
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_HTTPONLY
