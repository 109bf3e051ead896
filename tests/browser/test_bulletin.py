"""The prefecture opens its monthly bulletin as issued by the demo, downloads the PDF and the Excel workbook, and
issues the month again: a new edition appears beside the first, which is unchanged."""

import subprocess
import tempfile
from pathlib import Path

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


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
    first_text = page.get_by_test_id("bulletin").inner_text()
    chinese(page.get_by_test_id("bulletin"))
    shot(page, "80-bulletin")

    with page.expect_download() as pdf:
        page.get_by_test_id("pdf").click()
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
    _assert_pdf_renders(pdf.value.path())
    with page.expect_download() as xlsx:
        page.get_by_test_id("xlsx").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")

    page.goto("/bulletins/")
    month = page.get_by_test_id("bulletin-list").locator("tbody tr").first.locator("a").first.inner_text()
    page.get_by_test_id("issue-form").locator("input[name=month]").fill(month)
    page.get_by_test_id("issue-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("job-progress")).to_have_attribute("data-status", "succeeded", timeout=90_000)

    page.goto(first_url)
    assert page.get_by_test_id("bulletin").inner_text() == first_text
    page.goto(f"/bulletins/?month={month}")
    expect(page.get_by_test_id("bulletin-list").locator("tbody tr")).to_have_count(2)
