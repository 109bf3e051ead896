"""The worker list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped)."""

from itertools import count

import pytest

from shegong.network.models import Facility
from shegong.testing import list_scope_test
from shegong.workforce.models import EmploymentType
from shegong.workforce.tests.factories import make_expert, make_station, make_worker

pytestmark = pytest.mark.django_db


def _worker(code, mark, matches):
    kind = EmploymentType.RESIDENT if matches else EmploymentType.AGENCY
    station = Facility.objects.filter(region_id=code).first() or make_station(code)  # one station a township
    make_worker(station, name=mark, employment_type=kind)


_serial = count(1)


def _agency(code, mark, matches):
    from shegong.workforce.tests.factories import make_agency, make_credit_code

    make_agency(
        code[:6],
        name=mark,
        credit_code=make_credit_code(f"52{code[:6]}MJ{next(_serial):06d}"),
        rating="4A" if matches else "",
        rating_year=2024 if matches else None,
    )


def _training(code, mark, matches):
    import datetime as dt

    from shegong.workforce.tests.factories import make_training

    held_on = dt.date(2024 if matches else 2023, 5, 1)
    make_training(code, mark, held_on, kind="pre_service", organiser="民政局", hours=8)


def _expert(code, mark, matches):
    make_expert(code, mark, "supervisor" if matches else "expert", "儿童，督导")


# A list's page, its API list, the seed of its rows and the query that keeps the matching row (assert_list_scoped).
LISTS = {
    "workforce.workers": (
        "workforce:worker_list",
        "/api/v1/workers/",
        _worker,
        {"employment_type": EmploymentType.RESIDENT},
    ),
    "workforce.agencies": ("workforce:agency_list", "/api/v1/agencies/", _agency, {"rating": "4A"}),
    "workforce.training": ("workforce:training_list", "/api/v1/trainings/", _training, {"year": "2024"}),
    "workforce.experts": ("workforce:expert_list", None, _expert, {"kind": "supervisor"}),
}

test_each_list_keeps_to_the_county_and_filters_alike = list_scope_test(LISTS)


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
