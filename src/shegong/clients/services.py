"""Writes of people served, households, visits and the code tables. Every write goes through here: the pages,
the API and the Excel imports call the same functions."""

import copy
import dataclasses
import datetime as dt
from decimal import Decimal
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from shegong.accounts.roles import Cap, Role
from shegong.clients import tallies, visiting
from shegong.clients.models import (
    Answer,
    Category,
    ChecklistItem,
    Draft,
    FollowUp,
    HouseholdMember,
    Person,
    RiskLevel,
    Visit,
    VisitAnswer,
    VisitPhoto,
    VisitRule,
)
from shegong.clients.selectors import category_list, person_duplicates
from shegong.jobs.services import job_start
from shegong.lib import bulk
from shegong.lib.guard import require, require_choice
from shegong.lib.pii import by_lookup_hash, hash_in, lookup_hash, parse_resident_id, phone_normalise
from shegong.lib.rows import save_valid
from shegong.lib.scoping import applies_q, code_prefix_q, in_jurisdiction
from shegong.lib.uploads import PHOTO, check_upload
from shegong.regions.models import Level, Region

# The fields a caller may set on a person file, besides region, name and categories.
PERSON_FIELDS = (
    "id_number",
    "phone",
    "sex",
    "birth_date",
    "address",
    "away_from_registration",
    "care_ability",
    "disability",
    "disability_grade",
    "risk_level",
    "risk_reason",
    "visit_every_days",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "guardian_consent",
    "guardian_consent_on",
    "note",
    "active",
    "registered_on",
    "closed_on",
    "responsible",
)

# Fields whose empty value is NULL (the others are empty text).
NULLABLE_FIELDS = frozenset(
    ("birth_date", "guardian_consent_on", "disability_grade", "visit_every_days", "closed_on", "responsible")
)
ADULT_AGE = 18
CONSENT_AGE = 14


@lru_cache(maxsize=4096)
def name_pinyin(name: str) -> tuple[str, str]:
    """("zhangsan", "ZS") for 张三: the full pinyin for duplicate checks, the initials for search."""
    full = "".join(lazy_pinyin(name, errors="ignore")).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).upper()
    return full[:200], initials[:50]


def _check_village(actor, region: Region) -> None:
    if region is None or region.level != Level.VILLAGE:
        raise ValidationError({"region": _("Choose a village or community (a 12-digit division code).")})
    require_choice(actor, region, "region", _("This village is outside your jurisdiction."))


class PossibleDuplicates(ValidationError):
    """Files that may be the same person exist; the caller must confirm to create another."""

    def __init__(self, message, matches):
        super().__init__({"confirm_duplicates": message})
        self.matches = matches


# The fields person_validate sets besides those the caller gives: the name and what is derived from the ID
# number and the phones.
DERIVED_FIELDS = frozenset(
    ("name", "pinyin", "initials", "id_number_hash", "id_number_last4", "phone_hash", "phone_last4", "sex")
    + ("birth_date", "phone", "guardian_phone", "id_number")
)


def person_validate(
    person: Person, *, name: str, region: Region, fields: dict, today: dt.date | None = None
) -> None:
    """Set a file's fields from what the caller gave, derive what follows from them and check them, without a
    query: the ID number (check character; birth date and sex are taken from it), phones, a child's guardian
    and consent, the disability grade, the reason for a risk level, and each field set against its own limits.

    The pages, the API and the batched Excel import share these rules through here; the checks that need the
    database (one file per ID number, possible duplicates, jurisdiction) stay with the callers. Raises one
    ValidationError naming every field at fault; the person is left changed either way. ``today`` (the local
    date) may be given by a caller that checks many files at once."""
    errors = _apply(person, name=name, region=region, fields=fields, today=today or timezone.localdate())
    # Only what was set here is checked field by field: the rest is as it was loaded or by default. The region
    # is a Region the caller holds; whether the row exists is a question for the database.
    touched = (DERIVED_FIELDS | fields.keys()) - errors.keys()
    try:
        person.clean_fields(exclude={f.name for f in Person._meta.fields if f.name not in touched})
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _apply(person: Person, *, name: str, region: Region, fields: dict, today: dt.date) -> dict[str, list]:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(person, key, "" if value is None and key not in NULLABLE_FIELDS else value)
    # The day the file was closed, for the figures as of a day: given, or today when it is closed now; an open
    # file has none.
    if person.active:
        person.closed_on = None
    elif person.closed_on is None:
        person.closed_on = today
    person.name = (name or "").strip()
    person.region = region
    person.pinyin, person.initials = name_pinyin(person.name)
    errors: dict[str, list] = {}
    if "responsible" in fields and person.responsible is not None:
        worker = person.responsible
        own = worker.jurisdiction_code
        if (
            worker.role != Role.WORKER
            or not worker.is_active
            or not own
            or not (region.code.startswith(own) or own.startswith(region.code[:9]))
        ):
            errors["responsible"] = [_("The responsible worker must be a social worker of this township.")]

    number = (person.id_number or "").strip().upper().replace(" ", "")
    if number:
        try:
            parsed = parse_resident_id(number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        else:
            person.id_number = parsed.number
            person.birth_date = parsed.birth_date
            person.sex = parsed.sex
    person.id_number_hash = lookup_hash(number) if number else ""
    person.id_number_last4 = number[-4:] if number else ""

    for field, has_hash in (("phone", True), ("guardian_phone", False)):
        raw = (getattr(person, field) or "").strip()
        if raw:
            try:
                raw = phone_normalise(raw)
            except ValidationError as exc:
                errors[field] = exc.messages
        setattr(person, field, raw)
        if has_hash:
            person.phone_hash = lookup_hash(raw) if raw else ""
            person.phone_last4 = raw[-4:] if raw else ""

    age = person.age_on(today)
    if person.birth_date and person.birth_date > today:
        errors.setdefault("birth_date", []).append(_("The date of birth is in the future."))
    if age is not None and age < ADULT_AGE and not person.guardian_name.strip():
        errors.setdefault("guardian_name", []).append(_("A child's file needs a guardian."))
    if age is not None and age < CONSENT_AGE and not (person.guardian_consent and person.guardian_consent_on):
        errors.setdefault("guardian_consent", []).append(
            _("For a child under 14 the guardian's consent and its date must be recorded (PIPL art. 31).")
        )
    if person.disability_grade and not person.disability:
        errors.setdefault("disability", []).append(_("Give the disability category for the grade."))
    if person.risk_level in (RiskLevel.WATCH, RiskLevel.KEY) and not person.risk_reason.strip():
        errors.setdefault("risk_reason", []).append(_("Give the reason for this risk level."))
    return errors


def _check_unique_id(person: Person) -> None:
    if not person.id_number_hash:
        return
    # Every hash version: during a key rotation the other file may not be re-hashed yet.
    clash = Person.objects.filter(hash_in("id_number_hash", person.id_number)).exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError(
            {
                "id_number": _(
                    "A file with this ID number already exists (one person, one file). Search for it, or ask "
                    "the region that keeps it to transfer it."
                )
            }
        )


def _check_duplicates(person: Person, actor, confirmed: bool) -> None:
    if person.id_number_hash or confirmed:
        return

    visible, hidden = person_duplicates(
        user=actor, name=person.name, pinyin=person.pinyin, birth_date=person.birth_date, exclude_pk=person.pk
    )
    if visible or hidden:
        names = "、".join(f"{p.name}（{p.region.name}）" for p in visible)
        message = _(
            "%(count)d file(s) with the same name or pinyin and date of birth already exist: %(names)s. "
            "Check them; if this is another person, tick “Create anyway”."
        ) % {"count": len(visible) + hidden, "names": names or _("outside your jurisdiction")}
        raise PossibleDuplicates(message, visible)


def _set_categories(person: Person, actor, categories) -> None:

    wanted = list(categories or [])
    allowed = set(category_list(user=actor).values_list("pk", flat=True))
    bad = [c for c in wanted if c.pk not in allowed]
    if bad:
        raise ValidationError(
            {"categories": _("Unknown category: %(names)s") % {"names": "、".join(map(str, bad))}}
        )
    person.categories.set(wanted)


@transaction.atomic
def person_create(
    *,
    actor,
    name: str,
    region: Region,
    categories=(),
    confirm_duplicates: bool = False,
    **fields,
) -> Person:
    """Open a file. An ID number already on file anywhere is refused (一人一档); without an ID number,
    files with the same name or pinyin and birth date must be looked at and confirmed first."""
    require(actor, Cap.DATA_EDIT)
    _check_village(actor, region)
    person = Person(created_by=actor)
    person_validate(person, name=name, region=region, fields=fields)
    _check_unique_id(person)
    _check_duplicates(person, actor, confirm_duplicates)
    save_valid(person)
    _set_categories(person, actor, categories)
    visiting.refresh_person(person)
    tallies.recount_villages([person.region_id])
    return person


@transaction.atomic
def person_update(*, actor, person: Person, name: str, region: Region, categories=None, **fields) -> Person:
    require(actor, Cap.DATA_EDIT, person.region_id)
    _check_village(actor, region)
    former_village = person.region_id
    person_validate(person, name=name, region=region, fields=fields)
    _check_unique_id(person)
    save_valid(person)
    if person.region_id != former_village:
        Visit.objects.filter(person=person).update(region_id=person.region_id)
    if categories is not None:
        _set_categories(person, actor, categories)
    visiting.refresh_person(person)
    tallies.recount_villages([former_village, person.region_id])
    return person


@transaction.atomic
def person_add_categories(*, actor, person: Person, categories) -> None:
    """Add categories without removing any (used by imports that meet a file again)."""
    require(actor, Cap.DATA_EDIT, person.region_id)
    current = list(person.categories.all())
    _set_categories(person, actor, {*current, *categories})
    visiting.refresh_person(person)
    tallies.recount_villages([person.region_id])


# The columns an import may change on a file it meets again; compared before and after, so that a file the
# ledger leaves as it was is not written.
IMPORT_WRITTEN_FIELDS = (
    "name",
    "pinyin",
    "initials",
    "region_id",
    "id_number_hash",
    "id_number_last4",
    "phone_hash",
    "phone_last4",
    *(f for f in PERSON_FIELDS if f != "responsible"),
)


@dataclasses.dataclass
class PeopleWritten:
    """What :func:`people_import_many` wrote: the files opened and the files met again (with the fields that
    changed on them), the category links added, and the villages whose counts the write changed (recount them
    once, with :func:`tallies.recount_villages`, when the import ends)."""

    created: list = dataclasses.field(default_factory=list)
    updated: list = dataclasses.field(default_factory=list)
    changed_fields: set = dataclasses.field(default_factory=set)
    links: list = dataclasses.field(default_factory=list)
    villages: set = dataclasses.field(default_factory=set)


class _PeopleBatch:
    """The state of one people_import_many call: the files to open, those met again with the fields that
    changed on them, the categories wanted, the ID numbers of the new files."""

    def __init__(self, actor, today: dt.date):
        self.actor, self.today = actor, today
        self.allowed = set(category_list(user=actor).values_list("pk", flat=True))
        self.blank = Person(created_by_id=actor.pk)  # copied for each new file: cheaper than a new instance
        self.result = PeopleWritten()
        self.updated: dict[int, tuple[Person, set[str]]] = {}
        self.wanted_links: list[tuple[Person, list[int]]] = []
        self.new_numbers: dict[str, Person] = {}

    def _refuse_outside(self, region, person) -> None:
        if region is None or region.level != Level.VILLAGE:
            raise ValidationError({"region": _("Choose a village or community (a 12-digit division code).")})
        if not in_jurisdiction(self.actor, region.code):
            raise ValidationError({"region": _("This village is outside your jurisdiction.")})
        if person is not None and not in_jurisdiction(self.actor, person.region_id):
            message = _(
                "A file with this ID number exists outside your jurisdiction; ask that region to transfer it."
            )
            raise ValidationError({"id_number": message})

    def take(self, entry: dict) -> None:
        """Check one entry by the pages' rules (person_validate) and keep it for the batch's writes."""
        region, person = entry["region"], entry.get("person")
        self._refuse_outside(region, person)
        bad = [c for c in entry.get("categories") or () if c not in self.allowed]
        if bad:
            raise ValidationError({"categories": _("Unknown category: %(names)s") % {"names": bad}})
        new = person is None
        if new:
            person, before = copy.copy(self.blank), None
        else:
            before = [getattr(person, f) for f in IMPORT_WRITTEN_FIELDS]
            self.result.villages.add(person.region_id)  # its former village is recounted too
        fields = entry.get("fields") or {}
        person_validate(person, name=entry["name"], region=region, fields=fields, today=self.today)
        self.result.villages.add(region.code)
        if new:
            if person.id_number:
                if person.id_number in self.new_numbers:
                    raise ValidationError({"id_number": _("The same ID number is given twice.")})
                self.new_numbers[person.id_number] = person
            self.result.created.append(person)
        else:
            changed = {
                f for f, old in zip(IMPORT_WRITTEN_FIELDS, before, strict=True) if getattr(person, f) != old
            }
            self.updated.setdefault(person.pk, (person, set()))[1].update(changed)
        self.wanted_links.append((person, list(entry.get("categories") or ())))

    def insert_new(self, rules) -> None:
        created = self.result.created
        if self.new_numbers and by_lookup_hash(
            Person.objects.all(), "id_number_hash", list(self.new_numbers)
        ):
            raise ValidationError(
                {"id_number": _("A file with this ID number already exists (one person, one file).")}
            )
        if not created:
            return
        # A new file has no visits: its stored visit status is the interval its rules give, worked out here
        # rather than by an UPDATE of the rows just written.
        rules = visiting.rules_for_area(self.actor.jurisdiction_code) if rules is None else rules
        categories = {id(person): set(ids) for person, ids in self.wanted_links}
        for person in created:
            person.visit_interval = visiting.interval_of(
                rules,
                region=person.region_id,
                risk_level=person.risk_level,
                category_ids=categories.get(id(person), set()),
                own=person.visit_every_days,
            )
        bulk.insert(Person, created)

    def update_changed(self) -> list[Person]:
        changed = [person for person, fields in self.updated.values() if fields]
        if changed:
            now = timezone.now()
            for person in changed:
                person.updated_at = now
            fields = set().union(*(fields for _p, fields in self.updated.values()))
            Person.objects.bulk_update(changed, [*sorted(fields), "updated_at"])
            moved = [p.pk for p, f in self.updated.values() if "region_id" in f]
            if moved:  # a file that moves takes its visits along (Visit.region)
                home = Person.objects.filter(pk=OuterRef("person_id")).values("region_id")[:1]
                Visit.objects.filter(person_id__in=moved).update(region_id=Subquery(home))
        return changed

    def link_categories(self) -> set[tuple[int, int]]:
        through = Person.categories.through
        wanted = {
            (person.pk, category) for person, categories in self.wanted_links for category in categories
        }
        if wanted and self.updated:
            wanted -= set(
                through.objects.filter(person_id__in=list(self.updated)).values_list(
                    "person_id", "category_id"
                )
            )
        if wanted:
            self.result.links = [
                through(person_id=person, category_id=category) for person, category in sorted(wanted)
            ]
            bulk.insert(through, self.result.links)
        return wanted


def people_import_many(
    *, actor, entries: list[dict], rules=None, today: dt.date | None = None
) -> PeopleWritten:
    """Open and update many files at once: the write step of the people ledger (clients/ledgers_people.py).

    Each entry is ``{"person": the file met again or None, "name", "region", "fields", "categories"}`` (fields
    as for person_create; categories as ids of the actor's category table, added to those on file, none
    removed). Every file goes through the rules the pages use (person_validate), the village must be inside
    the actor's jurisdiction, a file met again too, and an ID number may open no second file. Any entry at
    fault raises one ValidationError and writes nothing. New files are inserted at once (COPY on PostgreSQL,
    lib/bulk.insert), changed ones updated in one statement, categories added in one insert, the stored visit
    status of the files met again refreshed in one update; new files get theirs before the insert. The per-
    village counts are left to the caller (once per import, not per batch)."""
    require(actor, Cap.DATA_EDIT)
    batch = _PeopleBatch(actor, today or timezone.localdate())
    for entry in entries:
        batch.take(entry)
    batch.insert_new(rules)
    changed = batch.update_changed()
    wanted = batch.link_categories()
    # The stored visit status of files on record follows their risk level, categories and village, as after
    # the one-file service's writes (one UPDATE; new files got theirs before the insert).
    result = batch.result
    new = {p.pk for p in result.created}
    stale = {p.pk for p in changed} | {person for person, _c in wanted if person not in new}
    if stale:
        visiting.refresh_visit_status(Person.objects.filter(pk__in=stale), area=actor.jurisdiction_code)
    result.updated = [person for person, _f in batch.updated.values()]
    result.changed_fields = set().union(set(), *(f for _p, f in batch.updated.values()))
    return result


@transaction.atomic
def household_member_add(
    *,
    actor,
    person: Person,
    name: str,
    relation: str,
    member: Person | None = None,
    lives_together: bool = True,
    note: str = "",
) -> HouseholdMember:
    require(actor, Cap.DATA_EDIT, person.region_id)
    if member is not None and member.pk == person.pk:
        raise ValidationError({"member": _("A person is not a member of their own household.")})
    row = HouseholdMember(
        person=person,
        name=(name or (member.name if member else "")).strip(),
        relation=relation,
        member=member,
        lives_together=lives_together,
        note=note,
    )
    return save_valid(row)


@transaction.atomic
def household_member_remove(*, actor, member: HouseholdMember) -> None:
    require(actor, Cap.DATA_EDIT, member.person.region_id)
    member.delete()


# --- Visits -----------------------------------------------------------------------------------


def _visit_new(
    *,
    actor,
    person: Person,
    visited_on: dt.date,
    mode: str,
    findings: str = "",
    needs: str = "",
    next_due: dt.date | None = None,
    answers: dict | None = None,
    latitude=None,
    longitude=None,
    visitor=None,
    interval=None,
) -> tuple[Visit, dict]:
    """The checks of one visit and the visit, not saved yet, with its checklist answers: the one validation of
    :func:`visit_create` and :func:`visits_create_many`. ``interval`` (person → days between visits by the
    rules, or None) lets a batch read the rules once; by default they are read for the person."""
    require(actor, Cap.DATA_EDIT, person.region_id)
    visitor = visitor or actor
    if visitor != actor and (not visitor.is_active or not in_jurisdiction(actor, visitor.jurisdiction_code)):
        raise ValidationError({"visitor": _("The social worker's account is outside your jurisdiction.")})
    if not person.active:
        raise ValidationError(_("This file is closed; reopen it before recording visits."))
    today = timezone.localdate()
    answers = {item: value for item, value in (answers or {}).items() if value}
    errors = {}
    if visited_on > today:
        errors["visited_on"] = _("The date of the visit is in the future.")
    elif person.birth_date and visited_on < person.birth_date:
        errors["visited_on"] = _("The date of the visit is before the person's birth.")
    if not findings.strip() and not needs.strip() and not answers:
        errors["findings"] = _(
            "The visit is empty: write what you found, or answer at least one question of the checklist."
        )
    allowed = {item.pk for item in checklist_for(person)} if answers else set()
    for item, value in answers.items():
        if item.pk not in allowed:
            errors["answers"] = _("“%(item)s” is not on this person's checklist.") % {"item": item}
        elif value not in Answer.values:
            errors["answers"] = _("“%(item)s”: choose fine or problem found.") % {"item": item}
    days = (interval or visiting.interval_for)(person)
    # Not from a refused date: one in year 9999 has no next visit (the sum overflows).
    latest = visited_on + dt.timedelta(days=days) if days and "visited_on" not in errors else None
    if next_due is None:
        next_due = latest
    elif next_due <= visited_on:
        errors["next_due"] = _("The next visit must come after this one.")
    elif latest and next_due > latest:
        errors["next_due"] = _("The visit rule asks for the next visit by %(date)s at the latest.") % {
            "date": latest.isoformat()
        }
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("The location needs both latitude and longitude.")
    elif latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        errors["latitude"] = _("The location is not a valid position.")
    if errors:
        raise ValidationError(errors)
    if latitude is not None:
        six = Decimal("0.000001")
        latitude, longitude = Decimal(str(latitude)).quantize(six), Decimal(str(longitude)).quantize(six)
    visit = Visit(
        person=person,
        region_id=person.region_id,
        visited_on=visited_on,
        mode=mode,
        visitor=visitor,
        findings=findings.strip(),
        needs=needs.strip(),
        next_due=next_due,
        latitude=latitude,
        longitude=longitude,
    )
    return visit, answers


@transaction.atomic
def visit_create(
    *,
    actor,
    person: Person,
    photos=(),
    followup_task: str = "",
    followup_owner=None,
    followup_due_on: dt.date | None = None,
    **fields,
) -> Visit:
    """Record a visit (``fields``: those of :func:`_visit_new`): what was found (in words, or as checklist
    ``answers`` {item: "ok"|"concern"}), photos, the location if the visitor attached it, and a follow-up task.
    An empty visit is refused. The next visit is computed from the visit's own date (so a visit recorded
    afterwards is accepted) and may be brought forward, never pushed past the rule. The visit is credited to
    ``visitor`` (the social worker who went, an account of the actor's jurisdiction; the actor by default: a
    visit imported from a ledger names its own)."""
    require(actor, Cap.DATA_EDIT, person.region_id)
    visit, answers = _visit_new(actor=actor, person=person, **fields)
    checked = []
    for number, upload in enumerate(photos, start=1):
        label = _("Photo %(n)d") % {"n": number}
        checked.append((upload, check_upload(upload, accept=PHOTO, field=label, key="photos")))
    save_valid(visit)
    VisitAnswer.objects.bulk_create(
        [VisitAnswer(visit=visit, item=item, answer=value) for item, value in answers.items()]
    )
    for upload, kind in checked:
        photo = VisitPhoto(visit=visit, content_type=f"image/{kind}", size=upload.size)
        photo.image.save(upload.name, upload, save=False)
        photo.save()
    if followup_task.strip():
        followup_create(
            actor=actor,
            person=person,
            visit=visit,
            task=followup_task,
            owner=followup_owner or actor,
            due_on=followup_due_on,
        )
    visiting.refresh_person(person)
    return visit


@transaction.atomic
def visits_create_many(*, actor, entries: list[dict]) -> list[Visit]:
    """Many visits at once (the visit ledger's batches): each entry holds the fields of :func:`visit_create`
    (person, visited_on, mode, findings, needs, next_due, visitor) and is checked by the same validation, the
    visit rules read once and each person's categories in one query; then one bulk insert and one refresh of
    the visit status of the people visited. A visit that fails raises its ValidationError and nothing is
    written. Returns the visits created."""
    require(actor, Cap.DATA_EDIT)
    ids = {fields["person"].pk for fields in entries}
    categories: dict[int, set] = {pk: set() for pk in ids}
    through = Person.categories.through.objects.filter(person_id__in=ids)
    for person_id, category_id in through.values_list("person_id", "category_id"):
        categories[person_id].add(category_id)
    area = actor.jurisdiction_code or ""
    rules = visiting.rules_for_area(area)

    def interval(person: Person) -> int | None:
        return visiting.interval_of(
            rules,
            region=person.region_id,
            risk_level=person.risk_level,
            category_ids=categories[person.pk],
            own=person.visit_every_days,
        )

    visits = []
    for fields in entries:
        visit, _answers = _visit_new(actor=actor, interval=interval, **fields)
        # The person and the visitor are rows the ledger read: checking that each still exists would cost two
        # queries a visit.
        visit.full_clean(exclude=["person", "visitor"], validate_unique=False)
        visits.append(visit)
    Visit.objects.bulk_create(visits, batch_size=500)
    visiting.refresh_visit_status(Person.objects.filter(pk__in=ids), area=area)
    return visits


def checklist_for(person: Person):
    """The checklist items asked of ``person``: those for everybody and those of the person's categories,
    national or of a region above or at the person's village."""

    categories = [c.pk for c in person.categories.all()]
    return list(
        ChecklistItem.objects.filter(active=True)
        .filter(applies_q("region_id", person.region_id, templates=True))
        .filter(Q(category__isnull=True) | Q(category_id__in=categories))
        .select_related("category")
        .order_by("sort", "id")
    )


@transaction.atomic
def checklist_item_create(
    *, actor, code: str, topic: str, question: str, concern_label: str, category: Category | None = None
) -> ChecklistItem:
    """An administrator adds a checklist item for their region (for everybody or for one category)."""
    require(actor, Cap.CASEWORK_CONFIGURE)
    if not actor.jurisdiction_id:
        raise ValidationError(_("Only an account with a jurisdiction adds checklist items."))
    item = ChecklistItem(
        code=code.strip(),
        topic=topic,
        question=question.strip(),
        concern_label=concern_label.strip(),
        category=category,
        region_id=actor.jurisdiction_id,
        sort=500,
    )
    return save_valid(item)


# --- Follow-up tasks ----------------------------------------------------------------------------


def followup_owner_ok(owner, person: Person) -> bool:
    """The owner of a task must be able to act on the person's file."""
    return bool(
        owner is not None
        and owner.is_active
        and owner.can(Cap.DATA_EDIT)
        and in_jurisdiction(owner, person.region_id)
    )


@transaction.atomic
def followup_create(
    *, actor, person: Person, task: str, owner, due_on: dt.date | None, visit: Visit | None = None
) -> FollowUp:
    require(actor, Cap.DATA_EDIT, person.region_id)
    errors = {}
    if not task.strip():
        errors["followup_task"] = _("Say what is to be done.")
    if due_on is None:
        errors["followup_due_on"] = _("Give the date by which the task is to be done.")
    elif due_on < (visit.visited_on if visit else timezone.localdate()):
        errors["followup_due_on"] = _("The task cannot be due before the visit.")
    if not followup_owner_ok(owner, person):
        errors["followup_owner"] = _("The owner must be an account that may work on this person's file.")
    if errors:
        raise ValidationError(errors)
    followup = FollowUp(
        person=person, visit=visit, task=task.strip(), owner=owner, due_on=due_on, created_by=actor
    )
    return save_valid(followup)


@transaction.atomic
def followup_done(*, actor, followup: FollowUp, note: str = "") -> FollowUp:
    require(actor, Cap.DATA_EDIT, followup.person.region_id)
    if followup.done_on:
        raise ValidationError(_("This task is already done."))
    followup.done_on = timezone.localdate()
    followup.done_note = note.strip()[:200]
    followup.full_clean()
    followup.save(update_fields=["done_on", "done_note"])
    return followup


# --- Drafts -------------------------------------------------------------------------------------

DRAFT_MAX_CHARS = 20_000


def draft_save(*, actor, url: str, data: str, title: str = "") -> Draft:
    """Keep what ``actor`` typed into the form at ``url`` (a path of this site), encrypted. Drafts are kept
    for the forms that record service data only."""
    require(actor, Cap.DATA_EDIT)
    if not url.startswith("/") or url.startswith("//") or len(url) > 300:
        raise ValidationError({"url": _("Not a form of this site.")})
    if len(data) > DRAFT_MAX_CHARS:
        raise ValidationError({"data": _("The draft is too long to keep.")})
    draft, _created = Draft.objects.update_or_create(
        user=actor, url=url, defaults={"data": data, "title": title[:100]}
    )
    return draft


def draft_delete(*, actor, url: str) -> int:
    require(actor, Cap.DATA_EDIT)
    return Draft.objects.filter(user=actor, url=url).delete()[0]


# --- Code tables --------------------------------------------------------------------------------


@transaction.atomic
def category_create(*, actor, code: str, name: str, sort: int = 500) -> Category:
    """An administrator adds a category for their region (the shipped ones are for everybody)."""
    require(actor, Cap.CASEWORK_CONFIGURE)
    if not actor.jurisdiction_id:
        raise ValidationError(_("Only an account with a jurisdiction adds categories."))
    category = Category(code=code.strip(), name=name.strip(), region_id=actor.jurisdiction_id, sort=sort)
    return save_valid(category)


@transaction.atomic
def visit_rule_set(
    *, actor, region: Region, interval_days: int, risk_level: str = "", category: Category | None = None
) -> VisitRule:
    """Set (create or change) a region's rule for a risk level or a category."""
    require(actor, Cap.CASEWORK_CONFIGURE)
    require_choice(actor, region, "region", _("This region is outside your jurisdiction."))
    if bool(risk_level) == bool(category):
        raise ValidationError(_("A rule is for a risk level or for a category, not both."))
    if not 1 <= interval_days <= 730:
        raise ValidationError({"interval_days": _("Give an interval between 1 and 730 days.")})
    rule = VisitRule.objects.filter(region=region, risk_level=risk_level, category=category).first()
    if rule is None:
        rule = VisitRule(region=region, risk_level=risk_level, category=category)
    rule.interval_days = interval_days
    save_valid(rule)
    _refresh_inside(actor, region.code)
    return rule


@transaction.atomic
def visit_rule_delete(*, actor, rule: VisitRule) -> None:
    # Only a rule of one's own region (never a national one) is removed.
    require(actor, Cap.CASEWORK_CONFIGURE, rule.region_id or "")
    code = rule.region_id
    rule.delete()
    _refresh_inside(actor, code)


def _refresh_inside(actor, code: str) -> None:
    """A rule changed: the visit interval of everybody inside its region may have changed. A large region
    is refreshed by a background job (clients.visit_intervals), started when the rule is saved."""

    people = Person.objects.filter(code_prefix_q("region_id", code))
    if people[: visiting.SYNC_REFRESH_LIMIT + 1].count() <= visiting.SYNC_REFRESH_LIMIT:
        visiting.refresh_intervals(people, area=code)
        return
    job_start(
        actor=actor,
        kind="clients.visit_intervals",
        title=_("Visit intervals after a rule change"),
        params={"region": code},
    )
