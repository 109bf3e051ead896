import pytest
from django.core.management import call_command

from shegong.regions.models import Region
from shegong.workforce.figures import workforce_figures
from shegong.workforce.models import Worker

pytestmark = pytest.mark.django_db


def test_the_demo_staffs_most_stations_and_leaves_a_few_below_the_minimum(users):
    call_command("demo_network", force=True, verbosity=0)
    call_command("demo_workforce", force=True, verbosity=0)
    total = workforce_figures(user=users["prefecture"], region=Region.objects.get(code="5223")).total
    assert total.stations > 100
    assert 0 < total.under_staffed < total.stations * 0.25
    assert total.full_time >= total.stations
    assert total.certified > 0 and total.agencies > 0 and total.sessions >= 0
    first = Worker.objects.count()
    call_command("demo_workforce", force=True, verbosity=0)
    assert Worker.objects.count() == first
