"""The API pages like a large system (issue 18): ``page_size`` up to 200, a count capped at LIST_CAP with
``count_capped``, cursors (keyset) for ``next``/``previous`` that walk the whole list without OFFSET, and a
number of queries per page that does not grow with the rows on it (no N+1), for every list of the API."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver
from knox.models import AuthToken

from shegong.api.pagination import keyset
from shegong.api.urls import urlpatterns
from shegong.casework.selectors import service_record_list
from shegong.clients.selectors import person_list, visit_list
from shegong.testing import make_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data of 黔西南州, written once for the module and rolled back after it; the county
    administrator of 兴义市 and a token of theirs."""
    with django_db_blocker.unblock(), transaction.atomic():
        users = make_demo(people=80)
        yield users["county"], AuthToken.objects.create(users["county"])[1]
        transaction.set_rollback(True)


def _get(url, token, **params):
    return Client().get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def _walk(url, token, direction="next", **params) -> list[list[int]]:
    """Every page from ``url`` following ``direction`` links; the ids of each page."""
    pages, body = [], _get(url, token, **params).json()
    while True:
        pages.append([r["id"] for r in body["results"]])
        link = body[direction]
        if not link:
            return pages
        body = Client().get(link, HTTP_AUTHORIZATION=f"Bearer {token}").json()


@pytest.mark.django_db
def test_page_size_is_honoured_up_to_200(demo):
    user, token = demo
    total = service_record_list(user=user).count()
    assert total > 200, "the demo needs more than 200 service records for this test"
    assert len(_get("/api/v1/service-records/", token, page_size=7).json()["results"]) == 7
    assert len(_get("/api/v1/service-records/", token, page_size=500).json()["results"]) == 200
    assert len(_get("/api/v1/service-records/", token, page_size=0).json()["results"]) == 50
    assert len(_get("/api/v1/service-records/", token).json()["results"]) == 50


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,rows",
    [
        ("/api/v1/service-records/", service_record_list),
        ("/api/v1/clients/", person_list),
        ("/api/v1/visits/", visit_list),
    ],
)
def test_cursors_walk_the_whole_list_in_its_order_both_ways(demo, url, rows):
    user, token = demo
    expected = list(rows(user=user).values_list("id", flat=True))
    assert len(expected) > 25
    forward = _walk(url, token, page_size=8)
    assert [i for page in forward for i in page] == expected
    assert all(len(page) == 8 for page in forward[:-1]) and 0 < len(forward[-1]) <= 8
    # From the third page (a cursor page) back to the first: the same pages, in reverse.
    first = _get(url, token, page_size=8).json()
    second = Client().get(first["next"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert "cursor=" in first["next"] and first["previous"] is None
    third_link = second["next"]
    back = _walk(third_link.replace("http://testserver", ""), token, direction="previous")
    assert back == forward[2::-1]


@pytest.mark.django_db
def test_the_count_is_capped_and_the_rows_past_the_cap_are_reached_by_cursor(demo, monkeypatch):
    monkeypatch.setattr("shegong.lib.paging.LIST_CAP", 30)
    user, token = demo
    expected = list(service_record_list(user=user).values_list("id", flat=True))
    body = _get("/api/v1/service-records/", token, page_size=10, page=3).json()
    assert body["count"] == 30 and body["count_capped"] is True
    assert [r["id"] for r in body["results"]] == expected[20:30]
    after = Client().get(body["next"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [r["id"] for r in after["results"]] == expected[30:40]
    assert after["count"] == 30 and after["count_capped"] is True
    # A page number past the cap is not counted: not found, as any page past the end.
    assert _get("/api/v1/service-records/", token, page_size=10, page=4).status_code == 404
    small = _get("/api/v1/regions/", token, parent="5223").json()
    assert small["count_capped"] is False and 0 < small["count"] == len(small["results"]) < 30


@pytest.mark.django_db
def test_an_unreadable_cursor_is_not_found_and_a_filter_still_narrows_a_cursor_page(demo):
    user, token = demo
    for cursor in ["x", "e30", "eyJrIjpbMV19", "eyJrIjpbIm5vdC1hLWRhdGUiLDFdfQ", "A" * 40]:
        response = _get("/api/v1/service-records/", token, cursor=cursor)
        assert response.status_code == 404, (cursor, response.content)
    first = _get("/api/v1/service-records/", token, page_size=5).json()
    since = first["results"][-1]["served_on"]
    narrowed = Client().get(first["next"] + f"&since={since}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert all(r["served_on"] >= since for r in narrowed["results"])


def test_only_an_order_of_non_null_columns_in_one_direction_ending_with_the_id_is_a_key():
    from shegong.casework.models import ServiceRecord
    from shegong.clients.models import Person

    assert [n for n, _f in keyset(ServiceRecord.objects.order_by("-served_on", "-id"))[0]] == [
        "served_on",
        "id",
    ]
    assert keyset(Person.objects.order_by("region_id", "pinyin", "id"))[1] is False
    assert keyset(ServiceRecord.objects.order_by("served_on", "-id")) is None
    assert keyset(ServiceRecord.objects.order_by("-served_on")) is None
    assert keyset(ServiceRecord.objects.order_by("station__name", "id")) is None
    assert keyset([1, 2]) is None


def _list_paths() -> list[str]:
    paths = []
    for pattern in urlpatterns:
        if isinstance(pattern, URLResolver) or not isinstance(pattern, URLPattern):
            continue
        route = str(pattern.pattern)
        view = pattern.callback
        cls = getattr(view, "cls", None)
        if "<" in route or "^" in route or getattr(cls, "pagination_class", None) is None:
            continue
        if "GET" not in getattr(cls, "http_method_names", []) and "get" not in cls.http_method_names:
            continue
        paths.append("/api/v1/" + route)
    return paths


LISTS = _list_paths()
MAIN = {"/api/v1/cases/", "/api/v1/clients/", "/api/v1/service-records/", "/api/v1/visits/"}


def test_every_paged_list_of_the_api_is_below():
    assert MAIN <= set(LISTS)
    assert len(LISTS) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize("path", LISTS)
def test_the_queries_of_a_page_do_not_grow_with_its_rows(demo, path, django_assert_max_num_queries):
    """5 rows and 50 rows of the same list cost the same number of queries (an N+1 would add 45)."""
    _user, token = demo

    def queries(size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = _get(path, token, page_size=size)
        assert response.status_code == 200, (path, response.content[:300])
        return len(captured), len(response.json()["results"])

    few, few_rows = queries(5)
    with django_assert_max_num_queries(few):
        _get(path, token, page_size=50)
    many, many_rows = queries(50)
    assert many <= few and few <= 12, (path, few, many)
    assert many_rows >= few_rows
    if path in MAIN:  # the demo gives these lists more than 5 rows: the comparison means something
        assert many_rows > few_rows == 5, (path, few_rows, many_rows)
