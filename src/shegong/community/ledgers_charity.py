"""The mutual-aid ledger through the one import engine (lib/importer): projects (村社互助) as villages keep them,
with the matching money actually paid to each (省级配套, 市级配套 ...), one payment a row.

A project is named by its village or community (name or code) and its name; a project with several payments
stands on several rows, which must agree on the project's facts. A project already on file is found, not made
twice, and its figures (money raised, status) are those of the file; a payment already recorded (same funder,
amount and date) is not recorded again. Each row goes through community/charity.py (project_create,
project_update, matching_payment_record), which the pages use.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.community import charity
from shegong.community.models import MatchingPayment, MutualAidProject, MutualAidStatus
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.lib.importer.cleaning import squash
from shegong.lib.importer.common import before_update, no_future, same_parent

PAYMENT = ("funder", "amount", "paid_on")
PROJECT = ("programme", "target", "raised", "started_on", "status", "description")


# MutualAidLedger's columns: the headers ledgers write for them, and the spellings of their choices
REGION = col.words(
    "村（社区） 所在村（社区） 项目所在村（社区） 实施村（社区） 村社区 乡镇（街道） 区划代码 所在地"
)
NAME = ("项目名称", "互助项目", "互助项目名称", "项目")
PROGRAMME = ("所属计划", "所属品牌", "品牌", "计划", "项目类别")
TARGET = ("筹款目标", "目标金额", "计划筹款", "筹款目标（元）", "目标金额（元）", "项目预算")
RAISED = col.words(
    "已筹金额 筹集资金 自筹资金 募集资金 筹款金额 群众自筹 已筹金额（元） 筹集资金（元） 募集金额"
)
STARTED_ON = ("启动时间", "启动日期", "开始日期", "开始时间", "立项时间", "立项日期")
STATUS = ("项目状态", "状态", "进展", "实施进度", "进展情况")
STATUS_WORDS = {
    MutualAidStatus.RAISING: ("筹款", "募集中", "筹集中"),
    MutualAidStatus.RUNNING: ("进行中", "实施", "在建"),
    MutualAidStatus.COMPLETED: ("完成", "已结项", "结项", "已完工"),
}
DESCRIPTION = ("项目简介", "项目内容", "简介", "内容", "建设内容")
FUNDER = ("拨付单位", "配套单位", "配套资金来源", "配套来源", "出资单位", "配套方")
AMOUNT = col.words(
    "实际拨付金额 实际拨付金额（元） 配套金额 配套金额（元） 实际配套金额 到位配套资金 配套资金 "
    "拨付金额 实际到位金额"
)
PAID_ON = ("拨付日期", "拨付时间", "到位时间", "到账日期", "支付日期", "到账时间")
REFERENCE = ("凭证号", "凭证编号", "拨付文号")


def _payment(v) -> dict:
    """A row's matching payment as charity's services take it (without its project)."""
    return col.entry(v, "funder", "amount", "paid_on", reference="")


def _key(row):
    v = row.values
    if v.get("region") is None or not v.get("name"):
        return None
    return (v["region"].pk, squash(v["name"]))


@register
class MutualAidLedger(Ledger):
    key = "community.mutual_aid"
    title = gettext_lazy("Mutual-aid projects")
    models = (MutualAidProject, MatchingPayment)
    note = gettext_lazy(
        "One row per mutual-aid project, or per matching payment it received: a project paid by the province "
        "and by the city stands on two rows with the same village and project name. The village or community "
        "by name or code. The matching paid is the money that actually arrived (funder, amount, date), not the "
        "share a rule suggests. A project already on file is updated, never made twice; a payment already "
        "recorded is not recorded again."
    )
    fields = [
        col.ref("region", gettext_lazy("Village or community"), "region", REGION, required=True),
        col.text("name", gettext_lazy("Project"), NAME, 100, required=True, width=24),
        col.text("programme", gettext_lazy("Programme"), PROGRAMME, 50, width=12),
        col.amount("target", gettext_lazy("Target (yuan)"), TARGET, zero_ok=True, required=True),
        col.amount("raised", gettext_lazy("Money raised (yuan)"), RAISED, zero_ok=True),
        col.date("started_on", gettext_lazy("Started on"), STARTED_ON, required=True),
        col.choice("status", gettext_lazy("Status"), MutualAidStatus.choices, STATUS_WORDS, STATUS, width=10),
        col.text("description", gettext_lazy("Description"), DESCRIPTION, 2000, width=30),
        col.text("funder", gettext_lazy("Funder"), FUNDER, 100),
        col.amount("amount", gettext_lazy("Amount paid (yuan)"), AMOUNT),
        col.date("paid_on", gettext_lazy("Paid on"), PAID_ON),
        col.text("reference", gettext_lazy("Voucher number"), REFERENCE, 60, width=14),
    ]

    def prepare(self, rows, ctx):
        keys = {k for k in map(_key, rows) if k is not None}
        on_file: dict[tuple, list] = {}
        if keys:
            for project in MutualAidProject.objects.filter(
                region__in={region for region, _name in keys},
                name__in={r.values["name"] for r in rows if r.values.get("name")},
            ):
                on_file.setdefault((project.region_id, squash(project.name)), []).append(project)
        for row in rows:
            key = _key(row)
            found = on_file.get(key, []) if key else []
            if len(found) > 1:
                row.error(
                    "name",
                    _(
                        "%(n)d projects of this village are called “%(name)s”; correct them on the project pages"
                    )
                    % {"n": len(found), "name": row.values["name"]},
                )
            row.values["_existing"] = found[0] if len(found) == 1 else None

    def check(self, rows, ctx):
        no_future(rows, "started_on")
        no_future(rows, "paid_on")
        for row in rows:
            v = row.values
            given = [k for k in PAYMENT if v.get(k) not in (None, "")]
            if given and len(given) < len(PAYMENT) or v.get("reference") and not given:
                for key in PAYMENT:
                    if v.get(key) in (None, ""):
                        row.error(key, _("a matching payment needs its funder, amount and date"))
            if v.get("paid_on") and v.get("started_on") and v["paid_on"] < v["started_on"]:
                row.error("paid_on", _("The payment comes before the project started."))
        same_parent(rows, _key, PROJECT, _("project"))

    def write_many(self, rows, ctx):
        """The new projects of a batch in one bulk insert and the new payments in another, checked as
        project_create() and matching_payment_record() check them. A project on file whose figures the file
        changes is updated through write(), with all its rows of the batch."""
        projects: dict[tuple, MutualAidProject] = {}
        for row in rows:
            if row.values.get("_existing") is not None:
                projects[_key(row)] = row.values["_existing"]
        missing = {_key(row) for row in rows} - set(projects)
        if missing:  # made by an earlier batch of this import: one query
            for project in MutualAidProject.objects.filter(
                region__in={region for region, _name in missing},
                name__in={row.values["name"] for row in rows if _key(row) in missing},
            ).order_by("pk"):
                projects.setdefault((project.region_id, squash(project.name)), project)
        changed = {
            _key(row)
            for row in rows
            if _key(row) in projects
            and any(
                row.values.get(k) not in (None, "") and getattr(projects[_key(row)], k) != row.values[k]
                for k in PROJECT
            )
        }
        new: dict[tuple, dict] = {}
        for row in rows:
            key = _key(row)
            if key in projects:
                continue
            facts = new.setdefault(key, {"region": row.values["region"], "name": row.values["name"]})
            # The rows of a project agree on its facts (check: same_parent); each may give those others leave out.
            facts.update({k: row.values[k] for k in PROJECT if row.values.get(k) not in (None, "")})
        created = charity.projects_create_many(actor=ctx.user, entries=list(new.values())) if new else []
        projects.update(zip(new, created, strict=True))
        paid = set()
        on_file = [p.pk for k, p in projects.items() if k not in new and k not in changed]
        if on_file:
            paid = set(
                MatchingPayment.objects.filter(project__in=on_file).values_list(
                    "project_id", "funder", "amount", "paid_on"
                )
            )
        payments = []
        for row in rows:
            v = row.values
            if _key(row) in changed or not v.get("funder"):
                continue
            project = projects[_key(row)]
            fact = (project.pk, v["funder"], v["amount"], v["paid_on"])
            if fact in paid:
                continue
            paid.add(fact)
            payments.append({"project": project, **_payment(v)})
        recorded = charity.matching_payments_record_many(actor=ctx.user, entries=payments) if payments else []
        return [*created, *recorded], [row for row in rows if _key(row) in changed]

    def write(self, row, ctx):
        v = row.values
        facts = {k: v.get(k) for k in PROJECT}
        created = []
        project = (
            MutualAidProject.objects.filter(region=v["region"], name=v["name"]).order_by("pk").first()
            if v.get("_existing") is None
            else v["_existing"]
        )
        if project is None:
            project = charity.project_create(
                actor=ctx.user,
                region=v["region"],
                name=v["name"],
                **{k: x for k, x in facts.items() if x not in (None, "")},
            )
            created.append(project)
        elif any(value not in (None, "") and getattr(project, k) != value for k, value in facts.items()):
            if v.get("_existing") is not None:  # on file before this import: its old figures are journaled
                before_update(ctx, MutualAidProject, [project.pk])
            charity.project_update(
                actor=ctx.user, project=project, **{k: x for k, x in facts.items() if x not in (None, "")}
            )
        if v.get("funder"):
            paid = MatchingPayment.objects.filter(
                project=project, funder=v["funder"], amount=v["amount"], paid_on=v["paid_on"]
            ).exists()
            if not paid:
                created.append(
                    charity.matching_payment_record(actor=ctx.user, project=project, **_payment(v))
                )
        return created
