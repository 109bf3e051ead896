"""Where input is declared: one :class:`Input` per entity (a domain's ``inputs.py``), from which the page's
form fields (``form()``), the API's input serializer (``serializer()``) and the limits of the ledger's columns
(``column()``) are made, so that a label, a length, a choice list, a bound or whether a value is required is
written once. The model field is the truth for what it says (length, choices, blank and null, default); the
declaration adds the label and what differs. Each surface adds what is its own (a form-only field, a read-only
field of the API, a column's spellings and width) and places it with ``field_order`` (a form's own; on a
serializer alike). What a surface takes otherwise on purpose is said in the declaration: ``form={...}``,
``api={...}`` (keyword arguments over the derived ones), a callable making the field, or False (not taken).
The rules stay in the services. docs/architecture.md, "Where input is declared", shows the person's.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from shegong.lib.importer import columns as col
from shegong.lib.importer.cleaning import CellError, clean_phone
from shegong.lib.importer.ledger import Field


def not_future(day) -> None:
    """A date of a fact that happened: one not yet come is refused, as the ledgers refuse it (no_future)."""
    if day and day > timezone.localdate():
        raise ValidationError(gettext_lazy("The date is in the future."))


def phone_number(value) -> None:
    """A phone number (a mobile or a landline, 7 to 12 digits) as the ledgers' phone columns check it
    (cleaning.clean_phone), with their message: the page and the API refuse what a ledger refuses."""
    if value:
        try:
            clean_phone(value)
        except CellError as exc:
            raise ValidationError(str(exc)) from exc


# The days a date typed on a page or sent to the API may fall on: beyond them no fact of this system lies, and
# a date of year 9999 or year 1 reached the services, whose date arithmetic then overflowed (a server error).
EARLIEST_DAY, LATEST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def within_dates(day) -> None:
    if day and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            gettext_lazy("The date must lie between %(first)s and %(last)s."),
            params={"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()},
        )


def integer_range(f: models.Field) -> tuple[int | None, int | None]:
    """The least and most an integer column holds on every database we run on (PostgreSQL's ranges; SQLite's
    are wider): a number typed beyond them is refused on its field rather than by the database."""
    return BaseDatabaseOperations.integer_field_ranges.get(f.get_internal_type(), (None, None))


def _validators(s: "In") -> list:
    checks = ((s.past, not_future), (s.phone, phone_number), (s.kind == "date", within_dates))
    return [check for flag, check in checks if flag]


# A date and a time on a page: the browser's own pickers.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


@dataclass(frozen=True)
class In:
    """One field as the user gives it. Anything left None is taken from the model field of the same name."""

    label: Any = ""
    help_text: Any = None
    max_length: int | None = None
    choices: list | None = None
    min_value: int | None = None
    max_value: int | None = None
    required: bool | None = None  # None: the model field's (not blank)
    initial: Any = None  # None: the model field's default (a choice or a number)
    blank: Any = "—"  # the page's label of "none chosen" in an optional choice
    number: bool = False  # an integer with choices: a number within their bounds on the API and in ledgers
    widget: Any = None
    kind: str = ""  # text, choice, int, date, time, bool, ref; "": from the model field
    integer: bool = False  # a choice whose stored values are whole numbers
    null: bool = False
    past: bool = False  # a date of a fact that happened: not after today (the ledgers' no_future)
    phone: bool = False  # a phone number, checked as the ledgers' phone columns check it (phone_number)
    form: Any = None  # the page's field: keyword arguments, a callable making it, or False (not on the page)
    api: Any = None  # the API's field: likewise


def _kind(f: models.Field) -> str:
    if f.is_relation:
        return "ref"
    if f.choices:
        return "choice"
    if isinstance(f, models.BooleanField):
        return "bool"
    if isinstance(f, models.IntegerField):
        return "int"
    if isinstance(f, models.TimeField):
        return "time"
    if isinstance(f, models.DateField):
        return "date"
    return "text"


def _from_model(model, name: str, given: In) -> In:
    """The declaration with what it left out taken from the model field ``name`` (if the model has one)."""
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field the model lacks: the declaration says all
        return replace(given, kind=given.kind or "text", required=bool(given.required))
    kind = given.kind or _kind(f)
    default = f.default if f.has_default() and not callable(f.default) and kind in ("choice", "int") else None
    choices = given.choices if given.choices is not None else (list(f.choices) if f.choices else None)
    found = replace(
        given,
        kind=kind,
        max_length=given.max_length or (f.max_length if kind == "text" else None),
        choices=choices,
        required=(not f.blank) if given.required is None else given.required,
        help_text=f.help_text if given.help_text is None else given.help_text,
        integer=isinstance(f, models.IntegerField),
        null=f.null,
        initial=given.initial if given.initial is not None else default,
    )
    if kind == "int":  # what the column holds, unless declared narrower
        least, most = integer_range(f)
        found = replace(
            found,
            min_value=least if given.min_value is None else given.min_value,
            max_value=most if given.max_value is None else given.max_value,
        )
    if found.number and choices:  # the bounds of the choices (disability grade 1..4)
        values = [value for value, _label in choices]
        found = replace(found, min_value=min(values), max_value=max(values))
    if found.kind == "bool":
        found = replace(found, required=False)
    return found


def _surface(option, kwargs: dict, make: Callable):
    """A surface's field: ``make(**kwargs)`` with the declaration's ``form``/``api`` keyword arguments over
    them, or the declaration's own callable; None where the declaration says False."""
    if option is False:
        return None
    if callable(option):
        return option(**kwargs)
    return make(**{**kwargs, **(option or {})})


class _Ordered(serializers.Serializer):
    # field_order as on a Django form: these first, the rest after in the order declared. (No docstring: the
    # schema would take it as every input serializer's description.)
    field_order: tuple = ()

    def get_fields(self):
        found = super().get_fields()
        return {**{name: found[name] for name in self.field_order if name in found}, **found}


class Input:
    """The fields of one entity's input, in the order the page shows them."""

    def __init__(self, model, **declared: In):
        self.model = model
        self.declared = declared
        self.specs = {name: _from_model(model, name, given) for name, given in declared.items()}

    def but(self, **changes: dict) -> "Input":
        """The same declaration with some fields changed (``name={"max_length": 10}``)."""
        given = {name: replace(spec, **changes.get(name, {})) for name, spec in self.declared.items()}
        return Input(self.model, **given)

    def only(self, *names: str) -> "Input":
        """The same declaration with only some of its fields (one stage's record of a case)."""
        return Input(self.model, **{name: self.declared[name] for name in names})

    def limits(self, name: str) -> In:
        """The field as declared and taken from the model: label, kind, max_length, choices, bounds, required."""
        return self.specs[name]

    # --- the page ------------------------------------------------------------------------------------------

    def form_field(self, name: str) -> forms.Field | None:
        s = self.specs[name]
        kwargs = {"label": s.label, "required": s.required}
        if s.help_text:
            kwargs["help_text"] = s.help_text
        if s.widget is not None:
            kwargs["widget"] = s.widget
        if s.initial is not None:
            kwargs["initial"] = s.initial
        if _validators(s):
            kwargs["validators"] = _validators(s)
        return _surface(s.form, kwargs, lambda **kw: _form_field(s, **kw))

    def form(self) -> type[forms.Form]:
        """A form class with the declared fields; the page's form subclasses it and adds its own."""
        made = {name: self.form_field(name) for name in self.specs}
        name = f"{self.model.__name__}Fields"
        return type(name, (forms.Form,), {k: v for k, v in made.items() if v is not None})

    # --- the API -------------------------------------------------------------------------------------------

    def api_field(self, name: str) -> serializers.Field | None:
        s = self.specs[name]
        kwargs = {} if s.required else {"required": False}
        if _validators(s):
            kwargs["validators"] = _validators(s)
        return _surface(s.api, kwargs, lambda **kw: _api_field(s, **kw))

    def serializer(self, name: str = "") -> type[serializers.Serializer]:
        """A serializer class with the declared fields: the API's input serializer, or the base it subclasses.
        ``name`` is the class's name, which the schema names the request body by."""
        made = {field: self.api_field(field) for field in self.specs}
        name = name or f"{self.model.__name__}InputFields"
        return type(name, (_Ordered,), {k: v for k, v in made.items() if v is not None})

    # --- the ledgers ---------------------------------------------------------------------------------------

    def bounds(self, name: str) -> dict:
        """The least and most of a number, for a column of a kind of its own (a duration)."""
        return _bounds(self.specs[name])

    def check(self, values: dict) -> None:
        """Run the declared checks (a date not after today, a phone number) on the fields ``values`` gives, as
        the page's and the API's fields run them: for an import whose columns are its own (network/imports.py).
        Raises a ValidationError by field."""
        errors = {}
        for name, value in values.items():
            for validate in _validators(self.specs[name]) if name in self.specs else ():
                try:
                    validate(value)
                except ValidationError as exc:
                    errors.setdefault(name, []).extend(exc.messages)
        if errors:
            raise ValidationError(errors)

    def required_in_api(self, name: str) -> bool:
        field = self.api_field(name)
        return self.specs[name].required if field is None else field.required

    def column(self, name: str, synonyms, *, spellings=None, **options) -> Field:
        """The ledger column of a declared field: its label, kind, length, choices, bounds and whether it is
        required (as on the API), with the ledger's own ``synonyms``, choice ``spellings`` and ``options``
        (width, a label of its own ...) over them."""
        s = self.specs[name]
        key = name
        options = {"required": self.required_in_api(name), **options}
        label = options.pop("label", s.label)
        if s.kind == "choice" and not s.number:
            return col.choice(key, label, s.choices, spellings or {}, synonyms, **options)
        if s.kind in ("int", "choice"):
            return col.number(key, label, synonyms, s.max_value, least=s.min_value, **options)
        if s.kind == "date":
            return col.date(key, label, synonyms, **options)
        if s.phone:  # digits only, as every ledger's phone column (a cell may hold it as a number)
            return col.phone(key, label, synonyms, **options)
        return col.text(key, label, synonyms, s.max_length, **options)


# The kinds whose page and API fields take nothing but the common arguments.
PLAIN = {
    "date": (forms.DateField, serializers.DateField),
    "time": (forms.TimeField, serializers.TimeField),
    "bool": (forms.BooleanField, serializers.BooleanField),
}


def _bounds(s: In) -> dict:
    return {"min_value": s.min_value, "max_value": s.max_value}


def _form_field(s: In, **kwargs) -> forms.Field:
    if s.kind == "choice":
        choices = list(s.choices) if s.required else [("", s.blank), *s.choices]
        if s.integer:
            return forms.TypedChoiceField(choices=choices, coerce=int, empty_value=None, **kwargs)
        return forms.ChoiceField(choices=choices, **kwargs)
    if s.kind == "int":
        return forms.IntegerField(**{**_bounds(s), **kwargs})
    if s.kind in PLAIN:
        return PLAIN[s.kind][0](**kwargs)
    return forms.CharField(**{"max_length": s.max_length, **kwargs})


def _api_field(s: In, **kwargs) -> serializers.Field:
    if s.null and s.kind in ("choice", "int", "date", "time"):
        kwargs.setdefault("allow_null", True)
    if s.kind == "choice" and not s.number:
        if not s.integer and not s.required:
            kwargs.setdefault("allow_blank", True)
        return serializers.ChoiceField(choices=s.choices, **kwargs)
    if s.kind in ("int", "choice"):
        return serializers.IntegerField(**{**_bounds(s), **kwargs})
    if s.kind in PLAIN:
        return PLAIN[s.kind][1](**kwargs)
    if not s.required:
        kwargs.setdefault("allow_blank", True)
    return serializers.CharField(**{"max_length": s.max_length, **kwargs})
