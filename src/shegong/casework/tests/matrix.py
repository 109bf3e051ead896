"""Every casework URL and every API endpoint of people served and casework, every role. Cases are kept by the
station of township 522301001: its county's administrators and those above, the worker of that township and
the prefecture's leader see them; county2 gets 404; the system administrator and the audit officer 403."""

from django.utils import timezone

from shegong.casework import services
from shegong.casework.models import Stage
from shegong.casework.tests.factories import FILLED, make_case, station
from shegong.clients.tests.factories import make_person
from shegong.testing import ADMINS, EDITORS, VIEWERS, Route, every, sees

APPROVERS = ADMINS


def _case(users):
    return {"pk": make_case().pk}


def _case_in(stage):
    def setup(users):
        return {"pk": make_case(stage).pk}

    return setup


def _person(users):
    station("522301001")
    return {"person_pk": make_person().pk}


def _pending(users):
    case = make_case(Stage.PLAN, worker=users["worker"])
    services.case_update(actor=users["worker"], case=case, **FILLED[Stage.PLAN])
    approval = services.case_transition(actor=users["worker"], case=case, to_stage=Stage.INTERVENTION)
    return {"pk": approval.pk}


def _referral(users):
    case = make_case(code="522301002")
    target = station("522301001")
    referral = services.referral_create(
        actor=users["county"], case=case, reason="就近服务", to_station=target
    )
    return {"pk": referral.pk}


def _api_person(users):
    return {"pk": make_person().pk}


ROUTES = {
    "casework:case_list": [Route(expect=every(VIEWERS))],
    "casework:case_create": [Route(setup=_person, expect=sees(EDITORS))],
    "casework:case_detail": [Route(setup=_case, expect=sees(VIEWERS))],
    "casework:case_record": [
        Route.post(
            {"source": "self", "presenting_problem": "生活困难", "agreement_signed": "on"},
            setup=_case,
            expect=sees(EDITORS, 302),
        )
    ],
    "casework:case_move": [Route.post({"to_stage": "assessment"}, setup=_case, expect=sees(EDITORS, 302))],
    "casework:contact_add": [
        Route.post(
            {"contacted_on": timezone.localdate().isoformat(), "mode": "home", "content": "入户探访"},
            setup=_case_in(Stage.INTERVENTION),
            expect=sees(EDITORS, 302),
        )
    ],
    "casework:case_transfer": [Route.post({}, setup=_case, expect=sees(EDITORS, 302))],
    "casework:case_refer": [
        Route.post({"to_department": "残联", "reason": "辅具"}, setup=_case, expect=sees(EDITORS, 302))
    ],
    "casework:approval_list": [Route(expect=every(APPROVERS))],
    "casework:approval_decide": [
        Route.post({"decision": "approve"}, setup=_pending, expect=sees(APPROVERS, 302))
    ],
    "casework:referral_inbox": [Route(expect=every(VIEWERS))],
    "casework:referral_answer": [
        Route.post({"decision": "accept"}, setup=_referral, expect=sees(EDITORS, 302))
    ],
    "casework:service_list": [Route(expect=every(VIEWERS))],
    "casework:service_create": [Route(expect=every(EDITORS))],
    "casework:catalogue": [Route(expect=every(VIEWERS))],
    "casework:figures": [Route(expect=every(VIEWERS))],
    # API: 401 for anonymous callers, JSON errors for everybody else.
    "api:clients": [Route(expect=every(VIEWERS))],
    "api:client": [Route(setup=_api_person, expect=sees(VIEWERS))],
    # The one reveal action (core/reveal.py): roles with pii.view, the leader refused.
    "api:client_reveal": [Route.post(setup=_api_person, expect=sees(EDITORS))],
    "api:visits": [Route(expect=every(VIEWERS))],
    "api:cases": [Route(expect=every(VIEWERS))],
    "api:case": [Route(setup=_case, expect=sees(VIEWERS))],
    "api:case_transition": [Route.post({"to_stage": "assessment"}, setup=_case, expect=sees(EDITORS))],
    "api:case_approval_decide": [Route.post({"decision": "approve"}, setup=_pending, expect=sees(APPROVERS))],
    "api:service_records": [Route(expect=every(VIEWERS))],
    "api:stats_services": [Route(expect=every(VIEWERS))],
}
