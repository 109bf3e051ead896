"""Percentages computed from two counts (覆盖率、运营率、达标率、增长率), decided once.

``share(part, whole)`` is ``part`` as a percentage of ``whole`` (one decimal unless said), None where there is no
whole to divide by, so a page prints "—" rather than 0 %. ``Share`` and ``Growth`` declare such a figure on a
figures dataclass from two of its fields::

    township_coverage = Share("covered", "townships")
    talent_growth = Growth("talents", "talents_year_ago")
"""

from shegong.lib.asof import growth


def share(
    part: float | int | None, whole: float | int | None, *, per: int = 100, digits: int = 1
) -> float | None:
    """``part`` per ``per`` of ``whole``, rounded to ``digits``; None when ``whole`` is 0 or unknown (or the part)."""
    if not whole or part is None:
        return None
    return round(part * per / whole, digits)


class Share:
    """A read-only attribute: one field of the object as a share of another (see :func:`share`)."""

    def __init__(self, part: str, whole: str, *, per: int = 100, digits: int = 1):
        self.part, self.whole, self.per, self.digits = part, whole, per, digits

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return share(getattr(obj, self.part), getattr(obj, self.whole), per=self.per, digits=self.digits)


class Growth:
    """A read-only attribute: the percentage growth of one field over another (lib/asof.py :func:`growth`)."""

    def __init__(self, now: str, before: str):
        self.now, self.before = now, before

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return growth(getattr(obj, self.now), getattr(obj, self.before))
