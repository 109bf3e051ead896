"""The worker list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped)."""

import pytest

from shegong.testing import assert_list_scoped
from shegong.workforce.models import EmploymentType
from shegong.workforce.tests.factories import make_station, make_worker

pytestmark = pytest.mark.django_db


def test_workers(users, client):
    stations = {}

    def seed(code, mark, matches):
        kind = EmploymentType.RESIDENT if matches else EmploymentType.AGENCY
        station = stations.setdefault(code, make_station(code)) if code not in stations else stations[code]
        make_worker(station, name=mark, employment_type=kind)

    assert_list_scoped(
        client,
        users,
        "workforce.workers",
        page="workforce:worker_list",
        api="/api/v1/workers/",
        seed=seed,
        narrow={"employment_type": EmploymentType.RESIDENT},
    )
