"""``shegong bench --ledgers KEY ... [--ledger-rows N]``: rows/s and peak memory of each ledger's import through
the one engine (lib/importer).

Each ledger runs in a child process (``shegong bench --child ledger --ledger KEY``), so that its peak memory
(maxrss) is its own. The child builds a file of ``rows`` valid rows in the county's divisions, stations and
files, as counties write them (a title row, names instead of codes, dates as ledgers write them), then the
engine's job handler (run_import) checks and writes it, as a confirmed import does, as a county administrator,
inside a transaction that is rolled back, so the database is left as it was. What a ledger needs first
(workers for certificates and attendance, volunteers and activities for hours, sessions for attendance) is made
in the same transaction, untimed; the memory it took is reported beside the import's (``setup MB``).

    shegong bench --region 522301 --ledgers all                       # 10,000 rows per ledger
    shegong bench --region 522301 --ledgers casework.services --ledger-rows 100000
"""

# imports inside functions: each ledger's bench runs in a child process whose peak memory is reported as the
# import's; a child imports only the domains its ledger needs (as scale/bench.py).

import datetime as dt
import io
import resource
import time
from collections import Counter

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from shegong.regions.models import Level, Region

DEFAULT_ROWS = 10_000


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


def _id(n: int, region: str = "110101") -> str:
    """A valid ID number, distinct for each ``n`` below 12,000,000 (born 1960–1992)."""
    from stdnum.cn import ric

    born = dt.date(1960, 1, 1) + dt.timedelta(days=n % 12000)
    body = f"{region[:6]}{born:%Y%m%d}{(n // 12000) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _day(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1 + n % 300)


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _villages(code: str) -> list:
    return list(Region.objects.filter(code__startswith=code, level=Level.VILLAGE).order_by("code")[:200])


def _station(code: str):
    """An operating township station of the county (made if there is none)."""
    from shegong.network import services as network
    from shegong.network.models import Facility, FacilityStatus, Kind

    found = (
        Facility.objects.filter(
            region__code__startswith=code, kind=Kind.TOWNSHIP_STATION, status=FacilityStatus.OPERATING
        )
        .order_by("region_id")
        .first()
    )
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


def _run(user, key: str, data: bytes) -> tuple[float, dict]:
    """The engine's job handler on ``data`` (check and write): (seconds, its result with ``_cpu_s``)."""
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


def _setup_import(user, key: str, data: bytes) -> None:
    """What a ledger's bench needs first, imported through the engine (untimed)."""
    _seconds, outcome = _run(user, key, data)
    if not outcome.get("ok"):
        raise RuntimeError(f"the bench's setup ({key}) failed: {outcome.get('message')}")


# --- One file builder per ledger: (code, rows, user) -> (file, rows in it) ----------------------------------


def workers(code: str, rows: int, user) -> tuple[bytes, int]:
    station = _station(code)
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
    return _xlsx(lines), rows


def certificates(code: str, rows: int, user) -> tuple[bytes, int]:
    _setup_import(user, "workforce.workers", workers(code, rows, user)[0])
    lines = [["序号", "姓名", "身份证号码", "证书等级", "发证日期", "证书编号"]]
    for n in range(rows):
        lines.append([n + 1, None, _id(n), "助理社会工作师", "2021年6月20日", f"ZL2021{n:07d}"])
    return _xlsx(lines), rows


def agencies(code: str, rows: int, user) -> tuple[bytes, int]:
    from stdnum.cn import uscc

    lines = [["机构名称", "统一社会信用代码", "登记管理机关", "成立日期", "评估等级", "评估年度"]]
    for n in range(rows):
        body = f"52{code}MJ{n:07d}"[:17]
        lines.append(
            [f"测试社工服务中心{n}", body + uscc.calc_check_digit(body), "民政局", "2019.05", "4A", 2023]
        )
    return _xlsx(lines), rows


def trainings(code: str, rows: int, user) -> tuple[bytes, int]:
    lines = [["培训名称", "培训类型", "主办单位", "培训日期", "学时", "培训形式"]]
    start = dt.date(2020, 1, 1)
    for n in range(rows):
        day = start + dt.timedelta(days=n % 1500)
        lines.append([f"社工轮训第{n}期", "轮训", "民政局", f"{day:%Y/%m/%d}", "6", "线下"])
    return _xlsx(lines), rows


def attendance(code: str, rows: int, user) -> tuple[bytes, int]:
    from shegong.workforce.services_training import training_create

    sessions = 10
    count = max(1, rows // sessions)
    _setup_import(user, "workforce.workers", workers(code, count, user)[0])
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
    for n in range(count * sessions):
        s, w = divmod(n, count)
        lines.append([f"轮训{s}", f"2024-04-{1 + s:02d}", None, _id(w)])
    return _xlsx(lines), count * sessions


def _divisions(code: str, rows: int) -> list[str]:
    return list(
        Region.objects.filter(code__startswith=code, level__gt=Level.COUNTY)
        .order_by("code")
        .values_list("code", flat=True)[:rows]
    )


def population(code: str, rows: int, user) -> tuple[bytes, int]:
    """One row per division of the county (a county has fewer divisions than ``rows``)."""
    regions = _divisions(code, rows)
    return _xlsx(
        [["区划代码", "常住人口", "统计年度"]] + [[c, 1000 + i, 2024] for i, c in enumerate(regions)]
    ), len(regions)


def scope(code: str, rows: int, user) -> tuple[bytes, int]:
    regions = _divisions(code, rows)
    lines = [["区划代码", "是否纳入覆盖范围", "不纳入原因"]] + [[c, "否", "整村搬迁"] for c in regions]
    return _xlsx(lines), len(regions)


def donations(code: str, rows: int, user) -> tuple[bytes, int]:
    station = _station(code)
    header = ["接收站点", "捐赠方", "来源", "形式", "金额（元）", "物资明细", "接收日期"]
    lines = [[station.name, f"捐赠人{n}", "个人", "资金", f"{100 + n}元", "", _day(n)] for n in range(rows)]
    return _xlsx([header] + lines), rows


def activities(code: str, rows: int, user) -> tuple[bytes, int]:
    station = _station(code)
    header = ["活动名称", "举办站点", "活动类型", "活动日期", "参与人次", "惠及人数"]
    return _xlsx(
        [header] + [[f"活动{n}", station.name, "文体活动", _day(n), 20, 30] for n in range(rows)]
    ), rows


def _volunteers_file(code: str, rows: int, offset: int) -> bytes:
    villages = _villages(code)
    header = ["姓名", "身份证号码", "手机号", "所在村（社区）", "注册时间"]
    lines = []
    for n in range(rows):
        village = villages[n % len(villages)]
        lines.append([f"志愿者{n}", _id(offset + n, village.code), "", village.name, _day(n)])
    return _xlsx([header] + lines)


def volunteers(code: str, rows: int, user) -> tuple[bytes, int]:
    return _volunteers_file(code, rows, 900_000), rows


def hours(code: str, rows: int, user) -> tuple[bytes, int]:
    """One activity per 100 rows, a volunteer per row (registered through the volunteer ledger, untimed)."""
    from shegong.community import services

    station = _station(code)
    acts = [
        services.activity_create(
            actor=user, station=station, title=f"基准活动{a}", kind="volunteering", held_on=_day(a)
        )
        for a in range(rows // 100 + 1)
    ]
    _setup_import(user, "community.volunteers", _volunteers_file(code, rows, 700_000))
    villages = _villages(code)
    lines = [["活动名称", "活动日期", "身份证号码", "服务时长"]]
    for n in range(rows):
        activity = acts[n // 100]
        lines.append(
            [activity.title, activity.held_on, _id(700_000 + n, villages[n % len(villages)].code), "2小时"]
        )
    return _xlsx(lines), rows


def mutual_aid(code: str, rows: int, user) -> tuple[bytes, int]:
    """A project a village per two rows, paid by the province and by the city (one payment a row)."""
    villages = _villages(code)
    header = ["村（社区）", "项目名称", "筹款目标（元）", "已筹金额（元）", "启动时间", "项目状态"]
    header += ["配套单位", "实际拨付金额（元）", "拨付日期"]
    lines = []
    for n in range(rows):
        project, funder = divmod(n, 2)
        started = _day(project) - dt.timedelta(days=30)
        lines.append(
            [
                villages[project % len(villages)].name,
                f"互助项目{project}",
                "5万元",
                f"{20000 + project}元",
                started,
                "进行中",
                ("省民政厅", "市民政局")[funder],
                f"{1000 + n}元",
                started + dt.timedelta(days=10 + funder),
            ]
        )
    return _xlsx([header] + lines), rows


def deliberations(code: str, rows: int, user) -> tuple[bytes, int]:
    """A meeting a village per five rows, one problem a row, every other one solved with its date."""
    villages = _villages(code)
    header = ["村（社区）", "议事日期", "议题", "议事地点", "参与人数", "提出的问题", "解决情况", "办理结果"]
    header += ["办结日期"]
    lines = []
    for n in range(rows):
        meeting, problem = divmod(n, 5)
        held = _day(meeting) - dt.timedelta(days=30)
        solved = problem % 2 == 0
        lines.append(
            [
                villages[meeting % len(villages)].name,
                held,
                f"议题{meeting}",
                "村委会议室",
                15,
                f"问题{n}：路灯不亮",
                "已办结" if solved else "跟进中",
                "已维修" if solved else "",
                held + dt.timedelta(days=7) if solved else None,
            ]
        )
    return _xlsx([header] + lines), rows


def _people(code: str, rows: int, user) -> list:
    """People on file in the county (made here when there are too few)."""
    from shegong.clients.models import Person

    # Born before the visits of the file (2018), which the generated data has none of (it visits from 2023).
    people = list(
        Person.objects.filter(region__code__startswith=code, active=True, birth_date__lt=dt.date(2018, 1, 1))
        .order_by("pk")
        .only("id_number", "name", "region_id")[:rows]
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
    return people


def _social_worker(code: str):
    from shegong.accounts.models import User
    from shegong.testing import make_user

    worker = User.objects.filter(username=f"bench-visitor-{code}").first()
    if worker is None:
        worker = make_user(f"bench-visitor-{code}", "worker", _villages(code)[0].code[:9])
        worker.full_name = "基准社工"
        worker.save(update_fields=["full_name"])
    return worker


def visits(code: str, rows: int, user) -> tuple[bytes, int]:
    """One visit per person on file (at most: a county with fewer files gets more people, made here)."""
    _social_worker(code)
    header = ["姓名", "身份证号码", "走访日期", "走访方式", "走访人", "走访情况"]
    lines = [
        [
            p.name,
            p.id_number,
            dt.date(2018, 1, 1) + dt.timedelta(days=n % 365),
            "入户",
            "基准社工",
            "身体尚可",
        ]
        for n, p in enumerate(_people(code, rows, user))
    ]
    return _xlsx([header] + lines), rows


def people(code: str, rows: int, user) -> tuple[bytes, int]:
    """New people served as counties write them: 身份证号码, the township and village by name (villages whose
    name is unique in their township), categories by name, a title row."""
    from shegong.clients.selectors import category_list

    villages = [v for v in _villages(code) if v.parent_id]
    names = Counter((v.parent_id, v.name) for v in villages)
    villages = [v for v in villages if names[(v.parent_id, v.name)] == 1]
    townships = dict(
        Region.objects.filter(code__in={v.parent_id for v in villages}).values_list("code", "name")
    )
    categories = list(category_list(user=user).values_list("name", flat=True)[:3])
    header = ["姓名", "身份证号码", "乡镇（街道）", "村（社区）", "家庭住址", "对象类别", "联系电话"]
    lines = []
    for n in range(rows):
        village = villages[n % len(villages)]
        lines.append(
            [
                "测试" + "秀英桂兰玉凤建华明国"[n % 10],
                _id(n, "110101"),
                townships[village.parent_id],
                village.name,
                f"{n % 80 + 1}号",
                categories[n % len(categories)] if categories else "",
                f"138{n:08d}",
            ]
        )
    return _xlsx([header] + lines), rows


def service_records(code: str, rows: int, user) -> tuple[bytes, int]:
    """Service records of the county's people, by ID number, credited to a social worker by name."""
    from shegong.casework.selectors import service_item_list

    _social_worker(code)
    people = _people(code, min(rows, 5000), user)
    items = list(service_item_list(user=user).order_by("pk")[:5])
    station = _station(code).name
    header = [
        "服务日期",
        "身份证号码",
        "服务对象",
        "服务项目",
        "社工",
        "服务时长",
        "服务方式",
        "服务内容",
        "站点",
    ]
    lines = []
    for n in range(rows):
        person = people[n % len(people)]
        item = items[n % len(items)]
        # A person comes back every len(people) rows with a minute more, so that no two rows are the same service.
        minutes = f"{30 + n // len(people)}分钟"
        lines.append(
            [_day(n), person.id_number, person.name, item.name, "基准社工", minutes, "入户", "陪伴", station]
        )
    return _xlsx([header] + lines), rows


def stations(code: str, rows: int, user) -> tuple[bytes, int]:
    """One station or village room per division of ``code`` that has none open of its level (one per division
    is the rule): at most the divisions a county or prefecture has (5301 昆明市: about 1,800 with the
    generated county 530102's own taken), whatever ``rows`` says."""
    from shegong.network.models import Facility, FacilityStatus, Kind

    taken = set(
        Facility.objects.filter(region__code__startswith=code)
        .exclude(status=FacilityStatus.CLOSED)
        .filter(kind__in=[Kind.TOWNSHIP_STATION, Kind.VILLAGE_ROOM])
        .values_list("region_id", flat=True)
    )
    divisions = [
        (c, name)
        for c, name in Region.objects.filter(code__startswith=code, level__in=(Level.TOWNSHIP, Level.VILLAGE))
        .order_by("code")
        .values_list("code", "name")
        if c not in taken
    ][:rows]
    header = ["序号", "区划代码", "站点名称", "状态", "建成时间", "开业时间", "地址", "场地", "面积（㎡）"]
    header += ["运营方式", "联系人", "联系电话"]
    lines = [header]
    for n, (c, name) in enumerate(divisions):
        room = "社工站" if len(c) == 9 else "社工室"
        lines.append(
            [n + 1, c, f"{name}{room}", "运营", "2021年3月", "2021-06-01", f"{name}综合楼", "是", 120]
            + ["购买服务", "张站长", "139 0000 0000"]
        )
    return _xlsx(lines), len(divisions)


def honours(code: str, rows: int, user) -> tuple[bytes, int]:
    """Honours of the county's open stations and rooms, by the station's name; a title of its own a row."""
    from shegong.network.models import Facility, FacilityStatus

    names = list(
        Facility.objects.filter(region__code__startswith=code)
        .exclude(status=FacilityStatus.CLOSED)
        .order_by("region_id")
        .values_list("name", flat=True)
    ) or [_station(code).name]
    header = ["序号", "获奖站点", "荣誉类型", "荣誉名称", "年度", "授予单位", "文号"]
    lines = [header]
    for n in range(rows):
        year = 2018 + n % 8
        lines.append(
            [n + 1, names[n % len(names)], "示范社工站", f"{year}年度示范站点（第{n}批）", year, "民政局"]
            + [f"民发〔{year}〕{n}号"]
        )
    return _xlsx(lines), rows


def targets(code: str, rows: int, user) -> tuple[bytes, int]:
    """Targets of the county and its divisions: each indicator for each year's end from 2025 (a county's
    sheet has tens of rows, a province's hundreds; 113 divisions × 10 indicators × 10 years make 11,300)."""
    divisions = list(
        Region.objects.filter(code__startswith=code).order_by("code").values_list("code", flat=True)
    )
    indicators = [
        ("乡镇社工站覆盖率", "100%"),
        ("运营率", "95%"),
        ("社工室覆盖率", "80%"),
        ("乡镇社工站数", "12个"),
        ("社工室数", "100个"),
        ("示范站", "3个"),
        ("社工人才", "1.5万人"),
        ("持证社工人数", "700人"),
        ("社工机构", "16家"),
        ("专职社工", "200人"),
    ]
    lines = [["序号", "区划代码", "指标", "目标值", "完成时限", "备注"]]
    for n in range(rows):
        division, rest = divmod(n, len(indicators) * 10)
        if division >= len(divisions):
            break
        year, which = divmod(rest, len(indicators))
        indicator, value = indicators[which]
        lines.append([n + 1, divisions[division], indicator, value, f"{2025 + year}年底", "规划"])
    return _xlsx(lines), len(lines) - 1


BUILDERS = {
    "casework.services": service_records,
    "clients.visits": visits,
    "clients.people": people,
    "community.volunteers": volunteers,
    "community.hours": hours,
    "community.activities": activities,
    "community.donations": donations,
    "community.mutual_aid": mutual_aid,
    "community.deliberations": deliberations,
    "workforce.workers": workers,
    "workforce.certificates": certificates,
    "workforce.agencies": agencies,
    "workforce.trainings": trainings,
    "workforce.attendance": attendance,
    "regions.population": population,
    "regions.scope": scope,
    "network.stations": stations,
    "network.honours": honours,
    "network.targets": targets,
}


def child_ledger(key: str, code: str, rows: int) -> dict:
    """One ledger's bench in this process: build its file (and what it needs), import it, roll back."""
    from shegong.scale.bench import admin_for

    if key not in BUILDERS:
        raise SystemExit(f"no bench for the ledger {key}; known: {', '.join(BUILDERS)}")
    user = admin_for(code)
    result = {"ledger": key}
    with transaction.atomic():
        data, count = BUILDERS[key](code, rows, user)
        setup = _maxrss_mb()
        seconds, outcome = _run(user, key, data)
        result.update(
            rows=count,
            seconds=seconds,
            cpu_seconds=outcome["_cpu_s"],
            ok=bool(outcome.get("ok")) and outcome.get("written") == count,
            written=outcome.get("written", 0),
            message=str(outcome.get("message", ""))[:300],
            setup_maxrss_mb=setup,
        )
        if outcome.get("errors"):
            result["message"] += " " + str(outcome["errors"][:3])[:300]
        transaction.set_rollback(True)
    result["maxrss_mb"] = _maxrss_mb()
    return result


def ledger_rows(code: str, keys: list[str], rows: int, out) -> list:
    """The bench table's rows for each ledger: rows/s of the whole import (read, check, write), the process's
    CPU rows/s (on a shared machine the wall clock counts other programs' turns) and its peak memory."""
    from shegong.scale.bench import run_child

    table = []
    for key in BUILDERS if "all" in keys else keys:
        r = run_child("ledger", code, rows, ledger=key)
        rate = r["rows"] / r["seconds"] if r["seconds"] else 0.0
        status = "" if r["ok"] else " FAILED"
        if status:
            out(f"{key} import failed: {r['message']}")
        cpu = r["rows"] / r["cpu_seconds"] if r["cpu_seconds"] else 0.0
        out(
            f"  {key:24} {r['rows']:>8,} rows {rate:9.0f} rows/s  cpu {cpu:6.0f}/s  peak {r['maxrss_mb']:5.0f} MB"
        )
        table.append(
            (code, f"import {r['rows']:,} {key}{status}", "rows/s", rate, None, None, f"cpu {cpu:.0f}/s")
        )
        table.append(
            (
                code,
                f"  {key} peak memory (MB)",
                "maxrss",
                r["maxrss_mb"],
                None,
                None,
                f"setup {r['setup_maxrss_mb']:.0f}",
            )
        )
    return table
