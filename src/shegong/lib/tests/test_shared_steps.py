"""The steps the domains' selectors, services and API share (lib/scoping.py narrowed, applying_to_user,
row_or_404; lib/bulk.py create_checked; lib/rows.py append_to_balance; api/endpoints.py chosen): each does
what the places that wrote it out did."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework.exceptions import ValidationError as ApiValidationError

from shegong.accounts.models import User
from shegong.api.endpoints import chosen
from shegong.community.models import CharityFund, FundEntry, FundEntryKind
from shegong.lib.bulk import create_checked
from shegong.lib.rows import append_to_balance
from shegong.lib.scoping import applying_to_user, narrowed, row_or_404
from shegong.regions.models import Region
from shegong.workforce.models import StaffingRule

pytestmark = pytest.mark.django_db


def test_narrowed_filters_by_the_lookups_given_a_value_only():
    counties = Region.objects.filter(level=3)
    assert set(narrowed(Region.objects.all(), level=3, parent_id="", code__startswith=None)) == set(counties)
    assert list(narrowed(Region.objects.all(), level=3, code__startswith="522301")) == [
        Region.objects.get(code="522301")
    ]


def test_row_or_404_answers_404_for_a_row_outside_the_list_and_for_a_malformed_id(users):
    county = users["county"]
    assert row_or_404(User.objects.filter(pk=county.pk), pk=county.pk) == county
    with pytest.raises(Http404):
        row_or_404(User.objects.filter(pk=county.pk), pk=users["county2"].pk)
    with pytest.raises(Http404):
        row_or_404(User.objects.all(), pk="not-a-number")


def test_rules_applying_to_a_user_are_those_above_at_and_inside_the_jurisdiction_never_a_siblings(users):
    for code in ("52", "522301", "522301001", "522302"):
        StaffingRule.objects.create(region_id=code, minimum=2)
    seen = set(
        applying_to_user(StaffingRule.objects.all(), users["county"]).values_list("region_id", flat=True)
    )
    assert seen == {"52", "522301", "522301001"}
    assert not applying_to_user(StaffingRule.objects.all(), users["auditor"]).exists()


def test_a_checked_batch_with_one_bad_row_writes_nothing():
    rows = [StaffingRule(region_id="522301", minimum=2), StaffingRule(region_id="522302", minimum=None)]
    with pytest.raises(ValidationError) as refused:
        create_checked(StaffingRule, rows, audited=True)
    assert "minimum" in refused.value.message_dict
    assert not StaffingRule.objects.exists()
    written = create_checked(
        StaffingRule, (StaffingRule(region_id=c, minimum=3) for c in ("522301", "522302"))
    )
    assert sorted(StaffingRule.objects.values_list("region_id", "minimum")) == [("522301", 3), ("522302", 3)]
    assert all(rule.pk for rule in written)


def _line(fund, amount, kind, user):
    return FundEntry(
        fund_id=fund.pk,
        kind=kind,
        amount=amount,
        occurred_on=dt.date(2024, 5, 1),
        description="测试",
        actor=user,
    )


def test_a_balance_line_moves_the_balance_and_one_below_zero_writes_nothing(users):
    user = users["county"]
    fund = CharityFund.objects.create(
        region_id="522301001", name="测试基金", established_on=dt.date(2024, 1, 1)
    )
    refused = ("amount", "余额 %(balance)s，不够 %(needed)s", {"needed": 5})
    with pytest.raises(ValidationError) as error:
        append_to_balance(
            _line(fund, Decimal("-5"), FundEntryKind.EXPENSE, user),
            CharityFund,
            fund.pk,
            "balance",
            Decimal("-5"),
            refused,
        )
    assert error.value.message_dict == {"amount": ["余额 0.00，不够 5"]}
    assert not FundEntry.objects.exists()
    line = append_to_balance(
        _line(fund, Decimal("10"), FundEntryKind.INCOME, user),
        CharityFund,
        fund.pk,
        "balance",
        Decimal("10"),
        refused,
    )
    fund.refresh_from_db()
    assert (line.balance_after, fund.balance, FundEntry.objects.count()) == (Decimal("10"), Decimal("10"), 1)


def test_a_choice_outside_the_users_rows_answers_400_on_its_field():
    regions = Region.objects.filter(code__startswith="522301")
    assert chosen(regions, "522301001") == Region.objects.get(code="522301001")
    with pytest.raises(ApiValidationError) as refused:
        chosen(regions, "522302001", "region", "不在辖区内")
    assert refused.value.detail == {"region": ["不在辖区内"]}
