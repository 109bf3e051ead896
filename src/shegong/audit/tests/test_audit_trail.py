import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, transaction
from django.urls import reverse

from shegong.regions.models import Region
from shegong.regions.services import region_set_population
from shegong.testing import verified_login


@pytest.mark.django_db
def test_a_change_through_a_service_records_user_and_changed_fields(users):
    from auditlog.context import set_actor

    region = Region.objects.get(code="522301")
    with set_actor(users["county"]):
        region_set_population(actor=users["county"], region=region, population=900_000, year=2024)
    entry = LogEntry.objects.get_for_object(region).get()
    assert entry.actor == users["county"]
    assert entry.changes_dict["population"] == ["None", "900000"]


@pytest.mark.django_db
def test_audit_rows_cannot_be_updated_or_deleted(users):
    from shegong.audit.services import Event, audit_event

    entry = audit_event(event=Event.LOGIN, user=users["county"])
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr


@pytest.mark.django_db
def test_the_auditor_searches_by_user_and_event(client, users, trail_rows):
    from shegong.audit.services import Event, audit_event

    audit_event(event=Event.LOGIN, user=users["county"])
    audit_event(event=Event.LOGIN, user=users["worker"])
    verified_login(client, users["auditor"])
    users_shown = {row["user"] for row in trail_rows({"q": "county", "event": "login"})}
    assert users_shown == {"county"}


@pytest.mark.django_db
def test_a_malformed_date_filter_gets_a_message_not_an_error(client, users):
    verified_login(client, users["auditor"])
    response = client.get(reverse("audit:list"), {"date_from": "2024-13-45"})
    assert response.status_code == 200
    assert response.context["filters"].errors["date_from"]


@pytest.mark.django_db
def test_the_export_streams_every_matching_row_and_is_itself_audited(client, users):
    from shegong.audit.services import Event, audit_event

    for _ in range(3):
        audit_event(event=Event.LOGIN, user=users["county"])
    verified_login(client, users["auditor"])
    response = client.get(reverse("audit:export"), {"q": "county", "event": "login"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    table = body.strip().split("\r\n\r\n", 1)[1]  # below the lines that name the filters
    assert len(table.splitlines()) == 1 + 3
    assert LogEntry.objects.filter(additional_data__event="export", actor=users["auditor"]).exists()


@pytest.mark.django_db
def test_a_clear_view_of_a_masked_value_reads_as_its_own_event(client, users, trail_rows):
    from shegong.audit.services import Event, audit_event

    audit_event(event=Event.VIEW, user=users["county"], obj=users["worker"])
    audit_event(event=Event.VIEW, user=users["county"], obj=users["worker"], detail={"revealed": "id_number"})
    verified_login(client, users["auditor"])
    rows = trail_rows({"event": "reveal"})
    assert [row["event"] for row in rows] == ["明文查看"]


@pytest.mark.django_db
def test_the_export_neutralises_formulas_typed_into_records(client, users):
    from shegong.audit.services import Event, audit_event

    audit_event(event=Event.LOGIN_FAILED, username='=HYPERLINK("http://x")', outcome="failure")
    verified_login(client, users["auditor"])
    body = b"".join(client.get(reverse("audit:export")).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


@pytest.mark.django_db
def test_events_about_a_record_are_found_with_its_changes(users):
    from shegong.audit.services import Event, audit_event

    audit_event(event=Event.VIEW, user=users["county"], obj=users["worker"])
    events = LogEntry.objects.get_for_object(users["worker"])
    assert events.filter(action=LogEntry.Action.ACCESS).count() == 1


@pytest.mark.django_db
def test_the_trail_filters_its_page_and_exports_alike(client, users):
    from shegong.audit.services import Event, audit_event
    from shegong.testing import assert_list_filters

    audit_event(event=Event.LOGIN_FAILED, username="甲本县行", outcome="failure")
    audit_event(event=Event.LOGIN, username="乙本县行")
    assert_list_filters(
        client,
        users["auditor"],
        "audit.trail",
        page="audit:list",
        api=None,
        narrow={"q": "甲本县行", "event": "login_failed"},
        rows=("甲本县行", "乙本县行", None),
    )
