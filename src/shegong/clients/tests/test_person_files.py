import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shegong.clients import services
from shegong.clients.models import FollowUp as FollowUpModel
from shegong.clients.models import Person
from shegong.clients.tests.factories import VILLAGE, id_number, make_person
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


def test_one_id_number_opens_one_file_across_the_whole_system(users):
    number = id_number()
    make_person(id_number=number)
    with pytest.raises(ValidationError) as info:
        make_person(code="522302001001", id_number=number.lower())
    assert "id_number" in info.value.message_dict
    assert Person.objects.count() == 1


def test_the_id_number_gives_birth_date_and_sex_and_a_bad_one_is_refused(users):
    person = make_person(id_number=id_number("19380517", serial=1))
    assert person.birth_date == dt.date(1938, 5, 17)
    assert person.sex == "male"
    with pytest.raises(ValidationError) as info:
        make_person(id_number="522301193805170010")
    assert "id_number" in info.value.message_dict


def test_id_numbers_and_phones_are_encrypted_at_rest_and_searchable_by_hash_and_last_four(users):
    number = id_number()
    person = make_person(id_number=number, phone="138 0000 1234")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM clients_person WHERE id = %s", [person.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert number not in raw_id and "13800001234" not in raw_phone
    assert Person.objects.get(pk=person.pk).id_number == number
    assert person.id_number_last4 == number[-4:] and person.phone_last4 == "1234"


def test_the_audit_trail_of_a_file_never_holds_the_clear_id_number_or_phone(users):
    number = id_number()
    person = make_person(id_number=number, phone="13800001234")
    entries = LogEntry.objects.filter(object_pk=str(person.pk), content_type__model="person")
    assert entries.exists()
    text = " ".join(str(e.changes) for e in entries)
    assert number not in text and "13800001234" not in text and "id_number" not in text


def test_a_child_needs_a_guardian_and_an_under_14_needs_recorded_consent(users):
    child = id_number((timezone.localdate() - dt.timedelta(days=365 * 8)).strftime("%Y%m%d"))
    with pytest.raises(ValidationError) as info:
        make_person(id_number=child)
    assert {"guardian_name", "guardian_consent"} <= set(info.value.message_dict)
    person = make_person(
        id_number=child, guardian_name="王父", guardian_consent=True, guardian_consent_on=timezone.localdate()
    )
    assert person.age == 8 or person.age == 7


def test_a_key_risk_level_needs_its_reason(users):
    with pytest.raises(ValidationError) as info:
        services.person_create(
            actor=users["county"], name="张三", region=Region.objects.get(code=VILLAGE), risk_level="key"
        )
    assert "risk_reason" in info.value.message_dict


def test_people_without_an_id_number_get_a_duplicate_warning_on_name_pinyin_and_birth_date(users):
    region = Region.objects.get(code=VILLAGE)
    born = dt.date(1950, 1, 1)
    services.person_create(actor=users["county"], name="李明", region=region, birth_date=born)
    # Another character with the same pinyin (李铭) and the same birth date: a warning, not a key.
    with pytest.raises(services.PossibleDuplicates) as info:
        services.person_create(actor=users["county"], name="李铭", region=region, birth_date=born)
    assert [p.name for p in info.value.matches] == ["李明"]
    services.person_create(
        actor=users["county"], name="李铭", region=region, birth_date=born, confirm_duplicates=True
    )
    assert Person.objects.filter(birth_date=born).count() == 2


def test_the_page_asks_to_confirm_a_possible_duplicate_before_opening_another_file(users, login):
    client = login(users["worker"])
    data = {"name": "赵六", "birth_date": "1940-02-02", "region": VILLAGE, "risk_level": "general"}
    assert client.post(reverse("clients:person_create"), data).status_code == 302
    response = client.post(reverse("clients:person_create"), data)
    assert response.status_code == 200
    assert 'data-testid="duplicates"' in response.content.decode()
    response = client.post(reverse("clients:person_create"), {**data, "confirm_duplicates": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(name="赵六").count() == 2


def test_a_worker_cannot_open_a_file_in_a_village_outside_their_township(users, login):
    client = login(users["worker"])
    response = client.post(
        reverse("clients:person_create"),
        {"name": "外乡人", "region": "522301002001", "risk_level": "general"},
    )
    assert response.status_code == 200
    assert "outside your jurisdiction" in response.content.decode() or "管辖" in response.content.decode()
    assert not Person.objects.filter(name="外乡人").exists()


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("王秀", True),
        ("WXY", True),
        ("wxy", True),
        ("wangxiu", True),
        ("1234", True),
        ("5678", True),
        ("9999", False),
    ],
)
def test_search_by_name_pinyin_initials_and_last_four_digits(users, login, term, found):
    make_person(name="王秀英", id_number=_id_ending("1234"), phone="13900005678")
    make_person(name="刘备", phone="13900000000")
    response = login(users["county"]).get(reverse("clients:person_list"), {"q": term})
    assert ("王秀英" in response.content.decode()) is found


def _id_ending(last4: str) -> str:
    """A valid ID number ending in ``last4`` (the birth day is varied until the check character fits)."""
    from stdnum.cn import ric

    for day in range(1, 29):
        body = f"522301195001{day:02d}{last4[:3]}"
        number = body + ric.calc_check_digit(body + "0")
        if number.endswith(last4):
            return number
    raise AssertionError(last4)


def test_lists_mask_the_id_number_and_viewing_a_file_is_audited(users, login):
    number = id_number()
    person = make_person(id_number=number)
    client = login(users["county"])
    listing = client.get(reverse("clients:person_list")).content.decode()
    assert number not in listing and number[-4:] in listing
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(person.pk)).count()
    detail = client.get(reverse("clients:person_detail", args=[person.pk])).content.decode()
    assert number not in detail
    views = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(person.pk))
    assert views.count() == before + 1
    assert views.latest("id").actor == users["county"]


def test_revealing_the_id_number_is_an_explicit_audited_action(users, login):
    number = id_number()
    person = make_person(id_number=number)
    response = login(users["worker"]).post(reverse("clients:person_reveal", args=[person.pk]))
    assert number in response.content.decode()
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(person.pk)).latest("id")
    assert entry.additional_data["revealed"] == "id_number"
    assert entry.actor == users["worker"]


def test_a_leader_sees_files_masked_and_may_not_reveal(users, login):
    number = id_number()
    person = make_person(id_number=number, phone="13800001234")
    client = login(users["leader"])
    page = client.get(reverse("clients:person_detail", args=[person.pk])).content.decode()
    assert number not in page and "13800001234" not in page and "138****1234" in page
    assert client.post(reverse("clients:person_reveal", args=[person.pk])).status_code == 403


def test_editing_keeps_the_id_number_when_the_box_is_left_empty(users, login):
    number = id_number()
    person = make_person(id_number=number, risk_level="general")
    response = login(users["worker"]).post(
        reverse("clients:person_edit", args=[person.pk]),
        {"name": "王秀英", "region": VILLAGE, "risk_level": "watch", "risk_reason": "独居"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.id_number == number and person.risk_level == "watch"


def test_household_members_are_added_and_removed(users, login):
    person = make_person()
    client = login(users["worker"])
    client.post(reverse("clients:household_add", args=[person.pk]), {"name": "王强", "relation": "child"})
    member = person.household.get()
    assert member.name == "王强"
    client.post(reverse("clients:household_remove", args=[member.pk]))
    assert not person.household.exists()


def test_a_file_shows_its_household_and_follow_ups_in_a_fixed_number_of_queries(users, login):
    person = make_person()
    client = login(users["worker"])

    def queries_for_the_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("clients:person_detail", args=[person.pk])).status_code == 200
        return len(captured)

    queries_for_the_page()  # the first view of a session saves it
    alone = queries_for_the_page()
    for name in ("王强", "王丽"):
        client.post(reverse("clients:household_add", args=[person.pk]), {"name": name, "relation": "child"})
    today = timezone.localdate()
    users["worker"].full_name = "李社工"
    users["worker"].save()
    services.followup_create(
        actor=users["worker"], person=person, task="申请临时救助", owner=users["worker"], due_on=today
    )
    done = services.followup_create(
        actor=users["worker"], person=person, task="联系村委", owner=users["worker"], due_on=today
    )
    FollowUpModel.objects.filter(pk=done.pk).update(done_on=today)
    page = client.get(reverse("clients:person_detail", args=[person.pk])).content.decode()
    for shown in ("王强", "王丽", "申请临时救助", "李社工", person.name):
        assert shown in page
    assert "联系村委" not in page  # a task done leaves the file's list
    # Two members and two tasks cost no query more than none: nothing is read per row.
    assert queries_for_the_page() == alone


@pytest.mark.parametrize("category", ["99999999999999999999", "²"])
def test_a_category_that_is_no_id_is_refused_on_its_field_and_opens_no_file(users, login, category):
    """A category id of twenty digits went to the database, which refused it (a server error)."""
    data = {"name": "赵六", "birth_date": "1940-02-02", "region": VILLAGE, "risk_level": "general"}
    response = login(users["worker"]).post(reverse("clients:person_create"), {**data, "categories": category})
    assert response.status_code == 200  # the form again, with its errors
    assert f"“{category}”不是一个有效的值" in response.content.decode()
    assert not Person.objects.filter(name="赵六").exists()


@pytest.mark.parametrize("born", ["9999-12-31", "0001-01-01"])
def test_a_birth_date_out_of_any_life_is_refused_on_its_field(users, login, born):
    data = {"name": "赵六", "birth_date": born, "region": VILLAGE, "risk_level": "general"}
    response = login(users["worker"]).post(reverse("clients:person_create"), data)
    assert response.status_code == 200
    assert "日期须在1900-01-01至2100-12-31之间" in response.content.decode()
    assert not Person.objects.filter(name="赵六").exists()
