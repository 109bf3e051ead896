"""The role-by-region permission matrix: every URL of the site, every role, the status each must get.

Each domain lists its routes in ``<domain>/tests/matrix.py`` as ROUTES = {url name: [Route, ...]}. This test
walks the URL configuration: a URL added later with no matrix entry fails ``test_every_url_has_a_matrix_entry``.
Out-of-jurisdiction objects must answer 404, never 403, so that their existence is not leaked. Every 403 is
one ``refused`` row of the audit trail, naming the account and the address asked for.
"""

import importlib

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shegong.testing import MATRIX_ROLES, Route, bearer, verified_login


def _url_names(resolver=None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            names |= _url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _matrix() -> dict[str, list[Route]]:
    routes: dict[str, list[Route]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("shegong."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError:
            continue
        for name, entries in module.ROUTES.items():
            routes.setdefault(name, []).extend(entries)
    return routes


MATRIX = _matrix()
CASES = [
    pytest.param(name, index, role, id=f"{name}#{index}-{role}")
    for name, entries in sorted(MATRIX.items())
    for index, _route in enumerate(entries)
    for role in MATRIX_ROLES
]


def first_readers(*, pages_only: bool = False):
    """One case per GET route of the matrix (of the pages alone with ``pages_only``, not of the API): the
    route and the first signed-in role that opens it with a 200; routes no signed-in role opens are left out."""
    for name, routes in sorted(MATRIX.items()):
        for index, route in enumerate(routes):
            if route.method != "get" or (pages_only and name.startswith("api:")):
                continue
            roles = [r for r, status in route.expect.items() if status == 200 and r != "anon"]
            if roles:
                yield pytest.param(name, index, roles[0], id=f"{name}#{index}")


def route_url(name: str, index: int, users) -> tuple[Route, str]:
    """Route ``index`` of ``name`` in the matrix and its address, with the objects its setup makes."""
    route = MATRIX[name][index]
    kwargs = dict(route.kwargs)
    if route.setup:
        kwargs.update(route.setup(users) or {})
    return route, reverse(name, kwargs=kwargs)


def signed_in(client, user, url: str) -> dict:
    """``user`` signed in for ``url``: a bearer token's header for the API (returned), a session otherwise."""
    if url.startswith("/api/"):
        return bearer(user)
    verified_login(client, user)
    return {}


def test_every_url_has_a_matrix_entry():
    missing = sorted(_url_names() - set(MATRIX))
    assert not missing, f"URLs without a permission-matrix entry: {missing}"


def test_matrix_names_only_existing_urls():
    stale = sorted(set(MATRIX) - _url_names())
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_role_gets_expected_status(name, index, role, users):
    route, url = route_url(name, index, users)
    api = url.startswith("/api/")
    client = Client()
    headers = signed_in(client, users[role], url) if role != "anon" else {}
    method = getattr(client, route.method)
    if route.method == "get":
        response = method(url, **headers)
    else:
        response = method(url, data=route.data or {}, **headers)
    expected = route.status_for(role, api=api)
    assert response.status_code == expected, (
        f"{role} {route.method.upper()} {url}: expected {expected}, got {response.status_code}"
    )
    if response.status_code == 403:  # every refusal, of a page or of the API, is one row of the audit trail
        refused = LogEntry.objects.filter(additional_data__event="refused", additional_data__path=url)
        assert refused.count() == 1, f"{role} {route.method.upper()} {url}: a 403 without its audit row"
        assert refused.get().actor == users.get(role), f"{role} {url}: the refusal names another actor"
    if api and response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["message"]
