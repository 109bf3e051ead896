"""Writes to regions: loading the division tree, population and coverage scope."""

import copy
import datetime as dt
import lzma
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.lib import bulk
from shegong.lib.bulk import audit
from shegong.lib.guard import require
from shegong.lib.rows import save_valid
from shegong.regions.models import (
    CODE_LENGTHS,
    LEVEL_BY_LENGTH,
    Level,
    Region,
    ScopeChange,
    in_scope_on,
    parent_code,
)

DIVISIONS_FILE = Path(__file__).resolve().parent / "data" / "divisions-2023.tsv.xz"
BATCH = 2000


@dataclass
class LoadResult:
    created: int = 0
    renamed: int = 0
    unchanged: int = 0


def read_divisions(path: Path = DIVISIONS_FILE) -> Iterator[tuple[str, str, str]]:
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            code, name, initials = line.rstrip("\n").split("\t")
            yield code, name, initials


def _wanted(provinces: list[str] | None, upper_levels: int) -> Callable[[str], bool]:
    if not provinces:
        return lambda code: True
    upper_len = CODE_LENGTHS[Level(upper_levels)] if upper_levels else 0
    prefixes = tuple(provinces)
    return lambda code: len(code) <= upper_len or code.startswith(prefixes)


def regions_load(
    *, provinces: list[str] | None = None, upper_levels: int = 3, path: Path = DIVISIONS_FILE
) -> LoadResult:
    """Load the division tree: all of it, or all levels of the given provinces plus the upper
    ``upper_levels`` levels of the whole country. Idempotent: existing rows keep their population and
    scope; only missing rows are inserted and changed names updated. One transaction, all or nothing."""
    wanted = _wanted(provinces, upper_levels)
    result = LoadResult()
    with transaction.atomic():
        existing = dict(Region.objects.values_list("code", "name"))
        batch: list[Region] = []
        renamed: list[Region] = []
        for code, name, initials in read_divisions(path):
            if not wanted(code):
                continue
            old_name = existing.get(code)
            if old_name is None:
                batch.append(
                    Region(
                        code=code,
                        name=name,
                        level=LEVEL_BY_LENGTH[len(code)],
                        parent_id=parent_code(code),
                        initials=initials,
                    )
                )
                if len(batch) >= BATCH:
                    Region.objects.bulk_create(batch)
                    result.created += len(batch)
                    batch = []
            elif old_name != name:
                renamed.append(Region(code=code, name=name, initials=initials))
            else:
                result.unchanged += 1
        if batch:
            Region.objects.bulk_create(batch)
            result.created += len(batch)
        if renamed:
            Region.objects.bulk_update(renamed, ["name", "initials"], batch_size=BATCH)
            result.renamed = len(renamed)
    return result


# Changes made through save() are written to the audit trail by django-auditlog (see apps.py); the
# actor is the request's user, or the job's owner inside a background job.


FIRST_STATISTICS_YEAR = 2000


def statistics_years() -> range:
    """The statistics years a population may be given for: from 2000 to next year (figures published ahead).
    2099 or 1950 is a typing slip, not a statistic."""
    return range(FIRST_STATISTICS_YEAR, timezone.localdate().year + 2)


def _population_year_check(year: int | None) -> None:
    years = statistics_years()
    if year is not None and year not in years:
        raise ValidationError(
            {
                "population_year": _("Give a year from %(first)d to %(last)d.")
                % {"first": years[0], "last": years[-1]}
            }
        )


def region_set_population(
    *, actor, region: Region, population: int | None, year: int | None = None
) -> Region:
    require(actor, Cap.REGIONS_EDIT, region.code)
    _population_year_check(year)
    region.population = population
    region.population_year = year
    region.full_clean()
    region.save(update_fields=["population", "population_year"])
    return region


# Relations a bulk write is given as objects (no look-up per row to check they exist), and the code, which
# is the key of a division on file.
_GIVEN = ["code", "parent", "scope_changed_by"]


@transaction.atomic
def regions_set_population_many(*, actor, entries: list[tuple]) -> list[Region]:
    """The population of many divisions at once (the population ledger's batches): ``entries`` are (region,
    population, year), each checked as :func:`region_set_population` checks it, then one update for all, with
    the audit-trail rows. Any entry that fails raises its ValidationError and nothing is written."""
    require(actor, Cap.REGIONS_EDIT)
    regions, olds = [], []
    for region, population, year in entries:
        require(actor, Cap.REGIONS_EDIT, region.code)
        _population_year_check(year)
        olds.append(copy.copy(region))
        region.population = population
        region.population_year = year
        region.full_clean(exclude=_GIVEN, validate_unique=False)
        regions.append(region)
    fields = ["population", "population_year"]
    bulk.update(Region, regions, fields)
    audit(regions, olds=olds, fields=fields)
    return regions


def _scope_change(*, region: Region, in_scope: bool, reason: str, effective_on, actor, today) -> ScopeChange:
    effective_on = effective_on or today
    if effective_on > today:
        raise ValidationError(
            {"effective_on": _("The date %(date)s has not come yet.") % {"date": effective_on.isoformat()}}
        )
    return ScopeChange(
        region=region, in_scope=in_scope, reason=reason, effective_on=effective_on, actor=actor
    )


_SCOPE_FIELDS = ["in_scope", "scope_reason", "scope_changed_by", "scope_changed_at"]


@transaction.atomic
def region_set_scope(
    *, actor, region: Region, in_scope: bool, reason: str, effective_on: dt.date | None = None
) -> Region:
    """Records a decision on the division's coverage scope, effective from ``effective_on`` (today if not
    given; never a day not yet come), and sets the scope in force today from the dated history, so that a
    decision back-dated behind a later one does not overturn it."""
    require(actor, Cap.REGIONS_EDIT, region.code)
    today = timezone.localdate()
    change = _scope_change(
        region=region, in_scope=in_scope, reason=reason, effective_on=effective_on, actor=actor, today=today
    )
    save_valid(change)
    region.in_scope = (
        Region.objects.filter(code=region.code)
        .annotate(now=in_scope_on(today))
        .values_list("now", flat=True)
        .get()
    )
    region.scope_reason = reason
    region.scope_changed_by = actor
    region.scope_changed_at = timezone.now()
    region.full_clean()
    region.save(update_fields=_SCOPE_FIELDS)
    return region


@transaction.atomic
def regions_set_scope_many(*, actor, entries: list[dict]) -> list[ScopeChange]:
    """Many scope decisions at once (the scope ledger's batches): each entry holds the arguments of
    :func:`region_set_scope` (region, in_scope, reason, effective_on), checked by the same rules; the dated
    changes go in by one insert, then the scope in force today of every division is read from the dated
    history in one query and the divisions updated in one statement, with their audit-trail rows. Any entry
    that fails raises its ValidationError and nothing is written. Returns the scope changes created."""
    require(actor, Cap.REGIONS_EDIT)
    today, now = timezone.localdate(), timezone.now()
    changes = []
    for entry in entries:
        require(actor, Cap.REGIONS_EDIT, entry["region"].code)
        change = _scope_change(actor=actor, today=today, **entry)
        change.full_clean(exclude=["region", "actor"])
        changes.append(change)
    ScopeChange.objects.bulk_create(changes, batch_size=500)
    regions = {change.region.code: change.region for change in changes}
    in_force = dict(
        Region.objects.filter(code__in=list(regions))
        .annotate(now=in_scope_on(today))
        .values_list("code", "now")
    )
    olds = [copy.copy(region) for region in regions.values()]
    for change in changes:  # in the order given: the last decision's reason stays, as one by one
        region = regions[change.region.code]
        region.in_scope = in_force[region.code]
        region.scope_reason = change.reason
        region.scope_changed_by = actor
        region.scope_changed_at = now
    for region in regions.values():
        region.full_clean(exclude=_GIVEN, validate_unique=False)
    bulk.update(Region, list(regions.values()), _SCOPE_FIELDS)
    audit(list(regions.values()), olds=olds, fields=_SCOPE_FIELDS)
    return changes
