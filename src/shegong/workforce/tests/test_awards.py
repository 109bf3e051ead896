"""Awards and allowances: who is due what, and nobody is paid twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shegong.regions.models import Region
from shegong.testing import verified_login
from shegong.workforce import services
from shegong.workforce.models import Payment
from shegong.workforce.selectors_awards import award_due
from shegong.workforce.services_awards import award_rule_create, payment_record
from shegong.workforce.tests.factories import certify, make_station, make_worker


@pytest.fixture
def county(db):
    return Region.objects.get(code="522301")


def _one_time(county, level=2, amount=2000):
    return award_rule_create(
        actor=None,
        region=county,
        name="社会工作师一次性奖励",
        kind="one_time",
        level=level,
        amount=Decimal(amount),
        valid_from=dt.date(2021, 1, 1),
    )


def _certified(station, *certificates, **values):
    """A worker of ``station`` (``values`` as make_worker's) holding the certificates ``(level, year)``."""
    worker = make_worker(station, **values)
    for level, year in certificates:
        certify(worker, level=level, year=year)
    return worker


def test_a_one_time_award_is_due_for_a_certificate_obtained_while_working_here(users, county):
    station = make_station("522301001")
    _certified(station, (2, 2023), name="在岗取证", joined_on=dt.date(2021, 3, 1))
    _certified(station, (2, 2022), name="入职前取证", joined_on=dt.date(2023, 3, 1))
    _certified(station, (2, 2020), name="规则前取证", joined_on=dt.date(2019, 3, 1))
    _certified(station, (1, 2023), name="助理", joined_on=dt.date(2021, 3, 1))
    rule = _one_time(county)
    assert [w.name for w in award_due(user=users["county"], rule=rule)] == ["在岗取证"]
    assert list(award_due(user=users["county2"], rule=rule)) == []


def test_a_one_time_award_is_never_paid_twice(users, county):
    worker = _certified(make_station("522301001"), (2, 2023), joined_on=dt.date(2021, 3, 1))
    rule = _one_time(county)
    payment = payment_record(actor=users["county"], rule=rule, worker=worker, paid_on=dt.date(2024, 1, 10))
    assert payment.amount == Decimal("2000") and payment.period == ""
    assert list(award_due(user=users["county"], rule=rule)) == []
    with pytest.raises(ValidationError):
        payment_record(actor=users["prefecture"], rule=rule, worker=worker)
    assert Payment.objects.count() == 1


def test_the_database_refuses_a_second_payment_even_past_the_service(users, county):
    from django.db import IntegrityError, transaction

    worker = _certified(make_station("522301001"), (2, 2023), joined_on=dt.date(2021, 3, 1))
    rule = _one_time(county)
    payment_record(actor=None, rule=rule, worker=worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(rule=rule, worker=worker, period="", amount=1, paid_on=dt.date(2024, 1, 1))


def test_a_worker_not_due_cannot_be_paid(users, county):
    worker = make_worker(make_station("522301001"))
    rule = _one_time(county)
    with pytest.raises(ValidationError):
        payment_record(actor=users["county"], rule=rule, worker=worker)


def test_a_monthly_allowance_is_due_once_a_month_to_the_current_level(users, county):
    station = make_station("522301001")
    assistant = _certified(station, (1, 2022), name="助理", joined_on=dt.date(2022, 1, 1))
    _certified(station, (1, 2021), (2, 2023), name="已晋升", joined_on=dt.date(2022, 1, 1))
    rule = award_rule_create(
        actor=None,
        region=county,
        name="助理社工师津贴",
        kind="monthly",
        level=1,
        amount=Decimal(200),
        valid_from=dt.date(2023, 1, 1),
    )
    assert [w.name for w in award_due(user=users["county"], rule=rule, period="2024-03")] == ["助理"]
    payment_record(actor=users["county"], rule=rule, worker=assistant, period="2024-03")
    assert list(award_due(user=users["county"], rule=rule, period="2024-03")) == []
    assert [w.name for w in award_due(user=users["county"], rule=rule, period="2024-04")] == ["助理"]
    with pytest.raises(ValidationError):
        payment_record(actor=users["county"], rule=rule, worker=assistant, period="2024-03")
    with pytest.raises(ValidationError):
        payment_record(actor=users["county"], rule=rule, worker=assistant, period="March")
    assert list(award_due(user=users["county"], rule=rule, period="2022-12")) == []


def test_the_page_pays_once_and_says_so_the_second_time(client, users, county):
    worker = _certified(make_station("522301001"), (2, 2023), joined_on=dt.date(2021, 3, 1))
    rule = _one_time(county)
    verified_login(client, users["county"])
    url = reverse("workforce:payment_record", args=[rule.pk])
    data = {"worker": worker.pk, "paid_on": "2024-02-01", "reference": "记-001"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert "已" in response.content.decode()
    assert Payment.objects.count() == 1


def test_deleting_a_certificate_an_award_was_paid_for_is_refused(users, county):
    worker = make_worker(make_station("522301001"), joined_on=dt.date(2021, 3, 1))
    certificate = certify(worker, level=2, year=2023)
    payment_record(actor=None, rule=_one_time(county), worker=worker)
    with pytest.raises(ValidationError):
        services.certificate_delete(actor=users["county"], certificate=certificate)
