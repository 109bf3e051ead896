from django.utils import timezone

from shegong.casework.tests.factories import station
from shegong.clients.tests.factories import actor_for
from shegong.evaluations import services
from shegong.evaluations.models import IndicatorSystem
from shegong.regions.models import Region


def template(subject: str = "station") -> IndicatorSystem:
    return IndicatorSystem.objects.get(region__isnull=True, subject=subject)


def make_evaluation(code: str = "522301001", actor=None):
    return services.evaluation_start(
        actor=actor or actor_for(code), system=template(), facility=station(code)
    )


def launch_round(actor, name: str = "中期评估"):
    """A round of every built station of the county 522301 on the national template, due today."""
    county = Region.objects.get(code="522301")
    return services.round_launch(
        actor=actor, system=template(), region=county, name=name, due_on=timezone.localdate()
    )
