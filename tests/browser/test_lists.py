"""Lists from one definition (lib/lists.py) in the browser: the filter bar looks and works the same on every
list (查询 / 重置), and on a 390×844 phone the filters fold behind 筛选 and the table's rows become cards, so
no list scrolls sideways."""

import re

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
LISTS = [
    ("/community/volunteers/", "volunteers"),
    ("/community/activities/", "activities"),
    ("/community/donations/", "donations"),
    ("/workforce/", "workers"),
    ("/network/stations/", "facilities"),
    ("/hotline/", "ticket-list"),
    ("/projects/", "project-list"),
    ("/evaluations/", "evaluation-list"),
]


def test_the_filter_bar_filters_sorts_and_resets_on_a_desktop(new_page, login, shot):
    page = new_page(viewport={"width": 1440, "height": 900})
    login(page, "county")
    page.goto("/network/stations/")
    rows = page.locator("[data-testid=facilities] tbody tr")
    expect(rows.first).to_be_visible()
    bar = page.get_by_test_id("filter-bar")
    expect(bar.get_by_test_id("filter-apply")).to_have_text("查询")
    expect(bar.get_by_test_id("filter-reset")).to_have_text("重置")
    shot(page, "lists-01-facilities-desktop")
    status = bar.locator("select[name=status]")
    status.select_option("operating")
    label = status.locator("option[value=operating]").inner_text().strip()
    bar.get_by_test_id("filter-apply").click()
    expect(page).to_have_url(re.compile(r"status=operating"))
    cells = page.locator("[data-testid=facilities] tbody tr td:nth-child(4)").all_inner_texts()
    assert cells and all(cell.strip() == label for cell in cells), cells
    # Sorting by a header keeps the filter; the page size keeps both.
    page.locator("[data-testid=facilities] thead a", has_text="名称").click()
    expect(page).to_have_url(re.compile(r"sort=-?name"))
    expect(page).to_have_url(re.compile(r"status=operating"))
    page.get_by_test_id("page-size").get_by_role("link", name="20").click()
    expect(page).to_have_url(re.compile(r"per_page=20"))
    expect(page).to_have_url(re.compile(r"status=operating"))
    shot(page, "lists-02-facilities-filtered-sorted")
    bar.get_by_test_id("filter-reset").click()
    expect(page).to_have_url(re.compile(r"/network/stations/$"))


def test_every_converted_list_fits_a_phone(new_page, login, shot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "county")
    for path, testid in LISTS:
        page.goto(path)
        page.wait_for_load_state("load")
        expect(page.get_by_test_id(testid)).to_be_visible()
        expect(page.locator("#filter-fields")).to_be_hidden()  # folded behind 筛选
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"{path} is {width} px wide on a {PHONE['width']} px phone"
        shot(page, f"lists-phone-{testid}")
    page.goto("/community/volunteers/")
    page.get_by_test_id("filter-toggle").tap()
    expect(page.locator("#filter-fields")).to_be_visible()
    page.wait_for_timeout(400)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "lists-phone-filters-open")
