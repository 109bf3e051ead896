"""The import pages: choose a ledger and upload it as it is → preview (columns and values recognised or not,
every error, the file with errors marked) → map what was not recognised, once → confirm → result."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.http import client_ip
from shegong.lib.importer import selectors, services
from shegong.lib.importer.engine import ALL_OR_NOTHING, VALID_ROWS, held_row_correct, mapping_save
from shegong.lib.importer.ledger import ledger_get, ledgers_for
from shegong.lib.importer.workbooks import code_list, ledger_template
from shegong.lib.uploads import LedgerFileField


class ImportForm(forms.Form):
    ledger = forms.ChoiceField(label=gettext_lazy("Ledger"))
    file = LedgerFileField(
        label=gettext_lazy("File (.xlsx, .xls or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.et,.csv"}),
    )
    period = forms.CharField(
        label=gettext_lazy("Month of the ledger"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("e.g. 2024-11; needed when dates are written without the year (11月19日)"),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("If some rows have errors"),
        choices=[
            (ALL_OR_NOTHING, gettext_lazy("Write nothing until every row is right")),
            (VALID_ROWS, gettext_lazy("Write the valid rows and hold the others for correction")),
        ],
        initial=ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].choices = [(lg.key, lg.title) for lg in ledgers_for(user)]


@capability_required(Cap.JOBS_USE)
@require_http_methods(["GET", "POST"])
def import_index(request):
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"ledger": request.GET.get("ledger", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.import_start(
                actor=request.user,
                ledger=data["ledger"],
                upload=data["file"],
                period=data["period"],
                mode=data["mode"],
                remote_addr=client_ip(request),
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, messages)
        else:
            return redirect("importer:detail", job_id=job.pk)
    ledgers = ledgers_for(request.user)
    held = {lg.key: selectors.held_rows(user=request.user, ledger=lg.key).count() for lg in ledgers}
    recent = selectors.import_list(user=request.user)[:10]
    return render(
        request,
        "importer/index.html",
        {"form": form, "ledgers": [(lg, held[lg.key]) for lg in ledgers], "recent": recent},
    )


def _ledger(request, key):
    ledger = ledger_get(key)
    if ledger is None or not request.user.can(ledger.capability):
        raise Http404
    return ledger


@capability_required(Cap.JOBS_USE)
def import_template(request, ledger):
    found = _ledger(request, ledger)
    response = HttpResponse(ledger_template(found, request.user), content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename={found.key}-template.xlsx"
    return response


@capability_required(Cap.JOBS_USE)
def import_codes(request):
    response = HttpResponse(code_list(request.user), content_type=XLSX_MIME)
    response["Content-Disposition"] = "attachment; filename=division-codes.xlsx"
    return response


def _held_form(ledger, held) -> list[dict]:
    """The inputs of a held row's correction form: one per column of the file the row came from."""
    fields = {f.key: f for f in ledger.fields}
    inputs = []
    for key, header in (held.columns or {}).items():
        f = fields.get(key)
        if f is None:
            continue
        text = held.cells.get(header, "")
        secret = f.kind == "id_number"
        kept = secret and key in (held.sealed or {})
        inputs.append(
            {
                "key": key,
                "header": header,
                "label": str(f.label),
                "value": "" if secret else text,
                # A wrong ID number (a number cell) is not shown masked: it is typed again.
                "secret": secret,
                "masked": text if kept else "",
                "kept": kept,
                "wrong": any(e.get("column") == header for e in held.errors),
            }
        )
    return inputs


@capability_required(Cap.JOBS_USE)
def import_held(request, ledger):
    found = _ledger(request, ledger)
    rows = list(selectors.held_rows(user=request.user, ledger=found.key)[:500])
    return render(
        request,
        "importer/held.html",
        {"ledger": found, "rows": [(row, _held_form(found, row)) for row in rows]},
    )


@capability_required(Cap.JOBS_USE)
@require_POST
def import_held_correct(request, ledger, pk):
    """Correct one held row in the browser: checked again as a file row is, written through the engine."""
    found = _ledger(request, ledger)
    held = selectors.held_row_get(user=request.user, ledger=found.key, pk=pk)
    cells = {key: request.POST.get(f"cell-{key}", "") for key in held.columns or {}}
    try:
        errors = held_row_correct(actor=request.user, held=held, cells=cells)
    except ValidationError as exc:
        raise Http404 from exc
    if errors:
        messages.error(
            request,
            _("Row %(row)d is still held: %(errors)s")
            % {
                "row": held.row,
                "errors": "；".join(
                    f"{e['column']}：{e['message']}" if e.get("column") else e["message"] for e in errors
                ),
            },
        )
        return redirect(reverse("importer:held", kwargs={"ledger": found.key}) + f"#held-{held.pk}")
    messages.success(request, _("Row %(row)d was corrected and written.") % {"row": held.row})
    return redirect("importer:held", ledger=found.key)


@capability_required(Cap.JOBS_USE)
def import_detail(request, job_id):
    job = selectors.import_get(user=request.user, job_id=job_id)
    ledger = ledger_get(job.params.get("ledger", ""))
    context = {
        "job": job,
        "ledger": ledger,
        "state": selectors.import_state(job),
        "fields": [(f.key, f.label) for f in ledger.fields] if ledger else [],
    }
    template = "importer/_status.html" if request.headers.get("HX-Request") else "importer/detail.html"
    return render(request, template, context)


@capability_required(Cap.JOBS_USE)
@require_POST
def import_map(request, job_id):
    """Save what the user mapped (column → field, value → stored value) for the jurisdiction, check again."""
    job = selectors.import_get(user=request.user, job_id=job_id)
    ledger = ledger_get(job.params.get("ledger", ""))
    if ledger is None or not request.user.can(ledger.capability) or job.params.get("commit"):
        raise Http404
    columns, values = {}, {}
    for index, column in enumerate(job.result.get("unknown_columns", [])):
        chosen = request.POST.get(f"column-{index}", "")
        if chosen == "-":
            columns[column["header"]] = ""  # ignore the column from now on
        elif chosen:
            columns[column["header"]] = chosen
    for index, value in enumerate(job.result.get("unknown_values", [])):
        chosen = request.POST.get(f"value-{index}", "")
        if chosen:
            values.setdefault(value["field"], {})[value["value"]] = chosen
    try:
        mapping_save(actor=request.user, ledger=ledger, columns=columns, values=values)
    except ValidationError as exc:
        return _refused(request, job, exc)
    return _check_again(request, job)


def _refused(request, job, exc: ValidationError):
    """The import's page again, with why the action was refused (400)."""
    ledger = ledger_get(job.params.get("ledger", ""))
    context = {"job": job, "ledger": ledger, "error": exc.messages, "state": selectors.import_state(job)}
    return render(request, "importer/detail.html", context, status=400)


def _check_again(request, job, mode: str = ""):
    """Check the import's file again (``services.import_recheck``) and follow the new check."""
    try:
        again = services.import_recheck(
            actor=request.user, job=job, mode=mode, remote_addr=client_ip(request)
        )
    except ValidationError as exc:
        return _refused(request, job, exc)
    return redirect("importer:detail", job_id=again.pk)


@capability_required(Cap.JOBS_USE)
@require_POST
def import_valid_rows(request, job_id):
    """A file refused whole (nothing written until every row is right) checked again to write its valid rows
    and hold the others for correction: changing one's mind needs no second upload."""
    return _check_again(request, selectors.import_get(user=request.user, job_id=job_id), mode=VALID_ROWS)


@capability_required(Cap.JOBS_USE)
@require_POST
def import_confirm(request, job_id):
    job = selectors.import_get(user=request.user, job_id=job_id)
    try:
        write = services.import_confirm(actor=request.user, job=job, remote_addr=client_ip(request))
    except ValidationError as exc:
        raise Http404 from exc
    return redirect("importer:detail", job_id=write.pk)
