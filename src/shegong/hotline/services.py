"""Writes of the hotline: tickets from receipt to closure, and the deadline rules. The pages and the API call
these functions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.casework.models import Source
from shegong.casework.services import case_open
from shegong.hotline.models import (
    DEFAULT_DEADLINES,
    DeadlineRule,
    Outcome,
    Ticket,
    TicketNote,
    TicketStatus,
)
from shegong.hotline.workflow import TICKET_WORKFLOW
from shegong.lib.guard import require, require_choice
from shegong.lib.pii import phone_normalise, protect
from shegong.lib.rows import save_valid
from shegong.lib.scoping import applies_q, nearest
from shegong.network.models import FacilityStatus


def deadlines_for(region_code: str, urgency: str) -> tuple[int, int]:
    """(respond, resolve) hours for a ticket of ``urgency`` in ``region_code``: the nearest rule above or at
    the division, else the national default."""
    rules = DeadlineRule.objects.filter(applies_q("region_id", region_code), urgency=urgency)
    hours = {
        region: (respond, resolve)
        for region, respond, resolve in rules.values_list("region_id", "respond_hours", "resolve_hours")
    }
    return nearest(hours, region_code, DEFAULT_DEADLINES[urgency])


def _not_closed(ticket: Ticket) -> None:
    if ticket.status == TicketStatus.CLOSED:
        raise ValidationError(_("This ticket is closed."))


def _handling(ticket: Ticket, actor, **changes) -> None:
    """The first response moves the ticket to "being handled" and stops the response clock; later ones keep
    it there."""
    changes["acted_at"] = ticket.acted_at or timezone.now()
    if ticket.status != TicketStatus.IN_PROGRESS:
        TICKET_WORKFLOW.move(ticket, TicketStatus.IN_PROGRESS, actor=actor, changes=changes)
        return
    for name, value in changes.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=list(changes))


@transaction.atomic
def ticket_create(
    *,
    actor,
    region,
    channel: str,
    category: str,
    summary: str,
    urgency: str = "normal",
    received_at: dt.datetime | None = None,
    caller_name: str = "",
    caller_phone: str = "",
) -> Ticket:
    """Record one call or message. Deadlines are fixed now, from the rule that applies to the division."""
    require(actor, Cap.DATA_EDIT)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": _("The time received is in the future.")})
    if category == "crisis":
        # A crisis call gets the crisis deadlines whatever urgency was chosen.
        urgency = "crisis"
    phone = phone_normalise(caller_phone) if caller_phone.strip() else ""
    protected = protect(phone)
    respond, resolve = deadlines_for(region.code, urgency) if urgency in DEFAULT_DEADLINES else (0, 0)
    ticket = Ticket(
        received_at=received_at,
        channel=channel,
        caller_name=caller_name.strip(),
        caller_phone=phone,
        caller_phone_hash=protected["hash"],
        caller_phone_last4=protected["last4"],
        category=category,
        urgency=urgency,
        summary=(summary or "").strip(),
        region=region,
        respond_by=received_at + dt.timedelta(hours=respond),
        resolve_by=received_at + dt.timedelta(hours=resolve),
        created_by=actor,
    )
    return save_valid(ticket)


@transaction.atomic
def ticket_assign(*, actor, ticket: Ticket, station) -> Ticket:
    """Send the ticket to a station; it moves to the station's division (and its county's view)."""
    require(actor, Cap.DATA_EDIT, ticket.region_id)
    _not_closed(ticket)

    require_choice(
        actor, station.region_id if station else None, "station", _("Choose a station in your jurisdiction.")
    )
    if station.status == FacilityStatus.CLOSED:
        raise ValidationError({"station": _("This station is closed.")})
    ticket.station = station
    ticket.region_id = station.region_id
    ticket.assigned_at = timezone.now()
    ticket.full_clean()
    # The status is the workflow's to write: a save of every field could undo a move made meanwhile.
    ticket.save(update_fields=["station", "region", "assigned_at"])
    if ticket.status == TicketStatus.NEW:
        TICKET_WORKFLOW.move(ticket, TicketStatus.ASSIGNED, actor=actor)
    TicketNote.objects.create(
        ticket=ticket, actor=actor, text=_("Assigned to %(station)s.") % {"station": station.name}
    )
    return ticket


@transaction.atomic
def ticket_note_add(*, actor, ticket: Ticket, text: str) -> TicketNote:
    """A handling note. The first one is the response: it clears the crisis flag and stops the response clock."""
    require(actor, Cap.DATA_EDIT, ticket.region_id)
    _not_closed(ticket)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what was done.")})
    note = TicketNote(ticket=ticket, actor=actor, text=text)
    save_valid(note)
    _handling(ticket, actor)
    return note


@transaction.atomic
def ticket_link_person(*, actor, ticket: Ticket, person) -> Ticket:
    """Link the ticket to the file of the person it concerns (一人一档)."""
    require(actor, Cap.DATA_EDIT, ticket.region_id)
    require_choice(
        actor,
        person.region_id if person else None,
        "person",
        _("This person's file is outside your jurisdiction."),
    )
    ticket.person = person
    ticket.save(update_fields=["person"])
    return ticket


@transaction.atomic
def ticket_open_case(*, actor, ticket: Ticket):
    """Open a case (接案) for the linked person at the assigned station, through the casework service."""

    require(actor, Cap.DATA_EDIT, ticket.region_id)
    _not_closed(ticket)
    if ticket.case_id:
        raise ValidationError(_("A case is already open for this ticket."))
    if ticket.person_id is None:
        raise ValidationError(_("Link the ticket to a person's file first."))
    if ticket.station_id is None:
        raise ValidationError(_("Assign the ticket to a station first."))
    case = case_open(
        actor=actor,
        person=ticket.person,
        station=ticket.station,
        source=Source.SELF,
        presenting_problem=_("From hotline ticket %(number)s: %(summary)s")
        % {"number": ticket.number, "summary": ticket.summary},
        opened_on=timezone.localdate(),
    )
    _handling(ticket, actor, case=case)
    TicketNote.objects.create(
        ticket=ticket, actor=actor, text=_("Case %(number)s opened.") % {"number": case.number}
    )
    return case


@transaction.atomic
def ticket_close(*, actor, ticket: Ticket, outcome: str, note: str = "") -> Ticket:
    require(actor, Cap.DATA_EDIT, ticket.region_id)
    _not_closed(ticket)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome == Outcome.CASE_OPENED and not ticket.case_id:
        raise ValidationError({"outcome": _("No case was opened from this ticket.")})
    now = timezone.now()
    closing = {
        "outcome": outcome,
        "outcome_note": (note or "").strip(),
        "closed_at": now,
        "acted_at": ticket.acted_at or now,
    }
    TICKET_WORKFLOW.move(ticket, TicketStatus.CLOSED, actor=actor, changes=closing, clean=True)
    return ticket


@transaction.atomic
def deadline_rule_set(*, actor, region, urgency: str, respond_hours: int, resolve_hours: int) -> DeadlineRule:
    """Set a region's deadlines for one urgency; tickets received from now on get them."""
    require(actor, Cap.NETWORK_MANAGE)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    errors = {}
    if respond_hours < 1:
        errors["respond_hours"] = _("At least one hour.")
    if resolve_hours < respond_hours:
        errors["resolve_hours"] = _("Resolution cannot be due before the response.")
    if errors:
        raise ValidationError(errors)
    rule = DeadlineRule.objects.filter(region=region, urgency=urgency).first() or DeadlineRule(
        region=region, urgency=urgency
    )
    rule.respond_hours = respond_hours
    rule.resolve_hours = resolve_hours
    return save_valid(rule)
