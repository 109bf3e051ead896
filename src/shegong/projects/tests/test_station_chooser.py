"""The stations a project covers, chosen with the one station chooser (network/picker.py station_field): a
multi-select for a short list; over PICKER_FROM stations the search box adding each station as a chip, a hidden
input of the field's name, so the form posts what the multi-select posted and judges it the same way."""

import pytest
from django.urls import reverse

from shegong.network import picker
from shegong.network.tests.factories import make_facility
from shegong.projects.models import Project
from shegong.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def stations():
    """Two township stations and a village room of county 522301; a station of its sibling county 522302."""
    return {
        "township": make_facility("522301001"),
        "other_township": make_facility("522301002"),
        "room": make_facility("522301001001"),
        "sibling": make_facility("522302001"),
    }


def _form(login, user, path: str) -> str:
    response = login(user).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<form method="post" class="card')
    return html[start : html.index("</form>", start)]


def _post(client, chosen: list):
    data = {
        "name": "兴义市困难群众社会工作服务项目",
        "region": "522301",
        "purchaser": "兴义市民政局",
        "funding_source": "budget",
        "amount": "300000",
        "start_on": "2025-01-01",
        "end_on": "2025-12-31",
        "stations": chosen,
    }
    return client.post(reverse("projects:project_create"), data)


def test_over_the_threshold_the_stations_are_a_search_box_and_chips(users, login, stations, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_FROM", 2)
    form = _form(login, users["prefecture"], reverse("projects:project_create"))
    assert (
        '<select name="stations"' not in form and "<option" not in form.split('for="id_stations_picker"')[1]
    )
    url = reverse("network:station_pick", kwargs={"capability": "network.manage"})
    assert f'data-url="{url}"' in form and "data-region-multiple" in form
    assert 'for="id_stations_picker"' in form  # the label names the box typed in
    assert 'placeholder="输入名称或拼音首字母，添加社工站"' in form
    assert 'name="stations" value=""' in form  # only the chip template's, which is never posted
    assert "<template data-region-chip>" in form


def test_at_or_under_the_threshold_the_stations_stay_a_multi_select(users, login, stations, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_FROM", 3)
    form = _form(login, users["county"], reverse("projects:project_create"))  # the county's 3 stations
    assert '<select name="stations"' in form and 'size="8"' in form and "multiple" in form
    assert "data-region-multiple" not in form
    assert stations["room"].name in form
    assert stations["sibling"].name not in form  # another county's station is never offered


def test_an_existing_project_shows_its_stations_as_chips_by_name(users, login, stations, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_FROM", 2)
    project = make_project(stations=[stations["township"], stations["room"]])
    form = _form(login, users["county"], reverse("projects:project_edit", args=[project.pk]))
    for chosen in (stations["township"], stations["room"]):
        assert f'data-region-chip="{chosen.pk}"' in form
        assert f'<input type="hidden" name="stations" value="{chosen.pk}">' in form
        assert f'<span class="text-break" data-region-chip-label>{chosen.name}</span>' in form
        assert f'aria-label="移除 {chosen.name}"' in form
    assert f'data-region-chip="{stations["other_township"].pk}"' not in form
    assert f'data-under="{stations["room"].region_id}"' in form  # browsing opens by the last one chosen


def test_the_chips_posted_are_the_stations_saved(users, login, stations, monkeypatch):
    monkeypatch.setattr(picker, "PICKER_FROM", 2)
    response = _post(login(users["county"]), [stations["room"].pk, stations["other_township"].pk])
    assert response.status_code == 302
    project = Project.objects.get()
    assert set(project.stations.all()) == {stations["room"], stations["other_township"]}
    # Re-opened and saved with one chip removed, the project covers the one left.
    client = login(users["county"])
    response = client.post(
        reverse("projects:project_edit", args=[project.pk]),
        {
            "name": project.name,
            "purchaser": project.purchaser,
            "funding_source": project.funding_source,
            "amount": "300000",
            "start_on": "2025-01-01",
            "end_on": "2025-12-31",
            "stations": [stations["room"].pk],
        },
    )
    assert response.status_code == 302
    assert list(project.stations.all()) == [stations["room"]]


@pytest.mark.parametrize("threshold", [2, 60])
def test_a_station_outside_the_users_scope_posted_by_hand_is_the_fields_error(
    users, login, stations, monkeypatch, threshold
):
    monkeypatch.setattr(picker, "PICKER_FROM", threshold)
    sibling = stations["sibling"]
    for posted, message in (
        ([stations["township"].pk, sibling.pk], f"{sibling.pk} 不在可用的选项中"),
        # What is no id at all is refused before the database is asked (lib/forms.py ModelMultipleChoiceField).
        (["-1"], "“-1”不是一个有效的值"),
        (["abc"], "“abc”不是一个有效的值"),
        (["9" * 30], "“" + "9" * 30 + "”不是一个有效的值"),
        (["-" + "9" * 20], "不是一个有效的值"),
    ):
        response = _post(login(users["county"]), posted)
        assert response.status_code == 400
        page = response.content.decode()
        field = page[
            page.index('for="id_stations') : page.index('<div class="mb-3">', page.index('for="id_stations'))
        ]
        assert message in field and "invalid-feedback" in field
        assert sibling.name not in page
    assert not Project.objects.exists()


def test_another_countys_stations_are_never_offered_by_the_box(users, login, stations):
    client = login(users["county"])
    url = reverse("network:station_pick", kwargs={"capability": "network.manage"})
    for params in ({"q": stations["sibling"].name}, {"q": "兴仁"}, {"under": "522302"}, {}):
        page = client.get(url, params).content.decode()
        assert f'data-region-choose="{stations["sibling"].pk}"' not in page
    assert f'data-region-choose="{stations["room"].pk}"' in client.get(url, {"q": "社工"}).content.decode()
