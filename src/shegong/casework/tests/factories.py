"""Builders for casework tests: a station in township 522301001 and cases in any stage, made through the
services as the application makes them."""

import datetime as dt

from django.utils import timezone

from shegong.casework import rollups, services
from shegong.casework.models import ServiceItem, Stage
from shegong.clients.tests.factories import actor_for, make_person
from shegong.network.models import Facility, Kind
from shegong.network.tests.factories import make_facility

TOWNSHIP = "522301001"

FILLED = {
    Stage.ASSESSMENT: {"needs": {"livelihood": "生活困难"}, "assessment_report": "预估报告"},
    Stage.PLAN: {"plan_goals": "目标", "plan_actions": "行动", "plan_timetable": "三个月"},
    Stage.EVALUATION: {
        "attainment": "achieved",
        "evaluation_report": "评估报告",
        "closure_reason": "goals_met",
        "closure_summary": "结案小结",
    },
}

# The stages a case moves through after intake, in order.
STAGES_AFTER_INTAKE = list(Stage)[1:]  # Stage declares them in that order, intake first


def assert_rollups_current() -> None:
    """Every stored rollup equals a recount from the records: no difference of any kind."""

    assert rollups.check_all() == {
        "service_months": 0,
        "service_county_months": 0,
        "people_counts": 0,
        "people": 0,
        "visit_due": 0,
        "visit_due_totals": 0,
    }


def station(code: str = TOWNSHIP) -> Facility:
    found = Facility.objects.filter(region_id=code, kind=Kind.TOWNSHIP_STATION).first()
    return found or make_facility(code)


def make_case(stage: str = Stage.INTAKE, *, worker=None, supervisor=None, person=None, code: str = TOWNSHIP):
    """A case walked through the workflow to ``stage``; approvals are given by ``supervisor``."""
    worker = worker or actor_for(code)
    supervisor = supervisor or _supervisor(code)
    person = person or make_person(code=code + "001")
    case = services.case_open(
        actor=worker,
        person=person,
        station=station(code),
        source="self",
        presenting_problem="独居老人生活困难",
        agreement_signed=True,
        opened_on=timezone.localdate() - dt.timedelta(days=30),
    )
    for step in STAGES_AFTER_INTAKE[: STAGES_AFTER_INTAKE.index(stage) + 1] if stage != Stage.INTAKE else []:
        if case.stage in FILLED:
            services.case_update(actor=worker, case=case, **FILLED[case.stage])
        approval = services.case_transition(actor=worker, case=case, to_stage=step)
        if approval is not None:
            services.approval_decide(actor=supervisor, approval=approval, approve=True)
        case.refresh_from_db()
    return case


def _supervisor(code: str):
    from shegong.accounts.models import User
    from shegong.testing import make_user

    username = f"supervisor{code[:6]}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = make_user(username, "admin", code[:6])
        user.full_name = "县级督导"
        user.save(update_fields=["full_name"])
    return user


def item(name: str = "精神慰藉") -> ServiceItem:
    return ServiceItem.objects.filter(region__isnull=True, name=name).first()


def make_service(code: str = TOWNSHIP, *, actor=None, at=None, item_name: str = "精神慰藉", **fields):
    """A service record at the station of ``code`` (or at the facility ``at``) by its county's editor (or
    ``actor``): today, 30 minutes at the station, to the group "小组" unless ``fields`` name a person."""
    fields.setdefault("served_on", timezone.localdate())
    fields.setdefault("duration_minutes", 30)
    fields.setdefault("mode", "station")
    if "person" not in fields:
        fields.setdefault("group_name", "小组")
    where = at or station(code)
    return services.service_record_create(
        actor=actor or actor_for(where.region_id), station=where, item=item(item_name), **fields
    )


def service_form(mode: str = "home", **extra) -> dict:
    """What the service form (登记服务) posts for a service today at the township's station."""
    return {
        "station": station().pk,
        "served_on": timezone.localdate().isoformat(),
        "item": item().pk,
        "participants": 1,
        "duration_minutes": 45,
        "mode": mode,
        **extra,
    }
