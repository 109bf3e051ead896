import datetime as dt

import pytest

from shegong.community.tests.factories import make_project, make_rule


@pytest.fixture
def xiling(users):
    """Xiling's mutual-aid project (兴义市, 865,700 yuan raised) and the province's and the prefecture's matching
    rules."""
    started, since = dt.date(2023, 3, 1), dt.date(2023, 1, 1)
    return {
        "project": make_project(
            "522301001001", "865700", name="幸福家园互助（演示）", target="900000", started=started
        ),
        "province": make_rule("52", "11.08", name="省级配捐", valid_from=since),
        "city": make_rule("5223", "21.36", name="州级配捐", valid_from=since, actor=users["prefecture"]),
    }
