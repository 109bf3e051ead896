"""Charitable resources: matching funds by the administrators' rules, pinned on hand-checked cases, and fund
ledgers that cannot pay out more than they hold."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from shegong.community import charity, selectors
from shegong.community.models import FundEntry
from shegong.community.tests.factories import actor_for, make_donation, make_fund, make_project, make_rule

pytestmark = pytest.mark.django_db
D = Decimal


def test_matching_is_a_share_of_what_each_project_raised_up_to_the_cap_and_levels_add_up(users):
    # Hand-checked: the province matches 10% up to 1,000 a project, the prefecture 20% up to 2,000.
    make_project("522301001001", "4000")  # province 400, prefecture 800
    make_project("522301002001", "15000")  # province 1,000 (cap), prefecture 2,000 (cap)
    make_project("522302001001", "500.50")  # province 50.05, prefecture 100.10
    make_project("520102016001", "9000")  # Guiyang: only the province's rule, 900
    province = make_rule("52", "10", cap="1000", name="省级配捐")
    prefecture = make_rule("5223", "20", cap="2000", name="州级配捐")

    totals = charity.matching_totals(
        selectors.project_list(user=users["prefecture"]), selectors.matching_rules(user=users["prefecture"])
    )
    by_rule = {r["id"]: r["matched"] for r in totals["by_rule"]}
    assert totals["projects"] == 3 and totals["raised"] == D("19500.50")
    assert by_rule == {province.pk: D("1450.05"), prefecture.pk: D("2900.10")}
    assert totals["matched"] == D("4350.15")

    national = charity.matching_totals(
        selectors.project_list(user=users["province"]), selectors.matching_rules(user=users["province"])
    )
    assert {r["id"]: r["matched"] for r in national["by_rule"]}[province.pk] == D("2350.05")


def test_a_rule_matches_only_its_programme_and_its_dates(users):
    rule = make_rule(
        "5223", "50", programme="幸福家园", valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2024, 12, 31)
    )
    matched = make_project("522301001001", "1000")
    other_programme = make_project("522301001001", "1000", programme="邻里守望")
    too_late = make_project("522301001001", "1000", started=dt.date(2025, 1, 1))
    assert charity.matching_for(matched, rule) == D("500.00")
    assert charity.matching_for(other_programme, rule) == 0
    assert charity.matching_for(too_late, rule) == 0
    totals = charity.matching_totals(selectors.project_list(user=users["county"]), [rule])
    assert totals["by_rule"][0]["matched"] == D("500.00")


def test_the_xiling_figures_come_out_of_rules_that_fit_them():
    """Xiling (DOMAIN.md §5): 200 projects raised 865,700 yuan; the province matched 95,900, the city 184,900.
    With every project at 4,328.50 yuan, rules of 11.08% and 21.36% without a cap give those totals within
    a yuan: the rules can express what the articles report."""
    projects = [
        charity.MutualAidProject(
            region_id="522301001001", programme="", raised=D("4328.50"), started_on=dt.date(2024, 5, 1)
        )
    ] * 200
    province = charity.MatchingRule(region_id="52", percent=D("11.08"), valid_from=dt.date(2024, 1, 1))
    city = charity.MatchingRule(region_id="5223", percent=D("21.36"), valid_from=dt.date(2024, 1, 1))
    assert sum(p.raised for p in projects) == D("865700")
    assert abs(sum(charity.matching_for(p, province) for p in projects) - D("95900")) < 100
    assert abs(sum(charity.matching_for(p, city) for p in projects) - D("184900")) < 100


def test_a_cash_donation_paid_into_a_fund_is_its_income_and_expenses_stop_at_the_balance():
    actor = actor_for()
    fund = make_fund()
    make_donation(donor="兴义某公司", value="3000", fund=fund)

    def expense(amount, description):
        charity.fund_entry_add(
            actor=actor,
            fund=fund,
            kind="expense",
            amount=amount,
            occurred_on=timezone.localdate(),
            description=description,
        )

    expense("1200.50", "困难家庭慰问")
    with pytest.raises(ValidationError, match="1799.50"):
        expense("2000", "x")
    fund.refresh_from_db()
    assert fund.balance == D("1799.50") == FundEntry.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"]


def test_goods_need_their_items_and_only_cash_goes_into_a_fund():
    with pytest.raises(ValidationError) as caught:
        make_donation(donor="张三", form="kind", value="200")
    assert "items" in caught.value.message_dict
    fund = make_fund(name="基金")
    with pytest.raises(ValidationError):
        make_donation(donor="张三", form="kind", value="200", items="大米十袋", fund=fund)
