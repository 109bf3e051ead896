"""A region outside the user's jurisdiction is a 404, never silently the user's own (issue 13 item 3,
lib/scoping.py region_asked): 兴义市 (522301)'s administrator asking for 兴仁市 (522302)."""

from io import BytesIO

import pytest
from django.http import Http404
from django.urls import reverse
from knox.models import AuthToken
from openpyxl import load_workbook

from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, id_number, make_person, make_visit
from shegong.lib.scoping import area_of, region_asked

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_run_at_once")]


@pytest.fixture
def two_counties(users):
    """An overdue key person in each county."""
    own = make_person(name="兴义甲", risk_level="key", id_number=id_number())
    other = make_person(
        OTHER_COUNTY_VILLAGE, name="兴仁乙", risk_level="key", id_number=id_number(region="522302")
    )
    make_visit(own, 60)
    make_visit(other, 60)
    return own, other


def test_region_asked_keeps_codes_inside_and_refuses_the_rest(users):
    county = users["county"]
    assert region_asked(county, "") == "" and area_of(county, "") == "522301"
    assert region_asked(county, " 522301001 ") == "522301001"
    # Above the jurisdiction: what the county may see of it, which is the county.
    assert region_asked(county, "5223") == "522301" and region_asked(county, "52") == "522301"
    for outside in ("522302", "522302001", "53", "abc", "5223０1", "522401"):
        with pytest.raises(Http404):
            region_asked(county, outside)
    assert region_asked(users["province"], "522302") == "522302"


def test_the_overdue_list_answers_404_for_another_county(users, login, two_counties):
    client = login(users["county"])
    url = reverse("clients:visit_ledger")
    refused = client.get(url, {"region": "522302"})
    assert refused.status_code == 404 and "兴义甲" not in refused.content.decode()
    page = client.get(url, {"region": "522301"}).content.decode()
    assert "兴义甲" in page and "兴仁乙" not in page
    # The other county's administrator sees theirs, and gets 404 for 兴义市.
    other = login(users["county2"])
    assert "兴仁乙" in other.get(url, {"region": "522302"}).content.decode()
    assert other.get(url, {"region": "522301"}).status_code == 404


def test_the_people_export_answers_404_for_another_county_and_holds_only_the_region_asked(
    users, login, two_counties
):
    client = login(users["county"])
    export = reverse("core:list_export", args=["clients.people"])
    assert client.get(export, {"region": "522302"}).status_code == 404
    clear = reverse("core:list_export_clear", args=["clients.people"])
    assert client.get(clear, {"region": "522302"}).status_code == 404
    response = client.get(export, {"region": "522301"})
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["兴义甲"]


@pytest.mark.parametrize("name", ["api:clients", "api:visits", "api:cases", "api:workers", "api:volunteers"])
def test_api_lists_answer_404_for_another_county(client, users, two_counties, name):
    _instance, token = AuthToken.objects.create(users["county"])
    response = client.get(reverse(name), {"region": "522302"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404
    assert response.json()["status"] == 404 and "兴" not in response.content.decode()


def test_the_api_client_list_holds_only_the_region_asked(client, users, two_counties):
    _instance, token = AuthToken.objects.create(users["county"])
    response = client.get(reverse("api:clients"), {"region": "522301"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["name"] for r in rows] == ["兴义甲"]
    assert {r["region"][:6] for r in rows} == {"522301"}


def test_the_service_record_export_refuses_another_county(users, login):
    client = login(users["county"])
    export = reverse("core:list_export", args=["casework.services"])
    assert client.get(export, {"region": "522302"}).status_code == 404
    assert client.get(export, {"region": "522301"}).status_code == 200


def test_a_typed_region_beside_the_jurisdiction_is_a_message_on_the_filter_not_the_users_rows(users, login):
    from shegong.network.tests.factories import make_facility

    make_facility("522301001", name="兴义站")
    make_facility("522302001", name="兴仁站")
    client = login(users["county"])
    response = client.get(reverse("network:facility_list"), {"region": "522302"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "行政区划522302不在您的管辖范围内。" in page
    assert "兴义站" not in page and "兴仁站" not in page
    assert "兴义站" in client.get(reverse("network:facility_list"), {"region": "522301"}).content.decode()
