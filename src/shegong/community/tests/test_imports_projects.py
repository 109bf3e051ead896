"""Mutual-aid projects with the matching actually paid, and deliberations with their problems, through the one
import engine (issue 15.8; issue 17: history comes in with its dates): messy ledgers as villages keep them go in
with no cell edited, bad rows are named by row and column in Chinese, another county's villages are not found,
and a second upload adds nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from shegong.community.models import (
    Deliberation,
    DeliberationIssue,
    IssueStatus,
    MatchingPayment,
    MutualAidProject,
    MutualAidStatus,
)
from shegong.lib.importer.resolvers import name_keys
from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the fixture)
from shegong.lib.importer.tests.corpus import assert_blank_template, errors_by_row, titled_ledger
from shegong.regions.models import Region
from shegong.testing import verified_login

pytestmark = pytest.mark.django_db


def _villages():
    return list(Region.objects.filter(parent_id="522301001").order_by("code")[:2])


def _elsewhere() -> Region:
    """A village of the sibling county (522302) whose name no division of 兴义市 (522301) is known by."""
    ours = set()
    for region in Region.objects.filter(code__startswith="522301"):
        ours.update(name_keys(region.name))
    return next(
        r
        for r in Region.objects.filter(code__startswith="522302", level=5).order_by("code")
        if not set(name_keys(r.name)) & ours
    )


# --- Mutual-aid projects ------------------------------------------------------------------------------------

AID_HEADER = [
    "序号",
    "村（社区）",
    "项目名称",
    "所属计划",
    "筹款目标（元）",
    "筹集资金（元）",
    "启动时间",
    "项目状态",
    "配套单位",
    "配套金额（元）",
    "拨付日期",
    "凭证号",
]


def _aid(rows) -> bytes:
    return titled_ledger(
        AID_HEADER, rows, "兴义市村社互助项目台账（截至2023年12月底）", "填报单位：兴义市民政局"
    )


def _aid_file():
    first, second = _villages()
    return _aid(
        [
            [1, first.name + "村民委员会", "爱心食堂", "幸福家园", "5万元", "３２０００", "2022年3月", "实施中",
             "省民政厅", "9590", "2022年6月", None],
            [2, first.name + "村民委员会", "爱心食堂", "幸福家园", "5万元", "32000", "2022年3月", "实施中",
             "市民政局", "18490元", "2022.09", "兴民〔2022〕12号"],
            [3, second.code, "助老互助", None, 20000, 0, "2023-1-15", "筹款中", None, None, None, None],
            ["合计", None, None, None, "70000", "32000", None, None, None, "28080", None, None],
            ["注：配套资金以实际到位为准"],
        ]
    )  # fmt: skip


def test_a_messy_mutual_aid_ledger_goes_in_as_it_is_with_the_matching_paid_and_its_dates(users, run):  # noqa: F811
    first, second = _villages()
    job = run(users["county"], "community.mutual_aid", _aid_file(), commit=True)
    assert job.result["ok"], job.result
    canteen = MutualAidProject.objects.get(name="爱心食堂")
    assert canteen.region == first and canteen.programme == "幸福家园"
    assert canteen.target == Decimal("50000.00") and canteen.raised == Decimal("32000.00")
    assert canteen.started_on == dt.date(2022, 3, 1) and canteen.status == MutualAidStatus.RUNNING
    paid = {p.funder: p for p in MatchingPayment.objects.filter(project=canteen)}
    assert paid["省民政厅"].amount == Decimal("9590.00") and paid["省民政厅"].paid_on == dt.date(2022, 6, 1)
    assert (
        paid["市民政局"].paid_on == dt.date(2022, 9, 1) and paid["市民政局"].reference == "兴民〔2022〕12号"
    )
    assert paid["市民政局"].created_by == users["county"]
    elders = MutualAidProject.objects.get(name="助老互助")
    assert elders.region == second and elders.raised == 0 and not elders.payments.exists()
    assert any("合计" in s for s in job.result["skipped"]), job.result["skipped"]
    again = run(users["county"], "community.mutual_aid", _aid_file(), commit=True)
    assert again.result["ok"], again.result
    assert MutualAidProject.objects.count() == 2 and MatchingPayment.objects.count() == 2


def test_next_months_file_updates_the_project_and_adds_only_the_new_payment(users, run):  # noqa: F811
    first, _second = _villages()
    run(users["county"], "community.mutual_aid", _aid_file(), commit=True)
    later = _aid(
        [
            [1, first.name, "爱心食堂", "幸福家园", 50000, 45000, "2022年3月", "已完成", "省民政厅", 9590,
             "2022年6月", None],
            [2, first.name, "爱心食堂", "幸福家园", 50000, 45000, "2022年3月", "已完成", "县民政局", 5000,
             "2023年2月", None],
        ]
    )  # fmt: skip
    job = run(users["county"], "community.mutual_aid", later, commit=True)
    assert job.result["ok"], job.result
    canteen = MutualAidProject.objects.get(name="爱心食堂")
    assert canteen.raised == Decimal("45000.00") and canteen.status == MutualAidStatus.COMPLETED
    assert sorted(canteen.payments.values_list("funder", flat=True)) == ["县民政局", "市民政局", "省民政厅"]


def test_mutual_aid_rows_in_error_are_named_by_row_and_column_in_one_pass(users, run):  # noqa: F811
    first, _second = _villages()
    other = _elsewhere()
    job = run(
        users["county"],
        "community.mutual_aid",
        _aid(
            [
                [1, first.name, "爱心食堂", None, 50000, 32000, "2022年3月", None, "省民政厅", 9590, "2022年6月", None],
                [2, first.name, "爱心食堂", None, 60000, 32000, "2022年3月", None, "市民政局", 100, "2022年9月", None],
                [3, other.name, "邻县项目", None, 1000, 0, "2022年3月", None, None, None, None, None],
                [4, first.name, "修路", None, 1000, 0, "2022年3月", None, "市民政局", None, None, None],
                [5, first.name, "修桥", None, 1000, 0, "2022年3月", None, "市民政局", 100, "2021年1月", None],
                [6, first.name, "修渠", None, "一千", 0, "2022年3月", None, None, None, None, None],
            ]
        ),
        commit=True,
    )  # fmt: skip
    assert job.result["ok"] is False
    rows = errors_by_row(job, "text")
    assert sorted(rows) == [5, 6, 7, 8, 9], rows
    assert "第5行" in rows[5][0] and "筹款目标（元）" in rows[5][0] and "第4行" in rows[5][0]
    assert "第6行" in rows[6][0] and other.name in rows[6][0] and "辖区" in rows[6][0]
    assert any("配套金额（元）" in t and "拨付单位" in t for t in rows[7])
    assert "拨付日期" in rows[8][0] and "开始日期" in rows[8][0]
    assert "筹款目标（元）" in rows[9][0] and "一千" in rows[9][0]
    assert not MutualAidProject.objects.exists() and not MatchingPayment.objects.exists()


def test_another_countys_village_is_not_found_by_its_code_either(users, run):  # noqa: F811
    other = _elsewhere()
    data = _aid([[1, other.code, "邻县项目", None, 1000, 0, "2022年3月", None, None, None, None, None]])
    job = run(users["county2"], "community.mutual_aid", data, commit=True)
    assert job.result["ok"], job.result  # the sibling county's own administrator finds it
    job = run(users["county"], "community.mutual_aid", data, commit=True)
    assert job.result["ok"] is False and list(errors_by_row(job, "text")) == [4]
    assert MutualAidProject.objects.get().region == other


# --- Deliberations ------------------------------------------------------------------------------------------

TALK_HEADER = ["序号", "村（社区）", "议事时间", "议题", "议事地点", "主持人", "参会人数", "提出问题", "解决情况",
               "办理结果", "办结时间"]  # fmt: skip


def _talks(rows) -> bytes:
    return titled_ledger(TALK_HEADER, rows, "黄草街道“有事好商量”议事协商台账（2022年）")


def _talk_file():
    first, second = _villages()
    return _talks(
        [
            [1, first.name + "村委会", "2022年3月", "村口道路硬化", "村委会议室", "王主任", "２３",
             "道路坑洼", "已解决", "争取资金铺设水泥路", "2022年8月"],
            [2, first.name + "村委会", "2022年3月", "村口道路硬化", "村委会议室", "王主任", 23,
             "路灯不亮", "办理中", None, None],
            [3, second.name, "2022.11.19", "垃圾分类", None, None, 15, None, None, None, None],
            ["合计", None, None, None, None, None, 38, None, None, None, None],
        ]
    )  # fmt: skip


def test_a_messy_deliberation_ledger_goes_in_with_its_problems_and_the_dates_they_were_closed(users, run):  # noqa: F811
    first, second = _villages()
    job = run(users["county"], "community.deliberations", _talk_file(), commit=True)
    assert job.result["ok"], job.result
    road = Deliberation.objects.get(topic="村口道路硬化")
    assert road.region == first and road.held_on == dt.date(2022, 3, 1) and road.participants == 23
    assert road.host == "王主任" and road.place == "村委会议室"
    issues = {i.description: i for i in road.issues.all()}
    assert issues["道路坑洼"].status == IssueStatus.SOLVED and issues["道路坑洼"].closed_on == dt.date(
        2022, 8, 1
    )
    assert issues["道路坑洼"].outcome == "争取资金铺设水泥路"
    assert issues["路灯不亮"].status == IssueStatus.OPEN and issues["路灯不亮"].closed_on is None
    rubbish = Deliberation.objects.get(topic="垃圾分类")
    assert (
        rubbish.region == second and rubbish.held_on == dt.date(2022, 11, 19) and not rubbish.issues.exists()
    )
    again = run(users["county"], "community.deliberations", _talk_file(), commit=True)
    assert again.result["ok"], again.result
    assert Deliberation.objects.count() == 2 and DeliberationIssue.objects.count() == 2


def test_a_problem_the_next_file_says_is_solved_is_closed_with_the_files_date(users, run):  # noqa: F811
    first, _second = _villages()
    run(users["county"], "community.deliberations", _talk_file(), commit=True)
    later = _talks(
        [[1, first.name, "2022年3月", "村口道路硬化", None, None, None, "路灯不亮", "已解决", "更换灯泡",
          "2022年12月5日"]]
    )  # fmt: skip
    job = run(users["county"], "community.deliberations", later, commit=True)
    assert job.result["ok"], job.result
    lamp = DeliberationIssue.objects.get(description="路灯不亮")
    assert lamp.status == IssueStatus.SOLVED and lamp.closed_on == dt.date(2022, 12, 5)
    assert Deliberation.objects.count() == 2 and DeliberationIssue.objects.count() == 2


def test_deliberation_rows_in_error_are_named_by_row_and_column_and_nothing_is_written(users, run):  # noqa: F811
    first, _second = _villages()
    other = _elsewhere()
    job = run(
        users["county"],
        "community.deliberations",
        _talks(
            [
                [1, first.name, "2022年3月", "道路", None, None, 20, "坑洼", "已解决", None, None],
                [2, first.name, "2022年3月", "道路", None, None, 30, "积水", None, None, None],
                [3, other.name, "2022年3月", "邻县议题", None, None, 5, None, None, None, None],
                [4, first.name, "2022年3月", "供水", None, None, 5, "停水", "已解决", "修管道", "2022年1月"],
                [5, first.name, "2999年1月1日", "将来", None, None, 5, None, None, None, None],
            ]
        ),
        commit=True,
    )  # fmt: skip
    assert job.result["ok"] is False
    rows = errors_by_row(job, "text")
    assert sorted(rows) == [3, 4, 5, 6, 7], rows
    assert any("办理结果" in t for t in rows[3]) and any("办结时间" in t for t in rows[3])
    assert "参会人数" in rows[4][0] and "第3行" in rows[4][0]
    assert other.name in rows[5][0]
    assert "办结时间" in rows[6][0] and "会议" in rows[6][0]
    assert "第7行" in rows[7][0] and "议事时间" in rows[7][0]
    assert not Deliberation.objects.exists() and not DeliberationIssue.objects.exists()


def test_the_templates_have_dropdowns_and_no_row_to_import(users, client):
    verified_login(client, users["county"])
    assert_blank_template(client, "community.mutual_aid", "村（社区）")  # the status list
    assert_blank_template(client, "community.deliberations", "村（社区）")
