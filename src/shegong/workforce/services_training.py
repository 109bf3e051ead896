"""Writes to training sessions and their attendance. A worker attends a session once; outsiders (participants
without a file in the registry) are counted by the session's headcount."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.lib.guard import require, require_choice
from shegong.regions.models import Region
from shegong.workforce.models import Attendance, TrainingSession, Worker
from shegong.workforce.services import today

TRAINING_FIELDS = ("title", "kind", "organiser", "held_on", "hours", "online", "outsiders", "note")


def _training_validate(session: TrainingSession, *, actor) -> None:
    require_choice(actor, session.region_id, "region_code")
    if session.held_on and session.held_on > today() + dt.timedelta(days=366):
        raise ValidationError({"held_on": _("The date is more than a year ahead.")})
    if session.hours is not None and not (Decimal("0.5") <= Decimal(session.hours) <= 500):
        raise ValidationError({"hours": _("Enter between 0.5 and 500 hours.")})
    session.full_clean()


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
def attendance_remove(*, actor, attendance: Attendance) -> None:
    require(actor, Cap.DATA_EDIT, attendance.session.region_id)
    attendance.delete()
