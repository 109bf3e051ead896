import datetime as dt
import ipaddress

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from django.utils import timezone

from shegong.accounts.roles import Cap


def audit_list(
    *,
    user,
    search: str = "",
    event: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet:
    """The audit trail, for the audit officer only; audit/lists.py filters it with the functions below."""
    if not user.is_authenticated or not user.can(Cap.AUDIT_VIEW):
        return LogEntry.objects.none()
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    qs = qs.filter(search_q(search)) if search else qs
    qs = qs.filter(event_q(event)) if event else qs
    return between(qs, date_from, date_to)


def search_q(search: str) -> Q:
    """Rows of a user name, an object (its name or id) or an IP address."""
    match = (
        Q(actor__username__icontains=search)
        | Q(object_repr__icontains=search)
        | Q(object_pk=search)
        | Q(additional_data__username=search)
    )
    return match | Q(remote_addr=search) if _looks_like_ip(search) else match


def event_q(event: str) -> Q:
    """Rows of one event (presenters.EVENT_LABELS): a model change, a clear view, or another access."""
    if event in {"create", "update", "delete"}:
        return Q(action={"create": 0, "update": 1, "delete": 2}[event])
    if event == "reveal":
        return Q(
            action=LogEntry.Action.ACCESS, additional_data__event="view", additional_data__has_key="revealed"
        )
    return Q(action=LogEntry.Action.ACCESS, additional_data__event=event)


def between(qs: QuerySet, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet:
    """Rows of the days from ``date_from`` to ``date_to`` (inclusive, local days)."""
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(timestamp__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(
            timestamp__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return qs


def _looks_like_ip(text: str) -> bool:

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
