import datetime as dt

import pytest
from django.core.management import call_command

from shegong.network.coverage import network_figures
from shegong.network.models import Facility, Kind, Target
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_qianxinan_as_reported_in_december_2023_and_grows_since(users):
    call_command("demo_network", force=True, verbosity=0)
    prefecture = Region.objects.get(code="5223")
    figures = network_figures(user=users["prefecture"], region=prefecture, as_of=dt.date(2023, 12, 31))
    total = figures.total
    assert (total.covered, total.townships) == (101, 140)
    assert total.township_coverage == 72.1
    # Today: the 16 stations built since 2024, and 12 more village rooms.
    now = network_figures(user=users["prefecture"], region=prefecture).total
    assert (now.covered, now.townships) == (117, 140)
    assert now.rooms_built == 16
    assert now.stations_operating > total.stations_operating
    # Nothing was built before the history starts.
    assert (
        network_figures(
            user=users["prefecture"], region=prefecture, as_of=dt.date(2020, 12, 31)
        ).total.covered
        == 0
    )
    assert total.count(Kind.CITY_HUB) == 1
    assert total.count(Kind.COUNTY_CENTRE) == 8
    assert total.count(Kind.VILLAGE_ROOM) == 4
    complete = {c.code for c in figures.children if c.township_coverage == 100.0}
    assert complete == {"522301", "522324", "522327"}
    assert Target.objects.filter(region_id="5223", indicator="township_coverage", value=100).exists()
    first = sorted(Facility.objects.values_list("region_id", "status", "built_on"))
    # Seeded: a second run on a fresh database builds the same network; on this one it changes nothing.
    call_command("demo_network", force=True, verbosity=0)
    assert sorted(Facility.objects.values_list("region_id", "status", "built_on")) == first
