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
