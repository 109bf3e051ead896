"""No 500 for anything a user can type: every page form and every list's query string, fuzzed.

The route matrix (each domain's tests/matrix.py) names every page, who opens it and the records it needs
(its ``setup``). For each page a county administrator or a social worker opens, as each of them (pages that
answer a file are left out), this test reads the page's forms (lib/tests/formparse.py), fills each as a user
would (what the page holds, its first choice, a text, a number, today) and posts it again spoiled, with fixed
values and no randomness:

- in rounds, every field at once given its kind's next hostile value: left out, two values for one name, a
  10,000-character text, a NUL, emoji, CJK and HTML, numbers beyond every range (``1e309``, twenty digits,
  ``0x10``, ``-1``), dates that do not exist or lie in year 1 or 9999, times like ``25:61``, a choice not
  offered, an id that does not exist, a digit that is not 0-9;
- what passes a form's own checks and reaches the services and the database, the rest of the form filled as
  a user would: long odd text in every text field, twenty digits in each number and hidden id, year 1 and
  year 9999 in each date.

A GET form (a list's filter bar) gets the same in its query string, and every list page junk in page, sort
and per_page. No answer may be a server error or raise, and a refused POST (400, the form again, or a
redirect with an error message) writes no row. Run it against PostgreSQL too (``DATABASE_URL``): it refuses
what SQLite takes. 256 pages, about 105 s of one core (SQLite), under a minute of the suite's two."""

import os
import re

import pytest
from django.apps import apps
from django.contrib.messages import constants
from django.db import connection, transaction
from django.test import Client

from shegong.core.tests.test_access_matrix import MATRIX, route_url
from shegong.lib.tests.formparse import Form, page_forms
from shegong.testing import make_matrix_users, verified_login

# The roles whose pages are fuzzed: a county administrator and a social worker.
ROLES = ("county", "worker")
# Forms not posted: they end the session.
SKIPPED_ACTIONS = ("/accounts/logout/",)

LONG = "长" * 10_000
JUNK = '<script>alert("x")</script>👩‍👩‍👧‍👦社工站𠀀\u202e&amp;'
NUL = "a\x00b"
HUGE = "99999999999999999999"
# Every field's hostile values by the field's kind. Round i sends every field its kind's i-th value at once
# (a form checks each field on its own, so one round tries as many fields as the form has): left out, two
# values for one name, then what each kind of field must refuse.
MISSING, TWICE = object(), object()
TEXT = [MISSING, TWICE, LONG, NUL, JUNK, ""]
HOSTILE = {
    "number": [MISSING, TWICE, "1e309", HUGE, "0x10", "-1"],
    "date": [MISSING, TWICE, "2023-02-30", "9999-12-31", "0001-01-01", "2023/13/45"],
    "month": [MISSING, TWICE, "2023-13", "9999-12", "0001-01", "abc"],
    "datetime-local": [MISSING, TWICE, "9999-12-31T25:61", "2023-02-30T10:00", "0001-01-01T00:00", ""],
    "time": [MISSING, TWICE, "25:61", "24:00", "abc", ""],
    "select": [MISSING, TWICE, "不在选项中", "999999999", HUGE, NUL],
    "hidden": [MISSING, TWICE, NUL, HUGE, "²", LONG],
    "checkbox": [MISSING, TWICE, HUGE, NUL, "是", ""],
}
HOSTILE["radio"] = HOSTILE["select"]
ROUNDS = max(len(values) for values in HOSTILE.values())
# What passes a form's own checks and reaches the service and the database: long odd text in every text field
# at once, numbers, dates and ids one field at a time, the other fields as a user would fill them.
TEXT_KINDS = {"text", "textarea", "search", "email", "url", "tel"}
TOGETHER = [JUNK + LONG]
ONE_AT_A_TIME = {
    "number": [HUGE],
    "date": ["9999-12-31", "0001-01-01"],
    "month": ["9999-12"],
    "hidden": [HUGE],
}
# Query strings of every list: page, sort and page size.
PAGING = [
    {"page": "-1", "sort": "nonexistent", "per_page": "100000"},
    {"page": HUGE, "sort": "--id", "per_page": "²"},
]


# The routes that answer a file (a PDF, a workbook, a photo): no form to fill, and each costs seconds to make.
FILES = re.compile(r"(_pdf|_docx|_xlsx|_photo|_file|download|template|codes|certificate|_export)$")


def _pages():
    """(url name, index, role) for every page route a county administrator or a worker opens (200)."""
    for name, routes in sorted(MATRIX.items()):
        if name.startswith("api:") or FILES.search(name):
            continue
        for index, route in enumerate(routes):
            if route.method != "get":
                continue
            for role in ROLES:
                if route.expect.get(role) == 200:
                    yield pytest.param(name, index, role, id=f"{name}#{index}-{role}")


PAGES = list(_pages())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, written once for the module inside a transaction rolled back after its last test (each
    test runs in a savepoint within it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_matrix_users()
        transaction.set_rollback(True)


def _counted_tables() -> list[str]:
    """The tables a refused POST must leave alone: every table of ours and the audit trail's, but the
    divisions' (large, and only edited in place)."""
    tables = []
    for model in apps.get_models():
        meta = model._meta
        if (
            meta.managed
            and not meta.proxy
            and (meta.app_label == "auditlog" or model.__module__.startswith("shegong."))
        ):
            if meta.app_label != "regions":
                tables.append(meta.db_table)
    return sorted(set(tables))


def _rows(tables) -> int:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return cursor.fetchone()[0]


def _html(response) -> bool:
    return response["Content-Type"].startswith("text/html")


def _refused(response) -> bool:
    """The answer to a POST that was not done: a 400, the form again, or a redirect with an error message (a
    file is a POST done: an export)."""
    if response.status_code == 400 or (response.status_code == 200 and _html(response)):
        return True
    if response.status_code == 302:
        queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
        return any(m.level >= constants.ERROR for m in queued)
    return False


def _spoiled(form: Form, spoil: dict) -> dict:
    """The form's baseline with the fields of ``spoil`` given its values (MISSING: left out; TWICE: two)."""
    data = {k: list(v) for k, v in form.baseline.items()}
    for name, value in spoil.items():
        if value is MISSING:
            data.pop(name, None)
        elif value is TWICE:
            first = (data.get(name) or ["1"])[0]
            data[name] = [first, "2" if first != "2" else "3"]
        else:
            data[name] = [value]
    return data


def _label(spoil: dict) -> str:
    def one(value):
        return "missing" if value is MISSING else "twice" if value is TWICE else repr(value[:20])

    return ", ".join(f"{name}={one(value)}" for name, value in spoil.items())


def _variants(form: Form):
    """(what, data): the rounds of hostile values, the long and odd text, the numbers, dates and ids."""
    for i in range(ROUNDS):
        spoil = {}
        for f in form.fields:
            values = HOSTILE.get(f.kind, TEXT)
            spoil[f.name] = values[i % len(values)]
        yield _label(spoil), _spoiled(form, spoil)
    texts = [f.name for f in form.fields if f.kind in TEXT_KINDS or f.kind not in HOSTILE]
    for value in TOGETHER if texts else ():
        spoil = dict.fromkeys(texts, value)
        yield _label(spoil), _spoiled(form, spoil)
    for f in form.fields:
        for value in ONE_AT_A_TIME.get(f.kind, ()):
            yield _label({f.name: value}), _spoiled(form, {f.name: value})


def _send(client, method: str, url: str, data: dict, failures: list, what: str):
    """One request in a savepoint (a failed statement on PostgreSQL would end the test's transaction): the
    response, or None with the exception in ``failures``."""
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data)
    except Exception as exc:  # noqa: BLE001 — every exception is a finding
        failures.append(f"{what}: raised {type(exc).__name__}: {str(exc)[:200]}")
        return None
    if response.status_code >= 500:
        failures.append(f"{what}: answered {response.status_code}")
    return response


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), PAGES)
def test_no_input_to_a_page_is_a_server_error(name, index, role, demo):
    users = demo
    client = Client()
    with transaction.atomic():  # the route's own records, then the page
        _route, url = route_url(name, index, users)
    verified_login(client, users[role])
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    if not _html(page):  # a file: no form to fill
        return
    failures: list[str] = []
    tables = _counted_tables()
    forms = page_forms(page.content.decode(), url)
    for form in forms:
        if form.action in SKIPPED_ACTIONS or form.action.startswith("/api/"):
            continue
        if form.method == "get":
            for what, data in _variants(form):
                _send(client, "get", form.action, data, failures, f"GET {form.action} {what}")
            continue
        for what, data in _variants(form):
            before = _rows(tables)
            response = _send(client, "post", form.action, data, failures, f"POST {form.action} {what}")
            if response is not None and _refused(response) and _rows(tables) != before:
                failures.append(f"POST {form.action} {what}: refused ({response.status_code}) but wrote rows")
    if "table" in (page.context or {}):
        for params in PAGING:
            _send(client, "get", url, params, failures, f"GET {url} {params}")

    if failures and os.environ.get("FORMFUZZ_LOG"):  # the findings of a whole run, for its author
        with open(os.environ["FORMFUZZ_LOG"], "a") as log:
            log.write("\n".join(failures) + "\n")
    assert not failures, "\n".join(failures[:40])


def test_the_fuzz_reaches_pages_and_forms():
    """The cast is not empty: the matrix gives this test pages of both roles."""
    roles = {p.values[2] for p in PAGES}
    assert roles == set(ROLES) and len(PAGES) > 50, (roles, len(PAGES))
