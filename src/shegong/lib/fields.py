"""Model fields that many tables declare alike, declared once; groups of fields that mean the same in every
domain are abstract bases in lib/bases.py.

A factory returns the same field the tables spelled out before (same arguments), so the migration state is
unchanged: ``makemigrations --check`` finds nothing to do.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


def optional_fk(to, verbose_name, *, on_delete=models.PROTECT, related_name="+", one_to_one=False):
    """A reference that may be empty (null in the table, blank in forms); no reverse accessor by default.
    ``one_to_one``: at most one row refers to each row of ``to`` (the fund entry of a donation)."""
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(
        to, null=True, blank=True, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name
    )


def required_fk(to, verbose_name, *, on_delete=models.PROTECT, related_name="+", **options):
    """A reference that must be given; the row it names cannot be deleted under it (PROTECT) unless said."""
    return models.ForeignKey(
        to, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name, **options
    )


def parent_fk(to, verbose_name, related_name, *, on_delete=models.CASCADE):
    """The row this one is part of (a project's milestone, a visit's photo): deleted with it by default."""
    return models.ForeignKey(to, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name)


def status_field(choices, max_length, *, default=True):
    """A row's status among ``choices`` (a TextChoices class); a new row starts in the first of them unless
    ``default`` is False (the status must be given) or another member."""
    if default is True:
        default = next(iter(choices))
    options = {} if default is False else {"default": default}
    return models.CharField(_("status"), max_length=max_length, choices=choices.choices, **options)


def note_field(max_length=200):
    """A free note, which may stay empty."""
    return models.CharField(_("note"), max_length=max_length, blank=True)


def user_field(verbose_name, *, optional=True, on_delete=models.PROTECT):
    """The user who did something, without a reverse accessor; ``optional``: None is the system itself."""
    if optional:
        return optional_fk(settings.AUTH_USER_MODEL, verbose_name, on_delete=on_delete)
    return required_fk(settings.AUTH_USER_MODEL, verbose_name, on_delete=on_delete)
