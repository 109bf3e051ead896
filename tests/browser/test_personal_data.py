"""The county administrator sees a person's ID number masked, shows it on request (the audited reveal), and
exports the people in clear only after stating a purpose (lib/personal_data.py, core/reveal.py)."""

import re

from playwright.sync_api import expect


def test_a_county_reveals_an_id_number_and_exports_in_clear_with_a_purpose(new_page, login, shot):
    page = new_page()
    login(page, "county")

    page.goto("/people/")
    # A person with an ID number on file (a few demo people have none): their row shows it masked.
    row = page.locator("table tbody tr", has=page.locator("td", has_text="********")).first
    row.locator("a[href^='/people/']").first.click()
    shown = page.get_by_test_id("pii-id_number")
    expect(shown).to_contain_text("********")
    page.get_by_test_id("reveal-id_number").click()
    expect(page.get_by_test_id("pii-id_number")).to_have_text(
        re.compile(r"\d{17}[\dX] 明文显示，已记入审计日志")
    )
    shot(page, "70-person-revealed")

    page.goto("/people/")
    page.get_by_test_id("export-clear").click()
    # The purpose is required: the browser refuses to send the form without it (the server too, see
    # clients/tests/test_personal_data.py).
    expect(page.locator("#id_purpose")).to_have_attribute("required", "")
    page.fill("#id_purpose", "低保年审核对身份证号")
    shot(page, "71-people-export-in-clear-purpose")
    # The one export path of lists: the people list's file, ID numbers in clear, the purpose audited.
    with page.expect_download() as download:
        page.get_by_test_id("clear-export").locator("button[type=submit]").click()
    assert download.value.suggested_filename.startswith("people-")
