"""How an audit row reads to the audit officer, in Chinese: field names by their verbose names, related records
by their names (looked up a page at a time, never one query per row), times in local time to the second."""

import datetime as dt
from collections import defaultdict

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EVENT_LABELS = {
    "create": gettext_lazy("Create"),
    "update": gettext_lazy("Update"),
    "delete": gettext_lazy("Delete"),
    "login": gettext_lazy("Login"),
    "login_failed": gettext_lazy("Failed login"),
    "logout": gettext_lazy("Logout"),
    "locked_out": gettext_lazy("Locked out"),
    "lockout_released": gettext_lazy("Lockout released"),
    "two_factor_failed": gettext_lazy("Wrong verification code"),
    "two_factor_enrolled": gettext_lazy("Two-factor set up"),
    "password_changed": gettext_lazy("Password changed"),
    "token_issued": gettext_lazy("API token issued"),
    "token_revoked": gettext_lazy("API token revoked"),
    "view": gettext_lazy("Viewed"),
    "reveal": gettext_lazy("Viewed in clear"),
    "export": gettext_lazy("Export"),
    "import": gettext_lazy("Import"),
    "refused": gettext_lazy("Access refused"),
}
OUTCOME_LABELS = {"success": gettext_lazy("Success"), "failure": gettext_lazy("Failure")}
EMPTY = "—"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def local_time(moment: dt.datetime) -> str:
    """A stored (UTC) moment as the station's clock shows it (settings.TIME_ZONE), to the second."""
    return moment.astimezone(timezone.get_default_timezone()).strftime(TIME_FORMAT)


def event_key(entry: LogEntry) -> str:
    if entry.action == LogEntry.Action.ACCESS:
        data = entry.additional_data or {}
        if data.get("event") == "view" and data.get("revealed"):
            return "reveal"  # a masked ID number or phone shown in clear
        return data.get("event", "view")
    return {0: "create", 1: "update", 2: "delete"}.get(entry.action, "update")


def _field(model, name):
    """The model's own field of that name (not a reverse relation), or None for a field since removed."""
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) or getattr(field, "many_to_many", False) else None


def _is_reverse(model, name) -> bool:
    """A relation seen from its other side (a worker's certificates): auditlog lists it on a create as
    “workforce.Certificate.None”, which tells the auditor nothing; the other record's own row says it."""
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return False
    return field is not None and field.auto_created and not field.concrete


def _is_link(field) -> bool:
    return isinstance(field, models.ForeignKey)  # OneToOneField is a ForeignKey


def _changes(entry: LogEntry) -> list[tuple[str, object]]:
    """(field name, change) pairs of a model change; a change is [old, new] or auditlog's m2m dict."""
    if entry.action == LogEntry.Action.ACCESS:
        return []
    return list((entry.changes_dict or {}).items())


def related_names(entries: list[LogEntry]) -> dict[tuple, str]:
    """{(related model, stored id): name} for every foreign key value in the entries' changes: one query per
    related model, whatever the number of rows. A record deleted since reads “#id（已删除）”."""
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, change in _changes(entry):
            field = _field(model, name)
            if _is_link(field) and isinstance(change, list | tuple):
                wanted[field.related_model].update(v for v in change if v not in (None, "None", ""))
    names = {}
    for related, raw_ids in wanted.items():
        keys = {}
        for raw in raw_ids:
            try:
                keys[related._meta.pk.to_python(raw)] = raw
            except ValidationError:
                names[(related, raw)] = raw  # not an id (a value stored before the field became a key)
        found = {obj.pk: str(obj) for obj in related._base_manager.filter(pk__in=list(keys))}
        for key, raw in keys.items():
            names[(related, raw)] = found[key] if key in found else _("#%(id)s (deleted)") % {"id": raw}
    return names


def _value(field, raw, names: dict) -> str:
    if raw in (None, "None", ""):
        return EMPTY
    if _is_link(field):
        return names.get((field.related_model, raw), raw)
    if raw == "True":
        return _("Yes")
    if raw == "False":
        return _("No")
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(field, models.DateTimeField):
        return _stored_moment(raw)
    return str(raw)


def _stored_moment(raw: str) -> str:
    """auditlog stores a moment as naive UTC with microseconds (“2026-12-06 06:03:21.123456”)."""
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return raw
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return local_time(moment)


def describe_changes(entry: LogEntry, names: dict | None = None) -> str:
    """Changed fields in the model's own (translated) names: “服务对象: — → 张大爷”."""
    model = entry.content_type.model_class()
    names = related_names([entry]) if names is None else names
    parts = []
    for name, change in _changes(entry):
        field = _field(model, name)
        if field is not None and field.primary_key:
            continue  # the record itself is named in the row
        if field is None and _is_reverse(model, name):
            continue
        label = str(field.verbose_name) if field is not None else name
        if isinstance(change, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
            verb = _("added") if change.get("operation") == "add" else _("removed")
            parts.append(f"{label}: {verb} {'、'.join(map(str, change.get('objects', [])))}")
        else:
            old, new = change
            parts.append(f"{label}: {_value(field, old, names)} → {_value(field, new, names)}")
    return "；".join(parts)


DETAIL_LABELS = {  # what an event row's details say, in the order shown; other keys stay in the database only
    "rows": gettext_lazy("rows read"),
    "created": gettext_lazy("records created"),
    "updated": gettext_lazy("records updated"),
    "skipped": gettext_lazy("rows skipped"),
    "error_count": gettext_lazy("errors found"),
    "message": gettext_lazy("reason for failure"),
    "format": gettext_lazy("file format"),
    "clear_pii": gettext_lazy("personal data in clear"),
    "path": gettext_lazy("address asked for"),
    "capability": gettext_lazy("capability needed"),
    "region": gettext_lazy("division asked for"),
}
FAILED_LOGIN_REASONS = {
    "credentials": gettext_lazy("wrong user name or password"),
    "two_factor": gettext_lazy("wrong verification code"),
}


def describe_detail(entry: LogEntry) -> str:
    """An event's details in words: “读取行数: 120；新建记录: 118；更新记录: 2”, “失败原因: 动态口令错误”."""
    data = entry.additional_data or {}
    parts = []
    if data.get("event") == "login_failed" and data.get("reason"):
        reason = data["reason"]
        parts.append(f"{_('reason for failure')}: {FAILED_LOGIN_REASONS.get(reason, reason)}")
    shown = data.get("revealed") or data.get("fields")
    if shown:
        model = entry.content_type.model_class()
        fields = [_field(model, name) for name in ([shown] if isinstance(shown, str) else shown)]
        labels = [str(f.verbose_name) if f is not None else "" for f in fields]
        parts.append(f"{_('field shown in clear')}: {'、'.join(filter(None, labels))}")
    for key, label in DETAIL_LABELS.items():
        value = data.get(key)
        if value in (None, "") or isinstance(value, list | dict):
            continue
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        parts.append(f"{label}: {value}")
    return "；".join(parts)


def present(entry: LogEntry, names: dict | None = None) -> dict:
    data = entry.additional_data or {}
    key = event_key(entry)
    model = entry.content_type.model_class()
    return {
        "time": local_time(entry.timestamp),
        "user": entry.actor.username if entry.actor else data.get("username", ""),
        "ip": entry.remote_addr or EMPTY,
        "event": str(EVENT_LABELS.get(key, key)),
        "object_type": str(model._meta.verbose_name) if model else "",
        "object": entry.object_repr,
        "changes": describe_detail(entry)
        if entry.action == LogEntry.Action.ACCESS
        else describe_changes(entry, names),
        "outcome": str(OUTCOME_LABELS.get(data.get("outcome", "success"), "")),
    }


def present_all(entries) -> list[dict]:
    """Rows for a page (or a chunk of an export) of entries, their foreign keys named in a few queries."""
    entries = list(entries)
    names = related_names(entries)
    return [present(entry, names) for entry in entries]
