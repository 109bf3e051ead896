"""Set translations in the zh_Hans catalogue from a small Python dict file: msgid -> msgstr.

Usage: .venv/bin/python scripts/set_translations.py translations.json
Clears the fuzzy flag of each entry it sets; reports msgids it did not find.
"""

import json
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "src/shegong/locale/zh_Hans/LC_MESSAGES/django.po"


def main(path: str) -> None:
    wanted = json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(CATALOGUE), wrapwidth=79)  # as makemessages wraps, to keep diffs small
    found = set()
    for entry in po:
        if entry.msgid in wanted:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: wanted[entry.msgid]}
            else:
                entry.msgstr = wanted[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            found.add(entry.msgid)
    po.save(str(CATALOGUE))
    for missing in sorted(set(wanted) - found):
        print("not in catalogue:", missing)
    print(f"set {len(found)} translations")


if __name__ == "__main__":
    main(sys.argv[1])
