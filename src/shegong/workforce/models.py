"""The workforce (人才队伍, DOMAIN.md §2): social workers and their assignments to stations, certificates,
continuing education, agencies, training, awards and allowances, the expert pool and talent targets.

A worker's ID number and phone are personal information (DOMAIN.md §6): each is stored as Fernet ciphertext
with a keyed lookup hash (to find a person by number, and to keep one file per person) and its last four
characters (to show the masked form and search by it). Pages and the API show the masked form; the clear
value is shown only on an explicit request by a role with ``pii.view``, and each such request is audited.

Figures (talents, full-time workers, certified by level, per 10,000 residents ...) are never stored: they are
counted from these rows (workforce/figures.py).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.lib.bases import Created, DatedTarget, InRegion, Named, PlainTracked, Recorded, RegionRule
from shegong.lib.fields import Sex, note_field, optional_fk, parent_fk, required_fk, status_field
from shegong.lib.pii import EncryptedTextField, MaskedNumbers


class Education(models.TextChoices):
    JUNIOR = "junior", _("Junior secondary or below")
    SENIOR = "senior", _("Senior secondary or vocational")
    COLLEGE = "college", _("College (dazhuan)")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTOR = "doctor", _("Doctorate")


class EmploymentType(models.TextChoices):
    RESIDENT = "resident", _("Full-time resident")
    DISPATCHED = "dispatched", _("Dispatched labour")
    AGENCY = "agency", _("Agency staff")
    PUBLIC_WELFARE = "public_welfare", _("Public-welfare post")
    COMMUNITY = "community", _("Community worker")
    OTHER = "other", _("Other")


# The employment types that make a worker assigned to a station one of its full-time workers (专职): those
# employed to work at the station. Community workers and others converted from local posts serve part time.
FULL_TIME_TYPES = (
    EmploymentType.RESIDENT,
    EmploymentType.DISPATCHED,
    EmploymentType.AGENCY,
    EmploymentType.PUBLIC_WELFARE,
)


class Post(models.TextChoices):
    HEAD = "head", _("Station head")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SUPERVISOR = "supervisor", _("Supervisor")


class WorkerStatus(models.TextChoices):
    ACTIVE = "active", _("In post")
    LEFT = "left", _("Left")


class CertLevel(models.IntegerChoices):
    """Ordered, so that a worker's current level is the highest (Max) of the levels held."""

    ASSISTANT = 1, _("Assistant social worker")
    INTERMEDIATE = 2, _("Social worker (intermediate)")
    SENIOR = 3, _("Senior social worker")


class Worker(MaskedNumbers, InRegion, Named, PlainTracked):
    """A social work talent (社工人才). ``region`` is the division whose administrators keep the file: the
    division of the worker's current station, or where the worker was registered if not at a station."""

    region = required_fk("regions.Region", _("division"))
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedTextField(_("ID number"))
    id_number_hash = models.CharField(max_length=64, unique=True)
    id_number_last4 = models.CharField(
        max_length=4, db_index=True, verbose_name=_("last 4 digits of ID number")
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_last4 = models.CharField(max_length=4, blank=True, verbose_name=_("last 4 digits of phone"))
    education = models.CharField(_("education"), max_length=12, choices=Education.choices, blank=True)
    major = models.CharField(_("major"), max_length=50, blank=True)
    employment_type = models.CharField(_("employment type"), max_length=16, choices=EmploymentType.choices)
    post = models.CharField(_("post"), max_length=16, choices=Post.choices, default=Post.SOCIAL_WORKER)
    status = status_field(WorkerStatus, 8)
    agency = optional_fk(
        "workforce.Agency", _("employing agency"), on_delete=models.SET_NULL, related_name="workers"
    )
    # The day the worker joined the workforce and the day they left it: talents at any date, and so growth
    # year on year, are counted from these two.
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = note_field()

    class Meta:
        verbose_name = _("social worker")
        verbose_name_plural = _("social workers")
        ordering = ["region_id", "name", "id"]
        indexes = [models.Index(fields=["region", "status"])]

    @property
    def full_time(self) -> bool:
        return self.employment_type in FULL_TIME_TYPES

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def current_level_label(self) -> str:
        """The label of the highest certificate level, where the selector annotated ``current_level``."""
        level = getattr(self, "current_level", None)
        return CertLevel(level).label if level else ""


class Assignment(Recorded):
    """A worker's time at a station or centre. The open assignment (no end date) is the current one; a move
    closes it and opens the next, so the history stays."""

    SCOPE_FIELD = "facility__region_id"

    worker = parent_fk(Worker, _("worker"), "assignments")
    facility = required_fk("network.Facility", _("station"), related_name="assignments")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = note_field()

    class Meta:
        verbose_name = _("assignment")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(end_date__isnull=True),
                name="workforce_one_open_assignment",
                violation_error_message=_("This worker already has a current station."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="workforce_assignment_ends_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["facility", "end_date"])]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.facility}"


class Certificate(Created):
    """A national social work qualification certificate (全国社会工作者职业水平证书)."""

    SCOPE_FIELD = "worker__region_id"

    worker = parent_fk(Worker, _("worker"), "certificates")
    level = models.PositiveSmallIntegerField(_("level"), choices=CertLevel.choices)
    year = models.PositiveSmallIntegerField(_("year obtained"))
    # The date on the certificate where it is known (ledgers keep it; older records have the year only).
    obtained_on = models.DateField(_("date obtained"), null=True, blank=True)
    # Empty while the number is still to be collected (a ledger that lacks it): listed as a to-do on the
    # workbench until it is completed, never invented.
    number = models.CharField(_("certificate number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-level", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "level"],
                name="workforce_one_certificate_per_level",
                violation_error_message=_("This worker already has a certificate of this level."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="workforce_unique_certificate_number",
                violation_error_message=_("A certificate with this number is already registered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.number}"


class EducationHours(models.Model):
    """Continuing-education hours (继续教育学时) a worker completed in a year, besides the training sessions
    recorded in the system."""

    SCOPE_FIELD = "worker__region_id"

    worker = parent_fk(Worker, _("worker"), "education_hours")
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    note = note_field()

    class Meta:
        verbose_name = _("continuing-education hours")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "year"], name="workforce_one_hours_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}: {self.hours}"


class Rating(models.TextChoices):
    A3 = "3A", _("3A")
    A4 = "4A", _("4A")
    A5 = "5A", _("5A")


class Agency(InRegion, Named, Created):
    """A social work service agency (社会工作服务机构). Stations name their operating agency by its unified
    social credit code, which is how the registry finds the stations an agency runs."""

    region = required_fk("regions.Region", _("registered in"))
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    authority = models.CharField(_("registering authority"), max_length=100)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=2, choices=Rating.choices, blank=True)
    rating_year = models.PositiveSmallIntegerField(_("rating year"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    note = note_field()

    class Meta:
        verbose_name = _("social work agency")
        verbose_name_plural = _("social work agencies")
        ordering = ["region_id", "name"]


# Without a staffing rule, a station is under-staffed when it has no full-time worker at all.
DEFAULT_MINIMUM_STAFF = 1


class StaffingRule(RegionRule):
    """The minimum number of full-time workers a station must have, set for a region (some counties require
    two). The rule of the nearest region above a station applies."""

    minimum = models.PositiveSmallIntegerField(_("minimum full-time workers per station"))
    note = note_field()

    class Meta(RegionRule.Meta):
        verbose_name = _("staffing rule")

    def __str__(self) -> str:
        return f"{self.region_id} ≥ {self.minimum}"


class TrainingKind(models.TextChoices):
    PRE_SERVICE = "pre_service", _("Pre-service")
    ROTATION = "rotation", _("Rotation")
    EXAM_PREP = "exam_prep", _("Exam preparation")
    PRACTICE = "practice", _("Practice placement")
    SUPERVISION = "supervision", _("Supervision")


class TrainingSession(InRegion, Created):
    """A training session (培训). Person-times are its recorded attendees plus the headcount of outsiders."""

    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("type"), max_length=12, choices=TrainingKind.choices)
    organiser = models.CharField(_("organiser"), max_length=100)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    online = models.BooleanField(_("online"), default=False)
    outsiders = models.PositiveIntegerField(_("other participants (headcount)"), default=0)
    note = note_field()

    class Meta:
        verbose_name = _("training session")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    SCOPE_FIELD = "session__region_id"

    session = parent_fk(TrainingSession, _("training session"), "attendances")
    worker = parent_fk(Worker, _("worker"), "attendances")

    class Meta:
        verbose_name = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "worker"], name="workforce_attend_once")]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.session}"


class AwardKind(models.TextChoices):
    ONE_TIME = "one_time", _("One-time award")
    MONTHLY = "monthly", _("Monthly allowance")


class AwardRule(InRegion, Named, Created):
    """A region's award or allowance for a certificate level: a one-time sum for a certificate obtained while
    working in the region (Honghe: 2,000 yuan for 社会工作师, 1,000 for 助理), or a monthly allowance for the
    workers whose current level it is."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=AwardKind.choices)
    level = models.PositiveSmallIntegerField(_("certificate level"), choices=CertLevel.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = note_field()

    class Meta:
        verbose_name = _("award rule")
        ordering = ["region_id", "kind", "level"]


class Payment(Recorded):
    """One payment of a rule to a worker. ``period`` is the month (2025-03) of a monthly allowance and empty
    for a one-time award; the unique constraint is what makes a second payment impossible."""

    SCOPE_FIELD = "worker__region_id"

    rule = required_fk(AwardRule, _("rule"), related_name="payments")
    worker = required_fk(Worker, _("worker"), related_name="payments")
    period = models.CharField(_("period"), max_length=7, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("voucher number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("payment")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "worker", "period"],
                name="workforce_paid_once",
                violation_error_message=_("This award has already been paid to this worker for this period."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} → {self.worker} {self.period}".strip()


class ExpertKind(models.TextChoices):
    EXPERT = "expert", _("Expert")
    SUPERVISOR = "supervisor", _("Supervisor")


class Expert(InRegion, Named):
    """A member of a region's expert and supervisor pool (专家人才库). Only what the pool needs is kept: no ID
    number and no phone; a member who is also a registered worker is linked to the worker's file."""

    region = required_fk("regions.Region", _("pool of"))
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("role in the pool"), max_length=12, choices=ExpertKind.choices)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    specialities = models.CharField(
        _("specialities"), max_length=200, help_text=_("Separate several with commas, e.g. 儿童, 老年, 督导")
    )
    worker = optional_fk(Worker, _("worker file"), on_delete=models.SET_NULL)
    joined_on = models.DateField(_("joined the pool on"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        ordering = ["region_id", "kind", "name"]

    @property
    def speciality_list(self) -> list[str]:
        return [
            s.strip() for s in self.specialities.replace("，", ",").replace("、", ",").split(",") if s.strip()
        ]


class Indicator(models.TextChoices):
    TALENTS = "talents", _("Social work talents")
    CERTIFIED = "certified", _("Certified workers")
    AGENCIES = "agencies", _("Social work agencies")
    FULL_TIME = "full_time", _("Full-time station workers")


class TalentTarget(DatedTarget, Created):
    """A workforce target with a deadline (Ningxia by 2027: 15,000 talents, 7,000 certified, 160 agencies)."""

    indicator = models.CharField(_("indicator"), max_length=12, choices=Indicator.choices)
    value = models.PositiveIntegerField(_("target value"))

    class Meta(DatedTarget.Meta):
        verbose_name = _("workforce target")

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.value}"
