from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from shegong.lib.guard import Refused


def login_page(request):
    """The login page, then back where the user was. A form posted after the session ended comes back to the
    page the form was on (its Referer, when it is this site's), not to the address it posts to (an action
    such as /cases/5/contact/ has no page of its own); the browser's draft refills the form there
    (static/shegong/fieldwork.js)."""
    back = request.get_full_path()
    if request.method == "POST":
        referer = request.headers.get("Referer", "")
        if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(referer)
            back = parts.path + (f"?{parts.query}" if parts.query else "")
    return redirect_to_login(back)


def capability_required(capability: str):
    """Anonymous users go to the login page; logged-in users whose role lacks the capability get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return login_page(request)
            if not request.user.can(capability):
                raise Refused(_("Your role may not use this page."), capability=capability)
            return view(request, *args, **kwargs)

        wrapper.capability = capability
        return wrapper

    return decorator


def login_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_page(request)
        return view(request, *args, **kwargs)

    return wrapper
