"""A project's actuals, counted live from the records of the stations it covers in its period — never typed in.

* cases: cases opened at the covered stations (casework.Case.opened_on in the period);
* service person-times: the person-times of the service records of the covered stations (casework.ServiceRecord,
  one per individual service, ``participants`` per group service), the source of 服务人次 everywhere in Shegong;
* people covered: distinct people on file who had a service record or a case opened at the covered stations;
* groups: work groups (小组工作) started at the covered stations, and activities: community activities held there —
  both kept by the community app (community.WorkGroup, community.Activity). Where that app is not installed they
  are None ("not recorded by the system"), never zero.

The period runs from the project's start to its end, or to today while it runs. Every read passes the user's
scope (lib/scoping.py); the covered stations lie inside the project's division, so a user who may open the project
sees all its records.
"""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Sum
from django.utils import timezone

from shegong.casework.selectors import case_list, service_record_list
from shegong.lib.ratios import share
from shegong.lib.scoping import scope_to_user
from shegong.projects.models import Indicator, Project


@dataclass
class Actual:
    indicator: str
    label: str
    target: int | None
    actual: int | None

    @property
    def percent(self) -> float | None:
        return share(self.actual, self.target)

    @property
    def met(self) -> bool:
        return self.target is not None and self.actual is not None and self.actual >= self.target


def period_of(project: Project, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return project.start_on, min(project.end_on, max(today, project.start_on))


def _community(model: str):
    if not apps.is_installed("shegong.community"):
        return None
    try:
        return apps.get_model("community", model)
    except LookupError:
        return None


def project_actuals(*, user, project: Project, today: dt.date | None = None) -> dict[str, int | None]:
    since, until = period_of(project, today)
    stations = list(project.stations.values_list("pk", flat=True))
    records = service_record_list(user=user, since=since, until=until).filter(station_id__in=stations)
    cases = case_list(user=user).filter(station_id__in=stations, opened_on__gte=since, opened_on__lte=until)
    people = set(records.exclude(person=None).values_list("person_id", flat=True).distinct())
    people |= set(cases.values_list("person_id", flat=True).distinct())
    result: dict[str, int | None] = {
        Indicator.CASES: cases.count(),
        Indicator.PERSON_TIMES: records.order_by().aggregate(n=Sum("participants"))["n"] or 0,
        Indicator.PEOPLE: len(people),
        Indicator.GROUPS: None,
        Indicator.ACTIVITIES: None,
    }
    # The community's groups started and activities held in the period, when the community is installed.
    for indicator, name, day in (
        (Indicator.GROUPS, "WorkGroup", "started_on"),
        (Indicator.ACTIVITIES, "Activity", "held_on"),
    ):
        model = _community(name)
        if model is not None:
            in_period = {f"{day}__gte": since, f"{day}__lte": until}
            result[indicator] = (
                scope_to_user(model.objects.all(), user).filter(station_id__in=stations, **in_period).count()
            )
    return result


def targets_against_actuals(*, user, project: Project, today: dt.date | None = None) -> list[Actual]:
    """Every indicator, with the target where the contract sets one."""
    actuals = project_actuals(user=user, project=project, today=today)
    targets = dict(project.targets.values_list("indicator", "value"))
    return [
        Actual(indicator=value, label=str(label), target=targets.get(value), actual=actuals[value])
        for value, label in Indicator.choices
    ]
