"""Personal data protection (DOMAIN.md §6, PIPL): ID numbers and phones are encrypted at rest, found by a
keyed lookup hash, and masked on screen unless the role may see them.

A model keeps three columns per protected value, written by :func:`protect`::

    id_number = EncryptedTextField()            # Fernet ciphertext; decrypted on read
    id_number_hash = models.CharField(max_length=64, db_index=True)   # HMAC-SHA256, for exact lookup
    id_number_last4 = models.CharField(max_length=4, db_index=True)   # for "search by the last 4 digits"

FIELD_ENCRYPTION_KEY may hold several comma-separated Fernet keys: the first encrypts, all decrypt, so keys
can be rotated. The lookup hash uses a key derived from the first one.
"""

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric


@lru_cache(maxsize=1)
def _keys() -> tuple[MultiFernet, bytes]:
    raw = settings.FIELD_ENCRYPTION_KEY
    if not raw:
        # Demo and tests only (settings refuses to start production without a key).
        raw = base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()).decode()
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    fernet = MultiFernet([Fernet(k.encode()) for k in keys])
    hash_key = hashlib.sha256(b"shegong-lookup-hash:" + keys[0].encode()).digest()
    return fernet, hash_key


def encrypt(text: str) -> str:
    return _keys()[0].encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong FIELD_ENCRYPTION_KEY or corrupted value") from exc


def lookup_hash(text: str) -> str:
    """A keyed hash for exact-match search: equal inputs give equal hashes; without the key, a table of all
    ID numbers cannot be hashed to reverse it."""
    normalised = text.strip().upper()
    return hmac.new(_keys()[1], normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; Python code sees the clear text. Cannot be filtered on: use the hash."""

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

    @property
    def age_today(self) -> int:
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


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
