"""Writes to training sessions and their attendance. A worker attends a session once; outsiders (participants
without a file in the registry) are counted by the session's headcount."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.lib.bulk import create_audited
from shegong.lib.guard import require, require_choice
from shegong.regions.models import Region
from shegong.workforce.models import Attendance, TrainingSession, Worker
from shegong.workforce.services import today

TRAINING_FIELDS = ("title", "kind", "organiser", "held_on", "hours", "online", "outsiders", "note")


def _training_validate(session: TrainingSession, *, actor, exclude=None) -> None:
    require_choice(actor, session.region_id, "region_code")
    if session.held_on and session.held_on > today() + dt.timedelta(days=366):
        raise ValidationError({"held_on": _("The date is more than a year ahead.")})
    if session.hours is not None and not (Decimal("0.5") <= Decimal(session.hours) <= 500):
        raise ValidationError({"hours": _("Enter between 0.5 and 500 hours.")})
    session.full_clean(exclude=exclude)


@transaction.atomic
def training_create(*, actor, region: Region, **values) -> TrainingSession:
    require(actor, Cap.DATA_EDIT)
    unknown = set(values) - set(TRAINING_FIELDS)
    if unknown:
        raise TypeError(f"unknown training fields: {sorted(unknown)}")
    values["outsiders"] = values.get("outsiders") or 0
    session = TrainingSession(region=region, **values)
    _training_validate(session, actor=actor)
    session.save()
    return session


@transaction.atomic
def trainings_create_many(*, actor, entries: list[dict]) -> list[TrainingSession]:
    """Many sessions at once (the training ledger's batches): each entry holds the arguments of
    :func:`training_create` (region and the session's fields), checked by the same _training_validate
    without the per-session look-up of the division (given, in the jurisdiction); then one insert, with the
    audit-trail rows. Any entry that fails raises its ValidationError and nothing is written."""
    require(actor, Cap.DATA_EDIT)
    sessions = []
    for entry in entries:
        values = dict(entry)
        region = values.pop("region")
        unknown = set(values) - set(TRAINING_FIELDS)
        if unknown:
            raise TypeError(f"unknown training fields: {sorted(unknown)}")
        values["outsiders"] = values.get("outsiders") or 0
        session = TrainingSession(region=region, **values)
        _training_validate(session, actor=actor, exclude=["region"])
        sessions.append(session)
    return create_audited(TrainingSession, sessions)


@transaction.atomic
def training_update(*, actor, session: TrainingSession, **values) -> TrainingSession:
    require(actor, Cap.DATA_EDIT, session.region_id)
    for key, value in values.items():
        if key not in TRAINING_FIELDS:
            raise TypeError(f"unknown training field: {key}")
        setattr(session, key, value)
    session.outsiders = session.outsiders or 0
    _training_validate(session, actor=actor)
    session.save()
    return session


@transaction.atomic
def attendance_add(*, actor, session: TrainingSession, worker: Worker) -> tuple[Attendance, bool]:
    """Record that a worker attended; (attendance, created). Recording it again changes nothing."""
    require(actor, Cap.DATA_EDIT, session.region_id)
    require_choice(actor, worker.region_id, "worker")
    return Attendance.objects.get_or_create(session=session, worker=worker)


@transaction.atomic
def attendances_add_many(*, actor, pairs: list[tuple]) -> list[Attendance]:
    """Many attendances at once (the attendance ledger's batches): (session, worker) pairs, each checked as
    :func:`attendance_add` checks it; those already recorded are looked up once and change nothing, the rest
    go in by one insert, with their audit-trail rows. Returns the attendances created."""
    require(actor, Cap.DATA_EDIT)
    for code in {session.region_id for session, _worker in pairs}:
        require(actor, Cap.DATA_EDIT, code)
    for code in {worker.region_id for _session, worker in pairs}:
        require_choice(actor, code, "worker")
    recorded = set(
        Attendance.objects.filter(session__in={session.pk for session, _worker in pairs}).values_list(
            "session_id", "worker_id"
        )
    )
    created = []
    for session, worker in pairs:
        if (session.pk, worker.pk) not in recorded:
            recorded.add((session.pk, worker.pk))
            created.append(Attendance(session=session, worker=worker))
    return create_audited(Attendance, created)


@transaction.atomic
def attendance_remove(*, actor, attendance: Attendance) -> None:
    require(actor, Cap.DATA_EDIT, attendance.session.region_id)
    attendance.delete()
