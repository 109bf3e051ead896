"""No 500 for anything a user can type: every page and endpoint, opened by a role that may open it, with odd
values in the query parameters the pages read (filters, pages, dates, months, codes)."""

import pytest
from django.test import Client

from shegong.core.tests.test_access_matrix import first_readers, route_url, signed_in

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


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), list(first_readers()))
def test_odd_query_values_never_give_a_server_error(name, index, role, users):
    _route, url = route_url(name, index, users)
    client = Client(raise_request_exception=False)
    headers = signed_in(client, users[role], url)
    response = client.get(url, ODD, **headers)
    assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
