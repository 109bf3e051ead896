"""The prefecture opens its monthly bulletin as issued by the demo — an official document with its red letterhead,
issue number and, for the month not yet ended, 截至 today — downloads the PDF, the Word document and the Excel
workbook, reads it on a 390x844 phone without sideways scrolling, and issues the month again: a new edition appears
beside the first, which is unchanged."""

import re
import subprocess
import tempfile
from pathlib import Path

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _assert_pdf_renders(path: str) -> None:
    """Render page 1 with poppler: it must be an image with text on it (dark pixels), kept beside the
    screenshots for a person to look at."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-gray", path, f"{tmp}/page"], check=True
        )
        [pgm] = Path(tmp).glob("page*.pgm")
        data = pgm.read_bytes()
        # Binary PGM: "P5\n<width> <height>\n<maxval>\n" then one byte per pixel.
        magic, _size, _maxval, pixels = data.split(b"\n", 3)
        assert magic == b"P5"
        dark = sum(1 for value in pixels if value < 128)
        assert dark > 2000, f"page 1 of the PDF is nearly blank ({dark} dark pixels)"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-f",
                "1",
                "-l",
                "1",
                "-r",
                "80",
                "-png",
                "-singlefile",
                path,
                str(SCREENSHOTS / "81-bulletin-pdf"),
            ],
            check=True,
        )


def test_the_prefecture_opens_its_bulletin_downloads_it_and_issues_a_second_edition(
    new_page, login, shot, chinese
):
    page = new_page()
    login(page, "prefecture")
    page.goto("/bulletins/")
    rows = page.get_by_test_id("bulletin-list").locator("tbody tr")
    expect(rows).to_have_count(2)
    rows.first.locator("a").first.click()
    expect(page.get_by_test_id("headline")).to_be_visible()
    first_url = page.url
    page.wait_for_load_state("load")
    first_text = page.get_by_test_id("bulletin").inner_text()
    chinese(page.get_by_test_id("bulletin"))
    expect(page.get_by_test_id("letterhead")).to_contain_text("社会工作月通报")
    expect(page.get_by_test_id("issue-number")).to_contain_text(re.compile(r"\d{4}年第\d+期"))
    assert "截至" in first_text  # the day (or month end) the figures are as of
    assert "环比" in first_text and "同比" in first_text and "变更" not in first_text
    expect(page.get_by_test_id("completeness")).to_be_visible()
    shot(page, "80-bulletin")

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(phone, "prefecture")
    phone.goto(first_url)
    expect(phone.get_by_test_id("headline")).to_be_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the bulletin scrolls sideways by {overflow}px on a 390 px phone"
    shot(phone, "80-bulletin-phone")

    with page.expect_download() as pdf:
        page.get_by_test_id("pdf").click()
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
    _assert_pdf_renders(pdf.value.path())
    with page.expect_download() as docx:
        page.get_by_test_id("docx").click()
    assert docx.value.suggested_filename.endswith(".docx")
    from docx import Document

    word = Document(docx.value.path())
    assert "社会工作月通报" in "\n".join(p.text for p in word.paragraphs)
    with page.expect_download() as xlsx:
        page.get_by_test_id("xlsx").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")

    page.goto("/bulletins/")
    month = page.get_by_test_id("bulletin-list").locator("tbody tr").first.locator("a").first.inner_text()
    page.get_by_test_id("issue-form").locator("input[name=month]").fill(month)
    page.get_by_test_id("issue-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("job-progress")).to_have_attribute("data-status", "succeeded", timeout=90_000)

    page.goto(first_url)
    page.wait_for_load_state("load")
    # The same words and figures; where a line breaks depends on how far the layout and the chart had got when the
    # text was read (the issuer beside or above the date, a chart's label beside or above its value).
    assert _words(page.get_by_test_id("bulletin").inner_text()) == _words(first_text)
    page.goto(f"/bulletins/?month={month}")
    expect(page.get_by_test_id("bulletin-list").locator("tbody tr")).to_have_count(2)
