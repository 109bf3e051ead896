"""The five-society linkage (五社联动, DOMAIN.md §5): community activities (社区活动), group work (小组工作, MZ/T
095-2017), community social organisations (社区社会组织) and community deliberation (议事协商). Volunteers and
points live in models_volunteers.py, charitable resources in models_charity.py; both are imported here so that
Django finds them in this app.

Activities and group sessions are what 活动场次, 惠及人数 and the community's part of 服务人次 are counted from
(community/figures.py); nothing is stored as a total.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.community.models_charity import (  # noqa: F401
    CharityFund,
    Donation,
    DonationForm,
    DonorKind,
    FundEntry,
    FundEntryKind,
    MatchingPayment,
    MatchingRule,
    MutualAidProject,
    MutualAidStatus,
)
from shegong.community.models_volunteers import (  # noqa: F401
    DEFAULT_POINTS_PER_HOUR,
    CatalogueItem,
    EntryKind,
    PointEntry,
    PointRule,
    Redemption,
    SignUp,
    SignUpStatus,
    Team,
    Volunteer,
    VolunteerStatus,
)
from shegong.lib.bases import AtStation, Authored, Created, InRegion, Named, Tracked
from shegong.lib.fields import optional_fk, parent_fk, required_fk, status_field, user_field


class ActivityKind(models.TextChoices):
    CARE_VISIT = "care_visit", _("Care visits")
    POLICY = "policy", _("Policy outreach")
    CULTURE = "culture", _("Culture and sports")
    FESTIVAL = "festival", _("Festival")
    TRAINING = "training", _("Training")
    DELIBERATION = "deliberation", _("Deliberation")
    VOLUNTEERING = "volunteering", _("Volunteer service")
    OTHER = "other", _("Other activity")


class Activity(AtStation, Tracked):
    """A community activity held by a station: the unit of 活动场次."""

    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("activity type"), max_length=16, choices=ActivityKind.choices)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    organisers = models.CharField(_("organisers"), max_length=200, blank=True)
    partners = models.CharField(_("partners"), max_length=200, blank=True)
    organisation = optional_fk(
        "community.Organisation",
        _("community organisation involved"),
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    # 参与人次: everybody who took part (residents, volunteers, staff); 惠及人数: the residents it reached.
    participants = models.PositiveIntegerField(_("participants"), default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    volunteers_wanted = models.PositiveIntegerField(_("volunteers wanted"), default=0)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("community activity")
        verbose_name_plural = _("community activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["station", "held_on"]), models.Index(fields=["kind", "held_on"])]

    def __str__(self) -> str:
        return f"{self.title} {self.held_on:%Y-%m-%d}"


def _photo_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"community/activities/{instance.activity_id}/{instance.activity_id}-{instance.uploaded_at:%Y%m%d%H%M%S%f}.{suffix}"


class ActivityPhoto(models.Model):
    SCOPE_FIELD = "activity__station__region_id"

    activity = parent_fk(Activity, _("activity"), "photos")
    image = models.FileField(_("photo"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = user_field(_("uploaded by"), optional=False)
    uploaded_at = models.DateTimeField(verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("activity photo")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class Phase(models.TextChoices):
    """The phases of group work in MZ/T 095-2017."""

    PREPARING = "preparing", _("Preparing")
    FORMING = "forming", _("Forming")
    TRANSITION = "transition", _("Transition")
    MATURE = "mature", _("Mature")
    ENDING = "ending", _("Ending")


PHASE_ORDER = [Phase.PREPARING, Phase.FORMING, Phase.TRANSITION, Phase.MATURE, Phase.ENDING]

# Which phase may follow which: community/workflow.py (GROUP_WORKFLOW).


class GroupKind(models.TextChoices):
    SUPPORT = "support", _("Support group")
    GROWTH = "growth", _("Growth group")
    EDUCATION = "education", _("Education group")
    THERAPY = "therapy", _("Therapy group")
    INTEREST = "interest", _("Interest group")


class WorkGroup(AtStation, Named, Created):
    """A group of group work (小组工作): its aim, its members, and its sessions through the phases."""

    name = models.CharField(_("group name"), max_length=100)
    kind = models.CharField(_("kind of group"), max_length=12, choices=GroupKind.choices)
    aim = models.TextField(_("aim"))
    worker = user_field(_("group worker"), optional=False)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.PREPARING)
    planned_sessions = models.PositiveSmallIntegerField(_("sessions planned"), default=6)
    # Members not on file (residents who come without a file) are counted, not named.
    other_members = models.PositiveIntegerField(_("other members (headcount)"), default=0)
    members = models.ManyToManyField(
        "clients.Person", verbose_name=_("members on file"), blank=True, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("group")
        ordering = ["-started_on", "-id"]


class GroupSession(Created):
    """One session (节) of a group: part of 活动场次; its attendance counts in 服务人次."""

    SCOPE_FIELD = "group__station__region_id"

    group = required_fk(WorkGroup, _("group"), related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"))
    held_on = models.DateField(_("date"))
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices)
    attendance = models.PositiveIntegerField(_("attendance"), validators=[MinValueValidator(0)])
    content = models.TextField(_("content"))
    reflection = models.TextField(_("worker's reflection"), blank=True)
    recorded_by = user_field(_("recorded by"), optional=False)

    class Meta:
        verbose_name = _("group session")
        ordering = ["group_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"],
                name="community_unique_session_number",
                violation_error_message=_("This group already has a session with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} #{self.number}"


class OrgKind(models.TextChoices):
    LIVING = "living", _("Life services")
    CHARITY = "charity", _("Public welfare and charity")
    CULTURE = "culture", _("Culture and sports")
    MEDIATION = "mediation", _("Mediation and dispute resolution")
    OTHER = "other", _("Other organisation")


class OrgStatus(models.TextChoices):
    CULTIVATING = "cultivating", _("Being cultivated")
    INCUBATING = "incubating", _("Being incubated")
    FILED = "filed", _("Filed")
    REGISTERED = "registered", _("Registered")


class Organisation(InRegion, Named, Created):
    """A community social organisation (社区社会组织), cultivated or incubated by a station, later filed with
    the township (备案) or registered with civil affairs (登记)."""

    region = required_fk("regions.Region", _("community or township"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=12, choices=OrgKind.choices)
    status = status_field(OrgStatus, 12, default=False)
    status_since = models.DateField(_("status since"))
    station = optional_fk("network.Facility", _("incubating station"))
    founded_on = models.DateField(_("founded on"))
    members = models.PositiveIntegerField(_("members"), default=0)
    leader_name = models.CharField(_("person in charge"), max_length=50, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("community organisation")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="community_unique_org_name",
                violation_error_message=_("An organisation of this name is already on file here."),
            )
        ]


class Deliberation(InRegion, Authored):
    """A community deliberation meeting (议事协商, "有事好商量")."""

    region = required_fk("regions.Region", _("village or community"))
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    host = models.CharField(_("host"), max_length=50, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    participant_groups = models.CharField(
        _("who took part"), max_length=200, blank=True, help_text=_("e.g. residents' representatives")
    )
    decisions = models.TextField(_("decisions"), blank=True)

    class Meta:
        verbose_name = _("deliberation meeting")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.topic


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Being worked on")
    SOLVED = "solved", _("Solved")
    UNSOLVED = "unsolved", _("Could not be solved")


class DeliberationIssue(models.Model):
    """A problem raised at a meeting, followed until it is solved or found unsolvable."""

    SCOPE_FIELD = "meeting__region_id"

    meeting = required_fk(Deliberation, _("meeting"), related_name="issues")
    description = models.CharField(_("problem raised"), max_length=300)
    status = status_field(IssueStatus, 10)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem raised")
        ordering = ["meeting_id", "id"]

    def __str__(self) -> str:
        return self.description
