"""The community figures of a region: every number links to the records it was counted from."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.community import figures, selectors
from shegong.lib.asof import date_or_none
from shegong.lib.decorators import capability_required
from shegong.regions.selectors import region_get


def period_of(request):

    today = timezone.localdate()
    since = date_or_none(request.GET.get("since", "")) or today.replace(month=1, day=1)
    until = date_or_none(request.GET.get("until", "")) or today
    return (since, until) if since <= until else (until, since)


@capability_required(Cap.DATA_VIEW)
def figures_page(request):
    area = selectors.area_for(user=request.user, region=request.GET.get("region", ""))
    region = region_get(user=request.user, code=area) if area else None
    since, until = period_of(request)
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
            "period": f"since={since:%Y-%m-%d}&until={until:%Y-%m-%d}",
            **data,
            "casework_person_times": casework,
            "total_person_times": casework + acts["person_times"],
            "chart": chart,
        },
    )
