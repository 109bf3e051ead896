"""Demo data: the network of 黔西南布依族苗族自治州 (5223) with its dated history from 2021. As of 2023-12-31 it
reads as its bureau reported it in December 2023 — one prefecture centre, eight county centres, 101 township
stations covering 101 of 140 townships (72%), with 兴义市, 晴隆县 and 册亨县 complete, four village rooms and the
target of full coverage by the end of 2025; since then 16 more stations were built (2024 up to today), stations
built by 2023 began operating and 12 more village rooms opened in 兴义市, so today's figures show the growth.

The figures are the bureau's; every detail (which townships, dates, names of agencies and contacts, checklist
results, honours) is generated, clearly marked as demo data, and the same on every run (seeded random).
Everything is written through the services, as a user's actions would be.
"""

import datetime as dt
import random

from django.db import transaction

from shegong.lib.scoping import code_prefix_q
from shegong.network import services
from shegong.network.models import (
    Checklist,
    Facility,
    FacilityStatus,
    HonourKind,
    Indicator,
    Kind,
    OperatingMode,
    Premises,
    Result,
)
from shegong.regions.models import Level, Region

PREFECTURE = "5223"
COMPLETE_COUNTIES = ("522301", "522324", "522327")  # 兴义市, 晴隆县, 册亨县
TOWNSHIP_STATIONS = 101
REPORTED_ON = dt.date(2023, 12, 31)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))


def _walk(
    facility: Facility, final: str, rng: random.Random, start: dt.date, until: dt.date = REPORTED_ON
) -> None:
    """Move a planned facility to ``final`` along the allowed transitions, on increasing dates up to ``until``."""
    path = {
        FacilityStatus.BUILDING: [FacilityStatus.BUILDING],
        FacilityStatus.BUILT: [FacilityStatus.BUILDING, FacilityStatus.BUILT],
        FacilityStatus.OPERATING: [FacilityStatus.BUILDING, FacilityStatus.BUILT, FacilityStatus.OPERATING],
        FacilityStatus.SUSPENDED: [
            FacilityStatus.BUILDING,
            FacilityStatus.BUILT,
            FacilityStatus.OPERATING,
            FacilityStatus.SUSPENDED,
        ],
    }.get(final, [])
    day = start
    for status in path:
        day = min(day + dt.timedelta(days=rng.randint(20, 150)), until)
        services.facility_change_status(
            actor=None, facility=facility, to_status=status, on=day, note="演示数据"
        )


def _facility(
    rng, *, kind, region, name, final, index, commissioned=0.7, start=None, until=REPORTED_ON
) -> Facility:
    start = start or _day(rng, dt.date(2021, 3, 1), dt.date(2023, 3, 1))
    mode = OperatingMode.COMMISSIONED if rng.random() < commissioned else OperatingMode.DIRECT
    facility = services.facility_create(
        actor=None,
        kind=kind,
        region=region,
        name=name,
        status=FacilityStatus.PLANNED,
        status_date=start,
        address=f"{region.name}（演示地址）",
        premises=rng.choice([Premises.INDEPENDENT, Premises.SHARED, Premises.SHARED]),
        floor_area=rng.randrange(60, 400, 10),
        operating_mode=mode,
        agency_name=f"（演示）黔西南州第{index % 12 + 1}社会工作服务中心"
        if mode == OperatingMode.COMMISSIONED
        else "",
        contact_name=f"演示联系人{index:03d}",
        contact_phone=f"0859-000{index:04d}",
        note="演示数据，非真实信息。",
    )
    _walk(facility, final, rng, start, until)
    facility.refresh_from_db()
    if facility.built_on:
        services.facility_update(actor=None, facility=facility, opened_on=facility.built_on)
    return facility


# What each kind of facility is called after the region it stands in.
NAMES = {
    Kind.COUNTY_CENTRE: "{}社会工作服务指导中心",
    Kind.TOWNSHIP_STATION: "{}社会工作服务站",
    Kind.VILLAGE_ROOM: "{}社会工作室",
}


def _operating(rng: random.Random) -> str:
    return FacilityStatus.OPERATING


def _facilities(rng, kind, regions, first: int, *, final=_operating, since=None) -> list[Facility]:
    """A facility of ``kind`` in each of ``regions``, named after it (NAMES), numbered from ``first``: the
    status it reaches drawn by ``final``; ``since`` (earliest start, latest start, until) for one set up
    after the report, else set up from 2021 and walked up to the report."""
    made = []
    for index, region in enumerate(regions, first):
        status = final(rng)
        window = {} if since is None else {"start": _day(rng, since[0], since[1]), "until": since[2]}
        name = NAMES[kind].format(region.name)
        made.append(_facility(rng, kind=kind, region=region, name=name, final=status, index=index, **window))
    return made


def _new_station_status(rng: random.Random) -> str:
    return rng.choice([FacilityStatus.OPERATING, FacilityStatus.OPERATING, FacilityStatus.BUILT])


def _township_status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.84:
        return FacilityStatus.OPERATING
    if roll < 0.96:
        return FacilityStatus.BUILT
    return FacilityStatus.SUSPENDED


# The growth since the report: stations built in townships without one, from January 2024 up to today, stations
# built by 2023 that began operating since, and more village rooms in 兴义市.
NEW_STATIONS = 16
NEW_ROOMS = 12


def _since_2023(rng: random.Random, remaining: list[Region], stations: list[Facility]) -> list[Facility]:
    today = services.today()
    start = REPORTED_ON + dt.timedelta(days=10)
    if today <= start + dt.timedelta(days=200):
        return []  # a clock set before 2025: the demo stays as reported
    since = (start, today - dt.timedelta(days=200), today)
    townships = rng.sample(remaining, min(NEW_STATIONS, len(remaining)))
    created = _facilities(rng, Kind.TOWNSHIP_STATION, townships, 300, final=_new_station_status, since=since)
    for station in stations:
        station.refresh_from_db()
        if station.status == FacilityStatus.BUILT and rng.random() < 0.6:
            services.facility_change_status(
                actor=None,
                facility=station,
                to_status=FacilityStatus.OPERATING,
                on=_day(rng, start, today),
                note="演示数据",
            )
    taken = set(Facility.objects.filter(kind=Kind.VILLAGE_ROOM).values_list("region_id", flat=True))
    villages = [
        v
        for v in Region.objects.filter(level=Level.VILLAGE, code__startswith="522301").order_by("code")
        if v.code not in taken
    ]
    rooms = rng.sample(villages, min(NEW_ROOMS, len(villages)))
    return created + _facilities(rng, Kind.VILLAGE_ROOM, rooms, 400, since=since)


@transaction.atomic
def demo_network(seed: int = 5223) -> dict:
    """Create the demo network; does nothing if the prefecture already has facilities."""
    if Facility.objects.filter(code_prefix_q("region_id", PREFECTURE)).exists():
        return {"created": 0}
    rng = random.Random(seed)
    prefecture = Region.objects.get(code=PREFECTURE)
    counties = list(Region.objects.filter(parent_id=PREFECTURE).order_by("code"))
    townships = list(
        Region.objects.filter(level=Level.TOWNSHIP, code__startswith=PREFECTURE).order_by("code")
    )

    chosen = [t for t in townships if t.code[:6] in COMPLETE_COUNTIES]
    others = [t for t in townships if t.code[:6] not in COMPLETE_COUNTIES]
    chosen += rng.sample(others, TOWNSHIP_STATIONS - len(chosen))
    chosen.sort(key=lambda t: t.code)

    created = []
    created.append(
        _facility(
            rng,
            kind=Kind.CITY_HUB,
            region=prefecture,
            name="黔西南州社会工作指导中心（孵化基地）",
            final=FacilityStatus.OPERATING,
            index=0,
        )
    )
    created += _facilities(rng, Kind.COUNTY_CENTRE, counties, 1)
    stations = _facilities(rng, Kind.TOWNSHIP_STATION, chosen, 10, final=_township_status)
    created += stations
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith="522301001").order_by("code")[:4]
    )
    created += _facilities(rng, Kind.VILLAGE_ROOM, villages, 200)

    # 六有 assessments of two thirds of the operating stations, in the autumn of 2023.
    checklist = Checklist.objects.get(region__isnull=True, name="六有")
    items = list(checklist.items.all())
    operating = [s for s in stations if s.status == FacilityStatus.OPERATING]
    for station in rng.sample(operating, len(operating) * 2 // 3):
        results = {
            item.pk: {
                "result": rng.choices([Result.MET, Result.PARTLY, Result.NOT_MET], weights=[80, 14, 6])[0],
                "note": "",
            }
            for item in items
        }
        services.assessment_create(
            actor=None,
            facility=station,
            checklist=checklist,
            assessed_on=_day(rng, dt.date(2023, 9, 1), dt.date(2023, 12, 1)),
            results=results,
            note="演示数据",
        )

    # Six demonstration stations and a few brand honours.
    for number, station in enumerate(rng.sample(operating, 6), 1):
        services.honour_create(
            actor=None,
            facility=station,
            kind=HonourKind.DEMONSTRATION,
            year=2023,
            awarded_on=dt.date(2023, 11, 20),
            issuer="黔西南州民政局",
            document_no=f"州民发〔2023〕演示{number}号",
            title="州级示范社工站",
        )
    for station in rng.sample(operating, 3):
        services.honour_create(
            actor=None,
            facility=station,
            kind=HonourKind.BRAND,
            year=2023,
            issuer="黔西南州民政局",
            title="“一站一品”特色品牌（演示）",
        )

    created += _since_2023(rng, [t for t in townships if t not in chosen], stations)

    for indicator, value, note in (
        (Indicator.TOWNSHIP_COVERAGE, 100, "乡镇（街道）社工站全覆盖"),
        (Indicator.DEMONSTRATION_STATIONS, 20, "演示目标"),
    ):
        services.target_create(
            actor=None,
            region=prefecture,
            indicator=indicator,
            value=value,
            deadline=dt.date(2025, 12, 31),
            note=note,
        )
    return {"created": len(created), "township_stations": len(stations)}
