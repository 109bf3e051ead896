"""One login check for the web form and the API token endpoint, so the API is no way around two factors.

django-axes counts failures (wrong password, and wrong second factor, which we report through the
user_login_failed signal) and locks the username after LOGIN_FAILURE_LIMIT of them.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.accounts.services import confirmed_totp_device
from shegong.audit.services import Event, audit_event


class LoginError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class LoginResult:
    user: User
    device: object | None  # the verified TOTP device, if any
    needs_enrolment: bool


def check_login(
    request, *, username: str, password: str, otp_token: str = "", for_api: bool = False
) -> LoginResult:
    username = (username or "").strip()
    if not username or not password:
        raise LoginError("missing", _("Enter your username and password."))
    credentials = {"username": username}
    if AxesProxyHandler.is_locked(request, credentials):
        _audit_locked(request, username)
        raise LoginError("locked", locked_message(username))
    user = authenticate(request, username=username, password=password)
    if user is None:
        if AxesProxyHandler.is_locked(request, credentials):
            _audit_locked(request, username)
            raise LoginError("locked", locked_message(username))
        raise LoginError("invalid", _("The username or password is wrong."))
    device = confirmed_totp_device(user)
    if device is None and user.needs_two_factor:
        if for_api:
            raise LoginError(
                "two_factor_setup",
                _("Two-factor login is required for this account: log in on the web site once to set it up."),
            )
        return LoginResult(user=user, device=None, needs_enrolment=True)
    if device is not None:
        token = (otp_token or "").strip().replace(" ", "")
        if not token:
            raise LoginError("two_factor_required", _("Enter the 6-digit code from your authenticator app."))
        if not device.verify_token(token):
            user_login_failed.send(
                sender=User, credentials={"username": username, "reason": "two_factor"}, request=request
            )
            if AxesProxyHandler.is_locked(request, credentials):
                _audit_locked(request, username)
                raise LoginError("locked", locked_message(username))
            raise LoginError("two_factor_invalid", _("The verification code is wrong or has expired."))
    if for_api and user.password_expired:
        raise LoginError("password_expired", _("Your password has expired: change it on the web site first."))
    return LoginResult(user=user, device=device, needs_enrolment=False)


def _audit_locked(request, username: str) -> None:

    target = User.objects.filter(username=username).first()
    audit_event(event=Event.LOCKED_OUT, request=request, username=username, obj=target, outcome="failure")


def lockout_remaining(username: str) -> timedelta:
    """How long until ``username`` may try again: the lockout runs from the last failure (django-axes keeps
    one row per username, address and browser; the newest counts)."""
    last = AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
    if last is None:
        return timedelta(0)
    return max(last.attempt_time + settings.AXES_COOLOFF_TIME - timezone.now(), timedelta(0))


def locked_message(username: str) -> str:
    """The one lockout message, for the page and the API alike, with the time left in whole minutes."""
    minutes = max(1, math.ceil(lockout_remaining(username).total_seconds() / 60))
    return _("Too many failed logins: this account is locked. Try again in %(minutes)d minutes.") % {
        "minutes": minutes
    }


def retry_after_seconds(username: str) -> int:
    return max(1, math.ceil(lockout_remaining(username).total_seconds()))


def locked_json(username: str) -> JsonResponse:
    """The API's answer to a locked username: HTTP 429 in the API's error shape, with the time left in the
    message, in ``retry_after`` (seconds) and in the Retry-After header."""
    seconds = retry_after_seconds(username)
    response = JsonResponse(
        {"message": locked_message(username), "code": "locked", "status": 429, "retry_after": seconds},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(seconds)
    return response
