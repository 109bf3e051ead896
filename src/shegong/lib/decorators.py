from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from shegong.lib.guard import Refused


def capability_required(capability: str):
    """Anonymous users go to the login page; logged-in users whose role lacks the capability get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
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
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
