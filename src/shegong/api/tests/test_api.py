import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from shegong.testing import PASSWORD


def _token(client, **data):
    return client.post("/api/v1/auth/token/", data=data, content_type="application/json")


def _get(client, url, token):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_a_worker_gets_a_token_and_reads_a_village_of_its_township(users):
    client = Client()
    response = _token(client, username="worker", password=PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    body = _get(client, "/api/v1/regions/522301001/", token).json()
    assert body["code"] == "522301001" and body["level"] == 4 and body["parent"] == "522301"
    assert body["children_count"] > 0


@pytest.mark.django_db
def test_listing_children_and_searching(users):
    client = Client()
    token = _token(client, username="leader", password=PASSWORD).json()["token"]
    body = _get(client, "/api/v1/regions/?parent=5223", token).json()
    assert body["count"] == 8
    assert {r["code"][:4] for r in body["results"]} == {"5223"}
    found = _get(client, "/api/v1/regions/?search=XYS", token).json()
    assert "522301" in [r["code"] for r in found["results"]]
    # Outside the leader's prefecture nothing is found.
    assert _get(client, "/api/v1/regions/?parent=5201", token).json()["count"] == 0


@pytest.mark.django_db
def test_a_wrong_password_gets_json_401_with_a_message(users):
    response = _token(Client(), username="worker", password="nope")
    assert response.status_code == 401
    assert response.json()["message"] and response.json()["code"] == "invalid"


@pytest.mark.django_db
def test_a_malformed_token_gets_json_401(users):
    response = _get(Client(), "/api/v1/regions/52/", "not-a-token")
    assert response.status_code == 401 and response.json()["message"]


@pytest.mark.django_db
def test_malformed_json_gets_json_400(users):
    response = Client().post("/api/v1/auth/token/", data="{bad json", content_type="application/json")
    assert response.status_code == 400 and response.json()["message"]


@pytest.mark.django_db
def test_an_expired_token_is_refused(users):
    instance, token = AuthToken.objects.create(users["worker"], expiry=dt.timedelta(seconds=1))
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert _get(Client(), "/api/v1/regions/522301001/", token).status_code == 401


@pytest.mark.django_db
def test_an_expired_token_is_deleted_by_its_request_and_the_others_at_the_next_login(
    users, django_assert_num_queries
):
    worker = users["worker"]
    expired = []
    for _n in range(2):
        instance, token = AuthToken.objects.create(worker, expiry=dt.timedelta(seconds=1))
        AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
        expired.append((instance.pk, token))
    client = Client()
    live = _token(client, username="worker", password=PASSWORD).json()["token"]
    assert not AuthToken.objects.filter(pk__in=[pk for pk, _t in expired]).exists()  # gone at the login
    instance, token = AuthToken.objects.create(worker, expiry=dt.timedelta(seconds=1))
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert _get(client, "/api/v1/regions/522301001/", token).status_code == 401
    assert not AuthToken.objects.filter(pk=instance.pk).exists()  # deleted by its own request
    # A request reads its own token (with its account), not the account's other tokens; then the division
    # and the count of its children.
    with django_assert_num_queries(3):
        assert _get(client, "/api/v1/regions/522301001/", live).status_code == 200


@pytest.mark.django_db
def test_a_revoked_token_is_refused(users):
    client = Client()
    token = _token(client, username="worker", password=PASSWORD).json()["token"]
    assert client.post("/api/v1/auth/token/revoke/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 204
    assert _get(client, "/api/v1/regions/522301001/", token).status_code == 401


@pytest.mark.django_db
def test_the_api_is_no_way_around_two_factor(users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries down after a wrong code
    client = Client()
    response = _token(client, username="county", password=PASSWORD)
    assert response.status_code == 403 and response.json()["code"] == "two_factor_setup"
    device = TOTPDevice.objects.create(user=users["county"], name="phone", confirmed=True)
    assert _token(client, username="county", password=PASSWORD).json()["code"] == "two_factor_required"
    assert _token(client, username="county", password=PASSWORD, otp="000000").status_code == 401
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert _token(client, username="county", password=PASSWORD, otp=code).status_code == 200


@pytest.mark.django_db
def test_a_deactivated_account_cannot_use_its_token(users):
    _instance, token = AuthToken.objects.create(users["worker"])
    users["worker"].is_active = False
    users["worker"].save()
    assert _get(Client(), "/api/v1/regions/522301001/", token).status_code == 401


@pytest.mark.django_db
def test_the_schema_and_docs_are_served_without_internet(users):
    client = Client()
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/regions/" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs and "http://" not in docs.replace("http://127", "") and "https://" not in docs


@pytest.mark.django_db
def test_healthz_reports_the_database(users):
    body = Client().get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"


@pytest.mark.django_db
def test_a_change_written_through_the_api_is_audited_under_the_tokens_account(users):
    """auditlog's middleware runs before DRF reads the token: the actor is named by the API's authentication."""
    from auditlog.models import LogEntry

    from shegong.clients.models import Person
    from shegong.clients.tests.factories import id_number
    from shegong.regions.models import Level, Region

    village = Region.objects.filter(code__startswith="522301001", level=Level.VILLAGE).first()
    token = AuthToken.objects.create(users["county"])[1]
    response = Client().post(
        "/api/v1/clients/",
        {"name": "审计测试", "region": village.code, "id_number": id_number("19600101", "522301")},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    assert entry.actor == users["county"]
    assert entry.remote_addr == "10.1.2.3"
