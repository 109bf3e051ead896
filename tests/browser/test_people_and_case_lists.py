"""The people, case and service-record lists are the one list page (lib/lists.py): the filter bar (查询 / 重置),
a table that becomes cards on a phone, the count, the export; the people list as of a past day."""

import re

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
LISTS = [
    ("/people/", "person-list", "people"),
    ("/cases/", "case-list", "cases"),
    ("/cases/services/", "service-list", "services"),
]


def test_the_three_lists_on_a_desktop_and_a_phone(new_page, login, shot):
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = new_page(viewport=viewport)
        login(page, "county")
        for url, testid, label in LISTS:
            page.goto(url)
            expect(page.get_by_test_id("filter-bar")).to_be_visible()
            expect(page.get_by_test_id(testid)).to_be_visible()
            expect(page.get_by_test_id("export")).to_be_visible()
            assert int(re.sub(r"\D", "", page.get_by_test_id("list-count").inner_text()) or 0) > 0, url
            shot(page, f"80-{name}-{label}-list")


def test_the_people_on_file_as_of_a_day_and_a_risk_level(new_page, login, shot):
    page = new_page(viewport=DESKTOP)
    login(page, "county")
    page.goto("/people/")
    everyone = int(re.sub(r"\D", "", page.get_by_test_id("list-count").inner_text()))
    page.select_option("#id_risk_level", "key")
    page.fill("#id_as_of", "2024-01-01")
    page.get_by_test_id("filter-apply").click()
    expect(page).to_have_url(re.compile(r"as_of=2024-01-01"))
    expect(page.locator("#id_as_of")).to_have_value("2024-01-01")
    narrowed = int(re.sub(r"\D", "", page.get_by_test_id("list-count").inner_text()) or 0)
    assert narrowed < everyone
    shot(page, "81-desktop-people-key-as-of")
    page.get_by_test_id("filter-reset").click()
    expect(page.locator("#id_as_of")).to_have_value("")
