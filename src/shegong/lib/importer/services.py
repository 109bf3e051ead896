"""Starting an import and confirming it: the one way the pages and the API do both."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.jobs.models import Job
from shegong.jobs.services import job_start
from shegong.lib.guard import require
from shegong.lib.importer.cleaning import CellError, clean_period
from shegong.lib.importer.engine import ALL_OR_NOTHING, IMPORT_KIND, MODES, mapping_save
from shegong.lib.importer.ledger import ledger_get


def _ledger_for(actor, key: str):
    ledger = ledger_get(key or "")
    if ledger is None or not actor.can(ledger.capability):
        raise ValidationError({"ledger": _("No such ledger, or your role may not import it.")})
    return ledger


def parse_mapping(text) -> dict:
    """The optional ``mapping`` of an upload: {"columns": {header: field}, "values": {field: {value: code}}}."""
    if not text:
        return {}
    if isinstance(text, dict):
        mapping = text
    else:
        try:
            mapping = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise ValidationError({"mapping": _("The mapping is not valid JSON.")}) from exc
    if not isinstance(mapping, dict) or not set(mapping) <= {"columns", "values"}:
        raise ValidationError({"mapping": _("The mapping holds “columns” and “values” only.")})
    columns, values = mapping.get("columns") or {}, mapping.get("values") or {}
    if (
        not isinstance(columns, dict)
        or not isinstance(values, dict)
        or not all(isinstance(v, dict) for v in values.values())
    ):
        raise ValidationError({"mapping": _("The mapping holds “columns” and “values” only.")})
    return {"columns": columns, "values": values}


def import_start(
    *, actor, ledger: str, upload, period: str = "", mode: str = "", mapping=None, remote_addr=None
) -> Job:
    """Check the file ``upload`` as ledger ``ledger`` (a job; nothing is written). A mapping given here is
    saved for the actor's jurisdiction, so the next file of the ledger goes straight through."""
    found = _ledger_for(actor, ledger)
    require(actor, found.capability)
    mode = mode or ALL_OR_NOTHING
    if mode not in MODES:
        raise ValidationError({"mode": _("Choose all_or_nothing or valid_rows.")})
    try:
        clean_period(period or "")
    except CellError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    size = getattr(upload, "size", None)
    if not size:
        raise ValidationError({"file": _("The file is empty.")})
    if size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}}
        )
    mapping = parse_mapping(mapping)
    if mapping:
        mapping_save(actor=actor, ledger=found, columns=mapping.get("columns"), values=mapping.get("values"))
    name = (getattr(upload, "name", "") or "ledger")[-200:]
    return job_start(
        actor=actor,
        kind=IMPORT_KIND,
        title=_("Import of %(ledger)s: %(name)s") % {"ledger": found.title, "name": name},
        params={"ledger": found.key, "commit": False, "period": period or "", "mode": mode},
        input_name=name,
        input_file=upload,
        remote_addr=remote_addr,
    )


def import_recheck(*, actor, job: Job, mode: str = "", remote_addr=None) -> Job:
    """Check the same file again: after the user mapped a column or a value, or in another ``mode`` (a file
    refused whole for some wrong rows is checked again to write its valid rows and hold the others)."""
    require(actor, _ledger_for(actor, job.params.get("ledger")).capability)
    if job.kind != IMPORT_KIND or job.params.get("commit"):
        raise ValidationError(_("This import is not a checked file."))
    if mode and mode not in MODES:
        raise ValidationError({"mode": _("Choose all_or_nothing or valid_rows.")})
    if not job.input_file:
        raise ValidationError(_("The file is no longer kept; upload it again."))
    params = {k: v for k, v in job.params.items() if not k.startswith("_") and k != "checked_by"}
    again = job_start(
        actor=actor,
        kind=IMPORT_KIND,
        title=job.title,
        params={**params, "mode": mode} if mode else params,
        input_name=job.input_name,
        input_file=job.input_file,
        remote_addr=remote_addr,
    )
    job.forget_input()
    return again


def import_confirm(*, actor, job: Job, remote_addr=None) -> Job:
    """Write the checked file: a second job checks every row again and writes. Confirming twice writes once."""
    if job.kind != IMPORT_KIND or job.params.get("commit") or not job.result.get("ok"):
        raise ValidationError(_("This import is not a checked file waiting for confirmation."))
    earlier = Job.objects.filter(kind=IMPORT_KIND, created_by=actor, params__checked_by=str(job.pk)).first()
    if earlier is not None:
        return earlier
    if not job.input_file:
        raise ValidationError(_("The file is no longer kept; upload it again."))
    require(actor, _ledger_for(actor, job.params.get("ledger")).capability)
    write = job_start(
        actor=actor,
        kind=IMPORT_KIND,
        title=job.title,
        params={
            **{k: v for k, v in job.params.items() if not k.startswith("_")},
            "commit": True,
            "checked_by": str(job.pk),
        },
        input_name=job.input_name,
        input_file=job.input_file,
        remote_addr=remote_addr,
    )
    job.forget_input()
    return write
