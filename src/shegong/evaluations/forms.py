from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.evaluations.models import Subject
from shegong.network.picker import station_field
from shegong.regions.picker import RegionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class SystemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    subject = forms.ChoiceField(label=_("What it evaluates"), choices=Subject.choices)
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)


class DimensionForm(forms.Form):
    name = forms.CharField(label=_("Dimension"), max_length=50)


class IndicatorForm(forms.Form):
    dimension = forms.ModelChoiceField(label=_("Dimension"), queryset=None)
    name = forms.CharField(label=_("Indicator"), max_length=100)
    points = forms.DecimalField(label=_("Points"), min_value=0.1, max_digits=6, decimal_places=1)
    notes = forms.CharField(label=_("Scoring notes"), widget=TEXT, required=False)

    def __init__(self, *args, system, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = system.dimensions.all()


class StartForm(forms.Form):
    system = forms.ModelChoiceField(label=_("Indicator system"), queryset=None)
    facility = forms.ModelChoiceField(label=_("Station"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)

    def __init__(self, *args, systems, stations, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems
        station_field(self.fields["facility"], stations, capability=Cap.NETWORK_MANAGE)
        self.fields["project"].queryset = projects

    def clean(self):
        data = super().clean()
        if bool(data.get("facility")) == bool(data.get("project")):
            raise forms.ValidationError(_("Choose a station or a project, not both."))
        return data


class FinaliseForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=TEXT)
    shortcomings = forms.CharField(label=_("Shortcomings"), widget=TEXT, required=False)


class RectificationForm(forms.Form):
    text = forms.CharField(label=_("What must be rectified"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=DATE)


class CloseItemForm(forms.Form):
    note = forms.CharField(label=_("How it was rectified"), max_length=300)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Round"), max_length=100)
    system = forms.ModelChoiceField(label=_("Indicator system"), queryset=None)
    region = RegionField(
        label=_("Division"), help_text=_("Usually a county: every built station in it is evaluated.")
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE)

    def __init__(self, *args, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems
