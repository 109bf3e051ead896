from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from shegong.lib.fields import optional_fk, user_field


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    PREFECTURE = 2, _("Prefecture")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")
    VILLAGE = 5, _("Village")


# Length of the division code at each level (NBS statistical codes, written without trailing zeros).
CODE_LENGTHS = {Level.PROVINCE: 2, Level.PREFECTURE: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTHS.items()}


def parent_code(code: str) -> str | None:
    level = LEVEL_BY_LENGTH[len(code)]
    if level == Level.PROVINCE:
        return None
    return code[: CODE_LENGTHS[Level(level - 1)]]


class Region(models.Model):
    """An administrative division (行政区划), keyed by its NBS statistical code.

    The code is the primary key, so a region's descendants are the rows whose code starts with its code,
    and every record bound to a region inherits that property through its foreign key."""

    SCOPE_FIELD = "code"

    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = optional_fk("self", _("parent"), related_name="children")
    initials = models.CharField(_("pinyin initials"), max_length=64, blank=True, db_index=True)
    population = models.PositiveBigIntegerField(_("resident population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    in_scope = models.BooleanField(_("in coverage scope"), default=True)
    scope_reason = models.CharField(_("reason for the scope"), max_length=200, blank=True)
    scope_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    def ancestor_codes(self) -> list[str]:
        """Codes of the ancestors, from the province down, without this region."""
        codes = []
        level = Level(self.level)
        for lvl in range(Level.PROVINCE, level):
            codes.append(self.code[: CODE_LENGTHS[Level(lvl)]])
        return codes


class ScopeChange(models.Model):
    """One dated decision on a division's coverage scope (a merged township excluded, a development zone
    included), so that coverage can be counted as of any day (network/coverage.py). ``Region.in_scope`` is the
    scope in force today; a division with no change on or before a day was in scope that day (every division
    starts in scope). ``effective_on`` empty: the date was not recorded (scope set before the history was kept),
    the decision holds from the start."""

    SCOPE_FIELD = "region_id"

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="scope_changes", verbose_name=_("division")
    )
    in_scope = models.BooleanField(_("in coverage scope"))
    reason = models.CharField(_("reason for the scope"), max_length=200)
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    actor = user_field(_("actor"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coverage scope change")
        ordering = ["region_id", "effective_on", "id"]
        indexes = [models.Index(fields=["region", "effective_on", "id"], name="regions_scope_on_day")]

    def __str__(self) -> str:
        return f"{self.region_id} {'+' if self.in_scope else '-'} {self.effective_on or '—'}"


def _scope_change_on(as_of, code: str):
    return (
        ScopeChange.objects.filter(region_id=OuterRef(code))
        .filter(Q(effective_on__lte=as_of) | Q(effective_on__isnull=True))
        .order_by(F("effective_on").desc(nulls_last=True), "-id")
    )


def scope_reason_on(as_of, code: str = "code", stored: str = "scope_reason"):
    """An expression: the reason recorded with the scope change in force at the end of ``as_of`` (else the
    stored reason)."""
    return Coalesce(
        Subquery(_scope_change_on(as_of, code).values("reason")[:1]),
        F(stored),
        output_field=models.CharField(),
    )


def in_scope_on(as_of, code: str = "code", stored: str = "in_scope"):
    """An expression: whether the division ``code`` (the path to its code from the queried model; ``stored``
    the path to its Region.in_scope) was in the
    coverage scope at the end of ``as_of``: its last scope change on or before that day (one with no date holds
    from the start); in scope if its changes all come later; its stored scope if it has no recorded change."""
    changes = ScopeChange.objects.filter(region_id=OuterRef(code))
    then = _scope_change_on(as_of, code).values("in_scope")[:1]
    any_change = changes.annotate(yes=Value(True)).values("yes")[:1]
    return Coalesce(Subquery(then), Subquery(any_change), F(stored), output_field=models.BooleanField())
