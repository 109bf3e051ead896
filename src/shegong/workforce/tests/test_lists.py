"""The worker list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped)."""

import pytest

from shegong.testing import assert_list_scoped
from shegong.workforce.models import EmploymentType
from shegong.workforce.tests.factories import make_expert, make_station, make_worker

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

    from shegong.workforce.tests.factories import make_training

    def seed(code, mark, matches):
        make_training(
            code,
            mark,
            dt.date(2024 if matches else 2023, 5, 1),
            kind="pre_service",
            organiser="民政局",
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


def test_experts(users, client):
    def seed(code, mark, matches):
        make_expert(code, mark, "supervisor" if matches else "expert", "儿童，督导")

    assert_list_scoped(
        client,
        users,
        "workforce.experts",
        page="workforce:expert_list",
        api=None,
        seed=seed,
        narrow={"kind": "supervisor"},
    )


def test_the_expert_pool_searches_specialities_and_offers_edit_only_to_an_editor(users, client):
    from django.urls import reverse

    from shegong.testing import verified_login

    for name, speciality in (("王教授", "老年"), ("李老师", "儿童")):
        make_expert("522301", name, "expert", speciality)
    verified_login(client, users["county"])
    page = client.get(reverse("workforce:expert_list"), {"q": "老年"}).content.decode()
    assert "王教授" in page and "李老师" not in page
    assert reverse("workforce:expert_create") in page and "/edit/" in page
    export = client.get(reverse("core:list_export", args=["workforce.experts"]), {"q": "儿童"})
    assert export.status_code == 200
    client.logout()
    verified_login(client, users["leader"])
    page = client.get(reverse("workforce:expert_list")).content.decode()
    assert "王教授" in page and "/edit/" not in page and reverse("workforce:expert_create") not in page
