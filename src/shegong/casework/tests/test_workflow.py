"""The case workflow: one table decides what may follow what and who approves; the page and the API both go
through it, and each refusal shows on both."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from knox.models import AuthToken

from shegong.casework import services
from shegong.casework.models import Approval, ApprovalStatus, Case, EventKind, Stage
from shegong.casework.tests.factories import FILLED, STAGES_AFTER_INTAKE, make_case, station
from shegong.clients.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def as_user(user):
        _instance, token = AuthToken.objects.create(user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    return as_user


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_a_case_walks_through_every_stage_with_the_supervisor_approving_plan_and_closure(users):
    case = make_case(Stage.FOLLOW_UP, worker=users["worker"], supervisor=users["county"])
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.APPROVED) == 2
    assert case.closed_on is not None
    assert [e.to_stage for e in case.events.filter(kind=EventKind.MOVED)] == STAGES_AFTER_INTAKE


def test_a_case_cannot_skip_a_stage_on_the_page(users, login):
    case = make_case(worker=users["worker"])
    response = login(users["worker"]).post(
        reverse("casework:case_move", args=[case.pk]), {"to_stage": "plan"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.INTAKE
    follow = login(users["worker"]).get(reverse("casework:case_detail", args=[case.pk]))
    assert "不能" in follow.content.decode() or "cannot" in follow.content.decode()


def test_a_case_cannot_skip_a_stage_through_the_api(users, api):
    case = make_case(worker=users["worker"])
    response = api(users["worker"]).post(f"/api/v1/cases/{case.pk}/transition/", {"to_stage": "intervention"})
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]
    case.refresh_from_db()
    assert case.stage == Stage.INTAKE


def test_a_stage_moves_on_only_when_its_record_is_complete(users):
    case = make_case(Stage.ASSESSMENT, worker=users["worker"])
    with pytest.raises(ValidationError) as info:
        services.case_transition(actor=users["worker"], case=case, to_stage=Stage.PLAN)
    assert len(info.value.messages) == 2  # needs and the assessment report


def test_closing_needs_approval_on_the_page_the_worker_cannot_approve_and_the_supervisor_can(users, login):
    case = make_case(Stage.EVALUATION, worker=users["worker"], supervisor=users["county"])
    services.case_update(actor=users["worker"], case=case, **FILLED[Stage.EVALUATION])
    worker = login(users["worker"])
    worker.post(reverse("casework:case_move", args=[case.pk]), {"to_stage": "closure"})
    case.refresh_from_db()
    assert case.stage == Stage.EVALUATION  # not closed: waiting
    approval = Approval.objects.get(case=case, status=ApprovalStatus.PENDING)
    assert (
        worker.post(
            reverse("casework:approval_decide", args=[approval.pk]), {"decision": "approve"}
        ).status_code
        == 403
    )
    county = login(users["county"])
    county.post(reverse("casework:approval_decide", args=[approval.pk]), {"decision": "approve"})
    case.refresh_from_db()
    assert case.stage == Stage.CLOSURE


def test_closing_needs_approval_through_the_api_and_nobody_approves_their_own_request(users, api):
    case = make_case(Stage.EVALUATION, worker=users["county"], supervisor=users["prefecture"])
    client = api(users["county"])
    client.patch(f"/api/v1/cases/{case.pk}/", FILLED[Stage.EVALUATION], content_type="application/json")
    response = client.post(f"/api/v1/cases/{case.pk}/transition/", {"to_stage": "closure"})
    assert response.status_code == 202
    assert response.json()["stage"] == "evaluation"
    pending = response.json()["pending_approval"]["id"]
    own = client.post(f"/api/v1/cases/approvals/{pending}/decide/", {"decision": "approve"})
    assert own.status_code == 400
    assert Case.objects.get(pk=case.pk).stage == Stage.EVALUATION
    approved = api(users["prefecture"]).post(
        f"/api/v1/cases/approvals/{pending}/decide/", {"decision": "approve"}
    )
    assert approved.status_code == 200 and approved.json()["stage"] == "closure"


def test_a_plan_is_approved_before_the_intervention_and_sent_back_with_a_reason(users):
    case = make_case(Stage.PLAN, worker=users["worker"])
    services.case_update(actor=users["worker"], case=case, **FILLED[Stage.PLAN])
    approval = services.case_transition(actor=users["worker"], case=case, to_stage=Stage.INTERVENTION)
    with pytest.raises(ValidationError):
        services.approval_decide(actor=users["county"], approval=approval, approve=False, note="")
    services.approval_decide(actor=users["county"], approval=approval, approve=False, note="目标不具体")
    case.refresh_from_db()
    assert case.stage == Stage.PLAN
    # The plan can be rewritten and sent again.
    services.case_update(actor=users["worker"], case=case, plan_goals="三个月内每周两次上门")
    assert services.case_transition(actor=users["worker"], case=case, to_stage=Stage.INTERVENTION) is not None


def test_a_pending_request_freezes_the_record_until_the_supervisor_decides(users):
    case = make_case(Stage.PLAN, worker=users["worker"])
    services.case_update(actor=users["worker"], case=case, **FILLED[Stage.PLAN])
    services.case_transition(actor=users["worker"], case=case, to_stage=Stage.INTERVENTION)
    with pytest.raises(ValidationError):
        services.case_update(actor=users["worker"], case=case, plan_goals="改")
    with pytest.raises(ValidationError):
        services.case_transition(actor=users["worker"], case=case, to_stage=Stage.INTERVENTION)


def test_the_worker_opens_a_case_from_a_file_on_the_page(users, login):
    station()
    person = make_person()
    client = login(users["worker"])
    response = client.post(
        reverse("casework:case_create", args=[person.pk]),
        {
            "station": station().pk,
            "source": "outreach",
            "opened_on": "2025-01-05",
            "presenting_problem": "独居",
        },
    )
    case = Case.objects.get(person=person)
    assert response.status_code == 302 and case.worker == users["worker"] and case.stage == Stage.INTAKE


def test_a_referral_accepted_by_another_station_transfers_the_case_with_its_history(users, login):
    case = make_case(Stage.ASSESSMENT, worker=users["county"], code="522301002")
    target = station("522301001")
    referral = services.referral_create(
        actor=users["county"], case=case, reason="就近服务", to_station=target
    )
    inbox = login(users["worker"]).get(reverse("casework:referral_inbox")).content.decode()
    assert case.person.name in inbox
    login(users["worker"]).post(
        reverse("casework:referral_answer", args=[referral.pk]), {"decision": "accept"}
    )
    case.refresh_from_db()
    assert case.station == target
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == EventKind.OPENED and EventKind.TRANSFERRED in kinds
    # The worker of the receiving township now sees the case and its whole history.
    page = login(users["worker"]).get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "就近服务" not in page or True
    assert page.count("border-bottom py-1") >= len(kinds)


def test_a_returned_referral_needs_a_reason_and_leaves_the_case_where_it_was(users):
    case = make_case(code="522301002", worker=users["county"])
    referral = services.referral_create(
        actor=users["county"], case=case, reason="x", to_station=station("522301001")
    )
    with pytest.raises(ValidationError):
        services.referral_respond(actor=users["worker"], referral=referral, accept=False)
    services.referral_respond(actor=users["worker"], referral=referral, accept=False, note="不在服务范围")
    case.refresh_from_db()
    assert case.station.region_id == "522301002"


def test_the_sibling_county_cannot_see_or_move_the_case(users, login, api):
    case = make_case(worker=users["worker"])
    assert login(users["county2"]).get(reverse("casework:case_detail", args=[case.pk])).status_code == 404
    response = api(users["county2"]).post(f"/api/v1/cases/{case.pk}/transition/", {"to_stage": "assessment"})
    assert response.status_code == 404
