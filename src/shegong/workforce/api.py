"""REST API of the workforce: /api/v1/workers/, /agencies/, /trainings/ and /stats/workforce/.

The same selectors and services as the pages. ID numbers and phones are always masked in responses; the clear
values come only from POST /workers/<id>/reveal/ (core/reveal.py), for roles with pii.view, each call audited.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.endpoints import (
    BASE_YEAR,
    chosen,
    detail_endpoint,
    endpoint,
    list_endpoint,
    region_code_asked,
    run_service,
    validated,
)
from shegong.api.errors import service_errors
from shegong.api.pagination import paginated
from shegong.api.serializers import FiguresByDivision, MaskedPersonSerializer, Shown
from shegong.lib.asof import AsOf, compare
from shegong.lib.guard import require
from shegong.lib.lists import DATE_SCHEMA
from shegong.regions.picker import region_chosen
from shegong.regions.selectors import region_find
from shegong.workforce import selectors, services, services_agencies
from shegong.workforce.figures import workforce_figures
from shegong.workforce.inputs import AGENCY
from shegong.workforce.lists import AGENCIES, TRAININGS, WORKERS
from shegong.workforce.models import Agency, Education, EmploymentType, Post, TrainingSession, Worker


class AssignmentSerializer(serializers.Serializer):
    station = serializers.IntegerField(source="facility_id")
    station_name = serializers.CharField(source="facility.name")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class CertificateSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    level_label = serializers.CharField(source="get_level_display")
    year = serializers.IntegerField()
    number = serializers.CharField()


class WorkerSerializer(MaskedPersonSerializer):
    """A worker as the API shows it: the ID number and the phone masked, whoever asks."""

    region_name = serializers.CharField(source="region.name")
    employment_type_label = serializers.CharField(source="get_employment_type_display")
    current_level = serializers.IntegerField(allow_null=True, default=None)
    station = serializers.IntegerField(source="facility_id", allow_null=True, default=None)

    class Meta:
        model = Worker
        fields = (*MaskedPersonSerializer.Meta.fields, "region_name", "education", "major", "employment_type")
        fields += ("employment_type_label", "post", "status", "agency", "current_level", "station")
        fields += ("joined_on", "left_on")


class WorkerDetailSerializer(WorkerSerializer):
    assignments = AssignmentSerializer(many=True, source="assignment_list")
    certificates = CertificateSerializer(many=True, source="certificate_list")

    class Meta(WorkerSerializer.Meta):
        fields = (*WorkerSerializer.Meta.fields, "assignments", "certificates")


class WorkerInputSerializer(serializers.Serializer):
    """What a client sends to register a worker. The values are checked by services.worker_parse, as the
    form's and the Excel import's are."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    major = serializers.CharField(max_length=50, required=False, allow_blank=True)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices)
    post = serializers.ChoiceField(choices=Post.choices, required=False)
    joined_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    station = serializers.IntegerField(required=False, allow_null=True)
    region = serializers.CharField(max_length=12, required=False, allow_blank=True)


class MoveSerializer(serializers.Serializer):
    station = serializers.IntegerField()
    start_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AgencySerializer(Shown):
    worker_count = serializers.IntegerField(
        allow_null=True, default=None, help_text="active workers; counted in the list, null for one agency"
    )

    class Meta:
        model = Agency
        fields = ("id", "name", "credit_code", "region", "authority", "registered_on", "rating")
        fields += ("rating_year", "legal_representative", "contact_name", "contact_phone", "staff_count")
        fields += ("note", "worker_count")


class AgencyInput(AGENCY.serializer("AgencyInputFields")):
    # What a client sends to register an agency (POST) or change one (PATCH: the fields given): the fields of
    # workforce/inputs.py AGENCY, checked by services_agencies.agency_parse as the page's are, and the division.
    region = serializers.CharField(
        max_length=12, required=False, allow_blank=True, help_text="division code; default your jurisdiction"
    )


class AgencyStationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField(source="region_id")


class AgencyDetailSerializer(AgencySerializer):
    """The schema of one agency: agency_detail adds the stations that name it as their operator."""

    stations = AgencyStationSerializer(many=True)

    class Meta(AgencySerializer.Meta):
        fields = (*AgencySerializer.Meta.fields, "stations")


class TrainingSerializer(Shown):
    kind_label = serializers.CharField(source="get_kind_display")
    attendees = serializers.IntegerField(default=0)
    person_times = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = ("id", "title", "kind", "kind_label", "organiser", "region", "held_on", "hours", "online")
        fields += ("attendees", "outsiders", "person_times")

    def get_person_times(self, obj) -> int:
        return (getattr(obj, "attendees", 0) or 0) + obj.outsiders


STATION = {"facility": "station"}  # the API names the model's facility "station"


def _detail(request, worker):
    worker.assignment_list = list(selectors.worker_assignments(user=request.user, worker=worker))
    worker.certificate_list = list(selectors.worker_certificates(user=request.user, worker=worker))
    current = next((a for a in worker.assignment_list if a.end_date is None), None)
    worker.facility_id = current.facility_id if current else None
    return WorkerDetailSerializer(worker).data


@paginated
@extend_schema(
    methods=["GET"],
    parameters=WORKERS.api_parameters(),
    responses=WorkerSerializer(many=True),
)
@extend_schema(methods=["POST"], request=WorkerInputSerializer, responses={201: WorkerDetailSerializer})
@endpoint(["GET", "POST"], Cap.DATA_VIEW)
def worker_list(request):
    """Workers in your jurisdiction (GET, filtered; numbers masked), or register one (POST)."""
    if request.method == "POST":
        require(request.user, Cap.DATA_EDIT)
        data = WorkerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        station_id = values.pop("station", None)
        code = values.pop("region", "") or request.user.jurisdiction_code
        with service_errors(STATION):
            parsed = services.worker_parse(values)
        facility = region = None
        if station_id:
            facilities = selectors.staffable_facilities(user=request.user)
            facility = chosen(facilities, station_id)
        else:
            region = region_find(user=request.user, code=code)
            if region is None:
                raise exceptions.ValidationError(
                    {"region": [_("No division %(code)s in your jurisdiction.") % {"code": code}]}
                )
        with service_errors(STATION):
            worker = services.worker_create(
                actor=request.user,
                values=parsed,
                region=region,
                facility=facility,
                start_date=parsed.get("joined_on"),
            )
        worker = selectors.worker_get(user=request.user, pk=worker.pk)
        return Response(_detail(request, worker), status=status.HTTP_201_CREATED)
    return WORKERS.api(request, WorkerSerializer)


@extend_schema(responses=WorkerDetailSerializer)
@endpoint(["GET"], Cap.DATA_VIEW)
def worker_detail(request, pk: int):
    """One worker, with the history of stations and the certificates; numbers masked."""
    return Response(_detail(request, selectors.worker_get(user=request.user, pk=pk)))


@extend_schema(request=MoveSerializer, responses=WorkerDetailSerializer)
@endpoint(["POST"], Cap.DATA_EDIT)
def worker_move(request, pk: int):
    """Move a worker to another station: the current assignment ends, the new one starts, both are kept."""
    worker = selectors.worker_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    data = MoveSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    facilities = selectors.staffable_facilities(user=request.user)
    facility = chosen(facilities, data.validated_data["station"])
    with service_errors(STATION):
        services.worker_move(
            actor=request.user,
            worker=worker,
            facility=facility,
            start_date=data.validated_data.get("start_date"),
            note=data.validated_data["note"],
        )
    return Response(_detail(request, selectors.worker_get(user=request.user, pk=pk)))


def _agency_save(request, agency, given: dict):
    """Register (``agency`` None) or change an agency from the API's input: the division given (default your
    jurisdiction; left out of a PATCH, it stays), the fields on file under those given."""
    region = None
    if agency is None or "region" in given:
        region = region_chosen(user=request.user, data=given, field="region")
    on_file = {} if agency is None else {key: getattr(agency, key) for key in services_agencies.AGENCY_FIELDS}
    saved = services_agencies.agency_save(
        actor=request.user, data={**on_file, **given}, region=region, agency=agency
    )
    return _agency_with_stations(user=request.user, pk=saved.pk)


def _agency_post(request):
    require(request.user, Cap.DATA_EDIT)
    return run_service(_agency_save, request, None, validated(AgencyInput, request))


agency_list = list_endpoint(
    AGENCIES,
    AgencySerializer,
    "Social work agencies registered in your jurisdiction (GET); POST registers one.",
    create=(AgencyInput, _agency_post),
)


def _agency_with_stations(*, user, pk, capability=Cap.DATA_VIEW):
    """One agency with the stations that name it as their operator (``stations``)."""
    agency = selectors.agency_get(user=user, pk=pk, capability=capability)
    agency.stations = selectors.agency_facilities(user=user, agency=agency)
    return agency


agency_detail = detail_endpoint(
    _agency_with_stations,
    AgencyDetailSerializer,
    "One agency, with the stations that name it as their operator; PATCH changes the fields given.",
    update=(AgencyInput, _agency_save),
)


training_list = list_endpoint(
    TRAININGS, TrainingSerializer, "Training sessions in your jurisdiction with their person-times."
)


class WorkforceStatsSerializer(FiguresByDivision):
    growth = serializers.DictField()


@extend_schema(
    parameters=[
        OpenApiParameter("region", str, required=True, description="division code"),
        OpenApiParameter(
            "as_of", DATE_SCHEMA, description="YYYY-MM-DD: the workforce at the end of that day"
        ),
        BASE_YEAR,
    ],
    responses=WorkforceStatsSerializer,
)
@endpoint(["GET"], Cap.DATA_VIEW)
def workforce_stats(request):
    """Talent statistics of a region and each of its children, counted from the dated records as of a day
    (``as_of``), with growth on the same day a year before (and against ``base_year``)."""
    when = AsOf.from_request(request)
    code = region_code_asked(request)
    region = selectors.workforce_region_get(user=request.user, code=code)
    figures = workforce_figures(user=request.user, region=region, as_of=when.as_of)
    now = figures.total.as_dict()
    body = {**when.stamp(), "region": now, "children": [child.as_dict() for child in figures.children]}
    body["growth"] = {"talents": figures.total.talent_growth, "certified": figures.total.certified_growth}
    if when.base_year:
        then = workforce_figures(user=request.user, region=region, as_of=when.base_date).total.as_dict()
        body["base"] = {
            "as_of": when.base_date.isoformat(),
            "region": then,
            "growth": compare(now, then, ("talents", "certified", "agencies", "full_time_station_workers")),
        }
    return Response(body)
