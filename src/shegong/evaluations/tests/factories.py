from shegong.casework.tests.factories import station
from shegong.clients.tests.factories import actor_for
from shegong.evaluations import services
from shegong.evaluations.models import IndicatorSystem


def template(subject: str = "station") -> IndicatorSystem:
    return IndicatorSystem.objects.get(region__isnull=True, subject=subject)


def make_evaluation(code: str = "522301001", actor=None):
    return services.evaluation_start(
        actor=actor or actor_for(code), system=template(), facility=station(code)
    )
