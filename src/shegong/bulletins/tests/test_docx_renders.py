"""The bulletin's Word document opens in LibreOffice (the office's editor of choice where Word is not bought): it
converts to PDF headless, the PDF carries the letterhead, the 环比/同比 table and the closing block, and its first
page is kept as a PNG beside the screenshots for a person to look at."""

import os
import subprocess
from pathlib import Path

import pytest

from shegong.bulletins.tests.test_official_document import issue
from shegong.casework.tests.factories import station

SCREENSHOTS = Path(__file__).resolve().parents[4] / "artifacts" / "screenshots"

pytestmark = pytest.mark.django_db


def test_the_word_document_renders_in_libreoffice(users, tmp_path):
    station("522301001")
    bulletin = issue(users["prefecture"], code="5223")
    docx = tmp_path / "bulletin.docx"
    docx.write_bytes(bytes(bulletin.docx))
    # A profile of its own, so that a LibreOffice already open (or another test's) does not take the job.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "bulletin.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "社会工作月通报" in text
    assert "黔西南布依族苗族自治州民政局" in text
    assert "环比" in text and "同比" in text and "变更" not in text
    assert "印发" in text
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))) >= 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            "1",
            "-l",
            "2",
            "-r",
            "60",
            "-png",
            str(pdf),
            str(SCREENSHOTS / "82-bulletin-docx"),
        ],
        check=True,
    )
    assert list(SCREENSHOTS.glob("82-bulletin-docx*.png"))
