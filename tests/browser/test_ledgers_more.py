"""Issue 15.8 in the browser: the mutual-aid list's import button leads to the engine on its ledger; a village's
messy mutual-aid ledger (title rows, names instead of codes, 2022年3月, 5万元, a 合计 row) is checked and written
as it is, and the project shows in the list with the matching paid; a deliberation ledger is checked on a phone.
Screenshots at 1440×900 and 390×844."""

import io
import re

from conftest import submit_import_and_wait
from openpyxl import Workbook
from playwright.sync_api import Page, expect

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def _book(title: str, header: list, rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fits(page: Page, viewport: dict) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, page.url


def test_a_mutual_aid_ledger_goes_in_from_the_project_list(new_page, login, shot, tmp_path, chinese):
    page = new_page(viewport=DESKTOP)
    login(page, "county")
    page.goto("/community/projects/")
    page.locator("a[href$='?ledger=community.mutual_aid']").click()
    expect(page).to_have_url(re.compile(r"/imports/\?ledger=community\.mutual_aid$"))
    expect(page.locator("#id_ledger")).to_have_value("community.mutual_aid")

    messy = tmp_path / "黄草街道互助项目台账.xlsx"
    messy.write_bytes(
        _book(
            "黄草街道村社互助项目台账（截至2023年底）",
            ["序号", "村（社区）", "项目名称", "筹款目标（元）", "筹集资金（元）", "启动时间", "项目状态",
             "配套单位", "配套金额（元）", "拨付日期"],
            [
                [1, "街心社区", "邻里互助食堂", "5万元", "32000", "2022年3月", "实施中", "省民政厅", 9590,
                 "2022年6月"],
                [2, "街心社区", "邻里互助食堂", "5万元", "32000", "2022年3月", "实施中", "市民政局", "18490元",
                 "2022.09"],
                [3, "向阳社区居委会", "助老互助", 20000, 0, "2023-1-15", "筹款中", None, None, None],
                ["合计", None, None, 70000, 32000, None, None, None, 28080, None],
            ],
        )
    )  # fmt: skip
    page.set_input_files("#id_file", str(messy))
    page.check("input[name=mode][value=all_or_nothing]")
    assert submit_import_and_wait(page) == "checked", page.get_by_test_id("import-status").inner_text()
    expect(page.get_by_test_id("skipped")).to_contain_text("合计")
    expect(page.get_by_test_id("preview")).to_contain_text("邻里互助食堂")
    chinese(page.get_by_test_id("import-status"))
    shot(page, "90-mutual-aid-checked-1440")
    with page.expect_navigation():
        page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-state", "written", timeout=60_000)
    expect(page.get_by_test_id("job-message")).to_contain_text("3")

    page.goto("/community/projects/")
    expect(page.locator("main")).to_contain_text("邻里互助食堂")
    expect(page.locator("main")).to_contain_text("助老互助")
    shot(page, "91-mutual-aid-list-1440")


def test_a_deliberation_ledger_is_checked_on_a_phone(new_page, login, shot, tmp_path):
    page = new_page(viewport=PHONE)
    login(page, "county")
    page.goto("/community/deliberations/")
    page.locator("a[href$='?ledger=community.deliberations']").click()
    expect(page.locator("#id_ledger")).to_have_value("community.deliberations")
    messy = tmp_path / "议事协商台账.xlsx"
    messy.write_bytes(
        _book(
            "黄草街道“有事好商量”议事协商台账",
            ["序号", "村（社区）", "议事时间", "议题", "参会人数", "提出问题", "解决情况", "办理结果", "办结时间"],
            [
                [1, "街心社区", "2022年3月", "小区停车难", 23, "车位不足", "已解决", "划定临时车位", "2022年5月"],
                [2, "街心社区", "2022年3月", "小区停车难", 23, "消防通道被占", "已解决", None, None],
            ],
        )
    )  # fmt: skip
    page.set_input_files("#id_file", str(messy))
    assert submit_import_and_wait(page) == "rejected"
    errors = page.get_by_test_id("job-errors")
    expect(errors).to_contain_text("第4行")
    expect(errors).to_contain_text("办理结果")
    expect(errors).to_contain_text("办结时间")
    _fits(page, PHONE)
    shot(page, "92-deliberation-errors-390")
