from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from shegong.audit.services import Event, audit_event


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit_event(event=Event.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_event(event=Event.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit_event(
        event=Event.LOGIN_FAILED,
        request=request,
        user=None,
        username=username,
        obj=user,
        outcome="failure",
        detail={"reason": (credentials or {}).get("reason", "credentials")},
    )
