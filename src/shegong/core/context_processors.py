from django.conf import settings


def shell(request):
    user = getattr(request, "user", None)
    menu, tree, own = [], [], []
    if user is not None and user.is_authenticated:
        from shegong.core.navigation import menu_for, menu_tree, user_menu

        menu = menu_for(user)
        tree = menu_tree(user)
        own = user_menu(user)
    return {"menu": menu, "menu_tree": tree, "user_menu": own, "DEMO": settings.DEMO}
