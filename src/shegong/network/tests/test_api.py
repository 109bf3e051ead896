import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from shegong.network.models import Facility, FacilityStatus
from shegong.network.tests.factories import make_facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    def client_for(role):
        client = APIClient()
        _instance, token = AuthToken.objects.create(users[role])
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return client_for


def test_stations_are_listed_within_the_jurisdiction_and_filtered(api):
    make_facility("522301001", status=FacilityStatus.OPERATING)
    make_facility("522301002", status=FacilityStatus.BUILDING)
    make_facility("522302001", status=FacilityStatus.OPERATING)
    body = api("county").get(reverse("api:stations"), {"status": "built_or_later"}).json()
    assert [s["region"] for s in body["results"]] == ["522301001"]
    body = (
        api("prefecture")
        .get(reverse("api:stations"), {"region": "522302", "kind": "township_station"})
        .json()
    )
    assert body["count"] == 1 and body["results"][0]["status_label"]


def test_a_station_is_created_with_the_same_rules_as_the_form(api):
    client = api("county")
    response = client.post(
        reverse("api:stations"),
        {"kind": "township_station", "region": "522301003", "name": "桔山街道社工站", "status": "operating"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Facility.objects.get().created_by.username == "county"
    wrong_level = client.post(
        reverse("api:stations"), {"kind": "township_station", "region": "522301", "name": "x"}, format="json"
    )
    assert wrong_level.status_code == 400 and "region" in wrong_level.json()["errors"]
    duplicate = client.post(
        reverse("api:stations"),
        {"kind": "township_station", "region": "522301003", "name": "y"},
        format="json",
    )
    assert duplicate.status_code == 400
    outside = client.post(
        reverse("api:stations"),
        {"kind": "township_station", "region": "522302001", "name": "z"},
        format="json",
    )
    assert outside.status_code == 400 and "region" in outside.json()["errors"]
    assert Facility.objects.count() == 1


def test_status_moves_follow_the_table_through_the_api(api):
    facility = make_facility("522301001", status=FacilityStatus.PLANNED)
    client = api("county")
    url = reverse("api:station_status", args=[facility.pk])
    assert client.post(url, {"to_status": "building"}, format="json").json()["status"] == "building"
    refused = client.post(url, {"to_status": "operating"}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"]["to_status"]
    assert client.post(url, {"to_status": "nonsense"}, format="json").status_code == 400


def test_details_are_patched_but_the_status_is_not(api):
    facility = make_facility("522301001")
    client = api("worker")
    url = reverse("api:station", args=[facility.pk])
    assert client.patch(url, {"floor_area": 99}, format="json").json()["floor_area"] == 99
    assert client.patch(url, {"status": "closed"}, format="json").status_code == 400
    assert client.patch(url, {"floor_area": "很大"}, format="json").status_code == 400
    assert api("county2").patch(url, {"floor_area": 1}, format="json").status_code == 404


def test_coverage_gives_the_dashboard_figures_for_the_region_and_each_child(api):
    make_facility("522301001", status=FacilityStatus.OPERATING)
    make_facility("522302001", status=FacilityStatus.BUILT)
    body = api("prefecture").get(reverse("api:coverage"), {"region": "5223"}).json()
    assert body["region"]["townships_in_scope"] == 140
    assert body["region"]["townships_covered"] == 2
    assert len(body["children"]) == 8
    first = body["children"][0]
    assert first["code"] == "522302" and first["township_coverage"] == 5.6
    assert api("county").get(reverse("api:coverage"), {"region": "522302"}).status_code == 404
    assert api("sysadmin").get(reverse("api:coverage"), {"region": "5223"}).status_code == 403
