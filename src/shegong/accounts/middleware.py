import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

# Pages a logged-in user may reach before finishing two-factor enrolment or a forced password change.
EXEMPT = {
    "accounts:logout",
    "accounts:two_factor_setup",
    "accounts:password_change",
    "core:healthz",
    "core:jsi18n",
}


class AccountPolicyMiddleware:
    """Sends a logged-in user who still owes a second factor or a new password to the page for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(("/api/", "/static/")):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in EXEMPT:
                if user.needs_two_factor and not user.is_verified():
                    return redirect("accounts:two_factor_setup")
                if user.password_expired:
                    return redirect("accounts:password_change")
        return self.get_response(request)


# The idle timeout (SESSION_COOKIE_AGE, 30 minutes) is renewed at most this often: saving the session on every
# request (SESSION_SAVE_EVERY_REQUEST) wrote a row and flushed the database's log for every page and click.
RENEW_EVERY = 60
RENEWED = "_renewed"


def session_seconds_left(request) -> int:
    """How long the session lasts without another request: the idle timeout from its last renewal."""
    session = getattr(request, "session", None)
    if not session:
        return settings.SESSION_COOKIE_AGE
    since = int(time.time()) - int(session.get(RENEWED, time.time()))
    return max(0, settings.SESSION_COOKIE_AGE - max(0, since))


class SessionRenewalMiddleware:
    """Keeps a logged-in user's session alive while they work: a request renews the idle timeout when the
    last renewal is a minute old (or the session is being saved anyway), so the session ends 29 to 30
    minutes after the last request. Anonymous visitors get no session from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or not session.session_key:
            return response
        now = int(time.time())
        if session.modified or now - int(session.get(RENEWED, 0)) >= RENEW_EVERY:
            session[RENEWED] = now
        return response
