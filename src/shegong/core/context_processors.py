from django.conf import settings


def shell(request):
    user = getattr(request, "user", None)
    menu, tree = [], []
    if user is not None and user.is_authenticated:
        from shegong.core.navigation import menu_for, menu_tree

        menu = menu_for(user)
        tree = menu_tree(user)
    return {"menu": menu, "menu_tree": tree, "DEMO": settings.DEMO}
