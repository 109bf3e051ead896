"""Pages of the agency registry and the expert pool."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.lib.forms import form_page, initial_of, to_page
from shegong.lib.views import create_and_edit, list_page, record_view
from shegong.regions.picker import region_chosen
from shegong.workforce import selectors, selectors_awards, services_agencies
from shegong.workforce.forms import AgencyForm, ExpertForm
from shegong.workforce.lists import AGENCIES, EXPERTS


def region_named(request, data):
    """The division the form's ``region_code`` names (default: the user's jurisdiction)."""
    return region_chosen(user=request.user, data=data, field="region_code")


def without_region(data, field: str = "region_code") -> dict:
    return {key: value for key, value in data.items() if key != field}


agency_list = list_page(Cap.DATA_VIEW, AGENCIES, "workforce/agency_list.html", can_edit=Cap.DATA_EDIT)


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
    initial = initial_of(agency, services_agencies.AGENCY_FIELDS, region_code="region_id")

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
        then=to_page("workforce:agency_detail"),
    )


agency_create, agency_edit = create_and_edit(Cap.DATA_EDIT, selectors.agency_get, _agency_form_page)


# --- Expert pool ---------------------------------------------------------------------------------------


expert_list = list_page(Cap.DATA_VIEW, EXPERTS, "workforce/expert_list.html", can_edit=Cap.DATA_EDIT)


def _expert_form_page(request, expert=None):
    fields = ("name", "kind", "organisation", "title", "specialities", "joined_on", "active")
    initial = initial_of(expert, fields, region_code="region_id") or {
        "active": True,
        "joined_on": services_agencies.today(),
    }
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


expert_create, expert_edit = create_and_edit(Cap.DATA_EDIT, selectors_awards.expert_get, _expert_form_page)
