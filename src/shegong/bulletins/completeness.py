"""Data completeness (数据完整性): which built township stations recorded no service or no visit in the period, so
that a bulletin's service and visit figures show their gaps instead of hiding them.

A service record names its station. A visit names the person visited, whose division code lies inside a station's
township: a visit counts for the station whose township code is a prefix of the person's code. Both are read
through the scoping helper as the user who issues the bulletin, so another county's stations never appear.
"""

import datetime as dt

from django.db.models import Count

from shegong.casework.models import ServiceRecord
from shegong.clients.models import Visit
from shegong.lib.scoping import code_prefix_q, scope_to_user
from shegong.network.models import BUILT_STATUSES, TOWNSHIP_KINDS, Facility


def completeness(*, user, region_code: str, since: dt.date, until: dt.date) -> dict:
    stations = list(
        scope_to_user(Facility.objects.select_related("region"), user)
        .filter(code_prefix_q("region_id", region_code), kind__in=TOWNSHIP_KINDS, status__in=BUILT_STATUSES)
        .filter(built_on__lte=until)
        .order_by("region_id", "name")
    )
    services = dict(
        scope_to_user(ServiceRecord.objects.all(), user)
        .filter(code_prefix_q("station__region_id", region_code), served_on__gte=since, served_on__lte=until)
        .order_by()
        .values_list("station_id")
        .annotate(n=Count("id"))
    )
    visit_codes = (
        scope_to_user(Visit.objects.all(), user)
        .filter(code_prefix_q("person__region_id", region_code), visited_on__gte=since, visited_on__lte=until)
        .order_by()
        .values_list("person__region_id")
        .annotate(n=Count("id"))
    )
    visits_by_code = dict(visit_codes)
    gaps = []
    for station in stations:
        n_services = services.get(station.pk, 0)
        n_visits = sum(n for code, n in visits_by_code.items() if code.startswith(station.region_id))
        if n_services == 0 or n_visits == 0:
            gaps.append(
                {
                    "name": station.name,
                    "code": station.region_id,
                    "township": station.region.name,
                    "services": n_services,
                    "visits": n_visits,
                }
            )
    return {
        "stations": len(stations),
        "missing": len(gaps),
        "no_record": sum(1 for g in gaps if g["services"] == 0 and g["visits"] == 0),
        "gaps": gaps,
    }
