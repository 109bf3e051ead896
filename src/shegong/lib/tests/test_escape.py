"""Names typed by users reach every output as text: ReportLab markup, HTML, spreadsheet formulas and control
characters are shown literally (or dropped, for control characters), nothing is fetched, run or broken.

The bulletin PDF, the page and its workbook, the volunteer certificate, the person file and visit record PDFs
(clients/printing.py), the people export (write-only workbook), the list exports (lib/lists.py: the community
and station lists), the import engine's annotated workbook (lib/importer/annotate.py), the service-record and
audit CSVs."""

import base64
import csv
import datetime as dt
import io
import re
import socket
import subprocess
import urllib.request
import zlib
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shegong.lib.escape import pdf_text, printable, sheet_cell
from shegong.lib.excel import Column, build_workbook, stream_workbook
from shegong.lib.importer.tests.conftest import run, world  # noqa: F401  (the fixtures)
from shegong.testing import verified_login

SSRF = '<img src="http://127.0.0.1:9/x.png"/>'
FONT = '<font color="red" size="40">红</font>&amp;&<b>'
FORMULA = '=HYPERLINK("http://x/?"&A1,"点")'
PLUS = "+1"
AT = "@SUM(A1:A9)"
CONTROL = "社\x00工\x07站\x1b"
# PostgreSQL stores no NUL (Django's forms refuse it for that reason); the other control characters reach
# the database and from there every output.
STORED_CONTROL = "社\x07工\x1b站\x0b"
HOSTILE = [SSRF, FONT, FORMULA, PLUS, AT, STORED_CONTROL]


@pytest.fixture
def no_network(monkeypatch):
    """Every outgoing connection (sockets, urllib) is recorded and refused: rendering must attempt none."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


def shown_in_pdf(data: bytes) -> str:
    """The text a PDF shows, without white space (a long cell wraps): read by poppler's pdftotext (installed by
    .ci/run with the fonts), which reads the embedded subset fonts of the bulletin as well as the CID font
    (UCS-2 strings in the compressed page streams) of the certificate; the latter is also read directly."""
    text = subprocess.run(["pdftotext", "-q", "-", "-"], input=data, capture_output=True, check=True).stdout
    return re.sub(r"\s", "", text.decode("utf-8"))


def shown_in_cid_pdf(data: bytes) -> str:
    """The text a ReportLab PDF shows in the CID font, read from its page streams."""
    shown = []
    for stream in re.finditer(rb"stream\r?\n(.*?)~>endstream", data, re.S):
        content = zlib.decompress(base64.a85decode(re.sub(rb"\s", b"", stream.group(1))))
        for string in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            raw = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda e: (
                    bytes([int(e.group(1), 8)])
                    if e.group(1)[:1].isdigit()
                    else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(e.group(1), e.group(1))
                ),
                string.group(1),
            )
            shown.append(raw.decode("utf-16-be", "replace") if len(raw) % 2 == 0 else raw.decode("latin-1"))
    return re.sub(r"\s", "", "".join(shown))


def literal(name: str) -> str:
    return re.sub(r"\s", "", printable(name))


def test_each_helper_escapes_for_its_output():
    assert pdf_text(SSRF) == '&lt;img src="http://127.0.0.1:9/x.png"/&gt;'
    assert pdf_text(FONT) == '&lt;font color="red" size="40"&gt;红&lt;/font&gt;&amp;amp;&amp;&lt;b&gt;'
    assert pdf_text(CONTROL) == "社工站"
    assert [sheet_cell(v) for v in (FORMULA, PLUS, AT, "-2", "\tx", "\rx")] == [
        "'" + FORMULA,
        "'+1",
        "'@SUM(A1:A9)",
        "'-2",
        "'\tx",
        "'\rx",
    ]
    assert sheet_cell(sheet_cell(FORMULA)) == "'" + FORMULA  # twice is once
    assert sheet_cell(CONTROL) == "社工站" and sheet_cell("=\x00") == "'="
    assert [sheet_cell(v) for v in (-2, 1.5, None, dt.date(2025, 1, 1), "")] == [
        -2,
        1.5,
        None,
        dt.date(2025, 1, 1),
        "",
    ]


@pytest.mark.parametrize("writer", ["build_workbook", "stream_workbook"])
def test_both_workbook_writers_take_formulas_and_control_characters_as_text(writer):
    columns = [Column("name", "姓名")]
    names = [*HOSTILE, CONTROL]  # openpyxl alone raises IllegalCharacterError on these
    make = build_workbook if writer == "build_workbook" else stream_workbook
    sheet = load_workbook(BytesIO(make("名单", columns, [[name] for name in names]))).worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [sheet_cell(name) for name in names]
    assert all(cell.data_type == "s" for cell in cells)  # none is a formula


@pytest.mark.django_db
def test_station_names_appear_literally_in_the_bulletin_pdf_workbook_and_page(users, client, no_network):
    from shegong.bulletins.tests.factories import make_bulletin
    from shegong.network.models import Facility
    from shegong.network.tests.factories import make_facility
    from shegong.regions.models import Level, Region

    townships = Region.objects.filter(code__startswith="522301", level=Level.TOWNSHIP).order_by("code")
    for region, name in zip(townships, HOSTILE, strict=False):
        facility = make_facility(region.code, status_date=timezone.localdate())
        Facility.objects.filter(pk=facility.pk).update(name=name)  # as an older release or the API stored it

    bulletin = make_bulletin(users["county"])

    assert no_network == []
    assert [s["name"] for s in bulletin.figures["network"]["new_stations"]] == HOSTILE
    shown = shown_in_pdf(bytes(bulletin.pdf))
    for name in HOSTILE:
        assert literal(name) in shown, name
    workbook = load_workbook(BytesIO(bytes(bulletin.xlsx)))
    new = [row for row in workbook.worksheets[2].iter_rows(min_row=2)]
    assert [row[0].value for row in new] == [sheet_cell(name) for name in HOSTILE]
    assert all(row[0].data_type == "s" for row in new)
    verified_login(client, users["county"])
    page = client.get(reverse("bulletins:bulletin_detail", args=[bulletin.pk])).content.decode()
    assert "&lt;img src=&quot;http://127.0.0.1:9/x.png&quot;/&gt;" in page and SSRF not in page
    assert "<font color" not in page


@pytest.mark.django_db
def test_the_volunteer_certificate_shows_names_literally_and_fetches_nothing(users, client, no_network):
    from shegong.community.models import Activity, Volunteer
    from shegong.community.tests.factories import confirmed_signup, make_activity, make_volunteer
    from shegong.network.models import Facility

    volunteer = make_volunteer()
    signup = confirmed_signup(volunteer, make_activity(title="重阳节"))
    Volunteer.objects.filter(pk=volunteer.pk).update(name=SSRF + STORED_CONTROL)
    Activity.objects.filter(pk=signup.activity_id).update(title=FONT)
    Facility.objects.filter(pk=signup.activity.station_id).update(name=FORMULA)
    verified_login(client, users["county"])

    response = client.get(f"/community/volunteers/{volunteer.pk}/certificate/")

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert no_network == []
    shown = shown_in_cid_pdf(response.content)
    for name in (SSRF + STORED_CONTROL, FONT, FORMULA):
        assert literal(name) in shown, name


@pytest.mark.django_db
def test_the_people_export_and_the_community_export_write_names_as_text(users, client):
    from shegong.clients.models import Person
    from shegong.clients.tests.factories import make_person
    from shegong.community.models import Volunteer
    from shegong.community.tests.factories import make_volunteer
    from shegong.jobs.models import Job
    from shegong.jobs.registry import HANDLERS
    from shegong.jobs.selectors import job_output_pieces

    for name in HOSTILE:
        Person.objects.filter(pk=make_person().pk).update(name=name)
        Volunteer.objects.filter(pk=make_volunteer().pk).update(name=name)

    params = {"list": "clients.people", "filters": {}}
    job = Job.objects.create(kind="lists.export", title="t", created_by=users["county"], params=params)
    HANDLERS["lists.export"](job, lambda done, total: None)
    sheet = load_workbook(BytesIO(b"".join(job_output_pieces(job)))).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in names) == sorted(sheet_cell(n) for n in HOSTILE)
    assert all(c.data_type == "s" for c in names)

    verified_login(client, users["county"])
    response = client.get(reverse("community:export", args=["volunteers"]), follow=True)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in names) == sorted(sheet_cell(n) for n in HOSTILE)
    assert all(c.data_type == "s" for c in names)


@pytest.mark.django_db
def test_the_service_and_audit_exports_write_names_as_text(users, client):
    from shegong.audit.services import Event, audit_event
    from shegong.casework import services
    from shegong.casework.tests.factories import item, station

    for name in HOSTILE:
        services.service_record_create(
            actor=users["county"],
            station=station("522301001"),
            item=item(),
            served_on=timezone.localdate(),
            duration_minutes=45,
            mode="station",
            group_name=printable(name)[:50],
            participants=3,
        )
        audit_event(event=Event.LOGIN_FAILED, username=name, outcome="failure")

    verified_login(client, users["county"])
    # The service records' export is the one list export now (an Excel file, the group in column 4).
    response = client.get(reverse("core:list_export", args=["casework.services"]))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    groups = [row[3] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in groups) == sorted(sheet_cell(printable(name)[:50]) for name in HOSTILE)
    assert all(c.data_type == "s" for c in groups)

    client.logout()
    verified_login(client, users["auditor"])
    body = b"".join(client.get(reverse("audit:export")).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    # The export names its filters first, then a blank line, then the header and the rows.
    table = rows[rows.index([]) + 2 :]
    users_column = {row[1] for row in table}
    for name in (FORMULA, PLUS, AT):
        assert "'" + name in users_column and name not in users_column
    assert "\x07" not in body and "\x1b" not in body and "\x0b" not in body


@pytest.mark.django_db
def test_the_person_file_and_visit_record_pdfs_show_names_literally_and_fetch_nothing(
    users, client, no_network
):
    from shegong.clients.models import Person, Visit
    from shegong.clients.tests.factories import make_person, make_visit

    person = make_person(address="向阳路1号")
    visit = make_visit(person, 3)
    Person.objects.filter(pk=person.pk).update(name=SSRF + STORED_CONTROL, address=FONT)
    Visit.objects.filter(pk=visit.pk).update(findings=FORMULA + AT, needs=PLUS + SSRF)
    verified_login(client, users["county"])

    person_file = client.get(reverse("clients:person_pdf", args=[person.pk]))
    visit_record = client.get(reverse("clients:visit_pdf", args=[visit.pk]))

    assert no_network == []
    for response in (person_file, visit_record):
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    shown = shown_in_pdf(person_file.content)
    assert literal(SSRF + STORED_CONTROL) in shown and literal(FONT) in shown
    shown = shown_in_pdf(visit_record.content)
    for text in (SSRF + STORED_CONTROL, FORMULA + AT, PLUS + SSRF):
        assert literal(text) in shown, text


@pytest.mark.django_db
def test_the_station_list_export_writes_names_as_text(users, client):
    from shegong.network.models import Facility
    from shegong.network.tests.factories import make_facility
    from shegong.regions.models import Level, Region

    townships = Region.objects.filter(code__startswith="522301", level=Level.TOWNSHIP).order_by("code")
    for region, name in zip(townships, HOSTILE, strict=False):
        Facility.objects.filter(pk=make_facility(region.code).pk).update(name=name)
    verified_login(client, users["county"])

    response = client.get(reverse("core:list_export", args=["network.facilities"]))

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    column = [c.value for c in sheet[1]].index("名称")
    names = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in names) == sorted(sheet_cell(n) for n in HOSTILE)
    assert all(c.data_type == "s" for c in names)


@pytest.mark.django_db
def test_the_annotated_import_workbook_gives_cells_back_as_text(world, run):  # noqa: F811
    """A CSV ledger with formulas, markup and control characters, checked by the engine: the workbook given
    back with the errors marked holds them as text, and its error column too."""
    from shegong.jobs.selectors import job_output_pieces
    from shegong.lib.importer.tests.corpus import csv_bytes, today_minus

    rows = [
        ["服务日期", "小组名称", "服务项目", "社工", "服务时长", "备注"],
        [today_minus(1), FORMULA, "=1+2", "张社工", "45分钟", SSRF + STORED_CONTROL],
        [today_minus(2), AT, world["item"].name, "张社工", PLUS, FONT],
    ]
    job = run(world["county"], "casework.services", csv_bytes(rows, encoding="utf-8"), name="ledger.csv")

    assert job.result.get("annotated"), job.result
    sheet = load_workbook(BytesIO(b"".join(job_output_pieces(job)))).worksheets[0]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert cells and all(cell.data_type in ("s", "d", "n") for cell in cells)  # no formula anywhere
    values = [cell.value for cell in cells]
    for text in (FORMULA, "=1+2", AT, PLUS):
        assert sheet_cell(text) in values, text
    assert printable(SSRF + STORED_CONTROL) in values and FONT in values
    notes = " ".join(str(v) for v in values)
    assert "=1+2" in notes and not any(ch in notes for ch in "\x07\x1b\x0b")


def test_html_rows_escape_as_format_html_join_does():
    """lib/escape.py html_text and html_rows print what conditional_escape and format_html_join print: text
    escaped (quotes too), safe markup and lazy translations as they are, numbers and dates as str()."""
    import datetime as dt

    from django.utils.html import conditional_escape, format_html, format_html_join
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from shegong.lib.escape import html_rows, html_text

    values = [
        '<script>alert("x")</script>',
        "O'Brien & 张三",
        mark_safe("<b>safe</b>"),
        format_html("<i>{}</i>", "<x>"),
        gettext_lazy("Record visit"),
        12,
        12.5,
        None,
        dt.date(2026, 12, 7),
    ]
    for value in values:
        assert html_text(value) == conditional_escape(value), value
    rows = [(v, i) for i, v in enumerate(values)]
    template = '<tr><td title="{}">{}</td></tr>'
    rows = [(v, v) for v, _i in rows]
    assert html_rows(template, rows) == format_html_join("", template, rows)
    assert hasattr(html_rows(template, rows), "__html__")  # safe: a template prints it as it is
