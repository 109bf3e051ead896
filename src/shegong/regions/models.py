from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
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
