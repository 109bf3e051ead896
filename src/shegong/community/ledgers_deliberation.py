"""The deliberation ledger through the one import engine (lib/importer): meetings (议事协商, "有事好商量") with the
problems raised at each and what became of them, one problem a row, as villages keep them.

A meeting is its village or community (name or code), its date and its topic: rows that name the same meeting
are one meeting and must agree on its facts. A problem solved or found unsolvable comes with what was done and
the date it was closed, taken from the file (never today's date in place of a missing one). A meeting or a
problem already on file is found, not made twice; a problem the file now says is closed is closed. Each row
goes through community/services.py (deliberation_create, issue_add, issue_close), which the pages use.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.community import services
from shegong.community.inputs import DELIBERATION, ISSUE
from shegong.community.models import Deliberation, DeliberationIssue, IssueStatus
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.lib.importer.cleaning import squash
from shegong.lib.importer.common import before_update, no_future, same_parent

PROBLEM_LIMITS = ISSUE.limits("description")
MEETING = ("place", "host", "participants", "participant_groups", "decisions")
CLOSED = (IssueStatus.SOLVED, IssueStatus.UNSOLVED)


# DeliberationLedger's columns: the headers ledgers write for them, and the spellings of their choices
REGION = ("村（社区）", "所在村（社区）", "议事村（社区）", "村社区", "乡镇（街道）", "区划代码", "所在地")
HELD_ON = ("议事日期", "议事时间", "会议日期", "会议时间", "召开时间", "召开日期", "日期", "时间")
TOPIC = ("议题", "议事主题", "议事议题", "会议主题", "协商议题", "协商事项", "主题")
PARTICIPANTS = ("参与人数", "参会人数", "参加人数", "人数")
PARTICIPANT_GROUPS = ("参会人员", "参与人员", "参与对象", "参会对象", "参加人员")
DECISIONS = ("议定事项", "协商结果", "议事结果", "形成决议", "决议事项")
PROBLEM = ("提出的问题", "提出问题", "收集问题", "反映问题", "议事问题", "问题", "问题描述")
STATUS = ("解决情况", "办理情况", "问题状态", "是否解决", "办理状态", "状态")
STATUS_WORDS = {
    IssueStatus.SOLVED: ("解决", "已办结", "办结", "是"),
    IssueStatus.UNSOLVED: ("未解决", "无法解决", "不能解决"),
    IssueStatus.OPEN: ("正在办理", "跟进中", "未办结", "待解决", "否"),
}
OUTCOME = ("办理结果", "解决结果", "处理结果", "解决措施", "结果")


def _key(row):
    v = row.values
    if v.get("region") is None or not v.get("held_on") or not v.get("topic"):
        return None
    return (v["region"].pk, v["held_on"], squash(v["topic"]))


@register
class DeliberationLedger(Ledger):
    key = "community.deliberations"
    title = gettext_lazy("Deliberation meetings")
    models = (Deliberation, DeliberationIssue)
    note = gettext_lazy(
        "One row per problem raised at a deliberation meeting (a meeting without problems on one row): the "
        "village or community by name or code, the date and topic of the meeting, the problem, and what became "
        "of it. A problem solved, or that could not be solved, needs what was done and the date it was closed. "
        "A meeting or problem already on file is not made twice; a problem now closed is closed."
    )
    fields = [
        col.ref("region", DELIBERATION.limits("region").label, "region", REGION, required=True),
        DELIBERATION.column("held_on", HELD_ON),
        DELIBERATION.column("topic", TOPIC, width=24),
        DELIBERATION.column("place", ("地点", "议事地点", "会议地点")),
        DELIBERATION.column("host", ("主持人", "召集人"), width=10),
        DELIBERATION.column("participants", PARTICIPANTS),
        DELIBERATION.column("participant_groups", PARTICIPANT_GROUPS, width=20),
        DELIBERATION.column("decisions", DECISIONS, width=30),
        col.text("problem", PROBLEM_LIMITS.label, PROBLEM, PROBLEM_LIMITS.max_length, width=30),
        col.choice("status", gettext_lazy("Status"), IssueStatus.choices, STATUS_WORDS, STATUS, width=10),
        # Optional: a problem still open has none (check() asks for it when the row closes the problem).
        ISSUE.column("outcome", OUTCOME, required=False, label=gettext_lazy("Outcome"), width=24),
        col.date("closed_on", gettext_lazy("Closed on"), ("办结日期", "办结时间", "解决日期", "解决时间")),
    ]

    def prepare(self, rows, ctx):
        keys = {k for k in map(_key, rows) if k is not None}
        meetings: dict[tuple, list] = {}
        if keys:
            for meeting in Deliberation.objects.filter(
                region__in={k[0] for k in keys}, held_on__in={k[1] for k in keys}
            ):
                key = (meeting.region_id, meeting.held_on, squash(meeting.topic))
                if key in keys:
                    meetings.setdefault(key, []).append(meeting)
        issues: dict[tuple, DeliberationIssue] = {}
        found = [m[0] for m in meetings.values()]
        for issue in DeliberationIssue.objects.filter(meeting__in=found):
            issues.setdefault((issue.meeting_id, squash(issue.description)), issue)
        seen: dict[tuple, int] = {}
        for row in rows:
            key = _key(row)
            on_file = meetings.get(key, []) if key else []
            if len(on_file) > 1:
                row.error("topic", _("%(n)d meetings of this day have this topic") % {"n": len(on_file)})
            meeting = on_file[0] if len(on_file) == 1 else None
            row.values["_meeting"] = meeting
            problem = row.values.get("problem")
            row.values["_issue"] = (
                issues.get((meeting.pk, squash(problem))) if meeting is not None and problem else None
            )
            if key and problem:
                if (key, squash(problem)) in seen:
                    row.error(
                        "problem",
                        _("the same problem of the same meeting is on row %(row)d")
                        % {"row": seen[(key, squash(problem))]},
                    )
                else:
                    seen[(key, squash(problem))] = row.number

    def check(self, rows, ctx):
        no_future(rows, "held_on")
        no_future(rows, "closed_on")
        for row in rows:
            v = row.values
            if not v.get("problem"):
                for key in ("status", "outcome", "closed_on"):
                    if v.get(key) not in (None, ""):
                        row.error("problem", _("say which problem this is about"))
                        break
                continue
            if v.get("status") in CLOSED:
                if not v.get("outcome"):
                    row.error("outcome", _("Say what was done."))
                if not v.get("closed_on"):
                    row.error("closed_on", _("give the date the problem was closed"))
            elif v.get("closed_on") and v.get("status") is None:
                row.error("status", _("say whether the problem was solved"))
            if v.get("closed_on") and v.get("held_on") and v["closed_on"] < v["held_on"]:
                row.error("closed_on", _("A problem is closed after the meeting that raised it."))
        same_parent(rows, _key, MEETING, _("meeting"))

    def write_many(self, rows, ctx):
        """The new meetings of a batch in one bulk insert and their new problems (closed where the file says
        so) in another, checked as deliberation_create(), issue_add() and issue_close() check them. A problem
        already on file goes through write(), which closes it if the file now says it is closed."""
        meetings: dict[tuple, Deliberation] = {}
        for row in rows:
            if row.values.get("_meeting") is not None:
                meetings[_key(row)] = row.values["_meeting"]
        missing = {_key(row) for row in rows} - set(meetings)
        if missing:  # made by an earlier batch of this import: one query
            for meeting in Deliberation.objects.filter(
                region__in={k[0] for k in missing}, held_on__in={k[1] for k in missing}
            ).order_by("pk"):
                key = (meeting.region_id, meeting.held_on, squash(meeting.topic))
                if key in missing:
                    meetings.setdefault(key, meeting)
        new: dict[tuple, dict] = {}
        for row in rows:
            v, key = row.values, _key(row)
            if (
                key not in meetings and key not in new
            ):  # made with the facts of its first row, as write() does
                new[key] = {
                    "region": v["region"],
                    "held_on": v["held_on"],
                    "topic": v["topic"],
                    **{k: v[k] for k in MEETING if v.get(k) not in (None, "")},
                }
        created = (
            services.deliberations_create_many(actor=ctx.user, entries=list(new.values())) if new else []
        )
        on_file = {}
        earlier = [m.pk for m in meetings.values()]
        if earlier:
            for issue in DeliberationIssue.objects.filter(meeting__in=earlier).only(
                "meeting_id", "description"
            ):
                on_file.setdefault((issue.meeting_id, squash(issue.description)), issue)
        meetings.update(zip(new, created, strict=True))
        issues, rest = [], []
        for row in rows:
            v = row.values
            if not v.get("problem"):
                continue
            meeting = meetings[_key(row)]
            if v.get("_issue") is not None or (meeting.pk, squash(v["problem"])) in on_file:
                rest.append(row)
                continue
            facts = col.entry(v, status=None, outcome="", closed_on=None)
            issues.append({"meeting": meeting, "description": v["problem"], **facts})
        added = services.issues_add_many(actor=ctx.user, entries=issues) if issues else []
        return [*created, *added], rest

    def write(self, row, ctx):
        v = row.values
        created = []
        meeting = v.get("_meeting") or (
            Deliberation.objects.filter(region=v["region"], held_on=v["held_on"], topic=v["topic"])
            .order_by("pk")
            .first()
        )
        if meeting is None:
            meeting = services.deliberation_create(
                actor=ctx.user,
                region=v["region"],
                held_on=v["held_on"],
                topic=v["topic"],
                **{k: v[k] for k in MEETING if v.get(k) not in (None, "")},
            )
            created.append(meeting)
        if not v.get("problem"):
            return created
        issue = v.get("_issue") or meeting.issues.filter(description=v["problem"][:300]).first()
        if issue is None:
            issue = services.issue_add(actor=ctx.user, meeting=meeting, description=v["problem"])
            created.append(issue)
        status = v.get("status")
        if status in CLOSED and (
            issue.status != status or issue.outcome != v["outcome"] or issue.closed_on != v["closed_on"]
        ):
            if v.get("_issue") is not None:  # on file before this import: its old state is journaled
                before_update(ctx, DeliberationIssue, [issue.pk])
            services.issue_close(
                actor=ctx.user, issue=issue, status=status, outcome=v["outcome"], on=v["closed_on"]
            )
        return created
