"""The bulletin as an official document (GB/T 9704): letterhead, issue number per issuing region and year, editions,
万元, 并列 ranks, 环比 / 同比, 截至 for a month not yet ended, the completeness list, the Word document and the PDF's
embedded fonts."""

import datetime as dt
import re
import subprocess

import pytest
from docx import Document

from shegong.bulletins import formats, services
from shegong.bulletins.render import ranking
from shegong.casework.tests.factories import make_service, station
from shegong.clients.tests.factories import make_person
from shegong.regions.models import Region

MARCH = dt.date(2026, 3, 1)


def issue(user, code="522301", month=MARCH, today=None):
    last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return services.bulletin_issue(
        actor=user,
        region=Region.objects.get(code=code),
        month=month,
        today=today or last + dt.timedelta(days=3),
    )


def serve(user, day, participants=1, code="522301001"):
    return make_service(code, actor=user, served_on=day, participants=participants)


# --- formats (no database) ------------------------------------------------------------------------


def test_money_is_written_in_wan_yuan_with_two_decimals_and_counts_with_separators():
    assert formats.wan_yuan(123456.7) == "12.35万元"
    assert formats.wan_yuan(1100000.0) == "110.00万元"
    assert formats.wan_yuan(865700) == "86.57万元"
    assert formats.wan_yuan(0) == "0.00万元"
    assert formats.wan_yuan(None) == "—"
    assert formats.number(11814) == "11,814"
    assert formats.number(1234567.0) == "1,234,567"
    assert formats.rate(97.14) == "97.1%"


def test_changes_are_points_for_rates_and_per_cent_for_counts():
    assert formats.change("township_coverage", 72.1, 70.0) == "+2.1个百分点"
    assert formats.change("talents", 378, 67) == "+464.2%"
    assert formats.change("talents", 50, 100) == "-50.0%"
    assert formats.change("talents", 5, 5) == "持平"
    assert formats.change("talents", 5, None) == "—"


def test_thirty_two_townships_tied_at_full_coverage_share_the_first_rank():
    children = [
        {"code": f"5223{n:02d}", "name": f"县{n}", "township_coverage": 100.0} for n in range(1, 33)
    ] + [
        {"code": "522399", "name": "末县", "township_coverage": 50.0},
        {"code": "522398", "name": "无乡镇", "township_coverage": None},
    ]
    ranked = ranking(list(reversed(children)))
    assert [r["rank_text"] for r in ranked[:32]] == ["并列第1"] * 32
    assert ranked[32]["name"] == "末县" and ranked[32]["rank_text"] == "第33"
    assert ranked[33]["rank_text"] == "第34"
    pair = ranking(
        [
            {"code": "1", "name": "a", "township_coverage": 90.0},
            {"code": "2", "name": "b", "township_coverage": 80.0},
            {"code": "3", "name": "c", "township_coverage": 80.0},
        ]
    )
    assert [r["rank_text"] for r in pair] == ["第1", "并列第2", "并列第2"]


# --- issuing ---------------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_issue_numbers_run_per_issuing_region_and_year_and_a_reissue_is_a_new_edition(users):
    march = issue(users["county"])
    april = issue(users["county"], month=dt.date(2026, 4, 1))
    other_county = issue(users["county2"], code="522302")
    kept = (march.figures, march.html, bytes(march.pdf), bytes(march.docx))
    again = issue(users["county"])
    last_year = issue(users["county"], month=dt.date(2025, 12, 1))
    assert (march.issue_number, april.issue_number, other_county.issue_number) == (1, 2, 1)
    assert (again.issue_number, again.edition) == (1, 2)
    assert last_year.issue_number == 1
    march.refresh_from_db()
    assert (march.figures, march.html, bytes(march.pdf), bytes(march.docx)) == kept
    assert march.issuer_name == "兴义市民政局"
    assert "2026年第2期" in april.html and "2026年第1期（第2版）" in again.html


@pytestmark_db
def test_a_month_not_yet_ended_says_jiezhi_and_compares_the_same_days_of_last_month(users):
    serve(users["county"], dt.date(2026, 2, 3), participants=4)
    serve(users["county"], dt.date(2026, 2, 20), participants=50)  # after the 6th: not in the comparison
    serve(users["county"], dt.date(2025, 3, 5), participants=2)
    serve(users["county"], dt.date(2026, 3, 2), participants=6)
    bulletin = issue(users["county"], today=dt.date(2026, 3, 6))
    assert bulletin.covers_until == dt.date(2026, 3, 6)
    figures = bulletin.figures
    assert figures["partial"] is True
    assert figures["basis"]["previous_until"] == "2026-02-06"
    assert figures["basis"]["year_before_until"] == "2025-03-06"
    row = next(r for r in figures["comparison"] if r["key"] == "person_times")
    assert (row["now"], row["before"], row["year_before"]) == (6, 4, 2)
    assert "截至2026年3月6日" in bulletin.html and "（截至3月6日）" in bulletin.html
    assert "+50.0%" in bulletin.html  # 6 against 4, not against 54


@pytestmark_db
def test_a_finished_month_is_compared_with_the_issued_edition_of_the_last(users):
    serve(users["county"], dt.date(2026, 2, 10), participants=10)
    february = issue(users["county"], month=dt.date(2026, 2, 1))
    serve(users["county"], dt.date(2026, 2, 11), participants=90)  # entered after February was issued
    serve(users["county"], dt.date(2026, 3, 10), participants=15)
    march = issue(users["county"])
    assert february.covers_until == dt.date(2026, 2, 28) and february.figures["partial"] is False
    row = next(r for r in march.figures["comparison"] if r["key"] == "person_times")
    assert (row["now"], row["before"]) == (15, 10)
    assert march.figures["basis"]["previous"] == "issued"
    assert "截至2026年3月底" in march.html


@pytestmark_db
def test_the_completeness_list_names_the_stations_without_records_and_no_other_countys(users):
    served = station("522301001")
    silent = station("522301002")
    elsewhere = station("522302001")
    serve(users["county"], dt.date(2026, 3, 9))
    person = make_person(code="522301001001")
    from shegong.clients import services as client_services

    client_services.visit_create(
        actor=users["county"], person=person, visited_on=dt.date(2026, 3, 9), mode="home", findings="生活平稳"
    )
    bulletin = issue(users["prefecture"])
    complete = bulletin.figures["completeness"]
    names = [g["name"] for g in complete["gaps"]]
    assert served.name not in names
    assert names == [silent.name]
    assert elsewhere.name not in bulletin.html and silent.name in bulletin.html
    assert complete["stations"] == 2 and complete["missing"] == 1 and complete["no_record"] == 1


@pytestmark_db
def test_the_word_document_reads_back_with_the_same_letterhead_tables_and_no_column_headed_change(
    users, tmp_path
):
    station("522301001")
    bulletin = issue(users["county"])
    path = tmp_path / "bulletin.docx"
    path.write_bytes(bytes(bulletin.docx))
    (tmp_path / "bulletin.html").write_text(bulletin.html)
    word = Document(str(path))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "社会工作月通报" in text and "2026年第1期" in text and "兴义市民政局" in text
    assert "兴义市\n2026年3月社会工作服务情况通报" in text
    assert "兴义市民政局办公室" in text and "印发" in text
    header = [c.text for c in word.tables[0].rows[0].cells]
    assert header == ["指标", "本期", "上月", "环比", "上年同期", "同比"]
    assert all("变更" not in c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "PAGE" in word.sections[0].footer._element.xml
    assert len(word.inline_shapes) == 1  # figure 1, coverage by township, drawn in the same open font


@pytestmark_db
def test_the_pdf_carries_the_letterhead_and_page_numbers_and_embeds_the_cjk_font(users, tmp_path):
    station("522301001")
    bulletin = issue(users["prefecture"], code="5223")
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(bytes(bulletin.pdf))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "社会工作月通报" in text and "2026年第1期" in text
    assert "黔西南布依族苗族自治州民政局" in text
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)
    assert "环比" in text and "同比" in text and "变更" not in text
    assert "并列第" in text  # the counties without a station tie at 0%
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "NotoSerifCJK" in line or "NotoSansCJK" in line]
    assert cjk, fonts
    for line in cjk:
        columns = line.split()
        assert columns[-5:-2] == ["yes", "yes", "yes"], line  # embedded, subset, unicode map
    assert "STSong" not in fonts
    # ReportLab lists its default Helvetica as a resource; nothing is drawn in it, and nothing else is left out.
    unembedded = [line.split()[0] for line in fonts.splitlines()[2:] if line.split()[-5] == "no"]
    assert unembedded in ([], ["Helvetica"]), fonts


def test_without_the_cjk_fonts_the_demo_still_issues_its_bulletin_and_an_installation_refuses(
    users, settings, monkeypatch
):
    """`make demo` needs nothing installed: without fonts-noto-cjk the demo's bulletin falls back to the
    PDF reader's own CID font; a real installation says which package is missing instead."""
    from reportlab.pdfbase import pdfmetrics

    from shegong.lib import cjk_font

    def missing(face):
        raise cjk_font.CJKFontMissing("fonts-noto-cjk")

    monkeypatch.setattr(cjk_font, "font_file", missing)
    # As in a process that has not yet made a PDF: fonts registered and subsets cut by earlier tests in this
    # worker would otherwise be reused without looking for the files.
    monkeypatch.setattr(pdfmetrics, "_fonts", {})
    cjk_font._subset_bytes.cache_clear()
    settings.DEMO = True
    bulletin = issue(users["county"])
    assert bytes(bulletin.pdf).startswith(b"%PDF") and b"STSong-Light" in bytes(bulletin.pdf)
    assert bytes(bulletin.docx)[:2] == b"PK"
    settings.DEMO = False
    with pytest.raises(cjk_font.CJKFontMissing):
        issue(users["county"], month=dt.date(2026, 4, 1))
