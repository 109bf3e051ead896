"""Recording a service from where the worker is (issue 16.2): the person picker finds people by name, pinyin
initials or the last ID digits within scope; several people picked make a group service, one person-time
each; a visit and a group page lead to the form."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from shegong.casework.models import ServiceRecord
from shegong.casework.tests.factories import service_form, station
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, make_person, make_visit

pytestmark = pytest.mark.django_db
URL = reverse("casework:service_create")
PICK = reverse("clients:person_pick")


def _names(client, term):
    return [r["name"] for r in client.get(PICK, {"q": term}).json()["results"]]


def test_the_picker_finds_by_name_initials_and_id_tail_within_the_jurisdiction(users, login):
    wang = make_person(name="王秀英", id_number="522301195001011238")
    make_person(name="王秀兰", code=OTHER_COUNTY_VILLAGE)
    client = login(users["worker"])
    assert _names(client, "王秀") == ["王秀英"]  # the other county's 王秀兰 is not offered
    assert _names(client, "wxy") == ["王秀英"]
    assert _names(client, wang.id_number[-4:]) == ["王秀英"]
    result = client.get(PICK, {"q": "wxy"}).json()["results"][0]
    assert result["id_tail"] == "…1238" and wang.id_number not in str(result)
    assert login(users["leader"]).get(PICK, {"q": "wxy"}).status_code == 403


def test_several_people_picked_make_a_group_service_one_person_time_each(users, login):
    a, b = make_person(name="甲"), make_person(name="乙")
    response = login(users["worker"]).post(
        URL,
        service_form(
            "station", person="", people=f"{a.pk},{b.pk}", group_name="老年人健康讲座", participants=30
        ),
    )
    assert response.status_code == 302
    records = ServiceRecord.objects.order_by("person_id")
    assert [(r.person_id, r.participants, r.group_name) for r in records] == [
        (a.pk, 1, "老年人健康讲座"),
        (b.pk, 1, "老年人健康讲座"),
    ]


def test_a_person_outside_the_jurisdiction_cannot_be_slipped_into_the_picked_ids(users, login):
    mine = make_person(name="甲")
    theirs = make_person(name="乙", code=OTHER_COUNTY_VILLAGE)
    response = login(users["worker"]).post(
        URL, service_form("station", person="", people=f"{mine.pk},{theirs.pk}")
    )
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_one_person_picked_is_a_service_to_that_person(users, login):
    person = make_person(name="王秀英")
    make_person(name="王秀英", birth_date=dt.date(1960, 1, 1))  # a namesake: typing the name is ambiguous
    response = login(users["worker"]).post(
        URL, service_form("station", person="王秀英", people=str(person.pk))
    )
    assert response.status_code == 302
    assert ServiceRecord.objects.get().person == person


def test_the_visit_record_links_to_a_service_for_the_person(users, login):
    person = make_person()
    visit = make_visit(person, 0)
    page = login(users["worker"]).get(reverse("clients:visit_detail", args=[visit.pk])).content.decode()
    assert f'href="{URL}?person={person.pk}"' in page


def test_a_group_page_opens_the_form_with_its_name_and_members_picked(users, login):
    from shegong.community.models import WorkGroup

    a, b = make_person(name="甲"), make_person(name="乙")
    group = WorkGroup.objects.create(
        station=station(),
        name="银龄互助小组",
        kind=WorkGroup._meta.get_field("kind").choices[0][0],
        aim="互助",
        worker=users["worker"],
        started_on=timezone.localdate(),
    )
    group.members.add(a, b)
    client = login(users["worker"])
    detail = client.get(reverse("community:group_detail", args=[group.pk])).content.decode()
    assert f"{URL}?group={group.pk}" in detail
    page = client.get(URL, {"group": group.pk}).content.decode()
    assert 'value="银龄互助小组"' in page and f'value="{a.pk},{b.pk}"' in page
    assert f'data-id="{a.pk}"' in page


@pytest.mark.parametrize("people", ["99999999999999999999", "²", "1,١"])
def test_picked_ids_the_database_cannot_hold_are_refused_on_the_field(users, login, people):
    """An id of twenty digits, or a digit that is not 0-9, in the picker's hidden field: it reached the
    database, which refused it (a server error); now the form names the field and nothing is written."""
    response = login(users["worker"]).post(URL, service_form("station", person="", people=people))
    assert response.status_code == 200  # the form again, with its errors
    assert "请从列表中选择服务对象" in response.content.decode()
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize("asked", ["case", "person", "group"])
def test_an_id_in_the_address_that_is_no_id_opens_the_plain_form(users, login, asked):
    station("522301001")
    response = login(users["worker"]).get(URL, {asked: "²"})
    assert response.status_code == 200
    assert login(users["worker"]).get(URL, {asked: "99999999999999999999"}).status_code == 200
