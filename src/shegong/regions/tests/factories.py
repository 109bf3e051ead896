"""Helpers for tests that read the regions: a region's scope on a day, recounted by hand."""

import datetime as dt


def scope_by_hand(regions, day: dt.date) -> dict[str, bool]:
    """Each of ``regions``' scope on ``day``, by hand from the change rows: the last change on or before the
    day (an undated one first), else in scope if it has changes, else its stored scope."""
    scope = {}
    for region in regions:
        changes = list(region.scope_changes.all())
        applying = sorted(
            (c for c in changes if c.effective_on is None or c.effective_on <= day),
            key=lambda c: (c.effective_on or dt.date.min, c.id),
        )
        scope[region.code] = applying[-1].in_scope if applying else (True if changes else region.in_scope)
    return scope
