"""No 500 for anything a user can type: every page and endpoint, opened by a role that may open it, with odd
values in the query parameters the pages read (filters, pages, dates, months, codes)."""

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from shegong.core.tests.test_access_matrix import MATRIX
from shegong.testing import verified_login

ODD = {
    "page": "abc",
    "q": "'\"<script>%00",
    "search": "%%%",
    "region": "52abc",
    "parent": "x",
    "level": "nine",
    "status": "nonsense",
    "kind": "nonsense",
    "month": "2025-13",
    "year": "二〇二五",
    "date_from": "2025-02-30",
    "date_to": "yesterday",
    "from": "2025-02-30",
    "to": "-1",
    "days": "many",
    "station": "0",
    "category": "??",
    "risk": "9",
    "stage": "x",
}


def _routes():
    for name, routes in sorted(MATRIX.items()):
        for index, route in enumerate(routes):
            if route.method != "get":
                continue
            roles = [r for r, status in route.expect.items() if status == 200 and r != "anon"]
            if roles:
                yield pytest.param(name, index, roles[0], id=f"{name}#{index}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), list(_routes()))
def test_odd_query_values_never_give_a_server_error(name, index, role, users):
    route = MATRIX[name][index]
    kwargs = dict(route.kwargs)
    if route.setup:
        kwargs.update(route.setup(users) or {})
    url = reverse(name, kwargs=kwargs)
    client = Client(raise_request_exception=False)
    headers = {}
    if url.startswith("/api/"):
        _instance, token = AuthToken.objects.create(users[role])
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    else:
        verified_login(client, users[role])
    response = client.get(url, ODD, **headers)
    assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
