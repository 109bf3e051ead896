"""Forms of the network pages. They parse input only; the rules live in services.facility_validate and the
other services, which the views call."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.lib.uploads import DOCUMENT, PHOTO, UploadField, WorkbookUploadForm
from shegong.network.inputs import FACILITY
from shegong.network.models import (
    Facility,
    FacilityStatus,
    HonourKind,
    Indicator,
    Result,
)
from shegong.network.services import FACILITY_DETAIL_FIELDS
from shegong.network.workflow import FACILITY_WORKFLOW
from shegong.regions.picker import RegionField


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.CheckboxInput | forms.ClearableFileInput):
                widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FacilityDetailsForm(BootstrapMixin, forms.ModelForm, FACILITY.only(*FACILITY_DETAIL_FIELDS).form()):
    """A facility's details: the fields declared in network/inputs.py FACILITY (over the model's own)."""

    class Meta:
        model = Facility
        fields = FACILITY_DETAIL_FIELDS


class FacilityCreateForm(
    FacilityDetailsForm, FACILITY.only("kind", "status", "status_date", "built_on").form()
):
    region_code = RegionField(label=_("Division"), help_text=_("The division the facility serves."))

    class Meta(FacilityDetailsForm.Meta):
        fields = ("kind", "name", *FACILITY_DETAIL_FIELDS)

    field_order = ["kind", "region_code", "name", "status", "status_date", "built_on"]

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("A division code is digits only."))
        return code


class StatusChangeForm(BootstrapMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=FacilityStatus.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, facility: Facility | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if facility is not None:
            # The dropdown offers only the allowed moves, but any known status passes the form, so that a
            # forged move reaches the service and its clear message ("a facility that is … cannot become …")
            # instead of Django's "building is not one of the choices".
            self.fields["to_status"].widget.choices = FACILITY_WORKFLOW.choices(facility, actor=None)
        self.fields["on"].initial = timezone.localdate()


class PhotoForm(BootstrapMixin, forms.Form):
    file = UploadField(label=_("Photo"), accept=PHOTO)
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)


class ChecklistForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    items = forms.CharField(
        label=_("Items"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One item per line."),
    )

    def clean_items(self):
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class AssessmentForm(BootstrapMixin, forms.Form):
    """A result, note and evidence file for every item of the checklist, plus the date and a note."""

    assessed_on = forms.DateField(label=_("Assessment date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        self.items = list(checklist.items.all())
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=Result.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"),
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"evidence_{item.pk}"] = UploadField(
                label=_("Evidence"), accept=DOCUMENT, required=False
            )

    def rows(self):
        return [
            (item, self[f"result_{item.pk}"], self[f"note_{item.pk}"], self[f"evidence_{item.pk}"])
            for item in self.items
        ]

    def results(self) -> dict[int, dict]:
        return {
            item.pk: {
                "result": self.cleaned_data[f"result_{item.pk}"],
                "note": self.cleaned_data[f"note_{item.pk}"],
                "evidence": self.cleaned_data.get(f"evidence_{item.pk}"),
            }
            for item in self.items
        }


class HonourForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Honour"), choices=HonourKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    awarded_on = forms.DateField(label=_("Date awarded"), widget=DateInput(), required=False)
    issuer = forms.CharField(label=_("Issuing body"), max_length=100)
    document_no = forms.CharField(label=_("Document number"), max_length=60, required=False)


class TargetForm(BootstrapMixin, forms.Form):
    region_code = RegionField(label=_("Division"))
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    value = forms.DecimalField(label=_("Target value"), max_digits=9, decimal_places=1, min_value=0)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput(), initial=dt.date(2025, 12, 31))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class UploadForm(BootstrapMixin, WorkbookUploadForm):
    """The import's upload: lib/uploads.py checks the file (an .xlsx by its content, its size, its bounds)."""
