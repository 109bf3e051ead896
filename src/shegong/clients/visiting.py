"""Visit frequency: which rule applies to whom, and who is due or overdue.

A rule says "visit at least every N days" for a risk level or a category. National rules have no region; a
region's rule for the same risk level or category replaces the rules above it for the people inside it. A
person must be visited after the shortest interval among the rules that apply to them.

A person's next visit is due N days after the last visit (or after registration, if never visited), or on
the date the last visitor set, whichever is earlier. The lists below turn that into SQL: "due before day D"
becomes, for each distinct interval N, "last visit before D - N" — plain date comparisons that SQLite and
PostgreSQL answer alike from columns of the person's own row.

Those columns (``last_visit_on``, ``last_visit_next_due``, ``visit_interval``) are derived data, stored so
that a province's ledger needs no per-person subquery: ``refresh_visit_status`` recomputes them with one
UPDATE for any set of people. The services call it for the person whose visits, risk level, categories or
village change, and for everybody inside a region whose rules change; `shegong rollups rebuild` runs it for
everybody and `shegong rollups check` compares the stored values with the ones computed afresh.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from shegong.clients import tallies
from shegong.clients.models import Person, Visit, VisitFrequency, VisitRule
from shegong.lib.dbfunc import AddDays
from shegong.lib.scoping import applies_q, code_prefix_q, nearest

# "Due soon": due within this many days from today.
DUE_WINDOW_DAYS = 14


def rules_for_area(code: str) -> list[VisitRule]:
    """Rules that may apply to someone inside region ``code`` ("" = the whole country): the national ones,
    those of the regions above and at ``code``, and those of the regions inside it."""
    return list(
        VisitRule.objects.filter(applies_q("region_id", code, templates=True, inside=True)).select_related(
            "category"
        )
    )


def _key(rule) -> tuple[str, int | None]:
    return (rule.risk_level, rule.category_id)


def _key_condition(rule, through) -> Q:
    if rule.risk_level:
        return Q(risk_level=rule.risk_level)
    return Q(Exists(through.objects.filter(person_id=OuterRef("pk"), category_id=rule.category_id)))


def _region_condition(rule: VisitRule, rules: list[VisitRule]) -> Q:
    """Inside the rule's region, but not inside a deeper region with its own rule for the same key."""
    own = rule.region_id or ""
    q = code_prefix_q("region_id", own) if own else Q()
    for other in rules:
        deeper = other.region_id or ""
        if _key(other) == _key(rule) and len(deeper) > len(own) and deeper.startswith(own):
            q &= ~code_prefix_q("region_id", deeper)
    return q


def interval_expression(rules: list[VisitRule], through=None) -> Case:
    """Each person's interval in days (NULL when no rule applies): the shortest applicable rule wins, so the
    WHEN branches are ordered by interval and the first that matches is taken. ``through`` is the
    person–category table (a migration passes its historical model)."""
    # A person's own frequency (Person.visit_every_days) comes before the rules; migrations (which pass their
    # historical ``through``) predate it.
    own = through is None
    through = through or Person.categories.through
    whens = [
        When(_key_condition(rule, through) & _region_condition(rule, rules), then=Value(rule.interval_days))
        for rule in sorted(rules, key=lambda r: r.interval_days)
    ]
    by_rules = (
        Case(*whens, default=Value(None), output_field=IntegerField())
        if whens
        else Value(None, output_field=IntegerField())
    )
    return Coalesce(F("visit_every_days"), by_rules, output_field=IntegerField()) if own else by_rules


def with_visit_status(qs: QuerySet, *, area: str = "") -> QuerySet:
    """Annotate people with last_visit, last_next_due, base_date (last visit or registration), interval and
    due_on, read from the stored visit status (``area`` is kept for callers; the status does not depend on it).
    ``due_on`` is the stored column the database keeps (Person.visit_due_on), which the ledger's index sorts."""
    return _by_rule(
        qs.annotate(
            last_visit=F("last_visit_on"),
            last_next_due=F("last_visit_next_due"),
            interval=F("visit_interval"),
        ).annotate(base_date=Coalesce("last_visit_on", "registered_on")),
        due_on=F("visit_due_on"),
    )


def _by_rule(qs: QuerySet, due_on=None) -> QuerySet:
    """The dates the interval gives, as one date sum each (what due_before_q, visited_within_q and the
    ledger's due date compare): ``visited_until``, the interval after the last visit, and ``due_on``, the next
    visit (``due_on`` when the caller has it stored). One sum, not a case per interval: building that SQL was
    a third of a social worker's workbench's CPU."""
    if due_on is None:
        rule_due = AddDays(F("base_date"), F("interval"))
        # The interval's day, or the day the last visitor set when that is earlier: never NULL when there is
        # an interval, so that "not due before" holds for a file without a day set (a NULL in a negated OR made
        # the whole test unknown: such files fell out of the "due soon" list).
        due_on = Case(
            When(last_next_due__lt=rule_due, then=F("last_next_due")),
            default=rule_due,
            output_field=DateField(),
        )
    return qs.annotate(visited_until=AddDays(F("last_visit"), F("interval")), due_on=due_on)


def with_visit_status_as_of(qs: QuerySet, as_of: dt.date) -> QuerySet:
    """What with_visit_status annotates, as it stood at the end of ``as_of``: the files open that day
    (registered by then, not closed by then), each with its last visit on or before the day and the next visit
    that visitor set. The interval is the one the rules give today (rules carry no history of their own)."""
    latest = Visit.objects.filter(person=OuterRef("pk"), visited_on__lte=as_of).order_by("-visited_on", "-id")
    open_then = Q(registered_on__lte=as_of) & (
        Q(closed_on__gt=as_of) | Q(closed_on__isnull=True, active=True)
    )
    return _by_rule(
        qs.filter(open_then)
        .annotate(
            last_visit=Subquery(latest.values("visited_on")[:1]),
            last_next_due=Subquery(latest.values("next_due")[:1]),
            interval=F("visit_interval"),
        )
        .annotate(base_date=Coalesce("last_visit", "registered_on"))
    )


def status_expressions(rules, *, visit_model=None, through=None) -> dict:
    """The values ``refresh_visit_status`` writes, as expressions over the person's row (migrations pass
    their historical models)."""
    visit_model = visit_model or Visit
    latest = visit_model.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id")
    return {
        "last_visit_on": Subquery(latest.values("visited_on")[:1]),
        "last_visit_next_due": Subquery(latest.values("next_due")[:1]),
        "visit_interval": interval_expression(rules, through),
    }


def refresh_visit_status(people: QuerySet, *, area: str | None = None, villages=None) -> int:
    """Recompute the stored visit status of ``people`` (one UPDATE), and the visit-due rollup of their
    villages (``villages`` when the caller knows them, else read). ``area``: the region all of them live in,
    to consider only the rules that may apply there; None takes every rule."""
    rules = rules_for_area(area) if area is not None else list(VisitRule.objects.all())
    if villages is None:
        villages = set(people.order_by().values_list("region_id", flat=True).distinct())
    done = people.order_by().update(**status_expressions(rules))
    tallies.recount_due(villages)
    return done


def refresh_intervals(people: QuerySet, *, area: str) -> int:
    """After a rule of ``area`` changed: rewrite the interval of those of ``people`` whose interval changes,
    and no other row (the visits did not change, and most people keep their interval)."""
    expression = interval_expression(rules_for_area(area))
    fresh = people.order_by().annotate(fresh_interval=expression)
    changed = fresh.filter(
        Q(visit_interval__isnull=True, fresh_interval__isnull=False)
        | Q(visit_interval__isnull=False, fresh_interval__isnull=True)
        | (Q(visit_interval__isnull=False) & ~Q(visit_interval=F("fresh_interval")))
    )
    villages = set(changed.values_list("region_id", flat=True).distinct())
    done = Person.objects.filter(pk__in=changed.values("pk")).update(visit_interval=expression)
    tallies.recount_due(villages)
    return done


# A rule change inside a region with more people than this is applied by a background job (a province's
# two million intervals take minutes); smaller regions are refreshed before the page returns.
SYNC_REFRESH_LIMIT = 20_000


def refresh_person(person: Person) -> None:
    """After a visit or a change to the file: the person's own row, and the instance in memory."""
    refresh_visit_status(
        Person.objects.filter(pk=person.pk), area=person.region_id, villages=[person.region_id]
    )
    values = Person.objects.filter(pk=person.pk).values(*STATUS_FIELDS).first() or {}
    for name, value in values.items():
        setattr(person, name, value)


STATUS_FIELDS = ("last_visit_on", "last_visit_next_due", "visit_interval")


def rebuild_visit_status(*, batch: int = 20_000, out=None) -> int:
    """Recompute the visit status of every person, ``batch`` ids per statement (and transaction)."""

    bounds = Person.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return 0
    rules = list(VisitRule.objects.all())
    done = 0
    for start in range(bounds["low"], bounds["high"] + 1, batch):
        with transaction.atomic():
            done += (
                Person.objects.filter(id__gte=start, id__lt=start + batch)
                .order_by()
                .update(**status_expressions(rules))
            )
        if out:
            out(done)
    return done


def stale_visit_status(people: QuerySet | None = None) -> QuerySet:
    """People whose stored visit status differs from the one computed afresh (there should be none)."""
    people = Person.objects.all() if people is None else people
    expressions = status_expressions(list(VisitRule.objects.all()))
    fresh = people.annotate(**{f"fresh_{name}": value for name, value in expressions.items()})
    differs = Q()
    for name in STATUS_FIELDS:
        computed = f"fresh_{name}"
        differs |= Q(**{f"{name}__isnull": True, f"{computed}__isnull": False})
        differs |= Q(**{f"{name}__isnull": False, f"{computed}__isnull": True})
        differs |= Q(**{f"{name}__isnull": False}) & ~Q(**{name: F(computed)})
    return fresh.filter(differs)


def _intervals(rules_or_qs) -> list[int]:
    return sorted({r.interval_days for r in rules_or_qs})


def due_before_q(day: dt.date, intervals: list[int]) -> Q:
    """People whose next visit falls before ``day`` (needs with_visit_status). ``intervals`` (the ones the
    area's rules give) is kept for the callers: the stored interval is one of them."""
    return Q(interval__isnull=False, due_on__lt=day)


def visited_within_q(today: dt.date, intervals: list[int]) -> Q:
    """People visited within their own interval (the "coverage" of the ledger)."""
    return Q(visited_until__gte=today) if intervals else Q(pk__in=[])


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
    return _status(person.last_visit, person.last_next_due, person.interval, person.base_date, today)


def stored_status(person: Person, today: dt.date | None = None) -> VisitStatus:
    """status_of for a file as loaded, from its stored visit status (no query, no annotation)."""
    base = person.last_visit_on or person.registered_on
    return _status(person.last_visit_on, person.last_visit_next_due, person.visit_interval, base, today)


def _status(last_visit, last_next_due, interval, base_date, today) -> VisitStatus:
    today = today or timezone.localdate()
    due = None
    if interval:
        due = base_date + dt.timedelta(days=interval)
        if last_next_due and last_next_due < due:
            due = last_next_due
    overdue = (today - due).days if due and due < today else 0
    return VisitStatus(last_visit=last_visit, due_on=due, overdue_days=overdue)


def interval_of(rules, *, region: str, risk_level: str, category_ids, own: int | None = None) -> int | None:
    """The interval for a person of ``region`` with this risk level and these categories, worked out in
    Python from ``rules`` (which must include those of the region's ancestors): per risk level or category
    the deepest rule whose region holds the person, then the shortest of them — what interval_expression
    says in SQL. ``own``: the person's own frequency, which comes first."""
    if own:
        return own
    by_key: dict[tuple, dict[str, VisitRule]] = {}
    for rule in rules:
        by_key.setdefault(_key(rule), {})[rule.region_id or ""] = rule
    applicable = [
        rule.interval_days
        for (risk, category), by_region in by_key.items()
        if ((risk and risk == risk_level) or (category and category in category_ids))
        and (rule := nearest(by_region, region)) is not None
    ]
    return min(applicable) if applicable else None


def interval_for(person: Person) -> int | None:
    """The interval that applies to one person (for the visit form's default)."""
    return interval_of(
        rules_for_area(person.region_id),
        region=person.region_id,
        risk_level=person.risk_level,
        category_ids={c.pk for c in person.categories.all()},
        own=person.visit_every_days,
    )


def intervals_of(area: str) -> list[int]:
    """Every interval a person of ``area`` may have: the rules' and the frequencies a file may name."""
    return sorted(set(_intervals(rules_for_area(area))) | set(VisitFrequency.values))
