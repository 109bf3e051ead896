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
from shegong.community.tests.factories import actor_for
from shegong.lib.guard import Refused
from shegong.regions.models import Region
from shegong.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def xiling(users):
    project = charity.project_create(
        actor=actor_for(),
        region=Region.objects.get(code="522301001001"),
        name="幸福家园互助（演示）",
        programme="幸福家园",
        target=Decimal("900000"),
        raised=Decimal("865700"),
        started_on=dt.date(2023, 3, 1),
    )
    province_admin = make_user("guizhou", "admin", "52")
    province = charity.matching_rule_create(
        actor=province_admin,
        region=Region.objects.get(code="52"),
        name="省级配捐",
        percent=Decimal("11.08"),
        valid_from=dt.date(2023, 1, 1),
    )
    city = charity.matching_rule_create(
        actor=users["prefecture"],
        region=Region.objects.get(code="5223"),
        name="州级配捐",
        percent=Decimal("21.36"),
        valid_from=dt.date(2023, 1, 1),
    )
    return {"project": project, "province": province, "city": city, "province_admin": province_admin}


def test_the_amounts_paid_are_recorded_as_paid_beside_the_rules_suggestion(xiling, users, client, login):
    project, province, city = xiling["project"], xiling["province"], xiling["city"]
    assert charity.matching_for(project, province) == Decimal("95919.56")
    assert charity.matching_for(project, city) == Decimal("184913.52")
    charity.matching_payment_record(
        actor=users["county"],
        project=project,
        funder="省民政厅",
        rule=province,
        amount=Decimal("95900"),
        paid_on=dt.date(2023, 9, 1),
        reference="黔民配〔2023〕1号",
    )
    charity.matching_payment_record(
        actor=users["county"],
        project=project,
        funder="州民政局",
        rule=city,
        amount=Decimal("184900"),
        paid_on=dt.date(2023, 10, 1),
    )
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
    charity.matching_payment_record(
        actor=users["county"],
        project=project,
        funder="州民政局",
        rule=city,
        amount=Decimal("184900"),
        paid_on=dt.date(2023, 10, 1),
    )
    with pytest.raises(ValidationError, match="不能再更正"):
        charity.matching_rule_update(actor=users["prefecture"], rule=city, percent=Decimal("22"))
    with pytest.raises(ValidationError, match="不能再删除"):
        charity.matching_rule_delete(actor=users["prefecture"], rule=city)
    # An unused rule may be removed.
    spare = charity.matching_rule_create(
        actor=users["prefecture"],
        region=Region.objects.get(code="5223"),
        name="误录规则",
        percent=Decimal("5"),
        valid_from=dt.date(2024, 1, 1),
    )
    charity.matching_rule_delete(actor=users["prefecture"], rule=spare)
    assert not MatchingRule.objects.filter(pk=spare.pk).exists()
    assert LogEntry.objects.filter(object_pk=str(spare.pk), action=LogEntry.Action.DELETE).exists()
