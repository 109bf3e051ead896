"""What the OpenAPI schema says beyond each view's own declarations: the bearer-token security scheme, and the
error answers every operation can give, in the one shape of ``api/errors.py``. Loaded by ``ApiConfig.ready``."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiResponse

# The body of every API error (api/errors.py, api/views.py not_found, core/views.py for CSRF failures).
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API error: the HTTP status, a message in Chinese, and for invalid input the errors "
    "field by field.",
    "properties": {
        "status": {"type": "integer", "example": 404},
        "message": {"type": "string", "example": "未找到，或不在您的管辖范围内。"},
        "code": {"type": "string", "description": "machine-readable reason, e.g. not_found, locked"},
        "errors": {
            "type": "object",
            "description": "400 only: the field name (or non_field_errors) and its messages",
            "additionalProperties": {},
        },
        "retry_after": {"type": "integer", "description": "429 only: seconds until the lockout ends"},
    },
    "required": ["status", "message"],
}

# Why each status can answer. 401 and 403 only where a token is required; 400 where a body or a query is read.
ERRORS = {
    "400": "The input is not valid: `errors` names each field and what is wrong with it.",
    "401": "No token, or a token that is malformed, expired or revoked.",
    "403": "Your role may not use this operation.",
    "404": "Not found, outside your jurisdiction, or a page number past the last page.",
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The knox token of POST /api/v1/auth/token/, sent as ``Authorization: Bearer <token>``."""

    target_class = "shegong.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: each operation lists the error statuses it can answer, all with
    the Error schema, unless the view documented that status itself."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(operation):
                responses.setdefault(status, _error_response(ERRORS[status]))
    return result


def _error_statuses(operation: dict) -> list[str]:
    statuses = ["404"]
    if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
        statuses.append("400")
    if any(requirement for requirement in operation.get("security", [])):
        statuses += ["401", "403"]
    return sorted(statuses)


def error_response(description: str) -> OpenApiResponse:
    """For a view's own ``@extend_schema(responses=...)``: an error status with the one error shape."""
    return OpenApiResponse(response={"$ref": "#/components/schemas/Error"}, description=description)


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
