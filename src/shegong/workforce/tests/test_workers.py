"""Registering, editing and moving workers: the ID number is checked, one person has one file, and a move
closes the old assignment and opens the new one with the history kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shegong.network.models import FacilityStatus
from shegong.testing import verified_login
from shegong.workforce import selectors, services
from shegong.workforce.lists import WORKERS
from shegong.workforce.models import Assignment, Worker
from shegong.workforce.tests.factories import certify, make_id, make_station, make_worker


@pytest.fixture
def station(db):
    return make_station("522301001", name="黄草街道社工站")


def _parse(**data):
    return services.worker_parse({"name": "李娜", "employment_type": "resident", **data})


def test_the_id_number_gives_sex_and_birth_date():
    values = _parse(id_number=make_id("522301", "19851231", 124))
    assert values["sex"] == "female"
    assert values["birth_date"] == dt.date(1985, 12, 31)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (make_id()[:-1] + ("0" if make_id()[-1] != "0" else "1"), "校验"),
        ("52230119900101123", "18"),
        ("52230119901301123X", ""),  # month 13
        ("52230119900101123Y", ""),
    ],
)
def test_a_wrong_id_number_is_refused_with_a_message_on_its_field(number, message):
    with pytest.raises(ValidationError) as caught:
        _parse(id_number=number)
    errors = caught.value.message_dict
    assert list(errors) == ["id_number"]
    assert message in errors["id_number"][0]
    assert number not in errors["id_number"][0]


def test_choices_are_accepted_by_value_or_by_chinese_label():
    assert _parse(id_number=make_id(), employment_type="劳务派遣")["employment_type"] == "dispatched"
    with pytest.raises(ValidationError) as caught:
        _parse(id_number=make_id(), employment_type="全职")
    assert "employment_type" in caught.value.message_dict


def test_one_person_cannot_be_registered_twice_anywhere(station):
    number = make_id(sequence=321)
    make_worker(station, id_number=number)
    other = make_station("522302001")
    with pytest.raises(ValidationError) as caught:
        make_worker(other, id_number=number.lower())
    assert "id_number" in caught.value.message_dict
    assert Worker.objects.count() == 1


def test_registering_at_a_station_opens_an_assignment_and_keeps_the_file_there(station):
    worker = make_worker(station)
    assert worker.region_id == "522301001"
    assignment = worker.assignments.get()
    assert assignment.facility == station and assignment.end_date is None


def test_a_planned_station_takes_no_workers(db):
    planned = make_station("522301003", status=FacilityStatus.PLANNED)
    with pytest.raises(ValidationError):
        make_worker(planned)


def test_a_move_closes_the_old_assignment_opens_the_new_and_keeps_history(station, users):
    worker = make_worker(station, joined_on=dt.date(2022, 3, 1))
    other = make_station("522301002", name="丰都街道社工站")
    services.worker_move(actor=users["county"], worker=worker, facility=other, start_date=dt.date(2024, 7, 1))
    history = list(Assignment.objects.filter(worker=worker).order_by("start_date"))
    assert [(a.facility_id, a.start_date, a.end_date) for a in history] == [
        (station.pk, dt.date(2022, 3, 1), dt.date(2024, 7, 1)),
        (other.pk, dt.date(2024, 7, 1), None),
    ]
    worker.refresh_from_db()
    assert worker.region_id == "522301002"


def test_both_stations_staffing_changes_with_a_move(station, users):
    worker = make_worker(station)
    other = make_station("522301002")
    before = {r["facility"].pk: r["full_time"] for r in selectors.station_staffing(user=users["county"])}
    assert (before[station.pk], before[other.pk]) == (1, 0)
    services.worker_move(actor=users["county"], worker=worker, facility=other)
    after = {r["facility"].pk: r for r in selectors.station_staffing(user=users["county"])}
    assert (after[station.pk]["full_time"], after[other.pk]["full_time"]) == (0, 1)
    assert after[station.pk]["under"] and not after[other.pk]["under"]


def test_a_move_before_the_current_start_or_to_the_same_station_is_refused(station, users):
    worker = make_worker(station, joined_on=dt.date(2023, 1, 1))
    with pytest.raises(ValidationError):
        services.worker_move(actor=users["county"], worker=worker, facility=station)
    other = make_station("522301002")
    with pytest.raises(ValidationError):
        services.worker_move(
            actor=users["county"], worker=worker, facility=other, start_date=dt.date(2022, 1, 1)
        )
    assert worker.assignments.count() == 1


def test_a_county_cannot_move_a_worker_into_another_county(station, users):
    worker = make_worker(station)
    elsewhere = make_station("522302001")
    with pytest.raises(ValidationError):
        services.worker_move(actor=users["county"], worker=worker, facility=elsewhere)
    services.worker_move(actor=users["prefecture"], worker=worker, facility=elsewhere)
    assert selectors.worker_list(user=users["county"]).count() == 0
    assert selectors.worker_list(user=users["county2"]).count() == 1


def test_leaving_closes_the_assignment_and_returning_allows_a_new_one(station, users):
    worker = make_worker(station, joined_on=dt.date(2022, 1, 1))
    services.worker_leave(actor=users["county"], worker=worker, left_on=dt.date(2024, 2, 1))
    assert worker.assignments.get().end_date == dt.date(2024, 2, 1)
    with pytest.raises(ValidationError):
        services.worker_move(actor=users["county"], worker=worker, facility=station)
    services.worker_return(actor=users["county"], worker=worker)
    services.worker_move(actor=users["county"], worker=worker, facility=station)
    assert worker.assignments.count() == 2


def test_the_current_level_is_the_highest_certificate(station, users):
    worker = make_worker(station)
    certify(worker, level=1, year=2019)
    certify(worker, level=2, year=2022)
    assert selectors.worker_get(user=users["county"], pk=worker.pk).current_level == 2
    assert WORKERS.filter({"level": "2"}, users["county"]).qs.count() == 1
    assert WORKERS.filter({"level": "1"}, users["county"]).qs.count() == 0


def test_search_finds_a_worker_by_whole_id_number_or_its_last_four(station, users):
    number = make_id(sequence=456)
    make_worker(station, id_number=number, phone="13600001234")
    for term in (number, number[-4:], "13600001234", "1234"):
        assert WORKERS.filter({"q": term}, users["county"]).qs.count() == 1, term
    assert WORKERS.filter({"q": number}, users["county2"]).qs.count() == 0


def test_the_form_registers_a_worker_and_the_move_page_moves_them(client, users, station):
    other = make_station("522301002", name="丰都街道社工站")
    verified_login(client, users["county"])
    number = make_id("522301", "19950505", 135)
    response = client.post(
        reverse("workforce:worker_create"),
        {
            "name": "周敏",
            "id_number": number,
            "phone": "138 0013 8000",
            "employment_type": "resident",
            "post": "social_worker",
            "facility": station.pk,
            "joined_on": "2024-01-02",
        },
    )
    worker = Worker.objects.get(name="周敏")
    assert response.status_code == 302 and response["Location"] == reverse(
        "workforce:worker_detail", args=[worker.pk]
    )
    assert worker.phone == "13800138000" and worker.sex == "male"
    response = client.post(
        reverse("workforce:worker_move", args=[worker.pk]), {"facility": other.pk, "start_date": "2024-06-01"}
    )
    assert response.status_code == 302
    page = client.get(reverse("workforce:worker_detail", args=[worker.pk])).content.decode()
    assert "黄草街道社工站" in page and "丰都街道社工站" in page


def test_the_form_shows_a_bad_id_number_on_its_field_without_a_500(client, users, station):
    verified_login(client, users["county"])
    response = client.post(
        reverse("workforce:worker_create"),
        {
            "name": "周敏",
            "id_number": "522301199505051350",
            "employment_type": "resident",
            "post": "social_worker",
        },
    )
    assert response.status_code == 400
    assert "校验" in response.content.decode()
    assert Worker.objects.count() == 0


def test_the_api_registers_and_moves_a_worker(client, users, station):
    from knox.models import AuthToken

    other = make_station("522301002")
    _instance, token = AuthToken.objects.create(users["county"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.post(
        reverse("api:workers"),
        {
            "name": "周敏",
            "id_number": make_id(sequence=777),
            "employment_type": "resident",
            "station": station.pk,
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.post(
        reverse("api:worker_move", args=[pk]),
        {"station": other.pk},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert [a["end_date"] is None for a in response.json()["assignments"]] == [True, False]
    bad = client.post(
        reverse("api:workers"),
        {"name": "周敏", "id_number": "522301199505051350", "employment_type": "resident"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400 and "id_number" in bad.json()["errors"]
