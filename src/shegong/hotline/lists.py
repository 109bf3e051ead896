"""The hotline's ticket list (热线工单): filters and table, declared once and read by the page, the API and the
export (lib/lists.py). The caller's phone is masked except in the clear export."""

import django_filters as f
import django_tables2 as t
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from shegong.hotline import selectors
from shegong.hotline.models import Category, TicketStatus
from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable, PiiColumn

FLAGS = [("open", _("Open")), ("late", _("Past a deadline")), ("crisis", _("Crises awaiting action"))]


class TicketFilters(ListFilterSet):
    status = f.ChoiceFilter(label=_("Status"), choices=TicketStatus.choices, empty_label=_("All statuses"))
    category = f.ChoiceFilter(label=_("Category"), choices=Category.choices, empty_label=_("All categories"))
    flag = f.ChoiceFilter(label=_("Show"), choices=FLAGS, empty_label=_("All tickets"), method="flagged")
    q = f.CharFilter(label=_("Caller, content or last 4 digits"), method="search", max_length=40)

    def flagged(self, qs, name, value):
        return qs.filter(selectors.ticket_flag_q(value))

    def search(self, qs, name, value):
        return qs.filter(selectors.ticket_search_q(value))


class TicketTable(ListTable):
    number = t.Column(_("Ticket"), linkify=("hotline:ticket_detail", [t.A("pk")]))
    received_at = t.DateTimeColumn(verbose_name=_("Received at"), format="Y-m-d H:i")

    def value_received_at(self, value):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones

    caller_name = t.Column(_("Caller"), visible=False)
    caller_phone = PiiColumn("caller_phone", verbose_name=_("Phone"), visible=False)
    summary = t.Column(_("Content"), orderable=False)
    category = t.Column(_("Category"))
    urgency = t.Column(_("Urgency"))
    station = t.Column(_("Station"), accessor="station__name")
    status = t.Column(_("Status"))
    respond_by = t.DateTimeColumn(verbose_name=_("Respond by"), format="m-d H:i")

    class Meta:
        row_attrs = {"class": lambda record: "table-danger" if record.flagged else ""}

    def render_number(self, value, record):
        badge = (
            format_html(' <span class="badge text-bg-danger">{}</span>', _("Crisis"))
            if record.flagged
            else ""
        )
        return format_html("{}{}", value, badge)

    def value_number(self, value):
        return value

    def render_summary(self, value):
        return Truncator(value).chars(24)

    def value_summary(self, value):
        return value

    def render_respond_by(self, value, record):
        shown = date_format(timezone.localtime(value), "m-d H:i")
        if record.acted_at or not record.response_late():
            return shown
        return format_html('{} <span class="badge text-bg-warning">{}</span>', shown, _("Late"))

    def value_respond_by(self, value):
        return timezone.localtime(value).replace(tzinfo=None)


TICKETS = ListDefinition(
    "hotline.tickets",
    _("Hotline tickets"),
    selectors.ticket_list,
    TicketFilters,
    TicketTable,
    testid="ticket-list",
)
