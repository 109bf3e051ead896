"""The one rule for personal data in every output (DOMAIN.md §6, PIPL art. 51 and 等保 level 3: least privilege
and an audit of every access to personal information).

- Pages, API responses and exports show ID numbers and phones **masked**, whoever asks: :func:`mask`,
  :func:`masked`.
- A value in clear is an explicit act of a role that may see personal data (:func:`may_see_clear`, i.e.
  ``Cap.PII_VIEW``): one field revealed through the one reveal view and API action (``core/reveal.py``), or a
  clear export with a stated purpose (用途, :class:`ClearExportForm`).
- Each such act writes one audit row here (:func:`audit_reveal`, :func:`audit_clear_export`): who, when,
  from where, what, how many rows and why.

How values are encrypted and hashed at rest stays in ``lib/pii.py``; this module decides what is shown.
"""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.audit.services import Event, audit_event
from shegong.lib.guard import Refused
from shegong.lib.pii import mask_id_number, mask_phone

# Every protected field name used by a model, and how it is masked.
MASKS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "guardian_phone": mask_phone,
    "caller_phone": mask_phone,
}


def mask(field: str, value: str | None) -> str:
    """The masked form of a protected value: 522301********1234, 138****5678."""
    return MASKS[field](value)


def masked(obj, fields) -> dict[str, str]:
    """The masked values of ``fields`` of ``obj``, for a page, a serializer or an export row."""
    return {field: mask(field, getattr(obj, field, "")) for field in fields}


def may_see_clear(user) -> bool:
    """Whether ``user``'s role may ask for personal data in clear (each time audited)."""
    return user is not None and user.is_authenticated and user.can(Cap.PII_VIEW)


def require_clear(user) -> None:
    if not may_see_clear(user):
        raise Refused(_("Your role may not do this."), capability=Cap.PII_VIEW)


def audit_reveal(*, request, obj, fields, via: str = "page") -> None:
    """One "viewed in clear" row: the record, the fields shown, page or API. The audit officer's filter
    "明文查看" finds it by the ``revealed`` key (audit/selectors.py)."""
    audit_event(event=Event.VIEW, request=request, obj=obj, detail={"revealed": ",".join(fields), "via": via})


def audit_clear_export(
    *, user, what: str, rows: int, purpose: str, request=None, obj=None, filters: dict | None = None
) -> None:
    """One export row for a file with clear ID numbers or phones: who, when, what, how many rows, why (and
    the list's filters, when it was a filtered list)."""
    detail = {"what": what, "rows": rows, "clear_pii": True, "purpose": purpose}
    if filters is not None:
        detail["filters"] = filters
    audit_event(event=Event.EXPORT, request=request, user=user, obj=obj, detail=detail)


class ClearExportForm(forms.Form):
    """The stated purpose (用途) a clear export needs: PIPL processing is purpose-bound, and the auditor reads
    it beside the export."""

    purpose = forms.CharField(
        label=_("Purpose"),
        min_length=4,
        max_length=200,
        help_text=_("Why the file needs ID numbers and phones in clear; written to the audit trail."),
    )

    def clean_purpose(self) -> str:
        return " ".join(self.cleaned_data["purpose"].split())


def clear_export_page(request, form: ClearExportForm, *, heading: str, carry: dict, status: int = 200):
    """The page that asks for the purpose of a clear export, carrying the list's filters as hidden fields."""
    return render(
        request,
        "includes/clear_export.html",
        {"form": form, "heading": heading, "carry": {k: v for k, v in carry.items() if v}},
        status=400 if form.errors else status,
    )
