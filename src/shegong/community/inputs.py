"""What a user gives for a volunteer (志愿者), a community activity (社区活动) and a donation (捐赠): one
declaration each, from which the page's form (forms.py), the API's input (api.py) and the ledgers' columns
(ledgers.py) take their labels and limits (lib/inputs.py). The rules are the services'
(volunteers.volunteer_parse, activity_create, charity.donation_create)."""

import datetime as dt
from decimal import Decimal
from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shegong.community.models import Activity, Donation, Volunteer
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
    note=In(_("Note")),
    # Empty on the page, left out or null on the API, an empty cell in the ledger: today (volunteer_create's
    # default). A null is how JSON leaves the field empty, so the API takes it as the page takes an empty box.
    registered_on=In(
        _("Registered on"),
        required=False,
        widget=DATE,
        help_text=_("The day the volunteer registered; empty: today."),
        api={"allow_null": True},
    ),
)

# A count of people: the same bounds on the page, the API and the ledger (the API took any count before the
# declaration; it now refuses what the page refused). Left out on the API, 0 (the model's default), as before.
COUNT = {"api": {"required": False, "default": 0}}

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
        # The organisation's id on the API, checked against the same organisation_choices as the page's list.
        api=partial(serializers.IntegerField, allow_null=True),
    ),
    participants=In(_("Participants"), min_value=0, max_value=1_000_000, **COUNT),
    beneficiaries=In(_("Beneficiaries"), min_value=0, max_value=10_000_000, **COUNT),
    volunteers_wanted=In(_("Volunteers wanted"), min_value=0, max_value=10_000, **COUNT),
    # Any length, as the model's TextField: the page and the API have always taken any, and the activities
    # ledger no longer caps it at 2,000 (an Excel cell holds at most 32,767 characters anyway).
    summary=In(_("Summary"), widget=forms.Textarea(attrs={"rows": 4})),
)

DONATION = Input(
    Donation,
    station=In(_("Receiving station"), form=partial(forms.ModelChoiceField, queryset=None)),
    donor=In(_("Donor")),
    donor_kind=In(_("Source")),
    form=In(_("Form")),
    # Yuan: two decimals, more than 0 (the ledger reads 500元, 0.5万元: col.amount).
    value=In(
        _("Value (yuan)"),
        form=partial(forms.DecimalField, max_digits=14, decimal_places=2, min_value=Decimal("0.01")),
    ),
    items=In(_("Items"), help_text=_("For gifts in kind")),
    received_on=In(_("Received on"), widget=DATE, initial=dt.date.today),
    beneficiaries=In(_("Who benefited")),
    # Empty: 0 (the model's default). At most 10,000,000 on the page as in the ledger.
    beneficiary_count=In(_("People who benefited"), required=False, min_value=0, max_value=10_000_000),
    fund=In(_("Paid into fund"), form=partial(forms.ModelChoiceField, queryset=None)),
    note=In(_("Note")),
)
