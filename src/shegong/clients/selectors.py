"""Reads of people served and visits, always through the user's scope (lib/scoping.py)."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from shegong.accounts.models import User
from shegong.accounts.roles import CAPABILITIES, Cap, Role
from shegong.clients import visiting
from shegong.clients.models import (
    Answer,
    Category,
    ChecklistItem,
    Draft,
    FollowUp,
    HouseholdMember,
    PeopleCount,
    Person,
    Visit,
    VisitAnswer,
    VisitDueCount,
    VisitDueTotal,
    VisitPhoto,
    VisitRule,
)
from shegong.lib.pii import hash_in
from shegong.lib.scoping import (
    applies_q,
    applying_to_user,
    area_of,
    code_prefix_q,
    get_scoped_or_404,
    in_region,
    lineage,
    narrowed,
    scope_to_user,
)
from shegong.regions.models import Region


def category_list(*, user, active_only: bool = True) -> QuerySet:
    """The shipped categories and those added by the regions above, at and inside the user's jurisdiction."""
    code = user.jurisdiction_code
    qs = Category.objects.all()
    if code:
        qs = qs.filter(applies_q("region_id", code, templates=True, inside=True))
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("sort", "code")


def person_search_q(term: str) -> Q:
    """The start of the name, pinyin or initials; the last 4 of an ID number or phone; a whole ID number or
    phone."""
    term = term.strip()
    compact = term.replace(" ", "").upper()
    if len(compact) == 18 and compact[:17].isdigit():
        return hash_in("id_number_hash", compact)
    if compact.isdigit() and 7 <= len(compact) <= 12:
        return hash_in("phone_hash", compact)
    if len(compact) == 4 and (compact.isdigit() or (compact[:3].isdigit() and compact[3] == "X")):
        return Q(id_number_last4=compact) | Q(phone_last4=compact)
    # Names match from their first character (a surname, or the whole name): an index answers that for two
    # million files, where "anywhere in the name" reads them all (docs/performance.md).
    q = Q(name__startswith=term)
    if term.isascii() and term.isalpha():
        q |= Q(initials__startswith=compact) | Q(pinyin__startswith=term.lower())
    return q


def person_list(
    *,
    user,
    search: str = "",
    region: str = "",
    category: str = "",
    risk_level: str = "",
    active: bool | None = True,
    as_of: dt.date | None = None,
    capability: str = Cap.DATA_VIEW,
) -> QuerySet:
    """People in the user's scope, in the list's order. ``as_of``: the files open at the end of that day
    (instead of ``active``), see :func:`on_file_q`."""
    qs = scope_to_user(Person.objects.select_related("region"), user, capability)
    if as_of is not None:
        qs, active = qs.filter(on_file_q(as_of)), None
    if search:
        qs = qs.filter(person_search_q(search[:40]))
    qs = in_region(qs, user, "region_id", region)
    qs = narrowed(qs, categories__code=category, risk_level=risk_level)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("region_id", "pinyin", "id")


def on_file_q(as_of: dt.date) -> Q:
    """Files open at the end of ``as_of`` (在档): registered by then and not closed by then. The one meaning
    of "people on file as of a day", for the people list and the figures."""
    return Q(registered_on__lte=as_of) & (Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))


def person_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Person:
    return get_scoped_or_404(
        Person.objects.select_related("region", "region__parent").prefetch_related("categories"),
        user,
        capability,
        pk=pk,
    )


def person_by_id_number(*, user, id_number: str) -> Person | None:
    return scope_to_user(Person.objects.all(), user).filter(hash_in("id_number_hash", id_number)).first()


def person_duplicates(
    *, user, name: str, pinyin: str, birth_date: dt.date | None, exclude_pk=None
) -> tuple[list[Person], int]:
    """Files that may be the same person: same birth date and the same name or pinyin (homophones typed with
    other characters). Returns (those the user may open, how many more lie outside their jurisdiction)."""
    if not birth_date:
        return [], 0
    qs = Person.objects.filter(Q(name=name) | Q(pinyin=pinyin), birth_date=birth_date)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    everyone = list(qs.values_list("pk", flat=True)[:50])
    visible = list(scope_to_user(qs, user).select_related("region")[:20])
    return visible, max(len(everyone) - len(visible), 0)


def household_list(*, user, person: Person) -> QuerySet:
    return scope_to_user(HouseholdMember.objects.filter(person=person), user)


def household_member_get(*, user, pk, capability: str = Cap.DATA_EDIT) -> HouseholdMember:
    return get_scoped_or_404(HouseholdMember.objects.select_related("person"), user, capability, pk=pk)


def visit_list(
    *,
    user,
    person: Person | None = None,
    region: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet:
    qs = scope_to_user(Visit.objects.select_related("person", "visitor", "person__region"), user)
    if person is not None:
        qs = qs.filter(person=person)
    qs = in_region(qs, user, "person__region_id", region)
    qs = narrowed(qs, visited_on__gte=since, visited_on__lte=until)
    return qs.order_by("-visited_on", "-id")


def visits_of(*, user, person, n: int = 20) -> QuerySet:
    """A person's latest visits as their page prints them: what it shows of each, not the file again on
    every row (the person's page)."""
    return (
        visit_list(user=user, person=person)
        .select_related(None)
        .select_related("visitor")
        .only("visited_on", "mode", "findings", "needs", "visitor__full_name", "visitor__username")[:n]
    )


def area_for(*, user, region: str = "") -> str:
    """The division code a list covers: the region asked for (404 outside the jurisdiction), else the user's
    own (lib/scoping.py area_of)."""
    return area_of(user, region)


def visit_ledger(
    *,
    user,
    region: str = "",
    status: str = "overdue",
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    intervals: list[int] | None = None,
) -> QuerySet:
    """The "no blind spot" ledger: open files in the region with a visit rule, annotated with their visit
    status, filtered to ``status``: "overdue", "due" (due within the window, not yet overdue) or "all".
    ``as_of`` a past day: the ledger as it stood at the end of that day (the files open then, their visits up
    to then: visiting.with_visit_status_as_of), due and overdue counted from that day. ``intervals``: the
    region's (visiting.intervals_of), when the caller has read the rules already."""
    real_today = timezone.localdate()
    past = as_of is not None and as_of < real_today
    today = as_of if past else (today or real_today)
    area = area_for(user=user, region=region)
    if past:
        qs = visiting.with_visit_status_as_of(person_list(user=user, region=area, active=None), as_of)
    else:
        qs = visiting.with_visit_status(person_list(user=user, region=area), area=area)
    qs = qs.filter(interval__isnull=False)
    intervals = visiting.intervals_of(area) if intervals is None else intervals
    if not intervals:
        return qs.none()
    overdue = visiting.due_before_q(today, intervals)
    if status == "overdue":
        qs = qs.filter(overdue)
    elif status == "today":  # due today or overdue: a worker's day
        qs = qs.filter(visiting.due_before_q(today + dt.timedelta(days=1), intervals))
    elif status == "due":
        # Not overdue: due today or later (a file with an interval always has its day, so this is the
        # negation of ``overdue`` without the NOT that kept PostgreSQL from reading a range of the due index).
        qs = qs.filter(
            visiting.due_before_q(today + dt.timedelta(days=visiting.DUE_WINDOW_DAYS + 1), intervals),
            due_on__gte=today,
        )
    return qs.order_by("base_date", "id")


def visit_rule_list(*, user) -> QuerySet:
    rules = applying_to_user(VisitRule.objects.select_related("region", "category"), user, templates=True)
    return rules.order_by("region_id", "risk_level", "category__sort")


def visit_rule_get(*, user, pk) -> VisitRule:
    """A rule the user may change: their own region's or one inside it (never a national or a higher one)."""
    return get_scoped_or_404(
        VisitRule.objects.filter(region__isnull=False), user, Cap.CASEWORK_CONFIGURE, pk=pk
    )


def village_choices(*, user, capability: str = Cap.DATA_EDIT) -> QuerySet:
    return scope_to_user(Region.objects.filter(level=5), user, capability).order_by("code")


def people_count_list(*, user, region: str = "") -> QuerySet:
    """Rows of the per-village count of open files (clients/tallies.py) inside the user's scope."""
    qs = scope_to_user(PeopleCount.objects.all(), user)
    qs = in_region(qs, user, "region_id", region)
    return qs


def visit_due_list(*, user, region: str = "", finest: int = 12) -> QuerySet:
    """Rows of the visit-due rollup (clients/tallies.py) inside the user's scope and ``region``: the villages'
    rows (VisitDueCount), or the townships' or counties' totals (VisitDueTotal) when they still tell apart the
    units of ``finest`` (the length of their codes) a caller groups by: a province's figures sum its counties'
    24,000 rows, not its villages' 590,000."""
    need = max(finest, len(area_for(user=user, region=region)))
    level = next((n for n in VisitDueTotal.LEVELS if n >= need), None)
    rows = VisitDueCount.objects.all() if level is None else VisitDueTotal.objects.filter(level=level)
    return in_region(scope_to_user(rows, user), user, "region_id", region)


# --- Visits in detail, follow-up tasks, drafts, checklist figures --------------------------------


def visit_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Visit:
    return get_scoped_or_404(
        Visit.objects.select_related("person", "person__region", "visitor").prefetch_related(
            "answers__item", "photos", "followups__owner"
        ),
        user,
        capability,
        pk=pk,
    )


def visit_photo_get(*, user, pk) -> VisitPhoto:
    """A photo of a visit to a person the user may see (404 otherwise, as for the file)."""
    return get_scoped_or_404(VisitPhoto.objects.select_related("visit__person"), user, Cap.DATA_VIEW, pk=pk)


def followup_list(*, user, owner=None, open_only: bool = True, person: Person | None = None) -> QuerySet:
    """Follow-up tasks inside the user's scope: by default the open tasks the user owns, soonest due first
    (what the workbench shows). ``owner=False`` lists everybody's."""
    qs = scope_to_user(FollowUp.objects.select_related("person", "owner", "visit"), user)
    if owner is None:
        owner = user
    qs = narrowed(qs, owner=owner)
    if person is not None:
        qs = qs.filter(person=person)
    if open_only:
        qs = qs.filter(done_on__isnull=True)
    return qs.order_by("due_on", "id")


def followup_get(*, user, pk, capability: str = Cap.DATA_EDIT) -> FollowUp:
    return get_scoped_or_404(FollowUp.objects.select_related("person"), user, capability, pk=pk)


def followup_owner_choices(*, person: Person) -> QuerySet:
    """Accounts that may own a follow-up task for ``person``: active, may edit service data, and hold the
    person's village in their jurisdiction."""

    editors = [role for role, caps in CAPABILITIES.items() if Cap.DATA_EDIT in caps]
    return User.objects.filter(
        is_active=True, role__in=editors, jurisdiction_id__in=lineage(person.region_id)
    ).order_by("-jurisdiction_id", "username")


def draft_list(*, user) -> QuerySet:
    """The user's own drafts, newest first (no one else's, whatever the role)."""
    if user is None or not user.is_authenticated:
        return Draft.objects.none()
    return Draft.objects.filter(user=user).order_by("-updated_at")


def checklist_items(*, user) -> QuerySet:
    """Checklist items the user sees on the configuration page: national ones and those of the regions
    above, at and inside the jurisdiction."""
    qs = ChecklistItem.objects.select_related("category", "region")
    return qs.filter(applies_q("region_id", user.jurisdiction_code, templates=True, inside=True)).order_by(
        "sort", "id"
    )


def checklist_concerns(
    *, user, region: str = "", since: dt.date | None = None, until: dt.date | None = None
) -> tuple[str, list[ChecklistItem], list[dict]]:
    """Problems found by the visit checklist, counted per checklist item and per region one level below the
    area (e.g. "unsafe housing found" per township of a county): each person counted once per item, from
    their visits in the period. Returns (area, items, rows) with rows {"region": code, item_pk: n, ...}."""

    area = area_for(user=user, region=region)
    child_len = {0: 2, 2: 4, 4: 6, 6: 9, 9: 12, 12: 12}[len(area)]
    qs = scope_to_user(VisitAnswer.objects.filter(answer=Answer.CONCERN), user)
    qs = qs.filter(code_prefix_q("visit__person__region_id", area))
    qs = narrowed(qs, visit__visited_on__gte=since, visit__visited_on__lte=until)
    counts = (
        qs.annotate(child=Substr("visit__person__region_id", 1, child_len))
        .values("child", "item_id")
        .annotate(n=Count("visit__person_id", distinct=True))
        .order_by("child")
    )
    rows: dict[str, dict] = {}
    used = set()
    for row in counts:
        rows.setdefault(row["child"], {"region": row["child"]})[row["item_id"]] = row["n"]
        used.add(row["item_id"])
    items = [item for item in checklist_items(user=user) if item.pk in used]
    names = dict(Region.objects.filter(code__in=rows).values_list("code", "name"))
    ordered = []
    for code in sorted(rows):
        row = rows[code]
        row["name"] = names.get(code, code)
        row["counts"] = [row.get(item.pk, 0) for item in items]
        ordered.append(row)
    return area, items, ordered


def worker_choices(*, user) -> QuerySet:
    """Social workers' accounts a file may be given to (责任社工): active workers inside the user's
    jurisdiction, and for a village worker those of its township."""

    if not user.is_authenticated or not user.can(Cap.DATA_EDIT):
        return User.objects.none()
    own = user.jurisdiction_code
    q = code_prefix_q("jurisdiction_id", own)
    if len(own) > 9:
        q |= Q(jurisdiction_id=own[:9])
    return User.objects.filter(q, role=Role.WORKER, is_active=True).order_by("jurisdiction_id", "username")
