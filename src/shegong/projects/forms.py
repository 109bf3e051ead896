from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.lib.inputs import integer_range
from shegong.lib.uploads import DOCUMENT, UploadField
from shegong.network.picker import StationsField, station_field
from shegong.projects.models import FundingSource, Indicator, ProjectTarget
from shegong.regions.picker import RegionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
# The largest target the column holds.
TARGET_MAX = integer_range(ProjectTarget._meta.get_field("value"))[1]


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Project name"), max_length=150)
    region = RegionField(label=_("Purchaser's division"))
    purchaser = forms.CharField(label=_("Purchaser"), max_length=100)
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    amount = forms.DecimalField(
        label=_("Contract amount (yuan)"), min_value=0.01, max_digits=12, decimal_places=2
    )
    agency = forms.ModelChoiceField(label=_("Undertaking agency"), queryset=None, required=False)
    stations = StationsField(
        label=_("Stations covered"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    start_on = forms.DateField(label=_("Start date"), widget=DATE)
    end_on = forms.DateField(label=_("End date"), widget=DATE)
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)

    def __init__(self, *args, stations, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["stations"], stations, capability=Cap.NETWORK_MANAGE)
        self.fields["agency"].queryset = agencies
        for value, label in Indicator.choices:
            self.fields[f"target_{value}"] = forms.IntegerField(
                label=_("Target: %(indicator)s") % {"indicator": label},
                min_value=0,
                max_value=TARGET_MAX,
                required=False,
            )

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if not (code.isascii() and code.isdigit()):
            raise ValidationError(_("A division code is digits, e.g. 522301."))
        return code

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", _("The project ends before it starts."))
        return data

    def targets(self) -> dict:
        return {value: self.cleaned_data.get(f"target_{value}") for value in Indicator.values}


class MoveForm(forms.Form):
    to_status = forms.CharField(max_length=20)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milestone"), max_length=100)
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    amount = forms.DecimalField(
        label=_("Payment due on meeting it (yuan)"),
        min_value=0.01,
        max_digits=12,
        decimal_places=2,
        required=False,
    )


class MeetForm(forms.Form):
    met_on = forms.DateField(label=_("Met on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PaymentForm(forms.Form):
    milestone = forms.ModelChoiceField(label=_("Milestone"), queryset=None, required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0.01, max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    file = UploadField(label=_("File"), accept=DOCUMENT)
