"""Matching funds actually paid, per project and per funder, beside the rule that suggested them (Xiling: the
province paid 95,900 and the city 184,900, which no percentage of 865,700 gives exactly); rules correctable
until a payment uses them, corrections audited."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from shegong.community import charity, selectors
from shegong.community.models import MatchingRule, MutualAidProject
from shegong.community.tests.factories import make_payment, make_rule
from shegong.lib.guard import Refused

pytestmark = pytest.mark.django_db


def test_the_amounts_paid_are_recorded_as_paid_beside_the_rules_suggestion(xiling, users, client, login):
    project, province, city = xiling["project"], xiling["province"], xiling["city"]
    assert charity.matching_for(project, province) == Decimal("95919.56")
    assert charity.matching_for(project, city) == Decimal("184913.52")
    make_payment(
        project,
        "省民政厅",
        "95900",
        dt.date(2023, 9, 1),
        actor=users["county"],
        rule=province,
        reference="黔民配〔2023〕1号",
    )
    make_payment(project, "州民政局", "184900", dt.date(2023, 10, 1), actor=users["county"], rule=city)
    totals = charity.matching_totals(
        MutualAidProject.objects.all(), selectors.matching_rules(user=users["county"], area="522301")
    )
    assert totals["paid"] == Decimal("280800.00")
    by_rule = {r["name"]: (r["matched"], r["paid"]) for r in totals["by_rule"]}
    assert by_rule["省级配捐"] == (Decimal("95919.56"), Decimal("95900.00"))
    assert by_rule["州级配捐"] == (Decimal("184913.52"), Decimal("184900.00"))
    assert [(r["funder"], r["amount"]) for r in totals["paid_by_funder"]] == [
        ("州民政局", Decimal("184900.00")),
        ("省民政厅", Decimal("95900.00")),
    ]

    page = login(users["county"]).get(reverse("community:project_matching", args=[project.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "184,900.00" in html and "95,919.56" in html
    assert page.context["paid"] == Decimal("280800")

    # Through the page: an editor records a payment; a date in the future is refused with the field named.
    response = client.post(
        reverse("community:project_matching", args=[project.pk]),
        {"funder": "县民政局", "amount": "1000", "paid_on": "2999-01-01"},
    )
    assert response.status_code == 200
    assert "paid_on" in response.context["form"].errors

    # The sibling county sees nothing of it.
    other = login(users["county2"]).get(reverse("community:project_matching", args=[project.pk]))
    assert other.status_code == 404


def test_a_rule_is_correctable_until_a_payment_uses_it_and_each_correction_is_audited(xiling, users):
    city, project = xiling["city"], xiling["project"]
    charity.matching_rule_update(actor=users["prefecture"], rule=city, percent=Decimal("21.3595"[:5]))
    city.refresh_from_db()
    assert city.percent == Decimal("21.35")
    entry = LogEntry.objects.get_for_object(city).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert "percent" in entry.changes_dict
    with pytest.raises(Refused):  # the prefecture's rule, outside the county's jurisdiction
        charity.matching_rule_update(actor=users["county"], rule=city, percent=Decimal("30"))
    make_payment(project, "州民政局", "184900", dt.date(2023, 10, 1), actor=users["county"], rule=city)
    with pytest.raises(ValidationError, match="不能再更正"):
        charity.matching_rule_update(actor=users["prefecture"], rule=city, percent=Decimal("22"))
    with pytest.raises(ValidationError, match="不能再删除"):
        charity.matching_rule_delete(actor=users["prefecture"], rule=city)
    # An unused rule may be removed.
    spare = make_rule("5223", "5", name="误录规则", actor=users["prefecture"])
    charity.matching_rule_delete(actor=users["prefecture"], rule=spare)
    assert not MatchingRule.objects.filter(pk=spare.pk).exists()
    assert LogEntry.objects.filter(object_pk=str(spare.pk), action=LogEntry.Action.DELETE).exists()
