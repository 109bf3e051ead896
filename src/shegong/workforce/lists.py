"""The worker registry's list (社工名册): filters and table, declared once and read by the page, the API and the
export (lib/lists.py). ID numbers and phones are masked except in the clear export."""

import django_filters as f
import django_tables2 as t
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable, PiiColumn, row_url
from shegong.workforce import selectors, selectors_awards
from shegong.workforce.models import CertLevel, EmploymentType, ExpertKind, Rating, TrainingKind, WorkerStatus


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
    "workforce.workers", _("Social workers"), selectors.worker_list, WorkerFilters, WorkerTable
)


class AgencyFilters(ListFilterSet):
    q = f.CharFilter(label=_("Name or credit code"), method="search", max_length=30)
    rating = f.ChoiceFilter(
        label=_("Rating"),
        choices=[*Rating.choices, ("none", _("Not rated"))],
        empty_label=_("All ratings"),
        method="rated",
    )

    def search(self, qs, name, value):
        return qs.filter(selectors.agency_search_q(value))

    def rated(self, qs, name, value):
        return qs.filter(rating="" if value == "none" else value)


class AgencyTable(ListTable):
    name = t.Column(_("Name"), linkify=("workforce:agency_detail", [t.A("pk")]))
    credit_code = t.Column(_("Unified social credit code"), attrs={"td": {"class": "font-monospace"}})
    region = t.Column(_("Registered in"), accessor="region__name", order_by="region_id")
    rating = t.Column(_("Rating"))
    rating_year = t.Column(_("Rating year"))
    staff_count = t.Column(_("Staff"))
    worker_count = t.Column(_("Workers registered"))


AGENCIES = ListDefinition(
    "workforce.agencies", _("Social work agencies"), selectors.agency_list, AgencyFilters, AgencyTable
)


class TrainingFilters(ListFilterSet):
    kind = f.ChoiceFilter(label=_("Type"), choices=TrainingKind.choices, empty_label=_("All types"))
    year = f.NumberFilter(
        label=_("Year"), field_name="held_on", lookup_expr="year", min_value=2000, max_value=2100
    )


class TrainingTable(ListTable):
    held_on = t.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    title = t.Column(_("Title"), linkify=("workforce:training_detail", [t.A("pk")]))
    kind = t.Column(_("Type"))
    organiser = t.Column(_("Organiser"))
    region = t.Column(_("Division"), accessor="region__name", order_by="region_id")
    hours = t.Column(_("Hours"))
    online = t.BooleanColumn(verbose_name=_("Online"), yesno=(_("yes"), _("no")))
    person_times = t.Column(_("Person-times"), accessor="attendees", orderable=False)

    def render_person_times(self, value, record):
        return value + record.outsiders

    def value_person_times(self, value, record):
        return value + record.outsiders


TRAININGS = ListDefinition(
    "workforce.training",
    _("Training sessions"),
    selectors.training_list,
    TrainingFilters,
    TrainingTable,
    testid="sessions",
)


class ExpertFilters(ListFilterSet):
    q = f.CharFilter(label=_("Name, speciality or organisation"), method="search", max_length=30)
    kind = f.ChoiceFilter(
        label=_("Role in the pool"), choices=ExpertKind.choices, empty_label=_("Experts and supervisors")
    )

    def search(self, qs, name, value):
        return qs.filter(selectors_awards.expert_search_q(value))


class ExpertTable(ListTable):
    name = t.Column(_("Name of the person"))
    kind = t.Column(_("Role in the pool"))
    specialities = t.Column(_("Specialities"))
    organisation = t.Column(_("Organisation"))
    title = t.Column(_("Professional title"))
    region = t.Column(_("Pool of"), accessor="region__name", order_by="region_id")
    active = t.BooleanColumn(verbose_name=_("Active"), yesno=(_("yes"), _("no")))
    edit = t.Column("", empty_values=(), orderable=False, exclude_from_export=True)

    def render_specialities(self, record):
        return format_html_join(
            " ", '<span class="badge text-bg-light">{}</span>', ((s,) for s in record.speciality_list)
        )

    def render_edit(self, record):
        request = getattr(self, "request", None)
        if request is None or not request.user.can(Cap.DATA_EDIT):
            return ""
        return format_html('<a href="{}">{}</a>', row_url("workforce:expert_edit", record.pk), _("Edit"))


EXPERTS = ListDefinition(
    "workforce.experts",
    _("Expert and supervisor pool"),
    selectors_awards.expert_list,
    ExpertFilters,
    ExpertTable,
)
