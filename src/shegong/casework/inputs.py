"""What a user gives for a service record (服务记录) and for a case opened (个案): one declaration each, from
which the page's form (forms.py), the API's input (api.py) and the service ledger's columns (ledgers.py) take
their labels and limits (lib/inputs.py). The rules are the services' (service_record_create, case_open)."""

import datetime as dt
from functools import partial

from django import forms
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


SERVICE_RECORD = Input(
    ServiceRecord,
    station=In(_("Station"), **_chosen("station_id")),
    served_on=In(_("Date of service"), widget=DATE, initial=dt.date.today),
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
    note=In(_("Note")),
)

CASE_OPEN = Input(
    Case,
    station=In(
        _("Station"), form=partial(forms.ModelChoiceField, queryset=None), api=serializers.IntegerField
    ),
    source=In(_("Source")),
    # The page proposes today; the API takes today when it is left out (case_open's default).
    opened_on=In(_("Intake date"), widget=DATE, initial=dt.date.today, api={"required": False}),
    presenting_problem=In(_("Presenting problem"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})),
    agreement_signed=In(_("Service agreement signed"), api={"default": False}),
)
