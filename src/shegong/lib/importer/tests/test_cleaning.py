"""Cells as ledgers write them, cleaned to what the fields store (no database)."""

import datetime as dt

import pytest

from shegong.lib.importer.cleaning import (
    CellError,
    clean_bool,
    clean_date,
    clean_duration,
    clean_id_number,
    clean_int,
    clean_period,
    clean_phone,
    clean_sex,
)
from shegong.lib.importer.resolvers import name_keys

VALID_ID = "52230119500101001X"


def _valid_id():
    from stdnum.cn import ric

    body = "52230119500101001"
    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2022-3-15", dt.date(2022, 3, 15)),
        ("2022/3/15", dt.date(2022, 3, 15)),
        ("2022.03.15", dt.date(2022, 3, 15)),
        ("2022年3月15日", dt.date(2022, 3, 15)),
        ("２０２２年３月１５日", dt.date(2022, 3, 15)),
        ("20220315", dt.date(2022, 3, 15)),
        ("2022年3月", dt.date(2022, 3, 1)),
        ("2022.03", dt.date(2022, 3, 1)),
        (44635, dt.date(2022, 3, 15)),
        ("44635", dt.date(2022, 3, 15)),
        (dt.datetime(2022, 3, 15, 9, 30), dt.date(2022, 3, 15)),
    ],
)
def test_dates_as_ledgers_write_them(cell, day):
    assert clean_date(cell) == day


def test_a_day_without_year_takes_the_stated_period_and_is_refused_without_one():
    assert clean_date("11月19日", period=dt.date(2024, 11, 1)) == dt.date(2024, 11, 19)
    with pytest.raises(CellError, match="年"):
        clean_date("11月19日")
    with pytest.raises(CellError):
        clean_date("2022-2-30")
    assert clean_period("2024年11月") == dt.date(2024, 11, 1)
    assert clean_period("202411") == dt.date(2024, 11, 1)


def test_an_id_number_in_a_number_cell_is_never_taken_even_when_its_check_digit_passes():
    number = _valid_id()
    assert clean_id_number(number) == number
    # Full-width digits (a Chinese input method) are the same number.
    assert clean_id_number(number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == number
    for cell in (float(number[:17] + "0"), int(number[:15]), "5.22301E+17"):
        with pytest.raises(CellError, match="文本|Text|text|数字|number"):
            clean_id_number(cell)


def test_phones_words_numbers_and_durations():
    assert clean_phone("138 0000 1234") == "13800001234"
    assert clean_phone("138-0000-1234") == "13800001234"
    assert clean_phone("＋86 13800001234") == "13800001234"
    assert clean_sex("男性") == "male" and clean_sex(" 女 ") == "female"
    assert clean_bool("是") is True and clean_bool("√") is True and clean_bool("否") is False
    assert clean_int("１２人") == 12 and clean_int("1,200") == 1200
    assert (
        clean_duration("1.5小时") == 90
        and clean_duration("90分钟") == 90
        and clean_duration("1小时30分") == 90
    )
    assert clean_duration(45) == 45 and clean_duration("半天") == 240
    with pytest.raises(CellError):
        clean_duration("一会儿")


def test_names_are_found_with_or_without_their_suffixes():
    assert "黄草村" in name_keys("黄草村民委员会") and "黄草" in name_keys("黄草村民委员会")
    assert "黄草社区" in name_keys("黄草社区居民委员会")
    assert "黄草街道" in name_keys("黄草街道办事处")
    assert "黄草街道" in name_keys("黄草街道社会工作服务站") and "黄草街道" in name_keys("黄草街道社工站")
