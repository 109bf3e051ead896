"""The guard refuses, service by service: for a sample of each domain's services, an actor whose role lacks the
capability (a worker, a leader, a system administrator) and an administrator of the sibling county are refused
with ``Refused`` and nothing is written; the allowed actor with valid data writes.

Casts (``shegong.testing.MATRIX_USERS``): county = admin of 兴义市 522301, county2 = admin of 兴仁市 522302,
worker = social worker of township 522301001, leader = read-only of 黔西南州 5223.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.lib.guard import Refused

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


def refused(action, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        action(**kwargs)
    return caught.value


# --- casework ------------------------------------------------------------------------------------------


def test_casework_a_case_is_changed_only_inside_the_jurisdiction_by_an_editor(users):
    from shegong.casework import services
    from shegong.casework.models import CaseContact
    from shegong.casework.tests.factories import make_case

    case = make_case()
    for who in ("leader", "county2"):
        refused(services.case_update, actor=users[who], case=case, presenting_problem="改写")
        refused(
            services.contact_add, actor=users[who], case=case, contacted_on=TODAY, mode="home", content="走访"
        )
    case.refresh_from_db()
    assert case.presenting_problem == "独居老人生活困难"
    assert not CaseContact.objects.filter(case=case).exists()
    error = refused(services.case_update, actor=users["county2"], case=case, presenting_problem="改写")
    assert error.capability == "data.edit" and error.region == case.station.region_id
    services.case_update(actor=users["worker"], case=case, presenting_problem="独居，行动不便")
    case.refresh_from_db()
    assert case.presenting_problem == "独居，行动不便"


# --- clients -------------------------------------------------------------------------------------------


def test_clients_a_visit_is_recorded_only_by_an_editor_of_the_persons_county(users):
    from shegong.clients import services
    from shegong.clients.models import Visit
    from shegong.clients.tests.factories import make_person

    person = make_person()
    visit = {"person": person, "visited_on": TODAY, "mode": "home", "findings": "身体尚可"}
    for who in ("leader", "county2", "sysadmin"):
        refused(services.visit_create, actor=users[who], **visit)
    assert not Visit.objects.filter(person=person).exists()
    services.visit_create(actor=users["worker"], **visit)
    assert Visit.objects.filter(person=person, visitor=users["worker"]).count() == 1


def test_clients_a_visit_rule_of_another_county_is_not_removed(users):
    from shegong.clients import services
    from shegong.clients.models import VisitRule
    from shegong.regions.models import Region

    rule = services.visit_rule_set(
        actor=users["county"], region=Region.objects.get(code="522301"), interval_days=30, risk_level="key"
    )
    refused(services.visit_rule_delete, actor=users["county2"], rule=rule)
    refused(services.visit_rule_delete, actor=users["worker"], rule=rule)  # casework.configure
    assert VisitRule.objects.filter(pk=rule.pk).exists()
    services.visit_rule_delete(actor=users["county"], rule=rule)
    assert not VisitRule.objects.filter(pk=rule.pk).exists()


# --- community (the services that never used their actor) ------------------------------------------


def test_community_an_activity_is_edited_only_inside_the_jurisdiction(users):
    from shegong.community import services
    from shegong.community.tests.factories import make_activity

    activity = make_activity()
    for who in ("leader", "county2", "auditor"):
        refused(services.activity_update, actor=users[who], activity=activity, title="改掉标题")
    activity.refresh_from_db()
    assert activity.title == "重阳节关爱探访"
    services.activity_update(actor=users["worker"], activity=activity, title="重阳节入户探访")
    activity.refresh_from_db()
    assert activity.title == "重阳节入户探访"


def test_community_a_problem_of_another_countys_meeting_is_not_closed(users):
    from shegong.community import services
    from shegong.community.models import IssueStatus
    from shegong.regions.models import Region

    meeting = services.deliberation_create(
        actor=users["county"],
        region=Region.objects.get(code="522301001001"),
        held_on=TODAY,
        topic="院坝协商：路灯维修",
        issues=["村口路灯不亮"],
    )
    issue = meeting.issues.get()
    for who in ("county2", "leader"):
        refused(
            services.issue_close, actor=users[who], issue=issue, status=IssueStatus.SOLVED, outcome="已修好"
        )
        refused(services.issue_add, actor=users[who], meeting=meeting, description="另一问题")
    issue.refresh_from_db()
    assert issue.status != IssueStatus.SOLVED and meeting.issues.count() == 1
    services.issue_close(actor=users["worker"], issue=issue, status=IssueStatus.SOLVED, outcome="已修好")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SOLVED


def test_community_a_deliberation_is_not_recorded_by_a_leader_and_a_choice_outside_is_a_field_error(users):
    from shegong.community import services
    from shegong.community.models import Deliberation
    from shegong.regions.models import Region

    village = Region.objects.get(code="522301001001")
    refused(services.deliberation_create, actor=users["leader"], region=village, held_on=TODAY, topic="议题")
    with pytest.raises(ValidationError) as caught:
        services.deliberation_create(actor=users["county2"], region=village, held_on=TODAY, topic="议题")
    assert "region" in caught.value.message_dict
    assert not Deliberation.objects.exists()


def test_community_points_are_corrected_only_by_a_community_administrator_of_the_region(users):
    from shegong.community import points
    from shegong.community.models import PointEntry
    from shegong.community.tests.factories import make_volunteer

    volunteer = make_volunteer()
    for who in ("worker", "leader", "county2"):
        refused(points.points_adjust, actor=users[who], volunteer=volunteer, points=100, reason="补录")
    assert not PointEntry.objects.filter(volunteer=volunteer).exists()
    points.points_adjust(actor=users["county"], volunteer=volunteer, points=100, reason="补录")
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 100


def test_community_an_organisation_of_another_county_is_not_changed(users):
    from shegong.community import services
    from shegong.regions.models import Region

    org = services.organisation_create(
        actor=users["county"],
        region=Region.objects.get(code="522301001001"),
        name="夕阳红文艺队",
        kind="culture",
        status="filed",
        status_since=TODAY,
        founded_on=TODAY - dt.timedelta(days=400),
    )
    refused(services.organisation_update, actor=users["county2"], organisation=org, name="改名")
    refused(services.organisation_update, actor=users["leader"], organisation=org, name="改名")
    org.refresh_from_db()
    assert org.name == "夕阳红文艺队"


# --- evaluations ---------------------------------------------------------------------------------------


def test_evaluations_rectification_is_added_only_by_a_network_manager_of_the_region(users):
    from shegong.evaluations import services
    from shegong.evaluations.models import Rectification
    from shegong.evaluations.tests.factories import make_evaluation

    evaluation = make_evaluation()
    item = {"evaluation": evaluation, "text": "补齐服务台账", "due_on": TODAY + dt.timedelta(days=30)}
    for who in ("worker", "leader", "county2"):
        refused(services.rectification_add, actor=users[who], **item)
    assert not Rectification.objects.exists()
    services.rectification_add(actor=users["county"], **item)
    assert Rectification.objects.filter(evaluation=evaluation).count() == 1


# --- hotline -------------------------------------------------------------------------------------------


def test_hotline_a_ticket_of_another_county_takes_no_note(users):
    from shegong.hotline import services
    from shegong.hotline.models import TicketNote
    from shegong.hotline.tests.factories import make_ticket

    ticket = make_ticket()
    for who in ("county2", "leader", "security"):
        refused(services.ticket_note_add, actor=users[who], ticket=ticket, text="已电话回访")
    assert not TicketNote.objects.filter(ticket=ticket).exists()
    services.ticket_note_add(actor=users["worker"], ticket=ticket, text="已电话回访")
    assert TicketNote.objects.filter(ticket=ticket).count() == 1


# --- network -------------------------------------------------------------------------------------------


def test_network_a_target_and_a_facility_are_changed_only_by_the_right_role_and_county(users):
    from shegong.network import services
    from shegong.network.models import Target
    from shegong.network.tests.factories import make_facility
    from shegong.regions.models import Region

    target = services.target_create(
        actor=users["county"],
        region=Region.objects.get(code="522301"),
        indicator="township_coverage",
        value=Decimal("100"),
        deadline=TODAY + dt.timedelta(days=365),
    )
    for who in ("worker", "leader", "county2"):
        refused(services.target_delete, actor=users[who], target=target)
    assert Target.objects.filter(pk=target.pk).exists()
    facility = make_facility("522301001")
    for who in ("leader", "county2"):
        refused(services.facility_update, actor=users[who], facility=facility, address="改地址")
    facility.refresh_from_db()
    assert facility.address != "改地址"
    services.facility_update(actor=users["worker"], facility=facility, address="兴义市丰都街道1号")
    services.target_delete(actor=users["county"], target=target)
    facility.refresh_from_db()
    assert facility.address == "兴义市丰都街道1号" and not Target.objects.filter(pk=target.pk).exists()


# --- projects ------------------------------------------------------------------------------------------


def test_projects_a_milestone_is_added_only_by_a_network_manager_of_the_purchaser(users):
    from shegong.projects import services
    from shegong.projects.models import Milestone
    from shegong.projects.tests.factories import make_project

    project = make_project()
    milestone = {"project": project, "name": "中期评估", "due_on": TODAY + dt.timedelta(days=60)}
    for who in ("worker", "leader", "county2"):
        refused(services.milestone_add, actor=users[who], **milestone)
    assert not Milestone.objects.filter(project=project).exists()
    services.milestone_add(actor=users["county"], **milestone)
    assert Milestone.objects.filter(project=project).count() == 1


# --- workforce -----------------------------------------------------------------------------------------


def test_workforce_a_certificate_is_recorded_only_by_an_editor_of_the_workers_county(users):
    from shegong.workforce import services
    from shegong.workforce.models import Certificate
    from shegong.workforce.tests.factories import make_station, make_worker

    worker = make_worker(make_station())
    for who in ("leader", "county2", "sysadmin"):
        refused(services.certificate_save, actor=users[who], worker=worker, level=1, year=2023, number="A1")
    assert not Certificate.objects.filter(worker=worker).exists()
    services.certificate_save(actor=users["worker"], worker=worker, level=1, year=2023, number="A1")
    assert Certificate.objects.filter(worker=worker).count() == 1


# --- accounts, regions, jobs, bulletins ---------------------------------------------------------------


def test_accounts_only_the_system_administrator_creates_accounts(users, password):
    from shegong.accounts.models import User
    from shegong.accounts.services import user_create

    for who in ("county", "security", "auditor"):
        refused(user_create, actor=users[who], username="newcomer", password=password, role="auditor")
    assert not User.objects.filter(username="newcomer").exists()
    user_create(actor=users["sysadmin"], username="newcomer", password=password, role="auditor")
    assert User.objects.filter(username="newcomer").exists()


def test_regions_a_population_is_set_only_inside_the_jurisdiction_by_a_region_editor(users):
    from shegong.regions.models import Region
    from shegong.regions.services import region_set_population

    county = Region.objects.get(code="522301")
    before = county.population
    for who in ("worker", "leader", "county2"):
        refused(region_set_population, actor=users[who], region=county, population=123456, year=2023)
    county.refresh_from_db()
    assert county.population == before
    region_set_population(actor=users["county"], region=county, population=123456, year=2023)
    county.refresh_from_db()
    assert county.population == 123456


def test_jobs_and_bulletins_refuse_a_role_without_the_capability(users):
    from shegong.bulletins.models import Bulletin
    from shegong.bulletins.services import bulletin_issue
    from shegong.jobs.models import Job
    from shegong.jobs.services import job_start
    from shegong.regions.models import Region

    refused(job_start, actor=users["leader"], kind="lists.export", title="导出")
    assert not Job.objects.exists()
    for who in ("worker", "leader"):
        refused(bulletin_issue, actor=users[who], region=Region.objects.get(code="522301"), month=TODAY)
    assert not Bulletin.objects.exists()
