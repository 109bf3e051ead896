from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from shegong.lib.guard import Refused


def capability(cap: str):
    class HasCapability(BasePermission):
        def has_permission(self, request, view):
            if not (request.user and request.user.is_authenticated):
                return False  # 401: log in first
            if not request.user.can(cap):
                raise Refused(_("Your role may not use this endpoint."), capability=cap)
            return True

    HasCapability.__name__ = f"Has_{cap.replace('.', '_')}"
    return HasCapability
