"""The one authorization guard of the services (授权).

Every public service that takes an ``actor`` states once what it needs::

    def issue_close(*, actor, issue, ...):
        require(actor, Cap.DATA_EDIT, issue.meeting.region_id)

``require`` raises :class:`Refused` (a ``PermissionDenied``) when the actor's role lacks the capability or the
record lies outside the actor's jurisdiction. Pages and the API only map it: the 403 page
(``core/views.py error_403``) and the API's JSON error (``api/errors.py``), and each refusal is written to the
audit trail as a ``refused`` event (``audit_refusal``). ``actor=None`` is the system itself (demo data,
migrations, commands), as in ``lib/workflow.py``.

A division or station *chosen in a form* is input, not a refusal: :func:`require_choice` answers a field
error for a choice outside the jurisdiction, as the pages have always shown it.

``lib/tests/test_guard_coverage.py`` walks every service module and fails for a public function that takes an
``actor`` and never calls :func:`require` (directly or through :func:`requires`).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from shegong.lib.scoping import in_jurisdiction


class Refused(PermissionDenied):
    """The one exception of an unauthorised actor: what was asked (capability, region) travels with it so the
    audit trail can name it."""

    def __init__(self, message: str, *, capability: str = "", region: str = ""):
        super().__init__(message)
        self.message = message
        self.capability = capability
        self.region = region

    def __str__(self) -> str:
        return str(self.message)


def _code(region) -> str | None:
    """A division code from a code, a Region or None."""
    if region is None:
        return None
    return getattr(region, "code", region) or ""


def allowed(actor, capability: str, region=None) -> bool:
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.can(capability):
        return False
    code = _code(region)
    return code is None or in_jurisdiction(actor, code)


def require(actor, capability: str, region=None) -> None:
    """Refuse ``actor`` unless their role holds ``capability`` and, when ``region`` (a division code or a
    Region) is given, it lies inside their jurisdiction."""
    if actor is None:
        return
    if not getattr(actor, "is_authenticated", False) or not actor.can(capability):
        raise Refused(_("Your role may not do this."), capability=capability)
    code = _code(region)
    if code is not None and not in_jurisdiction(actor, code):
        raise Refused(_("This is outside your jurisdiction."), capability=capability, region=code)


def requires(capability: str):
    """Decorator form of :func:`require` for a service whose only condition is the capability."""

    def decorator(service):
        @wraps(service)
        def wrapper(*args, **kwargs):
            require(kwargs.get("actor"), capability)
            return service(*args, **kwargs)

        wrapper.__guarded__ = capability  # lib/tests/test_guard_coverage.py reads it
        return wrapper

    return decorator


def require_choice(actor, region, field: str = "region", message: str | None = None) -> None:
    """A division chosen in a form must lie inside the actor's jurisdiction: else a field error (input, not a
    refusal). ``region`` may be a code, a Region or None (no choice, also an error)."""
    if actor is None:
        return
    code = _code(region)
    if not code or not in_jurisdiction(actor, code):
        raise ValidationError({field: message or _("This is outside your jurisdiction.")})


def require_station(actor, station) -> None:
    """A station chosen for a record (a team's, a group's) must be one of the actor's jurisdiction: else an error
    on ``station``, as :func:`require_choice`."""
    code = station.region_id if station else None
    require_choice(actor, code, "station", _("Choose a station in your jurisdiction."))
