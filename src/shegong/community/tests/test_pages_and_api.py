"""A volunteer from registration to a confirmed hour to a redemption, through the pages and through the API;
ID numbers masked unless asked for (and then audited); the certificate; out of jurisdiction is 404."""

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from knox.models import AuthToken

from shegong.community.models import PointEntry, SignUp, Volunteer
from shegong.community.tests.factories import (
    catalogue_item,
    give_points,
    id_number,
    make_activity,
    make_volunteer,
    station,
)

pytestmark = pytest.mark.django_db


def test_a_worker_takes_a_volunteer_from_sign_up_to_confirmed_hours_to_a_redemption(login, users):
    client = login(users["worker"])
    number = id_number()
    station()
    response = client.post(
        "/community/volunteers/new/",
        {"name": "王小明", "id_number": number, "phone": "13912345678", "region": "522301001001"},
    )
    volunteer = Volunteer.objects.get(name="王小明")
    assert response.status_code == 302 and volunteer.id_number == number
    page = client.get(f"/community/volunteers/{volunteer.pk}/").content.decode()
    assert number not in page and "522301********" + number[-4:] in page and "139****5678" in page

    activity = make_activity(held_on=timezone.localdate())
    client.post(f"/community/activities/{activity.pk}/signups/", {"volunteer": volunteer.pk})
    signup = SignUp.objects.get(volunteer=volunteer)
    for action in ("check-in", "check-out"):
        assert client.post(f"/community/signups/{signup.pk}/{action}/").status_code == 302
    client.post(f"/community/signups/{signup.pk}/confirm/", {"hours": "3"})
    signup.refresh_from_db()
    assert signup.status == "confirmed" and signup.points == 30

    rice = catalogue_item(cost=25)
    client.post(f"/community/volunteers/{volunteer.pk}/redeem/", {"item": rice.pk, "quantity": "1"})
    response = client.post(
        f"/community/volunteers/{volunteer.pk}/redeem/", {"item": rice.pk, "quantity": "1"}, follow=True
    )
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 5
    assert "25" in response.content.decode() and "5" in response.content.decode()
    assert [e.kind for e in PointEntry.objects.filter(volunteer=volunteer)] == ["earn", "redeem"]


def test_bad_input_gets_a_message_not_an_error_page(login, users):
    client = login(users["county"])
    response = client.post("/community/volunteers/new/", {"name": "甲", "id_number": "123", "region": "abc"})
    assert response.status_code == 200
    assert "18" in response.content.decode()
    activity = make_activity()
    volunteer = make_volunteer()
    client.post(f"/community/activities/{activity.pk}/signups/", {"volunteer": volunteer.pk})
    signup = SignUp.objects.get()
    response = client.post(f"/community/signups/{signup.pk}/confirm/", {"hours": "abc"}, follow=True)
    assert response.status_code == 200
    signup.refresh_from_db()
    assert signup.status == "signed_up"


def test_the_clear_id_number_is_shown_only_on_request_and_audited(login, users):
    volunteer = make_volunteer()
    client = login(users["county"])
    response = client.post(f"/community/volunteers/{volunteer.pk}/reveal/", {"field": "id_number"})
    assert volunteer.id_number in response.content.decode()
    views = LogEntry.objects.filter(object_pk=str(volunteer.pk), additional_data__event="view")
    assert views.filter(content_type__model="volunteer").exists()
    change = LogEntry.objects.get_for_object(volunteer).filter(action=LogEntry.Action.CREATE).get()
    assert volunteer.id_number not in str(change.changes) and volunteer.phone not in str(change.changes)
    leader = login(users["leader"])
    assert (
        leader.post(f"/community/volunteers/{volunteer.pk}/reveal/", {"field": "id_number"}).status_code
        == 403
    )


def test_the_hours_certificate_is_a_pdf_of_the_confirmed_hours(login, users):
    from shegong.community.tests.factories import confirmed_signup

    volunteer = make_volunteer()
    confirmed_signup(volunteer, hours="2.5")
    confirmed_signup(volunteer, make_activity(title="政策宣传"), hours="1.5")
    client = login(users["county"])
    response = client.get(f"/community/volunteers/{volunteer.pk}/certificate/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"STSong-Light" in response.content
    assert LogEntry.objects.filter(additional_data__what="community.hours_certificate").exists()


def test_the_api_signs_up_confirms_and_refuses_a_redemption_beyond_the_balance(client, users):
    _instance, token = AuthToken.objects.create(users["worker"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    volunteer = make_volunteer()
    activity = make_activity()
    response = client.post(f"/api/v1/activities/{activity.pk}/signups/", {"volunteer": volunteer.pk}, **auth)
    assert response.status_code == 201
    signup = response.json()["id"]
    for action in ("check-in", "check-out"):
        assert client.post(f"/api/v1/signups/{signup}/{action}/", **auth).status_code == 200
    response = client.post(f"/api/v1/signups/{signup}/confirm/", {"hours": "1.5"}, **auth)
    assert response.json()["points"] == 15 and response.json()["status"] == "confirmed"
    again = client.post(f"/api/v1/signups/{signup}/confirm/", {"hours": "1.5"}, **auth)
    assert again.status_code == 400 and again.json()["message"]
    item = catalogue_item(cost=20)
    refused = client.post(f"/api/v1/volunteers/{volunteer.pk}/redeem/", {"item": item.pk}, **auth)
    assert refused.status_code == 400
    assert "15" in str(refused.json()["errors"]) and "20" in str(refused.json()["errors"])
    listed = client.get("/api/v1/volunteers/", **auth).json()["results"][0]
    assert listed["id_number_masked"].startswith("522301") and "id_number" not in listed
    ledger = client.get(f"/api/v1/volunteers/{volunteer.pk}/ledger/", **auth).json()["results"]
    assert [(e["kind"], e["points"]) for e in ledger] == [("earn", 15)]


def test_the_stats_api_answers_for_a_region_and_hides_other_counties(client, users):
    give_points(make_volunteer(), 10)
    make_activity(participants=5, beneficiaries=9)
    _instance, token = AuthToken.objects.create(users["county"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = client.get("/api/v1/stats/community/?region=522301001", **auth).json()
    assert body["region"] == "522301001" and body["activities"]["beneficiaries"] == 9
    assert body["volunteers"]["volunteers"] == 1
    assert client.get("/api/v1/stats/community/?region=522302", **auth).status_code == 404


def test_the_community_tabs_show_a_social_worker_only_their_own_work(login, users):
    """Sub-navigation shows what the role uses (issue 16.6): a worker's tabs are activities, group work and
    volunteers; the county's administrator also has figures, organisations, charity and the rest."""

    def tabs(user) -> list[str]:
        html = login(user).get("/community/activities/").content.decode()
        block = html.split('data-testid="community-tabs"', 1)[1].split("</ul>", 1)[0]
        return [href.split('"', 1)[0] for href in block.split('href="')[1:]]

    worker = tabs(users["worker"])
    assert worker == ["/community/activities/", "/community/groups/", "/community/volunteers/"], worker
    county = tabs(users["county"])
    assert set(worker) < set(county) and "/community/donations/" in county and len(county) == 11


def test_a_social_workers_only_station_is_chosen_for_them_and_the_county_chooses_among_several(login, users):
    """A default from context (基层减负): the township worker's activity and group forms have their station
    selected; the county's, with a station in each of two townships, select none."""
    from shegong.network.tests.factories import make_facility

    own = station()
    make_facility("522301002")
    for url in ("/community/activities/new/", "/community/groups/new/"):
        worker = login(users["worker"]).get(url).content.decode()
        assert f'<option value="{own.pk}" selected>' in worker, url
        county = login(users["county"]).get(url).content.decode()
        choices = county.split('name="station"', 1)[1].split("</select>", 1)[0]
        assert '<option value="" selected>' in choices and choices.count(" selected>") == 1, url


def test_a_volunteer_form_posted_empty_names_each_required_field_and_registers_nobody(login, users):
    """A POST with no field at all left the form unbound, and the ID number's check then failed on it (a
    server error)."""
    response = login(users["county"]).post("/community/volunteers/new/", {})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_bound and {"name", "id_number", "region"} <= set(form.errors)
    assert "此项必填" in response.content.decode()
    assert not Volunteer.objects.exists()
