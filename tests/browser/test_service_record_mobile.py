"""A social worker on a phone (390×844) records an individual service from a person's file (issue 16's first
finding: the form had no field for the person served and failed with no message)."""

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_a_worker_records_a_service_from_a_persons_file(new_page, login, shot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "worker")

    page.goto("/people/")
    page.locator("table a[href^='/people/']").first.click()
    name = page.get_by_test_id("person-name").inner_text().split()[0]
    page.get_by_test_id("record-service").click()
    expect(page.locator("body")).to_contain_text(name)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "45-phone-service-form")

    # Only the service item needs choosing: station, date, duration and mode come filled in.
    page.select_option("#id_item", index=1)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    shot(page, "46-phone-service-recorded")

    # Without a person or a group the form says so at the top and writes nothing.
    page.goto("/cases/services/new/")
    page.select_option("#id_item", index=1)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".alert-danger").first).to_contain_text("请填写服务对象")
    shot(page, "47-phone-service-without-person")
