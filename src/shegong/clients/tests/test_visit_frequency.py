"""Each person's own visit frequency (走访频次, issue 15.8): read from a people ledger as ledgers write it, set on the
page and through the API, and it comes before the visit rules wherever a due date is worked out (the stored
interval, the overdue ledger)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from shegong.clients import ledger as visit_ledger
from shegong.clients.models import Person, VisitFrequency
from shegong.clients.tests.factories import VILLAGE, id_number, make_person
from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the fixture)
from shegong.lib.importer.tests.corpus import xlsx
from shegong.regions.models import Region
from shegong.testing import _workbook_text

pytestmark = pytest.mark.django_db


def test_a_ledger_names_each_persons_frequency_in_its_own_words(users, run):  # noqa: F811
    village = Region.objects.get(code=VILLAGE)
    weekly, monthly, by_rules, odd = (id_number() for _ in range(4))
    rows = [
        ["姓名", "身份证号码", "村（社区）", "走访频次"],
        ["周走访", weekly, village.name, "每周一次"],
        ["月走访", monthly, village.name, "1月1次"],
        ["按规则", by_rules, village.name, None],
    ]
    job = run(users["county"], "clients.people", xlsx(rows), commit=True)
    assert job.result["ok"], job.result
    people = {p.name: p for p in Person.objects.filter(name__in=["周走访", "月走访", "按规则"])}
    assert people["周走访"].visit_every_days == VisitFrequency.WEEKLY == people["周走访"].visit_interval
    assert people["月走访"].visit_every_days == VisitFrequency.MONTHLY == people["月走访"].visit_interval
    assert people["按规则"].visit_every_days is None
    # A word the ledger does not know is named by row and column, and nothing is written.
    bad = run(users["county"], "clients.people", xlsx([rows[0], ["偶尔", odd, village.name, "有空就去"]]))
    assert bad.result["ok"] is False
    assert any("有空就去" in e["message"] for e in bad.result["errors"]), bad.result["errors"]
    assert not Person.objects.filter(name="偶尔").exists()


def test_the_page_sets_the_frequency_and_the_ledger_counts_the_person_overdue_by_it(users, login):
    person = make_person(name="王秀英", risk_level="general")
    Person.objects.filter(pk=person.pk).update(registered_on=timezone.localdate() - dt.timedelta(days=10))
    client = login(users["worker"])
    response = client.post(
        reverse("clients:person_edit", args=[person.pk]),
        {"name": "王秀英", "region": VILLAGE, "risk_level": "general", "visit_every_days": "7"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    person.refresh_from_db()
    assert person.visit_every_days == 7 and person.visit_interval == 7
    overdue = visit_ledger.ledger(user=users["county"], region="522301", status="overdue")
    assert person.pk in set(overdue.values_list("pk", flat=True))
    page = client.get(reverse("clients:person_detail", args=[person.pk])).content.decode()
    assert "每周一次" in page
    # Entered once, in the list's export too.
    exported, _about = _workbook_text(
        client.get(reverse("core:list_export", args=["clients.people"])).content
    )
    assert "走访频次" in exported and "每周一次" in exported
    # Back to the rules: the page's empty choice.
    client.post(
        reverse("clients:person_edit", args=[person.pk]),
        {"name": "王秀英", "region": VILLAGE, "risk_level": "general", "visit_every_days": ""},
    )
    person.refresh_from_db()
    assert person.visit_every_days is None and person.visit_interval != 7


def test_the_api_takes_and_shows_the_frequency(users, client):
    from knox.models import AuthToken

    token = AuthToken.objects.create(users["county"])[1]
    body = {"name": "李季度", "region": VILLAGE, "id_number": id_number(), "visit_every_days": 90}
    response = client.post(
        "/api/v1/clients/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 201, response.content.decode()[:500]
    assert response.json()["visit_every_days"] == 90 and response.json()["visit_interval"] == 90
    refused = client.post(
        "/api/v1/clients/",
        {**body, "id_number": id_number(), "visit_every_days": 45},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert refused.status_code == 400 and "visit_every_days" in refused.json()["errors"]
