"""The people export reads its rows as tuples (lib/lists.py, the plain export): the workbook is the one the
cell-by-cell path of django-tables2 writes, cell for cell, masked and in clear, with every kind of value the
list shows (choice labels, dates and none, categories in their order, a phone or none, risk levels)."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shegong.clients.lists import PEOPLE, PersonTable
from shegong.clients.models import Person
from shegong.clients.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _people():
    make_person(name="王秀英", categories=["独居", "特困"], phone="13812345678", risk_level="key")
    make_person(name="=HYPERLINK()", visit_every_days=30)
    make_person(name="李四", categories=["特困"], risk_level="watch", address="幸福路 1 号", id_number="")
    late = make_person(name="张三", categories=["独居"])
    Person.objects.filter(pk=late.pk).update(last_visit_on=dt.date(2025, 5, 6))


def _workbook(user, *, clear: bool, plain: bool, monkeypatch) -> list:
    monkeypatch.setattr(PersonTable, "plain_export", plain)
    monkeypatch.setattr(timezone, "localtime", lambda *a: dt.datetime(2025, 1, 2, 3, 4))
    filters = PEOPLE.filter({}, user)
    assert filters.is_valid(), filters.errors
    handle = BytesIO()
    assert PEOPLE.write(handle, user=user, filters=filters, clear=clear, purpose="核对") == 4
    book = load_workbook(BytesIO(handle.getvalue()))
    return [
        (sheet.title, [[(c.value, c.font.b, c.fill.fgColor.rgb) for c in row] for row in sheet.iter_rows()])
        for sheet in book.worksheets
    ]


@pytest.mark.parametrize("clear", [False, True])
def test_the_plain_export_writes_the_workbook_of_the_table_cell_for_cell(users, monkeypatch, clear):
    _people()
    user = users["county"]
    table = _workbook(user, clear=clear, plain=False, monkeypatch=monkeypatch)
    plain = _workbook(user, clear=clear, plain=True, monkeypatch=monkeypatch)
    assert plain == table
    # The plain path ran (not a silent fall back to the cells of the table).
    _columns, rows = PEOPLE.export_rows(PEOPLE.filter({}, user).qs, clear=clear)
    assert rows.__name__ == "_plain_rows"
    (_title, rows), (_about, about) = plain
    header, *data = [[value for value, _bold, _fill in row] for row in rows]
    assert header[9] == "风险等级" and len(data) == 4
    by_name = {row[0]: row for row in data}
    person = Person.objects.get(name="=HYPERLINK()")  # sex and birth date: from its (random) ID number
    assert by_name["'=HYPERLINK()"][2] == person.get_sex_display() in ("男", "女")
    assert by_name["'=HYPERLINK()"][3] == person.birth_date.isoformat()
    assert by_name["王秀英"][8] == "特困、独居" and by_name["王秀英"][9] == "重点"
    assert by_name["张三"][12] == "2025-05-06" and by_name["李四"][12] == "—" and by_name["李四"][1] is None
    phone = by_name["王秀英"][4]
    assert phone == ("13812345678" if clear else "138****5678")
    assert by_name["王秀英"][1].count("*") == (0 if clear else 8)
    assert [value for value, _b, _f in about[0]] == ["列表", "服务对象"]
