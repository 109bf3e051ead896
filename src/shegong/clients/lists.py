"""The people list (服务对象名册): filters and table, declared once and read by the page, the API and the export
(lib/lists.py). ID numbers and phones are masked except in the clear export."""

import django_filters as f
import django_tables2 as t
from django import forms
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.clients import selectors
from shegong.clients.models import RISK_BADGES, Category, Person, RiskLevel, VisitMode
from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable, PiiColumn, date_range, row_url


class PersonFilters(ListFilterSet):
    q = f.CharFilter(
        label=_("Name, pinyin initials, last 4 digits of ID or phone"), method="search", max_length=40
    )
    category = f.CharFilter(label=_("Category"), field_name="categories__code", max_length=32)
    risk_level = f.ChoiceFilter(
        label=_("Risk level"), choices=RiskLevel.choices, empty_label=_("All risk levels")
    )
    as_of = f.DateFilter(label=_("On file as of"), method="on_file")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The categories that apply in the user's jurisdiction (a code the API may send as text).
        codes = [("", _("All categories"))]
        if self.user is not None and self.user.is_authenticated:
            codes += [(c.code, c.name) for c in selectors.category_list(user=self.user)]
        # On the field itself: the schema has built the class's fields already, which each instance copies.
        self.filters["category"].field.widget = forms.Select(choices=codes)

    def search(self, qs, name, value):
        return qs.filter(selectors.person_search_q(value))

    def on_file(self, qs, name, value):
        return qs  # applied in filter_queryset: it replaces "open files only"

    def filter_queryset(self, queryset):
        as_of = self.form.cleaned_data.get("as_of")
        return super().filter_queryset(
            queryset.filter(selectors.on_file_q(as_of) if as_of else Q(active=True))
        )


class PersonTable(ListTable):
    name = t.Column(
        _("Name of the person"), linkify=("clients:person_detail", [t.A("pk")]), order_by="pinyin"
    )
    id_number = PiiColumn("id_number", verbose_name=_("ID number"))
    sex = t.Column(_("Sex"), visible=False)
    birth_date = t.DateColumn(verbose_name=_("Date of birth"), format="Y-m-d", visible=False)
    phone = PiiColumn("phone", verbose_name=_("Phone"), visible=False)
    division = t.Column(_("Division code"), accessor="region_id", visible=False)
    village = t.Column(_("Village or community"), accessor="region__name", order_by="region_id")
    address = t.Column(_("Address"), visible=False)
    categories = t.Column(_("Categories"), accessor="pk", orderable=False)
    risk_level = t.Column(_("Risk level"))
    risk_reason = t.Column(_("Reason for the risk level"), visible=False)
    visit_every_days = t.Column(_("Visit frequency"), visible=False)
    last_visit_on = t.DateColumn(verbose_name=_("Last visit"), format="Y-m-d", visible=False)
    visit = t.Column("", accessor="pk", orderable=False, exclude_from_export=True)

    def render_categories(self, record):
        badge = '<span class="badge text-bg-light border">{}</span> '
        return format_html_join("", badge, ((c.name,) for c in record.categories.all()))

    # The export reads rows as tuples (lib/lists.py _plain_plan); the badge is the page's only.
    plain_export = True
    plain_columns = ("risk_level",)
    page_fields = ("name", "id_number", "region", "region__name", "risk_level")

    def value_categories(self, record):
        return "、".join(c.name for c in record.categories.all())

    def values_categories(self, pks) -> list[str]:
        """The categories of a chunk of people, in one query (the export: value_categories per row)."""
        names: dict = {}
        ordering = [f"category__{field}" for field in Category._meta.ordering]
        through = Person.categories.through.objects.filter(person_id__in=set(pks))
        for person, name in through.order_by(*ordering, "category_id").values_list(
            "person_id", "category__name"
        ):
            names.setdefault(person, []).append(name)
        return ["、".join(names.get(pk, ())) for pk in pks]

    def render_risk_level(self, value, record):
        css = RISK_BADGES.get(record.risk_level, "text-bg-secondary")
        return format_html('<span class="badge {}">{}</span>', css, value)

    def value_risk_level(self, value):
        return value  # the label, without the page's badge

    def render_visit(self, record):
        request = getattr(self, "request", None)
        if request is None or not request.user.can(Cap.DATA_EDIT):
            return ""
        url = row_url("clients:visit_create", record.pk)
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>', url, _("Record visit")
        )


def _people(*, user):
    return selectors.person_list(user=user, active=None).prefetch_related("categories")


PEOPLE = ListDefinition(
    "clients.people", _("People served"), _people, PersonFilters, PersonTable, testid="person-list"
)


class VisitFilters(ListFilterSet):
    region_field = "region_id"  # ?region= narrows by the visit's own village, the column the scoping reads
    mode = f.ChoiceFilter(label=_("Mode"), choices=VisitMode.choices, empty_label=_("All modes"))
    visited_from, visited_to = date_range("visited_on")


class VisitTable(ListTable):
    visited_on = t.DateColumn(verbose_name=_("Date of visit"), format="Y-m-d")
    person = t.Column(
        _("Person served"),
        accessor="person__name",
        linkify=("clients:person_detail", [t.A("person_id")]),
        order_by="person__pinyin",
    )
    village = t.Column(
        _("Village or community"), accessor="person__region__name", order_by="person__region_id"
    )
    mode = t.Column(_("Mode"))
    visitor = t.Column(_("Visitor"))
    findings = t.Column(_("Findings"), orderable=False)

    def render_findings(self, value):
        return Truncator(value).chars(80)


VISITS = ListDefinition("clients.visits", _("Visits"), selectors.visit_list, VisitFilters, VisitTable)
