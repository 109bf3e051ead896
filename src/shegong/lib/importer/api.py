"""The import engine over the API: the same ledgers, checks and confirmation as the pages.

POST /api/v1/imports/ (multipart: ledger, file, optional period, mode, mapping) checks a file and answers 202
with the import; GET /api/v1/imports/{id}/ tells its state (running, checked, rejected, written, failed), the
counts, the columns recognised and not, and a link to the annotated workbook; POST .../confirm/ writes a
checked file; GET /api/v1/imports/ledgers/ lists the ledgers you may import with their columns and synonyms.
An import is its owner's alone (it carries personal data), so another county's is a 404.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.errors import service_errors
from shegong.api.pagination import Pagination, paginated
from shegong.api.permissions import capability
from shegong.lib.http import client_ip
from shegong.lib.importer import selectors, services
from shegong.lib.importer.engine import MODES
from shegong.lib.importer.ledger import ledgers_for


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    required = serializers.BooleanField()
    synonyms = serializers.ListField(child=serializers.CharField())
    choices = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class LedgerSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)


class UploadSerializer(serializers.Serializer):
    ledger = serializers.CharField(max_length=64)
    file = serializers.FileField()
    period = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    mode = serializers.ChoiceField(choices=MODES, required=False, default=MODES[0])
    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20000,
        help_text='JSON: {"columns": {"header": "field"}, "values": {"field": {"value": "stored value"}}}',
    )


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()
    text = serializers.CharField()


class ImportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    ledger = serializers.CharField()
    state = serializers.ChoiceField(choices=["running", "checked", "rejected", "written", "failed"])
    message = serializers.CharField()
    mode = serializers.CharField()
    rows = serializers.IntegerField()
    valid = serializers.IntegerField()
    written = serializers.IntegerField()
    held = serializers.IntegerField()
    already = serializers.IntegerField()
    error_count = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)
    columns = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    unknown_columns = serializers.ListField(child=serializers.CharField())
    missing_columns = serializers.ListField(child=serializers.CharField())
    unknown_values = serializers.ListField(child=serializers.DictField())
    skipped = serializers.ListField(child=serializers.CharField())
    annotated_url = serializers.CharField(allow_null=True)
    confirm_url = serializers.CharField(allow_null=True)


def _ledger_data(ledger, user) -> dict:
    return {
        "key": ledger.key,
        "title": str(ledger.title),
        "columns": [
            {
                "key": f.key,
                "label": str(f.label),
                "kind": f.kind,
                "required": f.required,
                "synonyms": list(f.synonyms),
                "choices": [[str(c), str(lab)] for c, lab in ledger.choices_for(f.key, user)],
            }
            for f in ledger.fields
        ],
    }


def import_data(job, request=None) -> dict:
    r = job.result or {}
    state = selectors.import_state(job)
    annotated = reverse("jobs:download", args=[job.pk]) if r.get("annotated") and job.output_name else None
    confirm = reverse("api:import_confirm", args=[job.pk]) if state == "checked" else None
    if request is not None:
        annotated = request.build_absolute_uri(annotated) if annotated else None
        confirm = request.build_absolute_uri(confirm) if confirm else None
    return {
        "id": job.pk,
        "ledger": job.params.get("ledger", ""),
        "state": state,
        "message": job.message or r.get("message", ""),
        "mode": job.params.get("mode", ""),
        **{
            key: int(r.get(key) or 0)
            for key in ("rows", "valid", "written", "held", "already", "error_count")
        },
        "errors": [
            {
                k: e.get(k) if k == "row" else str(e.get(k) or "")
                for k in ("row", "column", "field", "message", "text")
            }
            for e in r.get("errors", [])[:500]
        ],
        "columns": [
            {"header": c["header"], "field": c["field"], "label": c["label"]} for c in r.get("columns", [])
        ],
        "unknown_columns": [c["header"] for c in r.get("unknown_columns", [])],
        "missing_columns": [c["label"] for c in r.get("missing_columns", [])],
        "unknown_values": [
            {"field": v["field"], "value": v["value"], "count": v["count"]}
            for v in r.get("unknown_values", [])
        ],
        "skipped": [str(s) for s in r.get("skipped", [])],
        "annotated_url": annotated,
        "confirm_url": confirm,
    }


@extend_schema(responses=LedgerSerializer(many=True))
@api_view(["GET"])
@permission_classes([capability(Cap.JOBS_USE)])
def ledger_list(request):
    """The ledgers you may import, each with its columns, the other names they are recognised by, and the
    values of its lists."""
    return Response([_ledger_data(ledger, request.user) for ledger in ledgers_for(request.user)])


@paginated
@extend_schema(methods=["GET"], responses=ImportSerializer(many=True))
@extend_schema(
    methods=["POST"], request={"multipart/form-data": UploadSerializer}, responses={202: ImportSerializer}
)
@api_view(["GET", "POST"])
@parser_classes([MultiPartParser, FormParser])
@permission_classes([capability(Cap.JOBS_USE)])
def import_create(request):
    """Your imports, newest first (GET); or check a ledger's file (POST; nothing is written): the answer's
    ``id`` is polled with GET until its state is checked (then confirm), rejected (the errors and the
    annotated workbook say why) or failed."""
    if request.method == "GET":
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.import_list(user=request.user), request)
        return paginator.get_paginated_response([import_data(job, request) for job in page])
    data = UploadSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    values = data.validated_data
    with service_errors():
        job = services.import_start(
            actor=request.user,
            ledger=values["ledger"],
            upload=values["file"],
            period=values.get("period", ""),
            mode=values.get("mode", ""),
            mapping=values.get("mapping") or None,
            remote_addr=client_ip(request),
        )
    job.refresh_from_db()
    return Response(import_data(job, request), status=status.HTTP_202_ACCEPTED)


@extend_schema(responses=ImportSerializer)
@api_view(["GET"])
@permission_classes([capability(Cap.JOBS_USE)])
def import_detail(request, pk):
    """One of your imports: its state, counts, errors and the columns it recognised and did not."""
    return Response(import_data(selectors.import_get(user=request.user, job_id=pk), request))


@extend_schema(request=None, responses={202: ImportSerializer})
@api_view(["POST"])
@permission_classes([capability(Cap.JOBS_USE)])
def import_confirm(request, pk):
    """Write a checked file (state ``checked``); confirming twice writes once. Answers the writing import."""
    job = selectors.import_get(user=request.user, job_id=pk)
    with service_errors():
        write = services.import_confirm(actor=request.user, job=job, remote_addr=client_ip(request))
    write.refresh_from_db()
    return Response(import_data(write, request), status=status.HTTP_202_ACCEPTED)
