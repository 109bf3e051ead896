"""Model fields that many tables declare alike, declared once.

A factory returns the same field the tables spelled out before (same arguments), so the migration state is
unchanged: ``makemigrations --check`` finds nothing to do.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


def optional_fk(to, verbose_name, *, on_delete=models.PROTECT, related_name="+"):
    """A reference that may be empty (null in the table, blank in forms); no reverse accessor by default."""
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name
    )


def user_field(verbose_name, *, optional=True, on_delete=models.PROTECT):
    """The user who did something, without a reverse accessor; ``optional``: None is the system itself."""
    if optional:
        return optional_fk(settings.AUTH_USER_MODEL, verbose_name, on_delete=on_delete)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=on_delete, related_name="+", verbose_name=verbose_name
    )


def created_by_field():
    return user_field(_("created by"))


def created_at_field():
    return models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))


def updated_at_field():
    return models.DateTimeField(auto_now=True, verbose_name=_("updated at"))


class RegionTemplate(models.Model):
    """A named rule set of a region, copied from another (``source``); without a region a starting template:
    everybody uses it, nobody edits it (lib/scoping.py ``applies_q`` ``templates=``)."""

    SCOPE_FIELD = "region_id"

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    region = optional_fk("regions.Region", _("region"))
    source = optional_fk("self", _("copied from"), on_delete=models.SET_NULL)
    created_at = created_at_field()

    class Meta:
        abstract = True
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_template(self) -> bool:
        return self.region_id is None
