"""Community ledgers through the one import engine (issue 15.8; issue 13: imports that let odd rows through):
volunteers with their real registration date and a name too long refused, not cut; hours by activity title and
volunteer name; activities by station name; donations repeated in the file or already on record refused by
row; the old upload page leads to the engine's page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shegong.community.models import Activity, Donation, SignUp, SignUpStatus, Volunteer
from shegong.community.tests.factories import id_number, make_activity, make_volunteer, station
from shegong.lib.importer.models import ImportedRow
from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the fixture)
from shegong.lib.importer.tests.corpus import csv_bytes, errors_by_row, titled_ledger, today_minus, xlsx
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _village():
    return Region.objects.get(code="522301001001")


# --- Volunteers ---------------------------------------------------------------------------------------------


def _roster(rows):
    header = ["序号", "姓名", "公民身份号码", "手机号", "所在村（社区）", "注册时间", "服务特长"]
    return titled_ledger(header, rows, "黄草街道志愿者花名册")


def test_volunteers_by_village_name_with_their_real_registration_date_and_full_width_digits(users, run):  # noqa: F811
    village = _village()
    first, second = id_number(), id_number("19850505")
    data = _roster(
        [
            [
                1,
                "李志愿",
                first.translate(FULL),
                "138 0000 1234",
                village.name + "村民委员会",
                "2021年3月5日",
                "理发",
            ],
            [2, "王热心", second, None, village.name, "2019.06", ""],
            ["合计", "2人", None, None, None, None, None],
        ]
    )
    job = run(users["county"], "community.volunteers", data, commit=True)
    assert job.result["ok"], job.result
    li = Volunteer.objects.get(name="李志愿")
    assert li.registered_on == dt.date(2021, 3, 5) and li.region_id == village.code
    assert li.id_number == first and li.phone == "13800001234" and li.skills == "理发"
    assert Volunteer.objects.get(name="王热心").registered_on == dt.date(2019, 6, 1)
    again = run(users["county"], "community.volunteers", data, commit=True)
    assert again.result["ok"] and Volunteer.objects.count() == 2


def test_a_volunteer_name_of_ten_thousand_characters_is_refused_by_row_and_field_not_cut(users, run):  # noqa: F811
    village = _village()
    data = _roster(
        [
            [1, "李志愿", id_number(), None, village.name, None, ""],
            [2, "张" * 10_000, id_number(), None, village.name, None, ""],
        ]
    )
    job = run(users["county"], "community.volunteers", data, commit=True)
    assert job.result["ok"] is False
    rows = errors_by_row(job, "column", "message")
    assert list(rows) == [4]
    assert "10,000" in rows[4][0] and "50" in rows[4][0]
    assert not Volunteer.objects.exists()


def test_a_volunteer_name_of_fifty_characters_is_kept_whole_and_a_known_volunteer_is_updated(users, run):  # noqa: F811
    name = "欧阳" * 25
    known = make_volunteer(name="李志愿")
    village = _village()
    data = _roster(
        [
            [1, name, id_number(), None, village.name, None, ""],
            [2, "李志愿", known.id_number, None, village.name, "2020-01-02", "唱歌"],
        ]
    )
    job = run(users["county"], "community.volunteers", data, commit=True)
    assert job.result["ok"], job.result
    assert Volunteer.objects.get(name=name).registered_on == timezone.localdate()
    known.refresh_from_db()
    assert known.skills == "唱歌" and known.registered_on == dt.date(2020, 1, 2)
    assert Volunteer.objects.count() == 2


def test_volunteer_errors_come_in_one_pass(users, run):  # noqa: F811
    village = _village()
    same = id_number()
    data = _roster(
        [
            [1, "甲", same, None, village.name, None, ""],
            [2, "乙", same, None, village.name, None, ""],  # the same ID number
            [3, "丙", float(id_number()[:17] + "0"), None, village.name, None, ""],  # Excel lost digits
            [4, "丁", id_number(), None, "不存在村", None, ""],  # no such village
            [
                5,
                "戊",
                id_number(),
                None,
                village.name,
                (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
                "",
            ],
        ]
    )
    job = run(users["county"], "community.volunteers", data, commit=True)
    rows = errors_by_row(job, "column", "message")
    assert sorted(rows) == [4, 5, 6, 7]
    assert "第3行" in rows[4][0] and "不存在村" in rows[6][0] and rows[7]
    assert not Volunteer.objects.exists()


# --- Activities and hours -----------------------------------------------------------------------------------


def test_the_bulk_registration_refuses_an_id_number_already_registered_or_twice_and_writes_nothing(users):
    from django.core.exceptions import ValidationError

    from shegong.community import volunteers

    known = make_volunteer(name="王已有")
    fresh = id_number("19920202")
    county, village = users["county"], _village()

    def entry(name, number):
        return {"values": volunteers.volunteer_parse({"name": name, "id_number": number}), "region": village}

    for numbers in ([fresh, known.id_number], [fresh, fresh]):
        with pytest.raises(ValidationError) as refused:
            volunteers.volunteers_create_many(actor=county, entries=[entry("赵新", n) for n in numbers])
        assert "id_number" in refused.value.message_dict
        assert not Volunteer.objects.filter(name="赵新").exists()
    created = volunteers.volunteers_create_many(actor=county, entries=[entry("赵新", fresh)])
    assert [v.name for v in created] == ["赵新"] and Volunteer.objects.get(
        pk=created[0].pk
    ).id_number == fresh


def test_activities_by_station_name_and_type_word(users, run):  # noqa: F811
    facility = station()
    day = today_minus(3)
    data = csv_bytes(
        [
            ["活动名称", "举办站点", "活动类型", "活动日期", "参与人次", "惠及人数"],
            ["重阳敬老", facility.name, "节日活动", day.strftime("%Y/%m/%d"), "４０", 60],
            ["政策宣讲", facility.name, "宣传", day.isoformat(), 20, 30],
        ]
    )
    job = run(users["county"], "community.activities", data, name="活动.csv", commit=True)
    assert job.result["ok"], job.result
    feast = Activity.objects.get(title="重阳敬老")
    assert feast.station == facility and feast.kind == "festival" and feast.participants == 40
    assert Activity.objects.count() == 2


def test_hours_by_activity_title_and_volunteer_name(users, run):  # noqa: F811
    activity = make_activity(title="重阳敬老")
    li, wang = make_volunteer(name="李志愿"), make_volunteer(name="王热心")
    data = xlsx(
        [
            ["活动名称", "姓名", "身份证号码", "服务时长"],
            ["重阳敬老", "李志愿", None, "1.5小时"],
            ["重阳敬老", "王热心", wang.id_number, "90分钟"],
            ["重阳敬老", "无此人", None, "2"],
            ["没有的活动", "李志愿", None, "2"],
            ["重阳敬老", "王热心", wang.id_number, "30"],  # more than 24 hours
            # An activity "number" no id can be: not found, not a failed job (int("²") and 20 digits raised).
            ["²", "李志愿", None, "2"],
            ["99999999999999999999", "李志愿", None, "2"],
        ]
    )
    job = run(users["county"], "community.hours", data, commit=True)
    rows = errors_by_row(job, "column", "message")
    assert sorted(rows) == [4, 5, 6, 7, 8], rows
    assert not SignUp.objects.exists()
    fixed = xlsx(
        [
            ["活动名称", "姓名", "身份证号码", "服务时长"],
            [str(activity.pk), "李志愿", None, "1.5小时"],
            ["重阳敬老", "王热心", wang.id_number, "90分钟"],
        ]
    )
    job = run(users["county"], "community.hours", fixed, commit=True)
    assert job.result["ok"], job.result
    signups = {s.volunteer_id: s for s in SignUp.objects.all()}
    assert signups[li.pk].confirmed_hours == Decimal("1.5") and signups[wang.pk].confirmed_hours == Decimal(
        "1.5"
    )
    assert all(s.status == SignUpStatus.CONFIRMED for s in signups.values())


# --- Donations ----------------------------------------------------------------------------------------------


def _donations(rows):
    return xlsx([["接收站点", "捐赠方", "来源", "形式", "金额（元）", "物资明细", "接收日期"], *rows])


def _gift(facility, donor="爱心企业", value="500元", items=""):
    return [facility.name, donor, "企业", "资金", value, items, today_minus(2)]


def test_three_identical_donation_rows_are_one_donation_and_two_repeats_and_nothing_is_written(users, run):  # noqa: F811
    facility = station()
    row = _gift(facility)
    job = run(
        users["county"],
        "community.donations",
        _donations([row, row, _gift(facility, donor="张先生"), row]),
        commit=True,
    )
    assert job.result["ok"] is False
    rows = errors_by_row(job, "column", "message")
    assert sorted(rows) == [3, 5] and all("第2行" in m for m in rows[3] + rows[5])
    assert not Donation.objects.exists()


def test_three_identical_rows_in_valid_rows_mode_write_one_donation(users, run):  # noqa: F811
    facility = station()
    row = _gift(facility, value="0.5万元")
    job = run(
        users["county"], "community.donations", _donations([row, row, row]), commit=True, mode="valid_rows"
    )
    assert Donation.objects.count() == 1, job.result
    assert Donation.objects.get().value == Decimal("5000.00")


def test_two_gifts_alike_but_for_their_items_are_both_recorded_and_a_second_upload_adds_nothing(users, run):  # noqa: F811
    facility = station()
    data = _donations([_gift(facility, items="大米十袋"), _gift(facility, items="食用油十桶")])
    first = run(users["county"], "community.donations", data, commit=True)
    assert first.result["ok"], first.result
    assert (
        Donation.objects.count() == 2
        and ImportedRow.objects.filter(ledger="community.donations").count() == 2
    )
    again = run(users["county"], "community.donations", data, commit=True)
    assert Donation.objects.count() == 2, again.result


def test_a_donation_already_recorded_in_the_form_is_refused(users, run):  # noqa: F811
    from shegong.community import charity

    facility = station()
    charity.donation_create(
        actor=users["county"],
        station=facility,
        donor="爱心企业",
        donor_kind="enterprise",
        form="cash",
        value=Decimal("500"),
        received_on=today_minus(2),
    )
    job = run(users["county"], "community.donations", _donations([_gift(facility)]), commit=True)
    assert job.result["ok"] is False and list(errors_by_row(job, "column", "message")) == [2]
    assert "已经登记" in errors_by_row(job, "column", "message")[2][0]
    assert Donation.objects.count() == 1


def test_a_station_of_another_county_is_not_found(users, run):  # noqa: F811
    other = station("522302001")
    job = run(users["county"], "community.donations", _donations([_gift(other)]), commit=True)
    assert job.result["ok"] is False and list(errors_by_row(job, "column", "message")) == [2]
    assert not Donation.objects.exists()


# --- The old page ---------------------------------------------------------------------------------------------


def test_the_old_upload_page_leads_to_the_engine_page_for_the_ledger(users, login):
    client = login(users["worker"])
    response = client.get(reverse("community:import") + "?kind=donations")
    assert response.status_code == 302
    assert response["Location"] == reverse("importer:index") + "?ledger=community.donations"
    template = client.get(reverse("community:template", args=["volunteers"]))
    assert template.status_code == 302
    assert template["Location"] == reverse("importer:template", args=["community.volunteers"])


def test_a_registration_date_in_the_future_is_refused_by_row_and_nothing_is_written(users, run):  # noqa: F811
    village = _village()
    data = _roster([[1, "王将来", id_number(), None, village.name, "2999年1月1日", ""]])
    job = run(users["county"], "community.volunteers", data, commit=True)
    assert job.result["ok"] is False
    assert any(e.startswith("注册时间:") for e in errors_by_row(job, "column", "message")[3]), job.result[
        "errors"
    ]
    assert not Volunteer.objects.exists()
