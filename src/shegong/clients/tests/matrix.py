"""Every URL of people served and visits, every role. The files sit in village 522301001001 (township
522301001, county 522301): the county's administrators and those above, the worker of that township and the
prefecture's leader see them; the sibling county (county2) gets 404; the system administrator and the audit
officer see no personal data (403)."""

from django.utils import timezone

from shegong.clients import services
from shegong.clients.models import VisitRule
from shegong.clients.tests.factories import make_person
from shegong.regions.models import Region
from shegong.testing import EDITORS, VIEWERS, Route, every, sees

ALL_LOGGED_IN = ["sysadmin", "auditor", "security", *VIEWERS]


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
        followup_due_on=timezone.localdate(),
    )
    return {"pk": visit.followups.get().pk}


def _rule(users):
    return {
        "pk": VisitRule.objects.create(
            region=Region.objects.get(code="522301"), risk_level="key", interval_days=20
        ).pk
    }


ROUTES = {
    "clients:person_list": [Route(expect=every(VIEWERS))],
    "clients:person_create": [Route(expect=every(EDITORS))],
    "clients:person_detail": [Route(setup=_person, expect=sees(VIEWERS))],
    "clients:person_edit": [Route(setup=_person, expect=sees(EDITORS))],
    "clients:person_reveal": [Route.post(setup=_person, expect=sees(EDITORS))],
    "clients:household_add": [
        Route.post({"name": "李四", "relation": "spouse"}, setup=_person, expect=sees(EDITORS, 302))
    ],
    "clients:household_remove": [Route.post(setup=_member, expect=sees(EDITORS, 302))],
    "clients:visit_create": [Route(setup=_person, expect=sees(EDITORS))],
    "clients:visit_list": [Route(expect=every(VIEWERS))],
    "clients:visit_detail": [Route(setup=_visit, expect=sees(VIEWERS))],
    "clients:visit_pdf": [Route(setup=_visit, expect=sees(VIEWERS))],
    "clients:person_pdf": [Route(setup=_person, expect=sees(VIEWERS))],
    "clients:visit_photo": [Route(setup=_photo, expect=sees(VIEWERS))],
    "clients:person_pick": [Route(kwargs={}, expect=every(EDITORS))],
    "clients:checklist": [Route(expect=every(VIEWERS))],
    "clients:checklist_figures": [Route(expect=every(VIEWERS))],
    "clients:followup_list": [Route(expect=every(VIEWERS))],
    "clients:followup_done": [Route.post(setup=_followup, expect=sees(EDITORS, 302))],
    # Everybody logged in keeps their own drafts and renews their own session; nobody reads another's.
    "clients:drafts": [Route(expect=every(ALL_LOGGED_IN))],
    "clients:keepalive": [Route.post(expect=every(ALL_LOGGED_IN))],
    "clients:visit_ledger": [Route(expect=every(VIEWERS))],
    "clients:visit_ledger_export": [Route.post(expect=every(EDITORS, 302))],
    "clients:visit_rules": [Route(expect=every(VIEWERS))],
    "clients:visit_rule_delete": [
        Route.post(setup=_rule, expect=sees(["province", "prefecture", "county", "county2"], 302))
    ],
    "clients:categories": [Route(expect=every(VIEWERS))],
    "clients:person_import": [Route(expect=every(EDITORS, 302), note="leads to the import engine")],
    "clients:person_template": [Route(expect=every(EDITORS, 302))],
    "clients:visit_import": [Route(expect=every(EDITORS, 302), note="leads to the import engine")],
    "clients:visit_template": [Route(expect=every(EDITORS, 302))],
    "clients:roster_check": [Route(expect=every(EDITORS))],
}
