"""The county administrator registers a social worker at a station, records a certificate, moves the worker
to another station, and sees both stations' staffing change; the ID number shows masked until asked for."""

import re

from playwright.sync_api import expect
from stdnum.cn import ric

FROM, TO = "黄草街道社会工作服务站", "丰都街道社会工作服务站"


def _id_number() -> str:
    body = "52230119930615246"
    return body + ric.calc_check_digit(body + "0")


def _full_time(page, station_id: str) -> int:
    page.goto(f"/workforce/stations/{station_id}/")
    text = page.get_by_test_id("staffing-summary").inner_text()
    return int(re.search(r"(\d+)", text).group(1))


def test_a_county_registers_certifies_and_moves_a_worker_and_staffing_follows(new_page, login, shot):
    page = new_page()
    login(page, "county")
    number = _id_number()

    page.goto("/workforce/workers/new/")
    station_from = page.locator("#id_facility option", has_text=FROM).get_attribute("value")
    station_to = page.locator("#id_facility option", has_text=TO).get_attribute("value")
    before = _full_time(page, station_from), _full_time(page, station_to)

    page.goto("/workforce/workers/new/")
    page.fill("#id_name", "浏览器测试社工")
    page.fill("#id_id_number", number)
    page.fill("#id_phone", "13900001234")
    page.select_option("#id_employment_type", "resident")
    page.select_option("#id_facility", station_from)
    shot(page, "60-workforce-register")
    page.get_by_test_id("worker-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("worker-name")).to_have_text("浏览器测试社工")
    expect(page.get_by_test_id("pii-id_number")).to_contain_text("522301********" + number[-4:])
    assert number not in page.content()

    page.select_option("#id_level", "2")
    page.fill("#id_year", "2024")
    page.fill("[data-testid=certificate-form] #id_number", "BT2024001")
    page.get_by_test_id("certificate-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("certificates")).to_contain_text("BT2024001")
    expect(page.get_by_test_id("current-level")).to_have_text("社会工作师")

    worker_url = page.url
    assert _full_time(page, station_from) == before[0] + 1
    page.goto(worker_url)
    page.get_by_test_id("reveal-id_number").click()
    expect(page.get_by_test_id("pii-id_number")).to_contain_text(number)

    page.get_by_test_id("move").click()
    page.select_option("#id_facility", station_to)
    page.get_by_test_id("move-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("assignments")).to_contain_text(FROM)
    expect(page.get_by_test_id("assignments")).to_contain_text(TO)
    shot(page, "61-workforce-moved")

    assert _full_time(page, station_from) == before[0]
    assert _full_time(page, station_to) == before[1] + 1
