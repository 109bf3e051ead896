"""The lockout on every login path: five wrong passwords or five wrong codes (动态口令), on the page or the API,
lock the username; the API answers JSON (429 with Retry-After), the page the login form; never a 500.
The page and the API count failures together."""

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.testing import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def _api(client, **data):
    return client.post(TOKEN_URL, data=data, content_type="application/json")


def _web(client, **data):
    return client.post(reverse("accounts:login"), data)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _wrong_code(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 1) % 1_000_000:06d}"


def _minutes_in(message: str) -> int:
    return int(re.search(r"(\d+)分钟", message).group(1))


def _assert_api_locked(response, limit_minutes: int) -> None:
    assert response.status_code == 429, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "locked" and body["status"] == 429
    assert "锁定" in body["message"] and _minutes_in(body["message"]) == limit_minutes
    assert 0 < int(response["Retry-After"]) <= limit_minutes * 60
    assert body["retry_after"] == int(response["Retry-After"])


def _assert_page_locked(response, limit_minutes: int) -> None:
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert response.context["lockout"] and "_auth_user_id" not in response.wsgi_request.session
    html = response.content.decode()
    assert 'data-testid="lockout"' in html and "锁定" in html
    assert _minutes_in(response.context["lockout"]) == limit_minutes
    assert 0 < int(response["Retry-After"]) <= limit_minutes * 60


@pytest.fixture
def limits(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own slow-down would hide the lockout
    return settings.AXES_FAILURE_LIMIT, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


@pytest.mark.django_db
def test_five_wrong_passwords_on_the_api_answer_401_four_times_then_a_json_lockout(users, limits):
    limit, minutes = limits
    client = Client()
    statuses = [_api(client, username="leader", password=f"wrong-{i}").status_code for i in range(limit - 1)]
    assert statuses == [401] * (limit - 1)
    _assert_api_locked(_api(client, username="leader", password="wrong-last"), minutes)
    # Locked: even the right password gets the same JSON answer, and no token.
    _assert_api_locked(_api(client, username="leader", password=PASSWORD), minutes)
    assert not users["leader"].auth_token_set.exists()
    assert LogEntry.objects.filter(
        additional_data__event="locked_out", object_pk=str(users["leader"].pk)
    ).exists()


@pytest.mark.django_db
def test_five_wrong_codes_on_the_api_answer_401_four_times_then_a_json_lockout(users, limits):
    limit, minutes = limits
    device = TOTPDevice.objects.create(user=users["county"], name="phone", confirmed=True)
    client = Client()
    statuses = [
        _api(client, username="county", password=PASSWORD, otp=_wrong_code(device)).status_code
        for _ in range(limit - 1)
    ]
    assert statuses == [401] * (limit - 1)
    _assert_api_locked(_api(client, username="county", password=PASSWORD, otp=_wrong_code(device)), minutes)
    _assert_api_locked(_api(client, username="county", password=PASSWORD, otp=_code(device)), minutes)


@pytest.mark.django_db
def test_five_wrong_passwords_on_the_page_show_the_lockout_page(users, limits):
    limit, minutes = limits
    client = Client()
    for i in range(limit - 1):
        response = _web(client, username="worker", password=f"wrong-{i}")
        assert response.status_code == 200 and "锁定" not in response.content.decode()
    _assert_page_locked(_web(client, username="worker", password="wrong-last"), minutes)
    _assert_page_locked(_web(client, username="worker", password=PASSWORD), minutes)


@pytest.mark.django_db
def test_five_wrong_codes_on_the_page_show_the_lockout_page(users, limits):
    limit, minutes = limits
    device = TOTPDevice.objects.create(user=users["county"], name="phone", confirmed=True)
    client = Client()
    for _ in range(limit - 1):
        response = _web(client, username="county", password=PASSWORD, otp_token=_wrong_code(device))
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    wrong = _wrong_code(device)
    _assert_page_locked(_web(client, username="county", password=PASSWORD, otp_token=wrong), minutes)
    # django-axes keeps the failed form: neither the password nor the code is in it.
    kept = "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "otp_token" in kept and wrong not in kept and PASSWORD not in kept
    _assert_page_locked(_web(client, username="county", password=PASSWORD, otp_token=_code(device)), minutes)


@pytest.mark.django_db
def test_the_page_and_the_api_share_one_failure_counter(users, limits):
    limit, minutes = limits
    web, api = Client(), Client()
    for i in range(limit - 2):
        assert _web(web, username="leader", password=f"wrong-{i}").status_code == 200
    assert _api(api, username="leader", password="wrong-api").status_code == 401
    # The fifth failure, wherever it happens, locks the username for both.
    _assert_api_locked(_api(api, username="leader", password="wrong-api-2"), minutes)
    _assert_page_locked(_web(web, username="leader", password=PASSWORD), minutes)


@pytest.mark.django_db
def test_the_message_states_the_time_left_not_the_whole_lockout(users, limits):
    limit, minutes = limits
    client = Client()
    for i in range(limit):
        _api(client, username="leader", password=f"wrong-{i}")
    # Twenty minutes later, ten are left.
    AccessAttempt.objects.filter(username="leader").update(
        attempt_time=AccessAttempt.objects.get(username="leader").attempt_time - dt.timedelta(minutes=20)
    )
    response = _api(client, username="leader", password=PASSWORD)
    assert response.status_code == 429
    assert _minutes_in(response.json()["message"]) == minutes - 20
    assert (minutes - 21) * 60 < int(response["Retry-After"]) <= (minutes - 20) * 60
