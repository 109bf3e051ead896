"""Imports as a user may see them: their own (jobs carry files with personal data), of the engine's kind."""

from django.http import Http404

from shegong.jobs.selectors import job_list
from shegong.lib.importer.engine import IMPORT_KIND
from shegong.lib.importer.models import HeldRow


def import_list(*, user):
    return job_list(user=user).filter(kind=IMPORT_KIND)


def import_get(*, user, job_id):
    try:
        return import_list(user=user).get(pk=job_id)
    except Exception as exc:  # DoesNotExist, a malformed id
        raise Http404 from exc


def held_rows(*, user, ledger: str):
    """The correction list of the user's jurisdiction for a ledger."""
    return HeldRow.objects.filter(scope_code=user.jurisdiction_code, ledger=ledger)


def import_state(job) -> str:
    """running, checked (waiting for confirmation), rejected (errors: nothing written), written, failed."""
    if not job.finished:
        return "running"
    if job.status == "failed":
        return "failed"
    if not job.result.get("ok"):
        return "rejected"
    return "written" if job.result.get("commit") else "checked"


def held_row_get(*, user, ledger: str, pk):
    """One held row of the user's jurisdiction, or 404."""
    try:
        return held_rows(user=user, ledger=ledger).get(pk=pk)
    except HeldRow.DoesNotExist as exc:
        raise Http404 from exc
