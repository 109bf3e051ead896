from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.casework.inputs import CASE_OPEN, CASE_RECORD, SERVICE_RECORD
from shegong.casework.models import (
    NEED_DOMAINS,
    ContactMode,
    Group,
    Stage,
)
from shegong.casework.selectors import case_get, referral_targets
from shegong.clients.selectors import person_list
from shegong.lib.forms import as_ids
from shegong.lib.inputs import DATE
from shegong.network.picker import station_field, station_list


class CaseOpenForm(CASE_OPEN.form()):
    """A case opened: the fields declared in casework/inputs.py CASE_OPEN."""

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations, default=True)


def _record(*names: str):
    """A stage's form: its fields of the case record declared in casework/inputs.py CASE_RECORD."""
    return CASE_RECORD.only(*names).form()


class IntakeForm(
    _record("source", "presenting_problem", "agreement_signed", "closure_reason", "closure_summary")
):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # At intake the closure is the refusal's: the same fields under the question the worker is asked.
        self.fields["closure_reason"].label = _("If not accepted: reason")
        self.fields["closure_summary"].label = _("If not accepted: summary")


class AssessmentForm(_record("strengths", "problem_statement", "assessment_report")):
    def __init__(self, *args, **kwargs):
        initial = kwargs.get("initial") or {}
        needs = initial.get("needs") or {}
        for key, _label in NEED_DOMAINS:
            initial.setdefault(f"need_{key}", needs.get(key, ""))
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for key, label in NEED_DOMAINS:
            self.fields[f"need_{key}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        order = [f"need_{k}" for k, _l in NEED_DOMAINS] + [
            "strengths",
            "problem_statement",
            "assessment_report",
        ]
        self.order_fields(order)

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("need_")}
        data["needs"] = {key: self.cleaned_data.get(f"need_{key}", "") for key, _l in NEED_DOMAINS}
        return data


class PlanForm(_record("plan_goals", "plan_actions", "plan_timetable")):
    pass


class EvaluationForm(_record("attainment", "evaluation_report", "closure_reason", "closure_summary")):
    pass


STAGE_FORMS = {
    Stage.INTAKE: IntakeForm,
    Stage.ASSESSMENT: AssessmentForm,
    Stage.PLAN: PlanForm,
    Stage.EVALUATION: EvaluationForm,
}


def stage_form(case, data=None):
    form_class = STAGE_FORMS.get(case.stage)
    if form_class is None:
        return None
    initial = {name: getattr(case, name) for name in form_class.base_fields}
    if case.stage == Stage.ASSESSMENT:
        initial["needs"] = case.needs
    return form_class(data, initial=initial)


def service_fields(form) -> dict:
    if hasattr(form, "service_fields"):
        return form.service_fields()
    return dict(form.cleaned_data)


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices)
    note = forms.CharField(max_length=500, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    mode = forms.ChoiceField(label=_("Mode"), choices=ContactMode.choices)
    content = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    resources = forms.CharField(label=_("Resources linked"), max_length=200, required=False)


class TransferForm(forms.Form):
    station = forms.ModelChoiceField(label=_("To station"), queryset=None)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations)


class ReferralForm(forms.Form):
    to_station = forms.ModelChoiceField(label=_("To station"), queryset=None, required=False)
    to_department = forms.CharField(
        label=_("Or to a department"),
        max_length=100,
        required=False,
        help_text=_("e.g. 残联, 妇联, a school"),
    )
    reason = forms.CharField(label=_("Reason for referral"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, stations, case, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["to_station"], stations, source="referral", of=case.pk)


@station_list("referral")
def _referral_stations(*, user, of):
    """The referral picker's list: the case's referral targets, browsed from its county."""
    case = case_get(user=user, pk=of, capability=Cap.DATA_EDIT)
    return referral_targets(user=user, case=case), case.station.region_id[:6]


class ReferralAnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    note = forms.CharField(label=_("Answer"), max_length=500, required=False)


class ServiceRecordForm(SERVICE_RECORD.form()):
    """A service to one person or to a group. Opened from a person's file the person is fixed (shown by name
    above the form); otherwise the worker types a name, pinyin initials or the last 4 of the ID number, which
    ``clean`` resolves within the user's jurisdiction — a text box works on a phone where a select of every
    file in a county would not."""

    # The record's own fields are declared in casework/inputs.py SERVICE_RECORD; the person is looked up here.
    person = forms.CharField(
        label=_("Person served"),
        max_length=40,
        required=False,
        help_text=_("Name, pinyin initials or the last 4 digits of the ID number; leave empty for a group."),
    )
    # The people picked in the person picker (static/shegong/fieldwork.js): ids, comma-separated. Several
    # people make a group service recorded once per person (one person-time each).
    people = forms.CharField(required=False, widget=forms.HiddenInput)

    # Who is served comes first: it is what the worker knows when they open the form.
    field_order = ["person", "group_name", "participants", "item", "served_on", "station", "people"]

    def __init__(self, *args, stations, items, user, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations, default=True)
        self.fields["item"].queryset = items
        self.user, self.fixed_person = user, person
        if "person" in self.fields:
            self.fields["person"].widget.attrs.update(
                {"data-person-picker": reverse("clients:person_pick"), "autocomplete": "off"}
            )
            self.fields["person"].help_text = _(
                "Name, pinyin initials or the last 4 digits of the ID number; pick one or several people, "
                "or leave empty for a group without files."
            )
        if person is not None:
            # The person is named above the form; a box to type another would only invite a mistake, and a
            # service to one person is one person-time with no group.
            del self.fields["person"]
            self.fields["group_name"].widget = forms.HiddenInput()
            self.fields["participants"].widget = forms.HiddenInput()

    def clean_person(self):

        term = self.cleaned_data["person"].strip()
        if not term or (self.data.get("people") or "").strip():
            return None
        matches = person_list(user=self.user, search=term, capability=Cap.DATA_EDIT)
        # A whole name typed wins over the longer names that start with it (张三 over 张三丰).
        for candidates in (matches.filter(name=term), matches):
            found = list(candidates[:2])
            if len(found) == 1:
                return found[0]
        if not found:
            raise forms.ValidationError(
                _("No file in your jurisdiction matches “%(term)s”."), params={"term": term}
            )
        raise forms.ValidationError(
            _("Several files match “%(term)s”; type the whole name or the last 4 digits of the ID number."),
            params={"term": term},
        )

    def clean_people(self):

        ids = as_ids(self.cleaned_data.get("people"), most=200)
        if ids is None:
            raise forms.ValidationError(_("Pick the people served from the list."))
        if not ids:
            return []
        wanted = set(ids)
        found = list(person_list(user=self.user, capability=Cap.DATA_EDIT).filter(pk__in=wanted))
        if len(found) != len(wanted):
            raise forms.ValidationError(_("Some of the people picked are not in your jurisdiction."))
        return found

    def clean(self):
        data = super().clean()
        people = data.get("people") or []
        if self.has_error("people"):
            return data
        if self.fixed_person is None and len(people) == 1:
            data["person"] = people[0]
            data["people"] = []
        data["person"] = self.fixed_person or data.get("person")
        if self.fixed_person is not None:
            data["people"] = []
        if data.get("people"):
            data["person"] = None
            return data
        if (
            data["person"] is None
            and not (data.get("group_name") or "").strip()
            and not self.has_error("person")
        ):
            message = _("Give the person served, or a group and its person-times.")
            self.add_error(None, message)
            if "person" in self.fields:
                self.add_error("person", message)
        return data


class ServiceItemForm(forms.Form):
    group = forms.ChoiceField(label=_("Group served"), choices=Group.choices)
    name = forms.CharField(label=_("Service item"), max_length=50)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
