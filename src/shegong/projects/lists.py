"""The list of government-purchased service projects (政府购买服务项目): filters and table, declared once and read
by the page, the API and the export (lib/lists.py)."""

import django_filters as f
import django_tables2 as t
from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable, number_column
from shegong.projects import selectors
from shegong.projects.workflow import PurchaseStatus


class ProjectFilters(ListFilterSet):
    status = f.ChoiceFilter(label=_("Status"), choices=PurchaseStatus.choices, empty_label=_("All statuses"))
    q = f.CharFilter(label=_("Project, purchaser or agency"), method="by_text", max_length=40)
    search = f.CharFilter(method="by_text", max_length=40, widget=forms.HiddenInput)  # the API's older name

    def by_text(self, qs, name, value):
        return qs.filter(selectors.project_search_q(value))


class ProjectTable(ListTable):
    name = t.Column(_("Project name"), linkify=("projects:project_detail", [t.A("pk")]))
    purchaser = t.Column(_("Purchaser"))
    agency = t.Column(_("Undertaking agency"), accessor="agency__name")
    start_on = t.DateColumn(verbose_name=_("From"), format="Y-m-d")
    end_on = t.DateColumn(verbose_name=_("To"), format="Y-m-d")
    amount = number_column(_("Contract amount (yuan)"))
    paid = number_column(_("Paid (yuan)"), default=0)
    status = t.Column(_("Status"))


PROJECTS = ListDefinition(
    "projects.projects",
    _("Government-purchased service projects"),
    selectors.project_list,
    ProjectFilters,
    ProjectTable,
    testid="project-list",
)
