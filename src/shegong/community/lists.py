"""The community's lists (志愿者、活动、服务时长、捐赠、小组、社区社会组织): filters and tables, declared once and
read by the page, the API and the export (lib/lists.py)."""

import django_filters as f
import django_tables2 as t
from django.db.models import Count, Sum
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.community import charity, selectors
from shegong.community.models import (
    ActivityKind,
    DonationForm,
    DonorKind,
    MutualAidProject,
    MutualAidStatus,
    OrgKind,
    OrgStatus,
    Phase,
    SignUpStatus,
    VolunteerStatus,
)
from shegong.lib.lists import (
    ListDefinition,
    ListFilterSet,
    ListTable,
    PiiColumn,
    date_range,
    number_column,
    row_url,
)

# --- Volunteers (志愿者) ----------------------------------------------------------------------------------


class VolunteerFilters(ListFilterSet):
    q = f.CharFilter(label=_("Name, ID number, phone or last four digits"), method="search", max_length=40)
    status = f.ChoiceFilter(label=_("Status"), choices=VolunteerStatus.choices, empty_label=_("All statuses"))

    def search(self, qs, name, value):
        return qs.filter(selectors.volunteer_search(value))


class VolunteerTable(ListTable):
    name = t.Column(_("Name"), linkify=("community:volunteer_detail", [t.A("pk")]))
    id_number = PiiColumn("id_number", verbose_name=_("ID number"))
    phone = PiiColumn("phone", verbose_name=_("Phone"))
    region_code = t.Column(_("Division code where registered"), accessor="region_id", visible=False)
    region = t.Column(_("Registered in"), accessor="region__name", order_by="region_id")
    station = t.Column(_("Station"), accessor="station__name", visible=False)
    skills = t.Column(_("Skills"), orderable=False)
    points_balance = number_column(_("Points balance"))
    status = t.Column(_("Status"))


VOLUNTEERS = ListDefinition(
    "community.volunteers", _("Volunteers"), selectors.volunteer_list, VolunteerFilters, VolunteerTable
)


class TeamFilters(ListFilterSet):
    region_field = "station__region_id"


class TeamTable(ListTable):
    name = t.Column(_("Team name"), linkify=("community:team_detail", [t.A("pk")]))
    station = t.Column(_("Station"), accessor="station__name")
    leader = t.Column(_("Team leader"), accessor="leader__name")
    focus = t.Column(_("Field of service"))
    n_members = number_column(_("Members"))


TEAMS = ListDefinition("community.teams", _("Volunteer teams"), selectors.team_list, TeamFilters, TeamTable)

# --- Activities (社区活动) and the hours confirmed at them (服务时长) ---------------------------------------


class ActivityFilters(ListFilterSet):
    region_field = "station__region_id"
    kind = f.ChoiceFilter(label=_("Activity type"), choices=ActivityKind.choices, empty_label=_("All types"))
    since, until = date_range("held_on")


class ActivityTable(ListTable):
    number = t.Column(_("Activity number"), accessor="pk", visible=False)
    held_on = t.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    title = t.Column(_("Title"), linkify=("community:activity_detail", [t.A("pk")]))
    kind = t.Column(_("Activity type"))
    station = t.Column(_("Station"), accessor="station__name")
    place = t.Column(_("Place"), visible=False)
    participants = number_column(_("Participants"))
    beneficiaries = number_column(_("Beneficiaries"))


ACTIVITIES = ListDefinition(
    "community.activities", _("Community activities"), selectors.activity_list, ActivityFilters, ActivityTable
)


class HourFilters(ListFilterSet):
    region_field = "activity__station__region_id"
    since, until = date_range("activity__held_on")


class HourTable(ListTable):
    number = t.Column(_("Activity number"), accessor="activity_id")
    held_on = t.DateColumn(verbose_name=_("Date"), accessor="activity__held_on", format="Y-m-d")
    activity = t.Column(_("Activity"), accessor="activity__title")
    name = t.Column(_("Full name"), accessor="volunteer__name")
    id_number = PiiColumn("volunteer__id_number", verbose_name=_("ID number"))
    hours = t.Column(_("Hours"), accessor="confirmed_hours")
    points = t.Column(_("Points"))


def _confirmed(*, user):
    return selectors.signup_list(user=user, status=SignUpStatus.CONFIRMED)


HOURS = ListDefinition("community.hours", _("Volunteer hours"), _confirmed, HourFilters, HourTable)

# --- Donations (捐赠) ---------------------------------------------------------------------------------------


class DonationFilters(ListFilterSet):
    region_field = "station__region_id"
    donor_kind = f.ChoiceFilter(label=_("Source"), choices=DonorKind.choices, empty_label=_("All sources"))
    form = f.ChoiceFilter(label=_("Form"), choices=DonationForm.choices, empty_label=_("All forms"))
    since, until = date_range("received_on")


class DonationTable(ListTable):
    received_on = t.DateColumn(verbose_name=_("Received on"), format="Y-m-d")
    donor = t.Column(_("Donor"))
    donor_kind = t.Column(_("Source"))
    form = t.Column(_("Form"))
    value = number_column(_("Value (yuan)"))
    items = t.Column(_("Items"), orderable=False)
    station = t.Column(_("Receiving station"), accessor="station__name")
    beneficiaries = t.Column(_("Who benefited"), orderable=False)
    fund = t.Column(_("Charity fund"), accessor="fund__name")


DONATIONS = ListDefinition(
    "community.donations", _("Donations"), selectors.donation_list, DonationFilters, DonationTable
)

# --- Groups (小组工作) and community organisations (社区社会组织) ---------------------------------------------


class GroupFilters(ListFilterSet):
    region_field = "station__region_id"
    phase = f.ChoiceFilter(label=_("Phase"), choices=Phase.choices, empty_label=_("All phases"))


class GroupTable(ListTable):
    name = t.Column(_("Group name"), linkify=("community:group_detail", [t.A("pk")]))
    kind = t.Column(_("Kind of group"))
    station = t.Column(_("Station"), accessor="station__name")
    phase = t.Column(_("Phase"))
    n_sessions = number_column(_("Sessions"))
    planned_sessions = number_column(_("Planned sessions"))
    started_on = t.DateColumn(verbose_name=_("Started on"), format="Y-m-d")


GROUPS = ListDefinition("community.groups", _("Group work"), selectors.group_list, GroupFilters, GroupTable)


class OrganisationFilters(ListFilterSet):
    status = f.ChoiceFilter(label=_("Status"), choices=OrgStatus.choices, empty_label=_("All statuses"))
    kind = f.ChoiceFilter(label=_("Type"), choices=OrgKind.choices, empty_label=_("All types"))


class OrganisationTable(ListTable):
    name = t.Column(_("Name"), linkify=("community:organisation_detail", [t.A("pk")]))
    kind = t.Column(_("Type"))
    status = t.Column(_("Status"))
    region = t.Column(_("Community or township"), accessor="region__name", order_by="region_id")
    station = t.Column(_("Incubating station"), accessor="station__name")
    members = number_column(_("Members"))


ORGANISATIONS = ListDefinition(
    "community.organisations",
    _("Community organisations"),
    selectors.organisation_list,
    OrganisationFilters,
    OrganisationTable,
)


# --- Mutual-aid projects (村社互助项目) and the matching paid to them (配套资金) ----------------------------------


class ProjectFilters(ListFilterSet):
    programme = f.CharFilter(label=_("Programme"), max_length=50)
    status = f.ChoiceFilter(label=_("Status"), choices=MutualAidStatus.choices, empty_label=_("All statuses"))


class ProjectTable(ListTable):
    name = t.Column(_("Project"))
    programme = t.Column(_("Programme"))
    region = t.Column(_("Village or community"), accessor="region__name", order_by="region_id")
    started_on = t.DateColumn(verbose_name=_("Started on"), format="Y-m-d")
    status = t.Column(_("Status"))
    target = number_column(_("Target (yuan)"))
    raised = number_column(_("Money raised (yuan)"))
    matched = t.Column(_("Matching (yuan)"), accessor="pk", orderable=False)
    matching = t.Column("", accessor="pk", orderable=False, exclude_from_export=True)

    # The export reads rows as tuples (lib/lists.py _plain_plan); the link to the form is the page's only.
    plain_export = True
    plain_columns = ("name",)

    def render_name(self, value, record):
        request = getattr(self, "request", None)
        if request is None or not request.user.can(Cap.DATA_EDIT):
            return value
        return format_html('<a href="{}">{}</a>', row_url("community:project_edit", record.pk), value)

    def render_matched(self, record):
        """What each rule of the village and the levels above matches, for the projects of the page at once."""
        if record.pk not in self.__dict__.setdefault("_matched", {}):
            self._matched.update(charity.matched_by_rule(row.record for row in self.page.object_list))
        shown = [(rule.name, f"{amount:,.2f}") for rule, amount in self._matched[record.pk] if amount]
        return format_html_join(mark_safe("<br>"), "{}：{}", shown) or "—"

    def values_matched(self, pks) -> list[str]:
        """The export's: the same for a chunk of projects, in two queries."""
        projects = MutualAidProject.objects.filter(pk__in=set(pks))
        matched = charity.matched_by_rule(projects)
        return [
            "；".join(f"{rule.name}：{amount:,.2f}" for rule, amount in matched[pk] if amount) for pk in pks
        ]

    def render_matching(self, record):
        url = row_url("community:project_matching", record.pk)
        return format_html('<a href="{}">{}</a>', url, _("Matching funds"))


PROJECTS = ListDefinition(
    "community.mutual_aid_projects",
    _("Mutual-aid projects"),
    selectors.project_list,
    ProjectFilters,
    ProjectTable,
    filename="mutual-aid-projects",
    testid="projects",
)


# --- Matching paid (配套资金) ------------------------------------------------------------------------------


class MatchingPaymentFilters(ListFilterSet):
    region_field = "project__region_id"
    project = f.NumberFilter(field_name="project_id", label=_("Project"), min_value=1)
    funder = f.CharFilter(field_name="funder", lookup_expr="icontains", label=_("Funder"), max_length=100)
    since, until = date_range("paid_on")


class MatchingPaymentTable(ListTable):
    paid_on = t.DateColumn(verbose_name=_("Paid on"), format="Y-m-d")
    project = t.Column(_("Project"), accessor="project__name")
    funder = t.Column(_("Funder"))
    amount = number_column(_("Amount paid (yuan)"))
    rule = t.Column(_("Matching rule"), accessor="rule__name")
    reference = t.Column(_("Voucher number"))


MATCHING_PAYMENTS = ListDefinition(
    "community.matching_payments",
    _("Matching paid"),
    selectors.matching_payment_list,
    MatchingPaymentFilters,
    MatchingPaymentTable,
    testid="matching-payments",
)


# --- Deliberation (议事协商) -----------------------------------------------------------------------------------


class MeetingFilters(ListFilterSet):
    since, until = date_range("held_on")


class MeetingTable(ListTable):
    held_on = t.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    topic = t.Column(_("Topic"), linkify=("community:deliberation_detail", [t.A("pk")]))
    region = t.Column(_("Village or community"), accessor="region__name", order_by="region_id")
    participants = number_column(_("Participants"))
    n_issues = number_column(_("Problems raised"))
    n_solved = number_column(_("Solved"))


def meeting_totals(rows) -> dict:
    """The meetings listed and the problems raised and solved at them."""
    totals = rows.order_by().aggregate(meetings=Count("id"), raised=Sum("n_issues"), solved=Sum("n_solved"))
    return {"totals": {key: value or 0 for key, value in totals.items()}}


MEETINGS = ListDefinition(
    "community.meetings",
    _("Community deliberation"),
    selectors.deliberation_list,
    MeetingFilters,
    MeetingTable,
    filename="deliberations",
    testid="deliberations",
)
