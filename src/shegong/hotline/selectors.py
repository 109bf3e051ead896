"""Reads of the hotline, always through the user's scope (lib/scoping.py)."""

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from shegong.accounts.roles import Cap
from shegong.hotline.models import Category, DeadlineRule, Ticket, TicketStatus, Urgency
from shegong.lib.pii import hash_in
from shegong.lib.ratios import share
from shegong.lib.scoping import (
    applying_to_user,
    code_prefix_q,
    get_scoped_or_404,
    in_region,
    scope_to_user,
)

CRISIS_Q = Q(category=Category.CRISIS) | Q(urgency=Urgency.CRISIS)
FLAGGED_Q = CRISIS_Q & Q(acted_at__isnull=True)


def ticket_flag_q(flag: str) -> Q:
    """ "crisis" (crises nobody has acted on), "late" (open and past a deadline), "open"; else every ticket."""
    now = timezone.now()
    if flag == "crisis":
        return FLAGGED_Q
    if flag == "late":
        return ~Q(status=TicketStatus.CLOSED) & (
            Q(acted_at__isnull=True, respond_by__lt=now) | Q(resolve_by__lt=now)
        )
    if flag == "open":
        return ~Q(status=TicketStatus.CLOSED)
    return Q()


def ticket_search_q(term: str) -> Q:
    """The caller's name or the content, or the last four digits or the whole of the caller's phone."""
    term = term.strip()[:40]
    digits = "".join(c for c in term if c.isdigit())
    q = Q(caller_name__contains=term) | Q(summary__contains=term)
    if len(digits) == 4:
        q |= Q(caller_phone_last4=digits)
    elif len(digits) >= 7:
        q |= hash_in("caller_phone_hash", digits)
    return q


def ticket_list(*, user, region: str = "", capability: str = Cap.DATA_VIEW) -> QuerySet:
    """Tickets in the user's scope, newest first (hotline/lists.py filters them: status, category, the flags
    of :func:`ticket_flag_q` and the search of :func:`ticket_search_q`)."""
    qs = scope_to_user(Ticket.objects.select_related("region", "station", "person"), user, capability)
    return in_region(qs, user, "region_id", region).order_by("-received_at", "-id")


def ticket_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Ticket:
    return get_scoped_or_404(
        Ticket.objects.select_related("region", "station", "person", "case", "created_by"),
        user,
        capability,
        pk=pk,
    )


def ticket_notes(*, user, ticket: Ticket) -> QuerySet:
    return scope_to_user(ticket.notes.select_related("actor"), user)


def flagged_count(*, user) -> int:
    return scope_to_user(Ticket.objects.filter(FLAGGED_Q), user).count()


def deadline_rules(*, user) -> QuerySet:
    """The rules that apply to the user: those of the regions above and in the jurisdiction."""
    rules = applying_to_user(DeadlineRule.objects.select_related("region"), user)
    return rules.order_by("region_id", "urgency")


def _minutes(value: dt.timedelta | None) -> float | None:
    return round(value.total_seconds() / 60, 1) if value is not None else None


def hotline_figures(*, user, region: str, since: dt.date, until: dt.date) -> dict:
    """Tickets received in [since, until] in ``region``: counts by category and channel, response and resolution
    against the deadlines, average response time, and crises not yet acted on (whenever received)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(since, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    scoped = scope_to_user(Ticket.objects.all(), user).filter(code_prefix_q("region_id", region))
    period = scoped.filter(received_at__gte=start, received_at__lt=end)
    totals = period.aggregate(
        received=Count("id"),
        crisis=Count("id", filter=CRISIS_Q),
        responded=Count("id", filter=Q(acted_at__isnull=False)),
        responded_in_time=Count("id", filter=Q(acted_at__lte=F("respond_by"))),
        closed=Count("id", filter=Q(closed_at__isnull=False)),
        resolved_in_time=Count("id", filter=Q(closed_at__lte=F("resolve_by"))),
        linked=Count("id", filter=Q(person__isnull=False)),
        cases=Count("id", filter=Q(case__isnull=False)),
    )
    average = period.filter(acted_at__isnull=False).aggregate(
        avg=Avg(ExpressionWrapper(F("acted_at") - F("received_at"), output_field=DurationField()))
    )["avg"]
    by_category = dict(period.values_list("category").annotate(n=Count("id")).order_by())
    by_channel = dict(period.values_list("channel").annotate(n=Count("id")).order_by())
    received = totals["received"]
    return {
        **totals,
        "response_rate": share(totals["responded_in_time"], received),
        "resolution_rate": share(totals["resolved_in_time"], received),
        "average_response_minutes": _minutes(average),
        "flagged_now": scoped.filter(FLAGGED_Q).count(),
        "by_category": {value: by_category.get(value, 0) for value in Category.values},
        "by_channel": by_channel,
    }
