"""How figures are written in an official report: money in 万元 with two decimals, counts with thousands separators,
rates with one decimal, ranks with ties shared (并列), dates in Chinese, changes as 环比 / 同比."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

DASH = "—"
RATE_KEYS = {"township_coverage", "operating_rate", "village_coverage"}


def wan_yuan(value) -> str:
    """Yuan as 万元 with two decimals: 123456.7 -> '12.35万元'; 1100000 -> '110.00万元'."""
    if value is None:
        return DASH
    wan = (Decimal(str(value)) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{wan:,.2f}万元"


def number(value) -> str:
    if value is None:
        return DASH
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def rate(value) -> str:
    return DASH if value is None else f"{value:.1f}%"


def figure(key: str, value) -> str:
    return rate(value) if key in RATE_KEYS else number(value)


def change(key: str, now, before) -> str:
    """环比 / 同比: rates change in percentage points, counts in per cent of the earlier figure."""
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return DASH
    if key in RATE_KEYS:
        points = round(now - before, 1)
        return f"{points:+.1f}个百分点" if points else "持平"
    if before == 0:
        return "持平" if now == 0 else f"+{number(now - before)}"
    percent = round((now - before) / before * 100, 1)
    return f"{percent:+,.1f}%" if percent else "持平"


def ranks(values: list, *, key) -> list[tuple[int, bool]]:
    """Competition ranks, highest first, for items already sorted by ``key`` descending: equal values share a rank
    and the next rank skips (1, 1, 3). Returns (rank, tied) per item; None values rank last, tied together."""
    result = []
    counts: dict = {}
    for item in values:
        counts[key(item)] = counts.get(key(item), 0) + 1
    rank = 0
    previous = object()
    for position, item in enumerate(values, start=1):
        value = key(item)
        if value != previous:
            rank = position
            previous = value
        result.append((rank, counts[value] > 1))
    return result


def rank_text(rank: int, tied: bool) -> str:
    return f"并列第{rank}" if tied else f"第{rank}"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_month(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"
