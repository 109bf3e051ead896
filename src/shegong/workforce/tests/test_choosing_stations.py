"""The worker forms' station: the station chooser (network/picker.py) over the stations that can take workers,
its endpoint answering from the same list the forms accept, never another county's station."""

import pytest
from django.urls import reverse

from shegong.network import picker
from shegong.network.models import FacilityStatus, Kind
from shegong.network.tests.factories import picker_offers
from shegong.testing import verified_login
from shegong.workforce.models import Assignment, Worker
from shegong.workforce.selectors import staffable_facilities
from shegong.workforce.tests.factories import make_id, make_station, make_worker

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("workforce:worker_create")
PICK_URL = reverse("network:station_pick_from", kwargs={"source": "staffable"})


@pytest.fixture
def stations():
    """Stations of county 522301 (one being built, one closed), one of the sibling county and the city hub."""
    return {
        "township": make_station("522301001"),
        "building": make_station("522301002", status=FacilityStatus.BUILDING),
        "closed": make_station("522301003", status=FacilityStatus.CLOSED),
        "sibling": make_station("522302001"),
        "hub": make_station("5223", kind=Kind.CITY_HUB),
    }


def _create(client, facility):
    number = make_id("522301", "19950505", 135)
    return client.post(
        CREATE_URL,
        {
            "name": "周敏",
            "id_number": number,
            "employment_type": "resident",
            "post": "social_worker",
            "facility": facility,
            "joined_on": "2024-01-02",
        },
    )


def _move(client, worker, facility):
    url = reverse("workforce:worker_move", args=[worker.pk])
    return client.post(url, {"facility": facility, "start_date": "2024-06-01"})


def test_the_endpoint_offers_the_stations_the_worker_forms_accept(users, login, stations):
    for role in ("prefecture", "county", "worker"):
        user = users[role]
        assert picker_offers(user, source="staffable") == {s.pk for s in staffable_facilities(user=user)}
    county = picker_offers(users["county"], source="staffable")
    assert {stations["township"].pk, stations["building"].pk} <= county
    assert not {stations["closed"].pk, stations["sibling"].pk, stations["hub"].pk} & county
    assert stations["hub"].pk in picker_offers(users["prefecture"], source="staffable")  # a hub takes workers
    client = login(users["county"])
    sibling = stations["sibling"]
    for params in ({"q": sibling.name}, {"q": sibling.region.name}, {"under": "522302"}, {}):
        assert f'data-region-choose="{sibling.pk}"' not in client.get(PICK_URL, params).content.decode()
    assert login(users["leader"]).get(PICK_URL).status_code == 403


def test_over_the_threshold_a_worker_is_registered_and_moved_with_the_picker(
    client, users, stations, monkeypatch
):
    monkeypatch.setattr(picker, "PICKER_FROM", 1)
    verified_login(client, users["county"])
    page = client.get(CREATE_URL).content.decode()
    assert 'type="hidden" name="facility"' in page and f'data-url="{PICK_URL}"' in page
    assert '<select name="facility"' not in page
    assert _create(client, stations["township"].pk).status_code == 302
    worker = Worker.objects.get(name="周敏")
    assert Assignment.objects.get(worker=worker).facility == stations["township"]
    move_url = reverse("workforce:worker_move", args=[worker.pk])
    page = client.get(move_url).content.decode()
    assert 'type="hidden" name="facility"' in page and f'data-url="{PICK_URL}"' in page
    assert _move(client, worker, stations["building"].pk).status_code == 302
    current = Assignment.objects.get(worker=worker, end_date=None)
    assert current.facility == stations["building"]


@pytest.mark.parametrize("threshold", [1, 60])
def test_a_station_outside_the_list_is_the_forms_error_and_nothing_is_written(
    client, users, stations, monkeypatch, threshold
):
    monkeypatch.setattr(picker, "PICKER_FROM", threshold)  # the picker and the select judge alike
    verified_login(client, users["county"])
    worker = make_worker(stations["township"])
    for outside in ("sibling", "closed", "hub"):
        response = _create(client, stations[outside].pk)
        assert response.status_code == 400 and "facility" in response.context["form"].errors
        response = _move(client, worker, stations[outside].pk)
        assert response.status_code in (200, 400) and "facility" in response.context["form"].errors
    assert not Worker.objects.exclude(pk=worker.pk).exists()
    assert Assignment.objects.get(worker=worker).facility == stations["township"]
