"""Writes of 督办 notices: sent by a level above a station, answered by the station. Both are audited
(django-auditlog records the row's creation and the answer; an explicit event names who did what)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.audit.services import audit_event
from shegong.lib.guard import require
from shegong.lib.rows import save_valid
from shegong.lib.scoping import in_jurisdiction
from shegong.network.models import TOWNSHIP_KINDS, Facility
from shegong.workbench.models import NoticeStatus, SupervisionNotice


def may_send(user, station: Facility) -> bool:
    """A level above the station, inside whose jurisdiction the station lies (a county over its townships)."""
    own = user.jurisdiction_code if user.is_authenticated else ""
    return (
        user.is_authenticated
        and user.can(Cap.DATA_EDIT)
        and station.kind in TOWNSHIP_KINDS
        and in_jurisdiction(user, station.region_id)
        and len(own) < len(station.region_id)
    )


def may_answer(user, notice: SupervisionNotice) -> bool:
    """The station itself: an account whose jurisdiction is the station's township or a village in it."""
    own = user.jurisdiction_code if user.is_authenticated else ""
    code = notice.station.region_id
    return user.is_authenticated and user.can(Cap.DATA_EDIT) and bool(own) and own.startswith(code)


@transaction.atomic
def notice_send(
    *,
    actor,
    station: Facility,
    subject: str,
    body: str,
    due_on: dt.date | None = None,
    overdue_when_sent: int = 0,
) -> SupervisionNotice:
    require(actor, Cap.DATA_EDIT, station.region_id)
    if not may_send(actor, station):
        raise ValidationError(
            _("Only a level above this station, within whose jurisdiction it lies, may send it a notice.")
        )
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The date to answer by cannot be in the past.")})
    notice = SupervisionNotice(
        station=station,
        subject=(subject or "").strip(),
        body=(body or "").strip(),
        due_on=due_on,
        overdue_when_sent=overdue_when_sent,
        sent_by=actor,
    )
    save_valid(notice)
    audit_event(event="supervision_sent", user=actor, obj=notice, detail={"station": station.pk})
    return notice


@transaction.atomic
def notice_answer(*, actor, notice: SupervisionNotice, answer: str) -> SupervisionNotice:
    require(actor, Cap.DATA_EDIT, notice.station.region_id)
    notice = SupervisionNotice.objects.select_for_update().select_related("station").get(pk=notice.pk)
    if not may_answer(actor, notice):
        raise ValidationError(_("Only the station this notice was sent to may answer it."))
    if notice.status == NoticeStatus.ANSWERED:
        raise ValidationError(_("This notice has already been answered."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write what the station has done or will do.")})
    notice.answer = answer
    notice.answered_by = actor
    notice.answered_at = timezone.now()
    notice.status = NoticeStatus.ANSWERED
    save_valid(notice)
    audit_event(event="supervision_answered", user=actor, obj=notice, detail={"station": notice.station_id})
    return notice
