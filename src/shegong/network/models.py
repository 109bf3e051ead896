"""The station network: facilities (centres, stations, rooms), their status history, standards checklists and
assessments, honours and targets.

Every facility is bound to a division code of its level, so "the network of county 522301" is every facility
whose region code starts with 522301 (see lib/scoping.py). Coverage figures are never stored: they are counted
from these rows (network/coverage.py).
"""

from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.lib.bases import (
    Created,
    DatedTarget,
    InRegion,
    Named,
    Positioned,
    Recorded,
    RegionTemplate,
    Tracked,
)
from shegong.lib.fields import note_field, parent_fk, required_fk, status_field, user_field
from shegong.regions.models import Level


class Kind(models.TextChoices):
    CITY_HUB = "city_hub", _("City guidance centre")
    COUNTY_CENTRE = "county_centre", _("County guidance centre")
    TOWNSHIP_STATION = "township_station", _("Township station")
    VILLAGE_ROOM = "village_room", _("Village room")
    UNIT_STATION = "unit_station", _("Management-unit station")
    COMMUNITY_STATION = "community_station", _("Community station")


# The division level each kind of facility is bound to. Stations of management committees, development zones
# and farms sit on the township-level code of the unit where the NBS gives it one, else on their county.
KIND_LEVELS: dict[str, tuple[int, ...]] = {
    Kind.CITY_HUB: (Level.PREFECTURE,),
    Kind.COUNTY_CENTRE: (Level.COUNTY,),
    Kind.TOWNSHIP_STATION: (Level.TOWNSHIP,),
    Kind.VILLAGE_ROOM: (Level.VILLAGE,),
    Kind.UNIT_STATION: (Level.COUNTY, Level.TOWNSHIP),
    # A station of a community (社区), bound to the community's own (village-level) code, never to its street's.
    Kind.COMMUNITY_STATION: (Level.VILLAGE,),
}

# Kinds of station listed and staffed with the township stations: the township's own station, or the station of
# a township-level unit. Only the township's own station counts in township coverage and in 已建成 (floor.py);
# unit and community stations are counted in their own rows, so that township coverage stays township coverage.
TOWNSHIP_KINDS = (Kind.TOWNSHIP_STATION, Kind.UNIT_STATION)


class FacilityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    BUILDING = "building", _("Under construction")
    BUILT = "built", _("Built")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


# A facility counts as built from the day it is built until it is closed; suspension does not undo the building.
BUILT_STATUSES = (FacilityStatus.BUILT, FacilityStatus.OPERATING, FacilityStatus.SUSPENDED)

# Which status may follow which: network/workflow.py (FACILITY_WORKFLOW).


class Premises(models.TextChoices):
    INDEPENDENT = "independent", _("Independent premises")
    SHARED = "shared", _("Shared premises")


class OperatingMode(models.TextChoices):
    DIRECT = "direct", _("Run by civil affairs directly")
    COMMISSIONED = "commissioned", _("Commissioned to a social work agency")


class Facility(InRegion, Named, Tracked):
    """A centre, station or room of the service network (社工站 and its kin)."""

    kind = models.CharField(_("level of facility"), max_length=20, choices=Kind.choices)
    region = required_fk("regions.Region", _("division"))
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = status_field(FacilityStatus, 12)
    status_since = models.DateField(_("status since"))
    # The day the facility first reached "built"; the pace of targets is counted from it.
    built_on = models.DateField(_("built on"), null=True, blank=True)
    premises = models.CharField(_("premises"), max_length=12, choices=Premises.choices, blank=True)
    shared_with = models.CharField(
        _("shared with"), max_length=100, blank=True, help_text=_("e.g. the township civil affairs office")
    )
    floor_area = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    opened_on = models.DateField(_("opening date"), null=True, blank=True)
    operating_mode = models.CharField(
        _("operating mode"), max_length=12, choices=OperatingMode.choices, blank=True
    )
    # The agency registry comes with the workforce domain; until then the agency is named and identified by
    # its unified social credit code, which is what the registry will be keyed on.
    agency_name = models.CharField(_("operating agency"), max_length=100, blank=True)
    agency_credit_code = models.CharField(_("agency credit code"), max_length=18, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    brand = models.CharField(_("brand (one station, one brand)"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["region_id", "kind", "name"]
        constraints = [
            # One centre, station or room per division ("一乡镇（街道）一站点"), closed ones aside; units may
            # have several stations on one county code.
            models.UniqueConstraint(
                fields=["kind", "region"],
                condition=~Q(status="closed") & ~Q(kind="unit_station"),
                name="network_one_open_facility_per_division",
                violation_error_message=_("This division already has an open facility of this level."),
            )
        ]
        indexes = [models.Index(fields=["region", "kind", "status"])]


class StatusChange(models.Model):
    """One dated move of a facility's status. The first row of a facility records the status it was
    registered with (from_status empty)."""

    SCOPE_FIELD = "facility__region_id"

    facility = parent_fk(Facility, _("facility"), "status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=FacilityStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=FacilityStatus.choices)
    changed_on = models.DateField(_("date"))
    note = note_field()
    actor = user_field(_("actor"))
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("status change")
        ordering = ["changed_on", "id"]
        # The status of a facility on a day is its last change on or before it (coverage.network_figures as of
        # a day): one index range scan per facility.
        indexes = [models.Index(fields=["facility", "changed_on", "id"], name="network_status_on_day")]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} {self.changed_on}"


def status_on(as_of, facility: str = "pk") -> Subquery:
    """An expression: the status the facility ``facility`` (the path to it from the queried model) had at the
    end of ``as_of``, the last move of its history on or before that day; None before its first."""
    moves = StatusChange.objects.filter(facility=OuterRef(facility), changed_on__lte=as_of)
    return Subquery(moves.order_by("-changed_on", "-id").values("to_status")[:1])


def in_status_on(facilities: QuerySet, statuses, as_of=None) -> QuerySet:
    """The ``facilities`` whose status is one of ``statuses`` today, or at the end of ``as_of`` when that is a
    past day (:func:`status_on`)."""
    if as_of is not None and as_of < timezone.localdate():
        return facilities.annotate(status_then=status_on(as_of)).filter(status_then__in=statuses)
    return facilities.filter(status__in=statuses)


def _photo_path(instance, filename: str) -> str:
    return f"network/photos/{instance.facility_id}/{filename}"


class FacilityPhoto(models.Model):
    SCOPE_FIELD = "facility__region_id"

    facility = parent_fk(Facility, _("facility"), "photos")
    file = models.FileField(_("photo"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("facility photo")
        verbose_name_plural = _("facility photos")

    def __str__(self) -> str:
        return self.caption or self.file.name


# --- Standards -----------------------------------------------------------------------------------


class Checklist(RegionTemplate):
    """A local standard (六有, 五统一, 五有 …): a named list of items a station is assessed against.

    Starting templates have no region: everybody may assess against them, nobody edits them; an administrator
    copies one into their region and edits the copy."""

    class Meta(RegionTemplate.Meta):
        verbose_name = _("standards checklist")


class ChecklistItem(Positioned):
    checklist = parent_fk(Checklist, _("checklist"), "items")
    text = models.CharField(_("item"), max_length=200)

    class Meta(Positioned.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text


class Result(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class Assessment(Created):
    """One assessment of a facility against a checklist. Only the latest per facility and checklist counts in
    compliance rates; earlier ones stay as history."""

    SCOPE_FIELD = "facility__region_id"

    facility = parent_fk(Facility, _("facility"), "assessments")
    checklist = required_fk(Checklist, _("checklist"), related_name="assessments")
    assessed_on = models.DateField(_("assessment date"))
    note = models.TextField(_("note"), blank=True)
    is_latest = models.BooleanField(default=True, verbose_name=_("latest"))
    assessor = user_field(_("assessor"))

    class Meta:
        verbose_name = _("assessment")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.checklist_id} {self.assessed_on}"


def _evidence_path(instance, filename: str) -> str:
    return f"network/evidence/{instance.assessment_id}/{filename}"


class AssessmentResult(models.Model):
    SCOPE_FIELD = "assessment__facility__region_id"

    assessment = parent_fk(Assessment, _("assessment"), "results")
    item = required_fk(ChecklistItem, _("item"))
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    note = note_field()
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, blank=True)

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["item__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="network_one_result_per_item")
        ]

    def __str__(self) -> str:
        return self.result


# --- Honours and targets -------------------------------------------------------------------------


class HonourKind(models.TextChoices):
    DEMONSTRATION = "demonstration", _("Demonstration station")
    TOP_TEN = "top_ten", _("Top-ten station")
    TOP_HUNDRED_ROOM = "top_hundred_room", _("Top-hundred featured room")
    BRAND = "brand", _("One station, one brand")
    OTHER = "other", _("Other honour")


class Honour(Created):
    SCOPE_FIELD = "facility__region_id"

    facility = parent_fk(Facility, _("facility"), "honours")
    kind = models.CharField(_("honour"), max_length=20, choices=HonourKind.choices)
    title = models.CharField(_("title"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    awarded_on = models.DateField(_("date awarded"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=100)
    document_no = models.CharField(_("document number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("honour")
        ordering = ["-year", "kind"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class Indicator(models.TextChoices):
    TOWNSHIP_COVERAGE = "township_coverage", _("Township coverage (%)")
    OPERATING_RATE = "operating_rate", _("Operating rate (%)")
    VILLAGE_COVERAGE = "village_coverage", _("Village room coverage (%)")
    TOWNSHIP_STATIONS = "township_stations", _("Built township stations")
    VILLAGE_ROOMS = "village_rooms", _("Built village rooms")
    DEMONSTRATION_STATIONS = "demonstration_stations", _("Demonstration stations")


PERCENT_INDICATORS = (Indicator.TOWNSHIP_COVERAGE, Indicator.OPERATING_RATE, Indicator.VILLAGE_COVERAGE)


class Target(DatedTarget, Recorded):
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    value = models.DecimalField(_("target value"), max_digits=9, decimal_places=1)

    class Meta(DatedTarget.Meta):
        verbose_name = _("target")

    def __str__(self) -> str:
        return f"{self.indicator} {self.value} {self.deadline}"
