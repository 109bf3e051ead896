"""The one meaning of "the rule set higher up applies": a region's own rule, else its nearest ancestor's."""

import pytest

from shegong.hotline.models import DEFAULT_DEADLINES, DeadlineRule, Urgency
from shegong.hotline.services import deadlines_for
from shegong.lib.scoping import applies_q, lineage, nearest
from shegong.regions.models import Region
from shegong.workforce.models import DEFAULT_MINIMUM_STAFF, StaffingRule
from shegong.workforce.selectors import staffing_minimums, staffing_rule_list


def test_lineage_is_the_region_itself_and_every_region_above_it_from_the_province_down():
    assert lineage("522301001001") == ["52", "5223", "522301", "522301001", "522301001001"]
    assert lineage("522301") == ["52", "5223", "522301"]
    assert lineage("52") == ["52"]
    assert lineage("") == lineage("abc") == []


def test_nearest_takes_the_regions_own_value_before_any_ancestors():
    rules = {"52": "province", "522301": "county", "522301001": "township"}
    assert nearest(rules, "522301001") == "township"  # its own rule, not the county's
    assert nearest(rules, "522301001001") == "township"  # a village: the township above it
    assert nearest(rules, "522301002") == "county"  # a township without one: the county
    assert nearest(rules, "522302") == "province"  # the sibling county: only the province applies
    assert nearest(rules, "53", "default") == "default"  # another province: none of them
    assert nearest({"": "national", "5223": "prefecture"}, "522401", "default") == "national"


@pytest.mark.django_db
def test_applies_q_holds_the_rows_at_and_above_a_region_and_with_inside_those_below():
    for code, hours in (("52", 10), ("522301", 20), ("522301001", 30), ("522302", 40)):
        DeadlineRule.objects.create(
            region=Region.objects.get(code=code),
            urgency=Urgency.NORMAL,
            respond_hours=hours,
            resolve_hours=99,
        )
    at = set(
        DeadlineRule.objects.filter(applies_q("region_id", "522301")).values_list("region_id", flat=True)
    )
    assert at == {"52", "522301"}
    inside = set(
        DeadlineRule.objects.filter(applies_q("region_id", "522301", inside=True)).values_list(
            "region_id", flat=True
        )
    )
    assert inside == {"52", "522301", "522301001"}  # never the sibling county 522302
    assert DeadlineRule.objects.filter(applies_q("region_id", "", inside=True)).count() == 4


@pytest.mark.django_db
def test_a_ticket_and_a_station_get_their_own_regions_rule_not_the_one_above():
    """Both places that once wrote the lookup two ways now agree: the region's own rule counts."""
    county = Region.objects.get(code="522301")
    DeadlineRule.objects.create(
        region=Region.objects.get(code="52"), urgency=Urgency.URGENT, respond_hours=8, resolve_hours=80
    )
    DeadlineRule.objects.create(region=county, urgency=Urgency.URGENT, respond_hours=2, resolve_hours=20)
    assert deadlines_for("522301", Urgency.URGENT) == (2, 20)
    assert deadlines_for("522301001001", Urgency.URGENT) == (2, 20)
    assert deadlines_for("522302", Urgency.URGENT) == (8, 80)
    assert deadlines_for("522302", Urgency.NORMAL) == DEFAULT_DEADLINES[Urgency.NORMAL]

    StaffingRule.objects.create(region=county, minimum=2)
    StaffingRule.objects.create(region=Region.objects.get(code="522301001"), minimum=3)
    assert staffing_minimums(codes=["522301", "522301001", "522301002", "522302"]) == {
        "522301": 2,
        "522301001": 3,
        "522301002": 2,
        "522302": DEFAULT_MINIMUM_STAFF,
    }


@pytest.mark.django_db
def test_a_rule_list_shows_the_rules_above_and_inside_but_not_a_sibling_countys(users):
    for code, minimum in (("52", 1), ("522301", 2), ("522301001", 3), ("522302", 4)):
        StaffingRule.objects.create(region=Region.objects.get(code=code), minimum=minimum)
    assert {r.region_id for r in staffing_rule_list(user=users["county"])} == {"52", "522301", "522301001"}
    assert {r.region_id for r in staffing_rule_list(user=users["worker"])} == {"52", "522301", "522301001"}
