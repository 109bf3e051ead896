"""Every workforce URL and the status each role must get (see core/tests/test_access_matrix.py).

The objects live in county 522301, township 522301001 (the worker account's township), unless said otherwise:
the sibling county's administrator gets 404 for them, the system administrator and the auditor 403 for
everything (they see no workforce data), and the leader may look but not edit nor see ID numbers in clear.
"""

import datetime as dt

from shegong.testing import Route

EDITORS = ["province", "prefecture", "county", "worker"]
VIEWERS = [*EDITORS, "leader"]


def _in(roles, status, **others):
    return {**{r: status for r in roles}, **others}


# Pages of one object in township 522301001: viewers 200, the sibling county 404.
OBJECT_VIEW = _in(VIEWERS, 200, county2=404)
OBJECT_EDIT = _in(EDITORS, 200, county2=404)
OBJECT_POST = _in(EDITORS, 302, county2=404)
LISTS = _in(VIEWERS, 200, county2=200)
EDIT_PAGES = _in(EDITORS, 200, county2=200)


def _station(users):
    from shegong.workforce.tests.factories import make_station

    return make_station("522301001")


def worker_setup(users):
    from shegong.workforce.tests.factories import make_worker

    return {"pk": make_worker(_station(users), phone="13800138000").pk}


def worker_left_setup(users):
    from shegong.workforce import services
    from shegong.workforce.tests.factories import make_worker

    worker = make_worker(_station(users))
    services.worker_leave(actor=None, worker=worker, left_on=dt.date(2024, 1, 1))
    return {"pk": worker.pk}


def station_setup(users):
    return {"pk": _station(users).pk}


def move_setup(users):
    """A worker and a second station in the same township's county for the move."""
    from shegong.workforce.tests.factories import make_station, make_worker

    worker = make_worker(_station(users))
    make_station("522301002")
    return {"pk": worker.pk}


def certificate_setup(users):
    from shegong.workforce.tests.factories import certify, make_worker

    return {"pk": certify(make_worker(_station(users))).pk}


def agency_setup(users):
    from shegong.workforce.tests.factories import make_agency

    return {"pk": make_agency("522301").pk}


def expert_setup(users):
    from shegong.workforce.tests.factories import make_expert

    return {"pk": make_expert("522301001", "李督导", "supervisor").pk}


def training_setup(users):
    from shegong.workforce.tests.factories import make_training

    session = make_training(
        "522301001", "岗前培训", dt.date(2024, 5, 1), kind="pre_service", organiser="兴义市民政局", hours=8
    )
    return {"pk": session.pk}


def attendance_setup(users):
    from shegong.workforce.models import TrainingSession, Worker
    from shegong.workforce.services_training import attendance_add

    session = TrainingSession.objects.get(pk=training_setup(users)["pk"])
    worker = Worker.objects.get(pk=worker_setup(users)["pk"])
    attendance, _created = attendance_add(actor=None, session=session, worker=worker)
    return {"pk": attendance.pk}


def award_setup(users):
    from shegong.regions.models import Region
    from shegong.workforce.services_awards import award_rule_create

    rule = award_rule_create(
        actor=None,
        region=Region.objects.get(code="522301"),
        name="社会工作师一次性奖励",
        kind="one_time",
        level=2,
        amount=2000,
        valid_from=dt.date(2020, 1, 1),
    )
    return {"pk": rule.pk}


def target_setup(users):
    from shegong.regions.models import Region
    from shegong.workforce.services import talent_target_create

    target = talent_target_create(
        actor=None,
        region=Region.objects.get(code="522301"),
        indicator="talents",
        value=100,
        deadline=dt.date(2027, 12, 31),
    )
    return {"pk": target.pk}


ROUTES = {
    "workforce:worker_list": [Route(expect=LISTS)],
    "workforce:worker_create": [Route(expect=EDIT_PAGES)],
    # Masked for every role; in clear only by its own action with a purpose (test_pii.py).
    "workforce:worker_export": [Route(expect=LISTS)],
    "workforce:worker_export_clear": [
        Route(expect=_in(EDITORS, 200, county2=200)),
        Route.post({"purpose": "核对社工名册"}, expect=_in(EDITORS, 200, county2=200)),
    ],
    "workforce:worker_detail": [Route(setup=worker_setup, expect=OBJECT_VIEW)],
    "workforce:worker_edit": [Route(setup=worker_setup, expect=OBJECT_EDIT)],
    "workforce:worker_move": [Route(setup=move_setup, expect=OBJECT_EDIT)],
    "workforce:worker_leave": [Route.post({"left_on": "2024-06-01"}, setup=worker_setup, expect=OBJECT_POST)],
    "workforce:worker_return": [Route.post(setup=worker_left_setup, expect=OBJECT_POST)],
    "workforce:worker_reveal": [
        Route.post({"field": "id_number"}, setup=worker_setup, expect=_in(EDITORS, 200, county2=404))
    ],
    "workforce:certificate_add": [
        Route.post(
            {"level": "1", "year": "2023", "number": "A2023001"}, setup=worker_setup, expect=OBJECT_POST
        )
    ],
    "workforce:hours_set": [
        Route.post({"year": "2024", "hours": "24"}, setup=worker_setup, expect=OBJECT_POST)
    ],
    "workforce:certificate_delete": [Route.post(setup=certificate_setup, expect=OBJECT_POST)],
    "workforce:station_list": [Route(expect=LISTS)],
    "workforce:station_detail": [Route(setup=station_setup, expect=OBJECT_VIEW)],
    "workforce:staffing_rule_set": [
        Route.post(
            {"region_code": "522301", "minimum": "2"},
            # The sibling county's administrator is told the division is not theirs, on the list page.
            expect=_in(["province", "prefecture", "county", "worker"], 302, county2=302),
        )
    ],
    # National roles have no region to show; regional roles are sent to their own.
    "workforce:stats_index": [Route(expect=_in(VIEWERS, 302, county2=302))],
    "workforce:stats": [
        Route(
            kwargs={"code": "522301"},
            expect=_in(["province", "prefecture", "county", "leader"], 200, county2=404, worker=404),
        ),
        Route(
            kwargs={"code": "52"},
            expect=_in(["province"], 200, prefecture=404, county=404, county2=404, worker=404, leader=404),
        ),
        Route(kwargs={"code": "529999"}, expect=_in(VIEWERS, 404, county2=404)),
    ],
    "workforce:stats_export": [
        Route(
            kwargs={"code": "5223"},
            expect=_in(["province", "prefecture", "leader"], 200, county=404, county2=404, worker=404),
        )
    ],
    "workforce:target_create": [
        Route.post(
            {"indicator": "talents", "value": "100", "deadline": "2027-12-31"},
            kwargs={"code": "522301"},
            expect=_in(["province", "prefecture", "county"], 302, county2=404, worker=404),
        )
    ],
    "workforce:target_delete": [
        Route.post(
            setup=target_setup, expect=_in(["province", "prefecture", "county"], 302, county2=404, worker=404)
        )
    ],
    "workforce:agency_list": [Route(expect=LISTS)],
    "workforce:agency_create": [Route(expect=EDIT_PAGES)],
    "workforce:agency_detail": [
        Route(
            setup=agency_setup,
            expect=_in(["province", "prefecture", "county", "leader"], 200, county2=404, worker=404),
        )
    ],
    "workforce:agency_edit": [
        Route(
            setup=agency_setup, expect=_in(["province", "prefecture", "county"], 200, county2=404, worker=404)
        )
    ],
    "workforce:expert_list": [Route(expect=LISTS)],
    "workforce:expert_create": [Route(expect=EDIT_PAGES)],
    "workforce:expert_edit": [Route(setup=expert_setup, expect=OBJECT_EDIT)],
    "workforce:training_list": [Route(expect=LISTS)],
    "workforce:training_create": [Route(expect=EDIT_PAGES)],
    "workforce:training_detail": [Route(setup=training_setup, expect=OBJECT_VIEW)],
    "workforce:training_edit": [Route(setup=training_setup, expect=OBJECT_EDIT)],
    "workforce:attendance_add": [Route.post({"worker": "0"}, setup=training_setup, expect=OBJECT_POST)],
    "workforce:attendance_import": [Route.post(setup=training_setup, expect=OBJECT_POST)],
    "workforce:attendance_remove": [Route.post(setup=attendance_setup, expect=OBJECT_POST)],
    "workforce:award_list": [Route(expect=LISTS)],
    "workforce:award_detail": [
        # A county rule applies in the county and is visible from above; the township worker sees the rules of
        # the regions above the township too.
        Route(setup=award_setup, expect=_in(VIEWERS, 200, county2=404))
    ],
    "workforce:payment_record": [
        # No worker 0: the rule is found (or 404 for the sibling county), then the worker is not.
        Route.post(
            {"worker": "0", "paid_on": "2024-01-01"}, setup=award_setup, expect=_in(EDITORS, 404, county2=404)
        )
    ],
    # The old import pages and templates lead to the import engine's page of the same ledger.
    "workforce:import": [Route(expect=_in(EDITORS, 302, county2=302))],
    "workforce:template": [
        Route(kwargs={"kind": "workers"}, expect=_in(EDITORS, 302, county2=302)),
        Route(kwargs={"kind": "certificates"}, expect=_in(EDITORS, 302, county2=302)),
        Route(kwargs={"kind": "nothing"}, expect=_in(EDITORS, 404, county2=404)),
    ],
}

API_VIEW = _in(VIEWERS, 200, county2=404)

ROUTES.update(
    {
        "api:workers": [
            Route(expect=LISTS),
            # Registering needs data.edit; a worker without an ID number is refused with 400.
            Route.post({"name": "x"}, expect=_in(EDITORS, 400, county2=400)),
        ],
        "api:worker": [Route(setup=worker_setup, expect=API_VIEW)],
        "api:worker_move": [
            Route.post({"station": "0"}, setup=worker_setup, expect=_in(EDITORS, 400, county2=404))
        ],
        "api:worker_reveal": [
            Route.post({"fields": ["phone"]}, setup=worker_setup, expect=_in(EDITORS, 200, county2=404))
        ],
        "api:agencies": [
            Route(expect=LISTS),
            # Registering needs data.edit; an agency without a credit code is refused with 400.
            Route.post({"name": "x"}, expect=_in(EDITORS, 400, county2=400)),
        ],
        "api:agency": [
            Route(
                setup=agency_setup,
                expect=_in(["province", "prefecture", "county", "leader"], 200, county2=404, worker=404),
            )
        ],
        "api:trainings": [Route(expect=LISTS)],
        "api:stats_workforce": [
            Route(expect=LISTS),
        ],
    }
)
