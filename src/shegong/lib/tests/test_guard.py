"""The guard itself, and how pages and the API map its refusal: the 403 page, the API's JSON error, and one audit
row per refusal naming the actor, the path and the capability."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse

import shegong.urls
from shegong.accounts.roles import Cap
from shegong.lib.guard import Refused, allowed, require, require_choice, requires
from shegong.regions.models import Region
from shegong.testing import verified_login

pytestmark = pytest.mark.django_db


def refusals():
    return LogEntry.objects.filter(additional_data__event="refused").order_by("pk")


def test_require_refuses_a_role_without_the_capability_and_a_region_outside(users):
    require(users["county"], Cap.DATA_EDIT, "522301001")
    require(None, Cap.ACCOUNTS_MANAGE)  # the system itself (demo data, commands)
    with pytest.raises(Refused) as caught:
        require(users["leader"], Cap.DATA_EDIT)
    assert caught.value.capability == Cap.DATA_EDIT and caught.value.region == ""
    assert isinstance(caught.value, PermissionDenied) and str(caught.value) == "您的角色无权执行此操作。"
    with pytest.raises(Refused) as caught:
        require(users["county2"], Cap.DATA_EDIT, Region.objects.get(code="522301"))
    assert caught.value.region == "522301" and str(caught.value) == "不在您的管辖范围内。"
    with pytest.raises(Refused):
        require(users["county"], Cap.DATA_EDIT, "")  # a national record is nobody's region
    assert allowed(users["worker"], Cap.DATA_EDIT, "522301001001")
    assert not allowed(users["worker"], Cap.DATA_EDIT, "522301002")


def test_a_choice_outside_the_jurisdiction_is_a_field_error_not_a_refusal(users):
    require_choice(users["county"], "522301001", "station")
    for choice in ("522302", None):
        with pytest.raises(ValidationError) as caught:
            require_choice(users["county"], choice, "station", "请选择您管辖范围内的社工站。")
        assert caught.value.message_dict == {"station": ["请选择您管辖范围内的社工站。"]}
    require_choice(None, None)  # the system chooses freely


def test_the_decorator_refuses_before_the_body_runs(users):
    ran = []

    @requires(Cap.ACCOUNTS_MANAGE)
    def account_touch(*, actor):
        ran.append(actor)

    with pytest.raises(Refused):
        account_touch(actor=users["county"])
    account_touch(actor=users["sysadmin"])
    assert ran == [users["sysadmin"]] and account_touch.__guarded__ == Cap.ACCOUNTS_MANAGE


def test_a_page_refused_by_its_capability_is_the_403_page_and_one_audit_row(client, users):
    client.force_login(users["leader"])
    response = client.post(reverse("community:activity_create"), {"title": "x"})
    assert response.status_code == 403
    assert "您的角色无权使用此页面" in response.content.decode()
    (row,) = refusals()
    assert row.actor == users["leader"] and row.additional_data["outcome"] == "failure"
    assert row.additional_data["path"] == reverse("community:activity_create")
    assert row.additional_data["capability"] == Cap.DATA_EDIT and row.additional_data["method"] == "POST"


def _population_view(request):
    """A page whose service refuses (the selector would have let the record through)."""
    from django.http import HttpResponse

    from shegong.regions.services import region_set_population

    region_set_population(
        actor=request.user, region=Region.objects.get(code="522301"), population=1, year=2023
    )
    return HttpResponse("written")


urlpatterns = [path("guard-test/population/", _population_view), *shegong.urls.urlpatterns]
handler403 = shegong.urls.handler403


@pytest.mark.urls(__name__)
def test_a_service_refusal_reached_from_a_page_is_the_403_page_with_its_reason_and_audited(client, users):
    verified_login(client, users["county2"])
    response = client.post("/guard-test/population/")
    assert response.status_code == 403
    assert "不在您的管辖范围内" in response.content.decode()
    assert Region.objects.get(code="522301").population != 1
    (row,) = refusals()
    assert row.actor == users["county2"]
    assert row.additional_data["capability"] == Cap.REGIONS_EDIT and row.additional_data["region"] == "522301"
    verified_login(client, users["county"])
    assert client.post("/guard-test/population/").status_code == 200
    assert Region.objects.get(code="522301").population == 1


def test_an_api_refusal_is_the_one_json_error_shape_and_audited(client, users):
    from knox.models import AuthToken

    from shegong.network.tests.factories import make_facility

    facility = make_facility("522301001")
    _instance, token = AuthToken.objects.create(users["worker"])
    url = f"/api/v1/stations/{facility.pk}/status/"
    response = client.post(
        url,
        data={"to_status": "suspended"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "message": "您的角色无权使用此接口。",
        "code": "permission_denied",
    }
    (row,) = refusals()
    assert row.actor == users["worker"] and row.additional_data["path"] == url
    assert row.additional_data["capability"] == Cap.NETWORK_MANAGE


def test_the_auditor_reads_a_refusal_in_chinese(client, users):
    from shegong.audit.presenters import present

    client.force_login(users["leader"])
    client.get(reverse("accounts:list"))
    (row,) = refusals()
    shown = present(row)
    assert shown["event"] == "越权访问被拒绝" and shown["outcome"] == "失败"
    assert "访问地址: " + reverse("accounts:list") in shown["changes"]
    assert "所需权限: accounts.manage" in shown["changes"]
