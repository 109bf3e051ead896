from django.conf import settings


def shell(request):
    user = getattr(request, "user", None)
    menu = []
    if user is not None and user.is_authenticated:
        from shegong.core.navigation import menu_for

        menu = menu_for(user)
    return {"menu": menu, "DEMO": settings.DEMO}
