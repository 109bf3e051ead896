"""The workbench (工作台) as the home page, at 390×844 and 1440×900: the worker sees their due visits riskiest
and most overdue first and opens the most overdue person; the county sees a station with overdue visits, sends
it a 督办 notice from the ledger, and the township's worker answers it on the phone."""

import re

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
RISK_ORDER = {"key": 0, "watch": 1, "general": 2}


def _phone(new_page):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def _fits(page, width=PHONE["width"]):
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_worker_on_a_phone_sees_the_workbench_and_opens_the_most_overdue_person(new_page, login, shot):
    page = _phone(new_page)
    login(page, "worker")
    expect(page.locator("h1")).to_have_text("工作台")
    due = page.get_by_test_id("due-visits")
    expect(due).to_be_visible()
    rows = page.get_by_test_id("due-person")
    assert rows.count() > 0
    # Riskiest first, then most overdue first within a risk level.
    seen = []
    for row in rows.all():
        risk = row.get_attribute("data-risk")
        badge = row.locator("[data-overdue]")
        days = int(badge.get_attribute("data-overdue")) if badge.count() else 0
        seen.append((RISK_ORDER[risk], -days))
    assert seen == sorted(seen), seen
    # Never "overdue by 665 days": the demo's people are due from registration by their own rule.
    assert max(-d for _r, d in seen) < 400, seen
    expect(page.get_by_test_id("bottom-bar")).to_be_visible()
    _fits(page)
    shot(page, "80-phone-worker-workbench")

    # The count links to the list it counts.
    figure = page.get_by_test_id("figure-1")
    count = int(figure.locator("[data-count]").get_attribute("data-count"))
    figure.click()
    expect(page.get_by_test_id("ledger-count")).to_have_attribute("data-count", str(count))
    expect(page.get_by_test_id("ledger-cards")).to_be_visible()
    _fits(page)
    shot(page, "81-phone-worker-ledger-cards")

    # The most overdue key person, from the ledger sorted by days overdue.
    page.goto("/?")
    first = rows.first
    name = first.locator("a.fw-bold").inner_text()
    first.locator("a.fw-bold").click()
    expect(page.get_by_test_id("person-name")).to_contain_text(name)
    _fits(page)
    shot(page, "82-phone-most-overdue-person")

    page.get_by_test_id("bottom-bar").locator("[data-place=me]").click()
    expect(page.get_by_test_id("me-name")).to_be_visible()
    _fits(page)
    shot(page, "83-phone-me")


def test_county_sends_a_notice_to_an_overdue_station_and_the_station_answers(new_page, login, shot):
    desk = new_page(viewport=DESKTOP)
    login(desk, "county")
    expect(desk.locator("h1")).to_have_text("工作台")
    expect(desk.locator("#mainnav")).to_be_visible()  # the left side menu
    expect(desk.get_by_test_id("footer")).to_contain_text("民政局")
    stations = desk.get_by_test_id("station-row")
    expect(stations.first).to_be_visible()
    # Only the county's own stations: every row is a station of 兴义市 (county2's 兴仁市 is absent).
    assert "兴仁" not in desk.get_by_test_id("overdue-stations").inner_text()
    # An approval waits (the demo leaves one plan of 黄草街道 with its supervisor); the count opens the list.
    approvals = desk.locator("[data-testid^=figure-]").filter(has_text="待审核")
    waiting = int(approvals.locator("[data-count]").get_attribute("data-count"))
    assert waiting >= 1
    shot(desk, "84-desktop-county-workbench")

    # Drill down to the station's ledger: its count equals the figure on the workbench.
    target = stations.first
    overdue = target.locator("[data-count]").get_attribute("data-count")
    station_name = target.locator("a").first.inner_text()
    target.locator("a").first.click()
    expect(desk.get_by_test_id("ledger-count")).to_have_attribute("data-count", overdue)
    expect(desk.get_by_test_id("ledger")).to_be_visible()
    expect(desk.get_by_test_id("shell-breadcrumb")).to_contain_text("走访台账")
    shot(desk, "85-desktop-county-station-ledger")

    desk.get_by_test_id("send-notice").click()
    subject = f"{station_name}走访逾期督办"
    expect(desk.locator("#id_subject")).to_have_value(subject)
    desk.get_by_test_id("notice-submit").click()
    expect(desk.get_by_test_id("notice-status")).to_have_text("待社工站答复")
    shot(desk, "86-desktop-notice-sent")

    # The station's worker, on a phone, finds it on the workbench and answers.
    phone = _phone(new_page)
    login(phone, "worker")
    notices = phone.get_by_test_id("notices")
    expect(notices).to_contain_text(subject)
    notices.get_by_text(subject).first.click()
    phone.fill("#id_answer", "已于本周完成逾期对象走访，并安排专人跟进。")
    _fits(phone)
    shot(phone, "87-phone-notice-answer")
    phone.get_by_test_id("answer-submit").click()
    expect(phone.get_by_test_id("notice-status")).to_have_text("已答复")
    expect(phone.get_by_test_id("notice-answer")).to_contain_text("已于本周完成")
    _fits(phone)
    shot(phone, "88-phone-notice-answered")

    # Back on the county's workbench: the answer is kept and shown.
    desk.goto("/")
    expect(desk.get_by_test_id("notices")).to_contain_text("已答复")

    # The county on a phone: the workbench and the ledger with its station summary fit the screen.
    county_phone = _phone(new_page)
    login(county_phone, "county")
    _fits(county_phone)
    shot(county_phone, "89-phone-county-workbench")
    county_phone.goto("/people/visits/due/")
    expect(county_phone.get_by_test_id("summary-9")).to_be_visible()
    _fits(county_phone)
    shot(county_phone, "90-phone-county-ledger")
    desk.goto("/people/visits/due/")
    expect(desk.get_by_test_id("summary-9")).to_be_visible()
    assert re.search(r"\d", desk.get_by_test_id("summary-9").inner_text())
    shot(desk, "91-desktop-county-ledger")
