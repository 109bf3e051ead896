"""Population import through the browser: template download, upload, the job's progress page, errors."""

import re
import time

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

XINGYI = "522301"
YEAR = 2024
BAD_CELLS = {3: "一千二百", 6: "约3000"}  # data-row index → text typed into the population cell


def _population(row_index: int) -> int:
    return 10_000 + 7 * row_index


def _upload(page: Page, path) -> None:
    page.goto("/regions/population/import/")
    page.set_input_files("input[type=file]", str(path))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))


def _watch_progress(page: Page, server_log, timeout: float = 60) -> list[int]:
    """The progress bar's values as the htmx poll updates it, until the job has finished."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while True:
        box = page.get_by_test_id("job-progress")
        status = box.get_attribute("data-status")
        value = int(box.locator("[role=progressbar]").get_attribute("aria-valuenow"))
        if not seen or seen[-1] != value:
            seen.append(value)
        if status in ("succeeded", "failed"):
            return seen
        if time.monotonic() > deadline:
            raise AssertionError(f"job still {status} after {timeout} s (progress {seen}).{_why(server_log)}")
        page.wait_for_timeout(150)


def _why(server_log) -> str:
    """What the demo server's log tells about a job that does not finish."""
    log = server_log.read_text(errors="replace")
    hint = ""
    if "changed, reloading" in log:
        hint = (
            " APP BUG: the demo's job worker restarts whenever a source file changes (rundemo starts "
            "`db_worker` without --no-reload, and db_worker reloads when DEBUG is on); a job it was running "
            "stays 'running' for ever."
        )
    if "Traceback" in log:
        hint += " The job worker or the server raised: see artifacts/browser-demo-server.log."
    # The log's lines other than runserver's access lines, e.g. the worker's own messages and tracebacks.
    lines = [line for line in log.splitlines() if not line.startswith("[")]
    return hint + "\nServer log (access lines left out):\n" + "\n".join(lines[-25:])


def _township_populations(page: Page) -> dict[str, str]:
    page.goto(f"/regions/{XINGYI}/")
    populations = {}
    for row in page.locator("[data-testid=children] tbody tr").all():
        cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
        populations[cells[0]] = cells[3].replace(",", "")
    return populations


def test_population_import_through_the_browser_with_progress_and_per_row_errors(
    page, login, shot, chinese, tmp_path, server_log, menu
):
    login(page, "county")
    menu(page, "/regions/population/import/")
    expect(page).to_have_url(re.compile(r"/regions/population/import/$"))
    chinese(page.locator("h1"))
    shot(page, "14-import-page")

    # 1. The template, downloaded through the page's link.
    with page.expect_download() as download_info:
        page.locator("main a[href$='population/template.xlsx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    template = tmp_path / "template.xlsx"
    download.save_as(template)

    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert all(header) and all(re.search(r"[\u4e00-\u9fff]", h) for h in header), f"headers: {header}"
    assert len(header) >= 4, header
    code_col, name_col, population_col, year_col = 1, 2, 3, 4  # the template's column order
    rows = list(range(2, sheet.max_row + 1))
    codes = [str(sheet.cell(row, code_col).value) for row in rows]
    assert codes, "the template lists no divisions"
    assert all(code.startswith(XINGYI) for code in codes), "the template lists divisions outside 兴义市"
    assert f"{XINGYI}001" in codes  # 黄草街道, a township
    assert any(len(code) == 12 for code in codes), "the villages (two levels down) are missing"
    assert all(sheet.cell(row, name_col).value for row in rows), "every row names its division"

    # 2. Fill in every population and upload: the job page's bar goes to 100% with a success message.
    for index, row in enumerate(rows):
        sheet.cell(row, population_col).value = _population(index)
        sheet.cell(row, year_col).value = YEAR
    good = tmp_path / "populations.xlsx"
    workbook.save(good)
    _upload(page, good)
    chinese(page.locator("h1"))
    progress = _watch_progress(page, server_log)
    shot(page, "15-import-succeeded")
    assert progress == sorted(progress), f"the bar went backwards: {progress}"
    assert progress[-1] == 100, f"the bar stopped at {progress}"
    box = page.get_by_test_id("job-progress")
    assert box.get_attribute("data-status") == "succeeded"
    expect(box.locator(".progress-bar")).to_have_text("100%")
    message = page.get_by_test_id("job-message")
    expect(message).to_have_class(re.compile(r"\balert-success\b"))
    expect(message).to_contain_text(str(len(rows)))
    chinese(message)
    expect(page.get_by_test_id("job-errors")).to_have_count(0)

    expected = {code: str(_population(index)) for index, code in enumerate(codes) if len(code) == 9}
    assert _township_populations(page) == expected
    huangcao = _population(codes.index(XINGYI + "001"))
    page.goto(f"/regions/{XINGYI}001/")
    # zh-hans formats numbers without a thousands separator; accept one should that change.
    huangcao_shown = re.compile(rf"{huangcao}|{huangcao:,}")
    expect(page.get_by_test_id("level-counts")).to_contain_text(huangcao_shown)
    expect(page.get_by_test_id("level-counts")).to_contain_text(f"({YEAR})")

    # 3. A sheet with text in number cells: a Chinese error table naming each row; nothing is written.
    for index, row in enumerate(rows):
        sheet.cell(row, population_col).value = _population(index) + 1
        sheet.cell(row, year_col).value = YEAR + 1
    for index, text in BAD_CELLS.items():
        sheet.cell(rows[index], population_col).value = text
    bad = tmp_path / "populations-bad.xlsx"
    workbook.save(bad)
    _upload(page, bad)
    progress = _watch_progress(page, server_log)
    assert progress[-1] == 100, progress
    shot(page, "16-import-errors")
    message = page.get_by_test_id("job-message")
    expect(message).to_have_class(re.compile(r"\balert-danger\b"))
    chinese(message)
    table = page.get_by_test_id("job-errors")
    expect(table).to_be_visible()
    chinese(table.locator("thead"))
    errors = [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]
    assert [int(error[0]) for error in errors] == [rows[index] for index in BAD_CELLS], errors
    for (row_number, column, problem), text in zip(errors, BAD_CELLS.values(), strict=True):
        assert column == header[population_col - 1], f"row {row_number}: column {column!r}"
        assert text in problem, f"row {row_number}: {problem!r} does not quote the bad value"
        chinese(problem.replace(text, ""))

    assert _township_populations(page) == expected, "the rejected file changed populations"
    page.goto(f"/regions/{XINGYI}001/")
    expect(page.get_by_test_id("level-counts")).to_contain_text(huangcao_shown)
    expect(page.get_by_test_id("level-counts")).to_contain_text(f"({YEAR})")
    shot(page, "17-region-after-rejected-import")
