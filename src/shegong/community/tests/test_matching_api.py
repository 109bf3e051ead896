"""Matching paid, through the API: GET/POST /api/v1/matching-payments/, scoped to the jurisdiction, guarded
(a leader reads, never writes; a sibling county neither sees nor pays a project of 兴义市), in the schema."""

import datetime as dt
from decimal import Decimal

import pytest

from shegong.community import charity
from shegong.community.models import MatchingPayment
from shegong.community.tests.factories import make_payment, make_project
from shegong.testing import bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/matching-payments/"


@pytest.fixture
def other(xiling):
    """A project of the sibling county 兴仁市."""
    return make_project("522302001001", "1000", name="兴仁互助", target="1000", started=dt.date(2023, 3, 1))


def test_a_payment_is_recorded_as_paid_and_listed_beside_the_rules_suggestion(xiling, users, client):
    county = bearer(users["county"])
    body = {
        "project": xiling["project"].pk,
        "funder": "州民政局",
        "amount": "184900.00",
        "paid_on": "2023-10-01",
        "rule": xiling["city"].pk,
        "reference": "黔西南民配〔2023〕2号",
    }
    created = client.post(URL, body, content_type="application/json", **county)
    assert created.status_code == 201, created.content
    assert created.json()["amount"] == "184900.00"
    assert created.json()["suggested"] == "184913.52"
    payment = MatchingPayment.objects.get()
    assert (payment.amount, payment.created_by, payment.rule) == (
        Decimal("184900.00"),
        users["county"],
        xiling["city"],
    )
    listed = client.get(URL, {"funder": "州"}, **county).json()
    assert [row["funder"] for row in listed["results"]] == ["州民政局"]
    # Once paid under, the rule is used: it can no longer be corrected.
    assert charity.rule_used(xiling["city"])


def test_errors_name_the_field_and_nothing_is_written(xiling, other, users, client):
    county = bearer(users["county"])
    base = {"project": xiling["project"].pk, "funder": "州民政局", "amount": "10", "paid_on": "2023-10-01"}
    for change, field in (
        ({"paid_on": "2999-01-01"}, "paid_on"),
        ({"paid_on": "2022-01-01"}, "paid_on"),  # before the project started
        ({"amount": "0"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"project": other.pk}, "project"),  # the sibling county's project
        ({"rule": 999999}, "rule"),
    ):
        response = client.post(URL, {**base, **change}, content_type="application/json", **county)
        assert response.status_code == 400, (change, response.content)
        assert field in str(response.json()), (change, response.json())
    assert not MatchingPayment.objects.exists()


def test_scoped_and_guarded(xiling, other, users, client):
    make_payment(xiling["project"], "州民政局", "5", dt.date(2023, 9, 1), actor=users["county"])
    make_payment(other, "县民政局", "7", dt.date(2023, 9, 1), actor=users["county2"])
    sibling = client.get(URL, **bearer(users["county2"])).json()
    assert [row["funder"] for row in sibling["results"]] == ["县民政局"]
    assert [row["funder"] for row in client.get(URL, **bearer(users["county"])).json()["results"]] == [
        "州民政局"
    ]
    prefecture = client.get(URL, **bearer(users["prefecture"])).json()
    assert {row["funder"] for row in prefecture["results"]} == {"州民政局", "县民政局"}
    leader = client.post(
        URL,
        {"project": xiling["project"].pk, "funder": "x", "amount": "1", "paid_on": "2023-10-01"},
        content_type="application/json",
        **bearer(users["leader"]),
    )
    assert leader.status_code == 403
    assert MatchingPayment.objects.count() == 2


def test_the_endpoint_is_in_the_schema(users, client):
    schema = client.get("/api/v1/schema/?format=json", **bearer(users["county"])).json()
    operations = schema["paths"]["/api/v1/matching-payments/"]
    assert {"get", "post"} <= set(operations)
    assert "MatchingPaymentInput" in str(operations["post"])


RULES = "/api/v1/matching-rules/"


def test_a_rule_is_set_corrected_until_used_and_removed_through_the_api_with_each_correction_audited(
    xiling, users, client
):
    from auditlog.models import LogEntry

    from shegong.community.models import MatchingRule

    county = bearer(users["county"])
    created = client.post(
        RULES,
        {"region": "522301", "name": "县级配捐", "percent": "5.00", "valid_from": "2023-01-01"},
        content_type="application/json",
        **county,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["used"] is False
    corrected = client.patch(f"{RULES}{pk}/", {"percent": "6.50"}, content_type="application/json", **county)
    assert corrected.status_code == 200, corrected.content
    assert MatchingRule.objects.get(pk=pk).percent == Decimal("6.50")
    entry = LogEntry.objects.get_for_object(MatchingRule.objects.get(pk=pk)).filter(
        action=LogEntry.Action.UPDATE
    )
    assert entry.exists() and "percent" in entry.first().changes_dict
    assert entry.first().actor == users["county"]
    # The sibling county finds no such rule; a worker may not configure; the prefecture does not own it.
    assert (
        client.patch(
            f"{RULES}{pk}/", {"percent": "1"}, content_type="application/json", **bearer(users["county2"])
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"{RULES}{pk}/", {"percent": "1"}, content_type="application/json", **bearer(users["worker"])
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{RULES}{pk}/", {"percent": "1"}, content_type="application/json", **bearer(users["prefecture"])
        ).status_code
        == 400
    )
    assert MatchingRule.objects.get(pk=pk).percent == Decimal("6.50")
    # Once a payment is recorded under it, the rule can be neither corrected nor removed.
    make_payment(
        xiling["project"],
        "县民政局",
        "43000",
        dt.date(2023, 9, 1),
        actor=users["county"],
        rule=MatchingRule.objects.get(pk=pk),
    )
    refused = client.patch(f"{RULES}{pk}/", {"percent": "7"}, content_type="application/json", **county)
    assert refused.status_code == 400 and "不能再更正" in str(refused.json())
    assert client.delete(f"{RULES}{pk}/", **county).status_code == 400
    assert MatchingRule.objects.get(pk=pk).percent == Decimal("6.50")
    # An unused rule entered by mistake is removed.
    spare = client.post(
        RULES,
        {"region": "522301", "name": "误录", "percent": "1", "valid_from": "2023-01-01"},
        content_type="application/json",
        **county,
    ).json()["id"]
    assert client.delete(f"{RULES}{spare}/", **county).status_code == 204
    assert not MatchingRule.objects.filter(pk=spare).exists()
    listed = {r["name"]: r["used"] for r in client.get(RULES, {"region": "522301"}, **county).json()}
    assert listed["县级配捐"] is True and "误录" not in listed


def test_a_rule_of_the_level_above_is_read_by_the_county_but_changed_only_by_its_owner(xiling, users, client):
    """The county's list shows the prefecture's rule (it matches the county's projects): its detail reads too, a
    correction is the prefecture's; a county of another prefecture finds nothing."""
    from shegong.testing import make_user

    pk = xiling["city"].pk
    county = bearer(users["county"])
    assert pk in [rule["id"] for rule in client.get(RULES, **county).json()]
    read = client.get(f"{RULES}{pk}/", **county)
    assert read.status_code == 200 and read.json()["name"] == "州级配捐"
    assert (
        client.patch(f"{RULES}{pk}/", {"percent": "1"}, content_type="application/json", **county).status_code
        == 404
    )
    elsewhere = make_user("other-prefecture-county", "admin", "520102")
    assert client.get(f"{RULES}{pk}/", **bearer(elsewhere)).status_code == 404
