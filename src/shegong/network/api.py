"""REST API of the station network: /api/v1/stations/ and /api/v1/stats/coverage/.

The same selectors and services as the pages: scoping, the status table and facility_validate apply alike.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.endpoints import (
    BASE_YEAR,
    endpoint,
    list_endpoint,
    region_code_asked,
    validated,
)
from shegong.api.errors import service_errors
from shegong.api.serializers import FiguresByDivision
from shegong.lib.asof import AsOf, compare
from shegong.lib.guard import require
from shegong.network import selectors, services
from shegong.network.coverage import network_figures
from shegong.network.inputs import FACILITY
from shegong.network.lists import FACILITIES
from shegong.network.models import FacilityStatus
from shegong.regions.selectors import region_find


class StationSerializer(FACILITY.serializer("StationSerializerFields")):
    # A facility as the API lists it and takes it (POST): the fields of network/inputs.py FACILITY, and the
    # division's code, the labels and the present status's date, in the order the API has always listed them.
    field_order = (
        "id",
        "kind",
        "kind_label",
        "region",
        "region_name",
        "name",
        "status",
        "status_label",
        "status_since",
        "status_date",
        "built_on",
    )
    id = serializers.IntegerField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region = serializers.CharField(source="region_id", max_length=12)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    status_since = serializers.DateField(read_only=True)


class StatusMoveSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=FacilityStatus.choices)
    on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _station_post(request):
    require(request.user, Cap.NETWORK_MANAGE)
    values = validated(StationSerializer, request)
    code = values.pop("region_id")
    region = region_find(user=request.user, code=code, capability=Cap.NETWORK_MANAGE)
    if region is None:
        raise exceptions.ValidationError(
            {"region": [_("No division %(code)s in your jurisdiction.") % {"code": code}]}
        )
    with service_errors({"status_since": "status_date"}):
        facility = services.facility_create(
            actor=request.user,
            region=region,
            kind=values.pop("kind"),
            name=values.pop("name"),
            status=values.pop("status"),
            status_date=values.pop("status_date", None),
            **values,
        )
    return facility


station_list = list_endpoint(
    FACILITIES,
    StationSerializer,
    "Facilities in your jurisdiction (GET, filtered), or register one (POST; administrators).",
    create=(StationSerializer, _station_post),
)


@extend_schema(methods=["GET"], responses=StationSerializer)
@extend_schema(methods=["PATCH"], request=StationSerializer, responses=StationSerializer)
@endpoint(["GET", "PATCH"], Cap.DATA_VIEW)
def station_detail(request, pk: int):
    """One facility (GET), or change its details (PATCH; not kind, division or status)."""
    if request.method == "GET":
        return Response(StationSerializer(selectors.facility_get(user=request.user, pk=pk)).data)
    require(request.user, Cap.DATA_EDIT)
    facility = selectors.facility_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    data = StationSerializer(facility, data=request.data, partial=True)
    data.is_valid(raise_exception=True)
    changes = dict(data.validated_data)
    fixed = {"kind", "region_id", "status", "status_date", "built_on"} & set(changes)
    if fixed:
        raise exceptions.ValidationError(
            {
                ("region" if field == "region_id" else field): [
                    _("This field cannot be changed here; status moves go to …/status/.")
                ]
                for field in sorted(fixed)
            }
        )
    with service_errors({"status_since": "status_date"}):
        services.facility_update(actor=request.user, facility=facility, **changes)
    return Response(StationSerializer(facility).data)


@extend_schema(
    request=StatusMoveSerializer,
    responses={200: StationSerializer},
)
@endpoint(["POST"], Cap.NETWORK_MANAGE)
def station_status(request, pk: int):
    """Move a facility's status along the allowed transitions (planned → building → built → operating ⇄
    suspended; closed from any state but closed)."""
    facility = selectors.facility_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)
    data = StatusMoveSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    with service_errors({"status_since": "status_date"}):
        services.facility_change_status(
            actor=request.user,
            facility=facility,
            to_status=data.validated_data["to_status"],
            on=data.validated_data.get("on"),
            note=data.validated_data.get("note", ""),
        )
    return Response(StationSerializer(selectors.facility_get(user=request.user, pk=pk)).data)


class CoverageSerializer(FiguresByDivision):
    scope = serializers.DictField()
    premises = serializers.ListField(child=serializers.DictField())
    operating_modes = serializers.ListField(child=serializers.DictField())
    year_before = serializers.DictField()
    growth = serializers.DictField()


@extend_schema(
    parameters=[
        OpenApiParameter("region", str, description="division code; default your jurisdiction"),
        OpenApiParameter(
            "as_of", str, description="YYYY-MM-DD: the network as it stood that day; default today"
        ),
        BASE_YEAR,
    ],
    responses=CoverageSerializer,
)
@endpoint(["GET"], Cap.DATA_VIEW)
def coverage(request):
    """The dashboard's figures for a region and each of its child regions, ranked by township coverage, as of
    a day (``as_of``), with the same day a year before and the growth since (and against ``base_year``)."""
    when = AsOf.from_request(request)
    code = region_code_asked(request)
    region = selectors.network_region_get(user=request.user, code=code)
    figures = network_figures(user=request.user, region=region, as_of=when.as_of)
    now = figures.total.as_dict()
    body = {
        **when.stamp(),
        "region": now,
        "children": [child.as_dict() for child in figures.children],
        **_attributes(request.user, region, when.as_of),
    }
    for key, day in (("year_before", when.year_before), ("base", when.base_date)):
        if day is None:
            continue
        then = network_figures(user=request.user, region=region, as_of=day).total.as_dict()
        body[key] = {"as_of": day.isoformat(), "region": then, "growth": compare(now, then, GROWTH_KEYS)}
    body["growth"] = body["year_before"]["growth"]
    return Response(body)


def _attributes(user, region, as_of) -> dict:
    """The coverage scope (townships in scope, excluded, and why) and the built township stations by premises
    (independent / shared) and by operating mode, as of the day: the figures beside coverage (issue 17). The
    facilities by kind and status are the region's ``counts``."""

    def split(field):
        return [
            {"value": row["value"], "n": row["n"], "share": row["share"]}
            for row in selectors.premises_split(user=user, region=region, field=field, as_of=as_of)
        ]

    scope = selectors.scope_summary(user=user, region=region, as_of=as_of)
    return {
        "scope": {
            "townships": scope["townships"],
            "in_scope": scope["in_scope"],
            "excluded": scope["excluded"],
            "reasons": [{"reason": r["scope_reason"], "n": r["n"]} for r in scope["reasons"]],
        },
        "premises": split("premises"),
        "operating_modes": split("operating_mode"),
    }


# The counts of the network whose growth (同比) an answer states.
GROWTH_KEYS = (
    "townships_covered",
    "stations_built",
    "stations_operating",
    "villages_with_room",
    "demonstration_stations",
)
