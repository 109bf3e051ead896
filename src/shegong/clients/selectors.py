"""Reads of people served and visits, always through the user's scope (lib/scoping.py)."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from shegong.accounts.roles import Cap
from shegong.clients import visiting
from shegong.clients.models import Category, HouseholdMember, PeopleCount, Person, Visit, VisitRule
from shegong.lib.pii import hash_in
from shegong.lib.scoping import (
    area_of,
    code_prefix_q,
    get_scoped_or_404,
    in_region,
    scope_to_user,
)
from shegong.regions.models import Region


def category_list(*, user, active_only: bool = True) -> QuerySet:
    """The shipped categories and those added by the regions above, at and inside the user's jurisdiction."""
    code = user.jurisdiction_code
    qs = Category.objects.all()
    if code:
        ancestors = [code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)]
        qs = qs.filter(Q(region__isnull=True) | Q(region_id__in=ancestors) | code_prefix_q("region_id", code))
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("sort", "code")


def _search_q(term: str) -> Q:
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
    capability: str = Cap.DATA_VIEW,
) -> QuerySet:
    qs = scope_to_user(Person.objects.select_related("region"), user, capability)
    if search:
        qs = qs.filter(_search_q(search[:40]))
    qs = in_region(qs, user, "region_id", region)
    if category:
        qs = qs.filter(categories__code=category)
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("region_id", "pinyin", "id")


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
    return scope_to_user(HouseholdMember.objects.filter(person=person), user).select_related("member")


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
    if since:
        qs = qs.filter(visited_on__gte=since)
    if until:
        qs = qs.filter(visited_on__lte=until)
    return qs.order_by("-visited_on", "-id")


def area_for(*, user, region: str = "") -> str:
    """The division code a list covers: the region asked for (404 outside the jurisdiction), else the user's
    own (lib/scoping.py area_of)."""
    return area_of(user, region)


def visit_ledger(
    *, user, region: str = "", status: str = "overdue", today: dt.date | None = None
) -> QuerySet:
    """The "no blind spot" ledger: open files in the region with a visit rule, annotated with their visit
    status, filtered to ``status``: "overdue", "due" (due within the window, not yet overdue) or "all"."""
    today = today or timezone.localdate()
    area = area_for(user=user, region=region)
    qs = person_list(user=user, region=area)
    qs = visiting.with_visit_status(qs, area=area).filter(interval__isnull=False)
    intervals = visiting.intervals_of(area)
    if not intervals:
        return qs.none()
    overdue = visiting.due_before_q(today, intervals)
    if status == "overdue":
        qs = qs.filter(overdue)
    elif status == "today":  # due today or overdue: a worker's day
        qs = qs.filter(visiting.due_before_q(today + dt.timedelta(days=1), intervals))
    elif status == "due":
        qs = qs.filter(
            visiting.due_before_q(today + dt.timedelta(days=visiting.DUE_WINDOW_DAYS + 1), intervals)
        )
        qs = qs.exclude(overdue)
    return qs.order_by("base_date", "id")


def visit_rule_list(*, user) -> QuerySet:
    code = user.jurisdiction_code
    if not user.can(Cap.DATA_VIEW):
        return VisitRule.objects.none()
    qs = VisitRule.objects.select_related("region", "category")
    if code:
        ancestors = [code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)]
        qs = qs.filter(Q(region__isnull=True) | Q(region_id__in=ancestors) | code_prefix_q("region_id", code))
    return qs.order_by("region_id", "risk_level", "category__sort")


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


def worker_choices(*, user) -> QuerySet:
    """Social workers' accounts a file may be given to (责任社工): active workers inside the user's
    jurisdiction, and for a village worker those of its township."""
    from shegong.accounts.models import User
    from shegong.accounts.roles import Role

    if not user.is_authenticated or not user.can(Cap.DATA_EDIT):
        return User.objects.none()
    own = user.jurisdiction_code
    q = code_prefix_q("jurisdiction_id", own)
    if len(own) > 9:
        q |= Q(jurisdiction_id=own[:9])
    return User.objects.filter(q, role=Role.WORKER, is_active=True).order_by("jurisdiction_id", "username")
