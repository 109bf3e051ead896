"""Agencies (verified credit codes, the stations they operate), training (person-times and hours) and the
expert pool."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shegong.regions.models import Region
from shegong.testing import verified_login
from shegong.workforce import selectors, services_agencies
from shegong.workforce.models import Agency
from shegong.workforce.tests.factories import (
    make_agency,
    make_credit_code,
    make_expert,
    make_station,
    make_training,
    make_worker,
)


def test_a_credit_code_with_a_wrong_check_character_is_refused():
    good = make_credit_code()
    assert services_agencies.credit_code_clean(good.lower()) == good
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        services_agencies.credit_code_clean(wrong)
    assert "校验" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services_agencies.credit_code_clean("123")


def test_a_rating_needs_its_year():
    with pytest.raises(ValidationError) as caught:
        services_agencies.agency_parse(
            {"name": "阳光", "credit_code": make_credit_code(), "authority": "民政局", "rating": "4A"}
        )
    assert "rating_year" in caught.value.message_dict


def test_an_agency_finds_the_stations_that_name_its_credit_code(users, db):
    agency = make_agency("522301")
    run = make_station("522301001", agency_name=agency.name, agency_credit_code=agency.credit_code)
    make_station("522301002")
    elsewhere = make_station("522302001", agency_credit_code=agency.credit_code)
    assert list(selectors.agency_facilities(user=users["county"], agency=agency)) == [run]
    assert set(selectors.agency_facilities(user=users["prefecture"], agency=agency)) == {run, elsewhere}


def test_the_agency_form_registers_once_per_credit_code(client, users, db):
    verified_login(client, users["county"])
    data = {
        "name": "兴义阳光社工中心",
        "credit_code": make_credit_code(),
        "authority": "兴义市民政局",
        "rating": "3A",
        "rating_year": "2023",
    }
    assert client.post(reverse("workforce:agency_create"), data).status_code == 302
    response = client.post(reverse("workforce:agency_create"), data)
    assert response.status_code == 400 and Agency.objects.count() == 1
    bad = client.post(reverse("workforce:agency_create"), {**data, "credit_code": "52522301MJ00000101"})
    assert bad.status_code == 400 and "校验" in bad.content.decode()


def test_person_times_count_attendees_and_outsiders_and_hours_per_worker(users, db):
    station = make_station("522301001")
    a, b = make_worker(station, name="甲"), make_worker(station, name="乙")
    make_training(
        "522301", "岗前", dt.date(2024, 3, 1), kind="pre_service", hours=8, outsiders=5, attendees=[a, b]
    )
    # Attending the same session twice counts once.
    make_training("522301", "督导", dt.date(2024, 9, 1), kind="supervision", hours=2.5, attendees=[a, a])
    sessions = {s.title: s.attendees + s.outsiders for s in selectors.training_list(user=users["county"])}
    assert sessions == {"岗前": 7, "督导": 1}
    hours = {
        w.name: (w.sessions, w.hours) for w in selectors.training_by_worker(user=users["county"], year=2024)
    }
    assert hours == {"甲": (2, 10.5), "乙": (1, 8)}
    assert list(selectors.training_list(user=users["county2"])) == []


def test_the_expert_pool_keeps_no_id_number_and_searches_specialities(users, db):
    from shegong.workforce.lists import EXPERTS

    make_expert("522301", "王教授", "expert", "儿童，老年", actor=users["county"])
    expert = EXPERTS.filter({"q": "老年"}, users["county"]).qs.get()
    assert expert.speciality_list == ["儿童", "老年"]
    assert not hasattr(expert, "id_number")
    with pytest.raises(ValidationError):
        services_agencies.expert_save(
            actor=users["county2"],
            region=Region.objects.get(code="522301"),
            values={"name": "x", "kind": "expert", "specialities": "y", "joined_on": dt.date(2024, 1, 1)},
        )
