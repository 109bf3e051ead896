"""The one workflow mechanism (lib/workflow.py), tried on a facility: refusals in Chinese naming both states,
a stale second move refused once, capabilities, approval, requirements, the audit trail, and declaration typos."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from shegong.accounts.roles import Cap
from shegong.lib.workflow import Move, MoveRefused, Workflow
from shegong.network.models import Facility, FacilityStatus, StatusChange
from shegong.network.tests.factories import make_facility
from shegong.network.workflow import FACILITY_WORKFLOW

pytestmark = pytest.mark.django_db

S = FacilityStatus


def test_a_refused_move_names_the_from_and_to_states_in_chinese_and_what_is_allowed():
    facility = make_facility("522301001", status=S.PLANNED)
    with pytest.raises(MoveRefused) as refused:
        FACILITY_WORKFLOW.move(facility, S.OPERATING, actor=None, on=dt.date(2024, 1, 1))
    message = " ".join(refused.value.messages)
    assert "“规划中”" in message and "“运营中”" in message and "不能" in message
    assert "建设中" in message  # what it may move to instead
    assert refused.value.message_dict["to_status"]  # shown against the form's and the API's field
    facility.refresh_from_db()
    assert facility.status == S.PLANNED and facility.status_changes.count() == 1


def test_of_two_moves_from_the_same_state_the_second_is_refused_once_and_nothing_is_recorded_twice():
    facility = make_facility("522301001", status=S.PLANNED, status_date=dt.date(2023, 1, 1))
    first, second = Facility.objects.get(pk=facility.pk), Facility.objects.get(pk=facility.pk)
    FACILITY_WORKFLOW.move(first, S.BUILDING, actor=None, on=dt.date(2024, 1, 1))
    with pytest.raises(MoveRefused) as refused:
        FACILITY_WORKFLOW.move(second, S.BUILDING, actor=None, on=dt.date(2024, 1, 2))
    assert refused.value.error_dict["to_status"][0].code == "move_conflict"
    assert "其他人" in " ".join(refused.value.messages) and "建设中" in " ".join(refused.value.messages)
    assert second.status == S.BUILDING  # the stale copy now shows the state the row is in
    moves = list(StatusChange.objects.filter(facility=facility).values_list("to_status", flat=True))
    assert moves == [S.PLANNED, S.BUILDING]


def test_the_move_is_saved_through_the_orm_so_the_audit_trail_records_it():
    facility = make_facility("522301001", status=S.PLANNED)
    FACILITY_WORKFLOW.move(facility, S.BUILDING, actor=None, on=dt.date(2024, 1, 1))
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Facility), object_pk=str(facility.pk)
    )
    assert any(e.changes_dict.get("status") == ["planned", "building"] for e in entries)


# A workflow of our own over the facility's states, to try capabilities, approvals and requirements.
TRIAL = Workflow(
    FacilityStatus,
    {
        S.PLANNED: (Move(S.BUILDING, capability=Cap.NETWORK_MANAGE), Move(S.CLOSED)),
        S.BUILDING: (Move(S.BUILT, approval=True, approver=Cap.NETWORK_MANAGE),),
        S.BUILT: (
            Move(
                S.OPERATING,
                requires=(("agency_name", "写明运营机构。"),),
                guard=lambda f: None if f.floor_area else "写明面积。",
            ),
        ),
        S.OPERATING: (),
        S.SUSPENDED: (),
        S.CLOSED: (),
    },
    initial=[S.PLANNED],
)


def test_a_role_without_the_move_s_capability_is_refused_and_is_not_offered_it(users):
    facility = make_facility("522301001", status=S.PLANNED)
    assert [m.to for m in TRIAL.allowed(facility, users["worker"])] == [S.CLOSED]
    assert TRIAL.choices(facility, users["county"]) == [(S.BUILDING, "建设中"), (S.CLOSED, "已关闭")]
    with pytest.raises(MoveRefused, match="您的角色"):
        TRIAL.move(facility, S.BUILDING, actor=users["worker"])
    TRIAL.move(facility, S.BUILDING, actor=users["county"])
    assert Facility.objects.get(pk=facility.pk).status == S.BUILDING


def test_a_move_that_needs_approval_is_only_made_when_approved_by_the_approver(users):
    facility = make_facility("522301001", status=S.BUILDING)
    assert TRIAL.check(facility, S.BUILT, actor=users["worker"]).approval  # asking is allowed
    with pytest.raises(MoveRefused, match="审批"):
        TRIAL.move(facility, S.BUILT, actor=users["county"])
    with pytest.raises(MoveRefused, match="您的角色"):
        TRIAL.move(facility, S.BUILT, actor=users["worker"], approved=True)
    TRIAL.move(facility, S.BUILT, actor=users["county"], approved=True)
    assert Facility.objects.get(pk=facility.pk).status == S.BUILT


def test_a_move_lists_everything_it_still_requires():
    facility = make_facility("522301001", status=S.BUILT)
    with pytest.raises(MoveRefused) as refused:
        TRIAL.move(facility, S.OPERATING, actor=None)
    assert refused.value.messages == ["写明运营机构。", "写明面积。"]
    facility.agency_name, facility.floor_area = "某社工机构", 120
    TRIAL.move(facility, S.OPERATING, actor=None, changes={"agency_name": "某社工机构", "floor_area": 120})
    facility.refresh_from_db()
    assert (facility.status, facility.agency_name, facility.floor_area) == (S.OPERATING, "某社工机构", 120)


def test_a_table_naming_an_undeclared_state_or_missing_a_state_is_refused_at_start_up():
    with pytest.raises(ValueError, match="undeclared"):
        Workflow(FacilityStatus, {**TRIAL.moves, S.CLOSED: ("reopened",)}, initial=[S.PLANNED])
    with pytest.raises(ValueError, match="without a row"):
        Workflow(FacilityStatus, {S.PLANNED: (S.CLOSED,)}, initial=[S.PLANNED])
