"""People served (服务对象): one file per person across the whole system (一人一档), their household, and the
visits (走访探视) that must not lapse.

A file is keyed by the resident ID number where there is one: the number is stored encrypted, found by its
keyed lookup hash (unique across the system) and shown masked (lib/pii.py). People without an ID number
(infants, vagrants) get a file too; duplicates among them are caught by warnings, not by a key.

Whether a person is due or overdue for a visit is never typed in: it follows from the visits and the frequency
rules (clients/visiting.py), stored on the file by the services that change either, so that a changed rule or
risk level takes effect at once and a ledger over millions of files reads an index.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.lib.bases import Authored, Created, InRegion, Named, Recorded
from shegong.lib.dbfunc import AddDays
from shegong.lib.fields import Sex, note_field, optional_fk, parent_fk, required_fk, user_field
from shegong.lib.pii import EncryptedTextField


class VisitFrequency(models.IntegerChoices):
    """How often a person is to be visited when their file says so (a ledger's 走访频次), in days; without it the
    visit rules of their risk level and categories apply."""

    WEEKLY = 7, _("Once a week")
    HALF_MONTHLY = 15, _("Twice a month")
    MONTHLY = 30, _("Once a month")
    TWO_MONTHLY = 60, _("Every two months")
    QUARTERLY = 90, _("Once a quarter")
    HALF_YEARLY = 180, _("Every half year")
    YEARLY = 365, _("Once a year")


class RiskLevel(models.TextChoices):
    GENERAL = "general", _("Risk: general")
    WATCH = "watch", _("Risk: watch")
    KEY = "key", _("Risk: key")


# The badge a risk level wears on every page (Bootstrap classes).
RISK_BADGES = {RiskLevel.KEY: "text-bg-danger", RiskLevel.WATCH: "text-bg-warning"}


class CareAbility(models.TextChoices):
    SELF = "self", _("Fully self-caring")
    PARTIAL = "partial", _("Partly self-caring")
    DEPENDENT = "dependent", _("Unable to care for oneself")


class Disability(models.TextChoices):
    VISION = "vision", _("Visual disability")
    HEARING = "hearing", _("Hearing disability")
    SPEECH = "speech", _("Speech disability")
    PHYSICAL = "physical", _("Physical disability")
    INTELLECTUAL = "intellectual", _("Intellectual disability")
    MENTAL = "mental", _("Mental disability")
    MULTIPLE = "multiple", _("Multiple disabilities")


class Category(Named):
    """A category of people served (低保, 特困, 留守老人 …): a code table. The shipped rows (DOMAIN.md §3) have no
    region; an administrator adds rows for their own region. Names are data, shown as entered."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    region = optional_fk("regions.Region", _("added by region"))
    sort = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("category of people served")
        ordering = ["sort", "code"]


def next_visit_day():
    """A file's next visit day as an SQL expression over its stored visit status: the interval's days after the
    last visit (or the registration), or the day the last visitor set when that is earlier; NULL without an
    interval. What visiting.status_of says in Python, the ledger sorts on and the visit-due rollup counts."""
    by_interval = AddDays(Coalesce("last_visit_on", "registered_on"), F("visit_interval"))
    return Case(
        When(last_visit_next_due__lt=by_interval, then=F("last_visit_next_due")),
        default=by_interval,
        output_field=models.DateField(),
    )


class Person(InRegion, Named, Recorded):
    """One person served (服务对象), one file across the system."""

    name = models.CharField(_("name"), max_length=50)
    # Pinyin of the name, for search and for duplicate warnings among people without an ID number.
    pinyin = models.CharField(_("pinyin"), max_length=200, blank=True)
    initials = models.CharField(_("pinyin initials"), max_length=50, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)

    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_last4 = models.CharField(max_length=4, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False)

    # No index of its own: the two composite indexes below begin with it.
    region = required_fk("regions.Region", _("village or community of residence"), db_index=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    away_from_registration = models.BooleanField(_("living away from registered residence"), default=False)

    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True, related_name="+")
    care_ability = models.CharField(_("care ability"), max_length=12, choices=CareAbility.choices, blank=True)
    disability = models.CharField(
        _("disability category"), max_length=16, choices=Disability.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True, choices=[(g, str(g)) for g in range(1, 5)]
    )
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.GENERAL
    )
    risk_reason = models.CharField(_("reason for the risk level"), max_length=200, blank=True)
    visit_every_days = models.PositiveSmallIntegerField(
        _("visit frequency"),
        null=True,
        blank=True,
        choices=VisitFrequency.choices,
        help_text=_("Leave empty to follow the visit rules of the person's risk level and categories."),
    )

    # Children need a guardian on file; under-14s need the guardian's consent (PIPL art. 31).
    guardian_name = models.CharField(_("guardian"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=20, blank=True)
    guardian_phone = EncryptedTextField(_("guardian's phone"), blank=True)
    guardian_consent = models.BooleanField(_("guardian consented to processing"), default=False)
    guardian_consent_on = models.DateField(_("date of guardian's consent"), null=True, blank=True)

    note = models.TextField(_("note"), blank=True)
    # The social worker who looks after this person (责任社工): their workbench lists the person's visits.
    responsible = user_field(_("responsible worker"), on_delete=models.SET_NULL)
    active = models.BooleanField(_("file open"), default=True)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    # The day the file was closed (active set to False); the people figures as of a day count a file from its
    # registration to this day.
    closed_on = models.DateField(_("file closed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Visit status, derived from the visits and the visit rules and stored so that ledgers and figures over
    # millions of people need no per-person subqueries. Kept current by the services that record visits,
    # change files and change rules (clients/visiting.refresh_visit_status); `shegong rollups rebuild`
    # recomputes them from scratch and `shegong rollups check` compares them with the records.
    last_visit_on = models.DateField(null=True, blank=True, editable=False)
    last_visit_next_due = models.DateField(null=True, blank=True, editable=False)
    visit_interval = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The next visit's day (下次走访日期), kept by the database itself from the three values above: the ledger
    # filters and sorts on it through an index instead of computing it for every open file of the region.
    visit_due_on = models.GeneratedField(
        expression=next_visit_day(), output_field=models.DateField(), db_persist=True
    )

    class Meta:
        verbose_name = _("person served")
        verbose_name_plural = _("people served")
        ordering = ["region_id", "pinyin", "id"]
        constraints = [
            # 一人一档: one file per ID number across the whole system.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="clients_one_file_per_id_number",
                violation_error_message=_("A file with this ID number already exists."),
            )
        ]
        indexes = [
            models.Index(fields=["region", "risk_level"]),
            # The people list's order: page 1 of a region is a range scan of this index, not a sort.
            models.Index(fields=["region", "pinyin", "id"], name="clients_person_list_order"),
            # The list filtered by risk level (the bureaus' "key people" list): one range of this index gives
            # its first page in order and its count, without reading the rows of other levels.
            models.Index(
                fields=["risk_level", "region", "pinyin", "id"],
                name="clients_person_risk_list",
                condition=Q(active=True),
            ),
            # Declared here rather than with db_index=True, which on PostgreSQL adds a second, "_like" index
            # to every text column: one index each, every insert of a large import pays for each. Searches
            # match pinyin and initials from their start, so those two take the pattern operator class
            # (PostgreSQL only; it also serves equality); hashes and last digits are matched whole.
            models.Index(fields=["pinyin"], name="clients_person_pinyin", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["initials"], name="clients_person_initials", opclasses=["varchar_pattern_ops"]
            ),
            # The ledger's order (most overdue first) and its "overdue" filter: a province administrator's first
            # page is the head of this index, not a sort of two million files.
            models.Index(fields=["visit_due_on", "id"], name="clients_person_due", condition=Q(active=True)),
            models.Index(fields=["id_number_hash"], name="clients_person_id_hash"),
            models.Index(fields=["id_number_last4"], name="clients_person_id_last4"),
            models.Index(fields=["phone_hash"], name="clients_person_phone_hash"),
            models.Index(fields=["phone_last4"], name="clients_person_phone_last4"),
        ]

    def age_on(self, day: dt.date) -> int | None:
        if not self.birth_date:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())


class RelationKind(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relation")


class HouseholdMember(Named):
    """A member of a person's household; linked to the member's own file where there is one."""

    SCOPE_FIELD = "person__region_id"

    person = parent_fk(Person, _("person"), "household")
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=12, choices=RelationKind.choices)
    member = optional_fk(Person, _("member's own file"), on_delete=models.SET_NULL)
    lives_together = models.BooleanField(_("lives in the household"), default=True)
    note = note_field(100)

    class Meta:
        verbose_name = _("household member")
        ordering = ["id"]


class VisitMode(models.TextChoices):
    HOME = "home", _("Home visit")
    PHONE = "phone", _("Phone call")
    STATION = "station", _("At the station")
    ONLINE = "online", _("Online")


class Visit(InRegion, Created):
    """One visit (走访探视) to a person served."""

    person = required_fk(Person, _("person served"), related_name="visits")
    # The person's village, kept equal to the person's own (moving a file moves its visits: services
    # person_update and the people import). The visit lists are scoped by a range of it, so a township's newest
    # page reads that township's visits through the index below instead of walking the newest visits of the
    # whole database and probing each one's person (a township of a prefecture: 17,727 probes, 250 ms).
    region = required_fk("regions.Region", _("village or community"), db_index=False, editable=False)
    visited_on = models.DateField(_("date of visit"))
    mode = models.CharField(_("mode"), max_length=8, choices=VisitMode.choices, default=VisitMode.HOME)
    visitor = user_field(_("visitor"), optional=False)
    findings = models.TextField(_("findings"), blank=True)
    needs = models.TextField(_("needs spotted"), blank=True)
    # Defaults to the date the frequency rule gives; a visitor may bring it forward, never push it back.
    next_due = models.DateField(_("next visit due"), null=True, blank=True)
    # Evidence of where the visit took place, kept only when the visitor attaches it (a button on the form);
    # never asked for, never a check-in, never used to rank or measure staff (基层减负, DOMAIN.md §7).
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("visit")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["person", "-visited_on"]),
            # The visit list's order (page and API): the newest page is a walk of this index, not a sort of
            # every visit in the scope (prefecture, 679,339 visits: 250 ms sorting on disk).
            models.Index(fields=["-visited_on", "-id"], name="clients_visit_newest"),
            models.Index(fields=["region", "-visited_on", "-id"], name="clients_visit_scoped"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.visited_on:%Y-%m-%d}"


class VisitRule(models.Model):
    """How often people must be visited: by risk level or by category, in days. Rules without a region are the
    national defaults; a region's own rule for the same risk level or category replaces the one above it for
    the people inside it. A person is due after the shortest interval of the rules that apply to them."""

    SCOPE_FIELD = "region_id"

    region = optional_fk("regions.Region", _("region"))
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, blank=True)
    category = optional_fk(Category, _("category"), on_delete=models.CASCADE)
    interval_days = models.PositiveSmallIntegerField(_("visit at least every (days)"))

    class Meta:
        verbose_name = _("visit frequency rule")
        ordering = ["region_id", "risk_level", "category_id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(risk_level="") & Q(category__isnull=False))
                | (~Q(risk_level="") & Q(category__isnull=True)),
                name="clients_rule_by_risk_or_category",
                violation_error_message=_("A rule is for a risk level or for a category, not both."),
            ),
        ]

    def __str__(self) -> str:
        key = self.get_risk_level_display() if self.risk_level else str(self.category)
        return f"{key}: {self.interval_days}"

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.risk_level, self.category_id)


class PeopleCount(models.Model):
    """Rollup of open files per village: by risk level (``category`` empty) and by category (``risk_level``
    empty). The figures of a province sum ~10^5 of these instead of scanning two million files. Each write to
    a file recounts its village (and its former one) — a GROUP BY over a village's files, so the counts are
    never adjusted by arithmetic that could drift; `shegong rollups rebuild|check` as for the others."""

    SCOPE_FIELD = "region_id"

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    risk_level = models.CharField(max_length=8, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["region", "category"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.risk_level or self.category_id}: {self.n}"


class VisitDueCount(models.Model):
    """Rollup of the visit status per village, for the figures' due and overdue counts (clients/tallies.py):
    the open files with a visit rule by the day their next visit is due (``due``, ``key_due`` of them key-risk)
    and the key-risk files by the last day their last visit covers (``key_covered``: last visit + interval).

    A village is recounted from its files by every write that changes their visit status or their village.
    A day before the recount is stored as the day before it: on any later day those files are all overdue (not
    covered), so a village keeps one row for "before" and one per day to come, and the figures of any later
    day are exact: overdue = ``due`` on days before today, key coverage = ``key_covered`` on today or after.
    A row holds due counts or coverage counts, never both (the two are counted by different days)."""

    SCOPE_FIELD = "region_id"

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    due = models.PositiveIntegerField(default=0)
    key_due = models.PositiveIntegerField(default=0)
    key_covered = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["region", "day"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day:%Y-%m-%d}: {self.due}/{self.key_due}/{self.key_covered}"


class VisitDueTotal(models.Model):
    """``VisitDueCount`` summed per township (乡镇/街道, ``level`` 9) and per county (区县, ``level`` 6), the
    length of their codes: the summaries of a prefecture's or a province's ledger, workbench and figures read
    these rows, not every village's (a province has 590,000 village rows, its 129 counties about 24,000).
    Recounted from the village rows with them, under the same locks (clients/tallies.py)."""

    SCOPE_FIELD = "region_id"
    # The levels summed, as the lengths of their codes: county, township.
    LEVELS = (6, 9)

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    day = models.DateField()
    due = models.PositiveIntegerField(default=0)
    key_due = models.PositiveIntegerField(default=0)
    key_covered = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["level", "region", "day"], name="clients_due_total")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day:%Y-%m-%d}: {self.due}/{self.key_due}/{self.key_covered}"


# --- What a visit finds: the checklist, photos, location, follow-up tasks ---------------------------


class Topic(models.TextChoices):
    """The five things a visit looks at (issue 16.3)."""

    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    INCOME = "income", _("Income")
    NEEDS = "needs", _("Needs")


class ChecklistItem(models.Model):
    """One question of the visit checklist (走访清单). Items without a category are asked at every visit;
    an item with a category only when the person has it. Items without a region are the national ones; a
    region adds its own for the people inside it. The answer is data (``VisitAnswer``), counted by the
    figures: "unsafe housing found" per region is the count of concerns of the housing item."""

    SCOPE_FIELD = "region_id"

    code = models.CharField(_("code"), max_length=32, unique=True)
    topic = models.CharField(_("topic"), max_length=8, choices=Topic.choices)
    question = models.CharField(_("question"), max_length=100)
    # What the figures call a concern: "unsafe housing found" for 住房是否安全.
    concern_label = models.CharField(_("name of a concern in figures"), max_length=50)
    category = optional_fk(Category, _("only for the category"), on_delete=models.CASCADE)
    region = optional_fk("regions.Region", _("added by region"))
    sort = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("visit checklist item")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.question


class Answer(models.TextChoices):
    OK = "ok", _("Fine")
    CONCERN = "concern", _("Problem found")


class VisitAnswer(models.Model):
    """The answer to one checklist item at one visit; an item not looked at has no row."""

    SCOPE_FIELD = "visit__person__region_id"

    visit = parent_fk(Visit, _("visit"), "answers")
    item = required_fk(ChecklistItem, _("checklist item"), related_name="answers")
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)

    class Meta:
        verbose_name = _("checklist answer")
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="clients_one_answer_per_item")]
        indexes = [models.Index(fields=["item", "answer"])]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_answer_display()}"


def private_files():
    """Private file storage (never under MEDIA_ROOT, never served directly): settings.STORAGES["private"]."""
    return storages["private"]


def _photo_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"visit-photos/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class VisitPhoto(Created):
    """A photo taken at a visit: evidence, kept privately and shown only to those who may see the file
    (clients.views_visits.visit_photo, audited as a view of personal data)."""

    SCOPE_FIELD = "visit__person__region_id"

    visit = parent_fk(Visit, _("visit"), "photos")
    image = models.FileField(_("photo"), storage=private_files, upload_to=_photo_path, max_length=200)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("visit photo")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.visit_id}#{self.pk}"


class FollowUp(Authored):
    """A follow-up task (跟进事项) out of a visit: what, whose, by when. It appears on the owner's
    workbench (selectors.followup_list) until it is marked done."""

    SCOPE_FIELD = "person__region_id"

    person = required_fk(Person, _("person served"), related_name="followups")
    visit = optional_fk(Visit, _("visit"), on_delete=models.SET_NULL, related_name="followups")
    task = models.CharField(_("follow-up task"), max_length=200)
    owner = user_field(_("owner"), optional=False)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.task

    @property
    def overdue_days(self) -> int:
        if self.done_on:
            return 0
        return max((timezone.localdate() - self.due_on).days, 0)


class Draft(models.Model):
    """What a worker typed into a form and has not saved yet, kept on the server while online (the browser
    keeps its own copy in localStorage: static/shegong/drafts.js). One per user and form address; the values
    may hold personal data, so they are stored encrypted (lib/pii.py, lib/fieldcrypto.py). Deleted when the
    form is saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(_("form address"), max_length=300)
    title = models.CharField(_("form"), max_length=100, blank=True)
    data = EncryptedTextField(_("values typed"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("saved at"))

    class Meta:
        verbose_name = _("draft")
        constraints = [models.UniqueConstraint(fields=["user", "url"], name="clients_one_draft_per_form")]

    def __str__(self) -> str:
        return self.url
