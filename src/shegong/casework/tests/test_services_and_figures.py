import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from shegong.casework.models import ServiceRecord, Stage
from shegong.casework.tests.factories import make_case, make_service
from shegong.clients.tests.factories import make_person, make_visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_catalogue_ships_the_menus_of_domain_section_4(users, login):
    page = login(users["worker"]).get(reverse("casework:catalogue")).content.decode()
    for name in ("心理疏导", "精神慰藉", "学业辅导"):
        assert name in page


def test_a_group_service_counts_its_person_times_and_a_personal_one_counts_one(users):
    person = make_person()
    make_service(actor=users["worker"], mode="home", person=person, participants=5)
    make_service(
        actor=users["worker"],
        duration_minutes=90,
        group_name="老年活动",
        participants=20,
        item_name="社会参与",
    )
    assert sorted(ServiceRecord.objects.values_list("participants", flat=True)) == [1, 20]


def test_a_service_needs_a_person_or_a_group_and_an_item_of_the_menu(users):
    with pytest.raises(ValidationError) as info:
        make_service(actor=users["worker"], duration_minutes=0, mode="home", group_name="")
    assert {"person", "duration_minutes"} <= set(info.value.message_dict)


def test_the_figures_count_people_visits_cases_and_services_in_a_constant_number_of_queries(
    users, login, django_assert_max_num_queries
):
    for index in range(6):
        person = make_person(name=f"人{index}", risk_level="key", categories=["低保"])
        if index % 2:
            make_visit(person, 3)
    make_case(Stage.PLAN, worker=users["worker"])
    make_case(Stage.CLOSURE, worker=users["worker"])
    make_service(actor=users["worker"], participants=12)
    client = login(users["county"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("casework:figures"))
    figures = response.context
    assert figures["people"]["key_total"] == 6  # the two cases' people are of general risk
    assert figures["people"]["key_covered"] == 3
    assert figures["cases"]["open"] == 1 and figures["cases"]["closed"] == 1
    assert figures["service"]["person_times"] == 12


def test_the_stats_api_gives_person_times_by_month_and_item_for_a_region(users, client):
    make_service(actor=users["worker"], participants=7)
    _instance, token = AuthToken.objects.create(users["prefecture"])
    response = client.get("/api/v1/stats/services/?region=522301", HTTP_AUTHORIZATION=f"Bearer {token}")
    body = response.json()
    assert body["person_times"] == 7
    assert body["by_item"][0]["name"] == "精神慰藉"
    assert body["by_month"][0]["month"] == TODAY.strftime("%Y-%m")
    _instance, token2 = AuthToken.objects.create(users["county2"])
    other = client.get("/api/v1/stats/services/?region=522301", HTTP_AUTHORIZATION=f"Bearer {token2}")
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ({"since": "0001-01-01"}, "统计起始日期：日期0001-01-01过早。"),
        ({"since": "2023-02-30"}, "统计起始日期：“2023-02-30”不是日期"),
        ({"until": "2023/13/45"}, "统计截止日期：“2023/13/45”不是日期"),
    ],
)
def test_the_figures_name_a_date_out_of_range_and_show_this_years(users, login, asked, message):
    """The period's dates of the figures page: a date that does not exist or is before 2000 is a message
    naming the field, and the figures are this year's (a date in year 1 was walked month by month)."""
    response = login(users["county"]).get(reverse("casework:figures"), asked)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["period"].since == TODAY.replace(month=1, day=1)


def test_the_figures_end_today_when_asked_for_a_period_that_ends_in_year_9999(users, login):
    """Before: the page walked the months up to 9999-12-31 and failed on the last (OverflowError, a 500)."""
    response = login(users["county"]).get(reverse("casework:figures"), {"until": "9999-12-31"})
    assert response.status_code == 200
    assert response.context["period"].until == TODAY
