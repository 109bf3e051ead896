"""The project list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped)."""

import datetime as dt

import pytest

from shegong.clients.tests.factories import actor_for
from shegong.projects.workflow import PurchaseStatus
from shegong.testing import list_scope_test

pytestmark = pytest.mark.django_db


def _project(code, mark, matches):
    from shegong.casework.tests.factories import station
    from shegong.projects import services
    from shegong.regions.models import Region

    county, actor = code[:6], actor_for(code[:6])
    project = services.project_create(
        actor=actor,
        region=Region.objects.get(code=county),
        stations=[station(code)],
        targets={},
        name=mark,
        purchaser="民政局",
        funding_source="lottery",
        amount=100000,
        start_on=dt.date(2025, 1, 1),
        end_on=dt.date(2025, 12, 31),
    )
    if not matches:
        services.project_transition(actor=actor, project=project, to_status=PurchaseStatus.REVIEW)


test_projects = list_scope_test(
    {
        "projects.projects": (
            "projects:project_list",
            "/api/v1/projects/",
            _project,
            {"status": PurchaseStatus.APPLIED},
        )
    }
)
