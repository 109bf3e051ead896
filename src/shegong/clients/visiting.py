"""Visit frequency: which rule applies to whom, and who is due or overdue — computed by queries, never stored.

A rule says "visit at least every N days" for a risk level or a category. National rules have no region; a
region's rule for the same risk level or category replaces the rules above it for the people inside it. A
person must be visited after the shortest interval among the rules that apply to them.

A person's next visit is due N days after the last visit (or after registration, if never visited), or on
the date the last visitor set, whichever is earlier. The lists below turn that into SQL: the rules become
one CASE expression giving each person's interval, and "due before day D" becomes, for each distinct
interval N, "last visit before D - N" — plain date comparisons that SQLite and PostgreSQL answer alike.
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from shegong.clients.models import Person, Visit, VisitRule
from shegong.lib.scoping import code_prefix_q

# "Due soon": due within this many days from today.
DUE_WINDOW_DAYS = 14


def rules_for_area(code: str) -> list[VisitRule]:
    """Rules that may apply to someone inside region ``code`` ("" = the whole country): the national ones,
    those of the regions above and at ``code``, and those of the regions inside it."""
    if not code:
        return list(VisitRule.objects.select_related("category"))
    ancestors = [code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)]
    q = Q(region__isnull=True) | Q(region_id__in=ancestors) | code_prefix_q("region_id", code)
    return list(VisitRule.objects.filter(q).select_related("category"))


def _key_condition(rule: VisitRule) -> Q:
    if rule.risk_level:
        return Q(risk_level=rule.risk_level)
    through = Person.categories.through
    return Q(Exists(through.objects.filter(person_id=OuterRef("pk"), category_id=rule.category_id)))


def _region_condition(rule: VisitRule, rules: list[VisitRule]) -> Q:
    """Inside the rule's region, but not inside a deeper region with its own rule for the same key."""
    own = rule.region_id or ""
    q = code_prefix_q("region_id", own) if own else Q()
    for other in rules:
        deeper = other.region_id or ""
        if other.key == rule.key and len(deeper) > len(own) and deeper.startswith(own):
            q &= ~code_prefix_q("region_id", deeper)
    return q


def interval_expression(rules: list[VisitRule]) -> Case:
    """Each person's interval in days (NULL when no rule applies): the shortest applicable rule wins, so the
    WHEN branches are ordered by interval and the first that matches is taken."""
    whens = [
        When(_key_condition(rule) & _region_condition(rule, rules), then=Value(rule.interval_days))
        for rule in sorted(rules, key=lambda r: r.interval_days)
    ]
    if not whens:
        return Value(None, output_field=IntegerField())
    return Case(*whens, default=Value(None), output_field=IntegerField())


def with_visit_status(qs: QuerySet, *, area: str) -> QuerySet:
    """Annotate people with last_visit, last_next_due, base_date (last visit or registration) and interval."""
    rules = rules_for_area(area)
    latest = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id")
    return qs.annotate(
        last_visit=Subquery(latest.values("visited_on")[:1]),
        last_next_due=Subquery(latest.values("next_due")[:1]),
        interval=interval_expression(rules),
    ).annotate(base_date=Coalesce("last_visit", "registered_on"))


def _intervals(rules_or_qs) -> list[int]:
    return sorted({r.interval_days for r in rules_or_qs})


def due_before_q(day: dt.date, intervals: list[int]) -> Q:
    """People whose next visit falls before ``day`` (needs with_visit_status)."""
    parts = [Q(interval=n, base_date__lt=day - dt.timedelta(days=n)) for n in intervals]
    parts.append(Q(interval__isnull=False, last_next_due__lt=day))
    return reduce(or_, parts)


def visited_within_q(today: dt.date, intervals: list[int]) -> Q:
    """People visited within their own interval (the "coverage" of the ledger)."""
    parts = [Q(interval=n, last_visit__gte=today - dt.timedelta(days=n)) for n in intervals]
    return reduce(or_, parts) if parts else Q(pk__in=[])


@dataclass
class VisitStatus:
    """Where one person stands, for display."""

    last_visit: dt.date | None
    due_on: dt.date | None
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def status_of(person: Person, today: dt.date | None = None) -> VisitStatus:
    """The due date of an annotated person (from with_visit_status)."""
    today = today or timezone.localdate()
    due = None
    if person.interval:
        due = person.base_date + dt.timedelta(days=person.interval)
        if person.last_next_due and person.last_next_due < due:
            due = person.last_next_due
    overdue = (today - due).days if due and due < today else 0
    return VisitStatus(last_visit=person.last_visit, due_on=due, overdue_days=overdue)


def interval_for(person: Person) -> int | None:
    """The interval that applies to one person, worked out in Python (for the visit form's default)."""
    code = person.region_id
    rules = rules_for_area(code)
    best_by_key: dict[tuple, VisitRule] = {}
    for rule in rules:
        region = rule.region_id or ""
        if not code.startswith(region):
            continue
        current = best_by_key.get(rule.key)
        if current is None or len(region) > len(current.region_id or ""):
            best_by_key[rule.key] = rule
    category_ids = {c.pk for c in person.categories.all()}
    applicable = [
        rule.interval_days
        for key, rule in best_by_key.items()
        if (key[0] and key[0] == person.risk_level) or (key[1] and key[1] in category_ids)
    ]
    return min(applicable) if applicable else None


def next_due_default(person: Person, visited_on: dt.date) -> dt.date | None:
    interval = interval_for(person)
    return visited_on + dt.timedelta(days=interval) if interval else None


def intervals_of(area: str) -> list[int]:
    return _intervals(rules_for_area(area))
