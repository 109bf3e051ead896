"""People on file and open cases as of a past day, pinned against a recount of the dated records, through the
figure functions and GET /api/v1/stats/services/?as_of=, which names the day; the sibling county's rows never
count."""

import datetime as dt

import pytest
from knox.models import AuthToken

from shegong.casework.figures import Period, case_figures, people_figures
from shegong.casework.models import Case, Stage
from shegong.casework.tests.factories import make_case
from shegong.clients import services as client_services
from shegong.clients.models import Person
from shegong.clients.tests.factories import make_person

pytestmark = pytest.mark.django_db

VILLAGE = "522301001001"
SIBLING_VILLAGE = "522302001001"


@pytest.fixture
def files():
    """Five files of 兴义市: registered 2021-03, 2022-05, 2022-11 (closed 2023-06-30), 2023-08 and 2024-02;
    two of 兴仁市 registered 2021-01."""
    made = []
    for day, categories in [
        (dt.date(2021, 3, 10), ["特困"]),
        (dt.date(2022, 5, 1), ["低保"]),
        (dt.date(2022, 11, 20), ["低保", "留守老人"]),
        (dt.date(2023, 8, 8), ["特困"]),
        (dt.date(2024, 2, 2), []),
    ]:
        made.append(make_person(VILLAGE, name=f"演示{day:%m%d}", registered_on=day, categories=categories))
    closed = made[2]
    client_services.person_update(
        actor=_actor(),
        person=closed,
        name=closed.name,
        region=closed.region,
        active=False,
        closed_on=dt.date(2023, 6, 30),
    )
    for n in range(2):
        make_person(SIBLING_VILLAGE, name=f"邻县{n}", registered_on=dt.date(2021, 1, 5), categories=["特困"])
    return made


def _actor():
    from shegong.clients.tests.factories import actor_for

    return actor_for(VILLAGE)


def recount_people(prefix: str, day: dt.date) -> tuple[int, dict]:
    open_files = [
        p
        for p in Person.objects.filter(region__code__startswith=prefix)
        if p.registered_on <= day and (p.closed_on is None or p.closed_on > day)
    ]
    by_category: dict[str, int] = {}
    for person in open_files:
        for category in person.categories.all():
            by_category[category.code] = by_category.get(category.code, 0) + 1
    return len(open_files), by_category


def test_people_on_file_as_of_each_day_equal_the_recount(files, users):
    assert Person.objects.get(name=files[2].name).closed_on == dt.date(2023, 6, 30)
    for day in (
        dt.date(2020, 12, 31),
        dt.date(2021, 12, 31),
        dt.date(2022, 12, 31),
        dt.date(2023, 6, 30),
        dt.date(2023, 12, 31),
    ):
        figures = people_figures(user=users["county"], region="522301", as_of=day)
        n, by_category = recount_people("522301", day)
        assert figures["people"] == n, day
        assert {r["categories__code"]: r["n"] for r in figures["by_category"]} == by_category, day
    # Hand-checked: at the end of 2022 three files are open (the third closes in June 2023).
    assert people_figures(user=users["county"], region="522301", as_of=dt.date(2022, 12, 31))["people"] == 3
    assert people_figures(user=users["county"], region="522301", as_of=dt.date(2023, 12, 31))["people"] == 3
    # The sibling county's files are absent from 兴义市 and present in their own.
    assert people_figures(user=users["county2"], region="522302", as_of=dt.date(2021, 12, 31))["people"] == 2


def test_open_cases_as_of_a_day_and_through_the_api(files, users, client):
    first = make_case(Stage.INTERVENTION, person=files[0])
    second = make_case(Stage.CLOSURE, person=files[1])
    Case.objects.filter(pk=first.pk).update(opened_on=dt.date(2022, 3, 1))
    Case.objects.filter(pk=second.pk).update(opened_on=dt.date(2022, 6, 1), closed_on=dt.date(2023, 3, 1))
    period = Period(dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    end_2022 = case_figures(user=users["county"], region="522301", period=period, as_of=dt.date(2022, 12, 31))
    assert end_2022["open"] == 2  # both open then; the second closed in March 2023
    end_2021 = case_figures(user=users["county"], region="522301", period=period, as_of=dt.date(2021, 12, 31))
    assert end_2021["open"] == 0
    now = case_figures(user=users["county"], region="522301", period=period)
    assert now["open"] == 1
    assert (
        case_figures(user=users["county2"], region="522302", period=period, as_of=dt.date(2022, 12, 31))[
            "open"
        ]
        == 0
    )

    _instance, token = AuthToken.objects.create(users["county"])
    body = client.get(
        "/api/v1/stats/services/?region=522301&as_of=2022-12-31", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert body["as_of"] == "2022-12-31"
    assert (body["since"], body["until"]) == ("2022-01-01", "2022-12-31")
    assert body["open_cases"] == 2
    assert body["people"] == 3
    assert body["year_before"]["people"] == 1
    assert body["growth"]["people"] == 200.0
    refused = client.get("/api/v1/stats/services/?as_of=tomorrow", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 400
    assert "as_of" in refused.json()["errors"]
