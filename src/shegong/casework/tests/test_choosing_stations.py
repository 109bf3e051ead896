"""The one station chooser and the referral targets: scoped to the user, never another county's station."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from shegong.casework.forms import ReferralForm
from shegong.casework.models import Referral, ServiceRecord
from shegong.casework.selectors import referral_targets
from shegong.casework.tests.factories import make_case, service_form, station
from shegong.network import picker
from shegong.network.models import FacilityStatus, Kind
from shegong.network.selectors import station_choices
from shegong.network.tests.factories import make_facility, picker_offers
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


def _refer(client, case, to_station):
    return client.post(
        reverse("casework:case_refer", args=[case.pk]), {"to_station": to_station, "reason": "就近"}
    )


def test_over_the_threshold_a_referral_picks_among_the_cases_targets_and_is_saved(users, login, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_FROM", 1)
    case = make_case()
    neighbour, room = make_facility("522301002"), make_facility("522301002001")
    sibling = make_facility("522302001")
    make_facility("522301003")  # two targets: over the threshold of 1
    client = login(users["worker"])
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    url = reverse("network:station_pick_from", kwargs={"source": "referral", "of": case.pk})
    assert 'type="hidden" name="to_station"' in page and f'data-url="{url}"' in page
    assert '<select name="to_station"' not in page
    # The endpoint offers what the form accepts: the county's township stations but the case's own.
    for user in (users["worker"], users["county"], users["prefecture"]):
        targets = {s.pk for s in referral_targets(user=user, case=case)}
        assert picker_offers(user, source="referral", of=case.pk) == targets
        assert neighbour.pk in targets and not {sibling.pk, room.pk, case.station_id} & targets
    for params in ({"q": sibling.name}, {"q": sibling.region.name}, {"under": "522302"}, {}):
        assert f'data-region-choose="{sibling.pk}"' not in client.get(url, params).content.decode()
    assert f'data-region-choose="{neighbour.pk}"' in client.get(url, {"q": neighbour.name}).content.decode()
    assert _refer(client, case, neighbour.pk).status_code == 302
    assert Referral.objects.get(case=case).to_station == neighbour


@pytest.mark.parametrize("threshold", [1, 60])
def test_a_referral_to_a_station_outside_the_cases_targets_is_refused(users, login, monkeypatch, threshold):
    monkeypatch.setattr(picker, "PICKER_FROM", threshold)
    case = make_case()
    make_facility("522301002")
    client = login(users["prefecture"])
    for outside in (make_facility("522302001"), case.station, make_facility("522301002001")):
        response = _refer(client, case, outside.pk)
        assert response.status_code == 302  # back to the case, with the form's error
        error = list(get_messages(response.wsgi_request))[-1]
        assert error.level_tag == "error" and str(error).startswith(
            str(ReferralForm.base_fields["to_station"].label)
        )
    assert not Referral.objects.exists()


def test_the_referral_list_answers_only_for_a_case_the_user_may_edit(users, login):
    case = make_case()
    url = reverse("network:station_pick_from", kwargs={"source": "referral", "of": case.pk})
    assert login(users["county2"]).get(url).status_code == 404
    assert login(users["leader"]).get(url).status_code == 403
    assert login(users["worker"]).get(url).status_code == 200
