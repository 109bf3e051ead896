"""The client's address from one place (lib/http.py): with no trusted proxy a forged X-Forwarded-For is ignored
by the audit trail, the lockout and the logs; with N proxies the Nth address from the right is the client."""

import logging

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from shegong.lib.http import ClientIpLogFilter, client_ip
from shegong.testing import verified_login

FORGED = "6.6.6.6"


def _request(xff: str | None = None, remote: str = "10.0.0.5"):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        (0, None, "10.0.0.5"),
        (0, FORGED, "10.0.0.5"),  # no proxy of ours: the header is the client's own words
        (0, f"{FORGED}, 192.168.1.20", "10.0.0.5"),
        (1, "192.168.1.20", "192.168.1.20"),  # the proxy overwrote the header with the client's address
        (1, f"{FORGED}, 192.168.1.20", "192.168.1.20"),  # it appended: the rightmost is what it saw
        (2, f"{FORGED}, 192.168.1.20, 10.0.0.4", "192.168.1.20"),
        (1, None, "10.0.0.5"),  # a request that bypassed the proxy: the connection's address
        (2, "192.168.1.20", "10.0.0.5"),  # fewer hops than proxies: the header cannot be trusted
        (1, "not-an-address", "10.0.0.5"),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_is_the_nth_address_from_the_right(settings, proxies, xff, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(xff)) == expected


def test_log_records_name_the_client_by_the_same_rule(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", None, None)
    record.request = _request(FORGED)
    assert ClientIpLogFilter().filter(record) and record.client_ip == "10.0.0.5"
    bare = logging.LogRecord("shegong.jobs", logging.WARNING, __file__, 1, "no request", None, None)
    assert ClientIpLogFilter().filter(bare) and bare.client_ip == "-"


def _fail_login(client, username: str, xff: str):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": "wrong"}, HTTP_X_FORWARDED_FOR=xff
    )


def _worker_renamed(users, xff: str):
    """The administrator renames the worker (a model change, through auditlog's middleware) with ``xff`` as
    X-Forwarded-For; the audit row of that change."""
    client = Client()
    verified_login(client, users["sysadmin"])
    client.post(
        reverse("accounts:edit", args=[users["worker"].pk]),
        {"full_name": "改名", "role": "worker", "jurisdiction": "522301001", "is_active": "on"},
        HTTP_X_FORWARDED_FOR=xff,
    )
    return LogEntry.objects.get_for_object(users["worker"]).filter(action=LogEntry.Action.UPDATE).get()


@pytest.mark.django_db
def test_with_no_proxy_a_forged_header_reaches_neither_the_audit_trail_nor_the_lockout(settings, users):
    settings.TRUSTED_PROXY_COUNT = 0
    _fail_login(Client(), "leader", FORGED)
    failure = LogEntry.objects.get(additional_data__event="login_failed")
    assert failure.remote_addr == "127.0.0.1"
    assert AccessAttempt.objects.get(username="leader").ip_address == "127.0.0.1"
    # A model change goes through auditlog's middleware: the same rule applies to it.
    change = _worker_renamed(users, FORGED)
    assert "full_name" in change.changes_dict and change.remote_addr == "127.0.0.1"
    assert not LogEntry.objects.filter(remote_addr=FORGED).exists()


@pytest.mark.django_db
def test_behind_one_proxy_the_rightmost_address_is_recorded_everywhere(settings, users):
    settings.TRUSTED_PROXY_COUNT = 1
    _fail_login(Client(), "leader", f"{FORGED}, 192.168.1.20")
    assert LogEntry.objects.get(additional_data__event="login_failed").remote_addr == "192.168.1.20"
    assert AccessAttempt.objects.get(username="leader").ip_address == "192.168.1.20"
    change = _worker_renamed(users, f"{FORGED}, 192.168.1.21")
    assert change.remote_addr == "192.168.1.21"
    assert not LogEntry.objects.filter(remote_addr=FORGED).exists()
