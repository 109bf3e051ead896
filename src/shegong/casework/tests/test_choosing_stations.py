"""The one station chooser and the referral targets: scoped to the user, never another county's station."""

import pytest
from django.urls import reverse

from shegong.casework.models import ServiceRecord
from shegong.casework.selectors import referral_targets
from shegong.casework.tests.factories import make_case, service_form, station
from shegong.network import picker
from shegong.network.models import FacilityStatus, Kind
from shegong.network.selectors import station_choices
from shegong.network.tests.factories import make_facility
from shegong.regions.selectors import region_find

pytestmark = pytest.mark.django_db
SERVICE_URL = reverse("casework:service_create")


def test_a_case_is_referred_to_a_station_of_its_own_county_never_to_the_sibling_countys(users):
    case = make_case()
    neighbour = make_facility("522301002")
    sibling = make_facility("522302001")
    closed = make_facility("522301003", status=FacilityStatus.CLOSED)
    for user in (users["worker"], users["county"], users["prefecture"]):
        targets = set(referral_targets(user=user, case=case))
        assert neighbour in targets
        assert sibling not in targets
        assert closed not in targets
        assert case.station not in targets
    assert not referral_targets(user=users["county2"], case=case).exists()
    assert not referral_targets(user=users["auditor"], case=case).exists()


def test_the_station_chooser_offers_open_stations_of_the_jurisdiction_but_no_city_hub(users):
    township = make_facility("522301001")
    room = make_facility("522301001001")
    centre = make_facility("522301")
    hub = make_facility("5223", kind=Kind.CITY_HUB)
    sibling = make_facility("522302001")
    closed = make_facility("522301002", status=FacilityStatus.CLOSED)
    offered = set(station_choices(user=users["county"]))
    assert {township, room, centre} <= offered
    assert not {hub, sibling, closed} & offered
    assert sibling in set(station_choices(user=users["prefecture"]))
    assert hub not in set(station_choices(user=users["prefecture"]))
    assert set(station_choices(user=users["worker"])) == {township, room}
    assert not station_choices(user=users["auditor"]).exists()


def test_region_find_answers_only_inside_the_jurisdiction_and_at_the_levels_asked(users):
    worker = users["worker"]
    assert region_find(user=worker, code="522301001001").name
    assert region_find(user=worker, code=" 522301001 ").code == "522301001"
    assert region_find(user=worker, code="522301001", levels=(5,)) is None
    assert region_find(user=worker, code="522302001001") is None  # the sibling county's village
    assert region_find(user=worker, code="5223") is None  # above the jurisdiction
    assert region_find(user=worker, code="abc") is None
    assert region_find(user=users["auditor"], code="522301") is None


def test_a_prefecture_picks_a_station_from_the_search_box_and_the_service_is_saved_there(
    users, login, monkeypatch
):
    monkeypatch.setattr(picker, "PICKER_FROM", 1)
    station()  # the township's station, the form's default
    chosen = make_facility("522302001")  # another county's station, inside the prefecture
    client = login(users["prefecture"])
    page = client.get(SERVICE_URL).content.decode()
    assert 'type="hidden" name="station"' in page and '<select name="station"' not in page
    found = client.get(reverse("network:station_pick"), {"q": chosen.region.name}).content.decode()
    assert f'data-region-choose="{chosen.pk}"' in found
    response = client.post(
        SERVICE_URL, service_form(station=chosen.pk, group_name="老年活动", participants=5)
    )
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert (record.station_id, record.worker_id) == (chosen.pk, users["prefecture"].pk)


@pytest.mark.parametrize("threshold", [1, 60])
def test_a_station_outside_the_users_list_posted_by_hand_is_a_field_error(
    users, login, monkeypatch, threshold
):
    monkeypatch.setattr(picker, "PICKER_FROM", threshold)  # the picker and the select judge alike
    station()
    outside = make_facility("522302001")
    response = login(users["county"]).post(
        SERVICE_URL, service_form(station=outside.pk, group_name="老年活动", participants=5)
    )
    assert response.status_code == 200
    assert "station" in response.context["form"].errors
    assert not ServiceRecord.objects.exists()
