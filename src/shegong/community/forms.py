"""Forms of the community pages. They parse input; the services judge it (and say what is wrong by field)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.community.inputs import ACTIVITY, DELIBERATION, DONATION, GROUP, ISSUE, TEAM, VOLUNTEER
from shegong.community.models import (
    ActivityKind,
    EntryKind,
    FundEntryKind,
    IssueStatus,
    MutualAidStatus,
    OrgKind,
    OrgStatus,
    VolunteerStatus,
)
from shegong.lib.forms import choose_the_only_one
from shegong.lib.inputs import DATE
from shegong.lib.uploads import PHOTO, UploadField
from shegong.network.picker import station_field
from shegong.regions.models import Level
from shegong.regions.picker import RegionField

# --- Volunteers ----------------------------------------------------------------------------------------


class VolunteerForm(VOLUNTEER.form()):
    """A volunteer's file: the fields declared in community/inputs.py VOLUNTEER (and the status, when editing)."""

    def __init__(self, *args, stations, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations)
        if editing:
            del self.fields["registered_on"]
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep the number on file.")
            self.fields["phone"].help_text = _("Leave empty to keep the number on file.")
            self.fields["status"] = forms.ChoiceField(label=_("Status"), choices=VolunteerStatus.choices)


class TeamForm(TEAM.form()):
    """A volunteer team: the fields declared in community/inputs.py TEAM."""

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations)


class PickVolunteerForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=None)
    leader = forms.BooleanField(label=_("Team leader"), required=False)

    def __init__(self, *args, volunteers, leader: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
        self.fields["volunteer"].label_from_instance = lambda v: (
            f"{v.name} · {v.id_number_last4} · {v.region_id}"
        )
        if not leader:
            del self.fields["leader"]


class ConfirmForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Confirmed hours"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=24
    )


class RedeemForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=None)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class PointsCorrectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(EntryKind.ADJUST, EntryKind.ADJUST.label), (EntryKind.EXPIRE, EntryKind.EXPIRE.label)],
    )
    points = forms.IntegerField(
        label=_("Points"), min_value=-100000, max_value=100000, help_text=_("An adjustment may be negative.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PointRuleForm(forms.Form):
    points_per_hour = forms.IntegerField(label=_("Points per confirmed hour"), min_value=0, max_value=1000)
    bonus_kind = forms.ChoiceField(
        label=_("Bonus for activities of type"), choices=[("", "—"), *ActivityKind.choices], required=False
    )
    bonus_points = forms.IntegerField(
        label=_("Bonus points per such activity"), min_value=0, max_value=10000, initial=0
    )
    long_hours = forms.DecimalField(
        label=_("Long service from (hours in one activity)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=24,
    )
    long_bonus_points = forms.IntegerField(
        label=_("Bonus points for long service"), min_value=0, max_value=10000, initial=0
    )


class CatalogueItemForm(forms.Form):
    name = forms.CharField(label=_("Item"), max_length=100)
    points = forms.IntegerField(label=_("Points needed"), min_value=1, max_value=1000000)
    stock = forms.IntegerField(
        label=_("In stock"), min_value=0, required=False, help_text=_("empty: unlimited")
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


# --- Activities and groups -----------------------------------------------------------------------------


class ActivityForm(ACTIVITY.form()):
    """An activity: the fields declared in community/inputs.py ACTIVITY."""

    def __init__(self, *args, stations, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations)
        choose_the_only_one(self.fields["station"])
        self.fields["organisation"].queryset = organisations


class PhotoForm(forms.Form):
    image = UploadField(label=_("Photo"), accept=PHOTO)
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)


class GroupForm(GROUP.form()):
    """A group: the fields declared in community/inputs.py GROUP."""

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations)
        choose_the_only_one(self.fields["station"])


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, max_value=10000)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    reflection = forms.CharField(
        label=_("Worker's reflection"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class GroupMemberForm(forms.Form):
    person = forms.IntegerField(label=_("File number of the person served"), required=False, min_value=1)
    headcount = forms.IntegerField(
        label=_("Or members without a file"), required=False, min_value=0, max_value=1000
    )


# --- Organisations, deliberation, charity --------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    region = RegionField(levels=(Level.TOWNSHIP, Level.VILLAGE), label=_("Community or township"))
    kind = forms.ChoiceField(label=_("Type"), choices=OrgKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=OrgStatus.choices)
    station = forms.ModelChoiceField(label=_("Incubating station"), queryset=None, required=False)
    founded_on = forms.DateField(label=_("Founded on"), widget=DATE)
    members = forms.IntegerField(label=_("Members"), min_value=0, max_value=100000, initial=0)
    leader_name = forms.CharField(label=_("Person in charge"), max_length=50, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations)


class DeliberationForm(DELIBERATION.form()):
    """A meeting (the fields declared in community/inputs.py DELIBERATION) and the problems raised at it, one a
    line, each of at most the length of a problem (ISSUE)."""

    issues = forms.CharField(
        label=_("Problems raised"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One problem per line; each is then followed until it is solved."),
    )

    def clean_issues(self) -> str:
        most = ISSUE.limits("description").max_length
        for number, line in enumerate(self.cleaned_data["issues"].splitlines(), start=1):
            if len(line.strip()) > most:
                raise forms.ValidationError(
                    _("Line %(line)d: a problem takes at most %(most)d characters (it has %(count)d).")
                    % {"line": number, "most": most, "count": len(line.strip())}
                )
        return self.cleaned_data["issues"]


class IssueForm(ISSUE.only("description").form()):
    pass


class IssueCloseForm(ISSUE.only("outcome", "closed_on").form()):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (IssueStatus.SOLVED, IssueStatus.SOLVED.label),
            (IssueStatus.UNSOLVED, IssueStatus.UNSOLVED.label),
        ],
    )
    field_order = ("status", "outcome", "closed_on")


class DonationEntryForm(DONATION.form()):
    """A donation: the fields declared in community/inputs.py DONATION."""

    def __init__(self, *args, stations, funds, **kwargs):
        super().__init__(*args, **kwargs)
        station_field(self.fields["station"], stations)
        self.fields["fund"].queryset = funds


class FundForm(forms.Form):
    name = forms.CharField(label=_("Fund name"), max_length=100)
    region = RegionField(levels=(Level.TOWNSHIP, Level.VILLAGE), label=_("Community or township"))
    established_on = forms.DateField(label=_("Established on"), widget=DATE, initial=timezone.localdate)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)


class FundEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FundEntryKind.choices)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    description = forms.CharField(label=_("Description"), max_length=200)


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Project"), max_length=100)
    region = RegionField(levels=(Level.TOWNSHIP, Level.VILLAGE), label=_("Village or community"))
    programme = forms.CharField(
        label=_("Programme"), max_length=50, required=False, help_text=_("e.g. 幸福家园")
    )
    target = forms.DecimalField(label=_("Target (yuan)"), max_digits=14, decimal_places=2, min_value=0)
    raised = forms.DecimalField(
        label=_("Money raised (yuan)"), max_digits=14, decimal_places=2, min_value=0, initial=0
    )
    started_on = forms.DateField(label=_("Started on"), widget=DATE, initial=timezone.localdate)
    status = forms.ChoiceField(label=_("Status"), choices=MutualAidStatus.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MatchingRuleForm(forms.Form):
    name = forms.CharField(label=_("Rule name"), max_length=100)
    percent = forms.DecimalField(
        label=_("Matching share (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=100,
    )
    cap = forms.DecimalField(
        label=_("Cap per project (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("empty: no cap"),
    )
    programme = forms.CharField(
        label=_("Programme"), max_length=50, required=False, help_text=_("empty: every project")
    )
    valid_from = forms.DateField(label=_("For projects started from"), widget=DATE)
    valid_until = forms.DateField(label=_("Until"), widget=DATE, required=False)


class MatchingPaymentForm(forms.Form):
    """Matching money actually paid to one project by one funder, beside the rule that suggested it."""

    funder = forms.CharField(label=_("Funder"), max_length=100, help_text=_("e.g. 省民政厅, 市民政局"))
    rule = forms.ModelChoiceField(label=_("Matching rule"), queryset=None, required=False)
    amount = forms.DecimalField(
        label=_("Amount paid (yuan)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    reference = forms.CharField(label=_("Voucher number"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = rules
