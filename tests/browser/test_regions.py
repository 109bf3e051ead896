"""A county administrator of 兴义市 (522301) browses their jurisdiction in the demo."""

import re

from playwright.sync_api import Page, expect

XINGYI = "522301"
ANCESTORS = ["贵州省", "黔西南布依族苗族自治州"]


def _breadcrumb(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("[data-testid=breadcrumb] li").all_inner_texts()]


def _level_counts(page: Page, container: str) -> dict[str, int]:
    """{level label: count} from the count cards; the population card (count may be —) is left out."""
    counts = {}
    for card in page.locator(f"{container} .card.text-center .card-body").all():
        number = card.locator(".fs-4").inner_text().replace(",", "").strip()
        label = card.locator(".small").inner_text().strip()
        if number.isdigit() and "人口" not in label:
            counts[label] = int(number)
    return counts


def _children(page: Page) -> list[dict]:
    rows = []
    for row in page.locator("[data-testid=children] tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows.append({"code": cells[0].strip(), "name": cells[1].strip(), "subdivisions": cells[2].strip()})
    return rows


def test_county_admin_logs_in_in_chinese_and_walks_the_region_tree_down_to_a_village(
    page, login, shot, chinese, menu
):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    banner = page.get_by_test_id("demo-banner")
    expect(banner).to_be_visible()
    chinese(banner)
    chinese(page.locator("h1"))
    expect(page.locator("form button[type=submit]")).to_have_text("登录")
    shot(page, "01-login-page")

    response = login(page, "county")
    assert response.status == 200
    assert page.url.endswith("/"), f"county should land on the home page, is on {page.url}"
    jurisdiction = page.get_by_test_id("jurisdiction")
    expect(jurisdiction).to_contain_text("贵州省 › 黔西南布依族苗族自治州 › 兴义市")
    expect(jurisdiction).to_contain_text(XINGYI)
    expect(page.get_by_test_id("whoami")).to_contain_text("兴义市")
    # The county's home is its workbench (工作台); the division counts are on the region page.
    expect(page.get_by_test_id("figures")).to_be_visible()
    shot(page, "02-county-home")

    # The region tree: the menu's 区划 entry opens the jurisdiction itself.
    menu(page, "/regions/")
    expect(page).to_have_url(re.compile(rf"/regions/{XINGYI}/$"))
    expect(page.get_by_test_id("region-name")).to_have_text("兴义市")
    assert _breadcrumb(page) == [*ANCESTORS, "兴义市"]
    # Above the jurisdiction the crumbs are names, not links: the county may not open them.
    assert page.locator("[data-testid=breadcrumb] a").count() == 0
    counts = _level_counts(page, "[data-testid=level-counts]")
    assert list(counts)[:2] == ["乡镇（街道）", "村（社区）"], counts
    assert all(n > 0 for n in counts.values()), counts
    townships = _children(page)
    assert len(townships) == counts["乡镇（街道）"], "one row per township"
    assert sum(int(t["subdivisions"].replace(",", "")) for t in townships) == counts["村（社区）"]
    assert all(t["code"].startswith(XINGYI) for t in townships)
    shot(page, "03-region-county")

    township = next(t for t in townships if t["name"] == "黄草街道")
    page.locator("[data-testid=children]").get_by_role("link", name="黄草街道", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/regions/{township['code']}/$"))
    expect(page.get_by_test_id("region-name")).to_have_text("黄草街道")
    assert _breadcrumb(page) == [*ANCESTORS, "兴义市", "黄草街道"]
    expect(page.locator("[data-testid=breadcrumb] a")).to_have_text(["兴义市"])
    assert _level_counts(page, "[data-testid=level-counts]") == {"村（社区）": int(township["subdivisions"])}
    villages = _children(page)
    assert len(villages) == int(township["subdivisions"])
    shot(page, "04-region-township")

    village = villages[0]
    page.locator("[data-testid=children]").get_by_role("link", name=village["name"], exact=True).click()
    expect(page).to_have_url(re.compile(rf"/regions/{village['code']}/$"))
    expect(page.get_by_test_id("region-name")).to_have_text(village["name"])
    assert _breadcrumb(page) == [*ANCESTORS, "兴义市", "黄草街道", village["name"]]
    expect(page.locator("[data-testid=breadcrumb] a")).to_have_text(["兴义市", "黄草街道"])
    expect(page.locator("main")).to_contain_text("村（社区）")  # its level, after the code
    chinese(page.locator("main p.text-muted").last)  # "no subdivisions", in Chinese
    assert page.locator("[data-testid=children]").count() == 0
    shot(page, "05-region-village")


def test_search_by_pinyin_initials_shows_live_results_within_the_jurisdiction_only(
    page, login, shot, chinese
):
    login(page, "county")
    page.goto(f"/regions/{XINGYI}/")
    box = page.locator("input[name=q]")
    # 万峰林街道 (WFLJD) is in 兴义市; 瓮福磷矿社区 (WFLKSQ…) matches too but lies in another prefecture.
    box.press_sequentially("wfl", delay=50)
    results = page.locator("#search-results [data-testid=search-results] a")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("万峰林街道")
    expect(results.first).to_have_attribute("href", "/regions/522301008/")
    expect(page).to_have_url(re.compile(rf"/regions/{XINGYI}/$"))  # htmx swapped the results in place
    shot(page, "06-search-initials")

    # 兴仁市 (XRS) is the neighbouring county: nothing of it may show, and the answer says so in Chinese.
    box.fill("")
    box.press_sequentially("XRS", delay=50)
    empty = page.locator("#search-results [data-testid=search-results] .list-group-item")
    expect(empty).to_have_count(1)
    expect(empty).to_contain_text("XRS")
    expect(page.locator("#search-results a")).to_have_count(0)
    chinese(empty)

    box.fill("")
    box.press_sequentially("wfl", delay=50)
    expect(results).to_have_count(1)
    results.first.click()
    expect(page.get_by_test_id("region-name")).to_have_text("万峰林街道")


def test_county_admin_gets_the_chinese_404_page_for_the_neighbouring_county(page, login, shot, chinese):
    login(page, "county")
    response = page.goto("/regions/522302/")  # 兴仁市, outside 兴义市
    shot(page, "07-404-neighbour-county")
    assert response.status == 404
    body = page.locator("body").inner_text()
    assert "兴仁市" not in body, "the 404 page must not name the hidden region"
    assert "URLconf" not in body and "Page not found" not in body, (
        "APP BUG: the demo answers with Django's English technical 404 page (DEBUG is on in demo mode: "
        "settings.DEBUG defaults to DEMO), which also lists the URL patterns, instead of the Chinese "
        f"error page error.html. Page text starts: {body[:200]!r}"
    )
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.locator("h1")).to_contain_text("404")
    chinese(page.locator("h1"))
    chinese(page.locator("p.lead"))
    expect(page.locator("a.btn[href='/']")).to_be_visible()
