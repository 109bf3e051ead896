import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shegong.network.models import Facility, FacilityStatus
from shegong.network.tests.factories import make_facility

pytestmark = pytest.mark.django_db


def test_an_administrator_registers_a_facility_by_division_code(users, login):
    client = login(users["county"])
    response = client.post(
        reverse("network:facility_create"),
        {
            "kind": "township_station",
            "region_code": "522301002",
            "name": "丰都街道社工站",
            "status": "planned",
        },
    )
    facility = Facility.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("network:facility_detail", args=[facility.pk])
    assert (facility.region_id, facility.status, facility.created_by) == (
        "522301002",
        "planned",
        users["county"],
    )


def test_the_create_form_names_the_field_for_a_code_outside_the_jurisdiction_or_of_the_wrong_level(
    users, login
):
    client = login(users["county"])
    data = {"kind": "township_station", "name": "x", "status": "planned"}
    response = client.post(reverse("network:facility_create"), {**data, "region_code": "522302001"})
    assert response.status_code == 400
    assert response.context["form"].errors["region_code"]
    response = client.post(reverse("network:facility_create"), {**data, "region_code": "522301"})
    assert response.context["form"].errors["region_code"]
    response = client.post(reverse("network:facility_create"), {**data, "region_code": "52230１"})
    assert response.context["form"].errors["region_code"]
    assert not Facility.objects.exists()


def test_the_status_form_offers_only_allowed_moves_and_records_them(users, login):
    facility = make_facility("522301001", status=FacilityStatus.PLANNED, status_date=dt.date(2023, 1, 1))
    client = login(users["county"])
    page = client.get(reverse("network:facility_detail", args=[facility.pk]))
    choices = [value for value, _label in page.context["status_form"].fields["to_status"].widget.choices]
    assert choices == ["building", "closed"]
    url = reverse("network:facility_status", args=[facility.pk])
    client.post(url, {"to_status": "building", "on": "2023-02-01", "note": "开工"})
    client.post(url, {"to_status": "operating", "on": "2023-03-01"})  # refused: not built yet
    facility.refresh_from_db()
    assert facility.status == "building"
    html = client.get(reverse("network:facility_detail", args=[facility.pk])).content.decode()
    assert "开工" in html and "2023-02-01" in html


def test_the_list_filters_by_region_kind_and_status_group(users, login):
    make_facility("522301001", status=FacilityStatus.OPERATING)
    make_facility("522301002", status=FacilityStatus.BUILDING)
    make_facility("522302001", status=FacilityStatus.BUILT)
    make_facility("522301", status=FacilityStatus.OPERATING)
    client = login(users["prefecture"])
    url = reverse("network:facility_list")
    names = lambda r: sorted(row.record.region_id for row in r.context["table"].page.object_list)  # noqa: E731
    assert names(client.get(url, {"region": "522301", "kind": "township", "status": "built_or_later"})) == [
        "522301001"
    ]
    assert names(client.get(url, {"status": "built_or_later"})) == ["522301", "522301001", "522302001"]
    assert names(client.get(url, {"kind": "county_centre"})) == ["522301"]


def test_the_list_shows_only_the_jurisdiction(users, login):
    make_facility("522301001")
    make_facility("522302001")
    response = login(users["county2"]).get(reverse("network:facility_list"))
    assert [row.record.region_id for row in response.context["table"].page.object_list] == ["522302001"]


def test_a_worker_edits_the_details_of_the_station_of_their_township(users, login):
    facility = make_facility("522301001")
    client = login(users["worker"])
    response = client.post(
        reverse("network:facility_edit", args=[facility.pk]),
        {"name": facility.name, "floor_area": "150", "contact_phone": "0859-1234567", "premises": "shared"},
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.floor_area, facility.premises) == (150, "shared")


def test_bad_input_on_the_edit_form_is_a_message_not_an_error(users, login):
    facility = make_facility("522301001")
    client = login(users["county"])
    response = client.post(
        reverse("network:facility_edit", args=[facility.pk]),
        {"name": "", "floor_area": "很大", "opened_on": "2099-01-01"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"name", "floor_area"}


def test_a_photo_is_uploaded_and_served_only_within_scope(users, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    facility = make_facility("522301001")
    client = login(users["worker"])
    client.post(
        reverse("network:photo_upload", args=[facility.pk]),
        {"file": SimpleUploadedFile("front.png", b"\x89PNG\r\n\x1a\n..."), "caption": "门牌"},
    )
    photo = facility.photos.get()
    assert client.get(reverse("network:photo_file", args=[photo.pk])).status_code == 200
    assert login(users["county2"]).get(reverse("network:photo_file", args=[photo.pk])).status_code == 404


def test_the_dashboard_shows_the_figures_and_links_them_to_the_records(users, login):
    make_facility("522301001", status=FacilityStatus.OPERATING)
    make_facility("522301002", status=FacilityStatus.BUILT)
    response = login(users["prefecture"]).get(reverse("network:dashboard", args=["5223"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "?region=5223&kind=township&status=built_or_later" in html
    assert 'id="network-chart-data"' in html and "network-dashboard.js" in html
    children = response.context["figures"].children
    assert children[0].code == "522301"
    assert reverse("network:dashboard", args=["522301"]) in html


def test_the_dashboard_table_exports_to_excel(users, login):
    make_facility("522301001", status=FacilityStatus.OPERATING)
    response = login(users["prefecture"]).get(reverse("network:dashboard_export", args=["5223"]))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 9  # 8 counties and the total
    assert rows[0][0] == "522301" and rows[0][3] == 1
    assert rows[-1][2] == 140


@pytest.mark.parametrize(
    "query",
    [
        {"region": "abc"},
        {"region": "52230x", "kind": "zzz", "status": "qq", "page": "x"},
        {"region": "５２２３"},
        {"q": "x" * 500},
    ],
)
def test_anything_typed_into_the_filters_gives_a_page_not_an_error(users, login, query):
    make_facility("522301001")
    response = login(users["county"]).get(reverse("network:facility_list"), query)
    assert response.status_code == 200


def test_a_region_code_that_is_not_digits_gives_a_404_on_the_dashboard_and_an_empty_api_list(users, login):
    client = login(users["county"])
    assert client.get(reverse("network:dashboard", args=["abc"])).status_code == 404


def test_a_forged_move_gets_the_services_message_not_a_raw_choice_error(users, login):
    facility = make_facility("522301001", status=FacilityStatus.PLANNED, status_date=dt.date(2023, 1, 1))
    client = login(users["county"])
    response = client.post(
        reverse("network:facility_status", args=[facility.pk]),
        {"to_status": "operating", "on": "2023-03-01"},
        follow=True,
    )
    text = response.content.decode()
    assert "operating" not in text.split("<main")[1].split("</main>")[0].replace('value="operating"', "")
    facility.refresh_from_db()
    assert facility.status == FacilityStatus.PLANNED
