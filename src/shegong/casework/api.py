"""API for casework: /api/v1/cases/ (with the transition and approval actions), /api/v1/service-records/ and
/api/v1/stats/services/. The same services as the pages decide every move."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.endpoints import endpoint, list_endpoint, period_figures, run_service, validated
from shegong.api.errors import service_error
from shegong.api.serializers import Shown
from shegong.casework import figures, selectors, services, workflow
from shegong.casework.inputs import CASE_OPEN, CASE_RECORD, SERVICE_RECORD
from shegong.casework.lists import CASES, SERVICE_RECORDS
from shegong.casework.models import Case, Stage
from shegong.clients.selectors import area_for, person_get
from shegong.lib.asof import AsOf, growth, year_before
from shegong.lib.guard import require
from shegong.network.selectors import facility_get
from shegong.regions.selectors import region_get


class _CasePage(serializers.ListSerializer):
    """A page of cases reads their pending approvals in one query, not one per case."""

    def to_representation(self, data):
        cases = list(data.all() if hasattr(data, "all") else data)
        selectors.prefetch_pending_approvals(cases)
        return super().to_representation(cases)


class CaseSerializer(Shown):
    number = serializers.CharField()  # a property of the case
    person_name = serializers.CharField(source="person.name")
    station_name = serializers.CharField(source="station.name")
    worker = serializers.CharField(source="worker.username")
    needs = serializers.DictField()
    next_stages = serializers.SerializerMethodField()
    pending_approval = serializers.SerializerMethodField()

    class Meta:
        model = Case
        list_serializer_class = _CasePage
        fields = ("id", "number", "person", "person_name", "station", "station_name", "worker", "stage")
        fields += ("stage_since", "source", "opened_on", "presenting_problem", "agreement_signed", "needs")
        fields += ("strengths", "problem_statement", "assessment_report", "plan_goals", "plan_actions")
        fields += ("plan_timetable", "attainment", "evaluation_report", "closure_reason", "closure_summary")
        fields += ("closed_on", "next_stages", "pending_approval")

    def get_next_stages(self, obj) -> list[dict]:
        return [{"stage": m.to, "needs_approval": m.approval} for m in workflow.next_stages(obj.stage)]

    def get_pending_approval(self, obj) -> dict | None:
        pending = selectors.pending_approval(case=obj)
        if pending is None:
            return None
        return {"id": pending.pk, "from_stage": pending.from_stage, "to_stage": pending.to_stage}


class CaseOpenInput(CASE_OPEN.serializer()):
    # The fields of casework/inputs.py CASE_OPEN and the person, in the order the API has always listed them.
    field_order = ("person", "station", "source", "presenting_problem")
    person = serializers.IntegerField()


class CaseRecordInput(CASE_RECORD.serializer("CaseRecordInputFields")):
    # The current stage's record (PATCH): the fields of casework/inputs.py CASE_RECORD, each optional.
    pass


def _case_post(request):
    require(request.user, Cap.DATA_EDIT)
    data = validated(CaseOpenInput, request)
    person = person_get(user=request.user, pk=data.pop("person"), capability=Cap.DATA_EDIT)
    station = facility_get(user=request.user, pk=data.pop("station"), capability=Cap.DATA_EDIT)
    return run_service(services.case_open, actor=request.user, person=person, station=station, **data)


case_list = list_endpoint(
    CASES,
    CaseSerializer,
    "Cases of the stations in your jurisdiction; POST opens one (接案).",
    create=(CaseOpenInput, _case_post),
)


@extend_schema(request=CaseRecordInput, responses=CaseSerializer)
@endpoint(["GET", "PATCH"], Cap.DATA_VIEW)
def case_detail(request, pk: int):
    """One case with the stages that may follow; PATCH writes the current stage's record."""
    if request.method == "PATCH":
        require(request.user, Cap.DATA_EDIT)
        case = selectors.case_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
        data = validated(CaseRecordInput, request)
        case = run_service(services.case_update, actor=request.user, case=case, **data)
        return Response(CaseSerializer(case).data)
    return Response(CaseSerializer(selectors.case_get(user=request.user, pk=pk)).data)


class TransitionInput(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


@extend_schema(request=TransitionInput, responses=CaseSerializer)
@endpoint(["POST"], Cap.DATA_EDIT)
def case_transition(request, pk: int):
    """Move the case to a next stage. A move that needs approval answers 202 with the pending approval."""
    case = selectors.case_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    data = validated(TransitionInput, request)
    approval = run_service(services.case_transition, actor=request.user, case=case, **data)
    case = selectors.case_get(user=request.user, pk=pk)
    return Response(
        CaseSerializer(case).data, status=status.HTTP_202_ACCEPTED if approval else status.HTTP_200_OK
    )


class DecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


@extend_schema(request=DecisionInput, responses=CaseSerializer)
@endpoint(["POST"], Cap.CASE_APPROVE)
def approval_decide(request, pk: int):
    """The supervisor approves or sends back a pending request (never their own)."""
    approval = selectors.approval_get(user=request.user, pk=pk)
    data = validated(DecisionInput, request)
    run_service(
        services.approval_decide,
        actor=request.user,
        approval=approval,
        approve=data["decision"] == "approve",
        note=data["note"],
    )
    return Response(CaseSerializer(selectors.case_get(user=request.user, pk=approval.case_id)).data)


class ServiceRecordSerializer(SERVICE_RECORD.serializer()):
    # The fields of casework/inputs.py SERVICE_RECORD, and what a record answers with.
    field_order = (
        "id",
        "station",
        "served_on",
        "person",
        "group_name",
        "participants",
        "item",
        "item_name",
        "worker",
    )
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(source="person_id", required=False, allow_null=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    worker = serializers.CharField(source="worker.username", read_only=True)


def _service_record_post(request):
    require(request.user, Cap.DATA_EDIT)
    data = validated(ServiceRecordSerializer, request)
    station = facility_get(user=request.user, pk=data.pop("station_id"), capability=Cap.DATA_EDIT)
    person_id = data.pop("person_id", None)
    person = person_get(user=request.user, pk=person_id, capability=Cap.DATA_EDIT) if person_id else None
    item = (
        selectors.service_item_list(user=request.user, region=station.region_id)
        .filter(pk=data.pop("item_id"))
        .first()
    )
    if item is None:
        raise service_error(ValidationError({"item": _("This item is not on the station's service menu.")}))
    return run_service(
        services.service_record_create,
        actor=request.user,
        station=station,
        person=person,
        item=item,
        **data,
    )


service_record_list = list_endpoint(
    SERVICE_RECORDS,
    ServiceRecordSerializer,
    "Service records of the stations in your jurisdiction; POST records one.",
    create=(ServiceRecordSerializer, _service_record_post),
)


@extend_schema(
    parameters=period_figures("open cases and people on file that day"),
    responses=dict,
)
@endpoint(["GET"], Cap.DATA_VIEW)
def service_stats(request):
    """Service person-times of a region by month and by item in the period (``since``..``until``), with the
    open cases and the people on file as of a day (``as_of``), and the same figures a year before."""
    when = AsOf.from_request(request)
    q = request.query_params
    code = q.get("region", "")[:12]
    if code:
        region_get(user=request.user, code=code)  # 404 outside the jurisdiction
    area = area_for(user=request.user, region=code)
    period = figures.Period(when.since, when.until)
    service = figures.service_figures(user=request.user, region=area, period=period)
    cases = figures.case_figures(user=request.user, region=area, period=period, as_of=when.as_of)
    people = figures.people_figures(user=request.user, region=area, as_of=when.as_of)
    ago = figures.Period(year_before(when.since), year_before(when.until))
    service_ago = figures.service_figures(user=request.user, region=area, period=ago)
    cases_ago = figures.case_figures(user=request.user, region=area, period=ago, as_of=when.year_before)
    people_ago = figures.people_figures(user=request.user, region=area, as_of=when.year_before)
    return Response(
        {
            "region": area,
            **when.stamp(),
            "person_times": service["person_times"],
            "records": service["records"],
            "by_month": service["by_month"],
            "by_item": service["by_item"],
            "open_cases": cases["open"],
            "open_cases_by_stage": {r["stage"]: r["n"] for r in cases["by_stage"]},
            "cases_closed": cases["closed"],
            "people": people["people"],
            "people_by_category": {r["categories__code"]: r["n"] for r in people["by_category"]},
            "year_before": {
                "since": ago.since.isoformat(),
                "until": ago.until.isoformat(),
                "person_times": service_ago["person_times"],
                "open_cases": cases_ago["open"],
                "people": people_ago["people"],
            },
            "growth": {
                "person_times": growth(service["person_times"], service_ago["person_times"]),
                "open_cases": growth(cases["open"], cases_ago["open"]),
                "people": growth(people["people"], people_ago["people"]),
            },
            "overdue_visits": people["overdue"],
            "key_visit_coverage": people["key_coverage"],
        }
    )
