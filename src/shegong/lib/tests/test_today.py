"""One "today": the county's calendar day, ``timezone.localdate()`` (Asia/Shanghai), in the code and its tests.

``datetime.date.today()`` reads the C library's clock. Where the machine has no system time-zone files (a slim
container: Python then reads the ``tzdata`` package, the C library falls back to UTC), it is the UTC date, a day
behind Beijing from 00:00 to 08:00 Beijing time. A test that built its records with it and the service that
checked them with ``localdate()`` disagreed for those eight hours: CI failed 19 tests run at 00:20 Beijing time
("完成期限不能早于走访日期", "会议日期不能晚于今天"). In the product the forms offered yesterday as the date of a
service, a visit or a meeting, a person was registered a day early, and the hours certificate printed yesterday.
"""

import datetime as dt
import re
from pathlib import Path

from django.utils import timezone

ROOTS = [Path(__file__).resolve().parents[2], Path(__file__).resolve().parents[4] / "tests"]
# date.today() called or passed as a default; datetime.now() or .today() with no zone; now().date(), the UTC day
CLOCKS = re.compile(r"\bdate\.today\b|\bdatetime\.(now|today)\(\)|\bnow\(\)\.date\(\)")


def test_no_code_or_test_reads_the_day_from_the_machine_clock():
    found = [
        f"{path}:{number}: {line.strip()}"
        for root in ROOTS
        for path in root.rglob("*.py")
        if path.resolve() != Path(__file__).resolve() and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if CLOCKS.search(line)
    ]
    assert found == []


def test_the_pattern_catches_each_way_of_reading_the_machine_day():
    for line in (
        "x = dt.date.today()",
        "initial=dt.date.today",
        "date.today()",
        "dt.datetime.now()",
        "timezone.now().date()",
    ):
        assert CLOCKS.search(line), line
    for line in ("timezone.localdate()", "services.today()", "timezone.localtime().date()", "now()"):
        assert not CLOCKS.search(line), line


def test_the_local_day_at_one_in_the_morning_beijing_time_is_that_day_not_the_utc_one():
    # 17:00 UTC on 7 December is 01:00 on 8 December in Beijing
    moment = dt.datetime(2026, 12, 7, 17, 0, tzinfo=dt.UTC)
    assert moment.date() == dt.date(2026, 12, 7)
    assert timezone.localdate(moment) == dt.date(2026, 12, 8)
