"""scale/request_cost.py: each page beside its floor (the framework's fixed cost plus the page's own SQL sent
again), the floor's replay leaving nothing written."""

import subprocess
import sys

import pytest
from auditlog.models import LogEntry

from shegong.clients.tests.factories import make_person
from shegong.scale import request_cost

pytestmark = pytest.mark.django_db


def test_pages_are_measured_beside_their_floor_and_the_replay_writes_nothing(users):
    person = make_person()
    pages = [f"/people/{person.pk}/", "/people/", "/api/v1/clients/"]
    results = request_cost.measure("522301", pages, repeat=3, username="worker")
    assert [r["page"] for r in results] == pages
    for r in results:
        assert r["queries"] > 0 and r["floor_ms"] > 0 and r["wall_p95_ms"] >= r["wall_ms"] > 0
    # A file's page writes one audit row a view: the warm-up, the counted request and the three timed ones;
    # the floor sends its statements again (that INSERT among them) and rolls them back.
    views = LogEntry.objects.filter(object_pk=str(person.pk))
    before = views.count()
    request_cost.measure("522301", pages[:1], repeat=3, username="worker")
    assert views.count() == before + 5


def test_the_wsgi_application_freezes_what_start_up_made():
    """The full garbage collections of a served process do not walk Django's and the apps' start-up objects."""
    done = subprocess.run(
        [sys.executable, "-c", "import gc, shegong.wsgi; print(gc.get_freeze_count())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(done.stdout.strip().splitlines()[-1]) > 100_000
