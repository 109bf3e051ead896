"""Workbooks the engine gives out: a ledger's template (dropdowns, no row that could be imported by mistake)
and the code list of the user's jurisdiction."""

from django.utils.translation import gettext as _

from shegong.lib.excel import Column, build_workbook, stream_workbook
from shegong.lib.scoping import code_prefix_q
from shegong.regions.models import Region

_KINDS = {"code": "code", "id_number": "code", "phone": "text", "int": "int", "date": "date", "month": "date"}


def ledger_template(ledger, user) -> bytes:
    columns = []
    for f in ledger.fields:
        # A text field is free text even where it takes values of a list (several categories in one cell,
        # 低保、独居): no dropdown, which would refuse them.
        choices = [] if f.kind == "text" else [str(label) for _code, label in ledger.choices_for(f.key, user)]
        if f.kind == "bool" and not choices:
            choices = [_("Yes"), _("No")]
        if f.kind == "sex":
            choices = ["男", "女"]
        kind = "choice" if choices else _KINDS.get(f.kind, "text")
        if kind == "code":
            kind = "text"  # typed as text (format "@"), so that Excel keeps every digit
        columns.append(
            Column(f.key, str(f.label), kind=kind, required=f.required, choices=choices, width=f.width)
        )
    required = "、".join(str(f.label) for f in ledger.fields if f.required)
    note = "\n".join(
        [
            str(ledger.note),
            _("Required columns: %(names)s.") % {"names": required},
            _(
                "Your own ledger can be uploaded as it is: title rows, other column names and names instead of "
                "codes are recognised; what is not is asked for once and remembered."
            ),
            _("Columns and other names they are recognised by:"),
            *(f"{f.label}：{'、'.join(f.synonyms)}" for f in ledger.fields),
        ]
    )
    return build_workbook(str(ledger.title), columns, [], note)


def code_list(user) -> bytes:
    """The divisions of the user's jurisdiction with their codes (townships, villages and communities)."""
    qs = Region.objects.filter(level__gte=3).select_related("parent").order_by("code")
    if user.jurisdiction_code:
        qs = qs.filter(code_prefix_q("code", user.jurisdiction_code))
    columns = [
        Column("code", _("Division code"), width=16),
        Column("name", _("Name"), width=28),
        Column("level", _("Level"), width=8),
        Column("parent", _("Belongs to"), width=28),
    ]
    rows = (
        [r.code, r.name, str(r.get_level_display()), r.parent.name if r.parent else ""] for r in qs.iterator()
    )
    return stream_workbook(_("Division codes"), columns, rows)
