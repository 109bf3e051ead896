from django.conf import settings

from shegong.accounts.middleware import session_seconds_left
from shegong.accounts.roles import Cap
from shegong.core.navigation import bottom_bar, breadcrumb_for, menu_for, menu_tree, user_menu


def shell(request):
    """The page shell: the side menu, the phone's bottom bar, breadcrumbs, the user's capabilities as
    ``can.<name>`` (for sub-navigation that shows only what the role uses), the seconds the session has left
    and the bureau's name."""
    user = getattr(request, "user", None)
    menu, tree, own, bar, crumbs, can, left = [], [], [], [], [], {}, None
    if user is not None and user.is_authenticated:
        menu = menu_for(user)
        tree = menu_tree(user, menu)
        own = user_menu(user, menu)
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match else ""
        bar = bottom_bar(user, menu, view_name)
        crumbs = breadcrumb_for(user, view_name, menu)
        left = session_seconds_left(request)
        can = {
            name.lower(): user.can(value)
            for name, value in vars(Cap).items()
            if name.isupper() and isinstance(value, str)
        }
    return {
        "menu": menu,
        "menu_tree": tree,
        "user_menu": own,
        "bottom_bar": bar,
        "crumbs": crumbs,
        "can": can,
        "session_seconds": left,
        "DEMO": settings.DEMO,
        "BUREAU_NAME": settings.SHEGONG_BUREAU_NAME,
    }
