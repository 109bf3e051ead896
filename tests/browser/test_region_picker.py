"""Names, not codes (issue 16.5): a worker on a 390×844 phone chooses a person's village by typing its Chinese
name and by its pinyin initials; a county administrator browses 县 → 乡 → 村 in a list's filter at 1440×900.
The form still posts the 12-digit division code."""

import re

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def _choose(page, field: str, typed: str, name: str) -> None:
    search = page.locator(f"#{field}_picker")
    search.fill("")
    search.type(typed, delay=40)
    choice = page.locator(f"#{field}_choices [data-region-choose]", has_text=name).first
    expect(choice).to_be_visible()
    choice.click()


def test_on_a_phone_a_worker_chooses_a_village_by_name_and_by_pinyin_initials(new_page, login, shot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "worker")
    page.goto("/people/new/")
    search = page.locator("#id_region_picker")
    # A text box, never a number pad: Chinese can be typed.
    assert search.get_attribute("inputmode") != "numeric"
    page.fill("#id_name", "测试区划")

    # By its Chinese name.
    _choose(page, "id_region", "红星", "红星社区居民委员会")
    expect(page.locator("#id_region")).to_have_value("522301001003")
    expect(search).to_have_value("兴义市 黄草街道 红星社区居民委员会")

    # By its pinyin initials, the list open on the phone.
    search.fill("")
    search.type("pjsq", delay=40)
    choice = page.locator("#id_region_choices [data-region-choose]", has_text="盘江社区").first
    expect(choice).to_be_visible()
    expect(page.locator("#id_region_choices [data-region-crumbs]")).to_have_count(0)  # a search, not browsing
    expect(page.locator("#id_region_choices [data-region-choose]:visible")).to_have_count(1)  # its answer
    expect(page.locator("#id_region")).to_have_value("")  # typing clears the earlier choice
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "60-phone-region-picker-initials")
    choice.click()
    expect(page.locator("#id_region")).to_have_value("522301001006")

    # Nothing of the sibling county is offered to a worker of 黄草街道.
    search.fill("")
    search.type("兴仁", delay=40)
    expect(page.locator("#id_region_choices")).to_contain_text("没有")
    search.fill("")
    search.type("pjsq", delay=40)
    page.locator("#id_region_choices [data-region-choose]", has_text="盘江社区").first.click()

    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("body")).to_contain_text("盘江社区居民委员会")
    shot(page, "61-phone-person-saved-with-village")


def test_on_a_desktop_a_county_browses_down_to_a_township_in_the_list_filter(new_page, login, shot):
    page = new_page(viewport=DESKTOP)
    login(page, "county")
    page.goto("/people/")
    search = page.locator("#id_region_picker")
    search.click()
    page.locator("#id_region_choices [data-region-browse='522301']").first.click()
    township = page.locator("#id_region_choices [data-region-choose='522301001']")
    expect(township).to_be_visible()
    shot(page, "62-desktop-region-picker-cascade")
    township.click()
    expect(page.locator("#id_region")).to_have_value("522301001")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"region=522301001"))
    expect(page.locator("#id_region_picker")).to_have_value("兴义市 黄草街道")
    shot(page, "63-desktop-person-list-filtered-by-township")
