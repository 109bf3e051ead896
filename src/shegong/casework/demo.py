"""Demo data for people served and casework in 黔西南州 (5223): a few thousand people with realistic category
mixes registered from July 2020 to today, a year of visits (some overdue), cases in every stage dated as they
would have happened (intake after the station was built and the file registered, each stage weeks after the
one before), and service records from the day each station was built; all handled by the station's social
workers (an account per station, named after a worker assigned there), supervised by the county.

People, visits and service records are bulk-created for speed, with the same derived columns the services
write (pinyin, lookup hashes, last four digits); cases go through the workflow services, so their history and
approvals read as real ones. Deterministic: the same seed gives the same data.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.casework import rollups
from shegong.casework import services as case_services
from shegong.casework.models import Approval, Case, CaseEvent, ServiceItem, ServiceRecord, Stage
from shegong.clients import visiting
from shegong.clients.models import Category, Person, RiskLevel, Visit, VisitRule
from shegong.clients.services import name_pinyin
from shegong.lib.demo import demo_account_for, demo_accounts, unused_id_number
from shegong.lib.pii import lookup_hash
from shegong.network.models import TOWNSHIP_KINDS, Facility, FacilityStatus
from shegong.regions.models import Region
from shegong.workforce.models import Assignment

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "秀英桂兰玉兰凤英建华明华国强志强永福德胜春梅金花小红光荣家明晓燕文华海燕丽娟正荣世杰天佑子涵梓萱浩然宇轩思源欣怡"

# (category names, share of people, age range): the mixes a township ledger shows.
PROFILES = [
    (["低保", "独居"], 0.10, (62, 90)),
    (["低保"], 0.14, (25, 80)),
    (["特困", "孤寡"], 0.06, (65, 95)),
    (["留守老人", "空巢"], 0.14, (60, 88)),
    (["高龄", "失能"], 0.06, (80, 99)),
    (["残疾人"], 0.08, (20, 70)),
    (["特殊困难重度残疾人", "低保"], 0.03, (18, 70)),
    (["农村留守儿童"], 0.12, (4, 15)),
    (["事实无人抚养儿童"], 0.03, (3, 16)),
    (["孤儿"], 0.01, (2, 16)),
    (["低保边缘", "支出型困难家庭"], 0.06, (30, 65)),
    (["防返贫监测"], 0.06, (30, 70)),
    (["留守妇女"], 0.04, (25, 55)),
    (["易地扶贫搬迁"], 0.04, (20, 75)),
    (["流浪乞讨"], 0.01, (30, 60)),
    (["计生特殊家庭", "失独"], 0.02, (55, 80)),
]
RISK_REASONS = {
    RiskLevel.KEY: [
        "独居失能，无人照料",
        "重病在家，需要每月探视",
        "事实无人抚养，监护缺失",
        "精神障碍，有走失风险",
    ],
    RiskLevel.WATCH: ["高龄独居", "家庭收入不稳定", "子女长期在外", "行动不便"],
}
FINDINGS = [
    "身体状况稳定，生活基本能自理",
    "家中卫生较差，已协助整理",
    "情绪低落，进行了心理疏导",
    "反映药费负担重",
    "房屋漏雨，需维修",
]
NEEDS = ["", "", "申请临时救助", "需要助餐服务", "需要链接医疗资源", "需要学业辅导"]


def _people(rng: random.Random, villages: list[str], count: int, today: dt.date) -> list[Person]:
    weights = [share for _c, share, _a in PROFILES]
    used: set[str] = set()
    people = []
    for _ in range(count):
        names, _share, (low, high) = rng.choices(PROFILES, weights)[0]
        village = rng.choice(villages)
        age = rng.randint(low, high)
        born = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        female = rng.random() < 0.55
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        has_id = rng.random() > 0.03 or age < 1
        number = unused_id_number(rng, village[:6], born, female, used) if has_id else ""
        risk = rng.choices([RiskLevel.KEY, RiskLevel.WATCH, RiskLevel.GENERAL], [0.12, 0.28, 0.60])[0]
        pinyin, initials = name_pinyin(name)
        phone = (
            f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}" if age >= 16 and rng.random() < 0.7 else ""
        )
        child = age < 18
        person = Person(
            name=name,
            pinyin=pinyin,
            initials=initials,
            sex="female" if female else "male",
            birth_date=born,
            id_number=number,
            id_number_hash=lookup_hash(number) if number else "",
            id_number_last4=number[-4:],
            phone=phone,
            phone_hash=lookup_hash(phone) if phone else "",
            phone_last4=phone[-4:],
            region_id=village,
            address=f"{rng.randint(1, 80)}号",
            risk_level=risk,
            risk_reason=rng.choice(RISK_REASONS[risk]) if risk in RISK_REASONS else "",
            care_ability=rng.choice(["self", "self", "partial", "dependent"]) if age >= 60 else "self",
            guardian_name=(rng.choice(SURNAMES) + "监护人") if child else "",
            guardian_relation="祖父母" if child else "",
            guardian_consent=child,
            guardian_consent_on=today - dt.timedelta(days=rng.randint(30, 300)) if child else None,
            registered_on=_registered(rng, today),
        )
        person._demo_categories = names
        people.append(person)
    return people


HISTORY_FROM = dt.date(2020, 7, 1)


def _registered(rng: random.Random, today: dt.date) -> dt.date:
    """A registration day from July 2020 to a month ago, more of them in the later years (the ledger grows)."""
    span = (today - dt.timedelta(days=30) - HISTORY_FROM).days
    return HISTORY_FROM + dt.timedelta(days=int(span * rng.random() ** 0.7))


def _visits(
    rng: random.Random, people: list[Person], visitor_for, today: dt.date, interval_of
) -> list[Visit]:
    """Visits by each person's own rule (``interval_of(person)``, the shortest of their risk level's and
    categories' rules), never before the file was opened. Most are visited on time; some have lapsed by up to
    one interval; a file opened recently may not have been visited yet, and is due from its registration."""
    visits = []
    for person in people:
        interval = interval_of(person)
        if not interval:
            continue
        lapsed = rng.random() < 0.15
        day = today - dt.timedelta(
            days=rng.randint(interval + 5, interval * 2) if lapsed else rng.randint(0, interval - 1)
        )
        while day > today - dt.timedelta(days=365) and day >= person.registered_on:
            visits.append(
                Visit(
                    person=person,
                    region_id=person.region_id,
                    visited_on=day,
                    mode=rng.choices(["home", "phone", "station", "online"], [0.6, 0.25, 0.1, 0.05])[0],
                    visitor=visitor_for(person.region_id),  # the station's social worker
                    findings=rng.choice(FINDINGS),
                    needs=rng.choice(NEEDS),
                    next_due=day + dt.timedelta(days=interval),
                )
            )
            day -= dt.timedelta(days=rng.randint(int(interval * 0.7), interval))
    return visits


STAGES = list(Stage)  # in the order a case moves through them
FILLED = {
    Stage.ASSESSMENT: {
        "needs": {"livelihood": "收入低，生活困难", "health": "慢性病需长期服药", "social": "与邻里来往少"},
        "strengths": "本人配合，有亲属愿意支持",
        "assessment_report": "经预估，服务对象生活照料和情绪支持需求突出。",
    },
    Stage.PLAN: {
        "plan_goals": "三个月内改善生活照料，缓解孤独情绪",
        "plan_actions": "链接助餐服务；每两周入户陪伴；协助申请临时救助",
        "plan_timetable": "第1月链接资源，第2-3月跟进陪伴",
    },
    Stage.EVALUATION: {
        "attainment": "achieved",
        "evaluation_report": "助餐服务已落实，情绪明显好转。",
        "closure_reason": "goals_met",
        "closure_summary": "目标达成，结案并安排回访。",
    },
}


def _walk(
    case: Case, target: str, worker: User, supervisor: User, rng: random.Random, today: dt.date
) -> None:
    """Walk a case to ``target`` through the services, then date its history as it would have happened: each
    stage some weeks after the one before, from the intake day, never after today."""
    day = case.opened_on
    days = []
    for step in STAGES[1 : STAGES.index(target) + 1]:
        day = min(day + dt.timedelta(days=rng.randint(7, 45)), today)
        days.append((step, day))
        if case.stage in FILLED:
            case_services.case_update(actor=worker, case=case, **FILLED[case.stage])
        if case.stage == Stage.INTERVENTION:
            case_services.contact_add(
                actor=worker,
                case=case,
                contacted_on=min(day - dt.timedelta(days=3), today),
                mode="home",
                content="入户陪伴，送餐到家",
                resources="助餐点",
            )
        approval = case_services.case_transition(actor=worker, case=case, to_stage=step)
        if approval is not None:
            case_services.approval_decide(actor=supervisor, approval=approval, approve=True, note="同意")
        case.refresh_from_db()
    _date_history(case, days)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _date_history(case: Case, days: list[tuple[str, dt.date]]) -> None:
    """Put the days of ``days`` (stage, day reached) on the case's events, approvals and dates: the services
    stamp them with the moment the demo runs, which would make a history of years happen in one minute."""
    reached = dict(days)
    opened = case.opened_on
    for event in CaseEvent.objects.filter(case=case).order_by("id"):
        day = reached.get(event.to_stage, opened) if event.to_stage else opened
        CaseEvent.objects.filter(pk=event.pk).update(at=_at(day))
    for approval in Approval.objects.filter(case=case):
        day = reached.get(approval.to_stage, opened)
        Approval.objects.filter(pk=approval.pk).update(
            requested_at=_at(day - dt.timedelta(days=1) if day > opened else day, 9), decided_at=_at(day, 9)
        )
    changes = {"stage_since": reached.get(case.stage, opened)}
    if case.closed_on:
        changes["closed_on"] = reached.get(Stage.CLOSURE, case.closed_on)
    Case.objects.filter(pk=case.pk).update(**changes)


def _station_workers(stations, accounts: dict[str, User]) -> dict[str, User]:
    """A social worker's account for each station, named after a worker assigned there in the registry (the
    demo login ``worker`` for its own township's station): the cases, visits and services of a township are
    handled by its station's workers, not by the county's administrator."""
    names = dict(
        Assignment.objects.filter(facility__in=stations, end_date__isnull=True)
        .order_by("facility_id", "start_date", "id")
        .values_list("facility__region_id", "worker__name")
    )
    workers = {}
    for station in stations:
        if station.region_id == "522301001":
            workers[station.region_id] = accounts["worker"]
            continue
        user, created = User.objects.get_or_create(
            username=f"sg{station.region_id}",
            defaults={
                "role": Role.WORKER,
                "jurisdiction_id": station.region_id,
                "full_name": names.get(station.region_id) or f"{station.name}社工（演示）",
            },
        )
        if created:
            user.set_unusable_password()  # a name on the records; nobody logs in with it
            user.save(update_fields=["password"])
        workers[station.region_id] = user
    return workers


@transaction.atomic
def demo_casework(*, prefecture: str = "5223", people: int = 3000, seed: int = 2025) -> dict:
    if Person.objects.filter(region_id__gte=prefecture, region_id__lt=str(int(prefecture) + 1)).exists():
        return {"people": 0, "visits": 0, "cases": 0, "services": 0}
    rng = random.Random(seed)
    today = timezone.localdate()
    accounts = demo_accounts("worker", "county", "county2", "prefecture")

    def admin_for(code: str) -> User:
        return demo_account_for(accounts, code)

    stations = list(
        Facility.objects.filter(
            region_id__gte=prefecture,
            region_id__lt=str(int(prefecture) + 1),
            kind__in=TOWNSHIP_KINDS,
            region__level=4,
        ).exclude(status=FacilityStatus.CLOSED)
    )
    station_workers = _station_workers(stations, accounts)

    def account_for(code: str) -> User:
        """The social worker of the township's station; the county's administrator where there is none."""
        return station_workers.get(code[:9]) or admin_for(code)

    villages = list(
        Region.objects.filter(level=5, code__gte=prefecture, code__lt=str(int(prefecture) + 1)).values_list(
            "code", flat=True
        )
    )
    home = [v for v in villages if v.startswith("522301001")]
    # A fifth of the files in the worker's own township, so its ledger is full; the rest across the prefecture.
    chosen = _people(rng, home, people // 5, today) + _people(rng, villages, people - people // 5, today)
    Person.objects.bulk_create(chosen, batch_size=500)
    categories = {c.name: c for c in Category.objects.all()}
    through = Person.categories.through
    through.objects.bulk_create(
        [through(person_id=p.pk, category_id=categories[n].pk) for p in chosen for n in p._demo_categories],
        batch_size=1000,
    )
    rules = list(VisitRule.objects.all())

    def interval_of(person):
        return visiting.interval_of(
            rules,
            region=person.region_id,
            risk_level=person.risk_level,
            category_ids={categories[n].pk for n in person._demo_categories},
        )

    visits = _visits(rng, chosen, account_for, today, interval_of)
    # The worker of the demo township is responsible for its people (their workbench lists them).
    Person.objects.filter(pk__in=[p.pk for p in chosen if p.region_id.startswith("522301001")]).update(
        responsible=accounts["worker"]
    )
    Visit.objects.bulk_create(visits, batch_size=1000)

    cases = 0
    awaiting: list = []
    by_station = {}
    for person in chosen:
        by_station.setdefault(person.region_id[:9], []).append(person)
    for station in sorted(stations, key=lambda s: (not s.region_id.startswith("522301"), s.region_id))[:24]:
        candidates = [p for p in by_station.get(station.region_id, []) if p.risk_level != RiskLevel.GENERAL]
        worker = account_for(station.region_id)
        # The county's administrator supervises (督导) the station's cases; the prefecture's, where the county
        # has no demo account.
        supervisor = admin_for(station.region_id)
        built = station.built_on or station.status_since
        for index, person in enumerate(candidates[: len(STAGES) + 2]):
            target = STAGES[index % len(STAGES)]
            # Cases still open began recently; closed ones any time since the station and the file existed.
            earliest = max(built, person.registered_on)
            latest = today - dt.timedelta(days=30 if STAGES.index(target) < 5 else 300)
            if target in (Stage.INTAKE, Stage.ASSESSMENT):
                earliest = max(earliest, today - dt.timedelta(days=120))
            opened = earliest + dt.timedelta(days=rng.randint(0, max((latest - earliest).days, 0)))
            case = case_services.case_open(
                actor=worker,
                person=person,
                station=station,
                source=rng.choice(["self", "referral", "outreach"]),
                presenting_problem=person.risk_reason or "生活困难，需要帮助",
                opened_on=min(opened, today),
                agreement_signed=True,
            )
            CaseEvent.objects.filter(case=case).update(at=_at(case.opened_on))
            _walk(case, target, worker, supervisor, rng, today)
            cases += 1
            if case.stage == Stage.PLAN and worker.username == "worker" and not awaiting:
                # One plan of the demo township awaits its supervisor: the county's workbench shows it.
                case_services.case_update(actor=worker, case=case, **FILLED[Stage.PLAN])
                awaiting.append(
                    case_services.case_transition(actor=worker, case=case, to_stage=Stage.INTERVENTION)
                )

    items = list(ServiceItem.objects.filter(region__isnull=True))
    records = []
    people_by_township = by_station
    for station in stations:
        worker = account_for(station.region_id)
        local = people_by_township.get(station.region_id, [])
        # Services from the day the station was built (at the earliest July 2020) up to today.
        opened = max(station.built_on or station.status_since, HISTORY_FROM)
        span = max((today - opened).days, 1)
        for _ in range(rng.randint(30, 100) * max(span // 365, 1)):
            day = today - dt.timedelta(days=rng.randint(0, span - 1))
            group = rng.random() < 0.25 or not local
            records.append(
                ServiceRecord(
                    station=station,
                    served_on=day,
                    person=None if group else rng.choice(local),
                    group_name=rng.choice(["老年人健康讲座", "儿童暑期课堂", "邻里互助活动"])
                    if group
                    else "",
                    participants=rng.randint(8, 40) if group else 1,
                    item=rng.choice(items),
                    worker=worker,
                    duration_minutes=rng.choice([30, 45, 60, 90, 120]),
                    mode=rng.choice(["home", "station", "phone", "outreach"]),
                )
            )
    ServiceRecord.objects.bulk_create(records, batch_size=1000)
    # Written in bulk, past the services that keep the rollups current: recompute them once.
    rollups.rebuild_all()
    return {"people": len(chosen), "visits": len(visits), "cases": cases, "services": len(records)}
