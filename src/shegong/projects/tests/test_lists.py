"""The project list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped)."""

import datetime as dt

import pytest

from shegong.clients.tests.factories import actor_for
from shegong.projects.workflow import PurchaseStatus
from shegong.testing import assert_list_scoped

pytestmark = pytest.mark.django_db


def test_projects(users, client):
    from shegong.casework.tests.factories import station
    from shegong.projects import services
    from shegong.regions.models import Region

    def seed(code, mark, matches):
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

    assert_list_scoped(
        client,
        users,
        "projects.projects",
        page="projects:project_list",
        api="/api/v1/projects/",
        seed=seed,
        narrow={"status": PurchaseStatus.APPLIED},
    )
