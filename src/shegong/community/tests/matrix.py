"""Every community URL and API endpoint, every role. Records are kept in township 522301001 (county 522301):
its county's administrators and those above, the worker of that township and the prefecture's leader see
them; county2 gets 404; the system administrator and the audit officer 403. Rules, the catalogue and matching
are kept by administrators (community.configure)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from shegong.community import services, volunteers
from shegong.community.models import ActivityPhoto
from shegong.community.tests.factories import (
    actor_for,
    catalogue_item,
    give_points,
    make_activity,
    make_fund,
    make_meeting,
    make_organisation,
    make_project,
    make_rule,
    make_volunteer,
    station,
)
from shegong.testing import ADMINS, EDITORS, VIEWERS, Route, every, sees

CONFIGURERS = ADMINS
TODAY = timezone.localdate().isoformat()


def _volunteer(users):
    return {"pk": make_volunteer().pk}


def _rich_volunteer(users):
    volunteer = make_volunteer()
    give_points(volunteer, 100)
    catalogue_item()
    return {"pk": volunteer.pk}


def _activity(users):
    return {"pk": make_activity().pk}


def _signup_in(state):
    def setup(users):
        actor = actor_for()
        signup = volunteers.signup_create(actor=actor, activity=make_activity(), volunteer=make_volunteer())
        if state in ("checked_in", "checked_out"):
            volunteers.signup_check_in(actor=actor, signup=signup)
        if state == "checked_out":
            volunteers.signup_check_out(actor=actor, signup=signup)
        return {"pk": signup.pk}

    return setup


def _photo(users):
    activity = make_activity()
    photo = ActivityPhoto(activity=activity, uploaded_by=actor_for(), uploaded_at=dt.datetime.now(dt.UTC))
    photo.image.save("p.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return {"pk": photo.pk}


def _team(users):
    team = volunteers.team_create(
        actor=actor_for(), station=station(), name="黄草志愿服务队", founded_on=dt.date(2024, 1, 1)
    )
    return {"pk": team.pk}


def _group(users):
    group = services.group_create(
        actor=actor_for(),
        station=station(),
        name="留守儿童成长小组",
        kind="growth",
        aim="增强自信",
        started_on=timezone.localdate() - dt.timedelta(days=10),
    )
    return {"pk": group.pk}


def _item(users):
    return {"pk": catalogue_item(code="522301").pk}


def _org(users):
    return {"pk": make_organisation(on=dt.date(2024, 1, 1)).pk}


def _meeting(users):
    return {"pk": make_meeting().pk}


def _issue(users):
    return {"pk": make_meeting("路灯", "路灯坏了").issues.get().pk}


def _fund(users):
    return {"pk": make_fund().pk}


def _project(users):
    project = make_project(
        "522301001001", "5000", name="幸福家园互助", target="10000", started=dt.date(2024, 3, 1)
    )
    return {"pk": project.pk}


def _rule(users):
    return {"pk": make_rule("522301", "10", name="市配捐", actor=users["county"]).pk}


def _points_rule_data():
    return {"form": "rule", "points_per_hour": "12", "bonus_points": "0", "long_bonus_points": "0"}


ROUTES = {
    "community:figures": [Route(expect=every(VIEWERS))],
    "community:activity_list": [Route(expect=every(VIEWERS))],
    "community:activity_create": [
        Route(expect=every(EDITORS)),
        # A station outside the jurisdiction is not on the list: the form is shown again with the error (400).
        Route.post({"title": "x"}, expect=every(EDITORS, 400)),
    ],
    "community:activity_detail": [Route(setup=_activity, expect=sees(VIEWERS))],
    "community:activity_edit": [Route(setup=_activity, expect=sees(EDITORS))],
    "community:activity_photo_add": [Route.post({}, setup=_activity, expect=sees(EDITORS, 302))],
    "community:activity_photo": [Route(setup=_photo, expect=sees(VIEWERS))],
    "community:signup_add": [Route.post({}, setup=_activity, expect=sees(EDITORS, 302))],
    "community:signup_move": [
        Route.post(kwargs={"action": "check-in"}, setup=_signup_in("signed_up"), expect=sees(EDITORS, 302)),
        Route.post(kwargs={"action": "check-out"}, setup=_signup_in("checked_in"), expect=sees(EDITORS, 302)),
        Route.post(
            {"hours": "2"},
            kwargs={"action": "confirm"},
            setup=_signup_in("checked_out"),
            expect=sees(EDITORS, 302),
        ),
        Route.post(kwargs={"action": "cancel"}, setup=_signup_in("signed_up"), expect=sees(EDITORS, 302)),
    ],
    "community:group_list": [Route(expect=every(VIEWERS))],
    "community:group_create": [Route(expect=every(EDITORS))],
    "community:group_detail": [Route(setup=_group, expect=sees(VIEWERS))],
    "community:group_session_add": [
        Route.post(
            {"held_on": TODAY, "attendance": "8", "content": "破冰"}, setup=_group, expect=sees(EDITORS, 302)
        )
    ],
    "community:group_member_add": [Route.post({"headcount": "3"}, setup=_group, expect=sees(EDITORS, 302))],
    "community:group_phase": [Route.post({"to_phase": "forming"}, setup=_group, expect=sees(EDITORS, 302))],
    "community:volunteer_list": [Route(expect=every(VIEWERS))],
    "community:volunteer_create": [Route(expect=every(EDITORS))],
    "community:volunteer_detail": [Route(setup=_volunteer, expect=sees(VIEWERS))],
    "community:volunteer_edit": [Route(setup=_volunteer, expect=sees(EDITORS))],
    "community:volunteer_reveal": [
        Route.post({"field": "id_number"}, setup=_volunteer, expect=sees(EDITORS))
    ],
    "community:volunteer_redeem": [
        Route.post({"quantity": "1"}, setup=_rich_volunteer, expect=sees(EDITORS, 302))
    ],
    "community:volunteer_points": [
        Route.post(
            {"kind": "adjust", "points": "5", "reason": "补录"},
            setup=_volunteer,
            expect=sees(CONFIGURERS, 302),
        )
    ],
    "community:volunteer_certificate": [Route(setup=_volunteer, expect=sees(VIEWERS))],
    "community:team_list": [Route(expect=every(VIEWERS))],
    "community:team_create": [Route(expect=every(EDITORS))],
    "community:team_detail": [Route(setup=_team, expect=sees(VIEWERS))],
    "community:points_config": [
        Route(expect=every(VIEWERS)),
        Route.post(_points_rule_data(), expect={**every(CONFIGURERS, 302), "worker": 403}),
    ],
    "community:catalogue_item_toggle": [Route.post(setup=_item, expect=sees(CONFIGURERS, 302))],
    "community:organisation_list": [Route(expect=every(VIEWERS))],
    "community:organisation_create": [Route(expect=every(EDITORS))],
    "community:organisation_detail": [Route(setup=_org, expect=sees(VIEWERS))],
    "community:organisation_edit": [Route(setup=_org, expect=sees(EDITORS))],
    "community:deliberation_list": [Route(expect=every(VIEWERS))],
    "community:deliberation_create": [Route(expect=every(EDITORS))],
    "community:deliberation_detail": [Route(setup=_meeting, expect=sees(VIEWERS))],
    "community:issue_close": [
        Route.post(
            {"status": "solved", "outcome": "已修好", "closed_on": TODAY},
            setup=_issue,
            expect=sees(EDITORS, 302),
        )
    ],
    "community:donation_list": [Route(expect=every(VIEWERS))],
    "community:donation_create": [Route(expect=every(EDITORS))],
    "community:fund_list": [Route(expect=every(VIEWERS))],
    "community:fund_detail": [Route(setup=_fund, expect=sees(VIEWERS))],
    "community:project_list": [Route(expect=every(VIEWERS))],
    "community:project_create": [Route(expect=every(EDITORS))],
    "community:project_edit": [Route(setup=_project, expect=sees(EDITORS))],
    "community:matching_rules": [Route(expect=every(VIEWERS))],
    "community:matching_rule_end": [Route.post(setup=_rule, expect=sees(CONFIGURERS, 302))],
    "community:matching_rule_edit": [Route(setup=_rule, expect=sees(CONFIGURERS))],
    "community:matching_rule_delete": [Route.post(setup=_rule, expect=sees(CONFIGURERS, 302))],
    "community:project_matching": [Route(setup=_project, expect=sees(VIEWERS))],
    "community:import": [Route(expect=every(EDITORS, 302), note="leads to the import engine")],
    "community:template": [Route(kwargs={"kind": "volunteers"}, expect=every(EDITORS, 302))],
    # The old address: it sends the same query to the one export path of lists (core:list_export).
    "community:export": [Route(kwargs={"kind": "volunteers"}, expect=every(VIEWERS, 302))],
}


def _signup_checked_out(users):
    return _signup_in("checked_out")(users)


ROUTES.update(
    {
        # API: 401 for anonymous callers, JSON errors for everybody else.
        "api:volunteers": [
            Route(expect=every(VIEWERS)),
            Route.post({"name": "x"}, expect={**every(EDITORS, 400), "leader": 403}),
        ],
        "api:volunteer": [Route(setup=_volunteer, expect=sees(VIEWERS))],
        "api:volunteer_reveal": [Route.post(setup=_volunteer, expect=sees(EDITORS))],
        "api:volunteer_ledger": [Route(setup=_volunteer, expect=sees(VIEWERS))],
        "api:volunteer_redeem": [Route.post({"item": 0}, setup=_rich_volunteer, expect=sees(EDITORS, 400))],
        "api:volunteer_teams": [
            Route(expect=every(VIEWERS)),
            Route.post({"name": "x"}, expect={**every(EDITORS, 400), "leader": 403}),
        ],
        "api:team": [Route(setup=_team, expect=sees(VIEWERS))],
        "api:activities": [Route(expect=every(VIEWERS))],
        "api:activity": [Route(setup=_activity, expect=sees(VIEWERS))],
        "api:activity_signups": [Route(setup=_activity, expect=sees(VIEWERS))],
        "api:signup_move": [
            Route.post(
                {"hours": "2"}, kwargs={"action": "confirm"}, setup=_signup_checked_out, expect=sees(EDITORS)
            )
        ],
        "api:groups": [
            Route(expect=every(VIEWERS)),
            Route.post({"name": "x"}, expect={**every(EDITORS, 400), "leader": 403}),
        ],
        "api:group": [Route(setup=_group, expect=sees(VIEWERS))],
        "api:community_organisations": [Route(expect=every(VIEWERS))],
        "api:donations": [Route(expect=every(VIEWERS))],
        "api:charity_funds": [Route(expect=every(VIEWERS))],
        "api:mutual_aid_projects": [Route(expect=every(VIEWERS))],
        "api:matching_rules": [
            Route(expect=every(VIEWERS)),
            Route.post({"name": "x"}, expect=every(CONFIGURERS, 400)),
        ],
        "api:matching_rule": [Route(setup=_rule, expect=sees(CONFIGURERS))],
        "api:matching_payments": [
            Route(expect=every(VIEWERS)),
            Route.post({"funder": "x"}, expect={**every(EDITORS, 400), "leader": 403}),
        ],
        "api:deliberations": [
            Route(expect=every(VIEWERS)),
            Route.post({"topic": "x"}, expect={**every(EDITORS, 400), "leader": 403}),
        ],
        "api:deliberation": [Route(setup=_meeting, expect=sees(VIEWERS))],
        "api:stats_community": [Route(expect=every(VIEWERS))],
    }
)
