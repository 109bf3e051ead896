from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from shegong.accounts.auth import LoginError, check_login, locked_json
from shegong.api.schema import error_response
from shegong.audit.services import Event, audit_event


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField()
    otp = serializers.CharField(
        required=False, allow_blank=True, help_text="6-digit TOTP code for two-factor accounts"
    )


# A wrong password and a wrong code are both a failed login (they count towards the lockout): 401.
_LOGIN_ERROR_STATUS = {
    "invalid": status.HTTP_401_UNAUTHORIZED,
    "two_factor_invalid": status.HTTP_401_UNAUTHORIZED,
    "two_factor_setup": status.HTTP_403_FORBIDDEN,
    "password_expired": status.HTTP_403_FORBIDDEN,
}


@extend_schema(
    request=TokenRequestSerializer,
    responses={
        200: inline_serializer(
            "TokenResponse", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
        ),
        401: error_response("Wrong username, password or code (code: invalid, two_factor_invalid)."),
        403: error_response("Two-factor set-up or a password change is due first (on the web)."),
        429: error_response("Locked after too many failures; Retry-After gives the seconds left."),
    },
    auth=[],
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def token_obtain(request):
    """Exchange username, password (and the TOTP code, for two-factor accounts) for a bearer token."""
    data = TokenRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        result = check_login(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
            otp_token=data.validated_data.get("otp", ""),
            for_api=True,
        )
    except LoginError as exc:
        if exc.code == "locked":
            return locked_json(data.validated_data["username"].strip())
        code = _LOGIN_ERROR_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST)
        return Response({"message": exc.message, "code": exc.code, "status": code}, status=code)
    # The account's expired tokens go when it gets a new one (api/auth.py: requests check only their own).
    AuthToken.objects.filter(user=result.user, expiry__lt=timezone.now()).delete()
    instance, token = AuthToken.objects.create(result.user)
    audit_event(event=Event.TOKEN_ISSUED, request=request._request, user=result.user)
    return Response({"token": token, "expiry": instance.expiry})


@extend_schema(request=None, responses={204: None})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def token_revoke(request):
    """Revoke the token this request was made with."""
    request._auth.delete()
    audit_event(event=Event.TOKEN_REVOKED, request=request._request, user=request.user)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(request=None, responses={204: None})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def token_revoke_all(request):
    """Revoke every token of the current user."""
    request.user.auth_token_set.all().delete()
    audit_event(event=Event.TOKEN_REVOKED, request=request._request, user=request.user, detail={"all": True})
    return Response(status=status.HTTP_204_NO_CONTENT)


# No CSRF check here: the answer is the same 404 whatever the method, and checking first turned a POST to an
# unknown API address into a 403 (the API authenticates by bearer token; DRF views are CSRF-exempt too).
@csrf_exempt
def not_found(request, *args, **kwargs):
    return JsonResponse({"message": _("No such API endpoint."), "status": 404}, status=404)
