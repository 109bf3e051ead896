"""Casework (个案工作) after MZ/T 094-2017, the service catalogue (服务清单) and service records.

A case belongs to a station (network.Facility) and is scoped by the station's division code, so a transfer to
another station moves it to that station's people while its history (events, contacts, approvals) stays with
it. Which stage may follow which, and which moves need a supervisor, is one table: casework/workflow.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shegong.lib.bases import AtStation, Authored, Created, Tracked
from shegong.lib.fields import note_field, optional_fk, parent_fk, required_fk, status_field, user_field


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ASSESSMENT = "assessment", _("Assessment")
    PLAN = "plan", _("Planning")
    INTERVENTION = "intervention", _("Intervention")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSURE = "closure", pgettext_lazy("case stage", "Closed")  # 结案, not 已关闭 (DOMAIN.md glossary)
    FOLLOW_UP = "follow_up", _("Follow-up")


# Stages in which a case is still being worked; closure and follow-up count as closed.
OPEN_STAGES = (Stage.INTAKE, Stage.ASSESSMENT, Stage.PLAN, Stage.INTERVENTION, Stage.EVALUATION)


class Source(models.TextChoices):
    SELF = "self", _("Came by themselves")
    REFERRAL = "referral", _("Referred")
    OUTREACH = "outreach", _("Found by outreach")


class Attainment(models.TextChoices):
    ACHIEVED = "achieved", _("Goals achieved")
    PARTLY = "partly", _("Goals partly achieved")
    NOT = "not", _("Goals not achieved")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    NOT_ACCEPTED = "not_accepted", _("Not accepted at intake")
    REFERRED = "referred", _("Referred elsewhere")
    CLIENT_ENDED = "client_ended", _("Ended at the person's request")
    MOVED = "moved", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other reason")


# Needs are assessed by domain (预估: needs by domain, strengths, problem statement).
NEED_DOMAINS = [
    ("livelihood", _("Daily living and income")),
    ("health", _("Health and care")),
    ("emotional", _("Emotions and mental health")),
    ("family", _("Family relations")),
    ("social", _("Social support and participation")),
    ("learning", _("Schooling and work")),
    ("safety", _("Safety and rights")),
]


class Case(AtStation, Tracked):
    """One case (个案) of one person at one station."""

    person = required_fk("clients.Person", _("person served"), related_name="cases")
    worker = user_field(_("case worker"), optional=False)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.INTAKE)
    stage_since = models.DateField(_("in this stage since"))

    # 接案
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    opened_on = models.DateField(_("intake date"))
    presenting_problem = models.TextField(_("presenting problem"))
    agreement_signed = models.BooleanField(_("service agreement signed"), default=False)
    # 预估
    needs = models.JSONField(_("needs by domain"), default=dict, blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    problem_statement = models.TextField(_("problem statement"), blank=True)
    assessment_report = models.TextField(_("assessment report"), blank=True)
    # 计划
    plan_goals = models.TextField(_("goals"), blank=True)
    plan_actions = models.TextField(_("strategies and actions"), blank=True)
    plan_timetable = models.TextField(_("timetable"), blank=True)
    # 评估
    attainment = models.CharField(_("goal attainment"), max_length=10, choices=Attainment.choices, blank=True)
    evaluation_report = models.TextField(_("evaluation report"), blank=True)
    # 结案
    closure_reason = models.CharField(
        _("reason for closure"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    closure_summary = models.TextField(_("closing summary"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["stage", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_stage_display()}"

    @property
    def number(self) -> str:
        return f"GA{self.opened_on:%Y}{self.pk:06d}"


class ContactKind(models.TextChoices):
    CONTACT = "contact", _("Intervention contact")
    FOLLOW_UP = "follow_up", _("Follow-up visit")


class ContactMode(models.TextChoices):
    HOME = "home", _("Home visit")
    STATION = "station", _("At the station")
    PHONE = "phone", _("Phone call")
    ONLINE = "online", _("Online")
    OUTREACH = "outreach", _("Outreach")


class CaseContact(Created):
    """One contact of the intervention (介入), or one follow-up (回访) after closure."""

    SCOPE_FIELD = "case__station__region_id"

    case = parent_fk(Case, _("case"), "contacts")
    kind = models.CharField(
        _("kind"), max_length=10, choices=ContactKind.choices, default=ContactKind.CONTACT
    )
    contacted_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=10, choices=ContactMode.choices, default=ContactMode.HOME)
    content = models.TextField(_("what was done"))
    resources = models.CharField(_("resources linked"), max_length=200, blank=True)
    worker = user_field(_("worker"), optional=False)

    class Meta:
        verbose_name = _("case contact")
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.contacted_on:%Y-%m-%d}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    MOVED = "moved", _("Stage changed")
    REQUESTED = "requested", _("Approval requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Sent back")
    TRANSFERRED = "transferred", _("Transferred")
    REFERRED = "referred", _("Referred")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_RETURNED = "referral_returned", _("Referral returned")


class CaseEvent(models.Model):
    """The case's history: every stage change, approval, transfer and referral, in order."""

    SCOPE_FIELD = "case__station__region_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices, blank=True)
    station = optional_fk("network.Facility", _("station"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = note_field(500)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case event")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Sent back")


class Approval(models.Model):
    """A move that needs a supervisor: asked for by the case worker, decided by someone else."""

    SCOPE_FIELD = "case__station__region_id"

    case = parent_fk(Case, _("case"), "approvals")
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    status = status_field(ApprovalStatus, 10)
    requested_by = user_field(_("requested by"), optional=False)
    requested_at = models.DateTimeField(auto_now_add=True, verbose_name=_("requested at"))
    decided_by = user_field(_("decided by"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    note = models.CharField(_("supervisor's note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("approval")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="casework_one_pending_approval_per_case",
                violation_error_message=_("This case already awaits an approval."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.get_to_stage_display()}"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the receiver")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Referral(Authored):
    """A referral (转介) to another station or to a department (人社, 妇联, 残联, a school, a hospital).

    A station answers in the system; if it accepts, the case is transferred to it. A department has no account,
    so the sending worker records its answer."""

    SCOPE_FIELD = "case__station__region_id"

    case = parent_fk(Case, _("case"), "referrals")
    from_station = required_fk("network.Facility", _("from station"))
    to_station = optional_fk("network.Facility", _("to station"))
    to_department = models.CharField(_("to department"), max_length=100, blank=True)
    reason = models.TextField(_("reason for referral"))
    status = status_field(ReferralStatus, 10)
    responded_by = user_field(_("responded by"))
    responded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("responded at"))
    response_note = models.CharField(_("answer"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("referral")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} → {self.receiver}"

    @property
    def receiver(self) -> str:
        return str(self.to_station) if self.to_station_id else self.to_department


# --- Service catalogue and records ----------------------------------------------------------------


class Group(models.TextChoices):
    HARDSHIP = "hardship", _("People in hardship")
    ELDERLY = "elderly", _("Older people")
    CHILDREN = "children", _("Children")
    OTHER = "other", _("Others")


class ServiceItem(models.Model):
    """An item of a region's service menu (服务清单). The shipped items (DOMAIN.md §4) have no region; a region
    adds its own, which its people and the regions inside it use."""

    SCOPE_FIELD = "region_id"

    region = optional_fk("regions.Region", _("region"))
    group = models.CharField(_("group served"), max_length=10, choices=Group.choices)
    name = models.CharField(_("service item"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("service item")
        ordering = ["group", "sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "group", "name"],
                name="casework_unique_item_per_region",
                violation_error_message=_("This region's menu already has this item."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} · {self.name}"


# A service is given in the ways a case is contacted.
ServiceMode = ContactMode


class ServiceRecord(AtStation, Created):
    """One service given: to one person, or to a group (then ``participants`` counts the person-times). The
    source of 服务人次."""

    served_on = models.DateField(_("date of service"))
    person = optional_fk("clients.Person", _("person served"), related_name="service_records")
    group_name = models.CharField(_("group"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("person-times"), default=1)
    item = required_fk(ServiceItem, _("service item"))
    worker = user_field(_("worker"), optional=False)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    mode = models.CharField(
        _("mode"), max_length=10, choices=ServiceMode.choices, default=ServiceMode.STATION
    )
    case = optional_fk(Case, _("case"), on_delete=models.SET_NULL)
    note = note_field(500)
    # Where an imported record came from: the import job and the row of the file (empty when typed in).
    import_job = models.UUIDField(_("import batch"), null=True, blank=True, editable=False)
    import_row = models.PositiveIntegerField(
        _("row of the imported file"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("service record")
        ordering = ["-served_on", "-id"]
        indexes = [
            # A station's records in the list's order: a township's list, and each facility's part of a
            # county's page (casework/selectors.py _at_its_facilities), read from the index alone.
            models.Index(fields=["station", "-served_on", "-id"], name="casework_service_at_station"),
            # The list's order: its first page is the head of this index, not a sort of every record.
            models.Index(fields=["-served_on", "-id"], name="casework_service_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.served_on:%Y-%m-%d}"


class MonthSums(models.Model):
    """What a monthly service rollup holds per item and calendar month: records and person-times."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    records = models.PositiveIntegerField(default=0)
    person_times = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True


class ServiceMonth(MonthSums):
    """Rollup of service records: per station, item and calendar month, the number of records and of
    person-times. Figures over whole months read this instead of millions of records. Kept current by
    ``service_record_create`` (the only way records are written, apart from bulk loaders that rebuild it);
    `shegong rollups rebuild` recomputes it from the records and `shegong rollups check` compares."""

    SCOPE_FIELD = "station__region_id"

    station = models.ForeignKey("network.Facility", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "month", "item"], name="casework_service_month_key")
        ]
        # The figures sum a period's months of a region's stations: with the sums in the index (PostgreSQL's
        # INCLUDE; SQLite builds the plain index) they are read from it alone, not from a heap page per row
        # (a province's year: 318,000 rows, 490 -> 190 ms).
        indexes = [
            models.Index(
                fields=["month", "station"],
                include=["item", "person_times", "records"],
                name="casework_month_sums",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.item_id} {self.month:%Y-%m}"


class ServiceCountyMonth(MonthSums):
    """``ServiceMonth`` summed per county (区县): per county, item and calendar month, the records and person-times
    of its stations. A prefecture's or a province's figures read this (a province's year: about 40,000 rows,
    not the 318,000 of its stations); a county's or a township's read ``ServiceMonth``. ``county`` is the first
    six digits of the station's division code (its own code when the station sits above a county), kept as
    text so a division not on file cannot refuse a record. Kept current by the same rollup functions as
    ``ServiceMonth`` (casework/rollups.py); `shegong rollups rebuild` / `check` cover it."""

    SCOPE_FIELD = "county"

    county = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "month", "item"], name="casework_service_county_month_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.item_id} {self.month:%Y-%m}"
