"""Pages of the facility registry and the network dashboard. Thin: parse, call a selector or service, render."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.lib import asof
from shegong.lib.decorators import capability_required, login_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.forms import form_page, to_page
from shegong.lib.views import Record, own_region, record_view, stored_file
from shegong.network import selectors, services
from shegong.network.coverage import network_figures, target_progress
from shegong.network.dashboard import chart_data, count_table, figures_workbook
from shegong.network.forms import (
    FacilityCreateForm,
    FacilityDetailsForm,
    PhotoForm,
    StatusChangeForm,
)
from shegong.network.lists import FACILITIES
from shegong.network.models import FacilityStatus, Kind
from shegong.network.picker import PICKER_CAPABILITIES, STATION_LISTS
from shegong.network.picker import station_pick as station_pick_rows
from shegong.network.workflow import FACILITY_WORKFLOW
from shegong.regions.picker import region_chosen
from shegong.regions.selectors import region_find

# --- Choosing a station --------------------------------------------------------------------------


@login_required
def station_pick(request, capability: str = Cap.DATA_EDIT, source: str = "", of: int | None = None):
    """The station picker's choices (an HTML fragment, network/picker.py): the stations matching ``q`` or those
    and the divisions of ``under``, among the stations the user may choose for ``capability`` — or, given
    ``source``, among that registered list (for record ``of``), asking the list's capability."""
    if source:
        if source not in STATION_LISTS:
            raise Http404
        capability = STATION_LISTS[source].capability
    elif capability not in PICKER_CAPABILITIES:
        raise Http404

    @capability_required(capability)
    def choices(request):
        found = station_pick_rows(
            user=request.user,
            capability=capability,
            source=source,
            of=of,
            term=request.GET.get("q", ""),
            under=request.GET.get("under", "").strip()[:12],
        )
        return render(request, "regions/picker/choices.html", found)

    return choices(request)


# --- Dashboard -----------------------------------------------------------------------------------


network_index = own_region(Cap.DATA_VIEW, "network:dashboard")


@capability_required(Cap.DATA_VIEW)
def dashboard(request, code: str):
    region = selectors.network_region_get(user=request.user, code=code)
    when, as_of_errors = asof.for_page(request)
    figures = network_figures(user=request.user, region=region, as_of=when.as_of)
    before = network_figures(user=request.user, region=region, as_of=when.year_before).total
    base = (
        network_figures(user=request.user, region=region, as_of=when.base_date).total
        if when.base_year
        else None
    )
    targets = [
        target_progress(t, figures.total, today=when.as_of)
        for t in selectors.target_list(user=request.user, region=code)
    ]
    comparisons = [
        {
            "label": label,
            "now": getattr(figures.total, key),
            "before": getattr(before, key),
            "growth": asof.growth(getattr(figures.total, key), getattr(before, key)),
            "base": getattr(base, key) if base else None,
            "base_growth": asof.growth(getattr(figures.total, key), getattr(base, key)) if base else None,
        }
        for key, label in (
            ("covered", _("Townships covered")),
            ("stations_built", _("Built township stations")),
            ("stations_operating", _("Operating stations")),
            ("villages_with_room", _("Villages with a room")),
        )
    ]
    return render(
        request,
        "network/dashboard.html",
        {
            "region": region,
            "breadcrumb": selectors.region_breadcrumb(user=request.user, region=region),
            "figures": figures,
            "total": figures.total,
            "targets": targets,
            "kinds": Kind.choices,
            "statuses": FacilityStatus.choices,
            "charts": chart_data(figures),
            "count_table": count_table(figures.total),
            "can_manage": request.user.can(Cap.NETWORK_MANAGE),
            "when": when,
            "as_of_errors": as_of_errors,
            "with_base_year": True,
            "keep": [],
            "comparisons": comparisons,
            "scope": selectors.scope_summary(user=request.user, region=region, as_of=when.as_of),
            "premises": selectors.premises_split(user=request.user, region=region, as_of=when.as_of),
            "operating_modes": selectors.premises_split(
                user=request.user, region=region, field="operating_mode", as_of=when.as_of
            ),
        },
    )


@capability_required(Cap.DATA_VIEW)
def dashboard_export(request, code: str):
    region = selectors.network_region_get(user=request.user, code=code)
    when, _errors = asof.for_page(request)
    figures = network_figures(user=request.user, region=region, as_of=when.as_of)
    response = HttpResponse(figures_workbook(figures), content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename=network-{region.code}.xlsx"
    return response


# --- Facilities ----------------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def facility_list(request):
    code = request.GET.get("region", "").strip()[:12]
    region = None
    if code.isascii() and code.isdigit():
        region = region_find(user=request.user, code=code, capability=Cap.DATA_VIEW)
    return FACILITIES.page(
        request, "network/facility_list.html", region=region, can_manage=request.user.can(Cap.NETWORK_MANAGE)
    )


@capability_required(Cap.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def facility_create(request):

    def create(data):
        region = region_of(request, data)
        try:
            return services.facility_create(actor=request.user, region=region, **without_code(data))
        except ValidationError as exc:
            raise _region_on_code(exc) from exc

    return form_page(
        request,
        FacilityCreateForm(request.POST or None, initial={"region_code": request.GET.get("region", "")}),
        "network/facility_form.html",
        {"creating": True},
        run=create,
        success=_("Facility registered."),
        then=_to_facility,
    )


def region_of(request, data):
    """The division the form's ``region_code`` names, which the user may manage."""
    return region_chosen(
        user=request.user,
        data=data,
        field="region_code",
        capability=Cap.NETWORK_MANAGE,
        message=_("No division %(code)s in your jurisdiction."),
    )


def without_code(data) -> dict:
    return {key: value for key, value in data.items() if key != "region_code"}


_to_facility = to_page("network:facility_detail")


def _region_on_code(exc: ValidationError) -> ValidationError:
    """The service's error on ``region`` shown on the form's ``region_code`` field."""
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {("region_code" if k == "region" else k): v for k, v in exc.error_dict.items()}
        )
    return exc


@capability_required(Cap.DATA_VIEW)
def facility_detail(request, pk: int):
    user = request.user
    facility = selectors.facility_get(user=user, pk=pk)
    can_manage = user.can(Cap.NETWORK_MANAGE)
    return render(
        request,
        "network/facility_detail.html",
        {
            "facility": facility,
            "breadcrumb": selectors.region_breadcrumb(user=user, region=facility.region),
            "history": selectors.facility_history(user=user, facility=facility),
            "honours": selectors.facility_honours(user=user, facility=facility),
            "assessments": selectors.facility_assessments(user=user, facility=facility)[:20],
            "photos": selectors.facility_photos(user=user, facility=facility),
            "checklists": selectors.checklists_for_facility(user=user, facility=facility),
            "status_form": StatusChangeForm(facility=facility)
            if can_manage and FACILITY_WORKFLOW.allowed(facility, user)
            else None,
            "photo_form": PhotoForm() if user.can(Cap.DATA_EDIT) else None,
            "can_manage": can_manage,
            "can_edit": user.can(Cap.DATA_EDIT),
        },
    )


FACILITY = Record(Cap.NETWORK_MANAGE, selectors.facility_get, then=_to_facility)
facility_edit = FACILITY.form_page(
    services.facility_update,
    lambda request, facility: FacilityDetailsForm(request.POST or None, instance=facility),
    "network/facility_form.html",
    success=gettext_lazy("Facility saved."),
    capability=Cap.DATA_EDIT,
)
facility_status = FACILITY.post(
    services.facility_change_status,
    lambda request, facility: StatusChangeForm(request.POST, facility=facility),
    success=gettext_lazy("Status changed."),
)
photo_upload = FACILITY.post(
    services.facility_add_photo,
    lambda request, _facility: PhotoForm(request.POST, request.FILES),
    success=gettext_lazy("Photo added."),
    invalid=gettext_lazy("Choose a photo to upload."),
    capability=Cap.DATA_EDIT,
    then=lambda facility: reverse("network:facility_detail", kwargs={"pk": facility.pk}) + "#photos",
)


@record_view(Cap.DATA_VIEW, selectors.photo_get)
def photo_file(request, photo):
    return stored_file(photo.file, filename=photo.file.name.rsplit("/", 1)[-1])
