"""A form posted after the session ended: the login page, then back to the page the form was on."""

from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required, login_required


@capability_required(Cap.DATA_EDIT)
def _action(request):
    return HttpResponse("done")


@login_required
def _page(request):
    return HttpResponse("page")


def _next(response) -> str:
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def _anonymous(request):
    request.user = AnonymousUser()
    return request


def test_a_post_after_the_session_ended_comes_back_to_the_page_the_form_was_on():
    rf = RequestFactory()
    request = _anonymous(
        rf.post("/cases/5/contact/", {"note": "x"}, HTTP_REFERER="http://testserver/cases/5/?tab=plan")
    )
    assert _next(_action(request)) == "/cases/5/?tab=plan"
    assert _next(
        _page(_anonymous(rf.post("/people/3/visit/", HTTP_REFERER="http://testserver/people/3/visit/")))
    ) == ("/people/3/visit/")


def test_a_foreign_or_missing_referer_is_never_followed():
    rf = RequestFactory()
    foreign = _anonymous(rf.post("/cases/5/contact/", HTTP_REFERER="https://evil.example/cases/5/"))
    assert _next(_action(foreign)) == "/cases/5/contact/"
    assert _next(_action(_anonymous(rf.post("/cases/5/contact/")))) == "/cases/5/contact/"
    # A page asked for (GET) comes back to itself, whatever the Referer.
    asked = _anonymous(rf.get("/people/?q=1", HTTP_REFERER="http://testserver/cases/"))
    assert _next(_page(asked)) == "/people/?q=1"
