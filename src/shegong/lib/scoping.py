"""The one place that decides which rows of scoped data a user may see.

Every scoped model names the field that holds its division code with one line::

    class Station(models.Model):
        SCOPE_FIELD = "region_id"

and every selector passes its queryset through :func:`scope_to_user`. A user's jurisdiction is a division
code; the rows in it are those whose code starts with it. Division codes are digit strings, so "starts with
5223" is the half-open range ["5223", "5224"), which both PostgreSQL and SQLite answer from a plain b-tree
index, whatever the column's collation.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

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
