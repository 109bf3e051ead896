from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shegong.bulletins.models import Bulletin
from shegong.bulletins.tests.factories import make_bulletin
from shegong.casework.tests.factories import station
from shegong.hotline.tests.factories import make_ticket
from shegong.jobs.models import Job
from shegong.testing import verified_login

pytestmark = pytest.mark.django_db


def test_a_bulletin_counts_the_systems_own_figures(users):
    station("522301001")
    station("522301002")
    make_ticket(category="crisis")
    bulletin = make_bulletin(users["prefecture"], code="5223")
    figures = bulletin.figures
    assert figures["network"]["stations_built"] == 2
    assert figures["network"]["children"][0]["code"] == "522301"
    assert figures["hotline"]["received"] == 1 and figures["hotline"]["flagged_now"] == 1
    assert figures["basis"]["previous"] == "recount"  # no earlier bulletin: last month is recounted
    assert figures["community"]["volunteers"] == 0  # the community app's own figures, read through its module
    assert bytes(bulletin.pdf).startswith(b"%PDF")
    sheets = load_workbook(BytesIO(bytes(bulletin.xlsx))).sheetnames
    assert len(sheets) == 5
    assert "522301" in bulletin.html or "兴义市" in bulletin.html


def test_issuing_a_month_again_makes_a_new_edition_and_leaves_the_first_unchanged(users):
    first = make_bulletin(users["county"])
    kept = (first.figures, first.html, bytes(first.pdf), bytes(first.xlsx))
    station("522301001")
    second = make_bulletin(users["county"])
    first.refresh_from_db()
    assert (first.figures, first.html, bytes(first.pdf), bytes(first.xlsx)) == kept
    assert second.edition == 2
    assert first.figures["network"]["stations_built"] == 0
    assert second.figures["network"]["stations_built"] == 1


def test_the_bulletin_is_issued_as_a_background_job_with_progress(
    client, users, django_capture_on_commit_callbacks
):
    verified_login(client, users["county"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bulletins:bulletin_issue"),
            {"region": "522301", "month": timezone.localdate().strftime("%Y-%m")},
        )
    assert response.status_code == 302
    job = Job.objects.get(kind="bulletins.issue")
    assert job.status == "succeeded", job.message
    assert job.done == job.total == 5
    assert job.output_name.endswith(".pdf")
    bulletin = Bulletin.objects.get(pk=job.result["bulletin"])
    page = client.get(reverse("bulletins:bulletin_detail", args=[bulletin.pk]))
    assert page.status_code == 200 and 'data-testid="headline"' in page.content.decode()
    pdf = client.get(reverse("bulletins:bulletin_pdf", args=[bulletin.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_a_future_month_or_a_bad_month_is_refused_with_a_message(client, users):
    verified_login(client, users["county"])
    for month in ("2999-01", "abc"):
        response = client.post(
            reverse("bulletins:bulletin_issue"), {"region": "522301", "month": month}, follow=True
        )
        assert response.status_code == 200
    assert not Job.objects.exists()


def test_the_api_finds_bulletins_by_region_and_month(client, users):
    from knox.models import AuthToken

    bulletin = make_bulletin(users["county"])
    _instance, token = AuthToken.objects.create(users["leader"])
    month = bulletin.month.strftime("%Y-%m")
    response = client.get(
        f"/api/v1/bulletins/?region=522301&month={month}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["figures"]["network"]["stations_built"] == 0
    assert body["results"][0]["issue_number"] == 1 and body["results"][0]["issuer_name"] == "兴义市民政局"
    assert body["results"][0]["docx"].endswith("/docx/")
    bad = client.get("/api/v1/bulletins/?month=March", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bad.status_code == 400
