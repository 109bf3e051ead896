import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from shegong.lib.pii import (
    decrypt,
    encrypt,
    lookup_hash,
    mask_id_number,
    mask_phone,
    parse_resident_id,
    phone_normalise,
)


def _valid_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def test_encryption_round_trips_and_is_not_clear_text():
    token = encrypt("52230119900101123X")
    assert "52230119900101123X" not in token
    assert decrypt(token) == "52230119900101123X"
    assert encrypt("same") != encrypt("same")  # random IV: equal values do not look equal at rest


def test_lookup_hash_is_stable_and_case_insensitive_for_the_x():
    assert lookup_hash("52230119900101123x") == lookup_hash(" 52230119900101123X ")
    assert lookup_hash("52230119900101123X") != lookup_hash("522301199001011230")


def test_a_valid_id_gives_birth_date_and_sex():
    number = _valid_id("52230119850317002")
    parsed = parse_resident_id(number)
    assert parsed.birth_date == dt.date(1985, 3, 17)
    assert parsed.sex == "female"  # the 17th digit, 2, is even
    assert parse_resident_id(_valid_id("52230119850317001")).sex == "male"


def _wrong_check(body17: str) -> str:
    right = ric.calc_check_digit(body17 + "0")
    return body17 + ("1" if right != "1" else "2")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("5223011985031700", "18 characters"),
        (_wrong_check("52230119850317002"), "check character"),
        (_valid_id("52230119851317002"), "not a valid"),  # month 13
    ],
)
def test_bad_ids_get_a_message_that_says_what_is_wrong(value, fragment):
    from django.utils.translation import override

    with override("en"), pytest.raises(ValidationError) as info:
        parse_resident_id(value)
    assert fragment in info.value.messages[0]


def test_masks_keep_only_what_a_screen_needs():
    assert mask_id_number("52230119850317002X") == "522301********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == "" and mask_phone(None) == ""


def test_phone_numbers_are_normalised_or_refused():
    assert phone_normalise("138-1234-5678") == "13812345678"
    with pytest.raises(ValidationError):
        phone_normalise("12")
