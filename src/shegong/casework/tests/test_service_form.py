"""登记服务 through the pages: opened from a person's file or case, or with the person typed by name; a form with
neither a person nor a group says so in Chinese and writes nothing."""

import pytest
from django.urls import reverse

from shegong.casework.models import ServiceRecord
from shegong.casework.tests.factories import make_case, service_form
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, make_person

pytestmark = pytest.mark.django_db
URL = reverse("casework:service_create")


@pytest.mark.parametrize("role", ["worker", "county"])
def test_the_person_file_links_to_recording_a_service_for_that_person(users, login, role):
    person = make_person()
    page = login(users[role]).get(reverse("clients:person_detail", args=[person.pk])).content.decode()
    assert f'href="{URL}?person={person.pk}"' in page
    assert 'data-testid="record-service"' in page


def test_the_case_page_links_to_a_service_for_the_case_person(users, login):
    case = make_case()
    page = login(users["worker"]).get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert f"{URL}?person={case.person_id}&amp;case={case.pk}" in page


def test_the_leader_who_may_not_record_sees_no_link(users, login):
    person = make_person()
    response = login(users["leader"]).get(reverse("clients:person_detail", args=[person.pk]))
    assert response.status_code == 200 and person.name in response.content.decode()
    assert 'data-testid="record-service"' not in response.content.decode()


@pytest.mark.parametrize("role", ["worker", "county"])
def test_a_service_opened_from_the_file_is_written_for_that_person_and_credited_to_the_user(
    users, login, role
):
    person = make_person(name="李秀兰")
    client = login(users[role])
    page = client.get(f"{URL}?person={person.pk}").content.decode()
    assert "李秀兰" in page and 'name="person"' not in page  # named, not asked again
    response = client.post(f"{URL}?person={person.pk}", service_form())
    assert response.status_code == 302 and response.url == reverse("clients:person_detail", args=[person.pk])
    record = ServiceRecord.objects.get()
    assert (record.person_id, record.worker_id, record.participants) == (person.pk, users[role].pk, 1)


def test_a_service_from_the_case_page_is_linked_to_the_case(users, login):
    case = make_case()
    response = login(users["worker"]).post(f"{URL}?person={case.person_id}&case={case.pk}", service_form())
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert (record.person_id, record.case_id) == (case.person_id, case.pk)


def test_the_person_typed_by_name_is_found_within_the_jurisdiction(users, login):
    person = make_person(name="赵桂芳")
    make_person(code=OTHER_COUNTY_VILLAGE, name="赵桂芳")  # the same name in another county is not a match
    response = login(users["worker"]).post(URL, service_form(person="赵桂芳"))
    assert response.status_code == 302
    assert ServiceRecord.objects.get().person_id == person.pk


def test_a_name_of_two_files_asks_for_more_and_writes_nothing(users, login):
    make_person(name="孙丽")
    make_person(name="孙丽华")
    make_person(name="孙丽华")
    page = login(users["worker"]).post(URL, service_form(person="孙丽华")).content.decode()
    assert "有多名服务对象与“孙丽华”相符" in page
    assert not ServiceRecord.objects.exists()


def test_neither_a_person_nor_a_group_is_refused_in_chinese_at_the_top_and_at_the_field(users, login):
    response = login(users["worker"]).post(URL, service_form(duration_minutes=0))
    page = response.content.decode()
    assert response.status_code == 200
    assert not ServiceRecord.objects.exists()
    message = "请填写服务对象，或填写小组名称及服务人次。"
    top, fields = page.split('name="person"', 1)
    assert message in top and message in fields  # the form-wide alert, and again under the person box
    summary = page.split('data-testid="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert "时长（分钟）：" in summary  # a field error further down is listed at the top
    assert message not in summary  # already said in the alert above it


def test_a_group_service_needs_no_person(users, login):
    response = login(users["worker"]).post(URL, service_form(group_name="老年活动", participants=12))
    assert response.status_code == 302
    assert ServiceRecord.objects.get().participants == 12


def test_the_other_county_person_or_case_is_a_404(users, login):
    outsider = make_person(code=OTHER_COUNTY_VILLAGE)
    client = login(users["county"])
    assert client.get(f"{URL}?person={outsider.pk}").status_code == 404
    assert client.post(f"{URL}?person={outsider.pk}", service_form()).status_code == 404
    case = make_case()
    assert login(users["county2"]).get(f"{URL}?case={case.pk}").status_code == 404
    assert not ServiceRecord.objects.exists()
