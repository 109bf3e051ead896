"""What a user gives for a volunteer (志愿者) and for a community activity (社区活动): one declaration each, from
which the page's form (forms.py), the API's input (api.py) and the ledgers' columns (ledgers.py) take their
labels and limits (lib/inputs.py). The rules are the services' (volunteers.volunteer_parse, activity_create)."""

import datetime as dt
from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shegong.community.models import Activity, Volunteer
from shegong.lib.inputs import DATE, TIME, In, Input
from shegong.regions.models import Level
from shegong.regions.picker import RegionField

# An ID number or a phone: stored encrypted (no length on the model), typed as at most 30 characters.
PROTECTED = {"max_length": 30}

VOLUNTEER = Input(
    Volunteer,
    name=In(_("Full name")),
    id_number=In(_("ID number"), **PROTECTED),
    phone=In(_("Phone"), **PROTECTED),
    region=In(
        _("Where registered"),
        form=partial(RegionField, levels=(Level.TOWNSHIP, Level.VILLAGE)),
        api=partial(serializers.CharField, max_length=12),  # the division's code
    ),
    station=In(
        _("Station"),
        form=partial(forms.ModelChoiceField, queryset=None),
        api=partial(serializers.IntegerField, allow_null=True),
    ),
    skills=In(_("Skills")),
    note=In(_("Note"), api=False),  # not on the API yet
    # Empty: today (the service's default); the API has taken a null for it.
    registered_on=In(
        _("Registered on"),
        required=False,
        widget=DATE,
        help_text=_("The day the volunteer registered; empty: today."),
        api={"allow_null": True},
    ),
)

# The API has taken any count of people, 0 by default; the page and the ledger bound them.
ANY_COUNT = {"api": {"required": False, "default": 0, "max_value": None}}

ACTIVITY = Input(
    Activity,
    station=In(
        _("Station"), form=partial(forms.ModelChoiceField, queryset=None), api=serializers.IntegerField
    ),
    title=In(_("Title")),
    kind=In(_("Activity type")),
    held_on=In(_("Date"), widget=DATE, initial=dt.date.today),
    starts_at=In(_("Starts at"), widget=TIME),
    ends_at=In(_("Ends at"), widget=TIME),
    place=In(_("Place")),
    organisers=In(_("Organisers")),
    partners=In(_("Partners")),
    organisation=In(
        _("Community organisation involved"),
        form=partial(forms.ModelChoiceField, queryset=None),
        api=False,  # not on the API yet
    ),
    participants=In(_("Participants"), min_value=0, max_value=1_000_000, **ANY_COUNT),
    beneficiaries=In(_("Beneficiaries"), min_value=0, max_value=10_000_000, **ANY_COUNT),
    volunteers_wanted=In(_("Volunteers wanted"), min_value=0, max_value=10_000, **ANY_COUNT),
    summary=In(_("Summary"), widget=forms.Textarea(attrs={"rows": 4})),
)
