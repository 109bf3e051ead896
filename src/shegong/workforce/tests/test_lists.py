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


def test_agencies(users, client):
    from itertools import count

    from shegong.workforce.tests.factories import make_agency, make_credit_code

    serial = count(1)

    def seed(code, mark, matches):
        make_agency(
            code[:6],
            name=mark,
            credit_code=make_credit_code(f"52{code[:6]}MJ{next(serial):06d}"),
            rating="4A" if matches else "",
            rating_year=2024 if matches else None,
        )

    assert_list_scoped(
        client,
        users,
        "workforce.agencies",
        page="workforce:agency_list",
        api="/api/v1/agencies/",
        seed=seed,
        narrow={"rating": "4A"},
    )


def test_training(users, client):
    import datetime as dt

    from shegong.regions.models import Region
    from shegong.workforce.services_training import training_create

    def seed(code, mark, matches):
        training_create(
            actor=None,
            region=Region.objects.get(code=code),
            title=mark,
            kind="pre_service",
            organiser="民政局",
            held_on=dt.date(2024 if matches else 2023, 5, 1),
            hours=8,
        )

    assert_list_scoped(
        client,
        users,
        "workforce.training",
        page="workforce:training_list",
        api="/api/v1/trainings/",
        seed=seed,
        narrow={"year": "2024"},
    )
