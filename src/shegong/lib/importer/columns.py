"""The columns ledgers declare, each in one line: the columns several ledgers share (an ID number, a station,
a phone, a note) declared once here, and a maker per kind of column (a date, a number, a year, an amount in
yuan, a choice, a reference) that holds its usual shape (width, bounds, cleaner), so that a ledger gives only
what is its own: key, header, synonyms and what differs::

    from shegong.lib.importer import columns as col

    fields = [
        col.id_number("服务对象身份证号", width=20),
        col.station(required=True),
        col.date("held_on", gettext_lazy("Date"), ("活动日期", "日期"), required=True),
        col.choice("kind", gettext_lazy("Type"), Kind.choices, {Kind.TALK: ("讲座", "宣讲")}, ("类型",)),
        col.note(),
    ]

Every maker returns a new :class:`~shegong.lib.importer.ledger.Field` (a ledger may change its own), and any
attribute of a Field may still be given by name (``required=True``, ``width=20``, ``help=...``).
"""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy

from shegong.lib.importer import common
from shegong.lib.importer.common import ID_NUMBER, STATION, money, money_or_zero
from shegong.lib.importer.ledger import Field

PHONE = ("联系电话", "电话", "手机号", "手机", "联系方式", "手机号码")


def words(text: str) -> tuple[str, ...]:
    """Spellings written as one string separated by spaces (no header has one): a list too long for a line."""
    return tuple(text.split())


def spelled(spellings: Mapping) -> dict:
    """A choice column's words as the engine reads them (spelling → stored value), from the way a ledger
    declares them: each stored value with the spellings ledgers write for it, a value a line."""
    return {word: value for value, written in spellings.items() for word in written}


def column(key: str, label, synonyms: Iterable[str], **options) -> Field:
    """Any column: ``options`` are the Field's attributes (kind, required, bounds, width ...)."""
    return Field(key, label, synonyms=tuple(synonyms), **options)


def text(key: str, label, synonyms: Iterable[str], max_length: int, **options) -> Field:
    """Free text of at most ``max_length`` characters."""
    return column(key, label, synonyms, max_length=max_length, **options)


def date(key: str, label, synonyms: Iterable[str], *, width: int = 12, **options) -> Field:
    """A date as ledgers write it (2024-03-05, 2024年3月5日, 2024.3.5, an Excel date)."""
    return column(key, label, synonyms, kind="date", width=width, **options)


def number(
    key: str, label, synonyms: Iterable[str], most: int | None, *, least=0, width=10, **options
) -> Field:
    """A whole number from ``least`` to ``most`` (people, participants, staff; None: no bound)."""
    return column(key, label, synonyms, kind="int", min_value=least, max_value=most, width=width, **options)


def year(key: str, label, synonyms: Iterable[str], *, clean=common.year, width: int = 10, **options) -> Field:
    """A year as ledgers write it (2024, 2024年, 2024年度), checked by ``clean`` (from 2000 to this year)."""
    return column(key, label, synonyms, kind="int", clean=clean, width=width, **options)


def amount(key: str, label, synonyms: Iterable[str], *, zero_ok=False, width: int = 12, **options) -> Field:
    """Yuan as ledgers write them (common.money): more than 0, or 0 too with ``zero_ok``."""
    clean = money_or_zero if zero_ok else money
    return column(key, label, synonyms, kind="decimal", clean=clean, width=width, **options)


def choice(key: str, label, choices, spellings: Mapping, synonyms: Iterable[str], **options) -> Field:
    """One of ``choices`` ((stored value, label) pairs, a TextChoices' ``choices``), recognised by its label,
    its stored value, or one of the ``spellings`` given for it ({stored value: (spelling, ...)})."""
    values = spelled(spellings)
    return column(key, label, synonyms, kind="choice", choices=list(choices), values=values, **options)


def ref(key: str, label, resolve: str, synonyms: Iterable[str], *, max_length: int = 64, **options) -> Field:
    """A name or code that the ``resolve`` resolver (resolvers.py) turns into an object of the user's
    jurisdiction."""
    return column(key, label, synonyms, kind="ref", resolve=resolve, max_length=max_length, **options)


# --- Columns several ledgers share --------------------------------------------------------------------------


def id_number(*extra: str, **options) -> Field:
    """The resident ID number (checked, check digit and all); ``extra`` spellings after the usual ones."""
    return column("id_number", gettext_lazy("ID number"), (*ID_NUMBER, *extra), kind="id_number", **options)


def station(
    *extra: str, label=None, synonyms: Iterable[str] | None = None, width: int = 24, **options
) -> Field:
    """The station a row belongs to, by name (or code): the usual spellings and ``extra`` ones, or the
    ``synonyms`` of a ledger that writes it otherwise."""
    words = (*STATION, *extra) if synonyms is None else synonyms
    label = gettext_lazy("Station") if label is None else label
    return ref("station", label, "station", words, max_length=100, width=width, **options)


def division(synonyms: Iterable[str], label=None, **options) -> Field:
    """The county, township, village or community a row is of, by name or division code, in the user's
    jurisdiction."""
    label = gettext_lazy("Division") if label is None else label
    return ref("region", label, "division", synonyms, **options)


def phone(key="phone", label=None, synonyms: Iterable[str] = PHONE, *, width: int = 14, **options) -> Field:
    """A phone number (mobile or landline, checked)."""
    label = gettext_lazy("Phone") if label is None else label
    return column(key, label, synonyms, kind="phone", width=width, **options)


def note(synonyms: Iterable[str] = ("备注",), *, max_length: int = 200, width: int = 20, **options) -> Field:
    """The row's note (备注)."""
    return text("note", gettext_lazy("Note"), synonyms, max_length, width=width, **options)


# --- A row's values as a service takes them -----------------------------------------------------------------


def entry(values: Mapping, *keys: str, **blank) -> dict:
    """A row's values as the service that writes them takes them: each of ``keys`` as read (a required
    column), and each column named in ``blank`` as read, or the value given there when the cell was empty
    (``note=""``, ``participants=0``); ``None`` there: as read, None when absent. A service that names a
    value otherwise, or takes it converted, is given it by the ledger after this."""
    found = {key: values[key] for key in keys}
    for key, empty in blank.items():
        found[key] = values.get(key) if empty is None else (values.get(key) or empty)
    return found
