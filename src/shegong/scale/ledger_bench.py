"""Throughput of each ledger through the one import engine: a file of ``rows`` valid rows in the county's
villages and stations, checked and written by the engine's job handler (run_import) as a county administrator,
inside a transaction that is rolled back. Prints rows/s and the process's peak memory (maxrss).

    shegong bench --ledgers community.donations clients.visits --ledger-rows 2000
"""

import datetime as dt
import io
import resource
import time

from django.core.files.base import ContentFile
from django.db import transaction
from openpyxl import Workbook
from stdnum.cn import ric


def _xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _villages(code: str) -> list:
    from shegong.regions.models import Region

    return list(Region.objects.filter(code__startswith=code, level=5).order_by("code")[:200])


def _station(code: str):
    from shegong.network.models import TOWNSHIP_KINDS, Facility, FacilityStatus

    found = (
        Facility.objects.filter(region__code__startswith=code, kind__in=TOWNSHIP_KINDS)
        .exclude(status=FacilityStatus.CLOSED)
        .order_by("region_id")
        .first()
    )
    if found is None:
        from shegong.network.tests.factories import make_facility

        found = make_facility(_villages(code)[0].code[:9])
    return found


def _id(n: int, region: str) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=n % 15000)
    body = f"{region[:6]}{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _day(n: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=1 + n % 300)


def donations(code: str, rows: int, user) -> bytes:
    station = _station(code)
    header = ["接收站点", "捐赠方", "来源", "形式", "金额（元）", "物资明细", "接收日期"]
    return _xlsx(
        [header]
        + [[station.name, f"捐赠人{n}", "个人", "资金", f"{100 + n}元", "", _day(n)] for n in range(rows)]
    )


def activities(code: str, rows: int, user) -> bytes:
    station = _station(code)
    header = ["活动名称", "举办站点", "活动类型", "活动日期", "参与人次", "惠及人数"]
    return _xlsx([header] + [[f"活动{n}", station.name, "文体活动", _day(n), 20, 30] for n in range(rows)])


def volunteers(code: str, rows: int, user) -> bytes:
    villages = _villages(code)
    header = ["姓名", "身份证号码", "手机号", "所在村（社区）", "注册时间"]
    return _xlsx(
        [header]
        + [
            [
                f"志愿者{n}",
                _id(900_000 + n, villages[n % len(villages)].code),
                "",
                villages[n % len(villages)].code,
                _day(n),
            ]
            for n in range(rows)
        ]
    )


def hours(code: str, rows: int, user) -> bytes:
    """One activity per 100 rows, a volunteer per row (made here, outside the timing)."""
    from shegong.community import services
    from shegong.community import volunteers as volunteer_services

    station, villages = _station(code), _villages(code)
    acts = [
        services.activity_create(
            actor=user, station=station, title=f"基准活动{a}", kind="volunteering", held_on=_day(a)
        )
        for a in range(rows // 100 + 1)
    ]
    lines = [["活动名称", "活动日期", "身份证号码", "服务时长"]]
    for n in range(rows):
        number = _id(700_000 + n, villages[0].code)
        volunteer_services.volunteer_create(
            actor=user,
            values=volunteer_services.volunteer_parse({"name": f"时长{n}", "id_number": number}),
            region=villages[n % len(villages)],
        )
        activity = acts[n // 100]
        lines.append([activity.title, activity.held_on, number, "2小时"])
    return _xlsx(lines)


def visits(code: str, rows: int, user) -> bytes:
    """Visits to the people on file in the county (people made here when there are too few)."""
    from shegong.clients.models import Person
    from shegong.testing import make_user

    worker = make_user(f"bench-visitor-{code}", "worker", _villages(code)[0].code[:9])
    worker.full_name = "基准社工"
    worker.save(update_fields=["full_name"])
    people = list(
        Person.objects.filter(region__code__startswith=code, active=True).only("id_number", "name")[:rows]
    )
    if len(people) < rows:
        from shegong.clients import services

        villages = _villages(code)
        for n in range(rows - len(people)):
            people.append(
                services.person_create(
                    actor=user,
                    name=f"走访{n}",
                    region=villages[n % len(villages)],
                    id_number=_id(500_000 + n, villages[0].code),
                    confirm_duplicates=True,
                )
            )
    header = ["姓名", "身份证号码", "走访日期", "走访方式", "走访人", "走访情况"]
    return _xlsx(
        [header]
        + [[p.name, p.id_number, _day(n), "入户", "基准社工", "身体尚可"] for n, p in enumerate(people)]
    )


BUILDERS = {
    "community.volunteers": volunteers,
    "community.hours": hours,
    "community.activities": activities,
    "community.donations": donations,
    "clients.visits": visits,
}


def child_ledger(key: str, code: str, rows: int) -> dict:
    from shegong.jobs.models import Job
    from shegong.lib.importer.engine import IMPORT_KIND, run_import
    from shegong.scale.bench import admin_for

    user = admin_for(code)
    result = {"ledger": key, "rows": rows}
    with transaction.atomic():
        data = BUILDERS[key](code, rows, user)
        job = Job.objects.create(
            kind=IMPORT_KIND,
            title="bench",
            created_by=user,
            params={"ledger": key, "commit": True},
            input_file=ContentFile(data, "bench.xlsx"),
        )
        start = time.perf_counter()
        outcome = run_import(job, lambda done, total: None)
        result["seconds"] = time.perf_counter() - start
        result["ok"] = bool(outcome.get("ok")) and outcome.get("written") == rows
        result["message"] = str(outcome.get("message", ""))[:300]
        if outcome.get("errors"):
            result["message"] += " " + str(outcome["errors"][:3])[:300]
        transaction.set_rollback(True)
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result
