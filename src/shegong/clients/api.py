"""API for people served and visits: /api/v1/clients/, /api/v1/visits/. Same selectors and services as the
pages; ID numbers and phones are always masked here, for every role (lib/personal_data.py): a value in clear
only through the audited POST /api/v1/clients/<id>/reveal/ (core/reveal.py)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.endpoints import created, endpoint, run_service, validated
from shegong.api.pagination import page_of, paginated
from shegong.api.serializers import Shown
from shegong.audit.services import Event, audit_event
from shegong.clients import selectors, services
from shegong.clients.inputs import PERSON, VISIT
from shegong.clients.lists import PEOPLE
from shegong.clients.models import Person
from shegong.lib.personal_data import mask
from shegong.regions.models import Region


class ClientSerializer(Shown):
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    region_name = serializers.CharField(source="region.name")
    categories = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ("id", "name", "id_number", "sex", "birth_date", "phone", "region", "region_name", "address")
        fields += ("categories", "risk_level", "risk_reason", "visit_every_days", "visit_interval")
        fields += ("care_ability", "disability", "disability_grade", "guardian_name", "guardian_consent")
        fields += ("active",)

    # Masked for every role: a value in clear only through POST /clients/<id>/reveal/ (audited).
    def get_id_number(self, obj) -> str:
        return mask("id_number", obj.id_number)

    def get_phone(self, obj) -> str:
        return mask("phone", obj.phone)

    def get_categories(self, obj) -> list[str]:
        return [c.code for c in obj.categories.all()]


class ClientInput(PERSON.serializer()):
    # The fields of clients/inputs.py PERSON, in the order the API has always listed them.
    field_order = ("name", "region", "id_number", "phone", "sex", "birth_date", "address", "categories")
    confirm_duplicates = serializers.BooleanField(required=False, default=False)


def _client_args(user, data: dict) -> dict:
    data = dict(data)
    code = data.pop("region", "")
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ApiValidationError({"region": [_("No division with the code “%(code)s”.") % {"code": code}]})
    codes = data.pop("categories", None)
    categories = None
    if codes is not None:
        known = {c.code: c for c in selectors.category_list(user=user)}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ApiValidationError(
                {"categories": [_("Unknown category: %(names)s") % {"names": "、".join(unknown)}]}
            )
        categories = [known[c] for c in codes]
    return {"region": region, "categories": categories, **data}


@paginated
@extend_schema(
    methods=["GET"],
    parameters=PEOPLE.api_parameters(),
    responses=ClientSerializer(many=True),
)
@extend_schema(methods=["POST"], request=ClientInput, responses={201: ClientSerializer})
@endpoint(["GET", "POST"], Cap.DATA_VIEW)
def client_list(request):
    """People served in your jurisdiction; POST opens a file (needs data.edit)."""
    if request.method == "POST":
        if not request.user.can(Cap.DATA_EDIT):
            raise PermissionDenied
        data = validated(ClientInput, request)
        args = _client_args(request.user, data)
        args["categories"] = args["categories"] or []
        person = run_service(services.person_create, actor=request.user, **args)
        return Response(
            ClientSerializer(person, context={"user": request.user}).data, status=status.HTTP_201_CREATED
        )
    return PEOPLE.api(request, ClientSerializer)


@extend_schema(request=ClientInput, responses=ClientSerializer)
@endpoint(["GET", "PATCH"], Cap.DATA_VIEW)
def client_detail(request, pk: int):
    """One file (the view is written to the audit trail); PATCH changes it."""
    if request.method == "PATCH":
        person = selectors.person_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
        given = ClientInput(
            data={"name": person.name, "region": person.region_id, **request.data}, partial=True
        )
        given.is_valid(raise_exception=True)
        args = _client_args(
            request.user, {"name": person.name, "region": person.region_id, **given.validated_data}
        )
        args.pop("confirm_duplicates", None)
        person = run_service(services.person_update, actor=request.user, person=person, **args)
        return Response(ClientSerializer(person, context={"user": request.user}).data)
    person = selectors.person_get(user=request.user, pk=pk)
    audit_event(event=Event.VIEW, request=request, obj=person, detail={"via": "api"})
    return Response(ClientSerializer(person, context={"user": request.user}).data)


class VisitSerializer(VISIT.serializer()):
    # The fields of clients/inputs.py VISIT, and what a visit answers with.
    field_order = ("id", "person", "person_name", "visited_on", "mode", "visitor")
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.name", read_only=True)
    visitor = serializers.CharField(source="visitor.username", read_only=True)


VISIT_ANSWER = ("visited_on", "mode", "findings", "needs", "next_due", "person__name", "visitor__username")


@paginated
@extend_schema(
    methods=["GET"],
    parameters=[OpenApiParameter("person", int), OpenApiParameter("region", str)],
    responses=VisitSerializer(many=True),
)
@extend_schema(methods=["POST"], request=VisitSerializer, responses={201: VisitSerializer})
@endpoint(["GET", "POST"], Cap.DATA_VIEW)
def visit_list(request):
    """Visits in your jurisdiction; POST records one (the next visit defaults to the rule's date)."""
    if request.method == "POST":
        if not request.user.can(Cap.DATA_EDIT):
            raise PermissionDenied
        data = validated(VisitSerializer, request)
        person = selectors.person_get(user=request.user, pk=data.pop("person_id"), capability=Cap.DATA_EDIT)
        visit = run_service(services.visit_create, actor=request.user, person=person, **data)
        return created(VisitSerializer, visit)
    person = None
    person_id = request.query_params.get("person", "")
    if person_id.isdigit():
        person = selectors.person_get(user=request.user, pk=int(person_id))
    qs = selectors.visit_list(
        user=request.user, person=person, region=request.query_params.get("region", "")[:12]
    )
    # What the answer prints of the person and the visitor: a file has forty columns, three of them encrypted.
    qs = qs.select_related(None).select_related("person", "visitor").only(*VISIT_ANSWER)
    return page_of(request, qs, VisitSerializer)
