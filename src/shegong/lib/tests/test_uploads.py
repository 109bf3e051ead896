"""Uploads: one check by content and size for every file field, a cap on the request before its body is
read, workbooks bounded before they are parsed (a zip bomb is refused at once), and a Chinese message for
every kind of bad file, never a server error."""

import datetime as dt
import re
import struct
import time
import tracemalloc
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shegong.jobs.models import Job
from shegong.lib.excel import Column, SheetError, check_workbook_bounds, read_rows
from shegong.lib.importer.tests.corpus import xlsx
from shegong.lib.uploads import DOCUMENT, PHOTO, SPREADSHEET, UploadField, check_upload, sniff
from shegong.testing import verified_login

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 504


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# --- Zip bomb -----------------------------------------------------------------------------------------------


def zip_bomb(gigabytes: float = 1.0) -> bytes:
    """An xlsx whose worksheet inflates to ``gigabytes`` GB of rows, made in a moment: the deflate stream of
    one 4 MB block, flushed to a byte boundary, is the same every time, so the block is compressed once and
    its output repeated. Every size and checksum in the archive is true."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 200 + b"</t></is></c></row>"
    block = row * ((4 << 20) // len(row))
    tail = b"</sheetData></worksheet>"
    repeats = int(gigabytes * (1 << 30)) // len(block)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    piece = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) == piece
    sheet = first + piece * repeats + packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * repeats + len(tail)
    parts = [
        (b"[Content_Types].xml", _deflated(_CONTENT_TYPES)),
        (b"_rels/.rels", _deflated(_RELS)),
        (b"xl/workbook.xml", _deflated(_BOOK)),
        (b"xl/_rels/workbook.xml.rels", _deflated(_BOOK_RELS)),
        (b"xl/worksheets/sheet1.xml", (sheet, crc, size)),
    ]
    return _raw_zip(parts)


_CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="xl/workbook.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_BOOK = (
    b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _raw_zip(parts: list[tuple[bytes, tuple[bytes, int, int]]]) -> bytes:
    """A zip archive of already-deflated parts: local headers and data, central directory, end record."""
    body, directory = BytesIO(), BytesIO()
    for name, (data, crc, size) in parts:
        offset = body.tell()
        body.write(
            struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0)
        )
        body.write(name + data)
        directory.write(
            struct.pack(
                "<4s6H3I5H2I",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start, listing = body.tell(), directory.getvalue()
    body.write(listing)
    body.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(listing), start, 0))
    return body.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb(1.0)


def test_the_bomb_is_a_real_one(bomb):
    archive = zipfile.ZipFile(BytesIO(bomb))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert len(bomb) < 5 * 1024 * 1024 and sheet.file_size > 10**9  # 4 MB that unpack to a gigabyte
    with archive.open(sheet) as stream:  # and it inflates as listed: the first 8 MB are rows
        assert stream.read(8 << 20).count(b"<row>") > 30_000


def test_a_zip_bomb_is_refused_before_parsing_in_a_moment_without_memory(bomb):
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(SheetError) as refused:
        list(read_rows(bomb, [Column("name", "姓名")]))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0, elapsed
    assert peak < len(bomb) + 4 * 1024 * 1024, peak  # the file itself and little more
    assert CHINESE.search(str(refused.value)) and "MB" in str(refused.value)
    # The upload's check (the form field's) is as quick: it reads the same directory.
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="解压后"):
        check_upload(_file("stations.xlsx", bomb), accept=SPREADSHEET, field="Excel文件")
    assert time.perf_counter() - started < 1.0


@pytest.mark.django_db
def test_the_stations_import_refuses_the_bomb_at_upload_and_at_confirmation(
    users, client, bomb, django_capture_on_commit_callbacks
):
    from shegong.jobs.services import job_start
    from shegong.network.imports import IMPORT_KIND

    verified_login(client, users["county"])
    response = client.post(reverse("network:import"), {"file": _file("stations.xlsx", bomb)})
    assert response.status_code == 200
    assert "解压后" in " ".join(response.context["form"].errors["file"])
    assert not Job.objects.exists()
    # The confirming job reads the stored file again; the same bound holds there.
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            actor=users["county"],
            kind=IMPORT_KIND,
            title="t",
            params={"commit": True, "checked_by": "x"},
            input_name="stations.xlsx",
            input_file=bomb,
        )
    job.refresh_from_db()
    assert job.status == "failed" and "解压后" in job.message


def test_a_sheet_with_more_rows_than_allowed_is_refused_from_its_dimension_record(settings):
    settings.SHEET_MAX_ROWS = 5
    data = xlsx([["姓名"]] + [[f"人{n}"] for n in range(10)])
    with pytest.raises(SheetError, match="10"):
        check_workbook_bounds(data)
    # and by counting, where a sheet carries no dimension record
    stripped = _zip(
        {
            name: re.sub(rb"<dimension[^>]*/>", b"", content)
            for name, content in (
                (info.filename, zipfile.ZipFile(BytesIO(data)).read(info))
                for info in zipfile.ZipFile(BytesIO(data)).infolist()
            )
        }
    )
    check_workbook_bounds(stripped)
    with pytest.raises(SheetError, match="5"):
        list(read_rows(stripped, [Column("name", "姓名")]))


# --- One check for every file field -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "name", "data", "kind"),
    [
        (PHOTO, "a.jpg", PNG, "png"),  # a PNG named .jpg is still a photo
        (PHOTO, "a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 32, "webp"),
        (PHOTO, "a.jpeg", JPEG, "jpeg"),
        (DOCUMENT, "plan.pdf", PDF, "pdf"),
        (DOCUMENT, "plan.docx", DOCX, "docx"),
        (SPREADSHEET, "whatever.bin", xlsx([["姓名"], ["张三"]]), "xlsx"),
    ],
)
def test_a_file_is_known_by_its_content(accept, name, data, kind):
    upload = _file(name, data)
    assert check_upload(upload, accept=accept, field="照片") == kind
    assert upload.name.rsplit(".", 1)[1] == {"jpeg": "jpg"}.get(kind, kind)  # stored under its true type


@pytest.mark.django_db
def test_a_picture_named_as_a_web_page_is_stored_and_served_as_a_picture(users, client, settings, tmp_path):
    from shegong.network.models import FacilityPhoto
    from shegong.network.tests.factories import make_facility

    settings.MEDIA_ROOT = tmp_path
    facility = make_facility("522301001")
    verified_login(client, users["county"])
    client.post(reverse("network:photo_upload", args=[facility.pk]), {"file": _file("page.html", PNG)})
    photo = FacilityPhoto.objects.get(facility=facility)
    assert photo.file.name.endswith("page.png")
    served = client.get(reverse("network:photo_file", args=[photo.pk]))
    assert served["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("accept", "name", "data", "expected"),
    [
        (PHOTO, "photo.jpg", b"<html>not a photo</html>", "文件内容不是以下类型之一"),
        (PHOTO, "photo.jpg", PDF, "JPEG照片"),
        (PHOTO, "photo.png", b"", "文件是空的"),
        (PHOTO, "huge.png", PNG + b"\x00" * (8 * 1024 * 1024), "超过 8 MB"),
        (DOCUMENT, "run.pdf", b"MZ\x90\x00 a Windows program", "PDF文档"),
        (DOCUMENT, "page.docx", _zip({"index.html": b"<html/>"}), "Word文档"),
        (SPREADSHEET, "old.xlsx", OLE, ".xls"),
        (SPREADSHEET, "data.xlsx", b"name,id\n1,2\n", "Excel工作簿"),
    ],
)
def test_a_wrong_file_is_refused_with_a_message_naming_the_field(accept, name, data, expected):
    with pytest.raises(ValidationError) as refused:
        check_upload(_file(name, data), accept=accept, field="现场照片")
    message = " ".join(refused.value.messages)
    assert "“现场照片”" in message and expected in message, message


def test_no_size_above_the_request_cap(settings):
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="超过 1 MB"):
        check_upload(_file("a.pdf", PDF + b"\x00" * (1024 * 1024)), accept=DOCUMENT, field="附件")


def test_the_form_field_names_itself_and_takes_a_good_file():
    class Form(forms.Form):
        image = UploadField(label="活动照片", accept=PHOTO)

    refused = Form(files={"image": _file("a.png", b"GIF89a")})
    assert not refused.is_valid() and "“活动照片”" in refused.errors["image"][0]
    empty = Form(files={"image": _file("a.png", b"")})
    assert not empty.is_valid() and "“活动照片”：文件是空的。" in empty.errors["image"][0]
    assert Form(files={"image": _file("a.png", PNG)}).is_valid()


def test_every_file_field_of_every_form_is_an_upload_field():
    """No form declares a bare FileField: each goes through lib/uploads.py (the scan catches fields made in
    __init__, as the assessment form's evidence fields are)."""
    root = Path(__file__).resolve().parents[2]
    bare = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts and path.name != "uploads.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"forms\.(File|Image)Field\(", line)
    ]
    assert bare == []
    assert sniff(_file("x", PNG)) == "png"


@pytest.mark.django_db
def test_the_services_check_what_they_store(users, settings, tmp_path):
    """A caller that skips the form (the API, a command) meets the same check in the service."""
    from shegong.network.services import facility_add_photo
    from shegong.network.tests.factories import assess, make_facility

    settings.MEDIA_ROOT = tmp_path
    facility = make_facility("522301001")
    with pytest.raises(ValidationError) as refused:
        facility_add_photo(actor=None, facility=facility, file=_file("front.jpg", b"#!/bin/sh\nrm -rf /"))
    assert "file" in refused.value.message_dict and "照片" in refused.value.message_dict["file"][0]
    assert facility_add_photo(actor=None, facility=facility, file=_file("front.jpg", JPEG)).pk
    assert assess(facility, evidence=True).results.exclude(evidence="").count() == 1


# --- The request cap ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_larger_than_the_cap_is_refused_before_its_body_is_read(users, client, settings):
    settings.MAX_UPLOAD_MB = 1
    verified_login(client, users["county"])
    big = _file("stations.xlsx", b"\x00" * (1024 * 1024 + 1))
    page = client.post(reverse("network:import"), {"file": big})
    assert page.status_code == 413 and "上传内容超过 1 MB" in page.content.decode()
    api = client.post("/api/v1/auth/token/", {"file": _file("x.bin", b"\x00" * (1024 * 1024 + 1))})
    assert api.status_code == 413 and "1 MB" in api.json()["message"]
    assert client.get(reverse("network:import")).status_code == 200  # an ordinary request passes


# --- The bad-file corpus against an import page ----------------------------------------------------------------


def _corpus() -> dict[str, bytes]:
    good = xlsx([["类型", "区划代码", "名称", "运营状态", "建成日期"]])
    return {
        "empty": b"",
        "text renamed .xlsx": "名称,区划代码\n某站,522301001\n".encode(),
        "truncated xlsx": xlsx([["类型"], ["乡镇（街道）社工站"]] * 50)[:3000],
        "OLE garbage": OLE,
        "NUL bytes": b"\x00" * 4096,
        "header only": good,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(_corpus()))
def test_every_bad_file_gets_a_chinese_message_never_a_server_error(
    users, client, case, django_capture_on_commit_callbacks
):
    verified_login(client, users["county"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:import"), {"file": _file("stations.xlsx", _corpus()[case])})
    if response.status_code == 200:  # refused at the form
        message = " ".join(response.context["form"].errors["file"])
        assert not Job.objects.exists()
    else:
        assert response.status_code == 302
        job = Job.objects.get()
        assert job.status == "failed"
        message = job.message
        assert client.get(response["Location"]).status_code == 200
    assert CHINESE.search(message), message


@pytest.mark.django_db
def test_a_ten_thousand_character_cell_is_a_row_error_not_a_crash(
    users, client, django_capture_on_commit_callbacks
):
    verified_login(client, users["county"])
    template = client.get(reverse("network:import_template")).content
    workbook = load_workbook(BytesIO(template))
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2, sheet.max_row)
    sheet.append(["乡镇（街道）社工站", "522301001", "站" * 10_000, "运营中", dt.date(2024, 1, 1)])
    buffer = BytesIO()
    workbook.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:import"), {"file": _file("stations.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    job = Job.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert job.status in ("succeeded", "failed")
    job.refresh_from_db()
    problems = " ".join(str(e) for e in job.result.get("errors", [])) + job.message
    assert CHINESE.search(problems) and not job.result.get("ok"), problems
