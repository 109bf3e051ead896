from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.hotline.models import Category, Channel, Outcome, Urgency
from shegong.lib.pii import phone_normalise
from shegong.network.picker import station_field
from shegong.regions.picker import RegionField

TEXT = forms.Textarea(attrs={"rows": 3})


class TicketForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    caller_name = forms.CharField(label=_("Caller"), max_length=50, required=False)
    caller_phone = forms.CharField(label=_("Caller's phone"), max_length=30, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        help_text=_("Crisis calls always get the crisis deadlines."),
    )
    summary = forms.CharField(label=_("What the caller asked"), widget=TEXT, max_length=4000)
    region = RegionField(
        label=_("Division"),
        help_text=_("The township or village the request concerns, or your own jurisdiction."),
    )
    station = forms.ModelChoiceField(label=_("Assign to station"), queryset=None, required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations)
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if not (code.isascii() and code.isdigit()):
            raise ValidationError(_("A division code is digits, e.g. 522301001."))
        return code

    def clean_caller_phone(self):
        value = self.cleaned_data["caller_phone"].strip()
        return phone_normalise(value) if value else ""


class AssignForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station"), queryset=None)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=TEXT, max_length=4000)


class LinkForm(forms.Form):
    id_number = forms.CharField(
        label=_("ID number of the person"),
        max_length=18,
        help_text=_("The person's file must exist in your jurisdiction."),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Outcome note"), widget=TEXT, required=False, max_length=4000)


class DeadlineForm(forms.Form):
    region = RegionField(label=_("Division"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    respond_hours = forms.IntegerField(label=_("Respond within (hours)"), min_value=1, max_value=24 * 30)
    resolve_hours = forms.IntegerField(label=_("Resolve within (hours)"), min_value=1, max_value=24 * 365)
