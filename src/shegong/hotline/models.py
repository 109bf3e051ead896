"""The service hotline (服务热线) and online requests: one ticket per call or message.

A ticket belongs to a division: the one the request concerns when it is received, and the station's once it is
assigned, so that the station's county sees it and a sibling county does not (lib/scoping.py). The caller's phone
is protected like every phone in Shegong (lib/pii.py).

Deadlines are fixed when the ticket is received, from the deadline rule that applies then (the nearest region's
rule for the urgency, else the national default below), so a later change of rule does not move the goalposts of
tickets already open. A crisis ticket (危机介入, or urgency "crisis") stays flagged until someone acts on it: the
first handling note or the closure records ``acted_at``.
"""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.lib.bases import Authored, InRegion, LogEntry
from shegong.lib.fields import optional_fk, parent_fk, required_fk, status_field
from shegong.lib.pii import EncryptedTextField


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WECHAT = "wechat", _("WeChat message")
    ONLINE = "online", _("Online form")
    VISIT = "visit", _("Walk-in")
    LETTER = "letter", _("Letter")


class Category(models.TextChoices):
    NEEDS = "needs", _("Needs collection")
    EMOTIONAL = "emotional", _("Emotional counselling")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    POLICY = "policy", _("Policy information")
    RESOURCES = "resources", _("Resource linkage")
    CRISIS = "crisis", _("Crisis intervention")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRISIS = "crisis", _("Crisis")


class TicketStatus(models.TextChoices):
    NEW = "new", _("Received")
    ASSIGNED = "assigned", _("Assigned to a station")
    IN_PROGRESS = "in_progress", _("Being handled")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    REFERRED = "referred", _("Referred to a department")
    CASE_OPENED = "case_opened", _("Case opened")
    INFORMATION = "information", _("Information given")
    UNREACHABLE = "unreachable", _("Caller unreachable")
    NO_ACTION = "no_action", _("No action needed")


# National defaults (hours): respond, resolve. A region's DeadlineRule replaces them inside it.
DEFAULT_DEADLINES: dict[str, tuple[int, int]] = {
    Urgency.NORMAL: (24, 120),
    Urgency.URGENT: (4, 48),
    Urgency.CRISIS: (1, 24),
}


class DeadlineRule(InRegion):
    """How soon tickets of one urgency must be answered and resolved inside a region."""

    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    respond_hours = models.PositiveIntegerField(_("respond within (hours)"))
    resolve_hours = models.PositiveIntegerField(_("resolve within (hours)"))

    class Meta:
        verbose_name = _("deadline rule")
        ordering = ["region_id", "urgency"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "urgency"],
                name="hotline_one_rule_per_region_urgency",
                violation_error_message=_("This region already has a rule for this urgency."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.urgency}"


class Ticket(InRegion, Authored):
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    caller_name = models.CharField(_("caller"), max_length=50, blank=True)
    caller_phone = EncryptedTextField(_("caller's phone"), blank=True)
    caller_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    caller_phone_last4 = models.CharField(max_length=4, blank=True, db_index=True, editable=False)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    summary = models.TextField(_("what the caller asked"))
    region = required_fk("regions.Region", _("division"))
    station = optional_fk("network.Facility", _("station"))
    status = status_field(TicketStatus, 12)
    respond_by = models.DateTimeField(_("respond by"))
    resolve_by = models.DateTimeField(_("resolve by"))
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    acted_at = models.DateTimeField(_("first action at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    person = optional_fk("clients.Person", _("person's file"))
    case = optional_fk("casework.Case", _("case"))

    class Meta:
        verbose_name = _("hotline ticket")
        verbose_name_plural = _("hotline tickets")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["region", "received_at"]),
            models.Index(fields=["status", "acted_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"RX{timezone.localtime(self.received_at):%Y%m%d}{self.pk or 0:05d}"

    @property
    def is_crisis(self) -> bool:
        return self.category == Category.CRISIS or self.urgency == Urgency.CRISIS

    @property
    def flagged(self) -> bool:
        """A crisis nobody has acted on yet."""
        return self.is_crisis and self.acted_at is None

    def response_late(self, now: dt.datetime | None = None) -> bool:
        return (self.acted_at or now or timezone.now()) > self.respond_by

    def resolution_late(self, now: dt.datetime | None = None) -> bool:
        return (self.closed_at or now or timezone.now()) > self.resolve_by


class TicketNote(LogEntry):
    """One handling note (处理记录): what was done, by whom, when."""

    SCOPE_FIELD = "ticket__region_id"

    ticket = parent_fk(Ticket, _("ticket"), "notes")
    text = models.TextField(_("what was done"))

    class Meta(LogEntry.Meta):
        verbose_name = _("handling note")

    def __str__(self) -> str:
        return self.text[:40]
