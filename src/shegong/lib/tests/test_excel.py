from io import BytesIO

from openpyxl import Workbook, load_workbook

from shegong.lib.excel import Column, build_workbook, read_rows
from shegong.lib.importer.tests.corpus import xlsx


def test_full_width_digits_read_as_ascii_codes_and_numbers():
    columns = [Column("code", "代码", kind="code", required=True), Column("n", "人数", kind="int")]
    [(_row, values, errors)] = list(read_rows(xlsx([["代码", "人数"], ["５２２３", "１，２００"]]), columns))
    assert errors == []
    assert values == {"code": "5223", "n": 1200}


def test_long_dropdown_lists_go_to_a_hidden_sheet():
    choices = [f"选项{i}，含逗号" for i in range(60)]
    data = build_workbook("模板", [Column("c", "类别", kind="choice", choices=choices)])
    workbook = load_workbook(BytesIO(data))
    lists = workbook["_lists"]
    assert lists.sheet_state == "hidden"
    assert [lists.cell(row=i + 1, column=1).value for i in range(60)] == choices
    validation = workbook.worksheets[0].data_validations.dataValidation[0]
    assert validation.formula1 == "_lists!$A$1:$A$60"


def test_a_wrong_choice_is_an_error_naming_the_choices():
    columns = [Column("c", "类别", kind="choice", choices=["甲", "乙"])]
    [(_row, _values, errors)] = list(read_rows(xlsx([["类别"], ["丙"]]), columns))
    assert errors and errors[0].row == 2 and errors[0].column == "类别"


def test_exported_cells_cannot_run_formulas():
    data = build_workbook("导出", [Column("a", "甲")], rows=[["=1+1"], ["-2"], ["正常"]])
    values = [
        row[0] for row in load_workbook(BytesIO(data)).worksheets[0].iter_rows(min_row=2, values_only=True)
    ]
    assert values == ["'=1+1", "'-2", "正常"]


def test_translated_labels_are_written_as_text():
    from django.utils.translation import gettext_lazy

    data = build_workbook("导出", [Column("a", "甲")], rows=[[gettext_lazy("Township")]])
    [value] = [
        row[0] for row in load_workbook(BytesIO(data)).worksheets[0].iter_rows(min_row=2, values_only=True)
    ]
    assert value == "乡镇（街道）"


def _values_by_openpyxl_and_by_ours(data: bytes) -> tuple[list[tuple], list[tuple]]:
    from shegong.lib.excel import _fast_rows

    def trimmed(rows):
        out = [tuple(r[: max([i + 1 for i, v in enumerate(r) if v is not None] or [0])]) for r in rows]
        while out and out[-1] == ():
            out.pop()
        return out

    sheet = load_workbook(BytesIO(data), read_only=True, data_only=True).worksheets[0]
    theirs = trimmed(sheet.iter_rows(min_row=2, values_only=True))
    return theirs, trimmed(_fast_rows(sheet))


def _cells_of_every_kind(write_only: bool) -> bytes:
    import datetime as dt

    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    sheet.append(["姓名", "数", "小数", "日期", "是否", "公式", "代码"])
    sheet.append(["张三", 12, 1.5, dt.date(2020, 3, 4), True, "=1+1", "522301001001"])
    sheet.append([None] * 7)
    sheet.append(["", "a&b<c>", 1e20, dt.datetime(2021, 1, 2, 3, 4), False, None, "５２２３"])
    sheet.append([None, None, None, None, None, None, "x"])
    if not write_only:
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont

        sheet["A9"] = CellRichText(["粗", TextBlock(InlineFont(b=True), "体")])
        sheet["C9"] = dt.time(3, 4)
        sheet["AB9"] = "far right"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_streaming_reader_gives_what_openpyxl_gives_for_every_kind_of_cell():
    # Shared strings, numbers, dates, booleans, formulas, gaps between rows, rich text and far columns
    # (a normal workbook); inline strings and no dimension record (a write-only one).
    for write_only in (False, True):
        theirs, ours = _values_by_openpyxl_and_by_ours(_cells_of_every_kind(write_only))
        assert ours == theirs
        assert ours[0][:5] == ("张三", 12, 1.5, ours[0][3], True) and ours[0][3].year == 2020


def test_row_numbers_count_the_empty_rows_excel_leaves_out():
    workbook = Workbook()
    workbook.active.append(["姓名"])
    workbook.active["A5"] = "第五行"
    buffer = BytesIO()
    workbook.save(buffer)
    rows = list(read_rows(buffer.getvalue(), [Column("name", "姓名", required=True)]))
    assert [(number, values["name"]) for number, values, _e in rows] == [(5, "第五行")]


def test_a_sheet_with_a_document_type_declaration_is_refused():
    import zipfile

    import pytest

    from shegong.lib.excel import SheetError

    source = BytesIO(xlsx([["姓名"], ["张三"]]))
    target = BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            content = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = content.index(b"<worksheet")
                doctype = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                content = content[:start] + doctype + content[start:]
            new.writestr(item, content)
    with pytest.raises(SheetError):
        list(read_rows(target.getvalue(), [Column("name", "姓名")]))


def test_rows_are_read_lazily():
    data = xlsx([["姓名"]] + [[f"人{i}"] for i in range(3000)])
    rows = read_rows(data, [Column("name", "姓名")])
    assert next(rows)[1] == {"name": "人0"}
    rows.close()  # the workbook is closed with the generator


def test_a_streamed_workbook_continues_on_a_new_sheet_when_one_is_full():
    from io import BytesIO

    from openpyxl import load_workbook

    from shegong.lib.excel import Column, stream_workbook

    columns = [Column("name", "姓名", width=12), Column("n", "序号", kind="int", width=8)]
    data = stream_workbook("服务对象", columns, ([f"张{n}", n] for n in range(5)), sheet_rows=2)
    workbook = load_workbook(BytesIO(data))
    assert workbook.sheetnames == ["服务对象", "服务对象 (2)", "服务对象 (3)"]
    first = workbook["服务对象"]
    assert [c.value for c in first[1]] == ["姓名", "序号"] and first["A1"].font.bold
    values = [row for sheet in workbook for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == [(f"张{n}", n) for n in range(5)]
    empty = load_workbook(BytesIO(stream_workbook("空", columns, iter(()))))
    assert [c.value for c in empty.active[1]] == ["姓名", "序号"] and empty.active.max_row == 1


def test_sheet_size_from_the_head_matches_openpyxls_full_parse():
    """lib/excel replaces openpyxl's read-only size lookup (which parses a sheet without a <dimension> record
    to its end) with one that stops at <sheetData>; the answer must be the same."""
    import zipfile

    from openpyxl.worksheet._reader import WorkSheetParser

    from shegong.lib.excel import sheet_dimensions

    normal, write_only = Workbook(), Workbook(write_only=True)
    normal.active.append(["姓名", "序号"])
    normal.active["C7"] = "远处"
    sheet = write_only.create_sheet()
    for n in range(300):
        sheet.append([f"张{n}", n])
    answers = []
    for workbook in (normal, write_only):
        buffer = BytesIO()
        workbook.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            with archive.open(name) as source:
                theirs = WorkSheetParser(source, []).parse_dimensions()
            with archive.open(name) as source:
                ours = sheet_dimensions(source)
        assert ours == theirs
        answers.append(ours)
        opened = load_workbook(BytesIO(buffer.getvalue()), read_only=True)
        assert opened.worksheets[0].max_row == (theirs[3] if theirs else None)
    assert answers == [(1, 1, 3, 7), None]
