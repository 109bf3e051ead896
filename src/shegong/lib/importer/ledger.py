"""How a ledger is declared: its columns (:class:`Field`) and one write call into its domain's service.

A domain declares each ledger in its ``ledgers.py`` (found at start-up, like admin.py)::

    from shegong.lib.importer import Field, Ledger, register

    @register
    class ServiceLedger(Ledger):
        key = "casework.services"
        title = gettext_lazy("Service records")
        models = (ServiceRecord,)          # what write() creates: journaled, taken back if the import fails
        fields = [
            Field("served_on", gettext_lazy("Date of service"), kind="date", required=True,
                  synonyms=("服务日期", "日期")),
            Field("worker", gettext_lazy("Social worker"), kind="ref", resolve="worker", required=True),
            ...
        ]

        def write(self, row, ctx):         # one row, inside the engine's transaction
            return [services.service_record_create(actor=ctx.user, ...)]

The ledgers name their columns through columns.py (``col.date(...)``, ``col.id_number()``, ``col.station()``),
which makes these Fields with the shapes the ledgers share.

The engine reads, finds the header, maps, cleans each cell by its ``kind``, resolves names (``resolve``), runs
the ledger's ``prepare`` (batch look-ups over all rows) and ``check`` (cross-row rules), previews, and commits.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shegong.accounts.roles import Cap
from shegong.lib.importer.cleaning import squash
from shegong.lib.pii import mask_id_number, mask_phone

KINDS = (
    "text",
    "code",
    "int",
    "decimal",
    "date",
    "month",
    "phone",
    "id_number",
    "sex",
    "bool",
    "choice",
    "duration",
    "ref",
)


@dataclass
class Field:
    """One column of a ledger.

    ``kind`` says how a cell is cleaned (see cleaning.py); ``choices`` are (stored value, label) pairs for a
    ``choice`` (or ``bool``/``sex`` with stored values other than True/False) field; ``values`` maps further
    words a ledger writes to a stored value (本科 → bachelor); ``resolve`` names a resolver (resolvers.py:
    region, village, township, station, worker, agency) for a ``ref`` field, which turns a name or code into
    an object of the user's jurisdiction."""

    key: str
    label: Any  # the template's header (lazy text)
    kind: str = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: list[tuple[Any, Any]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    resolve: str = ""
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    width: int = 16
    help: Any = ""
    clean: Callable | None = None  # a cleaner of its own: (value, ctx) -> value, raising CellError

    def names(self) -> set[str]:
        return {squash(str(self.label)), *(squash(s) for s in self.synonyms)}


@dataclass(eq=False)
class Row:
    """One data row of the file: the cells of the mapped columns (``cells``), their clean values (``values``)
    and what is wrong with them (``errors``: field key, or "" for the row as a whole, and a message)."""

    number: int  # the row number Excel shows
    cells: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error(self, key: str, message: str) -> None:
        self.errors.append((key, str(message)))

    @property
    def ok(self) -> bool:
        return not self.errors


class Ledger:
    """A kind of ledger a bureau keeps. Subclass, set the attributes, implement :meth:`write`."""

    key: str = ""
    title: Any = ""
    capability: str = Cap.DATA_EDIT  # who may import it: data entry, unless the ledger names another
    fields: list[Field] = []
    models: tuple = ()  # the models write() creates (journaled on SQLite)
    batch_size = 1000  # rows per short transaction (SQLite), which write_many writes at once
    needs_period = False  # a ledger with dates without a year ("11月19日") asks for the period
    note: Any = ""  # the template's instructions

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def choices_for(self, key: str, user) -> list[tuple]:
        """(stored value, label) pairs a field takes for this user (a service menu differs by region)."""
        return list(self.field(key).choices)

    def prepare(self, rows: list[Row], ctx) -> None:
        """Batch look-ups over all rows whose cells are clean (people by ID number ...); set values/errors."""

    def check(self, rows: list[Row], ctx) -> None:
        """Rules across rows and the domain's rules (a facility's validation ...); set errors."""

    def write(self, row: Row, ctx) -> list:
        """Write one checked row through the domain's service; return the model instances created."""
        raise NotImplementedError

    def write_many(self, rows: list[Row], ctx) -> tuple[list, list[Row]]:
        """Optional, the batch write: write the rows of a batch that can go in at once through a bulk service
        of the domain that shares the one-row service's validation (service_records_create_many,
        visits_create_many, volunteers_create_many, workers_register_many); returns (the model instances
        created, the rows left for :meth:`write`). Called once per ``batch_size`` rows inside the batch's
        journaled transaction. A ValidationError sends the whole batch through write(), row by row, which
        names the row. The default writes nothing at once."""
        return [], rows

    def finish(self, ctx) -> None:
        """Once, after the last batch of an import that wrote rows: inside its transaction (PostgreSQL), or on
        SQLite in a short one of its own before the journal is forgotten (a failure takes the import back).
        What a ledger does once rather than per batch: the people's per-village counts."""

    def summary(self, ctx) -> dict:
        """Keys a confirmed import's result adds (counts the ledger kept in ``ctx.cache`` as it wrote); an
        ``audit`` dict goes to the import's audit row rather than into the stored result."""
        return {}

    def fingerprint(self, row: Row) -> str | None:
        """The text that identifies the row's fact, so that uploading the same file again adds nothing; None
        where the domain itself refuses duplicates."""
        parts = []
        for f in self.fields:
            value = row.values.get(f.key)
            parts.append(str(getattr(value, "pk", value) if value is not None else ""))
        return "|".join(parts)

    def preview(self, row: Row) -> dict:
        """What the preview table shows of a row: label → text."""
        result = {}
        for f in self.fields:
            value = row.values.get(f.key)
            if value not in (None, ""):
                result[str(f.label)] = _display(f, value)
        return result

    def undo(self, job) -> int | None:
        """Take back what a failed import wrote (jobs/journal.py): None uses the journal's own undo."""
        return None


def _display(f: Field, value) -> str:
    if f.kind == "id_number":
        return mask_id_number(value)
    if f.kind == "phone":
        return mask_phone(value)
    if f.choices:
        labels = {code: str(label) for code, label in f.choices}
        if value in labels:
            return labels[value]
    return str(value)


LEDGERS: dict[str, Ledger] = {}


def register(cls):
    """Class decorator: make the ledger known to the engine, the pages and the API."""
    LEDGERS[cls.key] = cls()
    return cls


def ledger_get(key: str) -> Ledger | None:
    return LEDGERS.get(key)


def ledgers_for(user) -> list[Ledger]:
    return [ledger for ledger in LEDGERS.values() if user.can(ledger.capability)]
