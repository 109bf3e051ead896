"""Reading what bureaus have, and finding the table in it (no database)."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from shegong.lib.importer.reading import ReadError, read_book
from shegong.lib.importer.table import Skipped, data_rows, find_layout, skipped_messages
from shegong.lib.importer.tests.corpus import csv_bytes, xlsx, zip_bomb

FILES = Path(__file__).parent / "files"
NAMES = {
    "姓名": "name",
    "身份证号": "id",
    "身份证号码": "id",
    "联系电话": "phone",
    "电话": "phone",
    "出生日期": "born",
}


def _layout(data):
    book = read_book(data)
    return find_layout(book, NAMES, set(), ["name"])


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False)]
)
def test_csv_in_utf8_or_gbk_with_or_without_bom(encoding, bom):
    data = csv_bytes([["姓名", "身份证号码"], ["王秀英", "522301195001010011"]], encoding=encoding, bom=bom)
    layout = _layout(data)
    assert sorted(layout.columns.values()) == ["id", "name"]
    assert [r[0] for _n, r in data_rows(layout, Skipped())] == ["王秀英"]


def test_title_rows_two_row_header_totals_notes_and_other_sheets_are_skipped_and_said():
    rows = [
        ["序号", "基本信息", None, "联系方式"],
        [None, "姓名", "身份证号码", "电话"],
        [1, "王秀英", "522301195001010011", "13800001234"],
        [None, None, None, None],
        [2, "李德明", "522301194802020013", "13800001235"],
        ["合计", None, None, None],
        ["注：本表每月报送"],
        ["填表人：张三"],
    ]
    data = xlsx(
        rows,
        title_rows=[["兴义市困难群众台账"], ["（2024年11月）"]],
        merged=["B3:C3", "A3:A4"],
        sheets={"说明": [["填表说明"]]},
    )
    layout = _layout(data)
    assert layout.header_first == 2 and layout.header_last == 3
    assert sorted(layout.columns.values()) == ["id", "name", "phone"]
    skipped = Skipped()
    assert [number for number, _r in data_rows(layout, skipped)] == [5, 7]
    assert skipped.totals == [8] and skipped.notes == [9, 10] and skipped.blank == 1
    said = " ".join(skipped_messages(layout, skipped))
    assert "说明" in said and "8" in said and "序号" in said


def test_legacy_xls_is_read(tmp_path):
    book = read_book((FILES / "group-ledger.xls").read_bytes())
    assert book.kind == "xls" and [s.name for s in book.sheets] == ["服务台账", "说明"]
    assert book.sheets[0].rows[3][:4] == [1, "2024年11月19日", "长者健康小组", 12]


def _good() -> bytes:
    workbook = Workbook()
    workbook.active.append(["姓名"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "空"),
        (b"   \n\n", "空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00garbage" * 100, "xls"),
        (_good()[:900], "损坏"),
        (b"PK\x03\x04" + b"\x00" * 100, "Excel"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "二进制"),
        ("姓名\x00,电话\n".encode(), "NUL"),
        (bytes(range(128, 256)) * 10, "GBK"),
    ],
)
def test_bad_files_get_a_clear_message(data, words):
    with pytest.raises(ReadError) as caught:
        read_book(data)
    # The message is Chinese once translated; in tests the catalogue is active, so check the key word.
    assert words.lower() in str(caught.value).lower() or any(
        "\u4e00" <= c <= "\u9fff" for c in str(caught.value)
    )


def test_a_zip_bomb_is_refused_before_it_is_inflated(settings):
    settings.SHEET_MAX_UNCOMPRESSED_MB = 64
    with pytest.raises(ReadError, match="MB"):
        read_book(zip_bomb())
