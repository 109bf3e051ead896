"""The views lib/views.py makes for a kind of record (``Record``, ``create_and_edit``, ``own_region``,
``stored_file``) and the helpers of lib/forms.py they use (``to_page``, ``initial_of``)."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import path

from shegong.lib.forms import initial_of, to_page
from shegong.lib.guard import Refused
from shegong.lib.views import Record, create_and_edit, own_region, stored_file


class _User:
    is_authenticated = True
    pk = 1

    def __init__(self, *capabilities, code=""):
        self.capabilities = capabilities
        self.jurisdiction_code = code

    def can(self, capability):
        return capability in self.capabilities


def _request(method="post", data=None, user=None):
    request = getattr(RequestFactory(), method)("/things/5/act/", data or {})
    request.user = user or _User("edit")
    request._messages = CookieStorage(request)
    return request


def _said(request):
    return [str(message) for message in request._messages]


class NoteForm(forms.Form):
    note = forms.CharField()


def thing_get(*, user, pk, capability="view"):
    return SimpleNamespace(pk=pk, capability=capability)


THING = Record(
    "edit",
    thing_get,
    then=to_page("thing_detail"),
    page=lambda request, thing, status, **forms: HttpResponse(f"page {sorted(forms)}", status=status),
)


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [
    path("things/<int:pk>/", _ok, name="thing_detail"),
    path("places/<str:code>/", _ok, name="place"),
]


@pytest.mark.urls(__name__)
def test_a_posted_action_runs_the_service_on_the_record_and_goes_back_to_its_page():
    done = []
    act = THING.post(lambda **kwargs: done.append(kwargs), NoteForm, success="Noted.")

    response = act(_request(data={"note": "seen"}), pk=5)

    assert response.status_code == 302 and response.url == "/things/5/"
    (call,) = done
    assert call["note"] == "seen" and call["thing"].pk == 5 and call["thing"].capability == "edit"
    assert act.capability == "edit"


@pytest.mark.urls(__name__)
def test_a_posted_action_shows_the_services_error_and_writes_nothing():
    def refuse(**kwargs):
        raise ValidationError("Not now.")

    request = _request()
    response = THING.post(refuse, success="Done.")(request, pk=5)

    assert response.url == "/things/5/" and _said(request) == ["Not now."]


@pytest.mark.urls(__name__)
def test_a_posted_action_with_an_invalid_form_says_so_without_running():
    request = _request(data={})
    THING.post(lambda **kwargs: pytest.fail("ran"), NoteForm, invalid="Give a note.")(request, pk=5)

    assert _said(request) == ["Give a note."]


@pytest.mark.urls(__name__)
def test_a_form_on_the_record_page_shows_the_page_again_with_its_errors():
    response = THING.form(lambda **kwargs: None, NoteForm, "note_form")(_request(data={}), pk=5)

    assert response.status_code == 400 and response.content == b"page ['note_form']"


@pytest.mark.urls(__name__)
def test_a_record_action_refuses_a_role_without_the_capability():
    with pytest.raises(Refused):
        THING.post(lambda **kwargs: None)(_request(user=_User("view")), pk=5)


def test_create_and_edit_share_one_page():
    create, edit = create_and_edit("edit", thing_get, lambda request, thing=None: HttpResponse(str(thing)))

    assert create(_request("get")).content == b"None"
    assert b"pk=7" in edit(_request("get"), pk=7).content
    with pytest.raises(Refused):
        create(_request("get", user=_User("view")))


@pytest.mark.urls(__name__)
def test_own_region_opens_the_users_division_or_answers_404():
    index = own_region("view", "place")

    assert index(_request("get", user=_User("view", code="5223"))).url == "/places/5223/"
    with pytest.raises(Http404):
        index(_request("get", user=_User("view")))


def test_a_stored_file_that_is_missing_is_404():
    with pytest.raises(Http404):
        stored_file(None)


def test_initial_values_come_from_the_record_edited():
    record = SimpleNamespace(name="A", note="b", region_id="5223")

    assert initial_of(record, ("name", "note"), region_code="region_id") == {
        "name": "A",
        "note": "b",
        "region_code": "5223",
    }
    assert initial_of(None, ("name",), region_code="region_id") == {}
