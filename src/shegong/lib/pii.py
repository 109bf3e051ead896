"""Personal data protection (DOMAIN.md §6, PIPL): ID numbers and phones are encrypted at rest, found by a
keyed lookup hash, and masked on screen unless the role may see them.

A model keeps three columns per protected value, written by :func:`protect`::

    id_number = EncryptedTextField()            # ciphertext that names its algorithm and key; clear on read
    id_number_hash = models.CharField(max_length=64, db_index=True)   # keyed, versioned hash for exact lookup
    id_number_last4 = models.CharField(max_length=4, db_index=True)   # for "search by the last 4 digits"

The algorithms, keys, formats and rotation are in :mod:`shegong.lib.fieldcrypto`. Write with
:func:`lookup_hash`; search with :func:`hash_in` / :func:`hash_candidates` so rows that `shegong rotate_keys`
has not re-hashed yet are still found.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

from shegong.lib import fieldcrypto
from shegong.lib.fieldcrypto import hash_candidates, lookup_hash


def encrypt(text: str) -> str:
    return fieldcrypto.keyring().encrypt(text)


def decrypt(token: str) -> str:
    return fieldcrypto.keyring().decrypt(token)


def hash_in(field: str, text: str) -> Q:
    """``Q(<field>__in=<candidates>)``: one indexed lookup that also finds rows not yet re-hashed."""
    candidates = hash_candidates(text)
    if len(candidates) == 1:
        return Q(**{field: candidates[0]})
    return Q(**{f"{field}__in": candidates})


def candidate_map(texts) -> dict[str, str]:
    """Every hash a stored row for one of ``texts`` may carry -> that text's current hash."""
    found: dict[str, str] = {}
    for text in texts:
        candidates = hash_candidates(text)
        for candidate in candidates:
            found[candidate] = candidates[0]
    return found


def by_lookup_hash(queryset, field: str, texts, *, chunk: int = 5000) -> dict:
    """The rows of ``queryset`` whose ``field`` hashes one of ``texts`` (imports match a whole batch at once),
    keyed by the current hash of the text (what :func:`lookup_hash` returns), rows not yet re-hashed too."""
    wanted = candidate_map(texts)
    keys = list(wanted)
    found = {}
    for start in range(0, len(keys), chunk):
        for row in queryset.filter(**{f"{field}__in": keys[start : start + chunk]}):
            found[wanted[getattr(row, field)]] = row
    return found


class EncryptedTextField(models.TextField):
    """Stores ciphertext (lib/fieldcrypto.py); Python code sees the clear text. Cannot be filtered on: use the
    hash."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def mask_id_number(value: str | None) -> str:
    """522301********1234: the birth place and the last four digits, as Chinese systems usually show it."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    sex: str  # "male" / "female"


# First two digits of an ID number: the provinces, plus 71 (Taiwan) and 81-83 (residence permits of Hong Kong,
# Macao and Taiwan residents).
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def parse_resident_id(value: str) -> ResidentId:
    """Validate an 18-character resident ID number (ISO 7064 MOD 11-2 check character, birth date, province)
    and derive birth date and sex from it. Raises ValidationError with a Chinese message.

    The county part of the birth place is not checked: codes change (522321 兴义县 became 522301 兴义市) and an
    ID number keeps the code of the year it was issued, so no single code table can judge it."""
    number = (value or "").strip().upper().replace(" ", "")
    if len(number) != 18:
        raise ValidationError(_("An ID number has 18 characters; this one has %(n)d.") % {"n": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("An ID number is 17 digits and a final digit or X."))
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(_("The check character of this ID number is wrong; check each digit."))
    if number[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(_("This is not a valid ID number (birth date or place code is wrong)."))
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("This is not a valid ID number (birth date or place code is wrong).")
        ) from exc
    if birth_date > timezone.localdate() or birth_date.year < 1890:
        raise ValidationError(_("This is not a valid ID number (birth date or place code is wrong)."))
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return ResidentId(number=number, birth_date=birth_date, sex=sex)


def phone_normalise(value: str) -> str:
    """Digits only; mobile numbers are 11 digits starting with 1, landlines may carry an area code."""
    digits = "".join(c for c in (value or "") if c.isdigit())
    if not (7 <= len(digits) <= 12):
        # The message does not repeat the value: it would carry the phone into job results and logs.
        raise ValidationError(_("This is not a phone number: it needs 7 to 12 digits."))
    return digits


def protect(value: str) -> dict:
    """The three stored forms of a protected value: ciphertext (via the field), hash, last four."""
    return {"clear": value, "hash": lookup_hash(value) if value else "", "last4": value[-4:] if value else ""}


def parse_id_and_phone(
    data_id: str, data_phone: str, *, require_id: bool, values: dict, errors: dict
) -> None:
    """Check a typed ID number and phone (of a worker or volunteer): the ID number gives ``id_number``,
    ``birth_date`` and ``sex`` in ``values``, a phone its digits; a bad one an entry of ``errors``. An empty ID
    number is an error with ``require_id``; an empty phone is left out (editing: keep the stored one)."""
    if data_id:
        try:
            resident = parse_resident_id(data_id)
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
        else:
            values.update(id_number=resident.number, birth_date=resident.birth_date, sex=resident.sex)
    elif require_id:
        errors["id_number"] = _("This field is required.")
    if data_phone:
        try:
            values["phone"] = phone_normalise(data_phone)
        except ValidationError:
            # Not repeated in the message: it may be shown or logged where phones are masked.
            errors["phone"] = _("This is not a phone number: 7 to 12 digits.")


def apply_protected(row, values: dict) -> None:
    """Set ``values`` on ``row``, and the lookup hash and last four digits of an ID number or phone among them."""
    for key, value in values.items():
        setattr(row, key, value)
    if "id_number" in values:
        row.id_number_hash = lookup_hash(values["id_number"])
        row.id_number_last4 = values["id_number"][-4:]
    if "phone" in values:
        row.phone_hash = lookup_hash(values["phone"]) if values["phone"] else ""
        row.phone_last4 = values["phone"][-4:] if values["phone"] else ""


class MaskedNumbers:
    """``id_number_masked`` and ``phone_masked`` for a model with ``id_number`` and ``phone`` fields (pages and
    API responses show only these)."""

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
