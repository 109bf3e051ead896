"""The batch writes of the workforce, regions and network ledgers (issue 15, every ledger ≥ 1,000 rows/s):
each ledger's ``write_many`` goes through a bulk service of its domain (certificates_save_many,
agencies_save_many, trainings_create_many, attendances_add_many, regions_set_population_many,
regions_set_scope_many, facilities_create_many, honours_create_many, targets_create_many /
talent_targets_create_many).

For each ledger the same file is imported twice from the same state, once in batches and once row by row
(write() only, the one-row services); the records, what is derived from them (the scope in force and its dated
history, a station's status history and building date) and the audit-trail rows must be the same. And a row
that the domain refuses only as it is written (it passed the checks) still gets its row named, the batch's
other rows are not written, and an all-or-nothing import writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.lib.importer.ledger import Ledger, ledger_get
from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the engine's fixture)
from shegong.lib.importer.tests.corpus import xlsx
from shegong.network.models import Facility, Honour, Indicator, StatusChange, Target
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region, ScopeChange
from shegong.regions.services import region_set_scope
from shegong.workforce.models import Agency, Attendance, Certificate, TalentTarget, TrainingSession, Worker
from shegong.workforce.services_training import attendance_add, training_create
from shegong.workforce.tests.factories import (
    certify,
    make_agency,
    make_credit_code,
    make_id,
    make_station,
    make_worker,
)

pytestmark = pytest.mark.django_db

A = make_id("522301", "19900101", 112)
B = make_id("522301", "19920202", 222)


def _villages(n=3):
    return list(Region.objects.filter(parent_id="522301001").order_by("code")[:n])


# --- One case per ledger: (setup → file), what to compare, and how a row goes bad after the checks ------------


def certificates():
    station = make_station("522301001")
    li = make_worker(station, name="李娜", id_number=A)
    make_worker(station, name="赵强", id_number=B)
    certify(li, level=1, year=2020, number="ZL0001")
    return xlsx(
        [
            ["姓名", "身份证号码", "证书等级", "发证日期", "取得年份", "证书编号"],
            ["李娜", A, "助理社工师", "2021年6月20日", None, None],  # on file: corrected, its number kept
            ["李娜", A, "中级", "2023-05-01", None, "ZJ0002"],
            ["赵强", B, "助理社会工作师", None, 2022, "ZL0003"],
        ]
    )


def certificates_state():
    return sorted(Certificate.objects.values_list("worker__name", "level", "year", "number", "obtained_on"))


def agencies():
    make_agency(name="兴义市阳光社会工作服务中心", credit_code=make_credit_code("52522301MJ000001"))
    return xlsx(
        [
            ["机构名称", "统一社会信用代码", "登记管理机关", "成立日期", "评估等级", "评估年度", "员工人数"],
            ["兴义市阳光社工中心", make_credit_code("52522301MJ000001"), "兴义市民政局", None, "4A", 2023, 12],
            ["兴义市启明社工中心", make_credit_code("52522301MJ000002"), "兴义市民政局", "2020.05", None, None, 5],
            ["兴义市同心社工中心", make_credit_code("52522301MJ000003"), "黔西南州民政局", None, "3A", 2022, None],
        ]
    )  # fmt: skip


def agencies_state():
    fields = ("region_id", "name", "credit_code", "authority", "registered_on", "rating", "rating_year")
    return sorted(Agency.objects.values_list(*fields, "staff_count", "note"))


def trainings():
    return xlsx(
        [
            ["培训名称", "培训类型", "主办单位", "培训日期", "学时", "培训形式", "其他参训人数"],
            ["社工站站长轮训", "轮训", "兴义市民政局", "2024/3/15", "6", "线下", 3],
            ["个案管理实务", "实训", "兴义市民政局", "2024-04-02", "1.5", "线上培训", None],
            ["督导会", "督导", "黔西南州民政局", "2024年5月6日", "2", None, None],
        ]
    )


def trainings_state():
    fields = ("region_id", "title", "kind", "organiser", "held_on", "hours", "online", "outsiders", "note")
    return sorted(TrainingSession.objects.values_list(*fields))


def attendance():
    station = make_station("522301001")
    li = make_worker(station, name="李娜", id_number=A)
    make_worker(station, name="赵强", id_number=B)
    county = Region.objects.get(code="522301")
    sessions = [
        training_create(
            actor=None,
            region=county,
            title=title,
            kind="rotation",
            organiser="兴义市民政局",
            held_on=dt.date(2024, 4, day),
            hours=6,
        )
        for title, day in (("轮训一", 1), ("轮训二", 2))
    ]
    attendance_add(actor=None, session=sessions[0], worker=li)  # on file: changes nothing
    make_worker(region="522302", name="外县社工", id_number=make_id("522302", "19880808", 331))
    return xlsx(
        [
            ["培训名称", "培训日期", "姓名", "身份证号码"],
            ["轮训一", "2024-04-01", "李娜", A],
            ["轮训一", "2024-04-01", "赵强", B],
            ["轮训二", "2024-04-02", None, A],
            ["轮训二", "2024-04-02", "赵强", B],
        ]
    )


def attendance_state():
    return sorted(Attendance.objects.values_list("session__title", "worker__name"))


def population():
    Region.objects.filter(code="522301002").update(population=52000, population_year=2023)
    return xlsx(
        [
            ["区划代码", "常住人口", "统计年度"],
            ["522301001", 48000, 2024],
            ["522301002", 52000, 2023],  # the same figures: unchanged
            ["522301003", "31000", "2024年"],
        ]
    )


def population_state():
    return sorted(
        Region.objects.filter(population__isnull=False).values_list("code", "population", "population_year")
    )


def scope():
    villages = _villages()
    region_set_scope(
        actor=None,
        region=villages[2],
        in_scope=False,
        reason="整村搬迁",
        effective_on=dt.date(2023, 1, 1),
    )
    return xlsx(
        [
            ["区划代码", "是否纳入覆盖范围", "不纳入原因", "生效日期"],
            [villages[0].code, "否", "整村搬迁，已无常住人口", "2024-01-01"],
            [villages[1].code, None, "并入相邻社区", None],
            [villages[2].code, "纳入", "恢复设置", "2024-06-01"],
        ]
    )


def scope_state():
    codes = [v.code for v in _villages()]
    regions = sorted(
        Region.objects.filter(code__in=codes).values_list(
            "code", "in_scope", "scope_reason", "scope_changed_by_id"
        )
    )
    changes = sorted(
        ScopeChange.objects.values_list("region_id", "in_scope", "reason", "effective_on", "actor_id")
    )
    return regions, changes


def stations():
    villages = _villages()
    return xlsx(
        [
            ["区划代码", "站点名称", "状态", "建成时间", "开业时间", "场地", "面积（㎡）", "运营方式"],
            [villages[0].code, f"{villages[0].name}社工室", "运营", "2021年3月", "2021-06-01", "是", 80, "购买服务"],
            [villages[1].code, f"{villages[1].name}社工室", "已建成", None, None, "否", None, None],
            ["522301002", "丰都街道社工站", "在建", None, None, None, None, "自办"],
            [villages[2].code, f"{villages[2].name}社工室", None, "2022-01-05", None, None, 60, None],
        ]
    )  # fmt: skip


def stations_state():
    fields = ("kind", "region_id", "name", "status", "status_since", "built_on", "premises", "floor_area")
    facilities = sorted(Facility.objects.values_list(*fields, "opened_on", "operating_mode", "created_by_id"))
    history = sorted(
        StatusChange.objects.values_list(
            "facility__name", "from_status", "to_status", "changed_on", "note", "actor_id"
        )
    )
    return facilities, history


def honours():
    make_facility("522301001", name="黄草街道社会工作服务站")
    village = _villages(1)[0]
    make_facility(village.code, name=f"{village.name}社会工作室")
    return xlsx(
        [
            ["获奖站点", "荣誉类型", "荣誉名称", "年度", "命名时间", "授予单位", "文号"],
            ["黄草街道社工站", "示范社工站", "省级示范社工站", "2023年度", "2023年12月", "贵州省民政厅", "黔民函〔2023〕88号"],
            [f"{village.name}社会工作室", "百强特色社工室", None, None, "2022.10", "黔西南州民政局", None],
            ["黄草街道社工站", "十佳", "十佳社工站", 2021, None, "黔西南州民政局", None],
        ]
    )  # fmt: skip


def honours_state():
    fields = ("facility__name", "kind", "title", "year", "awarded_on", "issuer", "document_no")
    return sorted(Honour.objects.values_list(*fields))


def targets():
    return xlsx(
        [
            ["地区", "指标", "目标值", "完成时限", "备注"],
            ["522301", "乡镇社工站覆盖率", "100%", "2025年底", "十四五规划"],
            ["522301", "社工人才", "1.5万人", "2027年", None],
            ["522301001", "示范站", "2个", "2026年6月", None],
            ["522301", "持证社工人数", "700人", "2027年底", None],
        ]
    )


def targets_state():
    network = sorted(
        Target.objects.values_list("region_id", "indicator", "value", "deadline", "note", "created_by_id")
    )
    talent = sorted(TalentTarget.objects.values_list("region_id", "indicator", "value", "deadline", "note"))
    return network, talent


def _outsider():
    return Worker.objects.get(name="外县社工")


def _future():
    return timezone.localdate() + dt.timedelta(days=5)


# Each ledger: its file, the rows it writes, what to compare, and a change to its second row after the checks
# that its domain's service refuses as it writes (what a concurrent change or a check missed would be).
CASES = {
    "workforce.certificates": (certificates, 3, certificates_state, lambda v: v.update(level=9)),
    "workforce.agencies": (agencies, 3, agencies_state, lambda v: v.update(authority="")),
    "workforce.trainings": (trainings, 3, trainings_state, lambda v: v.update(hours=Decimal("900"))),
    "workforce.attendance": (attendance, 4, attendance_state, lambda v: v.update(worker=_outsider())),
    "regions.population": (population, 3, population_state, lambda v: v.update(population=2, year=1990)),
    "regions.scope": (scope, 3, scope_state, lambda v: v.update(effective_on=_future())),
    "network.stations": (stations, 4, stations_state, lambda v: v.update(opened_on=_future())),
    "network.honours": (honours, 3, honours_state, lambda v: v.update(year=timezone.localdate().year + 1)),
    "network.targets": (targets, 4, targets_state, lambda v: v.update(indicator=Indicator.TOWNSHIP_COVERAGE)),
}

# Audit-trail values that differ between two runs whatever the path: keys and times of the rows written.
_MOVING = {"id", "facility", "created_at", "updated_at", "recorded_at"}


def _audit(since: int) -> list:
    """The audit-trail rows of the domain's records written after the row ``since`` (not the import's own)."""
    rows = []
    for entry in LogEntry.objects.filter(pk__gt=since).select_related("content_type"):
        if entry.content_type.app_label not in ("workforce", "regions", "network"):
            continue
        changes = {k: v for k, v in (entry.changes or {}).items() if k not in _MOVING}
        model = entry.content_type.model
        rows.append((model, entry.action, entry.object_repr, str(sorted(changes.items())), entry.actor_id))
    return sorted(rows)


def _import(run, monkeypatch, user, key, data, *, batches: bool) -> tuple:  # noqa: F811
    """Import ``data`` in batches (write_many) or row by row (write() only); returns (job, calls)."""
    cls = type(ledger_get(key))
    calls = {"write": 0, "write_many": 0}
    write, write_many = cls.write, (cls.write_many if batches else Ledger.write_many)

    def counted_write(self, row, ctx):
        calls["write"] += 1
        return write(self, row, ctx)

    def counted_many(self, rows, ctx):
        calls["write_many"] += 1
        return write_many(self, rows, ctx)

    with monkeypatch.context() as patch:
        patch.setattr(cls, "write", counted_write)
        patch.setattr(cls, "write_many", counted_many)
        job = run(user, key, data, commit=True)
    return job, calls


def _last_entry() -> int:
    return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("key", list(CASES))
def test_a_batch_writes_what_row_by_row_writes(users, run, monkeypatch, key):  # noqa: F811
    build, count, state, _spoil = CASES[key]
    data = build()
    user = users["county"]
    before, mark = state(), _last_entry()
    results = {}
    for batches in (True, False):
        with transaction.atomic():
            job, calls = _import(run, monkeypatch, user, key, data, batches=batches)
            assert job.result.get("ok") and job.result["written"] == count, job.result
            results[batches] = (state(), _audit(mark), calls)
            transaction.set_rollback(True)
        assert state() == before
    (bulk, bulk_audit, bulk_calls), (single, single_audit, single_calls) = results[True], results[False]
    # In batches no row went through write(); row by row every row did.
    assert bulk_calls["write"] == 0 and bulk_calls["write_many"] >= 1
    assert single_calls["write"] == count
    assert bulk != before
    assert bulk == single
    assert bulk_audit == single_audit
    assert bulk_audit and {actor for *_rest, actor in bulk_audit} == {user.pk}


@pytest.mark.parametrize("key", list(CASES))
def test_a_row_refused_as_it_is_written_is_named_and_nothing_is_written(users, run, monkeypatch, key):  # noqa: F811
    build, _count, state, spoil = CASES[key]
    data = build()
    before, mark = state(), _last_entry()
    cls = type(ledger_get(key))
    check = cls.check

    def check_then_spoil(self, rows, ctx):
        check(self, rows, ctx)
        spoil(rows[1].values)  # the second data row, in the middle of the batch

    monkeypatch.setattr(cls, "check", check_then_spoil)
    job, calls = _import(run, monkeypatch, users["county"], key, data, batches=True)
    assert not job.result["ok"] and job.result["written"] == 0, job.result
    # The batch was refused as a whole, then written row by row, which named the row (the file's row 3; the
    # header is row 1) and stopped there; all or nothing: what the batch and the first row wrote is taken back.
    assert calls["write_many"] == 1 and calls["write"] == 2
    assert [e["row"] for e in job.result["errors"]] == [3], job.result["errors"]
    assert "3" in job.result["message"]
    assert state() == before
    assert _audit(mark) == []


def test_the_station_check_makes_no_query_per_row(users, run):  # noqa: F811
    """The division and the one-open-facility rule are checked for the whole file at once: checking 8 rows
    costs the queries that checking 2 does (the preview: check only, nothing written)."""
    villages = list(Region.objects.filter(parent_id="522301001").order_by("code")[:8])
    make_facility(villages[0].code, name="已有社工室")  # on file: the first row is refused
    queries = {}
    for count in (2, 8):
        rows = [["区划代码", "站点名称", "状态"]]
        rows += [[v.code, f"{v.name}社工室", "已建成"] for v in villages[:count]]
        with CaptureQueriesContext(connection) as captured:
            job = run(users["county"], "network.stations", xlsx(rows))
        assert [e["row"] for e in job.result["errors"]] == [2], job.result["errors"]
        assert job.result["rows"] == count
        queries[count] = len(captured)
    assert queries[8] == queries[2], queries
