"""Every URL of people served and visits, every role. The files sit in village 522301001001 (township
522301001, county 522301): the county's administrators and those above, the worker of that township and the
prefecture's leader see them; the sibling county (county2) gets 404; the system administrator and the audit
officer see no personal data (403)."""

from shegong.clients import services
from shegong.clients.models import VisitRule
from shegong.clients.tests.factories import make_person
from shegong.regions.models import Region
from shegong.testing import Route

VIEWERS = ["province", "prefecture", "county", "county2", "worker", "leader"]
EDITORS = ["province", "prefecture", "county", "county2", "worker"]
ALL_LOGGED_IN = ["sysadmin", "auditor", "security", *VIEWERS]


def _all(roles, status=200):
    return {r: status for r in roles}


def _see(roles, status=200):
    """An object of township 522301001: ``roles`` get ``status``, county2 gets 404, the rest 403."""
    return {**{r: status for r in roles if r != "county2"}, "county2": 404}


def _person(users):
    return {"pk": make_person(risk_level="key").pk}


def _member(users):
    person = make_person()
    member = services.household_member_add(
        actor=users["county"], person=person, name="李四", relation="spouse"
    )
    return {"pk": member.pk}


def _visit(users):
    from shegong.clients.tests.factories import make_visit

    return {"pk": make_visit(make_person(), 1).pk}


def _photo(users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shegong.clients.tests.factories import make_visit
    from shegong.clients.tests.test_visit_record import PNG

    visit = make_visit(make_person(), 1, photos=[SimpleUploadedFile("a.png", PNG, "image/png")])
    return {"pk": visit.photos.get().pk}


def _followup(users):
    from shegong.clients.tests.factories import make_visit

    person = make_person()
    visit = make_visit(
        person,
        1,
        followup_task="联系村委会修缮房屋",
        followup_owner=users["worker"],
        followup_due_on=__import__("datetime").date.today(),
    )
    return {"pk": visit.followups.get().pk}


def _rule(users):
    return {
        "pk": VisitRule.objects.create(
            region=Region.objects.get(code="522301"), risk_level="key", interval_days=20
        ).pk
    }


ROUTES = {
    "clients:person_list": [Route(expect=_all(VIEWERS))],
    "clients:person_create": [Route(expect=_all(EDITORS))],
    "clients:person_detail": [Route(setup=_person, expect=_see(VIEWERS))],
    "clients:person_edit": [Route(setup=_person, expect=_see(EDITORS))],
    "clients:person_reveal": [Route(setup=_person, method="post", expect=_see(EDITORS))],
    "clients:household_add": [
        Route(
            setup=_person,
            method="post",
            data={"name": "李四", "relation": "spouse"},
            expect=_see(EDITORS, 302),
        )
    ],
    "clients:household_remove": [Route(setup=_member, method="post", expect=_see(EDITORS, 302))],
    "clients:visit_create": [Route(setup=_person, expect=_see(EDITORS))],
    "clients:visit_list": [Route(expect=_all(VIEWERS))],
    "clients:visit_detail": [Route(setup=_visit, expect=_see(VIEWERS))],
    "clients:visit_pdf": [Route(setup=_visit, expect=_see(VIEWERS))],
    "clients:person_pdf": [Route(setup=_person, expect=_see(VIEWERS))],
    "clients:visit_photo": [Route(setup=_photo, expect=_see(VIEWERS))],
    "clients:person_pick": [Route(kwargs={}, expect=_all(EDITORS))],
    "clients:checklist": [Route(expect=_all(VIEWERS))],
    "clients:checklist_figures": [Route(expect=_all(VIEWERS))],
    "clients:followup_list": [Route(expect=_all(VIEWERS))],
    "clients:followup_done": [Route(setup=_followup, method="post", expect=_see(EDITORS, 302))],
    # Everybody logged in keeps their own drafts and renews their own session; nobody reads another's.
    "clients:drafts": [Route(expect=_all(ALL_LOGGED_IN))],
    "clients:keepalive": [Route(method="post", expect=_all(ALL_LOGGED_IN))],
    "clients:visit_ledger": [Route(expect=_all(VIEWERS))],
    "clients:visit_ledger_export": [Route(method="post", expect=_all(EDITORS, 302))],
    "clients:visit_rules": [Route(expect=_all(VIEWERS))],
    "clients:visit_rule_delete": [
        Route(setup=_rule, method="post", expect=_see(["province", "prefecture", "county", "county2"], 302))
    ],
    "clients:categories": [Route(expect=_all(VIEWERS))],
    "clients:person_import": [Route(expect=_all(EDITORS, 302), note="leads to the import engine")],
    "clients:person_template": [Route(expect=_all(EDITORS, 302))],
    "clients:visit_import": [Route(expect=_all(EDITORS, 302), note="leads to the import engine")],
    "clients:visit_template": [Route(expect=_all(EDITORS, 302))],
    "clients:roster_check": [Route(expect=_all(EDITORS))],
}
