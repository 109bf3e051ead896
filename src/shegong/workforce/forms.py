"""Forms of the workforce pages. They parse input only: a worker's fields are checked by services.worker_parse,
the function the API and the Excel import use too, and the other rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.network.picker import station_field, station_list
from shegong.regions.picker import RegionField
from shegong.workforce.inputs import AGENCY, CERTIFICATE, WORKER
from shegong.workforce.models import (
    AwardKind,
    CertLevel,
    ExpertKind,
    Indicator,
    TrainingKind,
)
from shegong.workforce.selectors import staffable_facilities
from shegong.workforce.services import certificate_parse, worker_parse


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _blank(choices) -> list:
    return [("", "—"), *choices]


class FacilityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.region.name}）"


class WorkerForm(WORKER.form()):
    """Register or edit a worker (the fields declared in workforce/inputs.py WORKER). Editing never shows the
    stored ID number or phone: the fields start empty, and an empty field keeps what is stored."""

    def __init__(self, *args, agencies, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["agency"].queryset = agencies
        if editing:
            self.fields["id_number"].help_text = _("Leave empty to keep the stored number.")
            self.fields["phone"].help_text = _("Leave empty to keep the stored number.")
        else:
            self.fields["id_number"].required = True
            self.fields["joined_on"].initial = timezone.localdate()
        for name in ("id_number", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        data = {key: self.data.get(key, "") for key in ("name", "id_number", "phone", "major", "note")}
        data.update({key: cleaned.get(key, "") for key in ("education", "employment_type", "post")})
        data["joined_on"] = cleaned.get("joined_on")
        try:
            self.parsed = worker_parse(data, require_id=not self.editing)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned


class WorkerCreateForm(WorkerForm):
    facility = FacilityChoiceField(
        label=_("Station"),
        queryset=None,
        required=False,
        help_text=_("Where the worker works; leave empty for a worker not at a station."),
    )
    region_code = RegionField(
        label=_("Division"),
        required=False,
        help_text=_("For a worker not at a station: the division keeping the file. Defaults to yours."),
    )

    field_order = ["name", "id_number", "phone", "facility", "region_code"]

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["facility"], facilities, source="staffable")


class MoveForm(forms.Form):
    facility = FacilityChoiceField(label=_("New station"), queryset=None)
    start_date = forms.DateField(label=_("Date of the move"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["facility"], facilities, source="staffable")
        self.fields["start_date"].initial = timezone.localdate()


@station_list("staffable")
def _staffable_stations(*, user, of=None):
    """The worker forms' station picker's list: the stations that can take workers, as the views offer."""
    return staffable_facilities(user=user), user.jurisdiction_code


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Date of leaving"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CertificateForm(CERTIFICATE.form()):
    """A certificate: the fields declared in workforce/inputs.py CERTIFICATE, checked by certificate_parse."""

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.parsed = certificate_parse(cleaned)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned


class EducationHoursForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=1000, decimal_places=1)


class AgencyForm(AGENCY.form()):
    """An agency: the fields declared in workforce/inputs.py AGENCY, and the division where it is registered."""

    region_code = RegionField(
        label=_("Division"),
        required=False,
        help_text=_("Where the agency is registered. Defaults to your jurisdiction."),
    )
    field_order = ("name", "credit_code", "region_code")


class StaffingRuleForm(forms.Form):
    region_code = RegionField(label=_("Division"))
    minimum = forms.IntegerField(
        label=_("Minimum full-time workers per station"),
        min_value=0,
        max_value=50,
        required=False,
        help_text=_("Leave empty to remove the rule of this division."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    value = forms.IntegerField(label=_("Target value"), min_value=1, max_value=10_000_000)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Type"), choices=TrainingKind.choices)
    organiser = forms.CharField(label=_("Organiser"), max_length=100)
    region_code = RegionField(
        label=_("Division"),
        required=False,
        help_text=_("The division that held it. Defaults to your jurisdiction."),
    )
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), min_value=0.5, max_value=500, decimal_places=1)
    online = forms.BooleanField(label=_("Online"), required=False)
    outsiders = forms.IntegerField(
        label=_("Other participants (headcount)"), min_value=0, max_value=100000, required=False, initial=0
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AttendanceForm(forms.Form):
    id_number = forms.CharField(label=_("ID number or last four digits"), max_length=30, required=False)
    worker = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AwardRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=AwardKind.choices)
    level = forms.TypedChoiceField(label=_("Certificate level"), choices=CertLevel.choices, coerce=int)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_value=1_000_000, decimal_places=2)
    region_code = RegionField(
        label=_("Division"),
        required=False,
        help_text=_("The region the rule applies in. Defaults to your jurisdiction."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(label=_("Valid to"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class PaymentForm(forms.Form):
    worker = forms.IntegerField(widget=forms.HiddenInput)
    period = forms.CharField(required=False, max_length=7, widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    reference = forms.CharField(label=_("Voucher number"), max_length=60, required=False)


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    kind = forms.ChoiceField(label=_("Role in the pool"), choices=ExpertKind.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    title = forms.CharField(label=_("Professional title"), max_length=50, required=False)
    specialities = forms.CharField(
        label=_("Specialities"),
        max_length=200,
        help_text=_("Separate several with commas, e.g. 儿童, 老年, 督导"),
    )
    region_code = RegionField(
        label=_("Division"),
        required=False,
        help_text=_("Whose pool. Defaults to your jurisdiction."),
    )
    joined_on = forms.DateField(label=_("Joined the pool on"), widget=DateInput())
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
