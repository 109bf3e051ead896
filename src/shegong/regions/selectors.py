"""Reads of regions, always through the user's scope."""

from django.db.models import Count, Q, QuerySet

from shegong.accounts.roles import Cap
from shegong.lib.scoping import code_prefix_q, get_scoped_or_404, narrowed, scope_to_user
from shegong.regions.models import Level, Region


def region_list(*, user, parent: str | None = None, search: str = "", level: int | None = None) -> QuerySet:
    qs = scope_to_user(Region.objects.all(), user, Cap.REGIONS_VIEW)
    qs = narrowed(qs, parent_id=parent, level=level)
    if search:
        term = search.strip()
        qs = qs.filter(
            Q(name__contains=term) | Q(initials__startswith=term.upper()) | Q(code__startswith=term)
        )
    return qs


def region_get(*, user, code: str) -> Region:
    return get_scoped_or_404(Region.objects.all(), user, Cap.REGIONS_VIEW, code=code)


def region_roots(*, user) -> QuerySet:
    """The top of what the user may browse: their jurisdiction, or the provinces for national roles."""
    if user.jurisdiction_code:
        return region_list(user=user).filter(code=user.jurisdiction_code)
    return region_list(user=user, level=Level.PROVINCE)


def region_children(*, user, region: Region) -> QuerySet:
    return (
        region_list(user=user, parent=region.code).annotate(children_count=Count("children")).order_by("code")
    )


def region_descendant_counts(*, user, region: Region) -> dict[int, int]:
    """How many divisions lie under ``region`` at each lower level, e.g. {2: 9, 3: 88, 4: 1513, 5: 17000}."""
    rows = (
        scope_to_user(Region.objects.all(), user, Cap.REGIONS_VIEW)
        .filter(code_prefix_q("code", region.code), level__gt=region.level)
        .values("level")
        .annotate(n=Count("code"))
        .order_by("level")
    )
    return {row["level"]: row["n"] for row in rows}


def region_breadcrumb(*, user, region: Region) -> list[dict]:
    """Ancestors from the province down; each links only if the user may open it."""
    names = dict(Region.objects.filter(code__in=region.ancestor_codes()).values_list("code", "name"))
    prefix = user.jurisdiction_code
    return [
        {"code": code, "name": names.get(code, code), "linkable": code.startswith(prefix)}
        for code in region.ancestor_codes()
    ]


def region_find(*, user, code: str, capability: str = Cap.DATA_EDIT, levels=None) -> Region | None:
    """The one search of a division by its code: the region inside the user's jurisdiction that ``user`` may
    use with ``capability`` (and, if given, of one of ``levels``); None for anything else — not a code, unknown,
    or outside the jurisdiction — so a form names the field rather than leaking another region."""
    code = (code or "").strip()
    if not (code.isascii() and code.isdigit()) or len(code) > 12:
        return None
    qs = scope_to_user(Region.objects.all(), user, capability)
    qs = narrowed(qs, level__in=levels)
    return qs.filter(code=code).first()
