"""Every ledger's columns are those recorded in files/ledger_columns.json: the template's headers (in Chinese
and their English msgids), the order of the columns, the synonyms recognised and their order, the choices and
the spellings each maps to a stored value, the kind, bounds, width, help and cleaner of each column.

The record was taken before the columns were declared through the shared column library (columns.py), so
that the library's defaults change no ledger. A ledger whose columns change on purpose records them again
(then read the diff):
``SHEGONG_DEMO=1 PYTHONPATH=src .venv/bin/python -m shegong.lib.importer.tests.test_ledger_columns``.

Then the library's own parts: a choice's spellings, a column per call, a service's error put on the column."""

import json
import pathlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shegong.lib.importer import columns as col
from shegong.lib.importer.common import STATION, errors_on
from shegong.lib.importer.ledger import LEDGERS, Field

RECORD = pathlib.Path(__file__).parent / "files" / "ledger_columns.json"


def _column(f: Field) -> dict:
    with translation.override("zh-hans"):
        header, help_zh = str(f.label), str(f.help)
    with translation.override("en"):
        return {
            "key": f.key,
            "label": str(f.label),
            "header": header,
            "kind": f.kind,
            "required": f.required,
            "synonyms": list(f.synonyms),
            "choices": [[str(code), str(label)] for code, label in f.choices],
            "values": {word: str(code) for word, code in sorted(f.values.items())},
            "resolve": f.resolve,
            "max_length": f.max_length,
            "min_value": f.min_value,
            "max_value": f.max_value,
            "width": f.width,
            "help": [str(f.help), help_zh],
            "clean": f.clean and f"{f.clean.__module__}.{f.clean.__qualname__}",
        }


def columns() -> dict:
    return {key: [_column(f) for f in LEDGERS[key].fields] for key in sorted(LEDGERS)}


def test_every_ledger_declares_the_recorded_columns():
    recorded = json.loads(RECORD.read_text())
    found = columns()
    assert sorted(found) == sorted(recorded)
    for key in recorded:
        assert [c["key"] for c in found[key]] == [c["key"] for c in recorded[key]], key
        for mine, theirs in zip(found[key], recorded[key], strict=True):
            assert mine == theirs, (key, mine["key"])


def test_a_choice_column_reads_each_spelling_as_its_value():
    f = col.choice(
        "online", "Online", [("1", "Online"), ("0", "In person")], {"1": ("是", "网络")}, ("形式",)
    )
    assert (f.kind, f.values, f.synonyms) == ("choice", {"是": "1", "网络": "1"}, ("形式",))
    assert col.spelled({"a": ("x", "y"), "b": ("z",)}) == {"x": "a", "y": "a", "z": "b"}
    assert col.words("村（社区） 所在村（社区）\n 村居") == ("村（社区）", "所在村（社区）", "村居")


def test_each_maker_returns_a_column_of_its_own():
    first, second = col.station(required=True), col.station()
    first.synonyms += ("举办站点",)
    assert (first.required, second.required, second.synonyms) == (True, False, STATION)


def test_a_service_error_on_its_own_field_is_put_on_the_ledger_column():
    with pytest.raises(ValidationError) as caught, errors_on(visitor="worker"):
        raise ValidationError({"visitor": "not a social worker of this station"})
    assert caught.value.message_dict == {"worker": ["not a social worker of this station"]}
    with pytest.raises(ValidationError) as caught, errors_on(visitor="worker"):
        raise ValidationError({"visited_on": "in the future"})
    assert caught.value.message_dict == {"visited_on": ["in the future"]}
    with pytest.raises(ValidationError) as caught, errors_on(visitor="worker"):
        raise ValidationError("the file is closed")
    assert caught.value.messages == ["the file is closed"]


if __name__ == "__main__":
    import os  # lazy: only when recording by hand

    import django  # lazy: only when recording by hand

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings_test")
    django.setup()
    ledgers = [
        f"{json.dumps(key)}: [\n" + ",\n".join(json.dumps(c, ensure_ascii=False) for c in found) + "\n]"
        for key, found in columns().items()
    ]
    RECORD.write_text("{\n" + ",\n".join(ledgers) + "\n}\n")  # a column a line: diffs name the column
