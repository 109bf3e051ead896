"""Cleaning one cell: what a ledger writes, turned into what a field stores.

Each cleaner takes the cell as read (text, number, date or None) and the context (the period the user states,
for dates without a year) and returns the clean value or raises :class:`CellError` with a Chinese message. A
cleaner never guesses a fact that is not in the cell.
"""

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.lib.pii import parse_resident_id, phone_normalise


class CellError(Exception):
    """What is wrong with one cell (already translated)."""


def narrow(text: str) -> str:
    """Full-width digits, letters and punctuation in their ASCII forms (NFKC): for codes, numbers, IDs, dates."""
    return unicodedata.normalize("NFKC", text)


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


def squash(text: str) -> str:
    """A key to compare headers and values by: narrowed, without spaces, line breaks, stars and colons."""
    return re.sub(r"[\s*＊:：※]+", "", narrow(text or "")).lower()


# --- Dates --------------------------------------------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)
_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NO_YEAR = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")


def clean_date(value, *, period: dt.date | None = None, month_only_ok: bool = True) -> dt.date:
    """A date as ledgers write it: a date cell, an Excel serial number, 2022-3-15, 2022/3/15, 2022.3.15,
    2022年3月15日, 20220315; 2022年3月 or 2022.03 (the first of the month, where the field allows a month);
    11月19日 with the year of the stated period."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            if 19000101 <= value <= 21001231 and float(value).is_integer():
                return clean_date(str(int(value)), period=period, month_only_ok=month_only_ok)
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("“%(value)s” is not a date") % {"value": as_text(value)})
    text = narrow(as_text(value)).replace(" ", "")
    try:
        if m := _FULL.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _COMPACT.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH.match(text):
            if not month_only_ok:
                raise CellError(
                    _("“%(value)s” gives a month; this column needs the day too") % {"value": text}
                )
            return dt.date(int(m[1]), int(m[2]), 1)
        if m := _NO_YEAR.match(text):
            if period is None:
                raise CellError(
                    _("“%(value)s” has no year: state the period (month) of the ledger when you upload it")
                    % {"value": text}
                )
            return dt.date(period.year, int(m[1]), int(m[2]))
        if re.fullmatch(r"\d{5}(\.\d+)?", text):  # a serial number that arrived as text (CSV)
            return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    except ValueError as exc:
        raise CellError(_("“%(value)s” is not a date that exists") % {"value": text}) from exc
    raise CellError(_("“%(value)s” is not a date; write it like 2022-03-15") % {"value": text})


def clean_period(text: str) -> dt.date | None:
    """The period the user states for a ledger (2022-11, 2022年11月, 202211): its first day."""
    text = narrow(text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{6}", text):
        text = f"{text[:4]}-{text[4:]}"
    try:
        day = clean_date(text)
    except CellError:
        m = _YEAR.match(text)
        if m:
            return dt.date(int(m[1]), 1, 1)
        raise
    return day.replace(day=1)


# --- Numbers, codes, phones ---------------------------------------------------------------------------------


def clean_int(value, *, min_value=None, max_value=None) -> int:
    if isinstance(value, bool):
        raise CellError(_("should be a whole number"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        text = narrow(as_text(value)).replace(",", "").replace(" ", "")
        text = re.sub(r"(人次|人|个|次|名|户|平方米|㎡|m2|元)$", "", text)
        if not re.fullmatch(r"-?\d+(\.0+)?", text):
            raise CellError(_("should be a whole number, not “%(value)s”") % {"value": as_text(value)})
        value = int(float(text))
    if min_value is not None and value < min_value:
        raise CellError(_("should be at least %(min)s, not %(value)s") % {"min": min_value, "value": value})
    if max_value is not None and value > max_value:
        raise CellError(_("should be at most %(max)s, not %(value)s") % {"max": max_value, "value": value})
    return value


def clean_decimal(value) -> Decimal:
    text = narrow(as_text(value)).replace(",", "").replace(" ", "")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise CellError(_("should be a number, not “%(value)s”") % {"value": as_text(value)}) from exc


def clean_code(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("should be digits, not “%(value)s”") % {"value": as_text(value)})
    text = narrow(as_text(value)).replace(" ", "")
    if not (text.isascii() and text.isdigit()):
        raise CellError(_("should be digits, not “%(value)s”") % {"value": text})
    return text


def clean_phone(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("the phone number was stored as a number and lost digits: set the column to text"))
    text = narrow(as_text(value))
    text = re.sub(r"^(\+?86)[\s-]", "", text)
    try:
        return phone_normalise(text)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def clean_id_number(value) -> str:
    """A resident ID number. A number cell is never taken: Excel keeps 15 significant digits, so an 18-digit
    number has lost its last digits (and may still pass the check character by chance)."""
    text = narrow(as_text(value)).replace(" ", "").upper()
    if (isinstance(value, int | float) and not isinstance(value, bool)) or _SCIENTIFIC.match(text):
        raise CellError(
            _(
                "Excel stored this ID number as a number and dropped its last digits; it was not imported. "
                "Set the column's format to Text, type the number again (or start it with an apostrophe '), "
                "and upload again."
            )
        )
    try:
        return parse_resident_id(text).number
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


# --- Words: sex, yes/no, durations --------------------------------------------------------------------------

SEX = {
    "male": ("男", "男性", "m", "male", "1"),
    "female": ("女", "女性", "f", "female", "2"),
}
YES = ("是", "有", "y", "yes", "true", "1", "√", "✓", "对", "已", "是的")
NO = ("否", "无", "没有", "n", "no", "false", "0", "×", "x", "未", "不是")


def clean_sex(value) -> str:
    key = squash(as_text(value))
    for code, words in SEX.items():
        if key in words:
            return code
    raise CellError(_("“%(value)s” is not 男 or 女") % {"value": as_text(value)})


def clean_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    key = squash(as_text(value))
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(_("“%(value)s” is not 是 or 否") % {"value": as_text(value)})


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(小时|个小时|时|h|hr|hrs|hours?|分钟|分|min|mins|minutes?|天)?$")


def clean_duration(value) -> int:
    """Minutes from 90, 90分钟, 1.5小时, 1小时30分, 1:30, 半天."""
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(round(value))
    text = narrow(as_text(value)).replace(" ", "").lower()
    if text in ("半天",):
        return 240
    if text in ("半小时",):
        return 30
    if m := re.fullmatch(r"(\d+)(?:小时|个小时|时|h)(\d+)(?:分钟|分|min)?", text):
        return int(m[1]) * 60 + int(m[2])
    if m := re.fullmatch(r"(\d+):(\d{2})(?::00)?", text):
        return int(m[1]) * 60 + int(m[2])
    if m := _DURATION.match(text):
        number, unit = float(m[1]), m[2] or "分钟"
        if unit in ("小时", "个小时", "时", "h", "hr", "hrs", "hour", "hours"):
            return int(round(number * 60))
        if unit == "天":
            return int(round(number * 480))
        return int(round(number))
    raise CellError(_("“%(value)s” is not a duration; write 90分钟 or 1.5小时") % {"value": as_text(value)})
