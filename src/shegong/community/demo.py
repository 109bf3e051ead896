"""Demo data of the five-society linkage in 黔西南州 (5223): a year of community activities and group work at
the operating township stations, volunteers with teams, confirmed hours, points and redemptions, community
organisations, donations, charity funds, "幸福家园" mutual-aid projects with the province's and the
prefecture's matching rules, and deliberation meetings with their problems followed up.

Bulk-created for speed, with the derived columns the services write (lookup hashes, last four digits, ledger
balances): every volunteer's balance is the sum of their ledger, as the services guarantee. A few sign-ups are
left checked in or checked out so that the demo has hours waiting to be confirmed. Deterministic: the same
seed gives the same data; running it again adds nothing.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from stdnum.cn import uscc

from shegong.accounts.models import User
from shegong.community import points
from shegong.community.models import (
    Activity,
    ActivityKind,
    CatalogueItem,
    CharityFund,
    Deliberation,
    DeliberationIssue,
    Donation,
    FundEntry,
    GroupSession,
    MatchingRule,
    MutualAidProject,
    Organisation,
    PointEntry,
    PointRule,
    Redemption,
    SignUp,
    Team,
    Volunteer,
    WorkGroup,
)
from shegong.lib.demo import demo_account_for, demo_accounts, made_up_id_number
from shegong.lib.pii import lookup_hash
from shegong.network.models import TOWNSHIP_KINDS, Facility, FacilityStatus
from shegong.regions.models import Region

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "秀英桂兰玉兰凤英建华明华国强志强永福德胜春梅金花小红光荣家明晓燕文华海燕丽娟正荣世杰天佑子涵梓萱浩然宇轩思源欣怡"
SKILLS = ["理发", "医疗护理", "文艺表演", "心理疏导", "法律咨询", "电器维修", "书法", "辅导作业", "驾驶", ""]
ACTIVITIES = {
    ActivityKind.CARE_VISIT: ["重阳节关爱探访", "空巢老人入户探访", "留守儿童家访"],
    ActivityKind.POLICY: ["社会救助政策宣传", "防范电信诈骗宣传", "医保政策进社区"],
    ActivityKind.CULTURE: ["广场舞展演", "社区运动会", "乡村读书会"],
    ActivityKind.FESTIVAL: ["春节写春联送福", "端午包粽子", "中秋邻里团圆会"],
    ActivityKind.TRAINING: ["志愿者服务技能培训", "急救知识培训", "家庭教育讲座"],
    ActivityKind.DELIBERATION: ["院落议事会", "村规民约修订座谈"],
    ActivityKind.VOLUNTEERING: ["义诊义剪", "环境卫生大扫除", "助老助餐志愿服务"],
}
ORG_NAMES = [
    "邻里互助会",
    "老年协会",
    "巾帼志愿队",
    "广场舞队",
    "红白理事会",
    "调解委员会",
    "读书会",
    "青年志愿服务队",
]
ISSUES = [
    "小区停车位不足",
    "路灯损坏",
    "垃圾清运不及时",
    "下水道堵塞",
    "活动场地不足",
    "老人就餐难",
    "道路坑洼",
]
DONORS = [
    ("enterprise", "兴义某建材公司"),
    ("enterprise", "黔西南某银行"),
    ("organisation", "州慈善总会"),
    ("individual", "爱心人士"),
    ("anonymous", "匿名"),
]
GOODS = ["大米二十袋", "食用油十桶", "棉被三十床", "书包五十个", "口罩一千个"]


def _id_number(rng: random.Random, county: str, used: set) -> str:
    while True:
        born = dt.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
        number = made_up_id_number(county, born, rng.randrange(0, 1000))
        if number not in used:
            used.add(number)
            return number


def _volunteers(rng, villages, count, station_of, creator) -> list[Volunteer]:
    used: set[str] = set()
    made = []
    for _ in range(count):
        village = rng.choice(villages)
        number = _id_number(rng, village[:6], used)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}"
        made.append(
            Volunteer(
                region_id=village,
                station=station_of.get(village[:9]),
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                sex="male" if int(number[16]) % 2 else "female",
                birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                id_number=number,
                id_number_hash=lookup_hash(number),
                id_number_last4=number[-4:],
                phone=phone,
                phone_hash=lookup_hash(phone),
                phone_last4=phone[-4:],
                skills=rng.choice(SKILLS),
                # Registered from 2021 up to a month ago, more of them in later years (recruitment grows).
                registered_on=dt.date(2021, 1, 1)
                + dt.timedelta(
                    days=int(
                        (timezone.localdate() - dt.timedelta(days=30) - dt.date(2021, 1, 1)).days
                        * rng.random() ** 0.8
                    )
                ),
                created_by=creator(village),
            )
        )
    return made


@transaction.atomic
def demo_community(*, prefecture: str = "5223", volunteers: int = 600, seed: int = 2025) -> dict:
    upper = str(int(prefecture) + 1)
    if Activity.objects.filter(station__region_id__gte=prefecture, station__region_id__lt=upper).exists():
        return {
            "activities": 0,
            "volunteers": 0,
            "signups": 0,
            "organisations": 0,
            "donations": 0,
            "projects": 0,
            "meetings": 0,
        }
    rng = random.Random(seed)
    today = timezone.localdate()
    accounts = demo_accounts("worker", "county", "county2", "prefecture", "province")

    def account_for(code: str) -> User:
        return demo_account_for(accounts, code, worker=True)

    stations = sorted(
        Facility.objects.filter(
            region_id__gte=prefecture,
            region_id__lt=upper,
            kind__in=TOWNSHIP_KINDS,
            region__level=4,
            status=FacilityStatus.OPERATING,
        ),
        key=lambda s: (not s.region_id.startswith("522301"), s.region_id),
    )
    if not stations:
        raise RuntimeError("no operating stations in the demo prefecture; run demo_network first")
    station_of = {s.region_id: s for s in stations}
    villages = list(
        Region.objects.filter(level=5, parent_id__in=list(station_of)).values_list("code", flat=True)
    )
    home = [v for v in villages if v.startswith("522301001")]

    # Rules and the catalogue, as the administrators keep them.
    PointRule.objects.create(region_id=prefecture, points_per_hour=10, updated_by=accounts["prefecture"])
    PointRule.objects.create(
        region_id="522301",
        points_per_hour=12,
        bonus_kind=ActivityKind.CARE_VISIT,
        bonus_points=5,
        long_hours=Decimal("4"),
        long_bonus_points=10,
        updated_by=accounts["county"],
    )
    items = [
        CatalogueItem.objects.create(region_id=prefecture, name="志愿服务纪念徽章", points=20),
        CatalogueItem.objects.create(region_id=prefecture, name="大米一袋（5公斤）", points=60, stock=300),
        CatalogueItem.objects.create(region_id="522301", name="食用油一桶", points=80, stock=200),
        CatalogueItem.objects.create(region_id="522301", name="免费理发一次", points=15),
    ]
    # The province and the prefecture each match donations to 幸福家园 (percent, cap in yuan).
    for region, level, percent, cap, account in (
        (prefecture[:2], "省级", "11", "800", "province"),
        (prefecture, "州级", "21", "1500", "prefecture"),
    ):
        MatchingRule.objects.create(
            region_id=region,
            name=f"{level}“幸福家园”配捐",
            programme="幸福家园",
            percent=Decimal(percent),
            cap=Decimal(cap),
            valid_from=dt.date(today.year - 1, 1, 1),
            created_by=accounts[account],
        )

    people = _volunteers(rng, home, volunteers // 4, station_of, account_for) + _volunteers(
        rng, villages, volunteers - volunteers // 4, station_of, account_for
    )
    Volunteer.objects.bulk_create(people, batch_size=500)
    by_township = _by_township(people)

    teams = []
    for station in stations:
        local = by_township.get(station.region_id, [])
        if len(local) < 3:
            continue
        team = Team.objects.create(
            station=station,
            name=f"{station.region.name}志愿服务队",
            founded_on=today - dt.timedelta(days=rng.randint(200, (today - dt.date(2020, 6, 1)).days)),
            focus=rng.choice(["助老", "关爱儿童", "环境保护", "文明实践"]),
            leader=local[0],
        )
        team.members.add(*local[: rng.randint(3, min(len(local), 25))])
        teams.append(team)

    organisations = []
    for station in stations:
        for name in rng.sample(ORG_NAMES, rng.randint(1, 4)):
            village = rng.choice(
                [v for v in villages if v.startswith(station.region_id)] or [station.region_id]
            )
            status = rng.choices(["cultivating", "incubating", "filed", "registered"], [4, 3, 5, 1])[0]
            founded = today - dt.timedelta(days=rng.randint(60, 1500))
            organisations.append(
                Organisation(
                    region_id=village,
                    name=f"{station.region.name}{name}",
                    kind=rng.choice(["living", "charity", "culture", "mediation"]),
                    status=status,
                    status_since=founded,
                    station=station,
                    founded_on=founded,
                    members=rng.randint(8, 80),
                    leader_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    credit_code=_credit_code(rng) if status == "registered" else "",
                )
            )
    seen = set()
    organisations = [
        o for o in organisations if not ((o.region_id, o.name) in seen or seen.add((o.region_id, o.name)))
    ]
    Organisation.objects.bulk_create(organisations, batch_size=500)
    orgs_by_township = _by_township(organisations)

    activities = []
    for station in stations:
        for _ in range(rng.randint(12, 30) if station.region_id.startswith("522301") else rng.randint(4, 14)):
            kind = rng.choice(list(ACTIVITIES))
            participants = rng.randint(10, 80)
            activities.append(
                Activity(
                    station=station,
                    title=rng.choice(ACTIVITIES[kind]),
                    kind=kind,
                    held_on=today - dt.timedelta(days=rng.randint(0, 364)),
                    place=f"{station.region.name}新时代文明实践站",
                    organisers=station.name,
                    partners=rng.choice(["", "社区卫生服务中心", "派出所", "团委", "妇联"]),
                    organisation=rng.choice(orgs_by_township.get(station.region_id, [None])),
                    participants=participants,
                    beneficiaries=participants + rng.randint(0, 60),
                    volunteers_wanted=rng.randint(0, 8),
                    summary="活动有序开展，居民反响良好。",
                    created_by=account_for(station.region_id),
                )
            )
    Activity.objects.bulk_create(activities, batch_size=500)

    signups, awards = _signups(rng, activities, by_township, account_for, today)
    entries, redemptions = _ledger(rng, awards, items, account_for)

    groups = 0
    for station in stations[:20]:
        worker = account_for(station.region_id)
        for name, kind, aim in [
            ("长者互助支持小组", "support", "减少孤独感，建立互助网络"),
            ("留守儿童成长小组", "growth", "提升自信与人际交往能力"),
        ][: rng.randint(1, 2)]:
            started = today - dt.timedelta(days=rng.randint(30, 300))
            group = WorkGroup.objects.create(
                station=station,
                name=name,
                kind=kind,
                aim=aim,
                worker=worker,
                started_on=started,
                planned_sessions=6,
                other_members=rng.randint(6, 12),
            )
            held = rng.randint(1, 6)
            phases = ["forming", "forming", "transition", "mature", "mature", "ending"]
            GroupSession.objects.bulk_create(
                [
                    GroupSession(
                        group=group,
                        number=n + 1,
                        held_on=min(started + dt.timedelta(days=7 * (n + 1)), today),
                        phase=phases[n],
                        attendance=rng.randint(5, group.other_members),
                        content=f"第{n + 1}节：{['相识破冰', '建立规范', '分享困扰', '互助练习', '巩固成果', '告别与展望'][n]}",
                        recorded_by=worker,
                    )
                    for n in range(held)
                ]
            )
            group.phase = phases[held - 1]
            group.ended_on = (
                min(started + dt.timedelta(days=7 * held), today) if group.phase == "ending" else None
            )
            group.save(update_fields=["phase", "ended_on"])
            groups += 1

    funds = []
    for station in stations[:12]:
        fund = CharityFund.objects.create(
            region_id=station.region_id,
            name=f"{station.region.name}社区公益基金",
            established_on=today - dt.timedelta(days=400),
            purpose="困难群众帮扶、社区微项目",
        )
        funds.append(fund)
    donations = []
    for station in stations:
        for _ in range(rng.randint(1, 5)):
            kind, donor = rng.choice(DONORS)
            cash = rng.random() < 0.6
            donations.append(
                Donation(
                    station=station,
                    donor=donor,
                    donor_kind=kind,
                    form="cash" if cash else "kind",
                    value=Decimal(rng.choice([500, 1000, 2000, 5000, 800, 3000])),
                    items="" if cash else rng.choice(GOODS),
                    received_on=today - dt.timedelta(days=rng.randint(0, 364)),
                    beneficiaries=rng.choice(["困难老人", "留守儿童", "低保家庭", "残疾人"]),
                    beneficiary_count=rng.randint(5, 60),
                    created_by=account_for(station.region_id),
                )
            )
    fund_of = {f.region_id: f for f in funds}
    for donation in donations:
        if donation.form == "cash" and donation.station.region_id in fund_of and rng.random() < 0.5:
            donation.fund = fund_of[donation.station.region_id]
    Donation.objects.bulk_create(donations, batch_size=500)
    fund_entries = []
    balances = {f.pk: Decimal("0") for f in funds}
    for donation in sorted((d for d in donations if d.fund), key=lambda d: d.received_on):
        balances[donation.fund.pk] += donation.value
        fund_entries.append(
            FundEntry(
                fund=donation.fund,
                kind="income",
                amount=donation.value,
                balance_after=balances[donation.fund.pk],
                occurred_on=donation.received_on,
                description=f"{donation.donor}捐赠",
                donation=donation,
                actor=donation.created_by,
            )
        )
    for fund in funds:
        if balances[fund.pk] > 600:
            spend = Decimal("600")
            balances[fund.pk] -= spend
            fund_entries.append(
                FundEntry(
                    fund=fund,
                    kind="expense",
                    amount=-spend,
                    balance_after=balances[fund.pk],
                    occurred_on=today,
                    description="困难家庭慰问金",
                    actor=account_for(fund.region_id),
                )
            )
    FundEntry.objects.bulk_create(fund_entries, batch_size=500)
    for fund in funds:
        CharityFund.objects.filter(pk=fund.pk).update(balance=balances[fund.pk])

    projects = [
        MutualAidProject(
            region_id=village,
            name=f"{rng.choice(['互助食堂', '邻里守望', '老年活动室改造', '儿童之家'])}",
            programme="幸福家园",
            target=Decimal(rng.choice([5000, 8000, 10000, 20000])),
            raised=Decimal(rng.randint(1500, 9000)),
            started_on=today - dt.timedelta(days=rng.randint(0, 360)),
            status=rng.choice(["raising", "running", "completed"]),
        )
        for village in rng.sample(villages, min(80, len(villages)))
    ]
    MutualAidProject.objects.bulk_create(projects)

    meetings = []
    for village in rng.sample(villages, min(150, len(villages))):
        meetings.append(
            Deliberation(
                region_id=village,
                held_on=today - dt.timedelta(days=rng.randint(0, 364)),
                topic=rng.choice(["院落环境整治", "停车管理", "村规民约修订", "公益金使用"]),
                place="村（社区）议事厅",
                host="村（居）委会主任",
                participants=rng.randint(8, 40),
                participant_groups="居民代表、党员、网格员、社工",
                decisions="形成处理意见，明确责任人和完成时限。",
                created_by=account_for(village),
            )
        )
    Deliberation.objects.bulk_create(meetings, batch_size=500)
    issues = []
    for meeting in meetings:
        for text in rng.sample(ISSUES, rng.randint(1, 3)):
            status = rng.choices(["solved", "unsolved", "open"], [82, 4, 14])[0]
            issues.append(
                DeliberationIssue(
                    meeting=meeting,
                    description=text,
                    status=status,
                    outcome="已协调相关部门解决"
                    if status == "solved"
                    else ("超出村级职权，已上报" if status == "unsolved" else ""),
                    closed_on=min(meeting.held_on + dt.timedelta(days=rng.randint(3, 40)), today)
                    if status != "open"
                    else None,
                )
            )
    DeliberationIssue.objects.bulk_create(issues, batch_size=1000)
    return {
        "activities": len(activities),
        "volunteers": len(people),
        "teams": len(teams),
        "signups": len(signups),
        "entries": len(entries),
        "redemptions": len(redemptions),
        "groups": groups,
        "organisations": len(organisations),
        "donations": len(donations),
        "projects": len(projects),
        "meetings": len(meetings),
    }


def _by_township(rows: list) -> dict[str, list]:
    """``rows`` (volunteers, organisations) by the township their village lies in."""
    grouped: dict[str, list] = {}
    for row in rows:
        grouped.setdefault(row.region_id[:9], []).append(row)
    return grouped


def _credit_code(rng: random.Random) -> str:
    body = "53522301" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _signups(rng, activities, by_township, account_for, today):
    """Volunteers at the activities: most confirmed (with their points), a few still checked in or out."""
    signups, awards = [], []
    now = timezone.now()
    for activity in activities:
        local = by_township.get(activity.station.region_id, [])
        if not local or activity.kind not in (
            ActivityKind.VOLUNTEERING,
            ActivityKind.CARE_VISIT,
            ActivityKind.FESTIVAL,
            ActivityKind.CULTURE,
        ):
            continue
        recent = (today - activity.held_on).days < 3
        for volunteer in rng.sample(local, min(len(local), rng.randint(2, 6))):
            hours = Decimal(rng.choice(["1.5", "2", "2.5", "3", "4", "4.5"]))
            start = timezone.make_aware(dt.datetime.combine(activity.held_on, dt.time(9, 0)))
            signup = SignUp(activity=activity, volunteer=volunteer, checked_in_at=start)
            if recent and rng.random() < 0.5:
                signup.status = rng.choice(["checked_in", "checked_out"])
                if signup.status == "checked_out":
                    signup.checked_out_at, signup.hours = start + dt.timedelta(hours=float(hours)), hours
            else:
                earned = points.points_for(
                    hours=hours,
                    activity_kind=activity.kind,
                    code=activity.station.region_id,
                    rule=_rule(activity.station.region_id),
                )
                signup.status, signup.checked_out_at, signup.hours = (
                    "confirmed",
                    start + dt.timedelta(hours=float(hours)),
                    hours,
                )
                signup.confirmed_hours, signup.confirmed_by, signup.confirmed_at, signup.points = (
                    hours,
                    account_for(activity.station.region_id),
                    now,
                    earned,
                )
                awards.append(signup)
            signups.append(signup)
    SignUp.objects.bulk_create(signups, batch_size=1000)
    return signups, awards


_RULES: dict[str, PointRule | None] = {}


def _rule(code: str):
    if code not in _RULES:
        _RULES[code] = points.rule_for(code)
    return _RULES[code]


def _ledger(rng, awards, items, account_for):
    """The ledger lines of the awards, in the order of the activities, and some redemptions: balances are
    carried line by line, so each volunteer's balance is the sum of their ledger."""
    entries, redemptions, balance = [], [], {}
    for signup in sorted(awards, key=lambda s: (s.activity.held_on, s.pk)):
        vid = signup.volunteer_id
        balance[vid] = balance.get(vid, 0) + signup.points
        entries.append(
            PointEntry(
                volunteer_id=vid,
                kind="earn",
                points=signup.points,
                balance_after=balance[vid],
                reason=f"确认服务{signup.confirmed_hours}小时：{signup.activity.title}"[:200],
                signup=signup,
                actor=signup.confirmed_by,
            )
        )
    for vid in sorted(balance):
        if rng.random() < 0.35:
            item = rng.choice(items)
            if balance[vid] >= item.points and (item.stock is None or item.stock > 0):
                actor = account_for(Volunteer.objects.only("region_id").get(pk=vid).region_id)
                redemption = Redemption.objects.create(
                    volunteer_id=vid, item=item, quantity=1, points=item.points, actor=actor
                )
                if item.stock is not None:
                    item.stock -= 1
                    item.save(update_fields=["stock"])
                balance[vid] -= item.points
                entries.append(
                    PointEntry(
                        volunteer_id=vid,
                        kind="redeem",
                        points=-item.points,
                        balance_after=balance[vid],
                        reason=f"兑换{item.name} × 1",
                        redemption=redemption,
                        actor=actor,
                    )
                )
                redemptions.append(redemption)
    PointEntry.objects.bulk_create(entries, batch_size=1000)
    for vid, value in balance.items():
        Volunteer.objects.filter(pk=vid).update(points_balance=value)
    assert all(
        v.points_balance == (v.s or 0)
        for v in Volunteer.objects.filter(pk__in=list(balance)).annotate(s=Sum("ledger__points"))
    )
    return entries, redemptions
