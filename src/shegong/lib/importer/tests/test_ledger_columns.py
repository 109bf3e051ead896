"""Every ledger's columns are those recorded in files/ledger_columns.json: the template's headers (in Chinese
and their English msgids), the order of the columns, the synonyms recognised and their order, the choices and
the spellings each maps to a stored value, the kind, bounds, width, help and cleaner of each column.

The record was taken before the columns were declared through the shared column library (columns.py), so
that the library's defaults change no ledger. A ledger whose columns change on purpose records them again:
``SHEGONG_DEMO=1 PYTHONPATH=src .venv/bin/python -m shegong.lib.importer.tests.test_ledger_columns`` (then read the diff)."""

import json
import pathlib

from django.utils import translation

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
