"""The station chooser over a long list (network/picker.py): the prefecture administrator, whose jurisdiction
has well over 60 stations, records a service on a 390×844 phone by typing a township's name or its pinyin
initials instead of scrolling a select of every station; at 1440×900 they browse county → township. A county
administrator, with fewer stations, keeps the select. The form posts the station's id as before."""

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
STATION = "顶效街道社会工作服务站"


def _pick(page, field: str, term: str, shot, name: str) -> None:
    """Type ``term`` in ``field``'s picker box on the phone, see STATION offered (the page no wider than the
    phone; a screenshot ``name`` then), and choose it: the box shows its name and the hidden input its id."""
    search = page.locator(f"#id_{field}_picker")
    search.fill("")
    search.type(term, delay=40)
    choice = page.locator(f"#id_{field}_choices [data-region-choose]", has_text=STATION).first
    expect(choice).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, name)
    choice.click()
    expect(search).to_have_value(STATION)
    assert page.input_value(f"#id_{field}")


def test_on_a_phone_the_prefecture_types_a_township_and_records_a_service_there(new_page, login, shot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "prefecture")
    page.goto("/cases/services/new/")
    expect(page.locator("select[name=station]")).to_have_count(0)  # no select of every station
    search = page.locator("#id_station_picker")
    expect(search).to_have_value("黄草街道社会工作服务站")  # the default, by name

    search.fill("")
    search.type("dxjd", delay=40)  # 顶效街道 by its pinyin initials
    expect(page.locator("#id_station_choices [data-region-choose]", has_text=STATION)).to_be_visible()
    expect(page.locator("#id_station")).to_have_value("")  # typing clears the earlier choice
    _pick(page, "station", "顶效", shot, "st1-phone-station-picker-search")

    page.select_option("#id_item", index=1)
    page.fill("#id_group_name", "重阳节敬老活动")
    page.fill("#id_participants", "12")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    shot(page, "st2-phone-service-saved-at-picked-station")


def test_on_a_desktop_the_prefecture_browses_to_a_station_and_a_county_keeps_the_select(
    new_page, login, shot
):
    page = new_page(viewport=DESKTOP)
    login(page, "prefecture")
    page.goto("/cases/services/new/")
    search = page.locator("#id_station_picker")
    search.fill("")  # an empty box browses from the top: the prefecture's counties
    county_row = page.locator("#id_station_choices [data-region-browse='522301']").first
    expect(county_row).to_be_visible()
    page.wait_for_timeout(300)  # the empty box's own browse has answered
    county_row.click()
    page.locator("#id_station_choices [data-region-browse='522301001']").first.click()
    township = page.locator("#id_station_choices [data-region-choose]", has_text="黄草街道社会工作服务站")
    expect(township).to_be_visible()
    expect(page.locator("#id_station_choices [data-region-crumbs]")).to_contain_text("兴义市")
    shot(page, "st3-desktop-station-picker-browse")
    township.click()
    expect(search).to_have_value("黄草街道社会工作服务站")

    county = new_page(viewport=DESKTOP)
    login(county, "county")
    county.goto("/cases/services/new/")
    expect(county.locator("select#id_station")).to_be_visible()
    expect(county.locator("#id_station_picker")).to_have_count(0)


def test_on_a_phone_the_prefecture_registers_a_worker_at_a_station_typed_in_the_picker(new_page, login, shot):
    """The worker form's station (network:station_pick_from/staffable, the stations that can take workers)."""
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "prefecture")
    page.goto("/workforce/workers/new/")
    expect(page.locator("select[name=facility]")).to_have_count(0)
    _pick(page, "facility", "顶效", shot, "st4-phone-worker-station-picker")
    page.fill("#id_name", "罗晓梅")
    page.fill("#id_id_number", "52230119960304246X")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text(STATION)


def test_on_a_phone_the_prefecture_types_two_stations_for_a_project_and_removes_one(new_page, login, shot):
    """The project's stations (several): each station chosen in the box becomes a chip, a hidden input named
    stations; a chip's button removes it, and the project saved covers the chips left."""
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "prefecture")
    page.goto("/projects/new/")
    expect(page.locator("select[name=stations]")).to_have_count(0)  # no multi-select of every station
    page.fill("#id_name", "顶效黄草困难群众关爱项目")
    page.fill("#id_purchaser", "黔西南州民政局")
    page.fill("#id_amount", "200000")
    page.fill("#id_start_on", "2026-01-01")
    page.fill("#id_end_on", "2026-12-31")
    search = page.locator("#id_stations_picker")
    for term, station in (("顶效", STATION), ("hcjd", "黄草街道社会工作服务站")):  # a name, pinyin initials
        search.type(term, delay=40)
        expect(page.locator("#id_stations_choices [data-region-choose]", has_text=station)).to_be_visible()
        search.press("Enter")  # the keyboard takes the first choice
        expect(page.locator("[data-region-chip]", has_text=station)).to_be_visible()
        expect(search).to_have_value("")  # ready for the next
    expect(page.locator("[data-region-chip] input[name=stations]")).to_have_count(2)
    # Typed again, a station chosen already is marked so in the list, and choosing it adds no second chip
    search.type("顶效", delay=40)
    again = page.locator("#id_stations_choices [data-region-choose]", has_text=STATION)
    expect(again).to_have_attribute("aria-selected", "true")
    expect(again.locator("[data-region-chosen]")).to_have_text("已选")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "st5-phone-project-stations-chips")
    search.press("Enter")
    expect(page.locator("[data-region-chip] input[name=stations]")).to_have_count(2)
    page.get_by_role("button", name=f"移除 {STATION}").click()
    expect(page.locator("[data-region-chip] input[name=stations]")).to_have_count(1)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    covered = page.locator(".card", has=page.get_by_role("heading", name="覆盖社工站")).locator("li")
    expect(covered).to_have_count(1)
    expect(covered).to_contain_text("黄草街道社会工作服务站")
    shot(page, "st6-phone-project-saved-with-its-station")
