"""Pages of the agency registry and the expert pool."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import add_service_errors
from shegong.regions.selectors import region_find
from shegong.workforce import selectors, selectors_awards, services_agencies
from shegong.workforce.forms import AgencyForm, ExpertForm
from shegong.workforce.lists import AGENCIES
from shegong.workforce.models import ExpertKind


def _region_from(form, request, field: str = "region_code"):
    """The division a form names by code (default: the user's jurisdiction), or None with a form error."""
    code = (form.cleaned_data.get(field) or "").strip() or request.user.jurisdiction_code
    region = region_find(user=request.user, code=code)
    if region is None:
        form.add_error(field, _("No division with this code in your jurisdiction."))
    return region


@capability_required(Cap.DATA_VIEW)
def agency_list(request):
    return AGENCIES.page(request, "workforce/agency_list.html", can_edit=request.user.can(Cap.DATA_EDIT))


@capability_required(Cap.DATA_VIEW)
def agency_detail(request, pk: int):
    agency = selectors.agency_get(user=request.user, pk=pk)
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
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        region = _region_from(form, request)
        try:
            values = services_agencies.agency_parse(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        if region is not None and not form.errors:
            try:
                if agency is None:
                    agency = services_agencies.agency_create(actor=request.user, region=region, values=values)
                else:
                    services_agencies.agency_update(
                        actor=request.user, agency=agency, values=values, region=region
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Agency saved."))
                return redirect("workforce:agency_detail", pk=agency.pk)
    return render(request, "workforce/agency_form.html", {"form": form, "agency": agency})


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def agency_create(request):
    return _agency_form_page(request)


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk: int):
    agency = selectors.agency_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    return _agency_form_page(request, agency)


# --- Expert pool ---------------------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def expert_list(request):
    search = request.GET.get("q", "").strip()[:30]
    kind = request.GET.get("kind", "")
    kind = kind if kind in ExpertKind.values else ""
    page = Paginator(selectors_awards.expert_list(user=request.user, search=search, kind=kind), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workforce/expert_list.html",
        {
            "page": page,
            "q": search,
            "kind": kind,
            "kinds": ExpertKind.choices,
            "query": urlencode({k: v for k, v in {"q": search, "kind": kind}.items() if v}),
            "can_edit": request.user.can(Cap.DATA_EDIT),
        },
    )


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
    form = ExpertForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        region = _region_from(form, request)
        if region is not None:
            values = {k: v for k, v in form.cleaned_data.items() if k != "region_code"}
            try:
                expert = services_agencies.expert_save(
                    actor=request.user, region=region, values=values, expert=expert
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Expert saved."))
                return redirect("workforce:expert_list")
    return render(request, "workforce/expert_form.html", {"form": form, "expert": expert})


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def expert_create(request):
    return _expert_form_page(request)


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk: int):
    expert = selectors_awards.expert_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    return _expert_form_page(request, expert)
