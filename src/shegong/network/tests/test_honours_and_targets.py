import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shegong.network import services
from shegong.network.coverage import network_figures, target_progress
from shegong.network.models import FacilityStatus, Indicator, Target
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 1, 1)


def _target(indicator, value, deadline=dt.date(2025, 12, 31), code="522302"):
    return Target(region_id=code, indicator=indicator, value=Decimal(value), deadline=deadline)


def _figures(users, code="522302"):
    return network_figures(user=users["province"], region=Region.objects.get(code=code), today=TODAY).total


def test_a_target_projects_the_date_at_the_last_twelve_months_pace(users):
    # 兴仁市 has 18 townships: 3 built in the last 12 months, 3 more long before.
    for n, built in enumerate([dt.date(2024, 3, 1), dt.date(2024, 6, 1), dt.date(2024, 9, 1)], 1):
        make_facility(f"52230200{n}", status=FacilityStatus.OPERATING, status_date=built)
    for n in (4, 5, 6):
        make_facility(f"52230200{n}", status=FacilityStatus.OPERATING, status_date=dt.date(2022, 1, 1))
    progress = target_progress(_target(Indicator.TOWNSHIP_STATIONS, 18), _figures(users), today=TODAY)
    assert (progress.current, progress.gap, progress.met) == (6, 12.0, False)
    # 12 to go at 3 a year: four years.
    assert progress.projected == TODAY + dt.timedelta(days=4 * 365)
    assert progress.on_time is False


def test_a_target_with_no_progress_in_the_last_year_is_not_met_at_this_pace(users):
    make_facility("522302001", status=FacilityStatus.OPERATING, status_date=dt.date(2022, 1, 1))
    progress = target_progress(_target(Indicator.TOWNSHIP_COVERAGE, 100), _figures(users), today=TODAY)
    assert progress.current == 5.6
    assert progress.projected is None and not progress.met


def test_a_reached_target_is_met(users):
    make_facility("522302001", status=FacilityStatus.OPERATING, status_date=dt.date(2024, 6, 1))
    progress = target_progress(_target(Indicator.TOWNSHIP_STATIONS, 1), _figures(users), today=TODAY)
    assert progress.met and progress.gap == 0


def test_demonstration_honours_count_towards_their_target(users, login):
    facility = make_facility("522302001")
    client = login(users["county2"])
    client.post(
        reverse("network:honour_create", args=[facility.pk]),
        {"kind": "demonstration", "year": "2024", "issuer": "州民政局", "document_no": "州民发〔2024〕1号"},
    )
    assert facility.honours.get().document_no == "州民发〔2024〕1号"
    progress = target_progress(_target(Indicator.DEMONSTRATION_STATIONS, 2), _figures(users), today=TODAY)
    assert (progress.current, progress.gap) == (1, 1.0)


def test_an_honour_from_the_future_is_refused(users):
    with pytest.raises(ValidationError):
        services.honour_create(
            actor=None, facility=make_facility("522302001"), kind="top_ten", year=2999, issuer="x"
        )


def test_an_administrator_sets_a_target_for_their_region_and_sees_it_on_the_dashboard(users, login):
    client = login(users["prefecture"])
    response = client.post(
        reverse("network:target_create"),
        {"region_code": "5223", "indicator": "township_coverage", "value": "100", "deadline": "2025-12-31"},
    )
    assert response.status_code == 302
    page = client.get(reverse("network:dashboard", args=["5223"]))
    assert [p.target.indicator for p in page.context["targets"]] == ["township_coverage"]


def test_a_rate_target_above_100_and_a_target_outside_the_jurisdiction_are_refused(users, login):
    client = login(users["county"])
    data = {"indicator": "township_coverage", "deadline": "2025-12-31"}
    response = client.post(
        reverse("network:target_create"), {**data, "region_code": "522301", "value": "120"}
    )
    assert response.context["form"].errors["value"]
    response = client.post(
        reverse("network:target_create"), {**data, "region_code": "522302", "value": "100"}
    )
    assert response.context["form"].errors["region_code"]
    assert not Target.objects.exists()


def test_a_rate_without_dated_records_has_no_projection_rather_than_a_wrong_one(users):
    make_facility("522302001", status=FacilityStatus.OPERATING)
    progress = target_progress(_target(Indicator.OPERATING_RATE, 100), _figures(users), today=TODAY)
    assert progress.met and progress.pace_known is False
    make_facility("522302002", status=FacilityStatus.BUILT)
    progress = target_progress(_target(Indicator.OPERATING_RATE, 100), _figures(users), today=TODAY)
    assert (progress.met, progress.pace_known, progress.projected) == (False, False, None)
