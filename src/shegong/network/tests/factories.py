"""Builders for network tests: every record is made through the services, as the application makes it."""

import datetime as dt

from django.core.files.base import ContentFile

from shegong.jobs.models import Job
from shegong.network import services
from shegong.network.models import Checklist, FacilityStatus, Kind
from shegong.network.picker import station_pick
from shegong.regions.models import Region

# The kind of facility each length of division code carries.
KIND_BY_LENGTH = {4: Kind.CITY_HUB, 6: Kind.COUNTY_CENTRE, 9: Kind.TOWNSHIP_STATION, 12: Kind.VILLAGE_ROOM}


def make_facility(
    code: str, status: str = FacilityStatus.OPERATING, kind: str | None = None, name: str = "", **details
):
    region = Region.objects.get(code=code)
    return services.facility_create(
        actor=None,
        kind=kind or KIND_BY_LENGTH[len(code)],
        region=region,
        name=name or f"{region.name}社工站",
        status=status,
        status_date=details.pop("status_date", dt.date(2023, 6, 1)),
        **details,
    )


def template(name: str = "六有") -> Checklist:
    return Checklist.objects.get(region__isnull=True, name=name)


def assess(facility, checklist=None, met: int | None = None, on=dt.date(2023, 7, 1), evidence: bool = False):
    """Assess ``facility``; the first ``met`` items are met (all if None), the rest not met."""
    checklist = checklist or template()
    items = list(checklist.items.all())
    met = len(items) if met is None else met
    results = {
        item.pk: {
            "result": "met" if index < met else "not_met",
            "note": "",
            "evidence": ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf")
            if evidence and index == 0
            else None,
        }
        for index, item in enumerate(items)
    }
    return services.assessment_create(
        actor=None, facility=facility, checklist=checklist, assessed_on=on, results=results
    )


def import_job(user, *, ok=True, commit=False, data=b"") -> Job:
    return Job.objects.create(
        kind="network.station_import",
        title="t",
        created_by=user,
        params={"commit": commit},
        input_name="stations.xlsx",
        input_file=ContentFile(data, "stations.xlsx"),
        status="succeeded",
        result={"ok": ok, "commit": commit, "rows": 0, "preview": [], "errors": []},
    )


def picker_offers(user, **which) -> set[int]:
    """Every station the station picker's endpoint (network/picker.py ``station_pick``) offers ``user`` for
    ``which`` (capability=, or source= and of=): browsing from the list's top down every division it shows."""
    found, todo = set(), [""]
    while todo:
        rows = station_pick(user=user, under=todo.pop(), **which)["rows"]
        found |= {row["code"] for row in rows if row["pickable"]}
        todo += [row["code"] for row in rows if not row["pickable"]]
    return found
