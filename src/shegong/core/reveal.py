"""The one way a masked ID number or phone is shown in clear: one view for pages (an htmx fragment) and one API
action, both for roles that may see personal data, both audited (lib/personal_data.py).

Each domain keeps its old URL (``clients:person_reveal``, ``hotline:ticket_reveal``, ``community:volunteer_reveal``,
``workforce:worker_reveal`` and the API's ``workers/<id>/reveal/``, ``volunteers/<id>/reveal/``), routed here with
the ``kind`` of record; a record outside the user's jurisdiction is a 404 through the domain's own selector.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.permissions import capability
from shegong.clients.selectors import person_get
from shegong.community.selectors import volunteer_get
from shegong.hotline.selectors import ticket_get
from shegong.lib.decorators import capability_required
from shegong.lib.personal_data import audit_reveal, require_clear
from shegong.workforce.selectors import worker_get


@dataclass(frozen=True)
class Revealable:
    get: Callable  # the domain's scoped selector: get(user=, pk=, capability=), 404 outside the jurisdiction
    fields: tuple[str, ...]  # the first is shown when a request names none


REVEALABLE = {
    "person": Revealable(person_get, ("id_number", "phone", "guardian_phone")),
    "ticket": Revealable(ticket_get, ("caller_phone",)),
    "volunteer": Revealable(volunteer_get, ("id_number", "phone")),
    "worker": Revealable(worker_get, ("id_number", "phone")),
}


def _reveal(request, kind: str, pk: int, fields: list[str], via: str) -> tuple[object, dict[str, str]]:
    require_clear(request.user)
    spec = REVEALABLE.get(kind)
    if spec is None:
        raise Http404
    record = spec.get(user=request.user, pk=pk, capability=Cap.PII_VIEW)
    fields = fields or [spec.fields[0]]
    audit_reveal(request=request, obj=record, fields=fields, via=via)
    return record, {field: getattr(record, field) or "" for field in fields}


@never_cache
@capability_required(Cap.PII_VIEW)
@require_POST
def reveal_page(request, pk: int, kind: str):
    """One field of one record in clear, as the fragment that replaces its masked value on the page."""
    field = request.POST.get("field", "")
    if kind in REVEALABLE and field and field not in REVEALABLE[kind].fields:
        return HttpResponseBadRequest(_("Unknown field."))
    _record, values = _reveal(request, kind, pk, [field] if field else [], via="page")
    ((field, value),) = values.items()
    return render(request, "includes/pii_revealed.html", {"field": field, "value": value})


class RevealInput(serializers.Serializer):
    fields = serializers.ListField(child=serializers.CharField(max_length=30), required=False)


@extend_schema(
    request=RevealInput,
    responses=inline_serializer(
        "RevealedValues",
        {
            "id": serializers.IntegerField(),
            "id_number": serializers.CharField(required=False),
            "phone": serializers.CharField(required=False),
            "guardian_phone": serializers.CharField(required=False),
            "caller_phone": serializers.CharField(required=False),
        },
    ),
)
@api_view(["POST"])
@permission_classes([capability(Cap.PII_VIEW)])
def reveal_api(request, pk: int, kind: str):
    """Protected values of one record in clear (``fields``: all of the record's when left out). Every call is
    written to the audit trail; the answer is never cached."""
    data = RevealInput(data=request.data)
    data.is_valid(raise_exception=True)
    allowed = REVEALABLE[kind].fields
    fields = sorted(set(data.validated_data.get("fields") or allowed))
    unknown = [f for f in fields if f not in allowed]
    if unknown:
        raise exceptions.ValidationError(
            {"fields": [_("Unknown field: %(names)s.") % {"names": "、".join(unknown)}]}
        )
    record, values = _reveal(request, kind, pk, fields, via="api")
    response = Response({"id": record.pk, **values})
    response["Cache-Control"] = "no-store"
    return response
