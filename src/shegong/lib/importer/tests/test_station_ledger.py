"""The station ledger through the engine: a county's own workbook with a title row, two-row merged headers,
names of townships instead of codes, 是/否 for the premises and dates built and opened as ledgers write them."""

import datetime as dt

from shegong.lib.importer.tests.corpus import xlsx
from shegong.network.models import Facility, FacilityStatus, Kind, Premises
from shegong.regions.models import Region

LEDGER = "network.stations"


def _ledger():
    townships = list(Region.objects.filter(parent_id="522301", level=4).order_by("code")[1:4])
    rows = [
        ["序号", "基本情况", None, "建设情况", None, None, "运营情况", None],
        [None, "乡镇（街道）", "站点名称", "建成时间", "是否独立场地", "面积（㎡）", "开业时间", "联系电话"],
        [
            1,
            townships[0].name,
            f"{townships[0].name}社工站",
            "2022年3月",
            "是",
            "１２０",
            "2022.04",
            "0859-322 1234",
        ],
        [2, townships[1].name + "办事处", f"{townships[1].name}社工站", "2022/3/15", "否", 80, None, None],
        [3, townships[2].code, f"{townships[2].name}社工站", None, "是", None, None, None],
        ["合计", None, None, None, None, 200, None, None],
    ]
    return townships, xlsx(
        rows,
        title_rows=[["兴义市乡镇（街道）社工站建设台账"]],
        merged=["A1:H1", "B2:C2", "D2:F2", "G2:H2", "A2:A3"],
    )


def test_a_county_station_ledger_goes_in_as_it_is(users, run):
    townships, data = _ledger()
    job = run(users["county"], LEDGER, data, commit=True)
    assert job.result.get("written") == 3, (
        job.result["errors"],
        job.result["message"],
        job.result["columns"],
    )
    first = Facility.objects.get(region=townships[0])
    assert first.kind == Kind.TOWNSHIP_STATION and first.status == FacilityStatus.OPERATING
    assert first.premises == Premises.INDEPENDENT and first.floor_area == 120
    assert first.opened_on == dt.date(2022, 4, 1) and first.built_on == dt.date(2022, 3, 1)
    assert first.contact_phone == "08593221234"
    second = Facility.objects.get(region=townships[1])
    assert second.status == FacilityStatus.BUILT and second.premises == Premises.SHARED
    assert Facility.objects.get(region=townships[2]).status == FacilityStatus.PLANNED
    # The same file again: nothing twice.
    again = run(users["county"], LEDGER, data, commit=True)
    assert again.result.get("already") == 3 and Facility.objects.count() == 3


def test_another_countys_township_is_not_found(users, run):
    other = Region.objects.filter(parent_id="522302", level=4).first()
    data = xlsx([["乡镇（街道）", "站点名称"], [other.code, "外县社工站"]])
    job = run(users["county"], LEDGER, data, commit=True)
    assert job.result["ok"] is False and "辖区" in job.result["errors"][0]["message"]
    assert not Facility.objects.exists()
