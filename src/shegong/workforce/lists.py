"""The worker registry's list (社工名册): filters and table, declared once and read by the page, the API and the
export (lib/lists.py). ID numbers and phones are masked except in the clear export."""

import django_filters as f
import django_tables2 as t
from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable, PiiColumn
from shegong.workforce import selectors
from shegong.workforce.models import CertLevel, EmploymentType, WorkerStatus


class WorkerFilters(ListFilterSet):
    q = f.CharFilter(label=_("Name, ID number, phone or last four digits"), method="search", max_length=30)
    status = f.ChoiceFilter(label=_("Status"), choices=WorkerStatus.choices, empty_label=_("All statuses"))
    employment_type = f.ChoiceFilter(
        label=_("Employment type"), choices=EmploymentType.choices, empty_label=_("All employment types")
    )
    level = f.ChoiceFilter(
        label=_("Certificate level"),
        choices=[(str(v), label) for v, label in CertLevel.choices] + [("none", _("Not certified"))],
        empty_label=_("All levels"),
        method="by_level",
    )
    station = f.NumberFilter(field_name="facility_id", widget=forms.HiddenInput)  # the API's ?station=

    def search(self, qs, name, value):
        return qs.filter(selectors.worker_search(value))

    def by_level(self, qs, name, value):
        return (
            qs.filter(current_level__isnull=True) if value == "none" else qs.filter(current_level=int(value))
        )


class WorkerTable(ListTable):
    name = t.Column(_("Name"), linkify=("workforce:worker_detail", [t.A("pk")]))
    id_number = PiiColumn("id_number", verbose_name=_("ID number"))
    phone = PiiColumn("phone", verbose_name=_("Phone"))
    education = t.Column(_("Education"), visible=False)
    major = t.Column(_("Major"), visible=False)
    station = t.Column(_("Station"), accessor="facility_name", empty_values=())
    division = t.Column(_("Division code"), accessor="region_id", visible=False)
    employment_type = t.Column(_("Employment type"))
    post = t.Column(_("Post"))
    current_level = t.Column(_("Certificate level"), accessor="current_level_label", order_by="current_level")
    status = t.Column(_("Status"))

    def render_station(self, value, record):
        return value or record.region.name


WORKERS = ListDefinition(
    "workforce.workers",
    _("Social workers"),
    selectors.worker_list,
    WorkerFilters,
    WorkerTable,
    filename="workers",
    testid="workers",
)
