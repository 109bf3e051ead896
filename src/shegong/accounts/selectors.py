from django.db.models import Q, QuerySet
from django.http import Http404

from shegong.accounts.models import User
from shegong.accounts.roles import Cap


def account_list(*, user, search: str = "", role: str = "") -> QuerySet:
    if not user.is_authenticated or not user.can(Cap.ACCOUNTS_MANAGE):
        return User.objects.none()
    qs = User.objects.select_related("jurisdiction").order_by("username")
    if search:
        qs = qs.filter(
            Q(username__icontains=search) | Q(full_name__icontains=search) | Q(jurisdiction_id=search)
        )
    if role:
        qs = qs.filter(role=role)
    return qs


def account_get(*, user, pk) -> User:
    try:
        return account_list(user=user).get(pk=pk)
    except (User.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
