"""The county administrator puts an item in the redemption catalogue, registers a volunteer, records an
activity, signs the volunteer up, checks them in and out, confirms the hours, and redeems the points: the
balance follows the ledger, and a redemption beyond it is refused with the reason."""

import re

from playwright.sync_api import expect
from stdnum.cn import ric

STATION = "黄草街道社会工作服务站"


def _id_number() -> str:
    body = "52230119880808123"
    return body + ric.calc_check_digit(body + "0")


def _balance(page) -> int:
    return int(page.get_by_test_id("points-balance").inner_text().strip())


def test_a_volunteer_goes_from_sign_up_to_confirmed_hours_to_a_redemption(new_page, login, shot):
    page = new_page()
    login(page, "county")

    page.goto("/community/points/")
    item_form = page.get_by_test_id("item-form")
    item_form.locator("#id_name").fill("浏览器测试毛巾")
    item_form.locator("#id_points").fill("15")
    item_form.locator("#id_stock").fill("5")
    item_form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("catalogue")).to_contain_text("浏览器测试毛巾")

    number = _id_number()
    page.goto("/community/volunteers/new/")
    page.fill("#id_name", "浏览器志愿者")
    page.fill("#id_id_number", number)
    page.fill("#id_phone", "13700001234")
    # The village is chosen by name with the region picker; the form posts its code.
    page.locator("#id_region_picker").type("街心社区", delay=30)
    page.locator("#id_region_choices [data-region-choose='522301001001']").click()
    page.get_by_test_id("volunteer-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("volunteer-name")).to_have_text("浏览器志愿者")
    expect(page.get_by_test_id("pii-id_number")).to_contain_text("522301********" + number[-4:])
    assert number not in page.content()
    volunteer_url = page.url
    volunteer_id = re.search(r"/volunteers/(\d+)/", volunteer_url).group(1)

    page.goto("/community/activities/new/")
    station = page.locator("#id_station option", has_text=STATION).first.get_attribute("value")
    page.select_option("#id_station", station)
    page.fill("#id_title", "浏览器测试义诊")
    page.select_option("#id_kind", "culture")
    page.fill("#id_participants", "20")
    page.fill("#id_beneficiaries", "35")
    page.get_by_test_id("activity-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("activity-title")).to_have_text("浏览器测试义诊")

    page.select_option("[data-testid=signup-form] select[name=volunteer]", volunteer_id)
    page.get_by_test_id("signup-form").locator("button[type=submit]").click()
    row = page.get_by_test_id(f"signup-{volunteer_id}")
    row.get_by_test_id("check-in").click()
    page.get_by_test_id(f"signup-{volunteer_id}").get_by_test_id("check-out").click()
    confirm = page.get_by_test_id(f"signup-{volunteer_id}").get_by_test_id("confirm-form")
    confirm.locator("input[name=hours]").fill("2")
    shot(page, "70-community-confirm")
    confirm.get_by_test_id("confirm").click()
    expect(page.get_by_test_id(f"signup-{volunteer_id}")).to_contain_text("已确认")

    page.goto(volunteer_url)
    earned = _balance(page)
    assert earned >= 20
    expect(page.get_by_test_id("confirmed-hours")).to_have_text("2")
    page.locator("[data-testid=redeem-form] #id_item").select_option(label="浏览器测试毛巾 (15)")
    page.get_by_test_id("redeem-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("points-balance")).to_have_text(str(earned - 15))
    expect(page.get_by_test_id("ledger")).to_contain_text("兑换")
    shot(page, "71-community-redeemed")

    if earned - 15 < 15:
        page.locator("[data-testid=redeem-form] #id_item").select_option(label="浏览器测试毛巾 (15)")
        page.get_by_test_id("redeem-form").locator("button[type=submit]").click()
        expect(page.locator(".alert-danger")).to_contain_text("积分不足")
        expect(page.get_by_test_id("points-balance")).to_have_text(str(earned - 15))
