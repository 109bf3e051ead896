"""The audit trail (审计日志, the audit officer's): filters and table, declared once and read by the page, the
Excel export of lib/lists.py and the CSV export (audit/views.py). Each row reads as audit/presenters.py words it,
a page or an export chunk at a time (its related records named in a few queries)."""

from functools import partialmethod

import django_filters as f
import django_tables2 as t
from auditlog.models import LogEntry
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.audit import selectors
from shegong.audit.presenters import EVENT_LABELS, present_all
from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable


class AuditFilters(ListFilterSet):
    region_field = None  # the audit officer is national
    q = f.CharFilter(label=_("User, object or IP address"), method="search", max_length=100)
    event = f.ChoiceFilter(
        label=_("Event"), choices=list(EVENT_LABELS.items()), empty_label=_("All events"), method="by_event"
    )
    date_from = f.DateFilter(label=_("From"), method="days")
    date_to = f.DateFilter(label=_("To"), method="days")

    def search(self, qs, name, value):
        return qs.filter(selectors.search_q(value))

    def by_event(self, qs, name, value):
        return qs.filter(selectors.event_q(value))

    def days(self, qs, name, value):
        return selectors.between(
            qs, value if name == "date_from" else None, value if name == "date_to" else None
        )


class Presented(t.Column):
    """A cell of the row as the presenter words it."""

    def __init__(self, verbose_name, **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(verbose_name, accessor="pk", **kwargs)

    def render(self, record, table, bound_column):
        return table.presented(record)[bound_column.name]


class AuditTable(ListTable):
    time = Presented(
        _("Time"), orderable=True, order_by=("timestamp", "id"), attrs={"td": {"class": "text-nowrap"}}
    )
    user = Presented(_("User"))
    ip = Presented(_("IP address"))
    event = Presented(_("Event"))
    object_type = Presented(_("Object type"))
    object = Presented(_("Object"))
    changes = Presented(_("Changed fields"), attrs={"td": {"class": "wrap"}})
    outcome = Presented(_("Outcome"))

    def presented(self, record) -> dict:
        """The presented row of ``record``, worded with the other rows of its page."""
        if record.pk not in self.__dict__.setdefault("_presented", {}):
            entries = [row.record for row in self.page.object_list] if hasattr(self, "page") else [record]
            self._presented.update((e.pk, row) for e, row in zip(entries, present_all(entries), strict=True))
        return self._presented[record.pk]

    # The export reads the rows a chunk at a time (lib/lists.py _plain_plan): each column asks for its cells of
    # the chunk (values_<column>, set below for every column), which is worded once.
    plain_export = True

    def _chunk(self, pks, name) -> list[str]:
        if self.__dict__.get("_chunk_pks") != pks:
            entries = LogEntry.objects.select_related("actor", "content_type").in_bulk(pks)
            self._chunk_pks, self._chunk_rows = pks, present_all(entries[pk] for pk in pks)
        return [row[name] for row in self._chunk_rows]


for _column in AuditTable.base_columns:
    setattr(AuditTable, f"values_{_column}", partialmethod(AuditTable._chunk, name=_column))


TRAIL = ListDefinition(
    "audit.trail",
    _("Audit trail"),
    selectors.audit_list,
    AuditFilters,
    AuditTable,
    filename="audit-trail",
    capability=Cap.AUDIT_VIEW,
    testid="audit-table",
)
