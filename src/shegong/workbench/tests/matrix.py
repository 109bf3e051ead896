"""Every URL of the workbench and 督办 notices, every role. The station is 522301001's (county 522301): the
county and the levels above send notices to it; the township's worker answers; the sibling county (county2)
gets 404; the three administrators of 三员分立 see no service data (403)."""

from shegong.testing import MATRIX_USERS, VIEWERS, Route
from shegong.workbench.tests.factories import notice, station

EVERYONE = list(MATRIX_USERS)  # every logged-in role of the matrix


def _station(users):
    return {"station_pk": station().pk}


def _notice(users):
    return {"pk": notice(users["county"]).pk}


ROUTES = {
    "workbench:me": [Route(expect={r: 200 for r in EVERYONE})],
    "workbench:notice_list": [Route(expect={r: 200 for r in VIEWERS})],
    # Sent from above the station: the worker of the township itself may not (403); the leader cannot edit.
    "workbench:notice_create": [
        Route(setup=_station, expect={"province": 200, "prefecture": 200, "county": 200, "county2": 404}),
        Route.post(
            {"subject": "督办", "body": "请尽快走访。"},
            setup=_station,
            expect={"province": 302, "prefecture": 302, "county": 302, "county2": 404},
        ),
    ],
    "workbench:notice_detail": [
        Route(setup=_notice, expect={r: 200 for r in VIEWERS if r != "county2"} | {"county2": 404}),
        # Only the station answers: the worker of its township; everybody else who sees it is refused.
        Route.post(
            {"answer": "已完成走访。"},
            setup=_notice,
            expect={
                "worker": 302,
                "province": 403,
                "prefecture": 403,
                "county": 403,
                "leader": 403,
                "county2": 404,
            },
        ),
    ],
}
