"""The network dashboard as of 2023-12-31 on a desktop and a phone: the demo reads as the bureau reported it in
December 2023 (101 of 140 townships, 72.1%), names the day, and the page does not scroll sideways on a phone."""

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def test_the_dashboard_as_of_december_2023_on_a_desktop_and_a_phone(new_page, login, shot):
    for name, viewport, extra in (
        ("desktop", DESKTOP, {}),
        ("phone", PHONE, {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}),
    ):
        page = new_page(viewport=viewport, **extra)
        login(page, "prefecture")
        page.goto("/network/dashboard/5223/?as_of=2023-12-31&base_year=2022")
        page.wait_for_load_state("load")
        expect(page.get_by_test_id("as-of")).to_contain_text("截至2023年12月31日")
        expect(page.get_by_test_id("township-coverage")).to_contain_text("72.1%")
        expect(page.get_by_test_id("township-coverage")).to_contain_text("101")
        expect(page.get_by_test_id("growth")).to_be_visible()
        expect(page.get_by_test_id("scope")).to_contain_text("140")
        width = page.evaluate("document.documentElement.scrollWidth")
        shot(page, f"60-dashboard-as-of-2023-{name}")
        assert width <= viewport["width"], (
            f"the dashboard is {width} px wide on a {viewport['width']} px screen"
        )


def test_the_visit_ledger_as_of_a_past_day_on_a_desktop_and_a_phone(new_page, login, shot):
    """The prefecture's visit ledger as it stood at the end of 2023: the day is named, the control keeps the
    status filter, and the page does not scroll sideways on a phone."""
    for name, viewport, extra in (
        ("desktop", DESKTOP, {}),
        ("phone", PHONE, {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}),
    ):
        page = new_page(viewport=viewport, **extra)
        login(page, "prefecture")
        page.goto("/people/visits/due/?status=all&as_of=2023-12-31")
        page.wait_for_load_state("load")
        expect(page.get_by_test_id("as-of")).to_contain_text("截至2023年12月31日")
        expect(page.get_by_test_id("ledger-count")).to_be_visible()
        then = int(page.get_by_test_id("ledger-count").get_attribute("data-count"))
        width = page.evaluate("document.documentElement.scrollWidth")
        shot(page, f"61-visit-ledger-as-of-2023-{name}")
        assert width <= viewport["width"], f"the ledger is {width} px wide on a {viewport['width']} px screen"
        page.goto("/people/visits/due/?status=all")
        now = int(page.get_by_test_id("ledger-count").get_attribute("data-count"))
        # The demo's files were opened over the years: no more were on file at the end of 2023 than today.
        assert then <= now, (then, now)
