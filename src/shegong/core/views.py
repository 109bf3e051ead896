import sys

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from shegong.accounts.roles import Cap
from shegong.audit.services import audit_refusal
from shegong.lib.busy import RETRY_AFTER_SECONDS, busy_message, busy_title, database_busy
from shegong.lib.decorators import login_required
from shegong.lib.guard import Refused
from shegong.regions.models import Level
from shegong.regions.selectors import region_breadcrumb, region_descendant_counts
from shegong.workbench.views import workbench_context


@login_required
def home(request):
    """The role's workbench (工作台, workbench/): to-dos and the figures it reads, each a link to its records.
    The three administrators of 三员分立, who see no service data, keep the summary of their jurisdiction."""

    user = request.user
    context = {"jurisdiction": user.jurisdiction, "levels": []}
    if user.jurisdiction_id and user.can(Cap.REGIONS_VIEW):
        context["breadcrumb"] = region_breadcrumb(user=user, region=user.jurisdiction)
    workbench = workbench_context(user)
    if workbench is not None:
        context.update(workbench)
        return render(request, "workbench/home.html", context)
    if user.jurisdiction_id and user.can(Cap.REGIONS_VIEW):
        counts = region_descendant_counts(user=user, region=user.jurisdiction)
        context["levels"] = [
            (Level(level).label, counts.get(level, 0))
            for level in range(user.jurisdiction.level + 1, Level.VILLAGE + 1)
        ]
    return render(request, "core/home.html", context)


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database, "vendor": connection.vendor},
        status=status,
    )


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def error_400(request, exception=None):
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def error_403(request, exception=None):
    """Every refusal of a page ends here (the guard's ``Refused`` included): it is written to the audit trail
    and shown as the 403 page, with the guard's reason when it gave one."""
    audit_refusal(request, exception)
    message = str(exception) if isinstance(exception, Refused) else _("Your role may not use this page.")
    return _error(request, 403, _("Access denied"), message)


def error_404(request, exception=None):
    return _error(
        request, 404, _("Not found"), _("The page or record does not exist, or is outside your jurisdiction.")
    )


def error_500(request):
    if database_busy(
        sys.exc_info()[1]
    ):  # raised by a middleware (a session saved on SQLite) rather than a view
        return busy_response(request)
    return _error(
        request,
        500,
        _("Server error"),
        _("Something went wrong on our side. The error has been logged; please try again later."),
    )


def error_413(request, limit_mb: int):
    return _error(
        request,
        413,
        _("File too large"),
        _(
            "The upload is larger than %(mb)s MB, the most the system accepts in one request. Send a smaller file or split it."
        )
        % {"mb": limit_mb},
    )


def csrf_failure(request, reason=""):
    return _error(
        request, 403, _("Session expired"), _("The form has expired. Reload the page and submit it again.")
    )


def busy_response(request):
    """503 with Retry-After: the database was too busy to take the write (lib/busy.py)."""
    response = _error(request, 503, busy_title(), busy_message())
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _error(request, status: int, title: str, message: str):
    if _wants_json(request):
        return JsonResponse({"message": message, "status": status}, status=status)
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )
