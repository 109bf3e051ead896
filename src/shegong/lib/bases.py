"""Abstract bases: the groups of fields that mean the same in every domain, declared once.

- whose a row is, by the field lib/scoping.py scopes it by: InRegion, AtStation, RegionRule, DatedTarget;
- who wrote it and when: Created, Recorded, Tracked, Authored, LogEntry (PlainTracked for the two registers
  whose times were declared without a label);
- how it is shown: Named, in its place among its siblings: Positioned; and a region's named rule set copied
  from a template: RegionTemplate.

A base's reference carries the common label; a table whose label says more (``_("registered in")``) declares
the field again with it, as Django allows for a field inherited from an abstract base.

A table that inherits a base gets the same fields it spelled out before (same names and arguments), so the
migration state is unchanged: ``makemigrations --check`` finds nothing to do. Only the order of the fields in
``_meta`` moves (inherited ones come first), which no migration, form or serializer here depends on: they all
name their fields.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.lib.fields import note_field, optional_fk, required_fk, user_field


def created_by_field():
    return user_field(_("created by"))


def created_at_field():
    return models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))


def updated_at_field():
    return models.DateTimeField(auto_now=True, verbose_name=_("updated at"))


class InRegion(models.Model):
    """A row of a division (行政区划) of its own: a village's file, a county's target, a region's rule."""

    SCOPE_FIELD = "region_id"

    region = required_fk("regions.Region", _("region"))

    class Meta:
        abstract = True


class AtStation(models.Model):
    """A row a station (社工站, network.Facility) keeps: seen by the station's division and those above it."""

    SCOPE_FIELD = "station__region_id"

    station = required_fk("network.Facility", _("station"))

    class Meta:
        abstract = True


class RegionRule(models.Model):
    """A region's own rule, one per region at most; the rule of the nearest region above a row applies."""

    SCOPE_FIELD = "region_id"

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["region_id"]


class DatedTarget(InRegion):
    """A target a region sets itself, to be reached by a deadline (stations built, talents trained); the
    ``indicator`` and its ``value`` are the domain's own."""

    deadline = models.DateField(_("deadline"))
    note = note_field()

    class Meta:
        abstract = True
        ordering = ["deadline", "indicator"]


class Named(models.Model):
    """A row shown by its name."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Positioned(models.Model):
    """A row shown in its place among its siblings (a checklist's items, an indicator system's dimensions and
    a dimension's indicators), by ``position``, then in the order the rows were written."""

    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Created(models.Model):
    """When the row was written."""

    created_at = created_at_field()

    class Meta:
        abstract = True


class Recorded(Created):
    """Who wrote the row and when; nobody (None) where the system wrote it (an import, a loader)."""

    created_by = created_by_field()

    class Meta:
        abstract = True


class Tracked(Recorded):
    """Who wrote the row and when, and when it last changed."""

    updated_at = updated_at_field()

    class Meta:
        abstract = True


class Authored(Created):
    """Who wrote the row and when, always a user: rows only a person enters (a meeting, a referral, a rule)."""

    created_by = user_field(_("created by"), optional=False)

    class Meta:
        abstract = True


class LogEntry(models.Model):
    """A line of a row's history (a handling note, a status move): who did it and when, read in order."""

    actor = user_field(_("actor"), optional=False)
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("time"))

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class PlainTracked(models.Model):
    """Tracked, as the first registers of people (volunteers, social workers) declared it: their two times have
    no label, and keep none, a label being part of the migration state."""

    created_by = created_by_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class RegionTemplate(Named, Created):
    """A named rule set of a region, copied from another (``source``); without a region a starting template:
    everybody uses it, nobody edits it (lib/scoping.py ``applies_q`` ``templates=``)."""

    SCOPE_FIELD = "region_id"

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    region = optional_fk("regions.Region", _("region"))
    source = optional_fk("self", _("copied from"), on_delete=models.SET_NULL)

    class Meta:
        abstract = True
        ordering = ["region_id", "name"]

    @property
    def is_template(self) -> bool:
        return self.region_id is None
