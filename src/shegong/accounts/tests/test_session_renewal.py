"""The idle timeout is renewed by requests, at most once a minute (accounts.middleware.SessionRenewalMiddleware),
instead of a session write on every request."""

import time

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shegong.accounts.middleware import RENEWED
from shegong.testing import verified_login


def _session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(1 for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT"))


def _age_renewal(client, seconds: int) -> None:
    session = client.session
    session[RENEWED] = int(time.time()) - seconds
    session.save()


def test_a_request_within_a_minute_of_the_last_renewal_writes_no_session(client, users):
    verified_login(client, users["worker"])
    client.get(reverse("clients:person_list"))
    assert _session_writes(client, reverse("clients:person_list")) == 0


def test_a_request_a_minute_after_the_last_renewal_extends_the_idle_timeout(client, users, settings):
    verified_login(client, users["worker"])
    client.get(reverse("clients:person_list"))
    _age_renewal(client, 600)
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    assert _session_writes(client, reverse("clients:person_list")) == 1
    after = Session.objects.get(session_key=key).expire_date
    assert after > before
    assert abs(client.session[RENEWED] - time.time()) < 5


def test_the_page_tells_the_browser_how_long_the_session_has_left(client, users, settings):
    verified_login(client, users["worker"])
    client.get(reverse("clients:person_list"))
    _age_renewal(client, 45)  # renewed 45 s ago: not yet renewed again by the next page
    page = client.get(reverse("clients:person_list")).content.decode()
    left = int(page.split('data-session-seconds="')[1].split('"')[0])
    assert settings.SESSION_COOKIE_AGE - 50 <= left <= settings.SESSION_COOKIE_AGE - 44


def test_an_anonymous_visitor_gets_no_session_row(client, db):
    assert client.get(reverse("accounts:login")).status_code == 200
    client.get("/healthz")
    assert Session.objects.count() == 0
