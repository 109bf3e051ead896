"""The list of evaluations (评估): filters and table, declared once and read by the page, the API and the
export (lib/lists.py)."""

import django_filters as f
import django_tables2 as t
from django.utils.translation import gettext_lazy as _

from shegong.evaluations import selectors
from shegong.evaluations.models import EvaluationStatus
from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable, number_column


class EvaluationFilters(ListFilterSet):
    status = f.ChoiceFilter(
        label=_("Status"), choices=EvaluationStatus.choices, empty_label=_("All statuses")
    )


class EvaluationTable(ListTable):
    subject = t.Column(
        _("Evaluated"),
        accessor="subject_name",
        orderable=False,
        linkify=("evaluations:evaluation_detail", [t.A("pk")]),
    )
    system = t.Column(_("Indicator system"), accessor="system__name")
    round = t.Column(_("Round"), accessor="round__name")
    status = t.Column(_("Status"))
    total = number_column(_("Total"))
    grade = t.Column(_("Grade"), attrs={"td": {"class": "text-warning"}})

    def render_grade(self, value):
        return "★" * value

    def value_grade(self, value):
        return value


EVALUATIONS = ListDefinition(
    "evaluations.evaluations",
    _("Evaluations"),
    selectors.evaluation_list,
    EvaluationFilters,
    EvaluationTable,
    testid="evaluation-list",
)
