"""Pages for the service catalogue, service records and the figures of a region."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.casework import figures, selectors, services
from shegong.casework.forms import ServiceItemForm, ServiceRecordForm
from shegong.casework.lists import SERVICE_RECORDS
from shegong.casework.models import Group
from shegong.clients.selectors import area_for, person_get, person_list
from shegong.community.selectors import group_get, group_members
from shegong.lib import asof
from shegong.lib.decorators import capability_required
from shegong.lib.forms import add_service_errors, as_id
from shegong.lib.views import configure_page
from shegong.network.selectors import station_choices
from shegong.regions.selectors import region_get


@capability_required(Cap.DATA_VIEW)
def service_record_list(request):
    return SERVICE_RECORDS.page(
        request, "casework/service_list.html", can_edit=request.user.can(Cap.DATA_EDIT)
    )


def _served(request):
    """The person (and case) a service is recorded for when the form is opened from their file or case page;
    outside the user's jurisdiction both are a 404, as the pages themselves are."""
    case = person = None
    case_id, person_id = as_id(request.GET.get("case")), as_id(request.GET.get("person"))
    if case_id is not None:
        case = selectors.case_get(user=request.user, pk=case_id, capability=Cap.DATA_EDIT)
        person_id = case.person_id
    if person_id is not None:
        person = person_get(user=request.user, pk=person_id, capability=Cap.DATA_EDIT)
    return person, case


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def service_record_create(request):
    person, case = _served(request)
    initial = {}
    group_id = as_id(request.GET.get("group"))
    if group_id is not None and person is None:
        # From a group's page: its name, and its members on file picked.

        group = group_get(user=request.user, pk=group_id, capability=Cap.DATA_EDIT)
        members = list(group_members(user=request.user, group=group))
        initial = {"group_name": group.name, "people": ",".join(str(m.pk) for m in members)}
        if not members:
            initial["participants"] = max(group.other_members, 1)
    form = ServiceRecordForm(
        request.POST or None,
        initial=initial,
        stations=station_choices(user=request.user),
        items=selectors.service_item_list(user=request.user),
        user=request.user,
        person=person,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        people = data.pop("people", [])
        try:
            if people:
                records = services.service_records_create_for_people(
                    actor=request.user, people=people, **data
                )
                record = records[0]
            else:
                record = services.service_record_create(actor=request.user, case=case, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Service recorded."))
            if people and len(people) > 1:
                return redirect("casework:service_list")
            if case:
                return redirect("casework:case_detail", pk=case.pk)
            if record.person_id:
                return redirect("clients:person_detail", pk=record.person_id)
            return redirect("casework:service_list")
    picked = []
    if "people" in form.fields:
        raw = form.data.get("people") if form.is_bound else form.initial.get("people", "")
        ids = [i for i in (as_id(p) for p in (raw or "").split(",")[:200]) if i is not None]
        if ids:
            picked = list(person_list(user=request.user, capability=Cap.DATA_EDIT).filter(pk__in=ids))
    return render(
        request,
        "casework/service_form.html",
        {"form": form, "person": person, "case": case, "picked": picked},
    )


def _catalogue(request):
    items = selectors.service_item_list(user=request.user).select_related("region")
    return {"groups": [(label, [i for i in items if i.group == value]) for value, label in Group.choices]}


catalogue = configure_page(
    Cap.CASEWORK_CONFIGURE,
    ServiceItemForm,
    services.service_item_create,
    "casework/catalogue.html",
    _catalogue,
    success=gettext_lazy("Service item added."),
    then="casework:catalogue",
)


@capability_required(Cap.DATA_VIEW)
def figures_page(request):
    """The figures of people served, visits, cases and services for a region, each linking to its list."""
    area = area_for(user=request.user, region=request.GET.get("region", "").strip()[:12])
    region = region_get(user=request.user, code=area) if area else None
    # The period as every statistics page reads it: a bad or out-of-range date is a message naming the field.
    when, as_of_errors = asof.for_page(request)
    period = figures.Period(when.since, when.until)
    # People on file and open cases are counted as of the period's last day (截至), services over the period.
    people = figures.people_figures(user=request.user, region=area, as_of=period.until)
    cases = figures.case_figures(user=request.user, region=area, period=period, as_of=period.until)
    service = figures.service_figures(user=request.user, region=area, period=period)
    chart = {
        "months": [r["month"] for r in service["by_month"]],
        "personTimes": [r["person_times"] for r in service["by_month"]],
        "items": [r["name"] for r in service["by_item"][:15]],
        "itemTimes": [r["person_times"] for r in service["by_item"][:15]],
        "stages": [r["label"] for r in cases["by_stage"]],
        "stageCounts": [r["n"] for r in cases["by_stage"]],
        "labels": {"personTimes": _("Service person-times"), "cases": _("Open cases")},
    }
    return render(
        request,
        "casework/figures.html",
        {
            "area": area,
            "region": region,
            "period": period,
            "as_of_errors": as_of_errors,
            "people": people,
            "cases": cases,
            "service": service,
            "chart": chart,
        },
    )
