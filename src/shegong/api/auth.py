from auditlog.context import auditlog_value
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions


class BearerTokenAuthentication(TokenAuthentication):
    """knox tokens (hashed at rest, expiring, revocable), sent as ``Authorization: Bearer <token>``."""

    def authenticate(self, request):
        try:
            found = super().authenticate(request)
        except exceptions.AuthenticationFailed as exc:
            raise exceptions.AuthenticationFailed(_("The token is malformed, expired or revoked.")) from exc
        if found is not None:
            _name_audit_actor(found[0])
        return found

    def _cleanup_token(self, auth_token) -> bool:
        """An expired token is deleted and refused. knox also read every other token of the account on each
        request to delete the expired ones (a query per API call); that is done when the account gets a new
        token (api/views.py token_obtain)."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is deactivated."))
        return (auth_token.user, auth_token)


def _name_audit_actor(user) -> None:
    """auditlog's middleware runs before DRF reads the token, when the request is still anonymous: name the
    token's account as the actor of every change this API request writes (the client address is set already)."""
    try:
        context = auditlog_value.get()
    except LookupError:  # outside a request (the middleware sets the context for each one)
        return
    if context.get("actor") is None:
        context["actor"] = user
