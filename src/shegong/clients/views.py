"""Pages for people served and their visits. Thin: parse with a form, call a selector or a service, render."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.audit.services import Event, audit_event
from shegong.casework.selectors import cases_of, services_of
from shegong.clients import ledger, selectors, services, visiting
from shegong.clients.forms import HouseholdForm, PersonForm, VisitForm
from shegong.clients.lists import PEOPLE, VISITS
from shegong.clients.models import Person
from shegong.clients.presenters import masked
from shegong.jobs.services import job_start
from shegong.lib import asof
from shegong.lib.decorators import capability_required
from shegong.lib.forms import add_service_errors, form_done, to_page
from shegong.lib.http import client_ip
from shegong.lib.paging import CappedPaginator
from shegong.lib.personal_data import may_see_clear
from shegong.lib.views import FORM, POST, Record, list_page, record_view
from shegong.network.selectors import facility_get
from shegong.regions.picker import RegionPicker
from shegong.workbench.services import may_send

PAGE_SIZE = 50


person_list = list_page(Cap.DATA_VIEW, PEOPLE, "clients/person_list.html", can_edit=Cap.DATA_EDIT)


def _person_form_context(request, form, person=None):
    return {
        "form": form,
        "person": person,
    }


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def person_create(request):
    categories = selectors.category_list(user=request.user)
    initial = {}
    villages = selectors.village_choices(user=request.user)
    if villages.count() == 1:
        initial["region"] = villages.first().code
    form = PersonForm(
        request.POST or None,
        categories=categories,
        initial=initial,
        workers=selectors.worker_choices(user=request.user),
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                confirm_duplicates=form.cleaned_data["confirm_duplicates"],
                **form.service_fields(),
            )
        except services.PossibleDuplicates as exc:
            duplicates = exc.matches
            form.show_duplicate_confirmation()
            add_service_errors(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("File opened for %(name)s.") % {"name": person.name})
            return redirect("clients:person_detail", pk=person.pk)
    context = _person_form_context(request, form)
    context["duplicates"] = duplicates
    return render(request, "clients/person_form.html", context)


@record_view(Cap.DATA_EDIT, selectors.person_get, FORM)
def person_edit(request, person):
    categories = selectors.category_list(user=request.user)
    initial = {
        field: getattr(person, field)
        for field in services.PERSON_FIELDS
        if field not in ("id_number", "phone", "guardian_phone", "active")
    }
    initial.update(name=person.name, region=person.region_id, categories=list(person.categories.all()))
    form = PersonForm(
        request.POST or None,
        categories=categories,
        initial=initial,
        editing=True,
        workers=selectors.worker_choices(user=request.user),
    )
    done = form_done(
        request,
        form,
        lambda _data: services.person_update(actor=request.user, person=person, **form.service_fields()),
        success=_("File saved."),
        then=("clients:person_detail", person.pk),
    )
    return done or render(request, "clients/person_form.html", _person_form_context(request, form, person))


# What clients/_followups.html prints of a task: its person's name, not the file's forty columns.
FOLLOWUP_SHOWN = ("task", "due_on", "done_on", "person__name", "owner__full_name", "owner__username")


def _detail(request, person: Person):
    audit_event(event=Event.VIEW, request=request, obj=person)

    return render(
        request,
        "clients/person_detail.html",
        {
            "person": person,
            "shown": masked(person),
            "status": visiting.stored_status(person),
            "interval": person.visit_interval,
            "visits": selectors.visits_of(user=request.user, person=person),
            "household": selectors.household_list(user=request.user, person=person),
            "household_form": HouseholdForm(),
            "followups": selectors.followup_list(user=request.user, owner=False, person=person)
            .select_related(None)
            .select_related("person", "owner")
            .only(*FOLLOWUP_SHOWN)[:20],
            "cases": cases_of(user=request.user, person=person),
            "services": services_of(user=request.user, person=person),
            "can_edit": request.user.can(Cap.DATA_EDIT),
            "can_reveal": may_see_clear(request.user),
        },
    )


@record_view(Cap.DATA_VIEW, selectors.person_get)
def person_detail(request, person):
    return _detail(request, person)


household_add = Record(Cap.DATA_EDIT, selectors.person_get, then=to_page("clients:person_detail")).post(
    services.household_member_add, HouseholdForm, success=gettext_lazy("Household member added.")
)


@record_view(Cap.DATA_EDIT, selectors.household_member_get, POST)
def household_remove(request, member):
    services.household_member_remove(actor=request.user, member=member)
    messages.success(request, _("Household member removed."))
    return redirect("clients:person_detail", pk=member.person_id)


# --- Visits --------------------------------------------------------------------------------------


@record_view(Cap.DATA_EDIT, selectors.person_get, FORM)
def visit_create(request, person):
    """The visit form: today, a home visit, this person's checklist, photos, a follow-up task. The next visit
    is left to the rule, counted from the date of the visit (so a visit recorded afterwards is accepted)."""
    today = timezone.localdate()
    owners = selectors.followup_owner_choices(person=person)
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "visited_on": today,
            "followup_owner": request.user.pk,
            "followup_due_on": today + dt.timedelta(days=7),
        },
        checklist=services.checklist_for(person),
        owners=owners,
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(actor=request.user, person=person, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            services.draft_delete(actor=request.user, url=request.get_full_path())
            messages.success(request, _("Visit to %(name)s recorded.") % {"name": person.name})
            nxt = request.POST.get("next", "")
            if nxt == "ledger":
                return redirect("clients:visit_ledger")
            return redirect("clients:visit_detail", pk=visit.pk)
    interval = visiting.interval_for(person)
    return render(
        request,
        "clients/visit_form.html",
        {
            "person": person,
            "form": form,
            "interval": interval,
            "next": request.GET.get("next", ""),
        },
    )


@capability_required(Cap.DATA_VIEW)
def visit_list(request):
    return VISITS.page(request, "clients/visit_list.html")


LEDGER_STATUSES = {"overdue", "today", "due", "all"}


def _ledger_asked(request):
    """What the ledger's query string asks for: (status, sort, region, station, mine), each checked (an
    unknown status or sort: the default; a station outside the jurisdiction: 404)."""
    status = request.GET.get("status", "overdue")
    if status not in LEDGER_STATUSES:
        status = "overdue"
    sort = request.GET.get("sort", "due")
    if sort not in ledger.SORTS:
        sort = "due"
    region = request.GET.get("region", "").strip()[:12]
    station = None
    station_id = request.GET.get("station", "")
    if station_id.isdigit():
        station = facility_get(user=request.user, pk=int(station_id))
        region = station.region_id
    return status, sort, region, station, request.GET.get("mine") == "1"


@capability_required(Cap.DATA_VIEW)
def visit_ledger(request):
    """Due and overdue visits for a region or a station: the "no blind spot" ledger (台账), with township,
    station, responsible worker and category, sorted; summed per county and per station above a township;
    a worker's own people with ?mine=1."""

    status, sort, region, station, mine = _ledger_asked(request)
    # ?as_of=: the ledger as it stood at the end of a past day (a bad date: today, with the message).
    when, as_of_errors = asof.for_page(request)
    area = selectors.area_for(user=request.user, region=region)
    qs = ledger.ledger(
        user=request.user,
        region=area,
        status=status,
        sort=sort,
        people=(Q(responsible=request.user) | Q(responsible__isnull=True)) if mine else None,
        as_of=when.as_of,
    )
    qs = ledger.page_rows(qs)
    today = when.as_of
    summaries = []
    if not mine:  # one pass over the people for every level of summary
        summaries = ledger.summaries(
            user=request.user, region=area, lengths=ledger.summary_length(area), today=today
        )
    # The summaries above the list hold its total (today's from the visit-due rollup); without them (a
    # township, a worker's own people) counted up to LIST_CAP rows, in no order.
    total = ledger.summed(summaries, status)
    page = CappedPaginator(qs, PAGE_SIZE, ordered_count=False, known_count=total).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)

    rows = ledger.decorate(page, today)
    can_edit = request.user.can(Cap.DATA_EDIT)
    can_send = can_edit and len(request.user.jurisdiction_code) < 9
    return render(
        request,
        "clients/visit_ledger.html",
        {
            "page": page,
            "rows": rows,
            "ledger_cards": ledger.cards_html(rows, can_edit),
            "ledger_table": ledger.table_html(rows, can_edit),
            "status": status,
            "sort": sort,
            "mine": mine,
            "area": area,
            "station": station,
            # The region is chosen by name (the one region picker), never typed as a code.
            "region_picker": RegionPicker(
                placeholder=_("Township or village, by name or pinyin initials")
            ).render(
                "region",
                region if station is None else "",
                {"id": "id_filter_region", "aria-label": _("Region"), "class": "form-control"},
            ),
            "summaries": [(n, found, ledger.summary_html(n, found, can_send)) for n, found in summaries],
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "can_edit": can_edit,
            "can_export": request.user.can(Cap.JOBS_USE),
            "can_send": can_send,
            "station_may_receive": station is not None and may_send(request.user, station),
            "when": when,
            "as_of_errors": as_of_errors,
            "keep": [(k, v) for k, v in query.items() if k not in ("as_of", "base_year")],
        },
    )


@capability_required(Cap.JOBS_USE)
@require_POST
def visit_ledger_export(request):
    """The ledger as it is filtered, as Excel (a job; ID numbers masked)."""

    status = request.POST.get("status", "overdue")
    sort = request.POST.get("sort", "due")
    region = selectors.area_for(user=request.user, region=request.POST.get("region", ""))
    job = job_start(
        actor=request.user,
        kind="clients.visit_ledger_export",
        title=_("Visit ledger export"),
        params={
            "region": region,
            "status": status if status in LEDGER_STATUSES else "overdue",
            "sort": sort if sort in ledger.SORTS else "due",
        },
        remote_addr=client_ip(request),
    )
    return redirect("jobs:detail", job_id=job.pk)
