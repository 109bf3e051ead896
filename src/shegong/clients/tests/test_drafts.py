"""Nothing typed is lost (issue 16.4): the server keeps a draft per user and form address, encrypted; only
its owner reads it; saving the form drops it; the session can be kept alive."""

import json

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shegong.clients.models import Draft
from shegong.clients.tests.factories import make_person

pytestmark = pytest.mark.django_db
DRAFTS = reverse("clients:drafts")


def test_a_draft_is_kept_encrypted_and_read_back_only_by_its_owner(users, login):
    url = "/people/1/visit/"
    data = json.dumps({"findings": ["老人独居，屋顶漏雨"]})
    client = login(users["worker"])
    response = client.post(DRAFTS, {"url": url, "data": data, "title": "登记走访"})
    assert response.status_code == 200 and response.json()["saved"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM clients_draft")
        stored = cursor.fetchone()[0]
    assert "屋顶漏雨" not in stored
    assert json.loads(client.get(DRAFTS, {"url": url}).json()["draft"]["data"]) == json.loads(data)
    assert login(users["county"]).get(DRAFTS, {"url": url}).json()["draft"] is None


def test_a_draft_for_another_site_or_not_json_is_refused(users, login):
    client = login(users["worker"])
    assert client.post(DRAFTS, {"url": "https://evil.example/", "data": "{}"}).status_code == 400
    assert client.post(DRAFTS, {"url": "/people/", "data": "not json"}).status_code == 400
    assert not Draft.objects.exists()


def test_saving_the_visit_drops_the_draft_of_its_form(users, login):
    person = make_person()
    url = reverse("clients:visit_create", args=[person.pk])
    client = login(users["worker"])
    client.post(DRAFTS, {"url": url, "data": json.dumps({"findings": ["身体尚可"]})})
    assert Draft.objects.filter(url=url).exists()

    client.post(url, {"visited_on": timezone.localdate().isoformat(), "mode": "home", "findings": "身体尚可"})
    assert not Draft.objects.filter(url=url).exists()


def test_delete_drops_the_draft(users, login):
    client = login(users["worker"])
    client.post(DRAFTS, {"url": "/x/", "data": "{}"})
    assert client.delete(f"{DRAFTS}?url=/x/").json()["deleted"]
    assert not Draft.objects.exists()


def test_keepalive_renews_the_session_and_anonymous_gets_the_login_page(users, login, client):
    assert client.post(reverse("clients:keepalive")).status_code == 302
    response = login(users["worker"]).post(reverse("clients:keepalive"))
    assert response.status_code == 200 and response.json()["session_seconds"] > 0


def test_a_submit_after_the_session_ended_goes_to_login_and_back_to_the_same_form(users, client):
    from shegong.testing import verified_login

    person = make_person()
    url = reverse("clients:visit_create", args=[person.pk])
    response = client.post(url, {"findings": "身体尚可"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert f"next={url}" in response["Location"].replace("%2F", "/")
    verified_login(client, users["worker"])
    page = client.get(url).content.decode()
    assert "data-draft" in page and 'data-drafts-url="/people/drafts/"' in page
