"""The route groups of lib/routes.py and the record views of lib/views.py."""

from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from shegong.lib.guard import Refused
from shegong.lib.routes import api_records, record_pages
from shegong.lib.views import FORM, POST, record_view


def _view(name):
    def view(request, pk):
        return name

    view.__name__ = name
    return view


VIEWS = SimpleNamespace(
    **{
        name: _view(name)
        for name in ("thing_list", "thing_create", "thing_detail", "thing_edit", "thing_close")
    }
)


def _routes(patterns):
    return [(str(p.pattern), p.callback.__name__, p.name) for p in patterns]


def test_record_pages_declare_list_create_detail_edit_and_actions():
    assert _routes(record_pages("things/", VIEWS, "thing", actions=["close"])) == [
        ("things/", "thing_list", "thing_list"),
        ("things/new/", "thing_create", "thing_create"),
        ("things/<int:pk>/", "thing_detail", "thing_detail"),
        ("things/<int:pk>/edit/", "thing_edit", "thing_edit"),
        ("things/<int:pk>/close/", "thing_close", "thing_close"),
    ]
    assert _routes(record_pages("", VIEWS, "thing", ["list", "detail"])) == [
        ("", "thing_list", "thing_list"),
        ("<int:pk>/", "thing_detail", "thing_detail"),
    ]


def test_api_records_name_the_list_by_the_plural():
    assert _routes(api_records("things/", VIEWS, "thing", "things", actions=["close"])) == [
        ("things/", "thing_list", "things"),
        ("things/<int:pk>/", "thing_detail", "thing"),
        ("things/<int:pk>/close/", "thing_close", "thing_close"),
    ]


class _User:
    is_authenticated = True

    def __init__(self, *capabilities):
        self.capabilities = capabilities

    def can(self, capability):
        return capability in self.capabilities


def _post(user):
    request = RequestFactory().post("/things/5/close/")
    request.user = user
    return request


def test_record_view_fetches_with_the_views_capability():
    asked = []

    def thing_get(*, user, pk, capability="view"):
        asked.append((pk, capability))
        return f"thing {pk}"

    @record_view("edit", thing_get, POST)
    def thing_close(request, thing):
        return thing

    assert thing_close(_post(_User("edit")), pk=5) == "thing 5"
    assert asked == [(5, "edit")]
    assert thing_close.capability == "edit"


def test_record_view_calls_a_selector_without_capability_as_it_is():
    def thing_get(*, user, pk):
        return f"thing {pk}"

    @record_view("edit", thing_get, POST)
    def thing_close(request, thing):
        return thing

    assert thing_close(_post(_User("edit")), pk=7) == "thing 7"


def test_record_view_refuses_before_fetching():
    def thing_get(*, user, pk, capability="view"):
        raise AssertionError("fetched for a user who may not act")

    @record_view("edit", thing_get, POST)
    def thing_close(request, thing):
        return thing

    with pytest.raises(Refused):
        thing_close(_post(_User("view")), pk=5)
    request = RequestFactory().get("/things/5/close/")
    request.user = _User("edit")
    assert thing_close(request, pk=5).status_code == 405


def test_record_view_fetches_a_post_for_the_posted_capability():
    asked = []

    def thing_get(*, user, pk, capability="view"):
        asked.append(capability)
        return pk

    @record_view("view", thing_get, FORM, posted="edit")
    def thing_detail(request, thing):
        return thing

    user = _User("view", "edit")
    get = RequestFactory().get("/things/5/")
    get.user = user
    assert thing_detail(get, pk=5) == 5
    assert thing_detail(_post(user), pk=5) == 5
    assert asked == ["view", "edit"]
