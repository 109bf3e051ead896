"""督办: the county sends a notice to a station, the station answers it; both are kept and audited; another
county can neither send to the station nor see or answer its notices."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client

from shegong.lib.guard import Refused
from shegong.testing import make_user, verified_login
from shegong.workbench import services
from shegong.workbench.models import NoticeStatus, SupervisionNotice
from shegong.workbench.tests.factories import OTHER_TOWNSHIP, TOWNSHIP, notice, station

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_county_sends_and_the_township_worker_answers_on_the_pages(users):
    own = station(TOWNSHIP)
    county = _client(users["county"])
    response = county.post(
        f"/workbench/notices/new/{own.pk}/",
        {"subject": "走访逾期督办", "body": "请一周内完成逾期走访。", "due_on": ""},
    )
    assert response.status_code == 302
    sent = SupervisionNotice.objects.get()
    assert (sent.station, sent.sent_by, sent.status) == (own, users["county"], NoticeStatus.OPEN)
    # On the station's workbench, to answer.
    worker = _client(users["worker"])
    assert "走访逾期督办" in worker.get("/").content.decode()
    assert worker.post(f"/workbench/notices/{sent.pk}/", {"answer": ""}).status_code == 200  # the error shown
    sent.refresh_from_db()
    assert sent.status == NoticeStatus.OPEN
    assert worker.post(f"/workbench/notices/{sent.pk}/", {"answer": "已完成12户走访。"}).status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.answer, sent.answered_by) == (
        NoticeStatus.ANSWERED,
        "已完成12户走访。",
        users["worker"],
    )
    # The county sees the answer on its workbench; the audit trail holds both steps.
    assert "已完成12户走访。" in county.get("/").content.decode()
    events = set(
        LogEntry.objects.filter(object_pk=str(sent.pk), content_type__model="supervisionnotice").values_list(
            "additional_data__event", flat=True
        )
    )
    assert {"supervision_sent", "supervision_answered"} <= events


def test_a_township_account_answers_too(users):
    township_admin = make_user("township_admin", "admin", TOWNSHIP)
    sent = notice(users["county"])
    services.notice_answer(actor=township_admin, notice=sent, answer="已安排走访。")
    assert SupervisionNotice.objects.get().status == NoticeStatus.ANSWERED


def test_another_county_may_not_send_see_or_answer(users):
    own = station(TOWNSHIP)
    with pytest.raises(Refused):  # outside the jurisdiction: the guard refuses
        services.notice_send(actor=users["county2"], station=own, subject="越权督办", body="不应发出")
    assert _client(users["county2"]).get(f"/workbench/notices/new/{own.pk}/").status_code == 404
    sent = notice(users["county"])
    other_worker = make_user("worker_other", "worker", OTHER_TOWNSHIP)
    with pytest.raises(Refused):
        services.notice_answer(actor=other_worker, notice=sent, answer="越权答复")
    assert _client(other_worker).post(f"/workbench/notices/{sent.pk}/", {"answer": "越权"}).status_code == 404
    assert "走访逾期督办" not in _client(users["county2"]).get("/workbench/notices/").content.decode()
    assert SupervisionNotice.objects.get().status == NoticeStatus.OPEN


def test_the_sender_may_not_answer_its_own_notice_and_the_station_may_not_send(users):
    sent = notice(users["county"])
    with pytest.raises(ValidationError):
        services.notice_answer(actor=users["county"], notice=sent, answer="自己答复")
    with pytest.raises(ValidationError):
        services.notice_send(
            actor=users["worker"], station=station(TOWNSHIP), subject="自督", body="不应发出"
        )


def test_an_answered_notice_is_not_answered_twice(users):
    sent = notice(users["county"])
    services.notice_answer(actor=users["worker"], notice=sent, answer="第一次答复")
    with pytest.raises(ValidationError):
        services.notice_answer(actor=users["worker"], notice=sent, answer="第二次答复")
    assert SupervisionNotice.objects.get().answer == "第一次答复"


def test_notice_counts_on_the_county_workbench_equal_its_list(users):
    notice(users["county"])
    notice(users["county"], subject="第二次督办")
    notice(users["county2"], code=OTHER_TOWNSHIP, subject="外县督办")
    client = _client(users["county"])
    html = client.get("/").content.decode()
    assert "外县督办" not in html
    listing = client.get("/workbench/notices/?status=open").content.decode()
    assert 'data-count="2"' in html or ">2<" in html
    assert listing.count('class="list-group-item list-group-item-action"') == 2
