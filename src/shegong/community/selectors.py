"""Reads of community data, always through the user's scope (lib/scoping.py): out of jurisdiction is 404."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shegong.accounts.roles import Cap
from shegong.community.charity import rules_for_area
from shegong.community.models import (
    Activity,
    ActivityPhoto,
    CatalogueItem,
    CharityFund,
    Deliberation,
    DeliberationIssue,
    Donation,
    FundEntry,
    GroupSession,
    MatchingPayment,
    MatchingRule,
    MutualAidProject,
    Organisation,
    PointEntry,
    PointRule,
    SignUp,
    SignUpStatus,
    Team,
    Volunteer,
    WorkGroup,
)
from shegong.lib.pii import by_lookup_hash, hash_in
from shegong.lib.scoping import (
    applies_q,
    applying_to_user,
    area_of,
    get_scoped_or_404,
    in_region,
    narrowed,
    scope_to_user,
)


def area_for(*, user, region: str = "") -> str:
    """The division code a page covers: the region asked for (404 outside the jurisdiction), else the user's
    own (lib/scoping.py area_of)."""
    return area_of(user, region)


# --- Volunteers -----------------------------------------------------------------------------------------


def volunteer_search(term: str) -> Q:
    compact = term.replace(" ", "").upper()
    if len(compact) == 18 and compact[:17].isdigit():
        return hash_in("id_number_hash", compact)
    if compact.isdigit() and 7 <= len(compact) <= 12:
        return hash_in("phone_hash", compact)
    if len(compact) == 4 and compact[:3].isdigit():
        return Q(id_number_last4=compact) | Q(phone_last4=compact)
    return Q(name__contains=term.strip())


def volunteer_list(
    *,
    user,
    search: str = "",
    region: str = "",
    status: str = "",
    team: int | None = None,
    capability: str = Cap.DATA_VIEW,
) -> QuerySet:
    qs = scope_to_user(Volunteer.objects.select_related("region", "station"), user, capability)
    qs = in_region(qs, user, "region_id", region)
    if search:
        qs = qs.filter(volunteer_search(search[:40]))
    qs = narrowed(qs, status=status, teams=team)
    return qs.order_by("region_id", "name", "id")


def volunteer_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Volunteer:
    return get_scoped_or_404(Volunteer.objects.select_related("region", "station"), user, capability, pk=pk)


def volunteers_by_id_number(
    *, user, id_numbers, capability: str = Cap.DATA_EDIT, only: tuple[str, ...] = ()
) -> dict[str, Volunteer]:
    """Volunteers in scope by ID number, keyed by the number's current lookup hash (for imports). ``only``: the
    fields the caller reads (an import of 100,000 hours needs neither the clear ID numbers nor the phones)."""
    qs = Volunteer.objects.all()
    if only:
        qs = qs.only("id_number_hash", *only)
    return by_lookup_hash(scope_to_user(qs, user, capability), "id_number_hash", id_numbers)


def volunteer_ledger(*, user, volunteer: Volunteer) -> QuerySet:
    return (
        scope_to_user(PointEntry.objects.filter(volunteer=volunteer), user)
        .select_related("actor")
        .order_by("-id")
    )


def volunteer_signups(*, user, volunteer: Volunteer) -> QuerySet:
    """The volunteer's sign-ups at activities the user may see (an activity in another county stays hidden)."""
    return (
        scope_to_user(SignUp.objects.filter(volunteer=volunteer), user)
        .select_related("activity", "activity__station")
        .order_by("-activity__held_on", "-id")
    )


def volunteer_confirmed(*, user, volunteer: Volunteer, since: dt.date, until: dt.date) -> QuerySet:
    """Confirmed hours of a volunteer in a period, wherever the activity was held: the hours certificate
    speaks for the volunteer's whole record, and the volunteer's file is in the user's jurisdiction."""
    return (
        SignUp.objects.filter(
            volunteer=volunteer,
            status=SignUpStatus.CONFIRMED,
            activity__held_on__gte=since,
            activity__held_on__lte=until,
        )
        .select_related("activity", "activity__station")
        .order_by("activity__held_on", "id")
    )


def catalogue_for(*, user, region: str = "", active_only: bool = False) -> QuerySet:
    """Catalogue items of the regions above the user's jurisdiction, of it and of the regions inside it."""
    code = region or user.jurisdiction_code
    if not user.can(Cap.DATA_VIEW):
        return CatalogueItem.objects.none()
    qs = CatalogueItem.objects.select_related("region")
    if code:
        qs = qs.filter(applies_q("region_id", code, inside=True))
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("points", "name")


def catalogue_for_volunteer(*, user, volunteer: Volunteer) -> QuerySet:
    """What the volunteer may redeem: active items of their registration region and the regions above it."""
    if not user.can(Cap.DATA_VIEW):
        return CatalogueItem.objects.none()
    return CatalogueItem.objects.filter(applies_q("region_id", volunteer.region_id), active=True).order_by(
        "points", "name"
    )


def catalogue_item_get(*, user, pk, capability: str = Cap.COMMUNITY_CONFIGURE) -> CatalogueItem:
    return get_scoped_or_404(CatalogueItem.objects.all(), user, capability, pk=pk)


def point_rules(*, user) -> QuerySet:
    """The rules that apply in the user's jurisdiction: those above it, its own and those inside it."""
    return applying_to_user(PointRule.objects.select_related("region"), user).order_by("region_id")


def points_entries(*, user, region: str = "", kind: str = "", since=None, until=None) -> QuerySet:
    qs = scope_to_user(PointEntry.objects.select_related("volunteer", "actor"), user)
    qs = in_region(qs, user, "volunteer__region_id", region)
    qs = narrowed(qs, kind=kind, created_at__date__gte=since, created_at__date__lte=until)
    return qs.order_by("-id")


# --- Teams ----------------------------------------------------------------------------------------------


def team_list(*, user, region: str = "") -> QuerySet:
    qs = scope_to_user(Team.objects.select_related("station", "leader"), user)
    return (
        in_region(qs, user, "station__region_id", region)
        .annotate(n_members=Count("members"))
        .order_by("station__region_id", "name")
    )


def team_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Team:
    return get_scoped_or_404(Team.objects.select_related("station", "leader"), user, capability, pk=pk)


def team_members(*, user, team: Team) -> QuerySet:
    return scope_to_user(team.members.all(), user).select_related("region")


# --- Activities and sign-ups -----------------------------------------------------------------------------


def activity_list(
    *,
    user,
    region: str = "",
    kind: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    capability: str = Cap.DATA_VIEW,
) -> QuerySet:
    qs = scope_to_user(Activity.objects.select_related("station", "station__region"), user, capability)
    qs = in_region(qs, user, "station__region_id", region)
    qs = narrowed(qs, held_on__gte=since, held_on__lte=until, kind=kind)
    return qs.order_by("-held_on", "-id")


def activity_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Activity:
    return get_scoped_or_404(
        Activity.objects.select_related("station", "organisation", "created_by"), user, capability, pk=pk
    )


def activity_signups(*, user, activity: Activity) -> QuerySet:
    return (
        scope_to_user(SignUp.objects.filter(activity=activity), user)
        .select_related("volunteer", "confirmed_by")
        .order_by("id")
    )


def activity_photos(*, user, activity: Activity) -> QuerySet:
    return scope_to_user(ActivityPhoto.objects.filter(activity=activity), user)


def photo_get(*, user, pk) -> ActivityPhoto:
    return get_scoped_or_404(ActivityPhoto.objects.all(), user, pk=pk)


def signup_get(*, user, pk, capability: str = Cap.DATA_EDIT) -> SignUp:
    return get_scoped_or_404(
        SignUp.objects.select_related("activity", "activity__station", "volunteer"), user, capability, pk=pk
    )


def signup_list(*, user, region: str = "", status: str = "", since=None, until=None) -> QuerySet:
    qs = scope_to_user(SignUp.objects.select_related("activity", "volunteer", "activity__station"), user)
    qs = in_region(qs, user, "activity__station__region_id", region)
    qs = narrowed(qs, activity__held_on__gte=since, activity__held_on__lte=until, status=status)
    return qs.order_by("-activity__held_on", "id")


# --- Group work -----------------------------------------------------------------------------------------


def group_list(*, user, region: str = "", phase: str = "") -> QuerySet:
    qs = scope_to_user(WorkGroup.objects.select_related("station", "worker"), user)
    qs = in_region(qs, user, "station__region_id", region)
    qs = narrowed(qs, phase=phase)
    return qs.annotate(n_sessions=Count("sessions", distinct=True)).order_by("-started_on", "-id")


def group_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> WorkGroup:
    return get_scoped_or_404(WorkGroup.objects.select_related("station", "worker"), user, capability, pk=pk)


def group_sessions(*, user, group: WorkGroup) -> QuerySet:
    return scope_to_user(GroupSession.objects.filter(group=group), user).order_by("number")


def group_members(*, user, group: WorkGroup) -> QuerySet:
    """Members on file whom the user may see (a member from another county is counted, not shown)."""
    return scope_to_user(group.members.all(), user).select_related("region")


def session_list(*, user, region: str = "", since=None, until=None) -> QuerySet:
    qs = scope_to_user(GroupSession.objects.select_related("group", "group__station"), user)
    qs = in_region(qs, user, "group__station__region_id", region)
    return narrowed(qs, held_on__gte=since, held_on__lte=until)


# --- Organisations and deliberation ---------------------------------------------------------------------


def organisation_list(*, user, region: str = "", status: str = "", kind: str = "") -> QuerySet:
    qs = scope_to_user(Organisation.objects.select_related("region", "station"), user)
    qs = in_region(qs, user, "region_id", region)
    qs = narrowed(qs, status=status, kind=kind)
    return qs.order_by("region_id", "name")


def organisation_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Organisation:
    return get_scoped_or_404(
        Organisation.objects.select_related("region", "station"), user, capability, pk=pk
    )


def organisation_choices(*, user) -> QuerySet:
    return scope_to_user(Organisation.objects.all(), user, Cap.DATA_EDIT).order_by("name")


def deliberation_list(*, user, region: str = "", since=None, until=None) -> QuerySet:
    qs = scope_to_user(Deliberation.objects.select_related("region"), user)
    qs = narrowed(in_region(qs, user, "region_id", region), held_on__gte=since, held_on__lte=until)
    return qs.annotate(
        n_issues=Count("issues"), n_solved=Count("issues", filter=Q(issues__status="solved"))
    ).order_by("-held_on", "-id")


def deliberation_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Deliberation:
    return get_scoped_or_404(Deliberation.objects.select_related("region"), user, capability, pk=pk)


def deliberation_issues(*, user, meeting: Deliberation) -> QuerySet:
    return scope_to_user(DeliberationIssue.objects.filter(meeting=meeting), user).order_by("id")


def issue_get(*, user, pk, capability: str = Cap.DATA_EDIT) -> DeliberationIssue:
    return get_scoped_or_404(DeliberationIssue.objects.select_related("meeting"), user, capability, pk=pk)


def issue_list(*, user, region: str = "", status: str = "") -> QuerySet:
    qs = scope_to_user(DeliberationIssue.objects.select_related("meeting", "meeting__region"), user)
    qs = in_region(qs, user, "meeting__region_id", region)
    qs = narrowed(qs, status=status)
    return qs.order_by("-meeting__held_on", "id")


# --- Charitable resources ---------------------------------------------------------------------------------


def donation_list(
    *, user, region: str = "", donor_kind: str = "", form: str = "", since=None, until=None
) -> QuerySet:
    qs = scope_to_user(Donation.objects.select_related("station", "fund"), user)
    qs = in_region(qs, user, "station__region_id", region)
    qs = narrowed(qs, received_on__gte=since, received_on__lte=until, donor_kind=donor_kind, form=form)
    return qs.order_by("-received_on", "-id")


def fund_list(*, user, region: str = "", capability: str = Cap.DATA_VIEW) -> QuerySet:
    qs = scope_to_user(CharityFund.objects.select_related("region"), user, capability)
    return in_region(qs, user, "region_id", region).order_by("region_id", "name")


def fund_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> CharityFund:
    return get_scoped_or_404(CharityFund.objects.select_related("region"), user, capability, pk=pk)


def fund_entries(*, user, fund: CharityFund) -> QuerySet:
    return scope_to_user(FundEntry.objects.filter(fund=fund), user).select_related("actor").order_by("-id")


def project_list(*, user, region: str = "") -> QuerySet:
    """Mutual-aid projects of the user's jurisdiction (of ``region`` inside it); community/lists.py filters
    them further."""
    qs = scope_to_user(MutualAidProject.objects.select_related("region"), user)
    return in_region(qs, user, "region_id", region).order_by("region_id", "-started_on", "id")


def project_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> MutualAidProject:
    return get_scoped_or_404(MutualAidProject.objects.select_related("region"), user, capability, pk=pk)


def matching_rules(*, user, area: str = "") -> list[MatchingRule]:
    """The matching rules that bear on the user's area: rules of the levels above it, its own, those inside."""
    if not user.can(Cap.DATA_VIEW):
        return []
    return rules_for_area(area or user.jurisdiction_code)


def matching_rule_get(*, user, pk) -> MatchingRule:
    """A rule of the user's jurisdiction, to correct or remove."""
    return get_scoped_or_404(MatchingRule.objects.all(), user, Cap.COMMUNITY_CONFIGURE, pk=pk)


def matching_rule_read(*, user, pk) -> MatchingRule:
    """A rule the user's list shows (those of the levels above the jurisdiction too): read, not changed."""
    for rule in matching_rules(user=user):
        if str(rule.pk) == str(pk):
            return rule
    raise Http404


def matching_payments(*, user, project: MutualAidProject) -> QuerySet:
    """The matching paid to a project (scoped through the project's village)."""
    return scope_to_user(
        MatchingPayment.objects.filter(project=project).select_related("rule", "created_by"), user
    ).order_by("paid_on", "id")


def matching_payment_list(*, user) -> QuerySet:
    """Matching paid to the mutual-aid projects of the user's jurisdiction (scoped through each project's
    village), latest first."""
    return scope_to_user(
        MatchingPayment.objects.select_related("project", "rule"), user, Cap.DATA_VIEW
    ).order_by("-paid_on", "-id")
