"""Every hotline URL, every role. Tickets concern township 522301001: its county's administrators and those above,
the worker of that township and the prefecture's leader see them; county2 gets 404; the system administrator and
the audit officer 403."""

from shegong.clients.tests.factories import make_person
from shegong.hotline.tests.factories import make_ticket
from shegong.testing import EDITORS, VIEWERS, Route, every, sees

PII = EDITORS  # roles with pii.view


def _ticket(users):
    return {"pk": make_ticket().pk}


def _linked(users):
    from shegong.hotline import services

    ticket = make_ticket(assign=True)
    person = make_person()
    services.ticket_link_person(actor=users["county"], ticket=ticket, person=person)
    return {"pk": ticket.pk}


ROUTES = {
    "hotline:ticket_list": [Route(expect=every(VIEWERS))],
    "hotline:ticket_create": [
        Route(expect=every(EDITORS)),
        Route.post(
            {
                "received_at": "2025-03-01T09:30",
                "channel": "phone",
                "category": "needs",
                "urgency": "normal",
                "summary": "咨询临时救助",
                "region": "522301001",
            },
            # county2 and the province may not write in 522301001 from county2's jurisdiction: a form error.
            expect={**every(EDITORS, 302), "county2": 400},
        ),
    ],
    "hotline:ticket_detail": [Route(setup=_ticket, expect=sees(VIEWERS))],
    "hotline:ticket_reveal": [Route.post(setup=_ticket, expect=sees(PII))],
    "hotline:ticket_assign": [Route.post({}, setup=_ticket, expect=sees(EDITORS, 400))],
    "hotline:ticket_note": [Route.post({"text": "已电话回访"}, setup=_ticket, expect=sees(EDITORS, 302))],
    "hotline:ticket_link": [Route.post({"id_number": "x"}, setup=_ticket, expect=sees(EDITORS, 400))],
    "hotline:ticket_case": [Route.post(setup=_linked, expect=sees(EDITORS, 302))],
    "hotline:ticket_close": [Route.post({"outcome": "resolved"}, setup=_ticket, expect=sees(EDITORS, 302))],
    "hotline:deadlines": [
        Route(expect=every(VIEWERS)),
        Route.post(
            {"region": "522301", "urgency": "normal", "respond_hours": 12, "resolve_hours": 72},
            expect={
                "province": 302,
                "prefecture": 302,
                "county": 302,
                "county2": 400,
                "worker": 403,
                "leader": 403,
            },
        ),
    ],
    "api:tickets": [
        Route(expect=every(VIEWERS)),
        Route.post(
            {"region": "522301001", "channel": "phone", "category": "policy", "summary": "咨询低保政策"},
            expect={**every(EDITORS, 201), "county2": 400, "leader": 403},
        ),
    ],
    "api:ticket": [Route(setup=_ticket, expect=sees(VIEWERS))],
    "api:ticket_reveal": [Route.post(setup=_ticket, expect=sees(PII))],
    "api:ticket_note": [Route.post({"text": "已回电"}, setup=_ticket, expect=sees(EDITORS))],
}
