from django.conf import settings

from shegong.accounts.middleware import session_seconds_left
from shegong.accounts.roles import Cap
from shegong.core.navigation import shell_for

CAPS = {name.lower(): value for name, value in vars(Cap).items() if name.isupper() and isinstance(value, str)}


class Capabilities(dict):
    """``can.<name>`` in a template: whether the user holds the capability, asked only for the names a page
    reads (a page reads one or two of about forty)."""

    def __init__(self, user):
        super().__init__()
        self.user = user

    def __missing__(self, name):
        if name not in CAPS:
            raise KeyError(name)
        self[name] = held = self.user.can(CAPS[name])
        return held


def shell(request):
    """The page shell: the side menu, the phone's bottom bar, breadcrumbs (core/navigation.py shell_for, the
    same for every user of a role on a page), the user's capabilities as ``can.<name>`` (for sub-navigation
    that shows only what the role uses), the seconds the session has left and the bureau's name."""
    user = getattr(request, "user", None)
    context = {"DEMO": settings.DEMO, "BUREAU_NAME": settings.SHEGONG_BUREAU_NAME}
    if user is None or not user.is_authenticated:
        return context | {
            "menu": [],
            "menu_tree": [],
            "user_menu": [],
            "bottom_bar": [],
            "crumbs": [],
            "active_tabs": (),
            "can": {},
        }
    match = getattr(request, "resolver_match", None)
    return (
        context
        | shell_for(user, match.view_name if match else "")
        | {"can": Capabilities(user), "session_seconds": session_seconds_left(request)}
    )
