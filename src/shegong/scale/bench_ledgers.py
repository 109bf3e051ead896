"""``shegong bench --ledgers KEY ...``: rows/s and peak memory of a ledger's import through the one engine.

Each ledger runs in a child process (``shegong bench --child ledger --ledger KEY``), so that its peak memory
(maxrss) is its own: a messy-enough file of ``--ledger-rows`` valid rows is built for the county, then the
engine's job handler checks and writes it (commit), as a confirmed import does, inside a transaction that is
rolled back, so the database is left as it was. What a ledger needs first (stations for workers, workers for
certificates and attendance, sessions for attendance) is made in the same transaction, untimed.
"""

import datetime as dt
import io
import resource
import time

from django.core.files.base import ContentFile
from django.db import transaction

from shegong.regions.models import Level, Region

# The ledgers the bench knows how to fill (people, services and stations are benchmarked by their helpers).
LEDGERS = (
    "workforce.workers",
    "workforce.certificates",
    "workforce.agencies",
    "workforce.trainings",
    "workforce.attendance",
    "regions.population",
    "regions.scope",
)


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.append(["兴义市台账（测试）"])  # a title row, as counties write them
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _id(n: int) -> str:
    from stdnum.cn import ric

    born = dt.date(1960, 1, 1) + dt.timedelta(days=n % 12000)
    body = f"110101{born:%Y%m%d}{(n // 12000) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _station(code: str, user):
    """A staffable township station of the county (made if there is none)."""
    from shegong.network import services as network
    from shegong.network.models import Facility, FacilityStatus, Kind

    found = Facility.objects.filter(
        region__code__startswith=code, kind=Kind.TOWNSHIP_STATION, status=FacilityStatus.OPERATING
    ).first()
    if found is not None:
        return found
    township = Region.objects.filter(code__startswith=code, level=Level.TOWNSHIP).order_by("code").first()
    return network.facility_create(
        actor=None,
        kind=Kind.TOWNSHIP_STATION,
        region=township,
        name=f"{township.name}社工站",
        status=FacilityStatus.OPERATING,
        status_date=dt.date(2022, 1, 1),
    )


def _workers_file(code: str, rows: int, user) -> bytes:
    station = _station(code, user)
    lines = [["序号", "姓名", "身份证号码", "联系电话", "学历", "用工性质", "岗位", "所在社工站", "入职时间"]]
    for n in range(rows):
        lines.append(
            [
                n + 1,
                "测试" + "娜强芳伟静磊敏军洋勇"[n % 10],
                _id(n),
                f"138 {n % 10000:04d} {n // 10000 % 10000:04d}",
                "本科",
                "驻站专职",
                "社工",
                station.name,
                "2023年3月",
            ]
        )
    return _xlsx(lines)


def _run(user, key: str, data: bytes) -> tuple[float, dict]:
    from shegong.jobs.models import Job
    from shegong.lib.importer.engine import IMPORT_KIND, run_import

    job = Job.objects.create(
        kind=IMPORT_KIND,
        title="bench",
        created_by=user,
        params={"ledger": key, "commit": True},
        input_name="bench.xlsx",
        input_file=ContentFile(data, "bench.xlsx"),
    )
    start, cpu = time.perf_counter(), time.process_time()
    outcome = run_import(job, lambda done, total: None)
    outcome["_cpu_s"] = time.process_time() - cpu
    return time.perf_counter() - start, outcome


def _registered_workers(code: str, rows: int, user) -> None:
    seconds, outcome = _run(user, "workforce.workers", _workers_file(code, rows, user))
    if not outcome.get("ok"):
        raise RuntimeError(f"the workers for the bench were not registered: {outcome.get('message')}")


def _file(key: str, code: str, rows: int, user) -> tuple[bytes, int]:
    """The file of ``rows`` valid rows for the ledger (fewer where the county has fewer divisions)."""
    if key == "workforce.workers":
        return _workers_file(code, rows, user), rows
    if key == "workforce.certificates":
        _registered_workers(code, rows, user)
        lines = [["序号", "姓名", "身份证号码", "证书等级", "发证日期", "证书编号"]]
        for n in range(rows):
            lines.append([n + 1, None, _id(n), "助理社会工作师", "2021年6月20日", f"ZL2021{n:07d}"])
        return _xlsx(lines), rows
    if key == "workforce.agencies":
        from stdnum.cn import uscc

        lines = [["机构名称", "统一社会信用代码", "登记管理机关", "成立日期", "评估等级", "评估年度"]]
        for n in range(rows):
            body = f"52{code}MJ{n:07d}"[:17]
            lines.append(
                [f"测试社工服务中心{n}", body + uscc.calc_check_digit(body), "民政局", "2019.05", "4A", 2023]
            )
        return _xlsx(lines), rows
    if key == "workforce.trainings":
        lines = [["培训名称", "培训类型", "主办单位", "培训日期", "学时", "培训形式"]]
        start = dt.date(2020, 1, 1)
        for n in range(rows):
            day = start + dt.timedelta(days=n % 1500)
            lines.append([f"社工轮训第{n}期", "轮训", "民政局", f"{day:%Y/%m/%d}", "6", "线下"])
        return _xlsx(lines), rows
    if key == "workforce.attendance":
        from shegong.workforce.services_training import training_create

        sessions = 10
        workers = max(1, rows // sessions)
        _registered_workers(code, workers, user)
        for s in range(sessions):
            training_create(
                actor=user,
                region=user.jurisdiction,
                title=f"轮训{s}",
                kind="rotation",
                organiser="民政局",
                held_on=dt.date(2024, 4, 1 + s),
                hours=6,
            )
        lines = [["培训名称", "培训日期", "姓名", "身份证号码"]]
        for n in range(workers * sessions):
            s, w = divmod(n, workers)
            lines.append([f"轮训{s}", f"2024-04-{1 + s:02d}", None, _id(w)])
        return _xlsx(lines), workers * sessions
    regions = list(
        Region.objects.filter(code__startswith=code, level__gt=Level.COUNTY)
        .order_by("code")
        .values_list("code", flat=True)[:rows]
    )
    if key == "regions.population":
        lines = [["区划代码", "常住人口", "统计年度"]] + [[c, 1000 + i, 2024] for i, c in enumerate(regions)]
        return _xlsx(lines), len(regions)
    if key == "regions.scope":
        lines = [["区划代码", "是否纳入覆盖范围", "不纳入原因"]] + [[c, "否", "整村搬迁"] for c in regions]
        return _xlsx(lines), len(regions)
    raise SystemExit(f"no bench for the ledger {key}; known: {', '.join(LEDGERS)}")


def child_ledger(code: str, rows: int, key: str) -> dict:
    from shegong.scale.bench import admin_for

    user = admin_for(code)
    result = {"ledger": key}
    with transaction.atomic():
        data, count = _file(key, code, rows, user)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        seconds, outcome = _run(user, key, data)
        result.update(
            rows=count,
            seconds=seconds,
            cpu_seconds=outcome["_cpu_s"],
            ok=bool(outcome.get("ok")),
            written=outcome.get("written", 0),
            message=str(outcome.get("message", ""))[:300],
            setup_maxrss_mb=before,
        )
        transaction.set_rollback(True)
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def ledger_rows(code: str, keys: list[str], rows: int, out) -> list:
    """The bench table's rows for each ledger: rows/s (whole import: read, check, write) and peak memory."""
    from shegong.scale.bench import run_child

    table = []
    for key in LEDGERS if keys == ["all"] else keys:
        r = run_child("ledger", code, rows, ledger=key)
        rate = r["rows"] / r["seconds"] if r["seconds"] else 0.0
        status = "" if r["ok"] and r["written"] == r["rows"] else " FAILED"
        if status:
            out(f"{key} import failed: {r['message']}")
        # The process's CPU time too: on a shared machine the wall clock counts other programs' turns.
        cpu = r["rows"] / r["cpu_seconds"] if r["cpu_seconds"] else 0.0
        table.append(
            (code, f"import {r['rows']:,} {key}{status}", "rows/s", rate, None, None, f"cpu {cpu:.0f}/s")
        )
        table.append((code, f"  {key} peak memory (MB)", "maxrss", r["maxrss_mb"], None, None, ""))
    return table
