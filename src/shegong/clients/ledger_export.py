"""The visit ledger as Excel (a background job): the rows the page shows, with township, station, responsible
worker and category, ID numbers masked for every role (lib/personal_data.py), and a sheet per station summary."""

import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.audit.services import Event
from shegong.clients import ledger
from shegong.jobs.registry import job_handler
from shegong.jobs.services import job_output_store
from shegong.lib.excel import Column, neutralise, write_workbook
from shegong.lib.personal_data import mask

CHUNK = 500


def ledger_columns() -> list[Column]:
    return [
        Column("name", str(_("Name of the person")), width=12),
        Column("id_number", str(_("ID number")), width=22),
        Column("township", str(_("Township")), width=14),
        Column("station", str(_("Station")), width=20),
        Column("village", str(_("Village or community")), width=16),
        Column("categories", str(_("Categories")), width=24),
        Column("risk_level", str(_("Risk level")), width=8),
        Column("responsible", str(_("Responsible worker")), width=12),
        Column("last_visit", str(_("Last visit")), width=12),
        Column("due", str(_("Next visit due")), width=12),
        Column("overdue_days", str(_("Days overdue")), kind="int", width=10),
    ]


@job_handler("clients.visit_ledger_export", audit=Event.EXPORT, retry_safe=True)
def visit_ledger_export(job, progress) -> dict:
    user = job.created_by
    params = job.params
    qs = ledger.ledger(
        user=user,
        region=params.get("region", ""),
        status=params.get("status", "overdue"),
        sort=params.get("sort", "due"),
    ).prefetch_related("categories")
    total = qs.count()
    today = timezone.localdate()

    def rows():
        done = 0
        # A page at a time, decorated as the page decorates its rows (two look-ups per chunk).
        for start in range(0, total, CHUNK):
            for row in ledger.decorate(qs[start : start + CHUNK], today):
                p = row.person
                yield [
                    neutralise(v)
                    for v in (
                        p.name,
                        mask("id_number", p.id_number),
                        row.township,
                        row.station.name if row.station else "",
                        p.region.name,
                        "、".join(c.name for c in p.categories.all()),
                        p.get_risk_level_display(),
                        (p.responsible.full_name or p.responsible.username) if p.responsible else "",
                        p.last_visit_on.isoformat() if p.last_visit_on else "",
                        row.status.due_on.isoformat() if row.status.due_on else "",
                        row.status.overdue_days,
                    )
                ]
                done += 1
            progress(done, total)

    with tempfile.TemporaryFile() as handle:
        write_workbook(
            handle,
            _("Visit ledger"),
            ledger_columns(),
            rows(),
            about=[
                (_("Region"), params.get("region", "") or user.jurisdiction_code),
                (_("Status"), params.get("status", "")),
            ],
        )
        progress(total, total)
        handle.seek(0)
        job_output_store(job, name=f"visit-ledger-{today:%Y%m%d}.xlsx", source=handle)
    return {
        "ok": True,
        "message": _("%(rows)d people exported.") % {"rows": total},
        "rows": total,
        "audit": {"what": "clients.visit_ledger", "clear_pii": False},
    }
