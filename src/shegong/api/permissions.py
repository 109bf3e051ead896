from rest_framework.permissions import BasePermission


def capability(cap: str):
    class HasCapability(BasePermission):
        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.can(cap))

    HasCapability.__name__ = f"Has_{cap.replace('.', '_')}"
    return HasCapability
