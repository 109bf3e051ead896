"""API of the community: volunteers (masked; the clear value only by the audited reveal), their ledger and
redemption, teams, activities with sign-ups and the moves of a sign-up, groups, organisations, donations,
funds, mutual-aid projects with their matching, deliberations, and GET /api/v1/stats/community/?region=.
The same selectors and services as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
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
    run_service,
    validated,
)
from shegong.api.errors import service_errors
from shegong.api.pagination import page_of, paginated
from shegong.api.serializers import MaskedPersonSerializer, Shown
from shegong.community import charity, points, selectors, services, volunteers
from shegong.community.inputs import ACTIVITY, TEAM, VOLUNTEER
from shegong.community.lists import ACTIVITIES, TEAMS, VOLUNTEERS
from shegong.community.models import (
    Activity,
    CharityFund,
    Deliberation,
    Donation,
    MutualAidProject,
    Organisation,
    PointEntry,
    SignUp,
    Team,
    Volunteer,
    WorkGroup,
)
from shegong.lib.guard import require
from shegong.network.selectors import station_choices
from shegong.regions.selectors import region_find


class VolunteerSerializer(MaskedPersonSerializer):
    class Meta:
        model = Volunteer
        fields = (*MaskedPersonSerializer.Meta.fields, "station", "skills", "status", "registered_on")
        fields += ("points_balance",)


VolunteerInput = VOLUNTEER.serializer("VolunteerInput")  # the fields of community/inputs.py VOLUNTEER


class EntrySerializer(Shown):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)

    class Meta:
        model = PointEntry
        fields = ("id", "kind", "points", "balance_after", "reason", "actor", "created_at")


class RedeemInput(serializers.Serializer):
    item = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1, max_value=100, default=1)


class TeamSerializer(Shown):
    station_name = serializers.CharField(source="station.name")
    members = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ("id", "name", "station", "station_name", "leader", "members", "founded_on", "focus")

    def get_members(self, obj) -> int:
        # Counted in the list (team_list's annotation); one team written or read counts its own.
        return obj.n_members if hasattr(obj, "n_members") else obj.members.count()


TeamInput = TEAM.serializer("TeamInput")  # the fields of community/inputs.py TEAM


class ActivitySerializer(Shown):
    station_name = serializers.CharField(source="station.name")

    class Meta:
        model = Activity
        fields = ("id", "title", "kind", "station", "station_name", "held_on", "starts_at", "ends_at")
        fields += ("place", "organisers", "partners", "participants", "beneficiaries", "volunteers_wanted")
        fields += ("summary",)


ActivityInput = ACTIVITY.serializer("ActivityInput")  # the fields of community/inputs.py ACTIVITY


class SignUpSerializer(Shown):
    volunteer_name = serializers.CharField(source="volunteer.name")

    class Meta:
        model = SignUp
        fields = ("id", "activity", "volunteer", "volunteer_name", "status", "checked_in_at")
        fields += ("checked_out_at", "hours", "confirmed_hours", "points")


class SignUpInput(serializers.Serializer):
    volunteer = serializers.IntegerField()


class MoveInput(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)


class GroupSerializer(Shown):
    sessions_held = serializers.IntegerField(source="n_sessions", required=False)

    class Meta:
        model = WorkGroup
        fields = ("id", "name", "kind", "station", "phase", "aim", "planned_sessions", "sessions_held")
        fields += ("other_members", "started_on", "ended_on")


class OrganisationSerializer(Shown):
    class Meta:
        model = Organisation
        fields = ("id", "name", "kind", "status", "status_since", "region", "station", "founded_on")
        fields += ("members", "credit_code")


class FundSerializer(Shown):
    class Meta:
        model = CharityFund
        fields = ("id", "name", "region", "established_on", "balance", "purpose")


class DonationSerializer(Shown):
    class Meta:
        model = Donation
        fields = ("id", "station", "donor", "donor_kind", "form", "value", "items", "received_on")
        fields += ("beneficiaries", "beneficiary_count", "fund")


# Its own name in the schema: /api/v1/projects/ answers the purchased-service ProjectSerializer.
@extend_schema_serializer(component_name="MutualAidProject")
class ProjectSerializer(Shown):
    matched = serializers.SerializerMethodField()

    class Meta:
        model = MutualAidProject
        fields = ("id", "name", "programme", "region", "target", "raised", "started_on", "status", "matched")

    def get_matched(self, obj) -> list[dict]:
        """What each rule of the project's village and the levels above matches: the rules of the whole page
        are read at once."""
        page = self.root.instance if self.root is not self else [obj]
        if obj.pk not in self.root.__dict__.setdefault("_matched", {}):
            self.root._matched.update(charity.matched_by_rule(page))
        return [
            {"rule": rule.pk, "name": rule.name, "amount": str(amount)}
            for rule, amount in self.root._matched[obj.pk]
        ]


class DeliberationSerializer(Shown):
    issues = serializers.SerializerMethodField()

    class Meta:
        model = Deliberation
        fields = ("id", "region", "held_on", "topic", "participants", "decisions", "issues")

    def get_issues(self, obj) -> list[dict]:
        return [
            {"id": i.pk, "description": i.description, "status": i.status, "outcome": i.outcome}
            for i in obj.issues.all()
        ]


# --- Volunteers ---------------------------------------------------------------------------------------


def _volunteer_post(request):
    require(request.user, Cap.DATA_EDIT)
    data = validated(VolunteerInput, request)
    region = region_find(user=request.user, code=data["region"], levels=(4, 5))
    if region is None:
        raise ApiValidationError(
            {"region": [_("No township, village or community with this code in your jurisdiction.")]}
        )
    station = None
    if data.get("station"):
        station = chosen(station_choices(user=request.user), data["station"])
    with service_errors():
        values = volunteers.volunteer_parse(data)
        volunteer = volunteers.volunteer_create(
            actor=request.user,
            values=values,
            region=region,
            station=station,
            registered_on=data.get("registered_on"),
        )
    return volunteer


volunteer_list = list_endpoint(
    VOLUNTEERS,
    VolunteerSerializer,
    "Volunteers registered in your jurisdiction (ID numbers and phones masked); POST registers one.",
    create=(VolunteerInput, _volunteer_post),
)


volunteer_detail = detail_endpoint(selectors.volunteer_get, VolunteerSerializer)


@paginated
@extend_schema(responses=EntrySerializer(many=True))
@endpoint(["GET"], Cap.DATA_VIEW)
def volunteer_ledger(request, pk: int):
    """The volunteer's points ledger, newest first; the balance is the sum of its lines."""
    volunteer = selectors.volunteer_get(user=request.user, pk=pk)
    return page_of(
        request, selectors.volunteer_ledger(user=request.user, volunteer=volunteer), EntrySerializer
    )


@extend_schema(request=RedeemInput, responses={201: dict})
@endpoint(["POST"], Cap.DATA_EDIT)
def volunteer_redeem(request, pk: int):
    """Redeem points for a catalogue item; refused beyond the balance or the stock (400 with the reason)."""
    volunteer = selectors.volunteer_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    data = validated(RedeemInput, request)
    item = (
        selectors.catalogue_for_volunteer(user=request.user, volunteer=volunteer)
        .filter(pk=data["item"])
        .first()
    )
    if item is None:
        raise ApiValidationError({"item": [_("This item is not offered where the volunteer is registered.")]})
    redemption = run_service(
        points.redemption_create,
        actor=request.user,
        volunteer=volunteer,
        item=item,
        quantity=data["quantity"],
    )
    return Response(
        {"id": redemption.pk, "points": redemption.points, "balance": volunteer.points_balance},
        status=status.HTTP_201_CREATED,
    )


def station_given(request, data: dict) -> dict:
    """The input ``data`` with the station's id it gives (if any) replaced by the station: one of the
    jurisdiction's (``station_choices``, the page's list), else 400 on the field."""
    if "station" not in data:
        return data
    return {**data, "station": chosen(station_choices(user=request.user), data["station"])}


def _team_post(request):
    require(request.user, Cap.DATA_EDIT)
    data = station_given(request, validated(TeamInput, request))
    return run_service(volunteers.team_create, actor=request.user, **data)


def _team_change(request, team, given: dict):
    return services.station_record_update(actor=request.user, record=team, **station_given(request, given))


team_list = list_endpoint(
    TEAMS,
    TeamSerializer,
    "Volunteer teams of the stations in your jurisdiction; POST sets one up.",
    create=(TeamInput, _team_post),
)

team_detail = detail_endpoint(
    selectors.team_get,
    TeamSerializer,
    "One volunteer team; PATCH changes the fields given.",
    update=(TeamInput, _team_change),
)


# --- Activities and sign-ups -----------------------------------------------------------------------------


def _activity_post(request):
    require(request.user, Cap.DATA_EDIT)
    data = validated(ActivityInput, request)
    station = chosen(station_choices(user=request.user), data.pop("station"))
    if data.get("organisation") is not None:  # the page's list: the organisations of the jurisdiction
        organisations = selectors.organisation_choices(user=request.user)
        refusal = _("No such organisation in your jurisdiction.")
        data["organisation"] = chosen(organisations, data["organisation"], "organisation", refusal)
    return run_service(services.activity_create, actor=request.user, station=station, **data)


activity_list = list_endpoint(
    ACTIVITIES,
    ActivitySerializer,
    "Community activities of the stations in your jurisdiction; POST records one.",
    create=(ActivityInput, _activity_post),
)


activity_detail = detail_endpoint(selectors.activity_get, ActivitySerializer)


@extend_schema(methods=["GET"], responses=SignUpSerializer(many=True))
@extend_schema(methods=["POST"], request=SignUpInput, responses={201: SignUpSerializer})
@endpoint(["GET", "POST"], Cap.DATA_VIEW)
def activity_signups(request, pk: int):
    """The volunteers signed up for an activity; POST signs one up."""
    activity = selectors.activity_get(user=request.user, pk=pk)
    if request.method == "POST":
        require(request.user, Cap.DATA_EDIT)
        activity = selectors.activity_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
        data = validated(SignUpInput, request)
        volunteer = selectors.volunteer_get(user=request.user, pk=data["volunteer"], capability=Cap.DATA_EDIT)
        signup = run_service(
            volunteers.signup_create, actor=request.user, activity=activity, volunteer=volunteer
        )
        return created(SignUpSerializer, signup)
    return Response(
        SignUpSerializer(selectors.activity_signups(user=request.user, activity=activity), many=True).data
    )


MOVES = {
    "check-in": volunteers.signup_check_in,
    "check-out": volunteers.signup_check_out,
    "cancel": volunteers.signup_cancel,
}


@extend_schema(request=MoveInput, responses=SignUpSerializer)
@endpoint(["POST"], Cap.DATA_EDIT)
def signup_move(request, pk: int, action: str):
    """check-in, check-out, confirm (with ``hours``, default the hours on record) or cancel a sign-up."""
    if action not in (*MOVES, "confirm"):
        raise Http404
    signup = selectors.signup_get(user=request.user, pk=pk)
    data = validated(MoveInput, request)
    with service_errors():
        if action == "confirm":
            volunteers.signup_confirm(actor=request.user, signup=signup, hours=data.get("hours"))
        else:
            MOVES[action](actor=request.user, signup=signup)
    return Response(SignUpSerializer(signup).data)
