"""The OpenAPI schema says what the API does: bearer tokens, pages, request bodies without read-only fields,
distinct component names, the error answers; it generates without a warning; and check --deploy is quiet."""

import json
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from knox.models import AuthToken

from shegong.core.checks import VENDOR_FILES


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _component(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def _json_schema(operation: dict, status: str) -> dict:
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_operations_ask_for_a_bearer_token_and_the_token_endpoint_does_not(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert schema["paths"]["/api/v1/clients/"]["get"]["security"] == [{"bearerAuth": []}]
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert not any(token.get("security", []))
    assert {"200", "400", "401", "403", "429"} <= set(token["responses"])
    assert "401" in schema["paths"]["/api/v1/clients/"]["get"]["responses"]


def test_lists_are_documented_as_pages_and_creates_as_one_object(schema):
    page = _component(schema, _json_schema(schema["paths"]["/api/v1/visits/"]["get"], "200")["$ref"])
    assert page["required"] == ["count", "count_capped", "next", "previous", "results"]
    params = {p["name"]: p for p in schema["paths"]["/api/v1/visits/"]["get"]["parameters"]}
    assert params["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert params["cursor"]["schema"]["type"] == "string"
    assert page["properties"]["results"]["items"]["$ref"].endswith("/Visit")
    create = schema["paths"]["/api/v1/visits/"]["post"]
    assert (
        set(create["responses"]) >= {"201", "400", "401", "403", "404"} and "200" not in create["responses"]
    )
    assert _json_schema(create, "201")["$ref"].endswith("/Visit")
    assert not any(p["name"] == "page" for p in create.get("parameters", []))
    # The sign-ups of one activity come as a plain list, and are documented so.
    signups = schema["paths"]["/api/v1/activities/{id}/signups/"]["get"]
    assert _json_schema(signups, "200")["type"] == "array"


def test_a_visit_body_does_not_ask_for_the_fields_the_server_fills_in(schema):
    body = schema["paths"]["/api/v1/visits/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    visit = _component(schema, body["$ref"])
    assert not {"id", "person_name", "visitor"} & set(visit["properties"])
    assert set(visit["required"]) == {"person", "visited_on", "mode"}


def test_purchased_projects_and_mutual_aid_projects_are_two_components(schema):
    page = _json_schema(schema["paths"]["/api/v1/projects/"]["get"], "200")
    project = _component(schema, _component(schema, page["$ref"])["properties"]["results"]["items"]["$ref"])
    assert {"purchaser", "funding_source", "amount"} <= set(project["properties"])
    aid_page = _json_schema(schema["paths"]["/api/v1/mutual-aid-projects/"]["get"], "200")
    aid_ref = _component(schema, aid_page["$ref"])["properties"]["results"]["items"]["$ref"]
    assert aid_ref.endswith("/MutualAidProject")
    assert "purchaser" not in _component(schema, aid_ref)["properties"]


def test_every_error_answer_has_the_one_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["status", "message"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert "404" in operation["responses"], (method, path)
            for status in operation["responses"]:
                if status.startswith("4"):
                    assert _json_schema(operation, status) == {"$ref": "#/components/schemas/Error"}


def test_the_schema_generates_without_a_warning(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning (these also show in check --deploy) into an error.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))
    assert "bearerAuth" in (tmp_path / "schema.yaml").read_text()


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json_404_to_any_method_without_a_csrf_check(users):
    client = Client(enforce_csrf_checks=True)
    token = AuthToken.objects.create(users["county"])[1]
    for method in ("get", "post", "patch", "put", "delete"):
        response = getattr(client, method)(
            "/api/v1/no-such-thing/", HTTP_AUTHORIZATION=f"Bearer {token}", content_type="application/json"
        )
        assert response.status_code == 404, method
        assert response.json()["status"] == 404 and response.json()["message"]
    # A real endpoint with a token is not stopped by CSRF either: the token is the credential.
    response = client.post(
        "/api/v1/visits/", {}, HTTP_AUTHORIZATION=f"Bearer {token}", content_type="application/json"
    )
    assert response.status_code == 400 and set(response.json()["errors"]) >= {"person", "visited_on"}


def test_check_deploy_is_quiet_behind_a_tls_proxy(tmp_path):
    """A production environment as README "Deploying" sets it: no warning to read past. Without a TLS proxy
    Django's SSL-redirect warning stays, because then it is true."""
    # What collectstatic leaves (step 3), reduced to the files check --deploy looks for (core/checks.py).
    manifest = {"paths": {name: name for name in VENDOR_FILES}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    env = {
        **os.environ,
        "SECRET_KEY": "k" * 40 + "-Production-Like-Secret-Key-0123456789",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "FIELD_HASH_KEY": "h" * 43,
        "ALLOWED_HOSTS": "shegong.example.org",
        "DEBUG": "0",
        "BEHIND_TLS_PROXY": "1",
        "STATIC_ROOT": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "shegong.settings",  # the production settings, not the suite's
    }
    for name in ("SHEGONG_DEMO", "SHEGONG_TESTING", "SECURE_SSL_REDIRECT"):
        env.pop(name, None)
    command = [sys.executable, "-m", "shegong", "check", "--deploy"]
    quiet = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0, quiet.stderr
    assert "System check identified no issues" in quiet.stdout, quiet.stdout + quiet.stderr
    env.pop("BEHIND_TLS_PROXY")
    plain = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert "security.W008" in plain.stderr and plain.stderr.count("?: (") == 1, plain.stderr
