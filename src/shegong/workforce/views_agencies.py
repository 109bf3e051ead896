"""Pages of the agency registry and the expert pool."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import form_page
from shegong.lib.views import FORM, record_view
from shegong.regions.picker import region_chosen
from shegong.workforce import selectors, selectors_awards, services_agencies
from shegong.workforce.forms import AgencyForm, ExpertForm
from shegong.workforce.lists import AGENCIES, EXPERTS


def region_named(request, data):
    """The division the form's ``region_code`` names (default: the user's jurisdiction)."""
    return region_chosen(user=request.user, data=data, field="region_code")


def without_region(data, field: str = "region_code") -> dict:
    return {key: value for key, value in data.items() if key != field}


@capability_required(Cap.DATA_VIEW)
def agency_list(request):
    return AGENCIES.page(request, "workforce/agency_list.html", can_edit=request.user.can(Cap.DATA_EDIT))


@record_view(Cap.DATA_VIEW, selectors.agency_get)
def agency_detail(request, agency):
    return render(
        request,
        "workforce/agency_detail.html",
        {
            "agency": agency,
            "facilities": selectors.agency_facilities(user=request.user, agency=agency),
            "workers": selectors.agency_workers(user=request.user, agency=agency)[:200],
            "can_edit": request.user.can(Cap.DATA_EDIT),
        },
    )


def _agency_form_page(request, agency=None):
    initial = {}
    if agency is not None:
        initial = {key: getattr(agency, key) for key in services_agencies.AGENCY_FIELDS}
        initial["region_code"] = agency.region_id

    def save(data):
        region = region_named(request, data)
        return services_agencies.agency_save(actor=request.user, data=data, region=region, agency=agency)

    return form_page(
        request,
        AgencyForm(request.POST or None, initial=initial),
        "workforce/agency_form.html",
        {"agency": agency},
        run=save,
        success=_("Agency saved."),
        then=lambda saved: ("workforce:agency_detail", saved.pk),
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def agency_create(request):
    return _agency_form_page(request)


@record_view(Cap.DATA_EDIT, selectors.agency_get, FORM)
def agency_edit(request, agency):
    return _agency_form_page(request, agency)


# --- Expert pool ---------------------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def expert_list(request):
    return EXPERTS.page(request, "workforce/expert_list.html", can_edit=request.user.can(Cap.DATA_EDIT))


def _expert_form_page(request, expert=None):
    initial = {}
    if expert is not None:
        initial = {
            key: getattr(expert, key)
            for key in ("name", "kind", "organisation", "title", "specialities", "joined_on", "active")
        }
        initial["region_code"] = expert.region_id
    else:
        initial = {"active": True, "joined_on": services_agencies.today()}
    return form_page(
        request,
        ExpertForm(request.POST or None, initial=initial),
        "workforce/expert_form.html",
        {"expert": expert},
        run=lambda data: services_agencies.expert_save(
            actor=request.user, region=region_named(request, data), values=without_region(data), expert=expert
        ),
        success=_("Expert saved."),
        then="workforce:expert_list",
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def expert_create(request):
    return _expert_form_page(request)


@record_view(Cap.DATA_EDIT, selectors_awards.expert_get, FORM)
def expert_edit(request, expert):
    return _expert_form_page(request, expert)
