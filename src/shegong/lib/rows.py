"""Writing one row the services' way: checked with ``full_clean()`` before it is saved (docs/architecture.md,
Layers), so that the page, the API and the import get the same ``ValidationError``."""


def save_valid(row, *, exclude=None):
    """Check ``row`` (its fields, choices and constraints; ``exclude``: fields not to check), save it, return it."""
    row.full_clean(exclude=exclude)
    row.save()
    return row
