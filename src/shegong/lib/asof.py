"""The date a figure is as of (截至), the period a flow figure counts, and growth against an earlier date.

Every figure function of a domain takes ``as_of`` (a status figure: what was true at the end of that day) and,
for flows, ``since``/``until``. Pages and the statistics API read them from the query string through
``parse_as_of`` / ``parse_period`` here, so that one bad date gives one clear Chinese message everywhere and no
date in the future is ever counted (nothing is recorded for a day that has not come).

Growth (同比) is stated against the same day one year earlier (``year_before``: 29 February goes to the 28th),
and, where asked, against the end of a chosen base year (``base_date``).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions


def year_before(day: dt.date, years: int = 1) -> dt.date:
    """The same day ``years`` years earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def base_date(year: int, as_of: dt.date) -> dt.date:
    """The day a base year is counted at: its last day, or ``as_of`` if that comes first."""
    return min(dt.date(year, 12, 31), as_of)


def growth(now: float | int | None, before: float | int | None) -> float | None:
    """Percentage growth from ``before`` to ``now`` (two decimals); None where there is nothing to grow from."""
    if now is None or not before:
        return None
    return round((now - before) * 100 / before, 2)


def date_or_none(text: str) -> dt.date | None:
    """A day written YYYY-MM-DD, or None for nothing or anything else (a filter that is left out when bad)."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _date(value: str, field: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {field: _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value[:20]}}
        ) from None


# The first day a figure may be asked for: nothing was recorded before it, and a period from year 1 would be
# walked month by month (casework.figures.split_period) for nothing.
EARLIEST = dt.date(2000, 1, 1)
# The fields of the query string as a page's messages name them.
FIELDS = {
    "as_of": gettext_lazy("As of"),
    "since": gettext_lazy("Period from"),
    "until": gettext_lazy("Period to"),
    "base_year": gettext_lazy("Base year"),
}


def _not_too_early(day: dt.date, field: str) -> dt.date:
    if day < EARLIEST:
        raise ValidationError({field: _("The date %(date)s is too early.") % {"date": day.isoformat()}})
    return day


def parse_as_of(params, field: str = "as_of", today: dt.date | None = None) -> dt.date:
    """The as-of date asked for in ``params`` (a QueryDict or dict); today when none is given, or when the date
    asked for has not come yet (no figure is known beyond today: the answer names the day it is as of)."""
    today = today or timezone.localdate()
    day = _date(params.get(field, ""), field)
    if day is None:
        return today
    if day > today:
        return today
    return _not_too_early(day, field)


def parse_base_year(params, as_of: dt.date, field: str = "base_year") -> int | None:
    """The base year asked for (``base_year=2021``), which must come before the as-of date's year; a base year
    not before it gives no base comparison (the answer's ``base_year`` says so)."""
    value = (params.get(field, "") or "").strip()
    if not value:
        return None
    if value.isdigit() and int(value) >= as_of.year:
        return None
    if not value.isdigit() or int(value) < 2000:
        raise ValidationError(
            {field: _("The base year must be a year from 2000 to %(year)s.") % {"year": as_of.year - 1}}
        )
    return int(value)


def parse_period(params, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(since, until) of a flow figure: ``since``/``until`` if given, else from 1 January of the as-of year
    (or of this year) to the as-of date (or today). ``until`` never passes today. A start after the end is an
    empty period (its flow figures are zero), as a list filtered to nothing is an empty list."""
    today = today or timezone.localdate()
    until = _date(params.get("until", ""), "until") or parse_as_of(params, today=today)
    until = _not_too_early(min(until, today), "until")
    since = _date(params.get("since", ""), "since") or until.replace(month=1, day=1)
    return _not_too_early(since, "since"), until


@dataclass
class AsOf:
    """What a statistics page or endpoint was asked for: the day (``as_of``), the period of the flow figures
    (``since``..``until``, by default 1 January of the as-of year to the as-of day), the same day a year
    before and, where asked, a base year."""

    as_of: dt.date
    since: dt.date
    until: dt.date
    base_year: int | None = None

    @property
    def year_before(self) -> dt.date:
        return year_before(self.as_of)

    @property
    def base_date(self) -> dt.date | None:
        return base_date(self.base_year, self.as_of) if self.base_year else None

    @property
    def is_today(self) -> bool:
        return self.as_of >= timezone.localdate()

    @classmethod
    def parse(cls, params, today: dt.date | None = None) -> "AsOf":
        """From a query string; raises django ValidationError naming the field."""
        today = today or timezone.localdate()
        as_of = parse_as_of(params, today=today)
        if params.get("since") or params.get("until"):
            since, until = parse_period(params, today=today)
        else:
            since, until = as_of.replace(month=1, day=1), as_of
        return cls(as_of=as_of, since=since, until=until, base_year=parse_base_year(params, as_of))

    @classmethod
    def from_request(cls, request) -> "AsOf":
        """For the API: a bad date answers 400 with the field named (the API's one error shape)."""
        try:
            return cls.parse(request.query_params)
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None

    def stamp(self) -> dict:
        """The dates an answer names: 截至 ``as_of``, the period, the comparison dates."""
        return {
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "year_before": self.year_before.isoformat(),
            **(
                {"base_year": self.base_year, "base_date": self.base_date.isoformat()}
                if self.base_year
                else {}
            ),
        }


def compare(now: dict, before: dict, keys) -> dict:
    """Growth in per cent of each of ``keys`` from ``before`` to ``now`` (None where before is 0 or unknown)."""
    return {key: growth(now.get(key), before.get(key)) for key in keys}


def for_page(request) -> tuple[AsOf, list[str]]:
    """For a page: the dates asked for in the query string, or today's with the messages of what was wrong, each
    naming its field (shown above the figures; a page never fails on a bad date)."""
    try:
        return AsOf.parse(request.GET), []
    except ValidationError as exc:
        return AsOf.parse({}), [
            f"{FIELDS.get(field, field)}：{message}"
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
