"""The social worker's phone: a 390×844 viewport (iPhone 12–15 size)."""

import re

from playwright.sync_api import expect

CJK = re.compile(r"[\u4e00-\u9fff]")

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_worker_logs_in_and_the_menu_collapses_into_a_button_that_opens(new_page, login, shot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto("/accounts/login/")
    shot(page, "10-phone-login")
    login(page, "worker")
    assert page.url.endswith("/")
    expect(page.locator("h1")).to_contain_text("工作台")

    # The phone's bottom bar carries the worker's five places; the full menu slides in from the left.
    bar = page.get_by_test_id("bottom-bar")
    expect(bar).to_be_visible()
    assert [t.strip() for t in bar.locator("a").all_inner_texts()] == [
        "工作台",
        "服务对象",
        "走访",
        "服务",
        "我的",
    ]
    toggler = page.get_by_test_id("menu-toggle")
    menu = page.locator("#mainnav")
    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()
    expect(page.locator("#mainnav a.nav-link").first).to_be_hidden()
    # Nothing sticks out sideways: the page fits the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "11-phone-home-menu-closed")

    toggler.tap()
    expect(menu).to_be_visible()
    links = page.locator("#mainnav a.nav-link")
    expect(links.first).to_be_visible()
    labels = [label.strip() for label in links.all_inner_texts()]
    assert all(CJK.search(label) for label in labels if label), f"menu not in Chinese: {labels}"
    hrefs = [link.get_attribute("href") for link in links.all()]
    assert "/" in hrefs and "/regions/" in hrefs, hrefs
    assert "/accounts/" not in hrefs and "/audit/" not in hrefs, f"a worker sees admin entries: {hrefs}"
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    page.wait_for_timeout(400)  # let the slide-in finish before the screenshot
    shot(page, "12-phone-home-menu-open")

    page.locator("#mainnav a.nav-link[href='/regions/']").click()
    expect(page.get_by_test_id("region-name")).to_have_text("黄草街道")
    page.wait_for_load_state("load")  # measure with the stylesheets applied
    # The wide table scrolls inside its own box (.table-responsive); the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "13-phone-region")


def test_the_login_page_fits_a_phone_without_sideways_scrolling(new_page, shot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto("/accounts/login/")
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, "10b-phone-login-width")
    assert width <= PHONE["width"], (
        f"APP BUG: the login page is {width} px wide on a {PHONE['width']} px phone, so it scrolls sideways. "
        "app.css narrows main's padding to .5rem below 576 px, but the login form's .row keeps Bootstrap's "
        "default gutter (margins of -.75rem), so the row sticks out by .25rem on each side."
    )
