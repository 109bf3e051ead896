"""Finding the table in a sheet: the header row under title rows, two-row merged headers, which column is
which field, and which rows are data (not blank, not 合计, not notes under the table, not a sample row)."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from shegong.lib.importer.cleaning import as_text, squash
from shegong.lib.importer.reading import Book, Sheet

HEADER_SEARCH_ROWS = 20
SERIAL = {"序号", "编号", "no", "no.", "序", "行号", "number"}
SKIP_SHEETS = (
    "说明",
    "填表说明",
    "instructions",
    "说明书",
    "代码表",
    "字典",
    "_lists",
    "aboutthisfile",
    "导出说明",
)
TOTAL = re.compile(r"^(合计|小计|总计|共计|累计|总数)")
NOTE = re.compile(r"^(注|备注|说明|填表|制表|审核|负责人|单位负责人|统计人|联系人|报送|填报|附)[:：、\s]?")
SAMPLE = re.compile(r"示例|样例|例：|请删除")


@dataclass
class Layout:
    sheet: Sheet
    header_first: int  # 0-based index of the first header row
    header_last: int
    columns: dict[int, str]  # column index → field key
    headers: dict[int, str]  # column index → header text as shown (joined for two-row headers)
    unknown: dict[int, str] = field(default_factory=dict)  # column index → header nobody recognised
    serial: list[str] = field(default_factory=list)  # 序号 columns, ignored
    ignored: list[str] = field(default_factory=list)  # columns the user chose to ignore
    skipped_sheets: list[str] = field(default_factory=list)


def _strip_note(text: str) -> str:
    """A header without what ledgers add in brackets: 身份证号码（必填）, 面积(㎡)."""
    return re.sub(r"[（(\[【][^）)\]】]*[）)\]】]", "", text)


def header_keys(text: str) -> list[str]:
    key = squash(text)
    bare = squash(_strip_note(text))
    return [key] if bare == key or not bare else [key, bare]


def _match(text: str, names: dict[str, str]) -> str | None:
    for key in header_keys(text):
        if key in names:
            return names[key]
    return None


def _filled_top(sheet: Sheet, index: int, width: int) -> list[str]:
    """Row ``index``'s texts with merged cells spread over their span (a merged group header over columns)."""
    row = sheet.rows[index] if index < len(sheet.rows) else []
    texts = [as_text(row[j]) if j < len(row) else "" for j in range(width)]
    for r0, c0, r1, c1 in sheet.merged:
        if r0 <= index <= r1 and c0 < width:
            value = as_text(sheet.rows[r0][c0]) if c0 < len(sheet.rows[r0]) else ""
            for j in range(c0, min(c1 + 1, width)):
                texts[j] = value
    return texts


def _candidates(sheet: Sheet, first: int, last: int, width: int) -> dict[int, list[str]]:
    """For each column, the header texts to try: the bottom row's, the top+bottom joined, the top's."""
    top = _filled_top(sheet, first, width)
    if last == first:
        return {j: [top[j]] for j in range(width) if top[j]}
    bottom = _filled_top(sheet, last, width)
    # Without merged-cell records (CSV, some .xls), a group header stands in its first column only.
    spread = list(top)
    for j in range(1, width):
        if not spread[j] and bottom[j] and not any(m[1] <= j <= m[3] for m in sheet.merged if m[0] == first):
            spread[j] = spread[j - 1] if bottom[j - 1] else ""
    result = {}
    for j in range(width):
        options = []
        if bottom[j] and bottom[j] != spread[j]:
            options += [bottom[j], spread[j] + bottom[j]]
        if spread[j]:
            options.append(spread[j])
        if options:
            result[j] = options
    return result


def _score(
    candidates: dict[int, list[str]], names: dict[str, str]
) -> tuple[int, dict[int, str], dict[int, str]]:
    found: dict[int, str] = {}
    shown: dict[int, str] = {}
    used = set()
    for j, options in candidates.items():
        for text in options:
            key = _match(text, names)
            if key and key not in used:
                found[j], shown[j] = key, text
                used.add(key)
                break
    return len(found), found, shown


def _group_row(row: list) -> bool:
    """Whether a row can be the top of a two-row header: several texts, none a "label: value" subtitle (a title
    or a subtitle such as 填报单位：… is one or two cells)."""
    texts = {as_text(c) for c in row if c is not None and as_text(c)}
    return len(texts) >= 2 and not any(re.search(r"[:：]", t) for t in texts)


def find_layout(book: Book, names: dict[str, str], ignore: set[str], required: list[str]) -> Layout | None:
    """The sheet and rows that hold the ledger's header: the one that names most of its fields. ``names``
    maps a squashed header (synonyms and the jurisdiction's saved mappings) to a field key; ``ignore`` are
    squashed headers the user chose to ignore."""
    best = None
    skipped = []
    for sheet in book.sheets:
        if squash(sheet.name) in SKIP_SHEETS or not any(any(c is not None for c in r) for r in sheet.rows):
            skipped.append(sheet.name)
            continue
        width = max((len(r) for r in sheet.rows[: HEADER_SEARCH_ROWS + 1]), default=0)
        for first in range(min(HEADER_SEARCH_ROWS, len(sheet.rows))):
            alone = 0
            for last in (first, first + 1):
                if last >= len(sheet.rows) or (last > first and not _group_row(sheet.rows[first])):
                    continue
                candidates = _candidates(sheet, first, last, width)
                score, found, shown = _score(candidates, names)
                if last == first:
                    alone = score
                elif score <= alone:
                    continue  # the second row adds nothing: it is the first data row
                if score == 0:
                    continue
                # At equal scores a two-row header wins over its second row alone (its top row is not a title).
                rank = (score, last - first)
                if best is None or rank > best[0]:
                    best = (rank, sheet, first, last, found, shown, candidates)
    if best is None:
        return None
    _rank, sheet, first, last, found, shown, candidates = best
    layout = Layout(sheet, first, last, found, shown)
    for other in book.sheets:
        if other is not sheet and other.name not in skipped:
            skipped.append(other.name)
    layout.skipped_sheets = skipped
    for j, options in candidates.items():
        if j in found:
            continue
        text = options[0]
        keys = header_keys(text)
        if keys[0] in SERIAL:
            layout.serial.append(text)
        elif any(k in ignore for k in keys):
            layout.ignored.append(text)
        else:
            layout.unknown[j] = text
    return layout


@dataclass
class Skipped:
    blank: int = 0
    totals: list[int] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    samples: list[int] = field(default_factory=list)


def data_rows(layout: Layout, skipped: Skipped):
    """(Excel row number, row) of each data row under the header; counts what it leaves out in ``skipped``."""
    mapped = sorted(layout.columns)
    ended = False
    for index in range(layout.header_last + 1, len(layout.sheet.rows)):
        row = layout.sheet.rows[index]
        number = index + 1
        texts = [as_text(row[j]) for j in mapped if j < len(row)]
        filled = [t for t in texts if t]
        first = next((as_text(c) for c in row if c is not None and as_text(c)), "")
        if first and TOTAL.match(squash(first)):
            skipped.totals.append(number)
            continue
        if not filled:
            everything = [as_text(c) for c in row if c is not None and as_text(c)]
            if everything and (ended or NOTE.match(squash(everything[0]))):
                skipped.notes.append(number)
                ended = True
            else:
                skipped.blank += 1
            continue
        if any(TOTAL.match(squash(t)) for t in filled[:3]):
            skipped.totals.append(number)
            continue
        if (ended or NOTE.match(first)) and len(filled) <= 2:
            skipped.notes.append(number)
            ended = True
            continue
        if any(SAMPLE.search(t) for t in filled):
            skipped.samples.append(number)
            continue
        yield number, row


def skipped_messages(layout: Layout, skipped: Skipped) -> list[str]:
    """What the user is told was left out, in words."""
    lines = []
    if layout.header_first > 0:
        lines.append(
            _("Rows 1-%(n)d above the header (titles) were skipped.") % {"n": layout.header_first}
            if layout.header_first > 1
            else _("Row 1 above the header (a title) was skipped.")
        )
    if layout.header_last > layout.header_first:
        lines.append(
            _("Rows %(a)d-%(b)d are read as one two-row header.")
            % {"a": layout.header_first + 1, "b": layout.header_last + 1}
        )
    if layout.serial:
        lines.append(_("Serial-number columns ignored: %(cols)s") % {"cols": "、".join(layout.serial)})
    if layout.ignored:
        lines.append(_("Columns ignored as you chose: %(cols)s") % {"cols": "、".join(layout.ignored)})
    if skipped.totals:
        lines.append(_("Total rows skipped: row %(rows)s") % {"rows": _rows(skipped.totals)})
    if skipped.samples:
        lines.append(_("Sample rows skipped: row %(rows)s") % {"rows": _rows(skipped.samples)})
    if skipped.notes:
        lines.append(_("Notes under the table skipped: row %(rows)s") % {"rows": _rows(skipped.notes)})
    if skipped.blank:
        lines.append(_("%(n)d blank rows skipped.") % {"n": skipped.blank})
    if layout.skipped_sheets:
        lines.append(_("Other sheets not read: %(names)s") % {"names": "、".join(layout.skipped_sheets)})
    return lines


def _rows(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:20])
    return shown + ("…" if len(numbers) > 20 else "")
