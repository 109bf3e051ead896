"""The list of facilities (阵地: 中心、站、室): filters and table, declared once and read by the page, the API
and the export (lib/lists.py)."""

import django_filters as f
import django_tables2 as t
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable
from shegong.network import selectors
from shegong.network.models import FacilityStatus, Kind

KINDS = [("township", _("Township stations (incl. units)")), *Kind.choices]
STATUSES = [
    ("built_or_later", _("Built, operating or suspended")),
    ("open", _("Not closed")),
    *FacilityStatus.choices,
]


class FacilityFilters(ListFilterSet):
    region_on_field = True  # a code beside the jurisdiction is a message on the field, never another list
    kind = f.ChoiceFilter(
        label=_("Level of facility"), choices=KINDS, empty_label=_("All levels"), method="narrow"
    )
    status = f.ChoiceFilter(
        label=_("Status"), choices=STATUSES, empty_label=_("All statuses"), method="narrow"
    )
    q = f.CharFilter(label=_("Name, address or brand"), method="narrow", max_length=30)

    def narrow(self, qs, name, value):
        return selectors.facility_narrow(qs, **{"search" if name == "q" else name: value})


class FacilityTable(ListTable):
    name = t.Column(_("Name"), linkify=("network:facility_detail", [t.A("pk")]))
    kind = t.Column(_("Level of facility"))
    region = t.Column(_("Division"), accessor="region__name", order_by="region_id")
    region_code = t.Column(_("Division code"), accessor="region_id", visible=False)
    status = t.Column(_("Status"))
    status_since = t.DateColumn(verbose_name=_("Since"), format="Y-m-d")
    operating_mode = t.Column(_("Operating mode"))

    def render_region(self, value, record):
        return format_html('{} <span class="text-muted small">{}</span>', value, record.region_id)

    def value_region(self, value):
        return value

    def render_status(self, value, record):
        context = {"status": record.status, "label": value}
        return render_to_string("network/_status_badge.html", context)

    def value_status(self, value):
        return value


FACILITIES = ListDefinition(
    "network.facilities", _("Facilities"), selectors.facility_list, FacilityFilters, FacilityTable
)
