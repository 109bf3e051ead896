"""The audit trail (审计日志). Model changes are captured by django-auditlog for every registered model;
events that are not model changes (logins, failed logins, views of sensitive records, exports, imports)
are written here into the same table, so the audit officer searches one trail.

Rows are append-only: a database trigger (migration 0001) refuses UPDATE and DELETE on the table, on
PostgreSQL and on SQLite alike, and no page or API offers to change them.
"""

import logging

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError

from shegong.lib.http import client_ip

logger = logging.getLogger("shegong.audit")


def id_ranges(ids) -> str:
    """Record ids as short ranges, “1-1000,1005,1007-1200”: an import's audit row names every file it wrote
    without listing a hundred thousand numbers."""
    parts, start, last = [], None, None
    for number in sorted(set(ids)):
        if start is not None and number == last + 1:
            last = number
            continue
        if start is not None:
            parts.append(f"{start}-{last}" if last > start else str(start))
        start = last = number
    if start is not None:
        parts.append(f"{start}-{last}" if last > start else str(start))
    return ",".join(parts)


class Event:
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    LOCKED_OUT = "locked_out"
    LOCKOUT_RELEASED = "lockout_released"
    TWO_FACTOR_FAILED = "two_factor_failed"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled"
    PASSWORD_CHANGED = "password_changed"
    TOKEN_ISSUED = "token_issued"
    TOKEN_REVOKED = "token_revoked"
    VIEW = "view"
    EXPORT = "export"
    IMPORT = "import"
    # A page or API call refused (403): the actor, the address and the capability it asked for.
    REFUSED = "refused"


def audit_event(
    *,
    event: str,
    request=None,
    user=None,
    username: str = "",
    obj=None,
    outcome: str = "success",
    detail: dict | None = None,
) -> LogEntry:
    """Write one event row: time, user, IP, event, object and outcome."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            user = request.user
    target = obj if obj is not None else user
    model = target if target is not None else get_user_model()
    data = {"event": event, "outcome": outcome, "username": username or (user.get_username() if user else "")}
    if detail:
        data.update(detail)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(target.pk) if target is not None else "",
        # auditlog's get_for_object() looks integer keys up by object_id: set it so views and exports of a
        # record are found with its changes.
        object_id=target.pk if target is not None and isinstance(target.pk, int) else None,
        object_repr=str(target) if target is not None else username,
        action=LogEntry.Action.ACCESS,
        actor=user,
        remote_addr=client_ip(request),
        additional_data=data,
    )


def audit_refusal(request, exc=None) -> None:
    """One row for each refusal (403 of a page or of the API): who, from which address, which path, and the
    capability and division asked for when the guard (``lib/guard.py``) named them. A database that cannot
    take the row (busy, or in a failed transaction) does not turn the refusal into a server error."""
    detail = {
        "path": request.path[:300],
        "method": request.method,
        "capability": getattr(exc, "capability", "") or "",
        "region": getattr(exc, "region", "") or "",
    }
    try:
        audit_event(event=Event.REFUSED, request=request, outcome="failure", detail=detail)
    except DatabaseError:
        logger.warning("refusal not audited: %s %s", request.method, request.path, exc_info=True)
