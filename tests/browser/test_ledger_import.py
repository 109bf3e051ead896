"""Issue 15's browser test: a county brings a messy service-record ledger in through /imports/ as it is (title
row, two-row header, a column and a value nobody mapped yet, an ID number Excel turned into a number, a 合计 row),
maps the column and the value once in the page, downloads its own workbook with the bad cell marked, corrects it,
uploads again, confirms, and sees the service records counted. A social worker does the same on a phone and
corrects a held row in the page. Screenshots at 1440×900 and 390×844: upload, preview, mapping, result."""

import datetime as dt
import io
import re

from conftest import server_today, submit_import_and_wait
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
UNKNOWN_COLUMN = "走访情况记录"
UNKNOWN_VALUE = "陪伴探访"


def _fits(page: Page, viewport: dict) -> None:
    """Nothing scrolls sideways: the page, and no table or box inside it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, page.url
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('main *')).filter(e => e.scrollWidth > e.clientWidth + 1"
        " && getComputedStyle(e).overflowX !== 'visible').map(e => e.tagName + '.' + e.className)"
    )
    assert not wide, f"sideways scrolling inside {page.url}: {wide}"


def _person(page: Page, index: int) -> tuple[str, str, str]:
    """(name, village, ID number) of a person served in 黄草街道, the ID number shown through the audited reveal."""
    page.goto("/people/?region=522301001")
    # People with an ID number on file (a few demo people have none): their row shows it masked.
    links = page.eval_on_selector_all(
        "table tbody tr",
        "rows => rows.filter(r => r.textContent.includes('********'))"
        ".flatMap(r => [...r.querySelectorAll(\"a[href^='/people/']\")].map(a => a.getAttribute('href')))",
    )
    files = list(dict.fromkeys(h for h in links if re.fullmatch(r"/people/\d+/", h)))
    page.goto(files[index])
    name = page.get_by_test_id("person-name").inner_text().split()[0]
    village = page.locator("dt:has-text('村（社区）') + dd").inner_text().split()[-1]
    page.get_by_test_id("reveal-id_number").click()
    shown = page.get_by_test_id("pii-id_number")
    expect(shown).to_have_text(re.compile(r"\d{17}[\dX]"))
    number = re.search(r"\d{17}[\dX]", shown.inner_text()).group(0)
    return name, village, number


def _item_and_worker(page: Page) -> tuple[str, str]:
    """A service item of the menu (as the one-record form lists it) and the social worker's name."""
    page.goto("/cases/services/new/")
    label = page.locator("#id_item option").nth(1).inner_text()
    return label.split(" · ")[-1].strip(), "黄草街道社工站社工"


def _services(page: Page) -> int:
    page.goto("/cases/services/")
    return int(re.sub(r"\D", "", page.get_by_test_id("list-count").inner_text()) or 0)


def _ledger(people, item: str, worker: str, day: dt.date, *, number_cell: bool = True) -> bytes:
    """A station's monthly ledger as a clerk keeps it: title row, a two-row merged header, 序号, a column the
    engine does not know, a service type it does not know, an ID number typed as a number, a 合计 row."""
    (name1, _v1, id1), (name2, village2, id2) = people
    book = Workbook()
    sheet = book.active
    sheet.title = "11月台账"
    sheet.append(["黄草街道社会工作服务站服务台账（11月）"])
    sheet.append(["序号", "服务对象", None, None, "服务情况", None, None, None, "其他"])
    sheet.append(
        [
            "序号",
            "姓名",
            "身份证号码",
            "村（社区）",
            "服务类型",
            "服务社工",
            "服务时长",
            "服务日期",
            UNKNOWN_COLUMN,
        ]
    )
    sheet.append([1, name1, id1, None, item, worker, "1.5小时", day, "情绪稳定"])
    sheet.append(
        [
            2,
            name1,
            float(id1[:17] + "0") if number_cell else id1,
            None,
            item,
            worker,
            "30分钟",
            day,
            "电话回访",
        ]
    )
    sheet.append(
        [3, name2, id2, village2, UNKNOWN_VALUE, worker, "1小时", day.strftime("%Y.%m.%d"), "陪同就医"]
    )
    sheet.append(["合计", None, None, None, None, None, "3小时", None, None])
    sheet.merge_cells("A1:I1")
    sheet.merge_cells("B2:D2")
    sheet.merge_cells("E2:H2")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(page: Page, path, *, mode: str, name: str) -> None:
    page.goto("/imports/?ledger=casework.services")
    expect(page.locator("#id_ledger")).to_have_value("casework.services")
    page.set_input_files("#id_file", str(path))
    page.check(f"input[name=mode][value={mode}]")


def _map(page: Page, item: str) -> None:
    """Map the unknown column to 备注 and the unknown value to the item, in the page."""
    mapping = page.get_by_test_id("mapping")
    expect(mapping).to_contain_text(UNKNOWN_COLUMN)
    expect(mapping).to_contain_text(UNKNOWN_VALUE)
    column = mapping.locator("label", has_text=UNKNOWN_COLUMN).get_attribute("for")
    page.select_option(f"#{column}", label="备注")
    value = mapping.locator("label", has_text=UNKNOWN_VALUE).get_attribute("for")
    page.select_option(f"#{value}", label=item)


def test_a_county_brings_a_messy_service_ledger_in_through_the_page(new_page, login, shot, tmp_path, chinese):
    page = new_page(viewport=DESKTOP)
    login(page, "county")
    people = [_person(page, 0), _person(page, 1)]
    item, worker = _item_and_worker(page)
    before = _services(page)
    day = server_today() - dt.timedelta(days=3)

    # The menu leads to the page; the service list's import button opens it on the service ledger.
    page.goto("/")
    assert page.locator("#mainnav a[href='/imports/']").count() == 1
    page.goto("/cases/services/")
    page.get_by_test_id("service-import").click()
    expect(page).to_have_url(re.compile(r"/imports/\?ledger=casework\.services$"))

    messy = tmp_path / "黄草街道11月服务台账.xlsx"
    messy.write_bytes(_ledger(people, item, worker, day))
    _upload(page, messy, mode="all_or_nothing", name=messy.name)
    chinese(page.locator("h1"))
    shot(page, "80-import-upload-1440")
    assert submit_import_and_wait(page) == "rejected"
    status = page.get_by_test_id("import-status")
    expect(page.get_by_test_id("recognised")).to_contain_text("身份证号码")
    expect(page.get_by_test_id("skipped")).to_contain_text("合计")
    expect(page.get_by_test_id("job-errors")).to_contain_text("数字")
    chinese(status)
    shot(page, "81-import-preview-1440")

    _map(page, item)
    shot(page, "82-import-mapping-1440")
    with page.expect_navigation():
        page.get_by_test_id("save-mapping").click()
    expect(status).not_to_have_attribute("data-state", "running", timeout=60_000)
    # Mapped once: only the number-typed ID number is left, in its own words.
    errors = page.get_by_test_id("job-errors")
    expect(errors.locator("li")).to_have_count(2)  # the ID number, and so no person
    expect(errors).to_contain_text("Excel")
    expect(page.get_by_test_id("mapping")).to_have_count(0)

    # The clerk's own workbook, with the bad cell marked and the message beside it.
    with page.expect_download() as download_info:
        page.get_by_test_id("annotated").click()
    marked = tmp_path / "marked.xlsx"
    download_info.value.save_as(marked)
    book = load_workbook(marked)
    sheet = book.active
    assert sheet["A1"].value.startswith("黄草街道")
    bad = sheet["C5"]
    assert bad.fill.fgColor.rgb.endswith("FFC7CE") and bad.comment is not None and "Excel" in bad.comment.text
    assert sheet["C4"].comment is None and not sheet["C4"].fill.fgColor.rgb.endswith("FFC7CE")
    notes = [c.value for c in sheet[5] if isinstance(c.value, str) and "身份证号码" in c.value]
    assert notes, [c.value for c in sheet[5]]

    # Corrected in place (the column as text), uploaded again, confirmed.
    bad.value = people[0][2]
    bad.number_format = "@"
    corrected = tmp_path / "黄草街道11月服务台账-已更正.xlsx"
    book.save(corrected)
    _upload(page, corrected, mode="all_or_nothing", name=corrected.name)
    assert submit_import_and_wait(page) == "checked", page.get_by_test_id("import-status").inner_text()
    expect(page.get_by_test_id("preview")).to_contain_text(people[1][0])
    expect(page.get_by_test_id("mapping")).to_have_count(0)  # its 错误说明 column is not asked about
    shot(page, "83-import-checked-1440")
    with page.expect_navigation():
        page.get_by_test_id("confirm").click()
    expect(status).to_have_attribute("data-state", "written", timeout=60_000)
    expect(page.get_by_test_id("job-message")).to_contain_text("3")
    shot(page, "84-import-result-1440")

    # The figures count them.
    assert _services(page) == before + 3
    expect(page.locator("table")).to_contain_text(people[1][0])


def test_a_worker_imports_on_a_phone_and_corrects_a_held_row(new_page, login, shot, tmp_path):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "worker")
    people = [_person(page, 2), _person(page, 3)]
    item, worker = _item_and_worker(page)
    before = _services(page)
    day = server_today() - dt.timedelta(days=4)

    messy = tmp_path / "11月服务台账.xlsx"
    messy.write_bytes(_ledger(people, item, worker, day))
    # Left at "write nothing until every row is right": refused, with the valid rows offered after mapping.
    _upload(page, messy, mode="all_or_nothing", name=messy.name)
    _fits(page, PHONE)
    shot(page, "85-import-upload-390")
    assert submit_import_and_wait(page) == "rejected"
    _fits(page, PHONE)
    shot(page, "86-import-preview-390")
    # The worker's township has its own mappings: the column and the value are asked again.
    _map(page, item)
    _fits(page, PHONE)
    shot(page, "87-import-mapping-390")
    with page.expect_navigation():
        page.get_by_test_id("save-mapping").click()
    status = page.get_by_test_id("import-status")
    expect(status).to_have_attribute("data-state", "rejected", timeout=60_000)
    # One row is still wrong (the ID number Excel turned into a number): write the other two, hold it.
    expect(page.get_by_test_id("valid-rows")).to_have_text("先写入正确的2行，其余留待更正")
    with page.expect_navigation():
        page.get_by_test_id("valid-rows").click()
    expect(status).to_have_attribute("data-state", "checked", timeout=60_000)
    with page.expect_navigation():
        page.get_by_test_id("confirm").click()
    expect(status).to_have_attribute("data-state", "written", timeout=60_000)
    expect(page.get_by_test_id("job-message")).to_contain_text("留待更正")
    _fits(page, PHONE)
    shot(page, "88-import-result-390")
    result = page.url
    assert _services(page) == before + 2

    # The held row, corrected in the page: the ID number typed again as text.
    page.goto(result)
    page.get_by_test_id("held-link").click()
    row = page.get_by_test_id("held-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("held-errors")).to_contain_text("Excel")
    form = row.get_by_test_id("held-form")
    field = form.locator("input[name=cell-id_number]")
    expect(field).to_have_value("")
    _fits(page, PHONE)
    shot(page, "89-import-held-390")
    field.fill(people[0][2])
    with page.expect_navigation():
        form.get_by_test_id("held-save").click()
    expect(page.locator(".alert-success")).to_contain_text("已更正并写入")
    expect(page.get_by_test_id("held-row")).to_have_count(0)
    _fits(page, PHONE)
    shot(page, "90-import-held-corrected-390")
    assert _services(page) == before + 3
