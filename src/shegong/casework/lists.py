"""The case list (个案) and the service-record list (服务记录): filters and table, declared once and read by the
page, the API and the export (lib/lists.py)."""

import django_filters as f
import django_tables2 as t
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shegong.casework import selectors
from shegong.casework.models import ServiceMode, Stage
from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable, date_range, row_url


class CaseFilters(ListFilterSet):
    region_field = "station__region_id"
    stage = f.ChoiceFilter(label=_("Stage"), choices=Stage.choices, empty_label=_("All stages"))
    state = f.ChoiceFilter(
        label=_("Status"),
        choices=[("open", _("Open")), ("closed", _("Closed"))],
        empty_label=_("Open and closed"),
        method="by_state",
    )
    mine = f.ChoiceFilter(
        label=_("Case worker"),
        choices=[("1", _("My cases"))],
        empty_label=_("All case workers"),
        method="own",
    )

    def by_state(self, qs, name, value):
        return qs.filter(selectors.state_q(value))

    def own(self, qs, name, value):
        return qs.filter(worker=self.user)


class CaseTable(ListTable):
    number = t.Column(_("Case number"), linkify=("casework:case_detail", [t.A("pk")]))
    person = t.Column(_("Person served"), accessor="person__name", order_by="person__pinyin")
    station = t.Column(_("Station"), accessor="station__name", order_by="station__region_id")
    division = t.Column(_("Division code"), accessor="station__region_id", visible=False)
    stage = t.Column(_("Stage"))
    opened_on = t.DateColumn(verbose_name=_("Intake date"), format="Y-m-d")
    worker = t.Column(_("Case worker"), order_by="worker__username")


CASES = ListDefinition(
    "casework.cases", _("Cases"), selectors.case_list, CaseFilters, CaseTable, testid="case-list"
)


class IntegerFilter(f.NumberFilter):
    field_class = forms.IntegerField


class ServiceRecordFilters(ListFilterSet):
    region_field = "station__region_id"
    item = IntegerFilter(label=_("Service item"), field_name="item_id", min_value=1)
    since, until = date_range("served_on")
    mode = f.ChoiceFilter(label=_("Mode"), choices=ServiceMode.choices, empty_label=_("All modes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service menu of the user's jurisdiction (an item id the API may send as a number).
        items = [("", _("All service items"))]
        if self.user is not None and self.user.is_authenticated:
            items += [(i.pk, i.name) for i in selectors.service_item_list(user=self.user, active_only=False)]
        # On the field itself: the schema has built the class's fields already, which each instance copies.
        self.filters["item"].field.widget = forms.Select(choices=items)


class ServiceRecordTable(ListTable):
    id = t.Column(_("Record number"), visible=False)
    served_on = t.DateColumn(verbose_name=_("Date of service"), format="Y-m-d")
    item = t.Column(_("Service item"), accessor="item__name", order_by="item_id")
    # empty_values=(): an individual service has no group name, and its person is rendered instead of "—".
    served = t.Column(_("Person or group"), accessor="group_name", orderable=False, empty_values=())
    participants = t.Column(_("Person-times"))
    duration_minutes = t.Column(_("Duration (minutes)"))
    mode = t.Column(_("Mode"))
    station = t.Column(_("Station"), accessor="station__name", order_by="station__region_id")
    division = t.Column(_("Division code"), accessor="station__region_id", visible=False)
    worker = t.Column(_("Worker"), order_by="worker__username")

    count_in_order = False
    page_fields = (
        "served_on",
        "item",
        "item__name",
        "group_name",
        "person",
        "person__name",
        "participants",
        "duration_minutes",
        "mode",
        "station",
        "station__name",
        "worker",
        "worker__full_name",
        "worker__username",
    )

    def render_served(self, record):
        if record.person_id is None:
            return record.group_name
        url = row_url("clients:person_detail", record.person_id)
        return format_html('<a href="{}">{}</a>', url, record.person.name)

    def value_served(self, record):
        return record.person.name if record.person_id else record.group_name


SERVICE_RECORDS = ListDefinition(
    "casework.services",
    _("Service records"),
    selectors.service_record_list,
    ServiceRecordFilters,
    ServiceRecordTable,
    filename="service-records",
    testid="service-list",
)
