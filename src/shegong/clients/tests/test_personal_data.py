"""One rule for personal data in every output (issue 13 item 6, lib/personal_data.py): exports and API lists are
masked for every role; a clear export is its own action with a purpose, refused without pii.view and audited;
a value in clear comes only from the one audited reveal, and never for another county's person."""

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse, reverse_lazy
from knox.models import AuthToken
from openpyxl import load_workbook

from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, id_number, make_person
from shegong.jobs.models import Job
from shegong.jobs.selectors import job_output_pieces

PHONE = "13800001234"
GUARDIAN_PHONE = "13900005678"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_run_at_once")]


@pytest.fixture
def person(users):
    return make_person(name="王秀英", id_number=id_number(), phone=PHONE)


def _cells(content: bytes) -> list[str]:
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    return [str(c) for row in sheet.iter_rows(min_row=2, values_only=True) for c in row if c is not None]


def _last_export(user) -> LogEntry:
    return LogEntry.objects.filter(actor=user, additional_data__event="export").latest("id")


EXPORT = reverse_lazy("core:list_export", args=["clients.people"])
CLEAR = reverse_lazy("core:list_export_clear", args=["clients.people"])


def test_the_people_export_of_a_pii_role_is_masked_without_the_clear_action(users, login, person):
    response = login(users["county"]).get(EXPORT)
    assert response.status_code == 200
    cells = _cells(response.content)
    assert "王秀英" in cells
    assert person.id_number not in cells and PHONE not in cells
    assert "138****1234" in cells and f"522301********{person.id_number[-4:]}" in cells
    entry = _last_export(users["county"]).additional_data
    assert entry["clear_pii"] is False and entry["what"] == "clients.people" and entry["rows"] == 1


def test_the_clear_export_needs_a_purpose_and_writes_it_to_the_audit_trail(users, login, person):
    client = login(users["county"])
    assert 'data-testid="export-clear"' in client.get(reverse("clients:person_list")).content.decode()
    page = client.get(CLEAR, {"region": "522301"})
    assert page.status_code == 200 and 'name="purpose"' in page.content.decode()

    refused = client.post(f"{CLEAR}?region=522301", {"region": "522301", "purpose": ""})
    assert "用途" in refused.content.decode() and refused["Content-Type"].startswith("text/html")
    assert not LogEntry.objects.filter(actor=users["county"], additional_data__event="export").exists()

    response = client.post(CLEAR, {"region": "522301", "purpose": "低保年审 核对身份证号"})
    assert response.status_code == 200
    cells = _cells(response.content)
    assert person.id_number in cells and PHONE in cells
    entry = _last_export(users["county"])
    assert entry.additional_data["clear_pii"] is True
    assert entry.additional_data["purpose"] == "低保年审 核对身份证号"
    assert entry.additional_data["rows"] == 1 and entry.additional_data["what"] == "clients.people"
    assert entry.timestamp is not None
    assert person.id_number not in str(entry.additional_data)


def test_a_role_without_pii_view_may_not_start_a_clear_export(users, login, person):
    client = login(users["leader"])
    assert 'data-testid="export-clear"' not in client.get(reverse("clients:person_list")).content.decode()
    assert client.get(CLEAR).status_code == 403
    assert client.post(CLEAR, {"purpose": "想看看身份证号"}).status_code == 403
    assert not LogEntry.objects.filter(actor=users["leader"], additional_data__event="export").exists()


def test_a_clear_job_started_by_a_role_that_lost_pii_view_is_written_masked(users, person):
    from shegong.jobs.registry import HANDLERS

    job = Job.objects.create(
        kind="lists.export",
        title="t",
        created_by=users["leader"],
        params={"list": "clients.people", "filters": {}, "clear": True, "purpose": "绕过页面"},
    )
    HANDLERS["lists.export"](job, lambda done, total: None)
    cells = _cells(b"".join(job_output_pieces(job)))
    assert "王秀英" in cells and person.id_number not in cells and PHONE not in cells


def test_the_api_list_and_detail_are_masked_for_a_pii_role(client, users, person):
    _instance, token = AuthToken.objects.create(users["county"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    before = LogEntry.objects.filter(additional_data__has_key="revealed").count()
    for url in (reverse("api:clients"), reverse("api:client", args=[person.pk])):
        response = client.get(url, **auth)
        assert response.status_code == 200
        body = response.content.decode()
        assert "王秀英" in body
        assert person.id_number not in body and PHONE not in body and "138****1234" in body
    assert LogEntry.objects.filter(additional_data__has_key="revealed").count() == before


def test_the_page_reveal_shows_one_field_and_writes_an_audit_row(users, login, person):
    client = login(users["worker"])
    page = client.get(reverse("clients:person_detail", args=[person.pk])).content.decode()
    assert PHONE not in page and person.id_number not in page
    assert 'data-testid="reveal-phone"' in page and 'data-testid="reveal-id_number"' in page
    response = client.post(reverse("clients:person_reveal", args=[person.pk]), {"field": "phone"})
    assert response.status_code == 200
    assert PHONE in response.content.decode() and person.id_number not in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    entry = LogEntry.objects.filter(object_pk=str(person.pk), additional_data__revealed="phone").get()
    assert entry.actor == users["worker"] and entry.additional_data["via"] == "page"
    assert (
        client.post(reverse("clients:person_reveal", args=[person.pk]), {"field": "name"}).status_code == 400
    )


def test_the_api_reveal_writes_an_audit_row_and_is_refused_without_pii_view(client, users, person):
    url = reverse("api:client_reveal", args=[person.pk])
    _instance, token = AuthToken.objects.create(users["leader"])
    refused = client.post(url, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 403 and person.id_number not in refused.content.decode()
    _instance, token = AuthToken.objects.create(users["county"])
    response = client.post(
        url, {"fields": ["id_number"]}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    assert response.json() == {"id": person.pk, "id_number": person.id_number}
    assert response["Cache-Control"] == "no-store"
    entry = LogEntry.objects.filter(object_pk=str(person.pk), additional_data__revealed="id_number").get()
    assert entry.actor == users["county"] and entry.additional_data["via"] == "api"
    bad = client.post(
        url, {"fields": ["address"]}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert bad.status_code == 400


def test_the_other_countys_person_cannot_be_revealed(client, users, login):
    other = make_person(OTHER_COUNTY_VILLAGE, name="李四", id_number=id_number(region="522302"), phone=PHONE)
    page = login(users["county"]).post(reverse("clients:person_reveal", args=[other.pk]), {"field": "phone"})
    assert page.status_code == 404 and PHONE not in page.content.decode()
    _instance, token = AuthToken.objects.create(users["county"])
    api = client.post(
        reverse("api:client_reveal", args=[other.pk]),
        {"fields": ["phone"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert api.status_code == 404 and PHONE not in api.content.decode()
    assert not LogEntry.objects.filter(object_pk=str(other.pk), additional_data__has_key="revealed").exists()


def test_every_reveal_is_found_by_the_auditors_reveal_filter(users, login):
    """The four record kinds write the same row, so "明文查看" finds volunteers and workers too."""
    from shegong.audit.selectors import audit_list
    from shegong.community.tests.factories import make_volunteer

    volunteer = make_volunteer()
    login(users["county"]).post(
        reverse("community:volunteer_reveal", args=[volunteer.pk]), {"field": "id_number"}
    )
    found = audit_list(user=users["auditor"], event="reveal")
    assert [e.object_pk for e in found] == [str(volunteer.pk)]
