"""The worker registry as an Excel sheet (the export; imports go through shegong.workforce.ledgers)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.lib.excel import Column, build_workbook
from shegong.workforce.models import Education, EmploymentType, Post

WORKER_COLUMNS = [
    Column("name", gettext_lazy("Full name"), required=True, width=12),
    Column("id_number", gettext_lazy("ID number"), kind="text", required=True, width=22),
    Column("phone", gettext_lazy("Phone"), kind="text", width=14),
    Column("education", gettext_lazy("Education"), kind="choice", choices=Education.labels, width=16),
    Column("major", gettext_lazy("Major"), width=14),
    Column(
        "employment_type",
        gettext_lazy("Employment type"),
        kind="choice",
        required=True,
        choices=EmploymentType.labels,
        width=14,
    ),
    Column("post", gettext_lazy("Post"), kind="choice", choices=Post.labels, width=10),
    Column("station", gettext_lazy("Station"), width=24),
    Column("station_code", gettext_lazy("Station division code"), kind="code", width=14),
    Column("joined_on", gettext_lazy("Joined on"), kind="date", width=12),
    Column("note", gettext_lazy("Note"), width=20),
]


def worker_export(*, workers, clear: bool) -> bytes:
    """The workers as an Excel sheet: ID numbers and phones masked, or in clear when ``clear`` (the view
    allows it only to roles with pii.view, and writes the export to the audit trail)."""
    columns = [
        Column(c.key, str(c.header), c.kind, c.required, [str(x) for x in c.choices], width=c.width)
        for c in WORKER_COLUMNS[:8]
    ] + [
        Column("division", str(_("Division code")), kind="code", width=14),
        Column("level", str(_("Certificate level")), width=18),
        Column("status", str(_("Status")), width=8),
    ]
    rows = []
    for w in workers:
        rows.append(
            [
                w.name,
                w.id_number if clear else w.id_number_masked,
                w.phone if clear else w.phone_masked,
                w.get_education_display(),
                w.major,
                w.get_employment_type_display(),
                w.get_post_display(),
                w.facility_name or "",
                w.region_id,
                w.current_level_label,
                w.get_status_display(),
            ]
        )
    note = _("Exported from the worker registry.") + (
        " " + _("ID numbers and phones are in clear: keep this file safe and delete it after use.")
        if clear
        else ""
    )
    return build_workbook(_("Social workers"), columns, rows, note)
