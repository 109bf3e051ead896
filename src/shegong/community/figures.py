"""The community figures of a region for a period, counted from the records with GROUP BY: a fixed number of
queries whatever the size of the region, on SQLite and PostgreSQL alike. Nothing here is stored.

How the station figures are counted (DOMAIN.md §1, key indicators):
- 活动场次 (activities held) = community activities + group-work sessions held in the period;
- 惠及人数 (beneficiaries) = the beneficiaries recorded for each activity + the attendance of each session;
- 服务人次 (service person-times) of the community = participants of activities + attendance of sessions. The
  casework figures count 服务人次 from service records (casework/figures.py); the total shown beside ours is
  the sum of the two, which never counts one record twice because they are different records.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from shegong.casework.figures import Period, service_totals
from shegong.community import charity, selectors
from shegong.community.models import (
    ActivityKind,
    DonationForm,
    DonorKind,
    EntryKind,
    IssueStatus,
    OrgStatus,
    SignUpStatus,
    VolunteerStatus,
)
from shegong.regions.models import Region

CHILD_LENGTH = {"": 2, 2: 4, 4: 6, 6: 9, 9: 12}


def _month(value) -> str:
    return value.strftime("%Y-%m") if value else ""


def _month_entry(months: dict, value) -> dict:
    """The tally of the month of ``value`` in ``months`` (by "YYYY-MM"), started at nought."""
    return months.setdefault(
        _month(value), {"activities": 0, "sessions": 0, "beneficiaries": 0, "person_times": 0}
    )


def _children(area: str) -> tuple[int | None, dict[str, str]]:
    """The code length of the regions one level below ``area`` and their names."""
    length = CHILD_LENGTH.get(len(area) if area else "")
    if length is None:
        return None, {}
    qs = Region.objects.filter(parent_id=area) if area else Region.objects.filter(level=1)
    return length, dict(qs.values_list("code", "name"))


def _by_child(qs, area: str, field: str, **counts) -> list[dict]:
    """``counts`` of ``qs`` per division one level below ``area`` (``field`` holds a row's division code), with
    the division's ``code`` and ``name``, in code order; none below a village."""
    length, names = _children(area)
    if not length:
        return []
    rows = qs.annotate(child=Substr(field, 1, length)).values("child").annotate(**counts).order_by("child")
    return [{**r, "code": r["child"], "name": names.get(r["child"], r["child"])} for r in rows]


def activity_figures(*, user, area: str, since: dt.date, until: dt.date) -> dict:
    activities = selectors.activity_list(user=user, region=area, since=since, until=until).order_by()
    sessions = selectors.session_list(user=user, region=area, since=since, until=until).order_by()
    by_kind_rows = {
        row["kind"]: row
        for row in activities.values("kind").annotate(
            n=Count("id"), participants=Sum("participants"), beneficiaries=Sum("beneficiaries")
        )
    }
    by_kind = [
        {
            "kind": value,
            "label": str(label),
            "n": by_kind_rows.get(value, {}).get("n", 0),
            "participants": by_kind_rows.get(value, {}).get("participants") or 0,
            "beneficiaries": by_kind_rows.get(value, {}).get("beneficiaries") or 0,
        }
        for value, label in ActivityKind.choices
    ]
    months: dict[str, dict] = {}
    for row in (
        activities.annotate(m=TruncMonth("held_on"))
        .values("m")
        .annotate(n=Count("id"), participants=Sum("participants"), beneficiaries=Sum("beneficiaries"))
    ):
        entry = _month_entry(months, row["m"])
        entry["activities"] += row["n"]
        entry["beneficiaries"] += row["beneficiaries"] or 0
        entry["person_times"] += row["participants"] or 0
    for row in (
        sessions.annotate(m=TruncMonth("held_on"))
        .values("m")
        .annotate(n=Count("id"), attendance=Sum("attendance"))
    ):
        entry = _month_entry(months, row["m"])
        entry["sessions"] += row["n"]
        entry["beneficiaries"] += row["attendance"] or 0
        entry["person_times"] += row["attendance"] or 0
    by_month = [{"month": m, **v, "held": v["activities"] + v["sessions"]} for m, v in sorted(months.items())]
    groups = selectors.group_list(user=user, region=area).order_by()
    by_region = [
        {"code": r["code"], "name": r["name"], "n": r["n"], "beneficiaries": r["beneficiaries"] or 0}
        for r in _by_child(
            activities, area, "station__region_id", n=Count("id"), beneficiaries=Sum("beneficiaries")
        )
    ]
    totals = {
        "activities": sum(r["n"] for r in by_kind),
        "sessions": sum(m["sessions"] for m in by_month),
        "beneficiaries": sum(m["beneficiaries"] for m in by_month),
        "person_times": sum(m["person_times"] for m in by_month),
    }
    totals["held"] = totals["activities"] + totals["sessions"]
    totals["groups_running"] = groups.exclude(phase="ending").count()
    return {"by_kind": by_kind, "by_month": by_month, "by_region": by_region, **totals}


def volunteer_figures(
    *, user, area: str, since: dt.date, until: dt.date, as_of: dt.date | None = None
) -> dict:
    """Volunteers serving at the end of ``as_of`` (default ``until``; registered by then and not yet left),
    those registered in the period, and the hours and points of the period."""
    as_of = as_of or until
    volunteers = selectors.volunteer_list(user=user, region=area).order_by()
    if as_of < timezone.localdate():
        serving = Q(registered_on__lte=as_of) & (Q(left_on__isnull=True) | Q(left_on__gt=as_of))
    else:
        serving = Q(status=VolunteerStatus.ACTIVE)
    counts = volunteers.aggregate(
        total=Count("id", filter=serving),
        new=Count("id", filter=Q(registered_on__gte=since, registered_on__lte=until)),
    )
    teams = selectors.team_list(user=user, region=area).order_by().values("id").count()
    served = (
        selectors.signup_list(user=user, region=area, status=SignUpStatus.CONFIRMED, since=since, until=until)
        .order_by()
        .aggregate(
            hours=Sum("confirmed_hours"), people=Count("volunteer", distinct=True), signups=Count("id")
        )
    )
    entries = selectors.points_entries(user=user, region=area, since=since, until=until).order_by()
    by_kind = dict(entries.values_list("kind").annotate(s=Sum("points")))
    return {
        "volunteers": counts["total"],
        "new_volunteers": counts["new"],
        "teams": teams,
        "confirmed_hours": served["hours"] or Decimal("0"),
        "volunteers_served": served["people"],
        "confirmed_signups": served["signups"],
        "points_earned": by_kind.get(EntryKind.EARN, 0) or 0,
        "points_redeemed": -(by_kind.get(EntryKind.REDEEM, 0) or 0),
        "points_expired": -(by_kind.get(EntryKind.EXPIRE, 0) or 0),
        "points_adjusted": by_kind.get(EntryKind.ADJUST, 0) or 0,
    }


def organisation_figures(*, user, area: str, as_of: dt.date | None = None) -> dict:
    """Organisations by status, now or at the end of ``as_of``: those founded by then; one whose present
    status began after that day counts in ``earlier_status`` (the records keep no older status)."""
    orgs = selectors.organisation_list(user=user, region=area).order_by()
    earlier = 0
    if as_of is not None and as_of < timezone.localdate():
        orgs = orgs.filter(founded_on__lte=as_of)
        counts = {}
        for status, n, later in orgs.values_list("status").annotate(
            n=Count("id", filter=Q(status_since__lte=as_of)),
            later=Count("id", filter=Q(status_since__gt=as_of)),
        ):
            counts[status] = n
            earlier += later
    else:
        counts = dict(orgs.values_list("status").annotate(n=Count("id")))
    by_status = [{"status": v, "label": str(label), "n": counts.get(v, 0)} for v, label in OrgStatus.choices]
    by_region = _by_child(
        orgs,
        area,
        "region_id",
        n=Count("id"),
        incubating=Count("id", filter=Q(status=OrgStatus.INCUBATING)),
        cultivating=Count("id", filter=Q(status=OrgStatus.CULTIVATING)),
        filed=Count("id", filter=Q(status__in=[OrgStatus.FILED, OrgStatus.REGISTERED])),
    )
    return {
        "by_status": by_status,
        "by_region": by_region,
        "total": sum(counts.values()) + earlier,
        "earlier_status": earlier,
    }


def charity_figures(*, user, area: str, since: dt.date, until: dt.date) -> dict:
    donations = selectors.donation_list(user=user, region=area, since=since, until=until).order_by()
    rows = donations.values("donor_kind", "form").annotate(n=Count("id"), value=Sum("value"))
    by_source = {
        k: {"kind": k, "label": str(label), "cash": Decimal("0"), "goods": Decimal("0"), "n": 0}
        for k, label in DonorKind.choices
    }
    for row in rows:
        entry = by_source[row["donor_kind"]]
        entry["n"] += row["n"]
        entry["cash" if row["form"] == DonationForm.CASH else "goods"] += row["value"] or Decimal("0")
    funds = (
        selectors.fund_list(user=user, region=area)
        .order_by()
        .aggregate(n=Count("id"), balance=Sum("balance"))
    )
    projects = selectors.project_list(user=user, region=area)
    matching = charity.matching_totals(projects, selectors.matching_rules(user=user, area=area))
    return {
        "by_source": list(by_source.values()),
        "cash": sum((r["cash"] for r in by_source.values()), Decimal("0")),
        "goods": sum((r["goods"] for r in by_source.values()), Decimal("0")),
        "donations": sum(r["n"] for r in by_source.values()),
        "donated": sum((r["cash"] + r["goods"] for r in by_source.values()), Decimal("0")),
        "funds": funds["n"],
        "fund_balance": funds["balance"] or Decimal("0"),
        "matching": matching,
    }


def deliberation_figures(*, user, area: str, since: dt.date, until: dt.date) -> dict:
    meetings = selectors.deliberation_list(user=user, region=area, since=since, until=until).order_by()
    issues = (
        selectors.issue_list(user=user, region=area)
        .filter(meeting__held_on__gte=since, meeting__held_on__lte=until)
        .order_by()
        .aggregate(
            raised=Count("id"),
            solved=Count("id", filter=Q(status=IssueStatus.SOLVED)),
            unsolved=Count("id", filter=Q(status=IssueStatus.UNSOLVED)),
        )
    )
    return {
        "meetings": meetings.values("id").count(),
        **issues,
        "open": issues["raised"] - issues["solved"] - issues["unsolved"],
    }


def community_figures(
    *, user, area: str, since: dt.date, until: dt.date, as_of: dt.date | None = None
) -> dict:
    """The community figures: flows over ``since``..``until``, standing counts (volunteers serving,
    organisations) at the end of ``as_of`` (default ``until``)."""
    as_of = as_of or until
    return {
        "activities": activity_figures(user=user, area=area, since=since, until=until),
        "volunteers": volunteer_figures(user=user, area=area, since=since, until=until, as_of=as_of),
        "organisations": organisation_figures(user=user, area=area, as_of=as_of),
        "charity": charity_figures(user=user, area=area, since=since, until=until),
        "deliberation": deliberation_figures(user=user, area=area, since=since, until=until),
    }


def casework_person_times(*, user, area: str, since: dt.date, until: dt.date) -> int:
    """服务人次 of the service records (casework's own count), to show the station's total beside ours: the
    whole months from casework's monthly rollup, the partial months at the period's edges from the records."""
    return service_totals(user=user, region=area, period=Period(since, until))["person_times"]
