from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions


class BearerTokenAuthentication(TokenAuthentication):
    """knox tokens (hashed at rest, expiring, revocable), sent as ``Authorization: Bearer <token>``."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as exc:
            raise exceptions.AuthenticationFailed(_("The token is malformed, expired or revoked.")) from exc

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is deactivated."))
        return (auth_token.user, auth_token)
