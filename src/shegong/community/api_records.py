"""API of group work, community organisations, charitable resources, deliberation and the community
figures (GET /api/v1/stats/community/?region=). Same selectors as the pages."""

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.endpoints import (
    chosen,
    created,
    detail_endpoint,
    endpoint,
    list_endpoint,
    period_figures,
    run_service,
    validated,
)
from shegong.api.errors import service_errors
from shegong.api.pagination import page_of, paginated
from shegong.api.serializers import Shown
from shegong.community import charity, figures, selectors, services
from shegong.community.api import (
    DeliberationSerializer,
    DonationSerializer,
    FundSerializer,
    GroupSerializer,
    OrganisationSerializer,
    ProjectSerializer,
    station_given,
)
from shegong.community.inputs import DELIBERATION, GROUP, ISSUE
from shegong.community.lists import DONATIONS, GROUPS, MATCHING_PAYMENTS, ORGANISATIONS, PROJECTS
from shegong.community.models import GroupSession, MatchingPayment, MatchingRule
from shegong.lib.asof import AsOf, date_or_none, growth, year_before
from shegong.lib.guard import require
from shegong.lib.lists import DATE_SCHEMA
from shegong.regions.models import Level
from shegong.regions.picker import region_chosen
from shegong.regions.selectors import region_find, region_get


class GroupSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroupSession
        fields = ("number", "held_on", "phase", "attendance", "content")


class GroupDetailSerializer(GroupSerializer):
    members_on_file = serializers.IntegerField()
    sessions = GroupSessionSerializer(many=True, source="session_list")

    class Meta(GroupSerializer.Meta):
        fields = (*GroupSerializer.Meta.fields, "members_on_file", "sessions")


GroupInput = GROUP.serializer("GroupInput")  # the fields of community/inputs.py GROUP


def _group_post(request):
    require(request.user, Cap.DATA_EDIT)
    data = station_given(request, validated(GroupInput, request))
    return _group_read(
        user=request.user, pk=run_service(services.group_create, actor=request.user, **data).pk
    )


def _group_change(request, group, given: dict):
    services.station_record_update(actor=request.user, record=group, **station_given(request, given))
    return _group_read(user=request.user, pk=group.pk)


def _group_read(*, user, pk, capability=Cap.DATA_VIEW):
    """One group with its members on file and its sessions."""
    group = selectors.group_get(user=user, pk=pk, capability=capability)
    group.members_on_file = group.members.count()
    group.session_list = list(selectors.group_sessions(user=user, group=group))
    group.n_sessions = len(group.session_list)
    return group


group_list = list_endpoint(
    GROUPS,
    GroupSerializer,
    "Groups of the stations in your jurisdiction; POST starts one.",
    create=(GroupInput, _group_post),
)

group_detail = detail_endpoint(
    _group_read,
    GroupDetailSerializer,
    "One group with its members on file and its sessions; PATCH changes the fields given.",
    update=(GroupInput, _group_change),
)


organisation_list = list_endpoint(ORGANISATIONS, OrganisationSerializer)


donation_list = list_endpoint(DONATIONS, DonationSerializer)


@paginated
@extend_schema(parameters=[OpenApiParameter("region", str)], responses=FundSerializer(many=True))
@endpoint(["GET"], Cap.DATA_VIEW)
def fund_list(request):
    return page_of(
        request,
        selectors.fund_list(user=request.user, region=request.query_params.get("region", "")[:12]),
        FundSerializer,
    )


class MatchingPaymentSerializer(Shown):
    project_name = serializers.CharField(source="project.name")
    region = serializers.CharField(source="project.region_id")
    rule_name = serializers.CharField(source="rule.name", default=None)
    suggested = serializers.SerializerMethodField(help_text="what the rule's share gives the project (yuan)")

    class Meta:
        model = MatchingPayment
        fields = ("id", "project", "project_name", "region", "funder", "amount", "paid_on", "rule")
        fields += ("rule_name", "suggested", "reference", "note")

    def get_suggested(self, obj) -> str | None:
        return str(charity.matching_for(obj.project, obj.rule)) if obj.rule_id else None


class MatchingPaymentInput(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    funder = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = serializers.DateField()
    rule = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _matching_payment_post(request):
    require(request.user, Cap.DATA_EDIT)
    data = validated(MatchingPaymentInput, request)
    projects = selectors.project_list(user=request.user)
    project = chosen(projects, data.pop("project"), "project", _("No such project in your jurisdiction."))
    rule = None
    if data.get("rule"):
        rules = {r.pk: r for r in selectors.matching_rules(user=request.user, area=project.region_id)}
        rule = rules.get(data["rule"])
        if rule is None:
            raise ApiValidationError({"rule": [_("No such matching rule for this project.")]})
    data.pop("rule", None)
    return run_service(
        charity.matching_payment_record, actor=request.user, project=project, rule=rule, **data
    )


matching_payment_list = list_endpoint(
    MATCHING_PAYMENTS,
    MatchingPaymentSerializer,
    "Matching money actually paid to the mutual-aid projects of your jurisdiction, per project and funder,\n"
    "beside the rule that suggested it (``suggested``: the rule's share); POST records a payment.",
    create=(MatchingPaymentInput, _matching_payment_post),
)


class MatchingRuleSerializer(Shown):
    used = serializers.SerializerMethodField(
        help_text="a payment was recorded under it: no longer correctable"
    )

    class Meta:
        model = MatchingRule
        fields = ("id", "region", "name", "programme", "percent", "cap", "valid_from", "valid_until", "used")

    def get_used(self, obj) -> bool:
        return charity.rule_used(obj)


class MatchingRuleInput(serializers.Serializer):
    region = serializers.CharField(max_length=12)
    name = serializers.CharField(max_length=100)
    programme = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100")
    )
    cap = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False, allow_null=True
    )
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)


class MatchingRuleCorrection(MatchingRuleInput):
    region = None  # a rule stays at its level; a rule for another level is a new rule

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


@extend_schema(
    methods=["GET"], parameters=[OpenApiParameter("region", str)], responses=MatchingRuleSerializer(many=True)
)
@extend_schema(methods=["POST"], request=MatchingRuleInput, responses={201: MatchingRuleSerializer})
@endpoint(["GET", "POST"], Cap.DATA_VIEW)
def matching_rule_list(request):
    """The matching rules that bear on a region (the levels above it, its own, those inside it); POST sets one
    for a region of your jurisdiction (an administrator)."""
    if request.method == "POST":
        require(request.user, Cap.COMMUNITY_CONFIGURE)
        data = validated(MatchingRuleInput, request)
        region = region_find(user=request.user, code=data.pop("region"), capability=Cap.COMMUNITY_CONFIGURE)
        if region is None:
            raise ApiValidationError({"region": [_("Choose a division in your jurisdiction.")]})
        rule = run_service(charity.matching_rule_create, actor=request.user, region=region, **data)
        return created(MatchingRuleSerializer, rule)
    area = selectors.area_for(user=request.user, region=request.query_params.get("region", ""))
    rules = selectors.matching_rules(user=request.user, area=area)
    return Response(MatchingRuleSerializer(rules, many=True).data)


@extend_schema(methods=["GET"], responses=MatchingRuleSerializer)
@extend_schema(methods=["PATCH"], request=MatchingRuleCorrection, responses=MatchingRuleSerializer)
@extend_schema(methods=["DELETE"], responses={204: None})
@endpoint(["GET", "PATCH", "DELETE"], Cap.COMMUNITY_CONFIGURE)
def matching_rule_detail(request, pk: int):
    """One rule of your jurisdiction. PATCH corrects it and DELETE removes it while no payment has used it (the
    audit trail keeps each correction: field, old and new value, who); a used rule answers 400 and stays."""
    if request.method == "GET":  # any rule the list shows, the levels above included
        return Response(MatchingRuleSerializer(selectors.matching_rule_read(user=request.user, pk=pk)).data)
    rule = selectors.matching_rule_get(user=request.user, pk=pk)
    return _matching_rule_change(request, rule)  # the token's account is the audit's actor (api/auth.py)


def _matching_rule_change(request, rule):
    with service_errors():
        if request.method == "DELETE":
            charity.matching_rule_delete(actor=request.user, rule=rule)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = validated(MatchingRuleCorrection, request)
        rule = charity.matching_rule_update(actor=request.user, rule=rule, **data)
    return Response(MatchingRuleSerializer(rule).data)


project_list = list_endpoint(
    PROJECTS,
    ProjectSerializer,
    "Mutual-aid projects with the amount each matching rule of their village and the "
    "levels above gives them.",
)


class DeliberationInput(DELIBERATION.serializer()):  # the fields of community/inputs.py DELIBERATION
    # A meeting: its fields and the problems raised at it, each as the page's box takes a line. Left out of a
    # PATCH, the problems stay as they are; given, they become those listed (services.deliberation_update).
    issues = serializers.ListField(
        child=serializers.CharField(max_length=ISSUE.limits("description").max_length),
        required=False,
        default=list,
    )


def _deliberation_post(request):
    require(request.user, Cap.DATA_EDIT)
    return run_service(_deliberation_write, request, None, validated(DeliberationInput, request))


def _deliberation_write(request, meeting, given: dict):
    """Record a meeting (``meeting`` None) or change one: the village or community given, in the jurisdiction
    (left out of a PATCH, it stays)."""
    if meeting is None or "region" in given:
        region = region_chosen(
            user=request.user,
            data=given,
            field="region",
            levels=(Level.TOWNSHIP, Level.VILLAGE),
            message=_("No township, village or community with this code in your jurisdiction."),
        )
        given = {**given, "region": region}
    if meeting is None:
        return services.deliberation_create(actor=request.user, **given)
    return services.deliberation_update(actor=request.user, meeting=meeting, **given)


deliberation_detail = detail_endpoint(
    selectors.deliberation_get,
    DeliberationSerializer,
    "One deliberation meeting with the problems raised at it; PATCH changes the fields given (the problems "
    "given become those listed).",
    update=(DeliberationInput, _deliberation_write),
)


@paginated
@extend_schema(
    methods=["GET"],
    parameters=[
        OpenApiParameter("region", str),
        OpenApiParameter("since", DATE_SCHEMA),
        OpenApiParameter("until", DATE_SCHEMA),
    ],
    responses=DeliberationSerializer(many=True),
)
@extend_schema(methods=["POST"], request=DeliberationInput, responses={201: DeliberationSerializer})
@endpoint(["GET", "POST"], Cap.DATA_VIEW)
def deliberation_list(request):
    """Deliberation meetings in your jurisdiction (GET); POST records one with the problems raised at it."""
    if request.method == "POST":
        return created(DeliberationSerializer, _deliberation_post(request))
    q = request.query_params
    qs = selectors.deliberation_list(
        user=request.user,
        region=q.get("region", "")[:12],
        since=date_or_none(q.get("since", "")),
        until=date_or_none(q.get("until", "")),
    ).prefetch_related("issues")
    return page_of(request, qs, DeliberationSerializer)


def _money(value) -> str:
    return str(value)


def _activities_json(acts: dict, casework_person_times) -> dict:
    return {
        "held": acts["held"],
        "activities": acts["activities"],
        "group_sessions": acts["sessions"],
        "beneficiaries": acts["beneficiaries"],
        "person_times": acts["person_times"],
        "casework_person_times": casework_person_times,
        "by_kind": [
            {k: r[k] for k in ("kind", "n", "participants", "beneficiaries")} for r in acts["by_kind"]
        ],
        "by_month": acts["by_month"],
    }


def _organisations_json(orgs: dict) -> dict:
    return {
        "total": orgs["total"],
        "by_status": {r["status"]: r["n"] for r in orgs["by_status"]},
        "by_region": [
            {k: r[k] for k in ("code", "name", "n", "cultivating", "incubating", "filed")}
            for r in orgs["by_region"]
        ],
    }


def _charity_json(money: dict) -> dict:
    return {
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
            {"rule": r["id"], "name": r["name"], "region": r["region"], "amount": _money(r["matched"])}
            for r in money["matching"]["by_rule"]
        ],
    }


def _year_before_json(now: dict, organisations: int, ago: dict, organisations_ago: int) -> dict:
    """The year-before figures and the growth over them."""
    keys = ("volunteers", "new_volunteers", "confirmed_hours")
    return {
        "year_before_figures": {
            "volunteers": ago["volunteers"],
            "new_volunteers": ago["new_volunteers"],
            "confirmed_hours": _money(ago["confirmed_hours"]),
            "organisations": organisations_ago,
        },
        "growth": {
            **{key: growth(now[key], ago[key]) for key in keys},
            "organisations": growth(organisations, organisations_ago),
        },
    }


@extend_schema(
    parameters=period_figures("volunteers serving, organisations that day"),
    responses=dict,
)
@endpoint(["GET"], Cap.DATA_VIEW)
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
    casework = figures.casework_person_times(user=request.user, area=area, since=since, until=until)
    return Response(
        {
            "region": area,
            **when.stamp(),
            **_year_before_json(vols, data["organisations"]["total"], ago, orgs_ago["total"]),
            "activities": _activities_json(acts, casework),
            "volunteers": {**vols, "confirmed_hours": _money(vols["confirmed_hours"])},
            "organisations": _organisations_json(data["organisations"]),
            "charity": _charity_json(money),
            "deliberation": data["deliberation"],
        }
    )
