import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shegong.casework.tests.factories import station
from shegong.clients.tests.factories import make_person
from shegong.hotline import selectors, services
from shegong.hotline.lists import TICKETS
from shegong.hotline.models import Ticket, TicketStatus
from shegong.hotline.tests.factories import make_ticket
from shegong.lib.guard import Refused
from shegong.regions.models import Region
from shegong.testing import verified_login

pytestmark = pytest.mark.django_db


def test_a_ticket_gets_its_deadlines_from_the_national_default_when_received():
    received = timezone.now() - dt.timedelta(hours=2)
    ticket = make_ticket(urgency="urgent", received_at=received)
    assert ticket.respond_by == received + dt.timedelta(hours=4)
    assert ticket.resolve_by == received + dt.timedelta(hours=48)


def test_the_nearest_regions_rule_replaces_the_default_and_later_changes_leave_old_tickets_alone(users):
    def rule(actor, code, respond_hours, resolve_hours):
        services.deadline_rule_set(
            actor=users[actor],
            region=Region.objects.get(code=code),
            urgency="normal",
            respond_hours=respond_hours,
            resolve_hours=resolve_hours,
        )

    rule("prefecture", "5223", 8, 80)
    rule("county", "522301", 2, 20)
    received = timezone.now()
    ticket = make_ticket(received_at=received)
    assert ticket.respond_by == received + dt.timedelta(hours=2)
    rule("county", "522301", 6, 20)
    ticket.refresh_from_db()
    assert ticket.respond_by == received + dt.timedelta(hours=2)
    other = make_ticket("522302001", received_at=received)
    assert other.respond_by == received + dt.timedelta(hours=8)


def test_a_crisis_call_is_flagged_until_someone_acts_and_gets_crisis_deadlines(users):
    ticket = make_ticket(category="crisis", urgency="normal")
    assert ticket.urgency == "crisis"
    assert ticket.flagged
    assert selectors.flagged_count(user=users["county"]) == 1
    assert selectors.flagged_count(user=users["county2"]) == 0
    services.ticket_assign(actor=users["county"], ticket=ticket, station=station("522301001"))
    ticket.refresh_from_db()
    assert ticket.flagged, "assigning is not acting"
    services.ticket_note_add(actor=users["worker"], ticket=ticket, text="已联系派出所，社工到场陪伴")
    ticket.refresh_from_db()
    assert not ticket.flagged
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert selectors.flagged_count(user=users["county"]) == 0


def test_the_callers_phone_is_stored_encrypted_and_found_by_its_last_four_digits(users):
    ticket = make_ticket(caller_phone="138-0000-5678")
    raw = Ticket.objects.filter(pk=ticket.pk).values_list("caller_phone", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select caller_phone from hotline_ticket where id = %s", [ticket.pk])
        stored = cursor.fetchone()[0]
    assert "5678" not in stored
    assert list(raw) == ["13800005678"]
    assert list(TICKETS.filter({"q": "5678"}, users["county"]).qs) == [ticket]
    assert list(TICKETS.filter({"q": "13800005678"}, users["county"]).qs) == [ticket]


def test_a_ticket_opens_a_case_for_the_linked_person_at_the_assigned_station(users):
    ticket = make_ticket(assign=True)
    with pytest.raises(ValidationError):
        services.ticket_open_case(actor=users["worker"], ticket=ticket)
    services.ticket_link_person(actor=users["worker"], ticket=ticket, person=make_person())
    case = services.ticket_open_case(actor=users["worker"], ticket=ticket)
    assert case.station == ticket.station
    assert ticket.number in case.presenting_problem
    with pytest.raises(ValidationError):
        services.ticket_open_case(actor=users["worker"], ticket=ticket)
    services.ticket_close(actor=users["worker"], ticket=ticket, outcome="case_opened")
    assert ticket.status == TicketStatus.CLOSED


def test_a_closed_ticket_takes_no_more_notes_and_a_sibling_county_cannot_touch_it(users):
    ticket = make_ticket()
    with pytest.raises(Refused):
        services.ticket_note_add(actor=users["county2"], ticket=ticket, text="x")
    services.ticket_close(actor=users["county"], ticket=ticket, outcome="information", note="已解答政策")
    with pytest.raises(ValidationError):
        services.ticket_note_add(actor=users["county"], ticket=ticket, text="再次回访")


def test_figures_count_responses_within_the_deadline(users):
    now = timezone.now()
    late = make_ticket(received_at=now - dt.timedelta(hours=30))
    services.ticket_note_add(actor=users["county"], ticket=late, text="回电")
    quick = make_ticket(received_at=now - dt.timedelta(minutes=30))
    services.ticket_note_add(actor=users["county"], ticket=quick, text="回电")
    make_ticket(category="crisis")
    figures = selectors.hotline_figures(
        user=users["prefecture"],
        region="5223",
        since=timezone.localdate() - dt.timedelta(days=3),
        until=timezone.localdate(),
    )
    assert figures["received"] == 3
    assert figures["responded"] == 2
    assert figures["responded_in_time"] == 1
    assert figures["flagged_now"] == 1
    assert figures["by_category"]["crisis"] == 1
    assert 30 < figures["average_response_minutes"] < 30 * 60 + 30


def test_the_ticket_page_masks_the_phone_and_a_reveal_is_audited(client, users):
    from auditlog.models import LogEntry

    ticket = make_ticket()
    verified_login(client, users["worker"])
    page = client.get(reverse("hotline:ticket_detail", args=[ticket.pk])).content.decode()
    assert "138****5678" in page and "13800005678" not in page
    page = client.post(reverse("hotline:ticket_reveal", args=[ticket.pk])).content.decode()
    assert "13800005678" in page
    assert LogEntry.objects.filter(
        object_pk=str(ticket.pk), additional_data__revealed="caller_phone"
    ).exists()


def test_a_typed_bad_phone_or_division_is_a_form_error_not_a_crash(client, users):
    verified_login(client, users["county"])
    response = client.post(
        reverse("hotline:ticket_create"),
        {
            "received_at": "2025-03-01T09:30",
            "channel": "phone",
            "category": "needs",
            "urgency": "normal",
            "summary": "x",
            "region": "abc",
            "caller_phone": "12",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"region", "caller_phone"}
