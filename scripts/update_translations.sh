#!/usr/bin/env bash
# Refresh the Simplified Chinese catalogue from the source, compile it, and say how much is left to translate.
#
# The UI is written with English msgids; the product speaks Simplified Chinese. Run this after adding or changing
# any marked string, translate what it reports in src/shegong/locale/zh_Hans/LC_MESSAGES/django.po, and run it
# again. Needs GNU gettext (xgettext) for extraction; compiling is pure Python (polib).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
export DJANGO_SETTINGS_MODULE=shegong.settings
export SHEGONG_DEMO=1

LOCALE_DIR="$ROOT/src/shegong/locale"
mkdir -p "$LOCALE_DIR/zh_Hans/LC_MESSAGES"

cd "$ROOT/src/shegong"
"$VENV/bin/django-admin" makemessages -l zh_Hans --no-obsolete --no-location \
    -e html,py,txt \
    --ignore 'tests/*' --ignore '*/tests/*' --ignore 'migrations/*' --ignore '*/migrations/*' \
    --ignore 'static/vendor/*' --ignore 'conftest.py' --ignore 'testing.py'

# JavaScript catalogue: only when some script of our own actually calls gettext().
if grep -rlE '\b(n|p|np)?gettext\(|interpolate\(' --include='*.js' static --exclude-dir=vendor >/dev/null 2>&1; then
    "$VENV/bin/django-admin" makemessages -d djangojs -l zh_Hans --no-obsolete --no-location \
        --ignore 'static/vendor/*' --ignore 'node_modules/*'
else
    echo "no JavaScript strings marked for translation; djangojs skipped"
fi

cd "$ROOT"
"$VENV/bin/shegong" compile_translations

"$VENV/bin/python" - "$LOCALE_DIR" <<'PY'
import sys
from pathlib import Path

import polib

total_left = 0
for po_path in sorted(Path(sys.argv[1]).glob("*/LC_MESSAGES/*.po")):
    po = polib.pofile(str(po_path))
    untranslated = po.untranslated_entries()
    fuzzy = [e for e in po.fuzzy_entries() if not e.obsolete]
    total_left += len(untranslated) + len(fuzzy)
    print(
        f"{po_path.relative_to(Path(sys.argv[1]).parent)}: {len(po.translated_entries())} translated, "
        f"{len(untranslated)} untranslated, {len(fuzzy)} fuzzy"
    )
    for entry in untranslated + fuzzy:
        flag = "fuzzy" if entry in fuzzy else "untranslated"
        print(f"  [{flag}] {entry.msgid!r}")
print(f"{total_left} entries need translation")
PY
