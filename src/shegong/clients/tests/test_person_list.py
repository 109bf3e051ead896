"""The people list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped); "on file as of" a day lists the files open that day, closed
ones included, the same day the figures count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from shegong.casework.figures import people_on_file_as_of
from shegong.clients.models import Person
from shegong.clients.tests.factories import make_person
from shegong.testing import list_scope_test

pytestmark = pytest.mark.django_db


def _person(code, mark, matches):
    make_person(code=code + "001", name=mark, risk_level="key" if matches else "general")


test_people = list_scope_test(
    {"clients.people": ("clients:person_list", "/api/v1/clients/", _person, {"risk_level": "key"})}
)


def test_people_on_file_as_of_a_day(users, login):
    day = dt.date(2025, 6, 30)
    for name, registered, closed in (
        ("早登记在档", dt.date(2025, 1, 1), None),
        ("后来结档", dt.date(2025, 1, 1), dt.date(2025, 9, 1)),
        ("当日前结档", dt.date(2025, 1, 1), dt.date(2025, 6, 1)),
        ("后来登记", dt.date(2025, 8, 1), None),
    ):
        person = make_person(name=name)
        Person.objects.filter(pk=person.pk).update(
            registered_on=registered, closed_on=closed, active=closed is None
        )
    client = login(users["county"])
    url = reverse("clients:person_list")
    today = client.get(url).content.decode()
    assert "早登记在档" in today and "后来登记" in today and "后来结档" not in today
    then = client.get(url, {"as_of": day.isoformat()}).content.decode()
    assert "早登记在档" in then and "后来结档" in then
    assert "当日前结档" not in then and "后来登记" not in then
    # The figures count the same files that day.
    counted = people_on_file_as_of(user=users["county"], region="522301", as_of=day)
    assert sum(counted["risk_counts"].values()) == 2
    api = client.get("/api/v1/clients/", {"as_of": "2025-02-30"})
    assert api.status_code in (400, 401, 403)
    bad = client.get(url, {"as_of": "2025-02-30"})
    assert bad.status_code == 200 and "早登记在档" not in bad.content.decode()


def test_the_category_filter_offers_the_categories_of_the_jurisdiction(users, login):
    make_person(name="低保户甲", categories=["低保"])
    make_person(name="未分类乙")
    client = login(users["county"])
    page = client.get(reverse("clients:person_list")).content.decode()
    assert '<select name="category"' in page and ">低保</option>" in page
    code = next(
        c
        for c, label in client.get(reverse("clients:person_list"))
        .context["filters"]
        .form.fields["category"]
        .widget.choices
        if label == "低保"
    )
    listed = client.get(reverse("clients:person_list"), {"category": code}).content.decode()
    assert "低保户甲" in listed and "未分类乙" not in listed


def _visit(code, mark, matches):
    from shegong.clients.tests.factories import make_visit

    make_visit(make_person(code=code + "001", name=mark), days_ago=3, mode="home" if matches else "phone")


test_visits = list_scope_test({"clients.visits": ("clients:visit_list", None, _visit, {"mode": "home"})})


def test_the_visit_list_narrows_by_date_and_links_the_person(users, client):
    from shegong.clients.tests.factories import make_visit
    from shegong.testing import verified_login

    recent = make_visit(make_person(code="522301001001", name="近访"), days_ago=2)
    make_visit(make_person(code="522301001001", name="早访"), days_ago=40)
    verified_login(client, users["county"])
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    page = client.get(reverse("clients:visit_list"), {"visited_from": since}).content.decode()
    assert "近访" in page and "早访" not in page
    assert reverse("clients:person_detail", args=[recent.person_id]) in page
    bad = client.get(reverse("clients:visit_list"), {"visited_from": "2024-13-45"})
    assert bad.status_code == 200 and "近访" not in bad.content.decode()
