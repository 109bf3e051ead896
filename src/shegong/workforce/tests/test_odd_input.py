"""Nothing a user types or puts in a URL answers 500: odd filters, bad dates, unknown choices, wrong codes."""

import pytest
from django.test import Client

from shegong.testing import verified_login
from shegong.workforce.tests.factories import make_station, make_worker

URLS = [
    "/workforce/?q=%27%22<x>&region=abc&status=zz&level=9999&employment_type=zz&page=-1",
    "/workforce/?q=52230119900101123X",
    "/workforce/workers/export.xlsx?region=%00&clear=0",
    "/workforce/stations/?region=xyz&under=1",
    "/workforce/stats/abc/",
    "/workforce/stats/5223/export.xlsx",
    "/workforce/agencies/?rating=9A&q=%25",
    "/workforce/training/?year=abcd&kind=zz",
    "/workforce/experts/?kind=zz&q=%25",
    "/workforce/import/?kind=zz",
    "/workforce/import/zz-template.xlsx",
    "/api/v1/workers/?station=abc&level=x&status=%00",
    "/api/v1/stats/workforce/?region=%25",
    "/api/v1/trainings/?year=20x5",
]


@pytest.mark.django_db
def test_odd_input_never_answers_500(users):
    make_worker(make_station("522301001"))
    c = Client(raise_request_exception=False)
    verified_login(c, users["county"])
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(users["county"])
    for url in URLS:
        r = c.get(url, HTTP_AUTHORIZATION=f"Bearer {token}") if url.startswith("/api") else c.get(url)
        assert r.status_code < 500, (url, r.status_code)
    w = make_worker(make_station("522301002"), name="b")
    for url, data in [
        (f"/workforce/workers/{w.pk}/certificates/", {"level": "9", "year": "x", "number": ""}),
        (f"/workforce/workers/{w.pk}/hours/", {"year": "x", "hours": "-1"}),
        (f"/workforce/workers/{w.pk}/leave/", {"left_on": "2099-01-01"}),
        (f"/workforce/workers/{w.pk}/reveal/", {"field": "name"}),
        (f"/workforce/workers/{w.pk}/move/", {"facility": "abc", "start_date": "x"}),
        ("/workforce/staffing-rules/", {"region_code": "abc", "minimum": "-3"}),
        ("/workforce/stats/522301/targets/", {"indicator": "x", "value": "1e9", "deadline": "x"}),
        (
            "/workforce/awards/",
            {"name": "x", "kind": "monthly", "level": "9", "amount": "-1", "valid_from": "x"},
        ),
        ("/workforce/agencies/new/", {"name": "x" * 300, "credit_code": "%%%", "authority": ""}),
        ("/workforce/training/new/", {"title": "x", "kind": "x", "hours": "0", "held_on": "2999-01-01"}),
        (
            "/workforce/workers/new/",
            {"name": "x", "id_number": "abc", "phone": "abc", "employment_type": "x", "region_code": "abc"},
        ),
        (
            "/workforce/workers/new/",
            {
                "name": "x",
                "id_number": "522301199001011232",
                "employment_type": "resident",
                "region_code": "529999",
            },
        ),
        ("/workforce/import/", {"kind": "workers"}),
    ]:
        r = c.post(url, data)
        assert r.status_code < 500, (url, r.status_code)
    for url, data in [
        ("/api/v1/workers/", {"name": "x", "id_number": "1", "station": "x"}),
        (f"/api/v1/workers/{w.pk}/reveal/", {"fields": ["x"]}),
        (f"/api/v1/workers/{w.pk}/move/", {"station": 99999}),
    ]:
        r = c.post(url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code < 500, (url, r.status_code, r.content[:300])
