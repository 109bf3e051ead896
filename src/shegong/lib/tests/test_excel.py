from io import BytesIO

from openpyxl import Workbook, load_workbook

from shegong.lib.excel import Column, build_workbook, read_rows


def _sheet(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_full_width_digits_read_as_ascii_codes_and_numbers():
    columns = [Column("code", "代码", kind="code", required=True), Column("n", "人数", kind="int")]
    [(_row, values, errors)] = list(
        read_rows(_sheet([["代码", "人数"], ["５２２３", "１，２００"]]), columns)
    )
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
    [(_row, _values, errors)] = list(read_rows(_sheet([["类别"], ["丙"]]), columns))
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
