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


def scope_to_user(qs: QuerySet, user, capability: str = Cap.DATA_VIEW) -> QuerySet:
    """Restrict ``qs`` to the rows ``user`` may see with ``capability``: none for anonymous users and roles
    without the capability, and only those inside the user's jurisdiction for everybody else."""
    if user is None or not user.is_authenticated or not user.can(capability):
        return qs.none()
    field = qs.model.SCOPE_FIELD
    return qs.filter(code_prefix_q(field, user.jurisdiction_code))


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
