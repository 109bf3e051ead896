"""The OpenAPI schema tells the truth: schemathesis generates requests from /api/v1/schema/ and sends them to
the Django WSGI application in this process (no socket: the test fails on any attempt to open one), as
兴义市's administrator with a bearer token, over the demo data of 黔西南州 (small), and checks every answer
against the schema.

A bounded, deterministic run: a fixed seed, derandomised, six fuzzed examples per operation plus the
coverage phase's boundary cases (62 operations, about 5,000 requests, 2-3 minutes on two cores). Marked
``schemathesis``: ``pytest -m schemathesis -s src/shegong/api/tests/test_schemathesis.py`` runs it alone and
prints the count of operations and requests."""

import json
import socket

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from shegong.jobs.models import Job
from shegong.lib.importer.engine import IMPORT_KIND
from shegong.testing import make_demo

# Requests for a token would feed the lockout counter, and revoking a token would end the run's session:
# both are tested by hand in test_api.py.
SKIPPED = ["/api/v1/auth/token/", "/api/v1/auth/token/revoke/", "/api/v1/auth/token/revoke-all/"]
CONFIG = """
seed = 13
[generation]
deterministic = true
max-examples = 6
database = "none"
"""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Reads must accept every schema-valid query. Writes are exempt from positive_data_acceptance: a valid body
# names a station, person or division by id or code, and one that does not exist in your jurisdiction is a
# documented 400 that no schema can foresee. negative_data_rejection is left out: list filters ignore what
# they do not understand (an unknown status lists everything) rather than refuse it.
READ_CHECKS = [*CHECKS, positive_data_acceptance]


def _load_schema():
    """The schema as /api/v1/schema/ serves it, generated in process: collection runs before any database."""
    document = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    loaded = schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_str(CONFIG))
    loaded.app = get_wsgi_application()
    return loaded.exclude(path=SKIPPED)


# Requests sent per operation, printed at the end of the module (run with -s to see it).
CASES: dict[str, int] = {}


@pytest.fixture(scope="module")
def county_token(django_db_setup, django_db_blocker):
    """The demo data, written once for the module inside a transaction that is rolled back after its last
    test (each test runs in a savepoint within it), and a token of the county administrator."""
    with django_db_blocker.unblock(), transaction.atomic():
        users = make_demo(people=60)
        # An import of the county's (imports are their owner's alone; the demo has none).
        Job.objects.create(
            kind=IMPORT_KIND,
            title="导入",
            created_by=users["county"],
            status="succeeded",
            params={"ledger": "casework.services"},
            result={"ok": False, "message": "x"},
        )
        yield AuthToken.objects.create(users["county"])[1]
        transaction.set_rollback(True)
    print(f"\nschemathesis: {len(CASES)} operations, {sum(CASES.values())} requests")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the WSGI handler would close the database connection after each request,
    and with it the test's transaction (PostgreSQL; SQLite's in-memory database ignores the close)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Generated requests go to the WSGI application in process; opening a socket fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a test request tried the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


schema = _load_schema()


@pytest.mark.schemathesis
@pytest.mark.django_db
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_what_the_schema_says(case, county_token):
    """Generated requests, valid and invalid: never a 500, every status documented, every body as
    documented; and every valid query of a read is accepted."""
    CASES[case.operation.label] = CASES.get(case.operation.label, 0) + 1
    case.call_and_validate(
        headers={"Authorization": f"Bearer {county_token}"},
        checks=READ_CHECKS if case.method == "GET" else CHECKS,
    )


def _list_path(path: str) -> str:
    return path[: path.index("{")]


DETAILS = [
    (label.split(" ", 1)[1])
    for label in (op.ok().label for op in schema.get_all_operations())
    if label.startswith("GET ") and "{" in label
]


@pytest.mark.schemathesis
@pytest.mark.django_db
@pytest.mark.parametrize("path", DETAILS)
def test_a_real_record_is_answered_as_documented(path, county_token):
    """Generated ids rarely name a record: each detail is also read for the first record of its list."""
    auth = {"Authorization": f"Bearer {county_token}"}
    listed = schema["/api/v1/regions/" if "{code}" in path else _list_path(path)]["GET"].Case(headers=auth)
    body = listed.call_and_validate(checks=READ_CHECKS).json()
    # Lists page (``results``), but for the few documented as a bare array (the matching rules bearing on an
    # area: a handful by nature).
    records = body["results"] if isinstance(body, dict) else body
    assert records, f"the demo has no record for {path}"
    first = records[0]
    key = "code" if "{code}" in path else "id"
    detail = schema[path]["GET"].Case(path_parameters={key: first[key]}, headers=auth)
    response = detail.call_and_validate(checks=READ_CHECKS)
    assert response.status_code == 200, response.text
