"""API of group work, community organisations, charitable resources, deliberation and the community
figures (GET /api/v1/stats/community/?region=). Same selectors as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.pagination import Pagination, paginated
from shegong.api.permissions import capability
from shegong.community import figures, selectors
from shegong.community.api import (
    DeliberationSerializer,
    DonationSerializer,
    FundSerializer,
    GroupSerializer,
    OrganisationSerializer,
    ProjectSerializer,
    _page,
)
from shegong.community.lists import DONATIONS, GROUPS, ORGANISATIONS
from shegong.lib.asof import AsOf, date_or_none, growth, year_before
from shegong.lib.lists import DATE_SCHEMA
from shegong.regions.selectors import region_get


@paginated
@extend_schema(
    parameters=GROUPS.api_parameters(),
    responses=GroupSerializer(many=True),
)
@api_view(["GET"])
@permission_classes([capability(Cap.DATA_VIEW)])
def group_list(request):
    return GROUPS.api(request, GroupSerializer)


@extend_schema(responses=dict)
@api_view(["GET"])
@permission_classes([capability(Cap.DATA_VIEW)])
def group_detail(request, pk: int):
    group = selectors.group_get(user=request.user, pk=pk)
    data = GroupSerializer(group).data
    data["members_on_file"] = group.members.count()
    data["sessions"] = [
        {
            "number": s.number,
            "held_on": s.held_on,
            "phase": s.phase,
            "attendance": s.attendance,
            "content": s.content,
        }
        for s in selectors.group_sessions(user=request.user, group=group)
    ]
    return Response(data)


@paginated
@extend_schema(
    parameters=ORGANISATIONS.api_parameters(),
    responses=OrganisationSerializer(many=True),
)
@api_view(["GET"])
@permission_classes([capability(Cap.DATA_VIEW)])
def organisation_list(request):
    return ORGANISATIONS.api(request, OrganisationSerializer)


@paginated
@extend_schema(
    parameters=DONATIONS.api_parameters(),
    responses=DonationSerializer(many=True),
)
@api_view(["GET"])
@permission_classes([capability(Cap.DATA_VIEW)])
def donation_list(request):
    return DONATIONS.api(request, DonationSerializer)


@paginated
@extend_schema(parameters=[OpenApiParameter("region", str)], responses=FundSerializer(many=True))
@api_view(["GET"])
@permission_classes([capability(Cap.DATA_VIEW)])
def fund_list(request):
    return _page(
        request,
        selectors.fund_list(user=request.user, region=request.query_params.get("region", "")[:12]),
        FundSerializer,
    )


@paginated
@extend_schema(
    parameters=[OpenApiParameter("region", str), OpenApiParameter("programme", str)],
    responses=ProjectSerializer(many=True),
)
@api_view(["GET"])
@permission_classes([capability(Cap.DATA_VIEW)])
def project_list(request):
    """Mutual-aid projects with the amount each matching rule gives them."""
    q = request.query_params
    area = selectors.area_for(user=request.user, region=q.get("region", ""))
    qs = selectors.project_list(
        user=request.user, region=area, programme=q.get("programme", ""), status=q.get("status", "")
    )
    rules = selectors.matching_rules(user=request.user, area=area)
    paginator = Pagination()
    page = paginator.paginate_queryset(qs, request)
    return paginator.get_paginated_response(ProjectSerializer(page, many=True, context={"rules": rules}).data)


@paginated
@extend_schema(
    parameters=[
        OpenApiParameter("region", str),
        OpenApiParameter("since", DATE_SCHEMA),
        OpenApiParameter("until", DATE_SCHEMA),
    ],
    responses=DeliberationSerializer(many=True),
)
@api_view(["GET"])
@permission_classes([capability(Cap.DATA_VIEW)])
def deliberation_list(request):
    q = request.query_params
    qs = selectors.deliberation_list(
        user=request.user,
        region=q.get("region", "")[:12],
        since=date_or_none(q.get("since", "")),
        until=date_or_none(q.get("until", "")),
    ).prefetch_related("issues")
    return _page(request, qs, DeliberationSerializer)


def _money(value) -> str:
    return str(value)


@extend_schema(
    parameters=[
        OpenApiParameter("region", str, description="division code (default: your jurisdiction)"),
        OpenApiParameter(
            "as_of", DATE_SCHEMA, description="YYYY-MM-DD: volunteers serving, organisations that day"
        ),
        OpenApiParameter("since", DATE_SCHEMA, description="YYYY-MM-DD, default 1 January of the as-of year"),
        OpenApiParameter("until", DATE_SCHEMA, description="YYYY-MM-DD, default the as-of day"),
    ],
    responses=dict,
)
@api_view(["GET"])
@permission_classes([capability(Cap.DATA_VIEW)])
def community_stats(request):
    """The community figures of a region: activities and beneficiaries by type and month, volunteers, teams,
    confirmed hours, points issued and redeemed, organisations, charitable money and goods by source, matching
    funds, deliberations and problems solved."""
    when = AsOf.from_request(request)
    q = request.query_params
    code = q.get("region", "")[:12]
    if code:
        region_get(user=request.user, code=code)  # 404 outside the jurisdiction
    area = selectors.area_for(user=request.user, region=code)
    since, until = when.since, when.until
    data = figures.community_figures(user=request.user, area=area, since=since, until=until, as_of=when.as_of)
    acts, vols, money = data["activities"], data["volunteers"], data["charity"]
    ago = figures.volunteer_figures(
        user=request.user,
        area=area,
        since=year_before(since),
        until=year_before(until),
        as_of=when.year_before,
    )
    orgs_ago = figures.organisation_figures(user=request.user, area=area, as_of=when.year_before)
    return Response(
        {
            "region": area,
            **when.stamp(),
            "year_before_figures": {
                "volunteers": ago["volunteers"],
                "new_volunteers": ago["new_volunteers"],
                "confirmed_hours": _money(ago["confirmed_hours"]),
                "organisations": orgs_ago["total"],
            },
            "growth": {
                "volunteers": growth(vols["volunteers"], ago["volunteers"]),
                "new_volunteers": growth(vols["new_volunteers"], ago["new_volunteers"]),
                "confirmed_hours": growth(vols["confirmed_hours"], ago["confirmed_hours"]),
                "organisations": growth(data["organisations"]["total"], orgs_ago["total"]),
            },
            "activities": {
                "held": acts["held"],
                "activities": acts["activities"],
                "group_sessions": acts["sessions"],
                "beneficiaries": acts["beneficiaries"],
                "person_times": acts["person_times"],
                "casework_person_times": figures.casework_person_times(
                    user=request.user, area=area, since=since, until=until
                ),
                "by_kind": [
                    {k: r[k] for k in ("kind", "n", "participants", "beneficiaries")} for r in acts["by_kind"]
                ],
                "by_month": acts["by_month"],
            },
            "volunteers": {**vols, "confirmed_hours": _money(vols["confirmed_hours"])},
            "organisations": {
                "total": data["organisations"]["total"],
                "by_status": {r["status"]: r["n"] for r in data["organisations"]["by_status"]},
                "by_region": [
                    {k: r[k] for k in ("code", "name", "n", "cultivating", "incubating", "filed")}
                    for r in data["organisations"]["by_region"]
                ],
            },
            "charity": {
                "donations": money["donations"],
                "cash": _money(money["cash"]),
                "goods": _money(money["goods"]),
                "by_source": [
                    {"source": r["kind"], "cash": _money(r["cash"]), "goods": _money(r["goods"]), "n": r["n"]}
                    for r in money["by_source"]
                ],
                "funds": money["funds"],
                "fund_balance": _money(money["fund_balance"]),
                "mutual_aid_projects": money["matching"]["projects"],
                "raised": _money(money["matching"]["raised"]),
                "matched": _money(money["matching"]["matched"]),
                "matched_by_rule": [
                    {
                        "rule": r["id"],
                        "name": r["name"],
                        "region": r["region"],
                        "amount": _money(r["matched"]),
                    }
                    for r in money["matching"]["by_rule"]
                ],
            },
            "deliberation": data["deliberation"],
        }
    )
