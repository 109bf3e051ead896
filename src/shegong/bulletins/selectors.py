"""Reads of bulletins, always through the user's scope."""

import datetime as dt

from django.db.models import QuerySet

from shegong.accounts.roles import Cap
from shegong.bulletins.models import Bulletin
from shegong.lib.scoping import get_scoped_or_404, in_region, scope_to_user


def parse_month(value: str) -> dt.date | None:
    """ "2025-03" (or "2025-03-01") as the first day of the month; None if it is not a month."""
    try:
        return dt.date.fromisoformat(value.strip()[:7] + "-01")
    except (ValueError, AttributeError):
        return None


def bulletin_list(*, user, region: str = "", month: dt.date | None = None) -> QuerySet:
    qs = scope_to_user(Bulletin.objects.select_related("region", "issued_by"), user).defer(
        "html", "xlsx", "pdf", "docx", "figures"
    )
    qs = in_region(qs, user, "region_id", region)
    if month is not None:
        qs = qs.filter(month=month)
    return qs.order_by("-month", "region_id", "-edition")


def bulletin_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Bulletin:
    return get_scoped_or_404(Bulletin.objects.select_related("region", "issued_by"), user, capability, pk=pk)
