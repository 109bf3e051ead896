"""What a user gives for a service record (服务记录) and for a case (个案: opened, then its record): one
declaration each, from which the page's forms (forms.py), the API's inputs (api.py) and the service ledger's
columns (ledgers.py) take their labels and limits (lib/inputs.py). The rules are the services'
(service_record_create, case_open, case_update)."""

from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shegong.casework.models import Case, ServiceRecord
from shegong.lib.inputs import DATE, In, Input


def _chosen(source: str) -> dict:
    """A station or an item: chosen from a list on the page (set by the view), its id on the API."""
    return {
        "form": partial(forms.ModelChoiceField, queryset=None),
        "api": partial(serializers.IntegerField, source=source),
    }


TEXT = forms.Textarea(attrs={"rows": 3})

SERVICE_RECORD = Input(
    ServiceRecord,
    station=In(_("Station"), **_chosen("station_id")),
    served_on=In(_("Date of service"), widget=DATE, initial=timezone.localdate),
    item=In(_("Service item"), **_chosen("item_id")),
    group_name=In(_("Group"), help_text=_("For a group activity, instead of a person.")),
    # 1 to 100,000 person-times on the page, the API and the ledger (the API took any number before the
    # declaration; it now refuses what the page refused). Left out on the API, one, as before.
    participants=In(_("Person-times"), min_value=1, max_value=100_000, api={"required": False, "default": 1}),
    duration_minutes=In(_("Duration (minutes)"), min_value=1, max_value=1440, initial=60),
    # Required on the page and the API. The service ledger's column is optional on purpose (ledgers.py): a
    # paper ledger seldom has a mode column, and an empty cell takes the mode the row implies (home for a
    # person, at the station for a group).
    mode=In(_("Mode")),
    # What was done, in a few lines: a box that grows on a phone, not one line scrolling sideways.
    note=In(_("Note"), widget=forms.Textarea(attrs={"rows": 2})),
)

# A case (个案): opened with its first five fields, then each stage's record (接案, 预估, 计划, 评估, 结案) on the
# stage's page and through the API's PATCH. The presenting problem takes 4,000 characters wherever it is written:
# the case opened took 4,000, the intake page and the PATCH took any length before this declaration.
CASE = Input(
    Case,
    station=In(
        _("Station"), form=partial(forms.ModelChoiceField, queryset=None), api=serializers.IntegerField
    ),
    source=In(_("Source")),
    # The page proposes today; the API takes today when it is left out (case_open's default).
    opened_on=In(_("Intake date"), widget=DATE, initial=timezone.localdate, api={"required": False}),
    presenting_problem=In(_("Presenting problem"), max_length=4000, widget=TEXT),
    agreement_signed=In(_("Service agreement signed"), api={"default": False}),
    # The page asks for each domain in a box of its own (forms.AssessmentForm); the API sends them as one object.
    needs=In(
        _("needs by domain"),
        form=False,
        api=lambda **kw: serializers.DictField(child=serializers.CharField(allow_blank=True), **kw),
    ),
    strengths=In(_("Strengths"), widget=TEXT),
    problem_statement=In(_("Problem statement"), widget=TEXT),
    assessment_report=In(_("Assessment report"), widget=TEXT),
    plan_goals=In(_("Goals"), widget=TEXT),
    plan_actions=In(_("Strategies and actions"), widget=TEXT),
    plan_timetable=In(_("Timetable"), widget=TEXT),
    attainment=In(_("Goal attainment")),
    evaluation_report=In(_("Evaluation report"), widget=TEXT),
    closure_reason=In(_("Reason for closure")),
    closure_summary=In(_("Closing summary"), widget=TEXT),
)

CASE_OPEN = CASE.only("station", "source", "opened_on", "presenting_problem", "agreement_signed")

# The case record (个案记录) a stage's page and the API's PATCH write: the same fields, each optional on the API
# (a PATCH writes what it is given; a field left out keeps its value, never a default). casework.services.
# case_update refuses the fields of another stage.
CASE_RECORD = CASE.only(
    "source",
    "presenting_problem",
    "agreement_signed",
    "needs",
    "strengths",
    "problem_statement",
    "assessment_report",
    "plan_goals",
    "plan_actions",
    "plan_timetable",
    "attainment",
    "evaluation_report",
    "closure_reason",
    "closure_summary",
).but(
    source={"api": {"required": False}},
    presenting_problem={"api": {"required": False}},
    agreement_signed={"api": {"required": False}},
)
