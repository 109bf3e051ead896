"""How an audit row reads to the audit officer, in Chinese."""

from auditlog.models import LogEntry
from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "create": _("Create"),
    "update": _("Update"),
    "delete": _("Delete"),
    "login": _("Login"),
    "login_failed": _("Failed login"),
    "logout": _("Logout"),
    "locked_out": _("Locked out"),
    "lockout_released": _("Lockout released"),
    "two_factor_failed": _("Wrong verification code"),
    "two_factor_enrolled": _("Two-factor set up"),
    "password_changed": _("Password changed"),
    "token_issued": _("API token issued"),
    "token_revoked": _("API token revoked"),
    "view": _("Viewed"),
    "reveal": _("Viewed in clear"),
    "export": _("Export"),
    "import": _("Import"),
}
OUTCOME_LABELS = {"success": _("Success"), "failure": _("Failure")}


def event_key(entry: LogEntry) -> str:
    if entry.action == LogEntry.Action.ACCESS:
        data = entry.additional_data or {}
        if data.get("event") == "view" and data.get("revealed"):
            return "reveal"  # a masked ID number or phone shown in clear
        return data.get("event", "view")
    return {0: "create", 1: "update", 2: "delete"}.get(entry.action, "update")


def _value(field, raw) -> str:
    if raw in (None, "None", ""):
        return "—"
    if raw == "True":
        return str(_("Yes"))
    if raw == "False":
        return str(_("No"))
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(raw, raw))
    return str(raw)


def describe_changes(entry: LogEntry) -> str:
    """Changed fields in the model's own (translated) names: “常住人口: — → 850000”."""
    model = entry.content_type.model_class()
    parts = []
    for name, (old, new) in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(name) if model else None
        except Exception:
            field = None
        label = str(getattr(field, "verbose_name", name))
        parts.append(f"{label}: {_value(field, old)} → {_value(field, new)}")
    return "；".join(parts)


def present(entry: LogEntry) -> dict:
    data = entry.additional_data or {}
    key = event_key(entry)
    changed = describe_changes(entry) if entry.action != LogEntry.Action.ACCESS else ""
    return {
        "time": entry.timestamp,
        "user": entry.actor.username if entry.actor else data.get("username", ""),
        "ip": entry.remote_addr or "",
        "event": str(EVENT_LABELS.get(key, key)),
        "object_type": str(entry.content_type.model_class()._meta.verbose_name)
        if entry.content_type.model_class()
        else "",
        "object": entry.object_repr,
        "changes": changed,
        "outcome": str(OUTCOME_LABELS.get(data.get("outcome", "success"), "")),
    }
