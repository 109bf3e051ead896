"""Every API error is JSON with a message in Chinese, never an HTML page."""

import logging
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shegong.audit.services import audit_refusal
from shegong.lib.busy import RETRY_AFTER_SECONDS, busy_message, database_busy
from shegong.lib.guard import Refused

logger = logging.getLogger("shegong.api")


def service_error(exc: ValidationError, renamed: dict[str, str] | None = None) -> exceptions.ValidationError:
    """A service's ValidationError as the API's 400 body, field by field (``__all__`` as ``non_field_errors``);
    ``renamed`` gives the API's name of a model field where they differ ({"facility": "station"})."""
    if not hasattr(exc, "error_dict"):
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    renamed = {"__all__": "non_field_errors", **(renamed or {})}
    return exceptions.ValidationError({renamed.get(k, k): v for k, v in exc.message_dict.items()})


@contextmanager
def service_errors(renamed: dict[str, str] | None = None):
    """The block's service calls: a ValidationError they raise answers 400 as :func:`service_error` writes it."""
    try:
        yield
    except ValidationError as exc:
        raise service_error(exc, renamed) from exc


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or outside your jurisdiction."))
    elif isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        # Every refusal (the guard's Refused, a view's PermissionDenied, a permission class) is audited here,
        # and answered 403 with the guard's reason when it gave one.
        audit_refusal(context["request"], exc)
        reason = str(exc) if isinstance(exc, Refused) else _("Your role may not use this endpoint.")
        exc = exceptions.PermissionDenied(reason)
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc = exceptions.NotAuthenticated(_("Log in first: send Authorization: Bearer <token>."))
    elif isinstance(exc, exceptions.MethodNotAllowed):
        exc = exceptions.MethodNotAllowed(context["request"].method, _("This method is not allowed here."))
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(_("The request body is not valid JSON."))
    elif isinstance(exc, exceptions.Throttled):
        exc = exceptions.Throttled(exc.wait, _("Too many requests; try again later."))
    if database_busy(exc):
        return Response(
            {"message": busy_message(), "status": 503, "code": "busy"},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.error("unhandled API error", exc_info=exc)
        return Response(
            {"message": _("Server error; the error has been logged."), "status": 500},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    detail = response.data
    body = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        body["message"] = _("The input is not valid.")
        body["errors"] = detail
    else:
        body["message"] = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        code = getattr(exc, "default_code", None)
        if isinstance(detail, dict) and "code" in detail:
            code = detail["code"]
        if code:
            body["code"] = str(code)
    response.data = body
    return response
