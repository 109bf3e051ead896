"""Volunteers (社区志愿者), their teams (志愿服务队), sign-ups to activities with check-in, check-out and the hours
the organiser confirms, and the points (志愿积分): rules per region, a ledger that is only ever appended to, and
the redemption catalogue.

A volunteer's ID number and phone are protected exactly as a person served's (lib/pii.py): ciphertext, keyed
lookup hash, last four digits; masked unless the role has pii.view, and every clear view audited.

``Volunteer.points_balance`` is a copy of the sum of the volunteer's ledger, written only by
community/points.py in the same transaction as the entry, with the volunteer's row locked (SELECT ... FOR
UPDATE), so that two redemptions or an award and a redemption at once can neither lose nor make a point.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.lib.bases import AtStation, Created, InRegion, Named, PlainTracked, RegionRule, updated_at_field
from shegong.lib.fields import Sex, note_field, optional_fk, required_fk, status_field, user_field
from shegong.lib.pii import EncryptedTextField, MaskedNumbers


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("No longer serving")


class Volunteer(MaskedNumbers, InRegion, Named, PlainTracked):
    """A registered volunteer. ``region`` is the village, community or township where they registered; its
    administrators and workers keep the file."""

    region = required_fk("regions.Region", _("registered in"))
    station = optional_fk("network.Facility", _("station"))
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    id_number = EncryptedTextField(_("ID number"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_last4 = models.CharField(
        max_length=4, db_index=True, editable=False, verbose_name=_("last 4 digits of ID number")
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_last4 = models.CharField(
        max_length=4, blank=True, editable=False, verbose_name=_("last 4 digits of phone")
    )
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    status = status_field(VolunteerStatus, 10)
    registered_on = models.DateField(_("registered on"))
    # The day the volunteer stopped serving (status set to inactive); the figures as of a day count a volunteer
    # from registered_on to this day.
    left_on = models.DateField(_("no longer serving since"), null=True, blank=True)
    # The sum of the ledger; see the module docstring.
    points_balance = models.IntegerField(_("points balance"), default=0, editable=False)
    note = note_field()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["region_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points_balance__gte=0),
                name="community_points_balance_not_negative",
                violation_error_message=_("The points balance cannot go below zero."),
            )
        ]


class Team(AtStation, Named, Created):
    """A volunteer service team (志愿服务队) of a station, with its leader."""

    name = models.CharField(_("team name"), max_length=100)
    leader = optional_fk(Volunteer, _("team leader"), on_delete=models.SET_NULL)
    members = models.ManyToManyField(Volunteer, verbose_name=_("members"), blank=True, related_name="teams")
    founded_on = models.DateField(_("founded on"))
    focus = models.CharField(_("field of service"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("volunteer team")
        ordering = ["station__region_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"],
                name="community_unique_team_name_per_station",
                violation_error_message=_("This station already has a team of this name."),
            )
        ]


class SignUpStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    CHECKED_IN = "checked_in", _("Checked in")
    CHECKED_OUT = "checked_out", _("Checked out")
    CONFIRMED = "confirmed", _("Hours confirmed")
    CANCELLED = "cancelled", _("Cancelled")


# Which status may follow which: community/workflow.py (SIGNUP_WORKFLOW).


class SignUp(models.Model):
    """A volunteer's sign-up for an activity: check-in, check-out, and the hours the organiser confirms."""

    SCOPE_FIELD = "activity__station__region_id"

    activity = required_fk("community.Activity", _("activity"), related_name="signups")
    volunteer = required_fk(Volunteer, _("volunteer"), related_name="signups")
    status = status_field(SignUpStatus, 12)
    signed_up_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    # From check-in to check-out; the organiser confirms it or corrects it.
    hours = models.DecimalField(_("hours on record"), max_digits=5, decimal_places=2, null=True, blank=True)
    confirmed_hours = models.DecimalField(
        _("confirmed hours"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    confirmed_by = user_field(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    points = models.IntegerField(_("points awarded"), default=0)
    note = note_field()

    class Meta:
        verbose_name = _("sign-up")
        ordering = ["activity_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                name="community_one_signup_per_activity",
                violation_error_message=_("This volunteer has already signed up for this activity."),
            )
        ]
        indexes = [models.Index(fields=["volunteer", "status"])]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.activity}"


class PointRule(RegionRule):
    """How many points a confirmed hour earns in a region, and the bonuses. The rule of the nearest region
    above an activity's station (or of the station's own division) applies; without one, DEFAULT_POINTS_PER_HOUR
    and no bonus."""

    points_per_hour = models.PositiveIntegerField(_("points per confirmed hour"), default=10)
    bonus_kind = models.CharField(
        _("bonus for activities of type"), max_length=16, blank=True, help_text=_("leave empty for no bonus")
    )
    bonus_points = models.PositiveIntegerField(_("bonus points per such activity"), default=0)
    long_hours = models.DecimalField(
        _("long service from (hours in one activity)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    long_bonus_points = models.PositiveIntegerField(_("bonus points for long service"), default=0)
    updated_by = user_field(_("updated by"))
    updated_at = updated_at_field()

    class Meta(RegionRule.Meta):
        verbose_name = _("points rule")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.points_per_hour}"


DEFAULT_POINTS_PER_HOUR = 10


class EntryKind(models.TextChoices):
    EARN = "earn", _("Earned")
    REDEEM = "redeem", _("Redeemed")
    EXPIRE = "expire", _("Expired")
    ADJUST = "adjust", _("Adjusted")


class PointEntry(models.Model):
    """One line of a volunteer's points ledger. Lines are only ever added (no service updates or deletes one);
    a mistake is corrected by an adjusting line with its reason."""

    SCOPE_FIELD = "volunteer__region_id"

    volunteer = required_fk(Volunteer, _("volunteer"), related_name="ledger")
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    points = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    reason = models.CharField(_("reason"), max_length=200)
    # An award names the sign-up it is for: at most one award per sign-up, whatever the timing of requests.
    signup = optional_fk(SignUp, _("signup"), related_name="award", one_to_one=True)
    redemption = optional_fk("community.Redemption", _("redemption"), related_name="entry", one_to_one=True)
    actor = user_field(_("recorded by"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points ledger")
        ordering = ["volunteer_id", "id"]
        indexes = [models.Index(fields=["kind", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="earn") & Q(points__gt=0))
                | (Q(kind__in=["redeem", "expire"]) & Q(points__lt=0))
                | (Q(kind="adjust") & ~Q(points=0)),
                name="community_entry_sign_by_kind",
                violation_error_message=_("Earned points are positive, redeemed and expired ones negative."),
            ),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0),
                name="community_entry_balance_not_negative",
                violation_error_message=_("The points balance cannot go below zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.kind} {self.points}"


class CatalogueItem(InRegion, Created):
    """An item volunteers may redeem points for, kept by an administrator for their region; volunteers
    registered in that region and the regions inside it may redeem it."""

    name = models.CharField(_("item"), max_length=100)
    points = models.PositiveIntegerField(_("points needed"), validators=[MinValueValidator(1)])
    # None: unlimited (a service, a certificate of honour); a number: items left.
    stock = models.PositiveIntegerField(_("in stock"), null=True, blank=True, help_text=_("empty: unlimited"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("catalogue item")
        ordering = ["region_id", "points", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="community_unique_item_per_region",
                violation_error_message=_("This region's catalogue already has an item of this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.points})"


class Redemption(models.Model):
    """Points a volunteer spent on catalogue items; its ledger line is ``entry``."""

    SCOPE_FIELD = "volunteer__region_id"

    volunteer = required_fk(Volunteer, _("volunteer"), related_name="redemptions")
    item = required_fk(CatalogueItem, _("item"), related_name="redemptions")
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    points = models.PositiveIntegerField(_("points spent"))
    actor = user_field(_("handled by"), optional=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("redemption")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.item} × {self.quantity}"
