"""Hotline pages: the ticket list with its crisis flags, receipt, and the handling of one ticket. Every change
goes through services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.clients.selectors import person_by_id_number
from shegong.hotline import selectors, services
from shegong.hotline.forms import AssignForm, CloseForm, DeadlineForm, LinkForm, NoteForm, TicketForm
from shegong.hotline.lists import TICKETS
from shegong.hotline.models import DEFAULT_DEADLINES, TicketStatus, Urgency
from shegong.lib.decorators import capability_required
from shegong.lib.forms import flash_service_errors, form_done, form_page, to_page
from shegong.lib.personal_data import mask, may_see_clear
from shegong.lib.views import POST, Record, record_view
from shegong.network.selectors import station_choices
from shegong.regions.picker import region_chosen
from shegong.regions.selectors import region_find


@capability_required(Cap.DATA_VIEW)
def ticket_list(request):
    return TICKETS.page(
        request,
        "hotline/ticket_list.html",
        flagged=selectors.flagged_count(user=request.user),
        can_edit=request.user.can(Cap.DATA_EDIT),
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def ticket_create(request):
    stations = station_choices(user=request.user)
    form = TicketForm(
        request.POST or None, stations=stations, initial={"region": request.user.jurisdiction_code}
    )

    def create(data):
        data = dict(data)
        station = data.pop("station")
        region = region_chosen(
            user=request.user, data=data, field="region", message=_("Choose a division in your jurisdiction.")
        )
        data.pop("region")
        ticket = services.ticket_create(actor=request.user, region=region, **data)
        if station is not None:
            services.ticket_assign(actor=request.user, ticket=ticket, station=station)
        return ticket

    return form_page(
        request,
        form,
        "hotline/ticket_form.html",
        run=create,
        success=lambda ticket: _("Ticket %(number)s recorded.") % {"number": ticket.number},
        then=to_page("hotline:ticket_detail"),
    )


def _detail(request, ticket, *, status: int = 200, **forms):
    user = request.user
    stations = station_choices(user=user)
    return render(
        request,
        "hotline/ticket_detail.html",
        {
            "ticket": ticket,
            "phone": mask("caller_phone", ticket.caller_phone),
            "can_reveal": may_see_clear(user),
            "can_edit": user.can(Cap.DATA_EDIT) and ticket.status != TicketStatus.CLOSED,
            "notes": selectors.ticket_notes(user=user, ticket=ticket),
            "assign_form": forms.get("assign_form") or AssignForm(stations=stations),
            "note_form": forms.get("note_form") or NoteForm(),
            "link_form": forms.get("link_form") or LinkForm(),
            "close_form": forms.get("close_form") or CloseForm(),
            "now_late_response": ticket.acted_at is None and ticket.response_late(),
            "now_late_resolution": ticket.closed_at is None and ticket.resolution_late(),
        },
        status=status,
    )


@record_view(Cap.DATA_VIEW, selectors.ticket_get)
def ticket_detail(request, ticket):
    return _detail(request, ticket)


def _link_person(*, actor, ticket, id_number):
    person = person_by_id_number(user=actor, id_number=id_number.strip().upper())
    if person is None:
        raise ValidationError({"id_number": _("No file with this ID number in your jurisdiction.")})
    services.ticket_link_person(actor=actor, ticket=ticket, person=person)


TICKET = Record(Cap.DATA_EDIT, selectors.ticket_get, then=to_page("hotline:ticket_detail"), page=_detail)
ticket_assign = TICKET.form(
    services.ticket_assign,
    lambda request, _ticket: AssignForm(request.POST, stations=station_choices(user=request.user)),
    "assign_form",
    success=gettext_lazy("Assigned."),
)
ticket_note = TICKET.form(
    services.ticket_note_add, NoteForm, "note_form", success=gettext_lazy("Note added.")
)
ticket_link = TICKET.form(
    _link_person, LinkForm, "link_form", success=gettext_lazy("Linked to the person's file.")
)


@record_view(Cap.DATA_EDIT, selectors.ticket_get, POST)
def ticket_case(request, ticket):
    try:
        case = services.ticket_open_case(actor=request.user, ticket=ticket)
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return redirect("hotline:ticket_detail", pk=ticket.pk)
    messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
    return redirect("casework:case_detail", pk=case.pk)


ticket_close = TICKET.form(
    services.ticket_close, CloseForm, "close_form", success=gettext_lazy("Ticket closed.")
)


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def deadline_list(request):
    can_set = request.user.can(Cap.NETWORK_MANAGE)
    form = DeadlineForm(request.POST or None, initial={"region": request.user.jurisdiction_code})

    def save(data):
        data = dict(data)
        region = region_find(user=request.user, code=data.pop("region").strip())
        services.deadline_rule_set(actor=request.user, region=region, **data)

    done = form_done(
        request,
        form if can_set else None,
        save,
        success=_("Deadline saved; it applies to tickets received from now on."),
        then="hotline:deadlines",
    )
    if done:
        return done

    defaults = [(Urgency(u).label, r, s) for u, (r, s) in DEFAULT_DEADLINES.items()]
    return render(
        request,
        "hotline/deadlines.html",
        {
            "rules": selectors.deadline_rules(user=request.user),
            "defaults": defaults,
            "form": form if can_set else None,
        },
        status=400 if form.errors else 200,
    )
