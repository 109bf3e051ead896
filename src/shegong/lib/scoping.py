"""The one place that decides which rows of scoped data a user may see.

Every scoped model names the field that holds its division code with one line::

    class Station(models.Model):
        SCOPE_FIELD = "region_id"

and every selector passes its queryset through :func:`scope_to_user`. A user's jurisdiction is a division
code; the rows in it are those whose code starts with it. Division codes are digit strings, so "starts with
5223" is the half-open range ["5223", "5224"), which both PostgreSQL and SQLite answer from a plain b-tree
index, whatever the column's collation.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap


def next_code(prefix: str) -> str | None:
    """The smallest digit string of the same length greater than ``prefix``; None after all nines."""
    if not prefix:
        return None
    digits = list(prefix)
    for i in range(len(digits) - 1, -1, -1):
        if digits[i] != "9":
            digits[i] = str(int(digits[i]) + 1)
            return "".join(digits[: i + 1]) + "0" * (len(digits) - i - 1)
        digits[i] = "0"
    return None


def code_prefix_q(field: str, prefix: str) -> Q:
    """A filter for rows whose ``field`` starts with the division code ``prefix``."""
    if not prefix:
        return Q()
    if not (prefix.isascii() and prefix.isdigit()):
        # Not a division code (e.g. "?region=abc" typed into a URL): nothing matches.
        return Q(pk__in=[])
    upper = next_code(prefix)
    if upper is None:
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


# Length of a division code at each level: province, prefecture, county, township, village.
LEVEL_LENGTHS = (2, 4, 6, 9, 12)


def lineage(code: str) -> list[str]:
    """The division ``code`` and every division above it, from the province down (520000 is written 52):
    ``lineage("522301001") == ["52", "5223", "522301", "522301001"]``.

    This is the one meaning of "the rule set higher up applies" (上级规则适用): a rule, template or catalogue
    set at a region applies in the region itself and in every region below it, and where several apply, the
    one of the nearest region wins: the region's own, else its nearest ancestor's (:func:`nearest`)."""
    code = (code or "").strip()
    if not (code.isascii() and code.isdigit()):
        return []
    return [code[:n] for n in LEVEL_LENGTHS if n <= len(code)]


def nearest(values_by_code: dict, code: str, default=None):
    """The value set for the nearest region at or above ``code`` in ``values_by_code`` (keyed by division
    code): the region's own, else its nearest ancestor's, else the national one (keyed ``""``: a shipped row
    without a region), else ``default``."""
    for prefix in [*reversed(lineage(code)), ""]:
        if prefix in values_by_code:
            return values_by_code[prefix]
    return default


def applies_q(field: str, code: str, *, templates: bool = False, inside: bool = False) -> Q:
    """A filter for the rows of a rule or template table whose region (``field``) applies at ``code``: those set
    at ``code`` or above it (:func:`lineage`); with ``templates`` also the shipped rows that have no region;
    with ``inside`` also those set in regions inside ``code`` (what an administrator sees of their own area).
    For the whole country (``code`` empty) ``inside`` means every row."""
    if inside and not code:
        return Q()
    q = Q(**{f"{field}__in": lineage(code)})
    if templates:
        q |= Q(**{f"{field}__isnull": True})
    if inside:
        q |= code_prefix_q(field, code)
    return q


def scope_to_user(qs: QuerySet, user, capability: str = Cap.DATA_VIEW) -> QuerySet:
    """Restrict ``qs`` to the rows ``user`` may see with ``capability``: none for anonymous users and roles
    without the capability, and only those inside the user's jurisdiction for everybody else."""
    if user is None or not user.is_authenticated or not user.can(capability):
        return qs.none()
    field = qs.model.SCOPE_FIELD
    return qs.filter(code_prefix_q(field, user.jurisdiction_code))


def applying_to_user(
    qs: QuerySet, user, capability: str = Cap.DATA_VIEW, *, templates: bool = False
) -> QuerySet:
    """The rows of a rule or template table (``qs``, by its ``region_id``) that bear on the user's jurisdiction:
    those set above it, at it and inside it (:func:`applies_q` ``inside``; with ``templates`` also the shipped
    rows without a region); none for a user without ``capability``."""
    if user is None or not user.is_authenticated or not user.can(capability):
        return qs.none()
    return qs.filter(applies_q("region_id", user.jurisdiction_code, templates=templates, inside=True))


def scope_to_area(qs: QuerySet, user, area: str, capability: str = Cap.DATA_VIEW) -> QuerySet:
    """Restrict ``qs`` to the rows inside ``area``, a region that holds or lies inside the user's jurisdiction:
    the one widening of :func:`scope_to_user`, for a choice a worker makes beyond their own township (a case
    referred to a neighbouring station of the same county). A region beside the jurisdiction gives nothing."""
    if user is None or not user.is_authenticated or not user.can(capability):
        return qs.none()
    own = user.jurisdiction_code
    if not (area.startswith(own) or own.startswith(area)):
        return qs.none()
    return qs.filter(code_prefix_q(qs.model.SCOPE_FIELD, area))


def get_scoped_or_404(qs: QuerySet, user, capability: str = Cap.DATA_VIEW, **lookup):
    """One object from the user's scope. Out of scope and non-existent look the same: 404, so that the
    existence of another region's records is not leaked."""
    try:
        return scope_to_user(qs, user, capability).get(**lookup)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


def in_jurisdiction(user, code: str) -> bool:
    prefix = user.jurisdiction_code
    return code.startswith(prefix)


def region_asked(user, code: str) -> str:
    """The division a list, export or API call asks for (``?region=``), checked against the user's
    jurisdiction: "" when none is asked; the code when it lies inside; the jurisdiction itself when the code
    is above it (what the user may see of 黔西南州 is their 兴义市, as a station's county asked by a township
    worker); and Http404 for a region beside it.

    This is the one place a requested region is resolved. A region beside the jurisdiction is never replaced
    by the user's own: a file asked for 兴仁市 must not quietly hold 兴义市's rows. Out of scope and
    non-existent answer alike, so the existence of another region's records is not leaked."""
    code = (code or "").strip()[:12]
    if not code:
        return ""
    own = user.jurisdiction_code
    if code.isascii() and code.isdigit():
        if code.startswith(own):
            return code
        if own.startswith(code):
            return own
    raise Http404(_("Division %(code)s is outside your jurisdiction.") % {"code": code})


def region_field(user, code: str) -> str:
    """:func:`region_asked` for a division code typed into a form field: a region beside the jurisdiction is
    the field's Chinese message rather than a 404 page."""
    try:
        return region_asked(user, code)
    except Http404 as exc:
        raise ValidationError(str(exc)) from exc


def area_of(user, code: str) -> str:
    """The division a page or figure covers: the region asked for (checked by :func:`region_asked`), or
    the user's own jurisdiction when none is asked."""
    return region_asked(user, code) or user.jurisdiction_code


def in_region(qs: QuerySet, user, field: str, code: str) -> QuerySet:
    """``qs`` narrowed to the region asked for, after :func:`region_asked` has checked it (404 outside)."""
    code = region_asked(user, code)
    return qs.filter(code_prefix_q(field, code)) if code else qs


def narrowed(qs: QuerySet, **lookups) -> QuerySet:
    """``qs`` filtered by each lookup given a value, one ``filter()`` each, in order; a lookup left empty
    (``""``, None: the list's filter not chosen) narrows nothing. ``narrowed(qs, status=status,
    held_on__gte=since)`` is what a selector wrote as one ``if value: qs = qs.filter(...)`` a filter."""
    for lookup, value in lookups.items():
        if value:
            qs = qs.filter(**{lookup: value})
    return qs


def row_or_404(qs: QuerySet, **lookup):
    """The one row of ``qs`` (a list the user may see, already scoped) matching ``lookup``; none, or a
    malformed id, answers 404."""
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
