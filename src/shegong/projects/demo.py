"""Demo data for projects, evaluations, the hotline and the bulletin in 黔西南州 (5223): three purchased projects
with targets, milestones and payments; a mid-term evaluation round of 兴义市's stations, part scored; a month of
hotline tickets; and the prefecture's bulletins for last month and this month.

Records go through the services, as the application makes them. Tickets are received in the past, so after the
services record them their first-action and closing times are set to plausible moments of that past (the services
stamp "now"). Deterministic: the same seed gives the same data.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shegong.bulletins.figures import previous_month
from shegong.bulletins.models import Bulletin
from shegong.bulletins.services import bulletin_issue
from shegong.evaluations import services as evaluation_services
from shegong.evaluations.models import IndicatorSystem, Round
from shegong.hotline import services as hotline_services
from shegong.hotline.models import Ticket
from shegong.lib.demo import demo_account_for, demo_accounts
from shegong.lib.scoping import code_prefix_q
from shegong.network.models import BUILT_STATUSES, TOWNSHIP_KINDS, Facility
from shegong.projects import services
from shegong.projects.models import Project
from shegong.projects.workflow import PurchaseStatus
from shegong.regions.models import Region
from shegong.workforce.models import Agency

SUMMARIES = {
    "needs": ["独居老人希望有人定期上门探望", "留守儿童家长咨询课后托管", "残疾人家庭需要辅具"],
    "emotional": ["老人子女外出务工，情绪低落", "失独家庭成员倾诉", "丧偶后长期失眠"],
    "psychological": ["青少年厌学，家长求助", "产后情绪困扰", "长期病痛导致焦虑"],
    "policy": ["咨询低保申请条件", "咨询临时救助办理流程", "咨询残疾人两项补贴"],
    "resources": ["需要助餐服务", "房屋漏雨需维修", "需要就医陪诊"],
    "crisis": ["家属反映老人有轻生念头", "儿童疑似遭受家暴", "精神障碍患者走失"],
}


def _stations(prefix: str) -> list[Facility]:
    return list(
        Facility.objects.filter(
            code_prefix_q("region_id", prefix),
            kind__in=TOWNSHIP_KINDS,
            status__in=BUILT_STATUSES,
            region__level=4,
        ).order_by("region_id")
    )


def _projects(accounts, today: dt.date) -> int:
    specs = [
        (
            "county",
            "522301",
            "兴义市困难群众社会工作服务项目",
            "兴义市民政局",
            "lottery",
            "480000",
            PurchaseStatus.IMPLEMENTING,
        ),
        (
            "county",
            "522301",
            "兴义市农村留守儿童关爱保护项目",
            "兴义市民政局",
            "budget",
            "260000",
            PurchaseStatus.MIDTERM,
        ),
        (
            "county2",
            "522302",
            "兴仁市社工站运营项目",
            "兴仁市民政局",
            "budget",
            "360000",
            PurchaseStatus.APPROVED,
        ),
    ]
    path = [
        PurchaseStatus.REVIEW,
        PurchaseStatus.APPROVED,
        PurchaseStatus.IMPLEMENTING,
        PurchaseStatus.MIDTERM,
    ]
    made = 0
    for account, code, name, purchaser, funds, amount, status in specs:
        if Project.objects.filter(name=name).exists():
            continue
        actor = accounts[account]
        stations = _stations(code)[:6]
        agency = Agency.objects.filter(
            credit_code__in=[s.agency_credit_code for s in stations if s.agency_credit_code]
        ).first()
        start = (today - dt.timedelta(days=150)).replace(day=1)
        project = services.project_create(
            actor=actor,
            name=name,
            region=Region.objects.get(code=code),
            purchaser=purchaser,
            funding_source=funds,
            amount=Decimal(amount),
            start_on=start,
            end_on=start.replace(year=start.year + 1) - dt.timedelta(days=1),
            agency=agency,
            stations=stations,
            targets={"cases": 40, "groups": 12, "activities": 48, "person_times": 3000, "people": 600},
            description="通过政府购买服务，由专业社会工作机构承接，为辖区困难群众提供专业服务。",
        )
        for step in path[: path.index(status) + 1]:
            project = services.project_transition(actor=actor, project=project, to_status=step, on=start)
        contract = Decimal(amount)
        plan = [
            ("合同签订首期", start, Decimal("0.4")),
            ("中期评估通过", start + dt.timedelta(days=180), Decimal("0.3")),
            ("结项验收", project.end_on, Decimal("0.3")),
        ]
        for index, (label, due, share) in enumerate(plan):
            milestone = services.milestone_add(
                actor=actor, project=project, name=label, due_on=due, amount=contract * share
            )
            if index == 0:
                services.milestone_meet(actor=actor, milestone=milestone, met_on=start + dt.timedelta(days=7))
                services.payment_record(
                    actor=actor,
                    project=project,
                    amount=contract * share,
                    paid_on=start + dt.timedelta(days=20),
                    milestone=milestone,
                    note="首期拨付",
                )
        made += 1
    return made


def _round(accounts, today: dt.date, rng: random.Random) -> int:
    if Round.objects.filter(region_id="522301").exists():
        return 0
    system = IndicatorSystem.objects.get(region__isnull=True, subject="station")
    round_ = evaluation_services.round_launch(
        actor=accounts["county"],
        system=system,
        region=Region.objects.get(code="522301"),
        name=f"{today.year}年兴义市社工站中期评估",
        due_on=today + dt.timedelta(days=30),
    )
    evaluations = list(round_.evaluations.select_related("facility").order_by("region_id"))
    for index, evaluation in enumerate(evaluations):
        rows = list(evaluation.scores.select_related("indicator"))
        if index % 3 == 2:
            continue  # not yet self-assessed
        evaluation_services.scores_set(
            actor=accounts["county"],
            evaluation=evaluation,
            scores={
                r.indicator_id: {
                    "self_score": str(r.indicator.points * Decimal(rng.choice(["0.8", "0.9", "1"]))),
                    "evidence": "台账、照片",
                }
                for r in rows
            },
        )
        if index % 3 == 0:
            evaluation_services.scores_set(
                actor=accounts["county"],
                evaluation=evaluation,
                scores={
                    r.indicator_id: {
                        "score": str(
                            (
                                r.indicator.points * Decimal(rng.choice(["0.6", "0.75", "0.85", "0.95"]))
                            ).quantize(Decimal("0.1"))
                        )
                    }
                    for r in rows
                },
            )
            evaluation_services.evaluation_finalise(
                actor=accounts["county"],
                evaluation=evaluation,
                findings="阵地建设规范，台账基本完整，服务覆盖面逐步扩大。",
                shortcomings="儿童服务和志愿者培育偏弱；个案记录不够及时。",
            )
            evaluation_services.rectification_add(
                actor=accounts["county"],
                evaluation=evaluation,
                text="补齐个案服务记录",
                due_on=today + dt.timedelta(days=rng.choice([-5, 20, 45])),
            )
    return len(evaluations)


def _tickets(accounts, today: dt.date, rng: random.Random) -> int:
    if Ticket.objects.filter(code_prefix_q("region_id", "5223")).exists():
        return 0
    stations = _stations("5223")
    now = timezone.now()
    made = 0
    for _ in range(60):
        station = rng.choice(stations)
        account = demo_account_for(accounts, station.region_id)
        category = rng.choices(list(SUMMARIES), [0.25, 0.2, 0.1, 0.25, 0.15, 0.05])[0]
        received = now - dt.timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 600))
        ticket = hotline_services.ticket_create(
            actor=account,
            region=station.region,
            channel=rng.choice(["phone", "phone", "wechat", "online"]),
            category=category,
            urgency=rng.choice(["normal", "normal", "urgent"]),
            summary=rng.choice(SUMMARIES[category]),
            received_at=received,
            caller_name=rng.choice("王李张刘陈杨黄赵") + rng.choice(["女士", "先生"]),
            caller_phone=f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
        )
        hotline_services.ticket_assign(actor=account, ticket=ticket, station=station)
        fate = rng.random()
        if fate < 0.08 and category != "crisis":
            continue  # still waiting
        if fate < 0.04:
            continue  # a crisis nobody has acted on: flagged
        hotline_services.ticket_note_add(
            actor=account, ticket=ticket, text="已电话回访，了解具体情况并安排社工跟进"
        )
        acted = received + dt.timedelta(minutes=rng.choice([20, 45, 90, 240, 600, 1800]))
        update = {"acted_at": min(acted, now)}
        if fate < 0.8:
            hotline_services.ticket_close(
                actor=account,
                ticket=ticket,
                outcome=rng.choice(["resolved", "information", "referred"]),
                note="已处理",
            )
            update["closed_at"] = min(acted + dt.timedelta(hours=rng.choice([2, 12, 30, 100])), now)
        # The services stamp "now"; a demo month of tickets needs the moments of that month.
        Ticket.objects.filter(pk=ticket.pk).update(**update)
        made += 1
    return made


def _bulletins(accounts, today: dt.date) -> int:
    if Bulletin.objects.filter(region_id="5223").exists():
        return 0
    region = Region.objects.get(code="5223")
    this_month = today.replace(day=1)
    bulletin_issue(actor=accounts["prefecture"], region=region, month=previous_month(this_month))
    bulletin_issue(actor=accounts["prefecture"], region=region, month=this_month)
    return 2


@transaction.atomic
def demo_projects(*, seed: int = 2025) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    accounts = demo_accounts("prefecture", "county", "county2", "worker")
    return {
        "projects": _projects(accounts, today),
        "evaluations": _round(accounts, today, rng),
        "tickets": _tickets(accounts, today, rng),
        "bulletins": _bulletins(accounts, today),
    }
