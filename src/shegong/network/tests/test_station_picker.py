"""The one station chooser (network/picker.py): a select for a short list, the region picker's search box over
the station's id for a long one, and its scoped endpoint searching by name and browsing the divisions."""

import pytest
from django.urls import reverse

from shegong.casework.forms import CaseOpenForm
from shegong.evaluations.forms import StartForm
from shegong.network import picker
from shegong.network.models import Kind
from shegong.network.selectors import station_choices
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def stations():
    """A county centre, two township stations and a village room of county 522301; a station of its sibling
    county 522302; and the prefecture's city hub, which is never offered."""
    return {
        "centre": make_facility("522301"),
        "township": make_facility("522301001"),
        "room": make_facility("522301001001"),
        "other_township": make_facility("522301002"),
        "sibling": make_facility("522302001"),
        "hub": make_facility("5223", kind=Kind.CITY_HUB),
    }


def _choices(client, capability: str = "", **params) -> str:
    kwargs = {"capability": capability} if capability else {}
    response = client.get(reverse("network:station_pick", kwargs=kwargs), params)
    assert response.status_code == 200
    return response.content.decode()


def test_over_the_threshold_the_field_is_a_search_box_over_the_stations_id(users, stations, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_FROM", 3)
    form = CaseOpenForm(stations=station_choices(user=users["prefecture"]))
    html = str(form["station"])
    assert "<select" not in html and "<option" not in html
    assert 'type="hidden" name="station"' in html
    assert f'data-url="{reverse("network:station_pick")}"' in html
    chosen = stations["township"]  # the default: a township station
    assert f'value="{chosen.pk}"' in html and f'value="{chosen.name}"' in html
    assert f'data-under="{chosen.region_id}"' in html
    assert "form-select" not in html  # a text box, whatever class a select gets
    assert form["station"].id_for_label == "id_station_picker"  # the label names the box typed in


def test_at_or_under_the_threshold_the_field_stays_a_select(users, stations, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_FROM", 3)
    html = str(CaseOpenForm(stations=station_choices(user=users["worker"]))["station"])  # 2 stations
    assert '<select name="station"' in html and "data-region-picker" not in html
    monkeypatch.setattr(picker, "PICKER_FROM", 60)
    html = str(CaseOpenForm(stations=station_choices(user=users["prefecture"]))["station"])
    assert '<select name="station"' in html


def test_a_bound_value_shows_its_name_and_one_outside_the_list_shows_nothing(users, stations, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_FROM", 1)
    offered = station_choices(user=users["county"])
    html = str(CaseOpenForm({"station": stations["room"].pk}, stations=offered)["station"])
    assert f'value="{stations["room"].name}"' in html
    html = str(CaseOpenForm({"station": stations["sibling"].pk}, stations=offered)["station"])
    assert stations["sibling"].name not in html and f'value="{stations["sibling"].pk}"' not in html


def test_a_form_choosing_for_another_capability_asks_the_endpoint_for_it(users, stations, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_FROM", 1)
    offered = station_choices(user=users["prefecture"], capability="network.manage")
    form = StartForm(systems=offered.none(), stations=offered, projects=offered.none())
    url = reverse("network:station_pick", kwargs={"capability": "network.manage"})
    assert f'data-url="{url}"' in str(form["facility"])


def test_a_search_finds_stations_by_name_and_by_their_divisions_name_or_initials(users, login, stations):
    client = login(users["prefecture"])
    township = Region.objects.get(code="522301001")
    by_name = _choices(client, q=stations["township"].name[:4])
    assert f'data-region-choose="{stations["township"].pk}"' in by_name
    assert "兴义市" in by_name  # where it lies
    for term in (township.name, township.initials.lower()):
        found = _choices(client, q=term)
        # The township's station and its village room, the station first.
        assert found.index(f'="{stations["township"].pk}"') < found.index(f'="{stations["room"].pk}"')
        assert f'="{stations["other_township"].pk}"' not in found
    assert f'="{stations["sibling"].pk}"' in _choices(client, q=stations["sibling"].name)


def test_another_countys_stations_and_the_city_hub_are_never_offered(users, login, stations):
    client = login(users["county"])
    sibling, hub = stations["sibling"], stations["hub"]
    for params in (
        {"q": sibling.name},
        {"q": sibling.region.name},
        {"q": sibling.region.initials},
        {"q": hub.name},
        {"under": "522302"},
        {"under": "522302001"},
        {"under": "5223"},
        {},
    ):
        page = _choices(client, **params)
        assert f'data-region-choose="{sibling.pk}"' not in page
        assert f'data-region-choose="{hub.pk}"' not in page
        assert 'data-region-browse="522302' not in page
    found = picker.station_pick(user=users["county"], term="社工站")
    assert {row["code"] for row in found["rows"]} == {
        s.pk for key, s in stations.items() if key not in ("sibling", "hub")
    }


def test_browsing_goes_from_the_jurisdiction_down_its_divisions_to_the_stations(users, login, stations):
    client = login(users["county"])
    top = _choices(client)
    assert f'data-region-choose="{stations["centre"].pk}"' in top  # the county's own centre
    assert 'data-region-browse="522301001"' in top and 'data-region-browse="522301002"' in top
    assert 'data-region-browse="522301003"' not in top  # a township without a station
    township = _choices(client, under="522301001")
    assert f'data-region-choose="{stations["township"].pk}"' in township
    assert 'data-region-browse="522301001001"' in township
    assert f'data-region-choose="{stations["room"].pk}"' not in township  # one level at a time
    village = _choices(client, under="522301001001")
    assert f'data-region-choose="{stations["room"].pk}"' in village
    assert "data-region-crumbs" in village and "黄草街道" in village
    # The prefecture starts from its counties.
    top = _choices(login(users["prefecture"]))
    assert 'data-region-browse="522301"' in top and 'data-region-browse="522302"' in top
    assert "data-region-choose" not in top  # the city hub is not offered


def test_the_endpoint_answers_only_for_the_capability_the_form_chooses_for(users, login, stations):
    assert login(users["leader"]).get(reverse("network:station_pick")).status_code == 403
    worker = login(users["worker"])
    assert (
        worker.get(reverse("network:station_pick", kwargs={"capability": "network.manage"})).status_code
        == 403
    )
    assert worker.get(reverse("network:station_pick", kwargs={"capability": "data.view"})).status_code == 404
    managed = _choices(login(users["county"]), capability="network.manage", under="522301001")
    assert f'data-region-choose="{stations["township"].pk}"' in managed


@pytest.mark.parametrize("name", ["network:station_pick", "regions:pick"])
def test_control_characters_typed_in_the_box_are_left_out_of_the_search(users, login, stations, name):
    response = login(users["county"]).get(reverse(name), {"q": "黄草\x1f\x07"})
    assert response.status_code == 200
    assert "黄草" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "network:station_pick",
        "regions:pick",
        "clients:person_pick",
        "clients:person_list",
        "casework:case_list",
    ],
)
def test_an_address_holding_a_nul_is_a_bad_request_not_a_server_error(users, login, stations, name):
    """A NUL cannot be typed, only put in an address; PostgreSQL holds none in a string (core/middleware.py)."""
    response = login(users["county"]).get(reverse(name), {"q": "黄草\x00"})
    assert response.status_code == 400
    assert "请求" in response.content.decode()
