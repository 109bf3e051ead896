"""The county administrator of 兴义市 (522301) replaces a township's station and watches the coverage figures.

The demo network (conftest runs demo_network) already covers every township of 兴义市, and a township may have
only one open station (一乡镇一站点). So the administrator first sees a second registration refused, closes the
township's built station (coverage drops by one township), registers the new station, takes it through
规划中 → 建设中 → 已建成 → 运营中 on dated moves, has three bad moves refused, assesses it against the 六有
starting checklist, and sees the coverage, the operating rate, the township's row and the prefecture's row
for 兴义市 come back up by exactly one station. Every figure is read from the pages, none is assumed.
"""

import datetime as dt
import re

from conftest import server_today
from playwright.sync_api import Page, expect

XINGYI = "522301"
PREFECTURE = "5223"
TODAY = server_today()

# The statuses as the pages name them, and the moves the status form offers from each (models.TRANSITIONS).
PLANNED, BUILDING, BUILT, OPERATING, SUSPENDED, CLOSED = (
    "规划中",
    "建设中",
    "已建成",
    "运营中",
    "暂停运营",
    "已关闭",
)
OFFERED = {
    PLANNED: [BUILDING, CLOSED],
    BUILDING: [BUILT, CLOSED],
    BUILT: [OPERATING, CLOSED],
    OPERATING: [SUSPENDED, CLOSED],
}
STATION = "乡镇（街道）社工站"
COUNTY_ADMIN = "兴义市民政局管理员"  # the county account's full name (demo_setup)


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def _number(pattern: str, text: str) -> tuple[int, ...]:
    match = re.search(pattern, text.replace(",", ""))
    assert match, f"{pattern!r} not in {text!r}"
    return tuple(int(group) for group in match.groups())


def _rate(part: int, whole: int) -> str:
    """A rate as the dashboard prints it (coverage.py: one decimal, — when there is nothing to divide by)."""
    return f"{round(part * 100 / whole, 1)}%" if whole else "—"


def _dashboard(page: Page, code: str, name: str) -> dict:
    """The dashboard's figures: its cards, its counts table and its table of child regions, by code."""
    page.goto(f"/network/dashboard/{code}/")
    expect(page.get_by_test_id("region-name")).to_contain_text(name)
    coverage = page.get_by_test_id("township-coverage").inner_text()
    townships, covered = _number(r"纳入覆盖范围的(\d+)个乡镇（街道）中已覆盖(\d+)个", coverage)
    operating_card = page.get_by_test_id("operating-rate").inner_text()
    built, operating = _number(r"已建成(\d+)个社工站，其中(\d+)个运营中", operating_card)
    assessed, compliant = _number(
        r"已评估(\d+)个，全部达标(\d+)个", page.get_by_test_id("compliance").inner_text()
    )
    # The big figure of each card must agree with the counts under it.
    expect(page.get_by_test_id("township-coverage").locator(".fs-3")).to_have_text(_rate(covered, townships))
    expect(page.get_by_test_id("operating-rate").locator(".fs-3")).to_have_text(_rate(operating, built))

    statuses = [text.strip() for text in page.locator("[data-testid=counts] thead th").all_inner_texts()][1:]
    counts = {}
    for row in page.locator("[data-testid=counts] tbody tr").all():
        numbers = [int(text.replace(",", "")) for text in row.locator("td").all_inner_texts()]
        counts[row.locator("th").inner_text().strip()] = dict(zip(statuses, numbers, strict=True))

    children = {}
    for row in page.locator("[data-testid=children] tbody tr").all():
        cells = [text.strip() for text in row.locator("td").all_inner_texts()]
        children[row.get_attribute("data-code")] = {
            "name": cells[1],
            "townships": int(cells[2].replace(",", "")),
            "covered": int(cells[3].replace(",", "")),
            "coverage": cells[4],
            "built": int(cells[5].replace(",", "")),
            "operating": int(cells[6].replace(",", "")),
            "operating_rate": cells[7],
        }
    return {
        "townships": townships,
        "covered": covered,
        "built": built,
        "operating": operating,
        "assessed": assessed,
        "compliant": compliant,
        "counts": counts,
        "children": children,
    }


def _history(page: Page) -> list[list[str]]:
    """The status history, newest first: [date, from, to, note, by]."""
    return [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in page.locator("[data-testid=history] tbody tr").all()
    ]


def _status_options(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("#id_to_status option").all_inner_texts()]


def _move(page: Page, to: str, on: str, note: str = "") -> None:
    """Submit the status form of a facility's page (it redirects back to the page)."""
    form = page.get_by_test_id("status-form")
    form.locator("#id_to_status").select_option(label=to)
    form.locator("#id_on").fill(on)
    form.locator("#id_note").fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_an_administrator_registers_a_station_moves_it_to_operating_assesses_it_and_sees_coverage_change(
    new_page, login, shot, chinese, menu
):
    page = new_page()
    login(page, "county")
    prefecture_page = new_page()
    login(prefecture_page, "prefecture")

    # 1. The county's dashboard, from the menu.
    menu(page, "/network/")
    expect(page).to_have_url(re.compile(rf"/network/dashboard/{XINGYI}/$"))
    before = _dashboard(page, XINGYI, "兴义市")
    assert before["townships"] > 0
    assert len(before["children"]) == before["townships"], "one row per township (all are in scope)"
    assert sum(row["covered"] for row in before["children"].values()) == before["covered"]
    chinese(page.locator("h1"))
    shot(page, "network-01-county-dashboard")

    # 2. A township whose station is built but not yet operating: its station is the one to be replaced.
    page.goto(f"/network/stations/?region={XINGYI}&kind=township_station&status=built")
    rows = page.locator("[data-testid=facilities] tbody tr")
    expect(rows.first).to_be_visible()
    old_row = rows.last
    old_name = old_row.locator("td").first.inner_text().strip()
    expect(old_row).to_contain_text(BUILT)
    township_code = old_row.locator("td").nth(2).locator("span").inner_text().strip()
    township = before["children"][township_code]["name"]
    assert before["children"][township_code]["covered"] == 1
    old_url = old_row.get_by_role("link", name=old_name).get_attribute("href")
    new_name = f"{township}社会工作服务站（浏览器测试新址）"

    # 3. 一乡镇一站点: a second station on the township is refused while the old one is open.
    page.goto(f"/network/stations/?region={township_code}")
    with page.expect_navigation():
        page.get_by_role("link", name="登记站点").click()
    chinese(page.locator("h1"))
    expect(page.locator("#id_region_code")).to_have_value(township_code)
    page.locator("#id_kind").select_option(label=STATION)
    page.fill("#id_name", new_name)
    page.locator("#id_status").select_option(label=PLANNED)
    page.fill("#id_status_date", _day(30))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("该区划已有同类型的在册站点。")
    expect(page.locator("#id_name")).to_have_value(new_name)  # the form keeps what was typed
    shot(page, "network-02-second-station-refused")

    # 4. The old station is closed: the township drops out of the coverage.
    page.goto(old_url)
    expect(page.get_by_test_id("facility-name")).to_have_text(old_name)
    assert _status_options(page) == OFFERED[BUILT]
    _move(page, CLOSED, TODAY.isoformat(), "由新址站点替换（浏览器测试）")
    expect(page.locator(".alert-success")).to_have_text("状态已变更。")
    expect(page.get_by_test_id("status")).to_have_text(CLOSED)
    expect(page.get_by_test_id("status-form")).to_have_count(0)  # a closed station moves no more
    assert _history(page)[0][:3] == [TODAY.isoformat(), BUILT, CLOSED]

    closed = _dashboard(page, XINGYI, "兴义市")
    assert closed["townships"] == before["townships"]
    assert closed["covered"] == before["covered"] - 1
    assert closed["built"] == before["built"] - 1
    assert closed["operating"] == before["operating"]
    row = closed["children"][township_code]
    assert (row["covered"], row["coverage"], row["built"], row["operating"]) == (0, "0.0%", 0, 0)
    assert closed["counts"][STATION][CLOSED] == before["counts"][STATION][CLOSED] + 1
    shot(page, "network-03-county-dashboard-station-closed")

    prefecture_closed = _dashboard(prefecture_page, PREFECTURE, "黔西南布依族苗族自治州")
    county_row = prefecture_closed["children"][XINGYI]
    assert county_row["name"] == "兴义市"
    assert (county_row["townships"], county_row["covered"]) == (closed["townships"], closed["covered"])
    assert county_row["coverage"] == _rate(closed["covered"], closed["townships"])

    # 5. The new station is registered as planned a month ago.
    page.goto(f"/network/stations/new/?region={township_code}")
    page.locator("#id_kind").select_option(label=STATION)
    page.fill("#id_name", new_name)
    page.locator("#id_status").select_option(label=PLANNED)
    page.fill("#id_status_date", _day(30))
    page.fill("#id_address", f"{township}人民路1号（演示）")
    page.locator("#id_premises").select_option(value="independent")
    page.fill("#id_floor_area", "180")
    page.locator("#id_operating_mode").select_option(value="commissioned")
    page.fill("#id_agency_name", "兴义市浏览器测试社会工作服务中心")
    page.fill("#id_contact_name", "测试联系人")
    page.fill("#id_contact_phone", "0859-1234567")
    shot(page, "network-04-register-form")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_have_text("站点已登记。")
    expect(page.get_by_test_id("facility-name")).to_have_text(new_name)
    expect(page.locator("main")).to_contain_text(f"{STATION} · {township} {township_code}")
    expect(page.get_by_test_id("status")).to_have_text(PLANNED)
    assert _history(page) == [[_day(30), "—", PLANNED, "", COUNTY_ADMIN]]
    station_url = page.url

    # 6. 规划中 → 建设中 → 已建成 → 运营中, each on its date, each shown in the history.
    moves = [
        (PLANNED, BUILDING, 20, "开工建设"),
        (BUILDING, BUILT, 10, "竣工验收"),
        (BUILT, OPERATING, 0, "挂牌运营"),
    ]
    for number, (current, target, days_ago, note) in enumerate(moves, start=2):
        assert _status_options(page) == OFFERED[current], current
        _move(page, target, _day(days_ago), note)
        expect(page.locator(".alert-success")).to_have_text("状态已变更。")
        expect(page.get_by_test_id("status")).to_have_text(target)
        history = _history(page)
        assert len(history) == number, history
        assert history[0] == [_day(days_ago), current, target, note, COUNTY_ADMIN], history
        details = page.get_by_test_id("details")
        expect(details.locator("dd").first).to_have_text(_day(days_ago))  # status since
    history = _history(page)
    assert [row[2] for row in reversed(history)] == [PLANNED, BUILDING, BUILT, OPERATING]
    assert [row[0] for row in reversed(history)] == [_day(30), _day(20), _day(10), _day(0)]
    expect(page.get_by_test_id("details").locator("dd").nth(1)).to_have_text(_day(10))  # built on
    shot(page, "network-05-station-operating")

    # 7. Refused moves leave the status as it is, with the reason in Chinese.
    assert _status_options(page) == OFFERED[OPERATING], "an operating station cannot go back to 建设中"
    _move(page, SUSPENDED, (TODAY + dt.timedelta(days=1)).isoformat())
    expect(page.locator(".alert-danger")).to_have_text("日期不能晚于今天。")
    expect(page.get_by_test_id("status")).to_have_text(OPERATING)
    assert len(_history(page)) == 4

    _move(page, SUSPENDED, _day(1))
    expect(page.locator(".alert-danger")).to_have_text(f"日期早于当前状态的起始日期（{TODAY.isoformat()}）。")
    expect(page.get_by_test_id("status")).to_have_text(OPERATING)
    assert len(_history(page)) == 4

    # A forged request for the move back (the form does not offer it) is refused by the server too.
    page.locator("#id_to_status").evaluate(
        "select => select.add(new Option('建设中', 'building', true, true))"
    )
    page.fill("#id_on", TODAY.isoformat())
    with page.expect_navigation():
        page.get_by_test_id("status-form").locator("button[type=submit]").click()
    refusal = page.locator(".alert-danger")
    expect(refusal).to_be_visible()
    chinese(refusal)
    expect(page.get_by_test_id("status")).to_have_text(OPERATING)
    assert len(_history(page)) == 4
    shot(page, "network-06-move-back-refused")

    # 8. The station is assessed against the 六有 starting template, one result per item.
    page.goto(station_url)
    expect(page.get_by_test_id("assessments")).to_have_count(0)
    link = page.get_by_test_id("assess-links").get_by_role("link", name="按“六有”评估", exact=True)
    with page.expect_navigation():
        link.click()
    form = page.get_by_test_id("assessment-form")
    chinese(page.locator("h1"))
    expect(page.locator("h1")).to_contain_text(new_name)
    items = form.locator("tbody tr")
    expect(items.first).to_be_visible()
    texts = [
        re.sub(r"^\d+\.\s*", "", text.strip()) for text in items.locator("td:first-child").all_inner_texts()
    ]
    assert texts[0] == "有场地", texts
    partly = texts.index("有项目")
    for index in range(items.count()):
        row = items.nth(index)
        row.get_by_label("部分达标" if index == partly else "达标", exact=True).check()
    items.nth(partly).locator("input[type=text]").fill("项目尚在申报")
    form.locator("#id_assessed_on").fill(TODAY.isoformat())
    form.locator("#id_note").fill("浏览器测试评估")
    shot(page, "network-07-assessment-form")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_have_text("评估已保存。")
    expect(page.get_by_test_id("met-count")).to_have_text(f"共{len(texts)}项，达标{len(texts) - 1}项")
    results = page.locator("[data-testid=results] tbody tr")
    expect(results).to_have_count(len(texts))
    for index, text in enumerate(texts):
        expect(results.nth(index).locator("td").first).to_have_text(f"{index + 1}. {text}")
        expect(results.nth(index).locator("td").nth(1)).to_have_text(
            "部分达标" if index == partly else "达标"
        )
    expect(results.nth(partly).locator("td").nth(2)).to_have_text("项目尚在申报")
    shot(page, "network-08-assessment")

    page.goto(station_url)
    assessments = page.locator("[data-testid=assessments] tbody tr")
    expect(assessments).to_have_count(1)
    expect(assessments.first).to_contain_text(TODAY.isoformat())
    expect(assessments.first).to_contain_text("六有")

    # 9. The county's figures come back up by exactly one township, one built and one operating station.
    after = _dashboard(page, XINGYI, "兴义市")
    assert after["townships"] == closed["townships"]
    assert after["covered"] == closed["covered"] + 1 == before["covered"]
    assert after["built"] == closed["built"] + 1
    assert after["operating"] == closed["operating"] + 1 == before["operating"] + 1
    assert (after["assessed"], after["compliant"]) == (closed["assessed"] + 1, closed["compliant"])
    row = after["children"][township_code]
    assert (row["townships"], row["covered"], row["coverage"]) == (1, 1, "100.0%")
    assert (row["built"], row["operating"], row["operating_rate"]) == (1, 1, "100.0%")
    assert sum(row["covered"] for row in after["children"].values()) == after["covered"]
    station_counts = after["counts"][STATION]
    assert station_counts[OPERATING] == closed["counts"][STATION][OPERATING] + 1
    assert station_counts[CLOSED] == closed["counts"][STATION][CLOSED]
    shot(page, "network-09-county-dashboard-after")

    # 10. The prefecture sees 兴义市's row follow.
    prefecture_after = _dashboard(prefecture_page, PREFECTURE, "黔西南布依族苗族自治州")
    county_row = prefecture_after["children"][XINGYI]
    assert county_row["covered"] == prefecture_closed["children"][XINGYI]["covered"] + 1 == after["covered"]
    assert county_row["coverage"] == _rate(after["covered"], after["townships"])
    assert (county_row["built"], county_row["operating"]) == (after["built"], after["operating"])
    assert county_row["operating_rate"] == _rate(after["operating"], after["built"])
    assert prefecture_after["covered"] == prefecture_closed["covered"] + 1
    shot(prefecture_page, "network-10-prefecture-dashboard")
