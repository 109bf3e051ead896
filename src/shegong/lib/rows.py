"""Writing one row the services' way: checked with ``full_clean()`` before it is saved (docs/architecture.md,
Layers), so that the page, the API and the import get the same ``ValidationError``."""

from django.core.exceptions import ValidationError


def save_valid(row, *, exclude=None):
    """Check ``row`` (its fields, choices and constraints; ``exclude``: fields not to check), save it, return it."""
    row.full_clean(exclude=exclude)
    row.save()
    return row


def append_to_balance(line, holder, pk, field: str, change, refused: tuple, *, exclude=None):
    """Save ``line``, a new line of a running balance (a fund's money, a volunteer's points), and move the
    balance with it: the holder's row (``holder`` the model, ``pk`` the row, ``field`` its balance) is locked,
    ``line.balance_after`` is the balance held plus ``change``. Below zero nothing is written:
    ``refused = (field, message, values)`` is the error, the message given the balance held as ``balance``.
    The line is checked as :func:`save_valid` checks it (``exclude``). Call inside a transaction."""
    locked = holder.objects.select_for_update().only(holder._meta.pk.name, field).get(pk=pk)
    held = getattr(locked, field)
    line.balance_after = held + change
    if line.balance_after < 0:
        error_field, message, values = refused
        raise ValidationError({error_field: message % {"balance": held, **values}})
    save_valid(line, exclude=exclude)
    holder.objects.filter(pk=pk).update(**{field: line.balance_after})
    return line


def assign(row, fields: dict, names, *, skip_none: bool = False):
    """Set on ``row`` each of ``names`` (the fields a service lets its caller write) that ``fields`` gives, the
    others left as they are (``skip_none``: a None given leaves its field too). Returns ``row``."""
    for name in names:
        if name in fields and not (skip_none and fields[name] is None):
            setattr(row, name, fields[name])
    return row
