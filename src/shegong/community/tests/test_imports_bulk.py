"""The community ledgers' batch writes (issue 15: every ledger at 1,000 rows/s): hours, activities, donations,
volunteers, mutual-aid projects and deliberations go in through a bulk service of their domain that shares the
one-row service's validation. Each file is imported once row by row (the ledger's write(), as before) and once
in batches (write_many), from the same database: the records and what the one-row write keeps up to date
(points balances and ledger lines, money paid, problems closed) are the same. One bad row in a batch is still
named by its row, and an all-or-nothing import writes nothing of the others."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from shegong.community import points
from shegong.community.ledgers import ActivityLedger, DonationLedger, HoursLedger, VolunteerLedger
from shegong.community.ledgers_charity import MutualAidLedger
from shegong.community.ledgers_deliberation import DeliberationLedger
from shegong.community.models import (
    Activity,
    Deliberation,
    DeliberationIssue,
    Donation,
    MatchingPayment,
    MutualAidProject,
    PointEntry,
    SignUp,
    Volunteer,
)
from shegong.community.tests.factories import (
    confirmed_signup,
    give_points,
    id_number,
    make_activity,
    make_volunteer,
    station,
)
from shegong.lib.importer import Ledger
from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the fixture)
from shegong.lib.importer.tests.corpus import errors_by_row, today_minus, xlsx
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


def _one_by_one(monkeypatch, ledger):
    """The ledger as before its batch write: every row through write()."""
    monkeypatch.setattr(ledger, "write_many", Ledger.write_many)


def _in_batches(monkeypatch, ledger):
    """Every row through write_many (a row left to write() fails the test)."""

    def refuse(self, row, ctx):
        raise AssertionError(f"row {row.number} went through write(), not the batch")

    monkeypatch.setattr(ledger, "write", refuse)


def _both_ways(monkeypatch, run, user, key, data, ledger, snapshot):  # noqa: F811
    """Import ``data`` row by row (then roll it back) and in batches; returns the two snapshots."""
    with monkeypatch.context() as patch:
        _one_by_one(patch, ledger)
        with transaction.atomic():
            job = run(user, key, data, commit=True)
            assert job.result["ok"], job.result
            one = snapshot()
            transaction.set_rollback(True)
    with monkeypatch.context() as patch:
        _in_batches(patch, ledger)
        job = run(user, key, data, commit=True)
        assert job.result["ok"], job.result
        assert job.result["written"] == one["rows"]
    return one, snapshot()


# --- Hours ----------------------------------------------------------------------------------------------------


def _hours_world(users):
    county = users["county"]
    points.point_rule_set(
        actor=county,
        region=Region.objects.get(code="522301"),
        points_per_hour=10,
        bonus_kind="volunteering",
        bonus_points=5,
        long_hours=Decimal("3"),
        long_bonus_points=20,
    )
    feast = make_activity(title="重阳敬老", kind="volunteering", held_on=today_minus(5))
    clean = make_activity(title="环境整治", kind="care_visit", held_on=today_minus(4))
    li, wang = make_volunteer(name="李志愿"), make_volunteer(name="王热心")
    give_points(wang, 7)  # a balance before the import: the awards add to it
    earlier = make_activity(title="早先活动", held_on=today_minus(20))
    confirmed_signup(li, earlier, hours="2")
    return feast, clean, li, wang


def _hours_file(li, wang):
    return xlsx(
        [
            ["活动名称", "姓名", "身份证号码", "服务时长", "备注"],
            ["重阳敬老", "李志愿", None, "1.5小时", "帮厨"],
            ["重阳敬老", "王热心", wang.id_number, "90分钟", ""],
            ["环境整治", None, li.id_number, "4", "清扫"],
            ["环境整治", "王热心", None, "0.5", ""],
        ]
    )


def _hours_snapshot():
    signups = {
        (s.activity.title, s.volunteer.name): (
            s.status,
            s.confirmed_hours,
            s.points,
            s.note,
            s.confirmed_by_id,
        )
        for s in SignUp.objects.select_related("activity", "volunteer")
    }
    ledger = sorted(
        (e.volunteer.name, e.kind, e.points, e.balance_after, e.reason, e.signup_id is not None)
        for e in PointEntry.objects.select_related("volunteer")
    )
    balances = dict(Volunteer.objects.values_list("name", "points_balance"))
    for name, balance in balances.items():  # the balance is the ledger's sum
        assert balance == sum(p for n, _k, p, *_rest in ledger if n == name)
    hours = {
        name: sum(
            (h for (_t, n), (st, h, *_r) in signups.items() if n == name and st == "confirmed"), Decimal(0)
        )
        for name in balances
    }
    return {"rows": 4, "signups": signups, "ledger": ledger, "balances": balances, "hours": hours}


def test_hours_in_batches_give_the_sign_ups_points_and_balances_of_the_one_row_write(
    users,
    run,  # noqa: F811
    monkeypatch,
):
    _feast, _clean, li, wang = _hours_world(users)
    one, batch = _both_ways(
        monkeypatch,
        run,
        users["county"],
        "community.hours",
        _hours_file(li, wang),
        HoursLedger,
        _hours_snapshot,
    )
    assert batch == one
    # 李: 20 before; 1.5h × 10 + 5 (volunteering), 15 + 5 for 王; 4h × 10 + 20 (3 hours or more) for 李; 5 for 王.
    assert batch["balances"] == {"李志愿": 20 + 20 + 60, "王热心": 7 + 20 + 5}
    assert batch["hours"]["李志愿"] == Decimal("7.50") and batch["hours"]["王热心"] == Decimal("2.00")


def test_hours_already_confirmed_are_named_by_row_and_nothing_of_the_batch_is_written(users, run):  # noqa: F811
    feast, _clean, li, wang = _hours_world(users)
    confirmed_signup(wang, feast, hours="1")
    before = (SignUp.objects.count(), PointEntry.objects.count(), _hours_snapshot()["balances"])
    job = run(users["county"], "community.hours", _hours_file(li, wang), commit=True)
    assert job.result["ok"] is False
    rows = errors_by_row(job)
    assert list(rows) == [3] and "已确认" in rows[3][0], rows
    assert (SignUp.objects.count(), PointEntry.objects.count(), _hours_snapshot()["balances"]) == before


def test_the_bulk_hours_service_refuses_a_pair_twice_or_on_file_and_writes_nothing(users):
    from django.core.exceptions import ValidationError

    from shegong.community import volunteers

    feast, clean, li, wang = _hours_world(users)
    county = users["county"]
    confirmed_signup(wang, clean, hours="1")
    before = (SignUp.objects.count(), PointEntry.objects.count())
    for entries in (
        [{"activity": feast, "volunteer": li, "hours": 1}, {"activity": feast, "volunteer": li, "hours": 2}],
        [
            {"activity": feast, "volunteer": li, "hours": 1},
            {"activity": clean, "volunteer": wang, "hours": 2},
        ],
        [{"activity": feast, "volunteer": li, "hours": 1}, {"activity": clean, "volunteer": li, "hours": 30}],
    ):
        with pytest.raises(ValidationError):
            volunteers.hours_record_many(actor=county, entries=entries)
        assert (SignUp.objects.count(), PointEntry.objects.count()) == before


# --- Activities -----------------------------------------------------------------------------------------------


def _activities(rows):
    return xlsx([["活动名称", "举办站点", "活动类型", "活动日期", "参与人次", "惠及人数", "活动内容"], *rows])


def _activity_snapshot():
    return {
        "rows": Activity.objects.count(),
        "activities": sorted(
            (a.title, a.station_id, a.kind, a.held_on, a.place, a.participants, a.beneficiaries, a.summary)
            + (a.created_by_id,)
            for a in Activity.objects.all()
        ),
    }


def test_activities_in_batches_are_those_of_the_one_row_write(users, run, monkeypatch):  # noqa: F811
    facility = station()
    data = _activities(
        [
            ["重阳敬老", facility.name, "节日活动", today_minus(3), 40, 60, "包饺子"],
            ["政策宣讲", facility.name, "宣传", today_minus(2), 20, 30, ""],
            ["文艺汇演", facility.name, "文体", today_minus(1), None, None, None],
        ]
    )
    one, batch = _both_ways(
        monkeypatch, run, users["county"], "community.activities", data, ActivityLedger, _activity_snapshot
    )
    assert batch == one and batch["rows"] == 3


def test_an_activity_the_service_refuses_is_named_by_row_and_nothing_is_written(users, run):  # noqa: F811
    facility = station()
    data = _activities(
        [
            ["重阳敬老", facility.name, "节日活动", today_minus(3), 40, 60, ""],
            ["政策宣讲", facility.name, "宣传", today_minus(2), 2, 3000, ""],  # 1,500 reached a head: a typo
            ["文艺汇演", facility.name, "文体", today_minus(1), 10, 10, ""],
        ]
    )
    job = run(users["county"], "community.activities", data, commit=True)
    assert job.result["ok"] is False
    assert list(errors_by_row(job)) == [3], job.result["errors"]
    assert not Activity.objects.exists()


# --- Donations ------------------------------------------------------------------------------------------------


def _donations(rows):
    return xlsx(
        [["接收站点", "捐赠方", "来源", "形式", "金额（元）", "物资明细", "接收日期", "受益人数"], *rows]
    )


def _donation_snapshot():
    keys = ("station_id", "donor", "donor_kind", "form", "value", "items", "received_on", "beneficiary_count")
    return {
        "rows": Donation.objects.count(),
        "donations": sorted(
            tuple(getattr(d, k) for k in (*keys, "created_by_id")) for d in Donation.objects.all()
        ),
        "total": sum(Donation.objects.values_list("value", flat=True), Decimal(0)),
    }


def test_donations_in_batches_are_those_of_the_one_row_write(users, run, monkeypatch):  # noqa: F811
    facility = station()
    data = _donations(
        [
            [facility.name, "爱心企业", "企业", "资金", "0.5万元", "", today_minus(2), 10],
            [facility.name, "张先生", "个人", "物资", "300元", "大米十袋", today_minus(3), None],
            [facility.name, "慈善会", "社会组织", "资金", "1,200", "", today_minus(4), 3],
        ]
    )
    one, batch = _both_ways(
        monkeypatch, run, users["county"], "community.donations", data, DonationLedger, _donation_snapshot
    )
    assert batch == one and batch["total"] == Decimal("6500.00")


def test_a_donation_the_service_refuses_is_named_by_row_and_nothing_is_written(users, run):  # noqa: F811
    facility = station()
    data = _donations(
        [
            [facility.name, "爱心企业", "企业", "资金", "500元", "", today_minus(2), None],
            [facility.name, "张先生", "个人", "物资", "300元", "", today_minus(3), None],  # goods: say which
            [facility.name, "慈善会", "社会组织", "资金", "1200", "", today_minus(4), None],
        ]
    )
    job = run(users["county"], "community.donations", data, commit=True)
    assert job.result["ok"] is False
    assert list(errors_by_row(job)) == [3], job.result["errors"]
    assert not Donation.objects.exists()


# --- Volunteers -----------------------------------------------------------------------------------------------


def _roster(rows):
    return xlsx([["姓名", "身份证号码", "手机号", "所在村（社区）", "注册时间", "服务特长"], *rows])


def _volunteer_snapshot():
    return {
        "rows": Volunteer.objects.count(),
        "volunteers": sorted(
            (v.name, v.id_number, v.phone, v.region_id, v.registered_on, v.sex, v.birth_date, v.skills)
            + (v.id_number_hash, v.phone_hash, v.points_balance, v.created_by_id)
            for v in Volunteer.objects.all()
        ),
    }


def test_volunteers_in_batches_are_those_of_the_one_row_write(users, run, monkeypatch):  # noqa: F811
    village = Region.objects.get(code="522301001001")
    data = _roster(
        [
            ["李志愿", id_number(), "138 0000 1234", village.name, "2021年3月5日", "理发"],
            ["王热心", id_number("19850505"), None, village.code, None, ""],
            ["赵新", id_number("19700707"), "13900001111", village.name, "2019.06", None],
        ]
    )
    one, batch = _both_ways(
        monkeypatch, run, users["county"], "community.volunteers", data, VolunteerLedger, _volunteer_snapshot
    )
    assert batch == one and batch["rows"] == 3


# --- Mutual-aid projects ----------------------------------------------------------------------------------------

AID_HEADER = [
    "村（社区）",
    "项目名称",
    "筹款目标（元）",
    "筹集资金（元）",
    "启动时间",
    "项目状态",
    "配套单位",
]
AID_HEADER += ["配套金额（元）", "拨付日期", "凭证号"]


def _villages():
    return list(Region.objects.filter(parent_id="522301001").order_by("code")[:2])


def _aid_snapshot():
    return {
        "rows": 4,
        "projects": sorted(
            (p.region_id, p.name, p.target, p.raised, p.started_on, p.status, p.programme)
            for p in MutualAidProject.objects.all()
        ),
        "payments": sorted(
            (p.project.name, p.funder, p.amount, p.paid_on, p.reference, p.created_by_id)
            for p in MatchingPayment.objects.select_related("project")
        ),
        "paid": {
            p.name: sum(p.payments.values_list("amount", flat=True), Decimal(0))
            for p in MutualAidProject.objects.all()
        },
    }


def test_mutual_aid_in_batches_gives_the_projects_and_payments_of_the_one_row_write(users, run, monkeypatch):  # noqa: F811
    first, second = _villages()
    data = xlsx(
        [
            AID_HEADER,
            [first.name, "爱心食堂", "5万元", "32000", "2022年3月", "实施中", "省民政厅", "9590", "2022年6月", None],
            [first.name, "爱心食堂", "5万元", None, "2022年3月", None, "市民政局", "18490元", "2022.09", "12号"],
            [second.code, "助老互助", 20000, 0, "2023-1-15", "筹款中", None, None, None, None],
            [second.code, "助老互助", 20000, 0, "2023-1-15", "筹款中", "市民政局", "500", "2023-2-1", None],
        ]
    )  # fmt: skip
    one, batch = _both_ways(
        monkeypatch, run, users["county"], "community.mutual_aid", data, MutualAidLedger, _aid_snapshot
    )
    assert batch == one
    assert batch["paid"] == {"爱心食堂": Decimal("28080.00"), "助老互助": Decimal("500.00")}


def test_a_bad_mutual_aid_row_is_named_and_nothing_is_written(users, run):  # noqa: F811
    first, second = _villages()
    future = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    data = xlsx(
        [
            AID_HEADER,
            [first.name, "爱心食堂", "5万元", "32000", "2022年3月", "实施中", "省民政厅", "9590", "2022年6月", None],
            [first.name, "爱心食堂", "5万元", None, "2022年3月", None, "市民政局", "18490元", future, None],
            [second.code, "助老互助", 20000, 0, "2023-1-15", "筹款中", None, None, None, None],
        ]
    )  # fmt: skip
    job = run(users["county"], "community.mutual_aid", data, commit=True)
    assert job.result["ok"] is False and list(errors_by_row(job)) == [3], job.result["errors"]
    assert not MutualAidProject.objects.exists() and not MatchingPayment.objects.exists()


# --- Deliberations ----------------------------------------------------------------------------------------------

TALK_HEADER = ["村（社区）", "议事日期", "议题", "议事地点", "参与人数", "提出的问题", "解决情况", "办理结果"]
TALK_HEADER += ["办结日期"]


def _talk_snapshot():
    return {
        "rows": 4,
        "meetings": sorted(
            (m.region_id, m.held_on, m.topic, m.place, m.participants, m.created_by_id)
            for m in Deliberation.objects.all()
        ),
        "issues": sorted(
            (i.meeting.topic, i.description, i.status, i.outcome, i.closed_on)
            for i in DeliberationIssue.objects.select_related("meeting")
        ),
        "solved": DeliberationIssue.objects.filter(status="solved").count(),
    }


def _talks(first, second, closed_on="2023-03-20"):
    return xlsx(
        [
            TALK_HEADER,
            [first.name, "2023-03-15", "路灯维修", "村委会", 15, "路灯不亮", "已办结", "已维修", closed_on],
            [first.name, "2023-03-15", "路灯维修", None, None, "路面坑洼", "跟进中", None, None],
            [second.code, "2023.04.02", "垃圾分类", "活动室", 20, None, None, None, None],
            [second.code, "2023.04.02", "垃圾分类", "活动室", 20, "无法解决的事", "不能解决", "报镇里", "2023-5-1"],
        ]
    )  # fmt: skip


def test_deliberations_in_batches_give_the_meetings_and_problems_of_the_one_row_write(
    users,
    run,  # noqa: F811
    monkeypatch,
):
    first, second = _villages()
    one, batch = _both_ways(
        monkeypatch,
        run,
        users["county"],
        "community.deliberations",
        _talks(first, second),
        DeliberationLedger,
        _talk_snapshot,
    )
    assert batch == one and len(batch["meetings"]) == 2 and batch["solved"] == 1


def test_a_bad_deliberation_row_is_named_and_nothing_is_written(users, run):  # noqa: F811
    first, second = _villages()
    job = run(users["county"], "community.deliberations", _talks(first, second, "2023-03-01"), commit=True)
    assert job.result["ok"] is False and list(errors_by_row(job)) == [2], job.result["errors"]
    assert not Deliberation.objects.exists() and not DeliberationIssue.objects.exists()


def test_an_hours_import_failing_after_an_earlier_batch_went_in_is_taken_back_points_and_all(
    users,
    run,  # noqa: F811
    monkeypatch,
):
    """On SQLite the batches go in by short transactions: the last row (王热心 at 环境整治, confirmed already) fails in
    the second batch, after the first was written. Every sign-up is taken back, and no points line was written
    (the points ledger is append-only: points come once the last batch is in, HoursLedger.finish)."""
    _feast, clean, li, wang = _hours_world(users)
    confirmed_signup(wang, clean, hours="1")
    monkeypatch.setattr(HoursLedger, "batch_size", 2)
    before = (SignUp.objects.count(), PointEntry.objects.count(), _hours_snapshot()["balances"])
    job = run(users["county"], "community.hours", _hours_file(li, wang), commit=True)
    assert job.result["ok"] is False
    assert list(errors_by_row(job)) == [5], job.result["errors"]
    assert (SignUp.objects.count(), PointEntry.objects.count(), _hours_snapshot()["balances"]) == before


def test_the_points_of_an_hours_import_come_once_its_rows_are_all_in(users, run, monkeypatch):  # noqa: F811
    _feast, _clean, li, wang = _hours_world(users)
    monkeypatch.setattr(HoursLedger, "batch_size", 2)
    lines = PointEntry.objects.count()
    job = run(users["county"], "community.hours", _hours_file(li, wang), commit=True)
    assert job.result["ok"], job.result
    assert PointEntry.objects.count() == lines + 4
    balances = _hours_snapshot()["balances"]
    # 李: 20 before; 1.5h × 10 + 5 (volunteering) and 4h × 10 + 20 (3 hours or more); 王: 7 + 15 + 5 and 5.
    assert balances["李志愿"] == 20 + 20 + 60 and balances["王热心"] == 7 + 20 + 5, balances
