"""Two requests move one facility at the same moment, on PostgreSQL: threads with their own connections. One
moves it and records the move; the other is refused with the workflow's message, and nothing is recorded twice.

A transactional test, on PostgreSQL only, for the reasons community/tests/test_concurrency.py gives; on SQLite,
test_workflow.py checks the same refusal with a stale copy in sequence."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import call_command

from shegong.lib.workflow import MoveRefused
from shegong.network import services
from shegong.network.models import Facility, FacilityStatus, StatusChange
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region
from shegong.testing import race

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRESQL, reason="needs PostgreSQL row locks; test_workflow.py covers SQLite"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_moves_of_one_facility_at_once_are_made_once_and_refused_once():
    if not Region.objects.filter(code="522301001").exists():
        call_command("load_regions", province=["52"], verbosity=0)
    facility = make_facility("522301001", status=FacilityStatus.PLANNED, status_date=dt.date(2023, 1, 1))

    def move(to):
        # Loaded before the race, as two pages opened on "planned" are: whichever thread is second, whether it
        # waits on the first one's row lock or comes after its commit, finds the facility no longer planned.
        loaded = Facility.objects.select_related("region").get(pk=facility.pk)

        def job():
            services.facility_change_status(actor=None, facility=loaded, to_status=to, on=dt.date(2024, 1, 1))

        return job

    # Both saw "planned": one builds, the other closes; exactly one of them happens.
    outcome = race([move(FacilityStatus.BUILDING), move(FacilityStatus.CLOSED)])
    refused = [exc for exc in outcome if exc is not None]
    assert len(refused) == 1 and isinstance(refused[0], MoveRefused), outcome
    facility.refresh_from_db()
    moves = list(StatusChange.objects.filter(facility=facility).values_list("from_status", "to_status"))
    assert moves == [("", FacilityStatus.PLANNED), (FacilityStatus.PLANNED, facility.status)]
