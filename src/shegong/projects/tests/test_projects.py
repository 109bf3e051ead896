import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shegong.casework.tests.factories import make_case, make_service, station
from shegong.clients.tests.factories import make_person
from shegong.lib.guard import Refused
from shegong.projects import services
from shegong.projects.actuals import project_actuals
from shegong.projects.models import Project
from shegong.projects.tests.factories import make_project
from shegong.projects.workflow import PurchaseStatus
from shegong.testing import verified_login

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _record(st, days_ago: int, *, person=None, group: int = 0):
    return make_service(
        served_on=TODAY - dt.timedelta(days=days_ago),
        duration_minutes=60,
        person=person,
        group_name="老年人健康讲座" if group else "",
        participants=group or 1,
        at=st,
    )


def test_actuals_equal_the_records_of_the_covered_stations_in_the_period(users):
    own = station("522301001")
    other = station("522301002")
    project = make_project(stations=[own])
    a, b = make_person(), make_person(name="李桂兰")
    _record(own, 10, person=a)
    _record(own, 20, person=a)
    _record(own, 30, person=b)
    _record(own, 5, group=25)
    _record(own, 200, group=3)  # before the project started: not counted
    _record(other, 10, group=40)  # another station: not counted
    make_case(person=make_person(name="赵德胜"))  # opened 30 days ago at the covered station
    actuals = project_actuals(user=users["county"], project=project)
    # person-times: 1 + 1 + 1 + 25; people: a, b, and the person of the case.
    assert actuals["person_times"] == 28
    assert actuals["people"] == 3
    assert actuals["cases"] == 1


def test_the_status_moves_only_along_the_table_and_termination_needs_a_reason(users):
    project = make_project()
    with pytest.raises(ValidationError):
        services.project_transition(
            actor=users["county"], project=project, to_status=PurchaseStatus.IMPLEMENTING
        )
    project = services.project_transition(
        actor=users["county"], project=project, to_status=PurchaseStatus.REVIEW
    )
    with pytest.raises(ValidationError):
        services.project_transition(
            actor=users["county"], project=project, to_status=PurchaseStatus.TERMINATED
        )
    project = services.project_transition(
        actor=users["county"], project=project, to_status=PurchaseStatus.TERMINATED, note="评审未通过"
    )
    assert project.status == PurchaseStatus.TERMINATED
    assert [e.to_status for e in project.events.all()] == ["applied", "review", "terminated"]
    with pytest.raises(ValidationError):
        services.project_transition(actor=users["county"], project=project, to_status=PurchaseStatus.REVIEW)


def test_a_payment_for_a_milestone_not_met_or_twice_or_beyond_the_contract_is_refused(users):
    project = make_project(status=PurchaseStatus.IMPLEMENTING, amount=Decimal("100000"))
    first = services.milestone_add(
        actor=users["county"], project=project, name="首期", due_on=TODAY, amount=Decimal("30000")
    )
    with pytest.raises(ValidationError) as refused:
        services.payment_record(
            actor=users["county"], project=project, amount=Decimal("30000"), paid_on=TODAY, milestone=first
        )
    assert "milestone" in refused.value.message_dict
    services.milestone_meet(actor=users["county"], milestone=first, met_on=TODAY)
    services.payment_record(
        actor=users["county"], project=project, amount=Decimal("30000"), paid_on=TODAY, milestone=first
    )
    with pytest.raises(ValidationError, match="milestone"):
        services.payment_record(
            actor=users["county"], project=project, amount=Decimal("1000"), paid_on=TODAY, milestone=first
        )
    with pytest.raises(ValidationError, match="amount"):
        services.payment_record(
            actor=users["county"], project=project, amount=Decimal("70000.01"), paid_on=TODAY
        )
    services.payment_record(actor=users["county"], project=project, amount=Decimal("70000"), paid_on=TODAY)
    with pytest.raises(ValidationError):
        services.project_update(actor=users["county"], project=project, amount=Decimal("90000"))


def test_no_payment_before_the_project_is_approved(users):
    project = make_project(status=PurchaseStatus.REVIEW)
    with pytest.raises(ValidationError):
        services.payment_record(actor=users["county"], project=project, amount=Decimal("1"), paid_on=TODAY)


def test_a_station_outside_the_purchasers_division_is_refused(users):
    with pytest.raises(ValidationError):
        make_project(actor=users["prefecture"], stations=[station("522302001")])


def test_a_worker_may_not_write_projects(users):
    with pytest.raises(Refused):
        make_project(actor=users["worker"])


def test_the_project_page_shows_targets_against_actuals(client, users):
    own = station("522301001")
    project = make_project(stations=[own], targets={"person_times": 50})
    _record(own, 3, group=20)
    verified_login(client, users["county"])
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert 'data-testid="actual-person_times">20<' in page
    assert "40.0%" in page


def test_a_bad_amount_typed_into_the_form_is_a_form_error(client, users):
    verified_login(client, users["county"])
    response = client.post(
        reverse("projects:project_create"),
        {
            "name": "x",
            "region": "522301",
            "purchaser": "y",
            "funding_source": "budget",
            "amount": "abc",
            "start_on": "2025-01-01",
            "end_on": "2024-01-01",
        },
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_cases", "99999999999999999999", "2147483647"),
        ("stations", "99999999999999999999", "“99999999999999999999”不是一个有效的值"),
        ("stations", "²", "“²”不是一个有效的值"),
    ],
)
def test_a_number_beyond_its_column_is_refused_on_its_field(client, users, field, value, message):
    """A target or a station id of twenty digits reached the database, which refused it (a server error)."""
    verified_login(client, users["county"])
    data = {
        "name": "x",
        "region": "522301",
        "purchaser": "y",
        "funding_source": "budget",
        "amount": "100",
        "start_on": "2025-01-01",
        "end_on": "2025-12-31",
        field: value,
    }
    response = client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Project.objects.exists()
