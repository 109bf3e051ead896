"""What a user gives for a volunteer (志愿者), a volunteer team (志愿服务队), a community activity (社区活动), a
group of group work (小组), a deliberation meeting (议事协商) and the problems raised at it, and a donation
(捐赠): one declaration each, from which the page's forms (forms.py), the API's inputs (api.py) and the ledgers'
columns (ledgers.py, ledgers_deliberation.py) take their labels and limits (lib/inputs.py). The rules are the
services' (volunteers.volunteer_parse, team_create, activity_create, group_create, deliberation_create,
issue_close, charity.donation_create)."""

from decimal import Decimal
from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shegong.community.models import (
    Activity,
    Deliberation,
    DeliberationIssue,
    Donation,
    Team,
    Volunteer,
    WorkGroup,
)
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
    held_on=In(_("Date"), widget=DATE, initial=timezone.localdate),
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
    received_on=In(_("Received on"), widget=DATE, initial=timezone.localdate),
    beneficiaries=In(_("Who benefited")),
    # Empty: 0 (the model's default). At most 10,000,000 on the page as in the ledger.
    beneficiary_count=In(_("People who benefited"), required=False, min_value=0, max_value=10_000_000),
    fund=In(_("Paid into fund"), form=partial(forms.ModelChoiceField, queryset=None)),
    note=In(_("Note")),
)


def _station() -> In:
    """A station: chosen from the stations of the jurisdiction on the page (set by the view), its id on the
    API."""
    return In(_("Station"), form=partial(forms.ModelChoiceField, queryset=None), api=serializers.IntegerField)


# A volunteer team: the page and the API (api.py TeamInput; the ledgers have none).
TEAM = Input(
    Team,
    name=In(_("Team name")),
    station=_station(),
    founded_on=In(_("Founded on"), widget=DATE, initial=timezone.localdate),
    focus=In(_("Field of service")),
)

# A group of group work: the page and the API (api_records.py GroupInput; the ledgers have none). The page's bounds: 1 to 100
# sessions planned (6 proposed, the model's default), 0 to 10,000 members without a file.
GROUP = Input(
    WorkGroup,
    station=_station(),
    name=In(_("Group name")),
    kind=In(_("Kind of group")),
    aim=In(_("Aim"), widget=forms.Textarea(attrs={"rows": 3})),
    started_on=In(_("Started on"), widget=DATE, initial=timezone.localdate),
    planned_sessions=In(_("Sessions planned"), min_value=1, max_value=100),
    other_members=In(
        _("Other members (headcount)"),
        min_value=0,
        max_value=10_000,
        help_text=_("Members without a file; members on file are added on the group's page."),
    ),
)

# A deliberation meeting: the page, the API (api_records.py DeliberationInput) and the deliberation ledger. The decisions take any
# length, as the model's TextField: the page took any, the ledger capped them at 5,000 (an Excel cell holds at
# most 32,767 characters anyway). Up to 100,000 participants on both.
DELIBERATION = Input(
    Deliberation,
    region=In(
        _("Village or community"),
        form=partial(RegionField, levels=(Level.TOWNSHIP, Level.VILLAGE)),
        api=partial(serializers.CharField, max_length=12),  # the division's code
    ),
    # Not after today on the page as in the ledger (the page took a meeting not yet held).
    held_on=In(_("Date"), widget=DATE, initial=timezone.localdate, past=True),
    topic=In(_("Topic")),
    place=In(_("Place")),
    host=In(_("Host")),
    # Left out (an empty cell), 0: the model's default.
    participants=In(_("Participants"), min_value=0, max_value=100_000, **COUNT),
    participant_groups=In(_("Who took part")),
    decisions=In(_("Decisions"), widget=forms.Textarea(attrs={"rows": 3})),
)

# A problem raised at a meeting and how it was closed: 300 characters each on the page (one problem a line of the
# meeting's box, or added one at a time) and in the ledger. The page's box cut a longer line at 300 without a
# word; it now refuses it, as the ledger and the one-problem form do.
ISSUE = Input(
    DeliberationIssue,
    description=In(_("Problem raised")),
    # Required when a problem is closed: the page's closing form asks for it; a ledger's row of a problem still
    # open has none (the ledger refuses a closed one without it, ledgers_deliberation.py).
    outcome=In(_("What was done"), required=True),
    # The page's closing form asks for it, not after today as in the ledger (the page took a day not yet come);
    # the ledger asks for it when its row closes the problem.
    closed_on=In(_("Closed on"), widget=DATE, initial=timezone.localdate, required=True, past=True),
)
