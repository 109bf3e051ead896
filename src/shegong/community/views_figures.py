"""The community figures of a region: every number links to the records it was counted from."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.community import figures, selectors
from shegong.lib import asof
from shegong.lib.decorators import capability_required
from shegong.regions.selectors import region_get


@capability_required(Cap.DATA_VIEW)
def figures_page(request):
    area = selectors.area_for(user=request.user, region=request.GET.get("region", ""))
    region = region_get(user=request.user, code=area) if area else None
    # The period as every statistics page reads it: a bad or out-of-range date is a message naming the field.
    when, as_of_errors = asof.for_page(request)
    since, until = when.since, when.until
    data = figures.community_figures(user=request.user, area=area, since=since, until=until)
    casework = figures.casework_person_times(user=request.user, area=area, since=since, until=until)
    acts = data["activities"]
    chart = {
        "months": [r["month"] for r in acts["by_month"]],
        "held": [r["held"] for r in acts["by_month"]],
        "beneficiaries": [r["beneficiaries"] for r in acts["by_month"]],
        "kinds": [r["label"] for r in acts["by_kind"]],
        "kindCounts": [r["n"] for r in acts["by_kind"]],
        "labels": {"held": _("Activities held"), "beneficiaries": _("Beneficiaries")},
    }
    return render(
        request,
        "community/figures.html",
        {
            "area": area,
            "region": region,
            "since": since,
            "until": until,
            "as_of_errors": as_of_errors,
            "period": f"since={since:%Y-%m-%d}&until={until:%Y-%m-%d}",
            **data,
            "casework_person_times": casework,
            "total_person_times": casework + acts["person_times"],
            "chart": chart,
        },
    )
