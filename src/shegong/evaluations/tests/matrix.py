"""Every evaluation URL, every role. Evaluations are of the station of township 522301001 (or a county project):
its county's administrators and those above, the township's worker and the prefecture's leader see them; county2
gets 404. Administrators (network.manage) start, score as evaluators, finalise and launch rounds; the worker
self-assesses and closes rectification items."""

from django.utils import timezone

from shegong.evaluations import services
from shegong.evaluations.tests.factories import launch_round, make_evaluation, template
from shegong.testing import ADMINS, EDITORS, VIEWERS, Route, every, sees

TODAY = timezone.localdate().isoformat()


def _evaluation(users):
    return {"pk": make_evaluation().pk}


def _item(users):
    evaluation = make_evaluation()
    item = services.rectification_add(
        actor=users["county"], evaluation=evaluation, text="制度上墙", due_on=timezone.localdate()
    )
    return {"pk": item.pk}


def _template(users):
    return {"pk": template().pk}


def _county_system(users):
    from shegong.regions.models import Region

    system = services.system_create(
        actor=users["county"],
        name="兴义市社工站评估",
        subject="station",
        region=Region.objects.get(code="522301"),
    )
    return {"pk": system.pk}


def _round(users):
    from shegong.casework.tests.factories import station

    station("522301001")
    return {"pk": launch_round(users["county"]).pk}


ROUTES = {
    "evaluations:evaluation_list": [Route(expect=every(VIEWERS))],
    "evaluations:evaluation_start": [Route(expect=every(ADMINS))],
    "evaluations:evaluation_detail": [Route(setup=_evaluation, expect=sees(VIEWERS))],
    "evaluations:evaluation_scores": [Route.post({}, setup=_evaluation, expect=sees(EDITORS, 302))],
    "evaluations:evaluation_finalise": [
        Route.post({"findings": "良好"}, setup=_evaluation, expect=sees(ADMINS, 400))
    ],
    "evaluations:rectification_add": [
        Route.post({"text": "台账", "due_on": TODAY}, setup=_evaluation, expect=sees(ADMINS, 302))
    ],
    "evaluations:rectification_close": [
        Route.post({"note": "已整改"}, setup=_item, expect=sees(EDITORS, 302))
    ],
    "evaluations:system_list": [Route(expect=every(VIEWERS))],
    "evaluations:system_create": [Route(expect=every(ADMINS))],
    "evaluations:system_detail": [
        Route(setup=_template, expect=every(VIEWERS)),
        Route(setup=_county_system, expect=sees(VIEWERS)),
    ],
    "evaluations:system_copy": [Route.post(setup=_template, expect=every(ADMINS, 302))],
    "evaluations:dimension_add": [
        Route.post({"name": "服务提供"}, setup=_county_system, expect={**sees(ADMINS, 302), "province": 302})
    ],
    "evaluations:indicator_add": [Route.post({}, setup=_county_system, expect=sees(ADMINS, 400))],
    "evaluations:round_list": [Route(expect=every(VIEWERS))],
    "evaluations:round_create": [Route(expect=every(ADMINS))],
    # The round belongs to the county; the township worker sees its own station's evaluation, not the round.
    "evaluations:round_detail": [Route(setup=_round, expect={**sees(VIEWERS), "worker": 404})],
    "api:evaluations": [Route(expect=every(VIEWERS))],
    "api:evaluation": [Route(setup=_evaluation, expect=sees(VIEWERS))],
}
