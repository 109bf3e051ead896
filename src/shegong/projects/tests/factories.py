"""Builders for project tests: a county project of 522301 covering the station of township 522301001."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from shegong.casework.tests.factories import station
from shegong.clients.tests.factories import actor_for
from shegong.projects import services
from shegong.projects.workflow import PurchaseStatus
from shegong.regions.models import Region

COUNTY = "522301"
PATH = [
    PurchaseStatus.REVIEW,
    PurchaseStatus.APPROVED,
    PurchaseStatus.IMPLEMENTING,
    PurchaseStatus.MIDTERM,
    PurchaseStatus.FINAL_EVALUATION,
]


def make_project(*, actor=None, status: str = PurchaseStatus.APPLIED, stations=None, targets=None, **fields):
    actor = actor or actor_for(COUNTY)
    fields.setdefault("name", "兴义市困难群众社会工作服务项目")
    fields.setdefault("purchaser", "兴义市民政局")
    fields.setdefault("funding_source", "lottery")
    fields.setdefault("amount", Decimal("300000"))
    fields.setdefault("start_on", timezone.localdate() - dt.timedelta(days=90))
    fields.setdefault("end_on", timezone.localdate() + dt.timedelta(days=275))
    project = services.project_create(
        actor=actor,
        region=Region.objects.get(code=COUNTY),
        stations=[station("522301001")] if stations is None else stations,
        targets=targets if targets is not None else {"person_times": 100, "cases": 2, "people": 5},
        **fields,
    )
    if status != PurchaseStatus.APPLIED:
        for step in PATH[: PATH.index(status) + 1]:
            project = services.project_transition(actor=actor, project=project, to_status=step)
    return project
