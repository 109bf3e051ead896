"""Honours and targets through the one import engine (issue 15.8): the lists bureaus keep (stations by name, 2023年度,
2025年底, 100%, 1.5万人) go in with no cell edited; bad rows are named by row and column in Chinese; another
county's stations and divisions are not found; a second upload adds nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shegong.lib.importer import ledgers_for
from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the fixture)
from shegong.lib.importer.tests.corpus import assert_blank_template, errors_by_row, titled_ledger
from shegong.network import services
from shegong.network.models import Honour, HonourKind, Indicator, Target
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region
from shegong.testing import verified_login
from shegong.workforce.models import TalentTarget

pytestmark = pytest.mark.django_db


# --- Honours ------------------------------------------------------------------------------------------------

HONOUR_HEADER = ["序号", "获奖站点", "荣誉类型", "荣誉名称", "年度", "命名时间", "授予单位", "文号"]


def _honours(rows) -> bytes:
    return titled_ledger(HONOUR_HEADER, rows, "兴义市社工站（室）获得荣誉情况统计表")


def _stations():
    station = make_facility("522301001", name="黄草街道社会工作服务站")
    village = Region.objects.filter(parent_id="522301001").order_by("code").first()
    room = make_facility(village.code, name=f"{village.name}社会工作室")
    return station, room


def test_a_messy_honours_list_goes_in_as_it_is(users, run):  # noqa: F811
    station, room = _stations()
    data = _honours(
        [
            [1, "黄草街道社工站", "示范社工站", "省级示范社工站", "2023年度", "2023年12月", "贵州省民政厅",
             "黔民函〔2023〕88号"],
            [2, room.name, "百强特色社工室", None, None, "2022.10", "黔西南州民政局", None],
            ["合计", "2项", None, None, None, None, None, None],
        ]
    )  # fmt: skip
    job = run(users["county"], "network.honours", data, commit=True)
    assert job.result["ok"], job.result
    demo = Honour.objects.get(facility=station)
    assert demo.kind == HonourKind.DEMONSTRATION and demo.title == "省级示范社工站" and demo.year == 2023
    assert demo.awarded_on == dt.date(2023, 12, 1) and demo.document_no == "黔民函〔2023〕88号"
    top = Honour.objects.get(facility=room)
    assert top.kind == HonourKind.TOP_HUNDRED_ROOM and top.year == 2022 and top.issuer == "黔西南州民政局"
    again = run(users["county"], "network.honours", data, commit=True)
    assert again.result["ok"] and Honour.objects.count() == 2


def test_honour_rows_in_error_are_named_by_row_and_column_and_nothing_is_written(users, run):  # noqa: F811
    station, _room = _stations()
    other = make_facility("522302001", name="邻县某某街道社会工作服务站")
    services.honour_create(
        actor=users["county"], facility=station, kind=HonourKind.TOP_TEN, year=2021, issuer="兴义市民政局"
    )
    next_year = timezone.localdate().year + 1
    data = _honours(
        [
            [1, station.name, "示范站", None, next_year, None, "省民政厅", None],
            [2, station.name, "金奖", None, 2022, None, "省民政厅", None],
            [3, other.name, "示范站", None, 2022, None, "省民政厅", None],
            [4, station.name, "示范站", None, 2022, "2021年5月", "省民政厅", None],
            [5, station.name, "十佳站", None, 2021, None, "兴义市民政局", None],
            [6, station.name, "示范站", None, None, None, "省民政厅", None],
        ]
    )
    job = run(users["county"], "network.honours", data, commit=True)
    assert job.result["ok"] is False
    rows = errors_by_row(job, "text")
    assert sorted(rows) == [3, 4, 5, 6, 7, 8], rows
    assert "第3行“年度”" in rows[3][0] and str(next_year) not in rows[3][0]
    assert "第4行“荣誉类型”" in rows[4][0] and "金奖" in rows[4][0]
    assert "第5行“获奖站点”" in rows[5][0] and "辖区" in rows[5][0]
    assert "第6行“命名时间”" in rows[6][0]
    assert "第7行“荣誉类型”" in rows[7][0] and "已经登记" in rows[7][0]
    assert "第8行“年度”" in rows[8][0]
    assert Honour.objects.count() == 1


# --- Targets ------------------------------------------------------------------------------------------------

TARGET_HEADER = ["序号", "地区", "指标名称", "目标值", "完成时限", "备注"]


def _targets(rows) -> bytes:
    return titled_ledger(
        TARGET_HEADER, rows, "兴义市社会工作发展目标任务分解表", "（依据：黔西南州社会工作发展规划）"
    )


def _target_file():
    return _targets(
        [
            [1, "兴义市", "乡镇社工站覆盖率", "100%", "2025年底", "一乡镇一站点"],
            [2, "兴义市", "持证社工人数", "３００人", "2027年", None],
            [3, "黄草街道办事处", "村级社工室覆盖率", "８０％", "2026年6月", None],
            [4, "兴义市", "社会工作服务机构", "0.0012万家", "2027", None],
            ["合计", None, None, None, None, None],
        ]
    )


def test_a_messy_target_sheet_goes_in_as_it_is_network_and_workforce_targets_alike(users, run):  # noqa: F811
    job = run(users["county"], "network.targets", _target_file(), commit=True)
    assert job.result["ok"], job.result
    coverage = Target.objects.get(indicator=Indicator.TOWNSHIP_COVERAGE)
    assert (
        coverage.region_id == "522301"
        and coverage.value == 100
        and coverage.deadline == dt.date(2025, 12, 31)
    )
    assert coverage.note == "一乡镇一站点" and coverage.created_by == users["county"]
    village = Target.objects.get(indicator=Indicator.VILLAGE_COVERAGE)
    assert village.region_id == "522301001" and village.deadline == dt.date(2026, 6, 30)
    assert village.value == Decimal("80")
    talents = {t.indicator: t for t in TalentTarget.objects.all()}
    assert talents["certified"].value == 300 and talents["certified"].deadline == dt.date(2027, 12, 31)
    assert talents["agencies"].value == 12
    again = run(users["county"], "network.targets", _target_file(), commit=True)
    assert again.result["ok"], again.result
    assert Target.objects.count() == 2 and TalentTarget.objects.count() == 2


def test_target_rows_in_error_are_named_by_row_and_column_and_nothing_is_written(users, run):  # noqa: F811
    services.target_create(
        actor=users["county"],
        region=Region.objects.get(code="522301"),
        indicator=Indicator.OPERATING_RATE,
        value=Decimal("90"),
        deadline=dt.date(2025, 12, 31),
    )
    data = _targets(
        [
            [1, "兴仁市", "乡镇社工站覆盖率", "100%", "2025年底", None],
            [2, "兴义市", "乡镇社工站覆盖率", "120%", "2025年底", None],
            [3, "兴义市", "持证社工人数", "1.5", "2027年", None],
            [4, "兴义市", "持证社工人数", "300", "下半年", None],
            [5, "兴义市", "运营率", "95%", "2025年末", None],
            [6, "兴义市", "人均幸福指数", "95", "2025年末", None],
        ]
    )
    job = run(users["county"], "network.targets", data, commit=True)
    assert job.result["ok"] is False
    rows = errors_by_row(job, "text")
    assert sorted(rows) == [4, 5, 6, 7, 8, 9], rows
    assert "第4行“地区”" in rows[4][0] and "兴仁市" in rows[4][0]
    assert "第5行“目标值”" in rows[5][0] and "100" in rows[5][0]
    assert "第6行“目标值”" in rows[6][0] and "整数" in rows[6][0]
    assert "第7行“完成时限”" in rows[7][0] and "下半年" in rows[7][0]
    assert "第8行“指标名称”" in rows[8][0] and "90" in rows[8][0]
    assert "第9行“指标名称”" in rows[9][0] and "人均幸福指数" in rows[9][0]
    assert Target.objects.count() == 1 and not TalentTarget.objects.exists()


def test_the_province_sets_its_own_targets_by_name_and_a_worker_is_not_offered_these_ledgers(users, run):  # noqa: F811
    data = _targets([[1, "贵州省", "示范站", "100个", "2025年底", None]])
    job = run(users["province"], "network.targets", data, commit=True)
    assert job.result["ok"], job.result
    assert Target.objects.get().region_id == "52"
    keys = {ledger.key for ledger in ledgers_for(users["worker"])}
    assert "network.honours" not in keys and "network.targets" not in keys
    assert {"community.mutual_aid", "community.deliberations"} <= keys


def test_the_templates_have_dropdowns_and_no_row_to_import(users, client):
    verified_login(client, users["county"])
    assert_blank_template(client, "network.honours", "社工站")  # the honour types
    assert_blank_template(client, "network.targets", "地区")  # the indicators
