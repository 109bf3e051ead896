from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import post_action
from shegong.lib.importer.old_pages import ledger_pages
from shegong.regions import selectors, services
from shegong.regions.forms import PopulationForm, ScopeForm
from shegong.regions.models import Level
from shegong.regions.picker import parse_levels, pick


@capability_required(Cap.REGIONS_VIEW)
def region_index(request):
    if request.user.jurisdiction_code:
        return redirect("regions:detail", code=request.user.jurisdiction_code)
    provinces = selectors.region_roots(user=request.user)
    return render(request, "regions/index.html", {"provinces": provinces})


@capability_required(Cap.REGIONS_VIEW)
def region_detail(request, code: str):
    region = selectors.region_get(user=request.user, code=code)
    children = Paginator(selectors.region_children(user=request.user, region=region), 100).get_page(
        request.GET.get("page")
    )
    counts = selectors.region_descendant_counts(user=request.user, region=region)
    levels = [
        (Level(level).label, counts.get(level, 0)) for level in range(region.level + 1, Level.VILLAGE + 1)
    ]
    can_edit = request.user.can(Cap.REGIONS_EDIT)
    return render(
        request,
        "regions/detail.html",
        {
            "region": region,
            "breadcrumb": selectors.region_breadcrumb(user=request.user, region=region),
            "children": children,
            "levels": levels,
            "can_edit": can_edit,
            "population_form": PopulationForm(
                initial={"population": region.population, "year": region.population_year}
            ),
            "scope_form": ScopeForm(initial={"in_scope": region.in_scope, "reason": region.scope_reason}),
        },
    )


@capability_required(Cap.REGIONS_VIEW)
def region_search(request):
    term = request.GET.get("q", "").strip()[:30]
    results = (
        selectors.region_list(user=request.user, search=term).order_by("level", "code")[:50] if term else []
    )
    template = "regions/_search_results.html" if request.headers.get("HX-Request") else "regions/search.html"
    return render(request, template, {"q": term, "results": results})


@capability_required(Cap.REGIONS_VIEW)
def region_pick(request):
    """The region picker's choices (an HTML fragment): the children of ``under`` or the regions matching ``q``,
    inside the user's jurisdiction only."""
    found = pick(
        user=request.user,
        term=request.GET.get("q", ""),
        under=request.GET.get("under", "").strip()[:12],
        levels=parse_levels(request.GET.get("levels", "")),
    )
    return render(request, "regions/picker/choices.html", found)


def _region_set(request, code: str, form, service, success: str):
    """A form posted on a division's page that sets one of its facts through ``service``, then back there."""
    region = selectors.region_get(user=request.user, code=code)
    return post_action(
        request,
        form(request.POST),
        lambda data: service(actor=request.user, region=region, **data),
        success=success,
        then=("regions:detail", region.code),
    )


@capability_required(Cap.REGIONS_EDIT)
@require_POST
def region_population(request, code: str):
    return _region_set(request, code, PopulationForm, services.region_set_population, _("Population saved."))


@capability_required(Cap.REGIONS_EDIT)
@require_POST
def region_scope(request, code: str):
    return _region_set(request, code, ScopeForm, services.region_set_scope, _("Coverage scope saved."))


# The old population pages lead to the one import engine (lib/importer), on the population ledger's page.


population_import, population_template_download = ledger_pages(Cap.REGIONS_EDIT, "regions.population")
