"""Writes of the volunteer registry, teams and sign-ups: register, edit, sign up, check in, check out, confirm.

A sign-up moves by SIGNUP_WORKFLOW (community/workflow.py), which claims the row with a conditional UPDATE
(``WHERE status = <the state it must be in>``): of two requests at once, one moves the sign-up and the other
finds it already moved and is refused, so hours are counted and points awarded once.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.community import points
from shegong.community.models import (
    Activity,
    SignUp,
    SignUpStatus,
    Team,
    Volunteer,
    VolunteerStatus,
)
from shegong.community.workflow import HOURS_RECORDED, SIGNUP_WORKFLOW
from shegong.lib.guard import require, require_choice, require_station
from shegong.lib.pii import (
    apply_protected,
    by_lookup_hash,
    hash_in,
    parse_id_and_phone,
)
from shegong.lib.rows import save_valid

MAX_HOURS = Decimal("24")


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def volunteer_parse(data: dict, *, require_id: bool = True) -> dict:
    """Check and normalise the fields of a volunteer (the form, the API and the Excel import all use it).
    Raises ValidationError keyed by field. An empty ID number or phone when editing keeps the stored one."""
    errors: dict[str, str] = {}
    values: dict = {}
    name = _text(data, "name")
    if len(name) > 50:
        # Refused, not cut: a name cut short would be a different person's name on the certificate.
        errors["name"] = _("At most 50 characters.")
    elif name:
        values["name"] = name
    elif require_id:
        errors["name"] = _("This field is required.")
    parse_id_and_phone(
        _text(data, "id_number"), _text(data, "phone"), require_id=require_id, values=values, errors=errors
    )
    for key, size in (("skills", 200), ("note", 200)):
        if key in data:
            values[key] = _text(data, key)
            if len(values[key]) > size:
                errors[key] = _("At most %(n)d characters.") % {"n": size}
    if errors:
        raise ValidationError(errors)
    return values


def _check_unique(volunteer: Volunteer) -> None:
    taken = Volunteer.objects.filter(hash_in("id_number_hash", volunteer.id_number)).exclude(pk=volunteer.pk)
    if taken.exists():
        raise ValidationError({"id_number": _("A volunteer with this ID number is already registered.")})


def _volunteer_new(
    *, actor, values: dict, region, station=None, registered_on: dt.date | None = None
) -> Volunteer:
    """The checks of a new volunteer and the volunteer, not saved yet (its ID number's uniqueness aside): the
    one validation of :func:`volunteer_create` and :func:`volunteers_create_many`."""
    today = timezone.localdate()
    if registered_on and registered_on > today:
        raise ValidationError({"registered_on": _("The date is in the future.")})
    require(actor, Cap.DATA_EDIT)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    volunteer = Volunteer(
        region=region,
        station=station,
        registered_on=registered_on or today,
        created_by=actor,
    )
    apply_protected(volunteer, values)
    return volunteer


@transaction.atomic
def volunteer_create(
    *, actor, values: dict, region, station=None, registered_on: dt.date | None = None
) -> Volunteer:
    """Register a volunteer. ``values`` come from volunteer_parse; ``registered_on`` is the day they
    registered (a volunteer of 2023 entered today is registered in 2023), by default today."""
    require(actor, Cap.DATA_EDIT)
    volunteer = _volunteer_new(
        actor=actor, values=values, region=region, station=station, registered_on=registered_on
    )
    _check_unique(volunteer)
    return save_valid(volunteer, exclude=["id_number_hash"])


@transaction.atomic
def volunteers_create_many(*, actor, entries: list[dict]) -> list[Volunteer]:
    """Register many volunteers at once (the volunteer ledger's batches): each entry holds the fields of
    :func:`volunteer_create` (values, region, station, registered_on) and is checked by the same validation;
    the ID numbers are checked unique in one query for the batch; then one bulk insert. A volunteer that fails
    raises its ValidationError and nothing is written. Returns the volunteers created."""
    require(actor, Cap.DATA_EDIT)
    volunteers = [_volunteer_new(actor=actor, **fields) for fields in entries]
    numbers = [volunteer.id_number for volunteer in volunteers]
    taken = by_lookup_hash(Volunteer.objects.only("id_number_hash"), "id_number_hash", numbers)
    seen = set()
    for volunteer in volunteers:
        if volunteer.id_number_hash in taken or volunteer.id_number_hash in seen:
            raise ValidationError({"id_number": _("A volunteer with this ID number is already registered.")})
        seen.add(volunteer.id_number_hash)
        # The division, station and account are rows the ledger read: checking that each still exists would
        # cost three queries a volunteer; a new volunteer's points balance is 0, the table's one constraint
        # (checking it would cost a fourth: Django checks a constraint with a query even on excluded fields).
        volunteer.full_clean(
            exclude=["id_number_hash", "region", "station", "created_by", "points_balance"],
            validate_unique=False,
            validate_constraints=False,
        )
    return Volunteer.objects.bulk_create(volunteers, batch_size=500)


@transaction.atomic
def volunteer_update(
    *, actor, volunteer: Volunteer, values: dict, region=None, station=None, status: str | None = None
) -> Volunteer:
    require(actor, Cap.DATA_EDIT, volunteer.region_id)
    if region is not None:
        require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    apply_protected(volunteer, values)
    if region is not None:
        volunteer.region = region
    volunteer.station = station
    if status and status != volunteer.status:
        volunteer.status = status
        # The day they stopped serving, for the figures as of a day; cleared when they serve again.
        volunteer.left_on = None if status == VolunteerStatus.ACTIVE else timezone.localdate()
    _check_unique(volunteer)
    return save_valid(volunteer, exclude=["id_number_hash"])


@transaction.atomic
def team_create(*, actor, station, name: str, founded_on: dt.date, focus: str = "", leader=None) -> Team:
    require(actor, Cap.DATA_EDIT)
    require_station(actor, station)
    team = Team(station=station, name=name.strip(), founded_on=founded_on, focus=focus, leader=leader)
    save_valid(team)
    if leader is not None:
        team.members.add(leader)
    return team


@transaction.atomic
def team_member_add(*, actor, team: Team, volunteer: Volunteer, leader: bool = False) -> Team:
    require(actor, Cap.DATA_EDIT, team.station.region_id)
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"volunteer": _("This volunteer is no longer serving.")})
    team.members.add(volunteer)
    if leader:
        team.leader = volunteer
        team.save(update_fields=["leader"])
    return team


# --- Sign-ups ------------------------------------------------------------------------------------------


@transaction.atomic
def signup_create(*, actor, activity: Activity, volunteer: Volunteer) -> SignUp:
    require(actor, Cap.DATA_EDIT, activity.station.region_id)
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"volunteer": _("This volunteer is no longer serving.")})
    if activity.held_on < timezone.localdate() - dt.timedelta(days=30):
        raise ValidationError(
            {"volunteer": _("This activity was more than 30 days ago; record the hours instead.")}
        )
    signup = SignUp(activity=activity, volunteer=volunteer)
    signup.full_clean()
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"volunteer": _("This volunteer has already signed up for this activity.")}
        ) from exc
    return signup


def _hours_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    seconds = Decimal((end - start).total_seconds())
    return (seconds / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def signup_check_in(*, actor, signup: SignUp, at: dt.datetime | None = None) -> SignUp:
    require(actor, Cap.DATA_EDIT, signup.activity.station.region_id)
    SIGNUP_WORKFLOW.move(
        signup, SignUpStatus.CHECKED_IN, actor=actor, changes={"checked_in_at": at or timezone.now()}
    )
    return signup


@transaction.atomic
def signup_check_out(*, actor, signup: SignUp, at: dt.datetime | None = None) -> SignUp:
    require(actor, Cap.DATA_EDIT, signup.activity.station.region_id)
    at = at or timezone.now()
    if signup.checked_in_at and at <= signup.checked_in_at:
        raise ValidationError({"checked_out_at": _("Check-out must come after check-in.")})
    hours = _hours_between(signup.checked_in_at, at) if signup.checked_in_at else Decimal("0")
    if hours > MAX_HOURS:
        raise ValidationError(
            {"checked_out_at": _("More than 24 hours after check-in; record the hours by hand.")}
        )
    SIGNUP_WORKFLOW.move(
        signup, SignUpStatus.CHECKED_OUT, actor=actor, changes={"checked_out_at": at, "hours": hours}
    )
    return signup


def _valid_hours(hours) -> Decimal:
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except Exception as exc:
        raise ValidationError({"confirmed_hours": _("Give the hours as a number, e.g. 2.5.")}) from exc
    if hours <= 0 or hours > MAX_HOURS:
        raise ValidationError({"confirmed_hours": _("Hours must be more than 0 and at most 24.")})
    return hours


@transaction.atomic
def signup_confirm(*, actor, signup: SignUp, hours=None, note: str = "") -> SignUp:
    """The organiser confirms the hours (those on record, or corrected) and the points are awarded by the
    region's rule, in the same transaction."""
    require(actor, Cap.DATA_EDIT, signup.activity.station.region_id)
    hours = _valid_hours(hours if hours not in (None, "") else signup.hours)
    activity = signup.activity
    earned = points.points_for(hours=hours, activity_kind=activity.kind, code=activity.station.region_id)
    confirmed = {
        "confirmed_hours": hours,
        "confirmed_by": actor,
        "confirmed_at": timezone.now(),
        "points": earned,
        "note": (note or signup.note)[:200],
    }
    SIGNUP_WORKFLOW.move(signup, SignUpStatus.CONFIRMED, actor=actor, changes=confirmed)
    points.points_award(actor=actor, signup=signup)
    return signup


@transaction.atomic
def signup_cancel(*, actor, signup: SignUp) -> SignUp:
    require(actor, Cap.DATA_EDIT, signup.activity.station.region_id)
    SIGNUP_WORKFLOW.move(signup, SignUpStatus.CANCELLED, actor=actor)
    return signup


def _serving(volunteer: Volunteer) -> None:
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"volunteer": _("This volunteer is no longer serving.")})


def _hours_confirmed(*, actor, activity: Activity, hours, note: str, rule=points._ASK) -> dict:
    """The checks of hours recorded afterwards and what confirms them (hours, who, when, points): the one
    validation of :func:`hours_record` and :func:`hours_record_many`."""
    hours = _valid_hours(hours)
    earned = points.points_for(
        hours=hours, activity_kind=activity.kind, code=activity.station.region_id, rule=rule
    )
    return {
        "confirmed_hours": hours,
        "confirmed_by": actor,
        "confirmed_at": timezone.now(),
        "points": earned,
        "note": note[:200],
    }


def _already(signup: SignUp) -> ValidationError:
    return ValidationError(
        {
            "volunteer": _("The hours of this volunteer at this activity are already “%(status)s”.")
            % {"status": SignUpStatus(signup.status).label}
        }
    )


@transaction.atomic
def hours_record(
    *, actor, activity: Activity, volunteer: Volunteer, hours, note: str = "", award_points: bool = True
) -> SignUp:
    """Hours recorded afterwards (a paper sign-in sheet, the Excel import): the sign-up is made if need be and
    confirmed at once, with the points. A sign-up already confirmed is refused, never counted twice.
    ``award_points=False`` leaves the points to the caller (points.points_award_many, once the import's last
    batch is in: a points line is never deleted, so an import that could still be taken back awards none)."""
    require(actor, Cap.DATA_EDIT, activity.station.region_id)
    signup = SignUp.objects.select_for_update().filter(activity=activity, volunteer=volunteer).first()
    if signup is None:
        _serving(volunteer)
        signup = SignUp(activity=activity, volunteer=volunteer)
        save_valid(signup)
    if signup.status in (SignUpStatus.CONFIRMED, SignUpStatus.CANCELLED):
        raise _already(signup)
    confirmed = _hours_confirmed(actor=actor, activity=activity, hours=hours, note=note)
    SIGNUP_WORKFLOW.move(signup, SignUpStatus.CONFIRMED, actor=actor, via=HOURS_RECORDED, changes=confirmed)
    if award_points:
        points.points_award(actor=actor, signup=signup)
    return signup


@transaction.atomic
def hours_record_many(*, actor, entries: list[dict], award_points: bool = True) -> list:
    """Hours recorded afterwards for many volunteers at once (the hours ledger's batches): each entry holds the
    fields of :func:`hours_record` (activity, volunteer, hours, note) and is checked by the same validation
    (the volunteer serving, the hours, the move to confirmed by HOURS_RECORDED, the points by the region's
    rule, each region's rule read once). Only new sign-ups: a volunteer and activity with a sign-up on file
    (one query for the batch) or twice in the batch raise ValidationError, and hours_record() takes them one
    by one. The sign-ups are inserted confirmed at once, then their points (points.points_award_many), so
    each volunteer's balance and points ledger are as hours_record() leaves them. A failing entry raises its
    ValidationError and nothing is written. Returns the sign-ups and ledger lines created (``award_points=False``:
    the sign-ups only, their points left to the caller, as for hours_record)."""
    require(actor, Cap.DATA_EDIT)
    rules: dict = {}
    signups: list[SignUp] = []
    pairs: set[tuple[int, int]] = set()
    for entry in entries:
        activity, volunteer = entry["activity"], entry["volunteer"]
        code = activity.station.region_id
        require(actor, Cap.DATA_EDIT, code)
        _serving(volunteer)
        if code not in rules:
            rules[code] = points.rule_for(code)
        signup = SignUp(activity=activity, volunteer=volunteer)
        SIGNUP_WORKFLOW.check(signup, SignUpStatus.CONFIRMED, actor=actor, via=HOURS_RECORDED)
        confirmed = _hours_confirmed(
            actor=actor,
            activity=activity,
            hours=entry["hours"],
            note=entry.get("note") or "",
            rule=rules[code],
        )
        for name, value in confirmed.items():
            setattr(signup, name, value)
        signup.status = SignUpStatus.CONFIRMED
        pair = (activity.pk, volunteer.pk)
        if pair in pairs:
            raise ValidationError({"volunteer": _("This volunteer has already signed up for this activity.")})
        pairs.add(pair)
        # The activity, volunteer and account are rows the caller read (a query each to check them again); the
        # one sign-up per activity and volunteer is checked below for the batch in one query.
        signup.full_clean(exclude=["activity", "volunteer", "confirmed_by"], validate_unique=False)
        signups.append(signup)
    if not signups:
        return []
    on_file = SignUp.objects.filter(
        activity_id__in={a for a, _v in pairs}, volunteer_id__in={v for _a, v in pairs}
    ).values_list("activity_id", "volunteer_id")
    if any(pair in pairs for pair in on_file):
        raise ValidationError({"volunteer": _("This volunteer has already signed up for this activity.")})
    SignUp.objects.bulk_create(signups, batch_size=500)
    if not award_points:
        return signups
    return [*signups, *points.points_award_many(actor=actor, signups=signups)]
