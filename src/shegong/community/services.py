"""Writes of community activities, group work, community organisations and deliberation. Volunteers and
sign-ups are in volunteers.py, points in points.py, charitable resources in charity.py."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from shegong.accounts.roles import Cap
from shegong.community.models import (
    Activity,
    ActivityPhoto,
    Deliberation,
    DeliberationIssue,
    GroupSession,
    IssueStatus,
    Organisation,
    OrgStatus,
    Phase,
    WorkGroup,
)
from shegong.community.workflow import GROUP_WORKFLOW
from shegong.lib.bulk import create_checked
from shegong.lib.guard import require, require_choice, require_station
from shegong.lib.rows import assign, save_valid
from shegong.lib.uploads import PHOTO, check_upload

ACTIVITY_FIELDS = (
    "title",
    "kind",
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "organisers",
    "partners",
    "organisation",
    "participants",
    "beneficiaries",
    "volunteers_wanted",
    "summary",
)


def _activity_checked(activity: Activity, **clean) -> Activity:
    """``activity`` checked: the model's rules (``full_clean(**clean)``), then those of an activity."""
    activity.full_clean(**clean)
    errors = {}
    if activity.starts_at and activity.ends_at and activity.ends_at <= activity.starts_at:
        errors["ends_at"] = _("An activity ends after it starts.")
    if (
        activity.beneficiaries
        and activity.participants
        and activity.beneficiaries > activity.participants * 50
    ):
        # 惠及人数 may exceed those present (a household reached through one member), but not by orders of
        # magnitude: that is a typing mistake.
        errors["beneficiaries"] = _("Far more beneficiaries than participants: check the figure.")
    if activity.held_on and activity.held_on > timezone.localdate() + dt.timedelta(days=366):
        errors["held_on"] = _("The date is more than a year ahead.")
    if errors:
        raise ValidationError(errors)
    return activity


def _activity_new(*, actor, station, fields: dict) -> Activity:
    """A new activity and its checks but the model's own (full_clean): the one validation of
    :func:`activity_create` and :func:`activities_create_many`."""
    require_choice(
        actor, station.region_id if station else None, "station", _("Choose a station in your jurisdiction.")
    )
    return assign(Activity(station=station, created_by=actor), fields, ACTIVITY_FIELDS)


@transaction.atomic
def activity_create(*, actor, station, **fields) -> Activity:
    require(actor, Cap.DATA_EDIT)
    activity = _activity_checked(_activity_new(actor=actor, station=station, fields=fields))
    activity.save()
    return activity


@transaction.atomic
def activities_create_many(*, actor, entries: list[dict]) -> list[Activity]:
    """Many activities at once (the activity ledger's batches): each entry holds the fields of
    :func:`activity_create` (station and the activity's fields) and is checked by the same validation; then
    one bulk insert. An activity that fails raises its ValidationError and nothing is written. Returns the
    activities created."""
    require(actor, Cap.DATA_EDIT)
    activities = []
    for entry in entries:
        fields = dict(entry)
        activity = _activity_new(actor=actor, station=fields.pop("station"), fields=fields)
        # The station, organisation and account are rows the caller read (a query each to check them again).
        given = ["station", "organisation", "created_by"]
        activities.append(_activity_checked(activity, exclude=given, validate_unique=False))
    return Activity.objects.bulk_create(activities, batch_size=500)


@transaction.atomic
def activity_update(*, actor, activity: Activity, **fields) -> Activity:
    require(actor, Cap.DATA_EDIT, activity.station.region_id)
    _activity_checked(assign(activity, fields, ACTIVITY_FIELDS)).save()
    return activity


@transaction.atomic
def activity_photo_add(*, actor, activity: Activity, upload, caption: str = "") -> ActivityPhoto:
    require(actor, Cap.DATA_EDIT, activity.station.region_id)
    check_upload(upload, accept=PHOTO, field=_("Photo"), key="image")
    photo = ActivityPhoto(activity=activity, image=upload, caption=caption, uploaded_by=actor)
    photo.uploaded_at = timezone.now()
    return save_valid(photo)


# --- Group work (MZ/T 095-2017) ---------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    actor,
    station,
    name: str,
    kind: str,
    aim: str,
    started_on: dt.date,
    planned_sessions: int = 6,
    other_members: int = 0,
    worker=None,
    members=(),
) -> WorkGroup:
    require(actor, Cap.DATA_EDIT)
    require_station(actor, station)
    group = WorkGroup(
        station=station,
        name=name.strip(),
        kind=kind,
        aim=aim,
        started_on=started_on,
        planned_sessions=planned_sessions,
        other_members=other_members,
        worker=worker or actor,
    )
    save_valid(group)
    if members:
        group.members.add(*members)
    return group


@transaction.atomic
def station_record_update(*, actor, record, **changes):
    """Change the fields given of a record kept at a station: a volunteer team or a group (those of
    community/inputs.py TEAM, GROUP). A new station is one of the jurisdiction's."""
    require(actor, Cap.DATA_EDIT, record.station.region_id)
    if "station" in changes:
        require_station(actor, changes["station"])
    return save_valid(assign(record, changes, changes))


@transaction.atomic
def group_member_add(*, actor, group: WorkGroup, person=None, headcount: int = 0) -> WorkGroup:
    require(actor, Cap.DATA_EDIT, group.station.region_id)
    if group.phase == Phase.ENDING:
        raise ValidationError(_("The group has ended; it takes no new members."))
    if person is None and headcount <= 0:
        raise ValidationError({"person": _("Choose a person on file or give a headcount.")})
    if person is not None:
        group.members.add(person)
    if headcount > 0:
        group.other_members += headcount
        group.save(update_fields=["other_members"])
    return group


@transaction.atomic
def group_phase_move(*, actor, group: WorkGroup, to_phase: str, on: dt.date | None = None) -> WorkGroup:
    """Move a group to its next phase, as GROUP_WORKFLOW allows."""
    require(actor, Cap.DATA_EDIT, group.station.region_id)
    changes = {"ended_on": on or timezone.localdate()} if to_phase == Phase.ENDING else {}
    GROUP_WORKFLOW.move(group, to_phase, actor=actor, changes=changes)
    return group


@transaction.atomic
def group_session_add(
    *,
    actor,
    group: WorkGroup,
    held_on: dt.date,
    attendance: int,
    content: str,
    reflection: str = "",
) -> GroupSession:
    """Record a session; it is numbered after the last one and belongs to the group's current phase. A group
    still preparing moves to forming with its first session."""
    require(actor, Cap.DATA_EDIT, group.station.region_id)
    locked = WorkGroup.objects.select_for_update().get(pk=group.pk)
    if locked.phase == Phase.ENDING and locked.ended_on and held_on > locked.ended_on:
        raise ValidationError({"held_on": _("The group ended on %(day)s.") % {"day": locked.ended_on}})
    if held_on < locked.started_on:
        raise ValidationError({"held_on": _("The group started on %(day)s.") % {"day": locked.started_on}})
    if locked.phase == Phase.PREPARING:
        GROUP_WORKFLOW.move(locked, Phase.FORMING, actor=actor)
        group.phase = locked.phase
    members = locked.members.count() + locked.other_members
    if members and attendance > members:
        raise ValidationError(
            {"attendance": _("More attended than the group has members (%(n)d).") % {"n": members}}
        )
    last = locked.sessions.order_by("-number").values_list("number", flat=True).first() or 0
    session = GroupSession(
        group=locked,
        number=last + 1,
        held_on=held_on,
        phase=locked.phase,
        attendance=attendance,
        content=content,
        reflection=reflection,
        recorded_by=actor,
    )
    return save_valid(session)


# --- Community organisations and deliberation ---------------------------------------------------------

ORG_FIELDS = (
    "name",
    "kind",
    "status",
    "status_since",
    "station",
    "founded_on",
    "members",
    "leader_name",
    "credit_code",
    "description",
)


def _org_save(org: Organisation) -> Organisation:
    """The one way an organisation is written: its credit code in capitals, checked (the model's rules, then a
    registered one has a valid code), saved."""
    org.credit_code = (org.credit_code or "").strip().upper()
    org.full_clean()
    if org.status == OrgStatus.REGISTERED and not org.credit_code:
        raise ValidationError(
            {"credit_code": _("A registered organisation has a unified social credit code.")}
        )
    if org.credit_code:
        if not uscc.is_valid(org.credit_code):
            raise ValidationError({"credit_code": _("This is not a valid unified social credit code.")})
    org.save()
    return org


@transaction.atomic
def organisation_create(*, actor, region, **fields) -> Organisation:
    require(actor, Cap.DATA_EDIT)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    return _org_save(assign(Organisation(region=region), fields, ORG_FIELDS))


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **fields) -> Organisation:
    require(actor, Cap.DATA_EDIT, organisation.region_id)
    old_status = organisation.status
    assign(organisation, fields, ORG_FIELDS)
    if organisation.status != old_status and "status_since" not in fields:
        organisation.status_since = timezone.localdate()
    return _org_save(organisation)


def _meeting_new(
    *,
    actor,
    region,
    held_on: dt.date,
    topic: str,
    place: str = "",
    host: str = "",
    participants: int = 0,
    participant_groups: str = "",
    decisions: str = "",
) -> Deliberation:
    """A new meeting before the model's own checks: the one validation of :func:`deliberation_create` and
    :func:`deliberations_create_many`."""
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    return Deliberation(
        region=region,
        held_on=held_on,
        topic=topic,
        place=place,
        host=host,
        participants=participants,
        participant_groups=participant_groups,
        decisions=decisions,
        created_by=actor,
    )


@transaction.atomic
def deliberation_create(*, actor, issues=(), **fields) -> Deliberation:
    """Record a meeting (the fields of :func:`_meeting_new`) and the problems raised at it (``issues``)."""
    require(actor, Cap.DATA_EDIT)
    meeting = _meeting_new(actor=actor, **fields)
    save_valid(meeting)
    for description in issues:
        if description.strip():
            issue_add(actor=actor, meeting=meeting, description=description)
    return meeting


@transaction.atomic
def deliberation_update(*, actor, meeting: Deliberation, issues=None, **changes) -> Deliberation:
    """Change a meeting's fields (those of community/inputs.py DELIBERATION given) and, when ``issues`` is given,
    its problems, taken as :func:`deliberation_create` takes them (see :func:`_issues_replace`)."""
    require(actor, Cap.DATA_EDIT, meeting.region_id)
    if "region" in changes:
        require_choice(actor, changes["region"], "region", _("Choose a division in your jurisdiction."))
    save_valid(assign(meeting, changes, changes))
    if issues is not None:
        _issues_replace(actor, meeting, issues)
    return meeting


def _issues_replace(actor, meeting: Deliberation, issues) -> None:
    """The meeting's problems become ``issues`` (descriptions; blank ones passed over): a problem listed again
    stays as it is (its status and outcome), a new one is added, an open one left out is removed; a closed one
    left out is refused (its outcome stays on file)."""
    left = list(meeting.issues.order_by("id"))
    added = []
    for description in (d.strip() for d in issues if d.strip()):
        same = next((issue for issue in left if issue.description == description), None)
        if same is None:
            added.append(description)
        else:
            left.remove(same)
    closed = [issue.description for issue in left if issue.status != IssueStatus.OPEN]
    if closed:
        message = _("A problem already closed stays on the meeting: %(problems)s.")
        raise ValidationError({"issues": message % {"problems": "、".join(closed)}})
    DeliberationIssue.objects.filter(pk__in=[issue.pk for issue in left]).delete()
    for description in added:
        issue_add(actor=actor, meeting=meeting, description=description)


@transaction.atomic
def deliberations_create_many(*, actor, entries: list[dict]) -> list[Deliberation]:
    """Many meetings at once (the deliberation ledger's batches): each entry holds the fields of
    :func:`deliberation_create` but its problems (see :func:`issues_add_many`) and is checked by the same
    validation; then one bulk insert. A meeting that fails raises its ValidationError and nothing is written."""
    require(actor, Cap.DATA_EDIT)
    meetings = (_meeting_new(actor=actor, **entry) for entry in entries)
    return create_checked(Deliberation, meetings, exclude=["region", "created_by"])  # rows the caller read


def _issue_new(*, meeting: Deliberation, description: str) -> DeliberationIssue:
    return DeliberationIssue(meeting=meeting, description=description.strip()[:300])


def _closing(issue: DeliberationIssue, *, status: str, outcome: str, on: dt.date | None) -> None:
    """Close ``issue`` (not saved): the one validation of :func:`issue_close` and :func:`issues_add_many`."""
    if status not in (IssueStatus.SOLVED, IssueStatus.UNSOLVED):
        raise ValidationError({"status": _("Choose solved or could not be solved.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what was done.")})
    issue.status = status
    issue.outcome = outcome.strip()[:300]
    issue.closed_on = on or timezone.localdate()
    if issue.closed_on < issue.meeting.held_on:
        raise ValidationError({"closed_on": _("A problem is closed after the meeting that raised it.")})


@transaction.atomic
def issue_add(*, actor, meeting: Deliberation, description: str) -> DeliberationIssue:
    require(actor, Cap.DATA_EDIT, meeting.region_id)
    issue = _issue_new(meeting=meeting, description=description)
    return save_valid(issue)


@transaction.atomic
def issues_add_many(*, actor, entries: list[dict]) -> list[DeliberationIssue]:
    """Many problems at once (the deliberation ledger's batches), each raised at its meeting as
    :func:`issue_add` adds it and, when the entry gives a ``status`` of solved or unsolved, closed as
    :func:`issue_close` closes it (``outcome``, ``closed_on``); then one bulk insert. A problem that fails
    raises its ValidationError and nothing is written."""
    require(actor, Cap.DATA_EDIT)
    issues = []
    for entry in entries:
        meeting = entry["meeting"]
        require(actor, Cap.DATA_EDIT, meeting.region_id)
        issue = _issue_new(meeting=meeting, description=entry["description"])
        if entry.get("status") in (IssueStatus.SOLVED, IssueStatus.UNSOLVED):
            _closing(
                issue, status=entry["status"], outcome=entry.get("outcome") or "", on=entry.get("closed_on")
            )
        issue.full_clean(exclude=["meeting"])  # the meeting is a row the caller read or made
        issues.append(issue)
    return DeliberationIssue.objects.bulk_create(issues, batch_size=500)


@transaction.atomic
def issue_close(
    *, actor, issue: DeliberationIssue, status: str, outcome: str, on: dt.date | None = None
) -> DeliberationIssue:
    """Record that a problem was solved, or could not be; a closed problem may be reopened by closing it
    again with another outcome (e.g. solved later)."""
    require(actor, Cap.DATA_EDIT, issue.meeting.region_id)
    _closing(issue, status=status, outcome=outcome, on=on)
    return save_valid(issue)
