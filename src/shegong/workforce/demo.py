"""Demo data: the workforce of 黔西南州 (5223), on top of the demo network (network/demo.py).

Most stations have the full-time workers their county requires (兴义市 requires two, the others one), a few are
below it; some workers moved between stations or left, so the histories are real. The agencies the demo
stations name get a registry entry with a valid credit code, and the stations are linked to it. Every name,
ID number and phone is generated (ID numbers are valid in form only, with birth places in the prefecture),
marked as demo data, and the same on every run (seeded random). Everything goes through the services.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from shegong.lib.demo import made_up_id_number
from shegong.lib.scoping import code_prefix_q
from shegong.network import services as network_services
from shegong.network.models import BUILT_STATUSES, Facility, Kind
from shegong.regions.models import Region
from shegong.workforce import services, services_agencies, services_awards, services_training
from shegong.workforce.models import CertLevel, EmploymentType, Post, Worker
from shegong.workforce.selectors_awards import _due

PREFECTURE = "5223"
STRICT_COUNTY = "522301"  # 兴义市 requires two full-time workers per station
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦岑罗杨龙潘"
GIVEN = "芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅飞鹏宇婷雪琴燕亮"
MAJORS = ["社会工作", "社会学", "心理学", "行政管理", "护理", "汉语言文学", "学前教育", ""]


def _id_number(rng: random.Random, place: str, born: dt.date, female: bool) -> str:
    sequence = rng.randrange(0, 998, 2) + (0 if female else 1)
    return made_up_id_number(place, born, sequence)


def _credit_code(index: int) -> str:
    body = f"52{PREFECTURE}01MJ{index:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))


@transaction.atomic
def demo_workforce(seed: int = 5223) -> dict:
    if Worker.objects.filter(code_prefix_q("region_id", PREFECTURE)).exists():
        return {"workers": 0}
    rng = random.Random(seed)
    today = timezone.localdate()
    prefecture = Region.objects.get(code=PREFECTURE)
    counties = {r.code: r for r in Region.objects.filter(parent_id=PREFECTURE)}
    counties[PREFECTURE] = prefecture  # the city hub sits on the prefecture's own code
    facilities = list(
        Facility.objects.filter(code_prefix_q("region_id", PREFECTURE), status__in=BUILT_STATUSES)
        .exclude(kind=Kind.VILLAGE_ROOM)
        .select_related("region")
        .order_by("region_id", "kind", "name")
    )

    # Agencies: one per name the demo stations give, registered in the county of its first station.
    agencies = {}
    for facility in facilities:
        name = facility.agency_name
        if not name:
            continue
        if name not in agencies:
            index = len(agencies) + 1
            rating = rng.choice(["", "", "3A", "3A", "4A", "5A"])
            values = services_agencies.agency_parse(
                {
                    "name": name,
                    "credit_code": _credit_code(index),
                    "authority": f"{counties[facility.region_id[:6]].name}民政局",
                    "registered_on": _day(rng, dt.date(2015, 1, 1), dt.date(2022, 12, 31)),
                    "rating": rating,
                    "rating_year": rng.randint(2021, 2024) if rating else None,
                    "legal_representative": f"演示法人{index:02d}",
                    "contact_name": f"演示联系人{index:02d}",
                    "staff_count": rng.randint(8, 60),
                    "note": "演示数据",
                }
            )
            agencies[name] = services_agencies.agency_create(
                actor=None, region=counties[facility.region_id[:6]], values=values
            )
        network_services.facility_update(
            actor=None, facility=facility, agency_credit_code=agencies[name].credit_code
        )

    services.staffing_rule_set(
        actor=None, region=counties[STRICT_COUNTY], minimum=2, note="演示：兴义市要求每站至少两名专职社工"
    )

    # Workers: the required number at most stations; one in eight stations falls short.
    workers = []
    full_time_types = [EmploymentType.RESIDENT] * 4 + [
        EmploymentType.DISPATCHED,
        EmploymentType.AGENCY,
        EmploymentType.PUBLIC_WELFARE,
    ]
    for facility in facilities:
        required = 2 if facility.region_id.startswith(STRICT_COUNTY) else 1
        if facility.kind == Kind.CITY_HUB:
            required = 3
        short = rng.random() < 0.125
        full_time = max(required - rng.randint(1, required), 0) if short else required + (rng.random() < 0.3)
        part_time = rng.randint(0, 2)
        start = max(facility.built_on or dt.date(2022, 1, 1), dt.date(2020, 1, 1))
        for position in range(full_time + part_time):
            female = rng.random() < 0.68
            born = _day(rng, dt.date(1970, 1, 1), dt.date(2001, 12, 31))
            place = rng.choice(sorted(code for code in counties if len(code) == 6))
            agency = agencies.get(facility.agency_name)
            employment = rng.choice(full_time_types) if position < full_time else EmploymentType.COMMUNITY
            if agency and employment == EmploymentType.RESIDENT and rng.random() < 0.5:
                employment = EmploymentType.AGENCY
            # Stations keep recruiting: joining dates run from the station's building to last month.
            joined = _day(rng, start, today - dt.timedelta(days=30))
            values = services.worker_parse(
                {
                    "name": rng.choice(SURNAMES)
                    + rng.choice(GIVEN)
                    + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
                    "id_number": _id_number(rng, place, born, female),
                    "phone": f"139{rng.randint(0, 99999999):08d}",
                    "education": rng.choice(
                        ["college", "bachelor", "bachelor", "bachelor", "master", "senior"]
                    ),
                    "major": rng.choice(MAJORS),
                    "employment_type": employment,
                    "post": Post.HEAD if position == 0 and full_time else Post.SOCIAL_WORKER,
                    "joined_on": joined,
                    "note": "演示数据",
                }
            )
            worker = services.worker_create(
                actor=None,
                values=values,
                facility=facility,
                start_date=joined,
                agency=agency if employment == EmploymentType.AGENCY else None,
            )
            workers.append(worker)

    # Certificates: about half hold one, most of them the assistant level.
    for worker in workers:
        draw = rng.random()
        if draw < 0.30:
            levels = [CertLevel.ASSISTANT]
        elif draw < 0.45:
            levels = [CertLevel.ASSISTANT, CertLevel.INTERMEDIATE]
        elif draw < 0.47:
            levels = [CertLevel.ASSISTANT, CertLevel.INTERMEDIATE, CertLevel.SENIOR]
        else:
            levels = []
        year = rng.randint(max(2013, worker.joined_on.year - 5), today.year) - 1
        for level in levels:
            year = min(year + rng.randint(1, 3), today.year)
            services.certificate_save(
                actor=None, worker=worker, level=level, year=year, number=f"DEMO{worker.pk:05d}{level}"
            )
        services.education_hours_set(
            actor=None, worker=worker, year=today.year - 1, hours=rng.choice([24, 36, 48, 72])
        )

    # History: some workers moved to a station in the same county, a few left; staffing stays as drawn
    # by moving part-time workers only.
    by_county: dict[str, list[Facility]] = {}
    for facility in facilities:
        by_county.setdefault(facility.region_id[:6], []).append(facility)
    moved = left = 0
    for worker in workers:
        if worker.employment_type != EmploymentType.COMMUNITY:
            continue
        draw = rng.random()
        current = worker.assignments.get()
        if draw < 0.25:
            choices = [f for f in by_county[worker.region_id[:6]] if f.pk != current.facility_id]
            if choices:
                day = _day(rng, current.start_date + dt.timedelta(days=30), today)
                services.worker_move(
                    actor=None, worker=worker, facility=rng.choice(choices), start_date=day, note="演示：调岗"
                )
                moved += 1
        elif draw < 0.35:
            services.worker_leave(
                actor=None,
                worker=worker,
                left_on=_day(rng, current.start_date + dt.timedelta(days=30), today),
            )
            left += 1

    # Training, awards and allowances, experts and targets.
    kinds = ["pre_service", "rotation", "exam_prep", "practice", "supervision"]
    active = [w for w in workers if w.status == "active"]
    for index in range(14):
        region = counties[PREFECTURE if index % 3 == 0 else rng.choice(sorted(by_county))]
        session = services_training.training_create(
            actor=None,
            region=region,
            title=f"（演示）{region.name}社会工作{['岗前', '轮训', '考前', '实训', '督导'][index % 5]}培训第{index + 1}期",
            kind=kinds[index % 5],
            organiser=f"{region.name}民政局",
            held_on=_day(rng, today - dt.timedelta(days=600), today - dt.timedelta(days=1)),
            hours=Decimal(rng.choice([4, 8, 16, 24])),
            online=rng.random() < 0.3,
            outsiders=rng.randint(0, 40),
            note="演示数据",
        )
        pool = [w for w in active if w.region_id.startswith(region.code)]
        for worker in rng.sample(pool, min(len(pool), rng.randint(8, 30))):
            services_training.attendance_add(actor=None, session=session, worker=worker)

    one_time = [
        services_awards.award_rule_create(
            actor=None,
            region=prefecture,
            name=name,
            kind="one_time",
            level=level,
            amount=Decimal(amount),
            valid_from=dt.date(2021, 1, 1),
            note="演示：参照红河州做法",
        )
        for name, level, amount in (
            ("取得社会工作师证书一次性奖励", CertLevel.INTERMEDIATE, 2000),
            ("取得助理社会工作师证书一次性奖励", CertLevel.ASSISTANT, 1000),
        )
    ]
    services_awards.award_rule_create(
        actor=None,
        region=prefecture,
        name="社会工作师岗位津贴",
        kind="monthly",
        level=CertLevel.INTERMEDIATE,
        amount=Decimal(300),
        valid_from=dt.date(2023, 1, 1),
        note="演示数据",
    )
    paid = 0
    for rule in one_time:
        due = list(_due(rule, Worker.objects.all(), ""))
        for worker in due[: len(due) * 2 // 3]:
            services_awards.payment_record(
                actor=None,
                rule=rule,
                worker=worker,
                paid_on=today - dt.timedelta(days=60),
                reference=f"演示-{worker.pk}",
            )
            paid += 1

    for index, (name, kind, specialities) in enumerate(
        [
            ("（演示）贵州民族大学 王老师", "expert", "儿童,困境儿童保护"),
            ("（演示）黔西南民族职业技术学院 李老师", "expert", "老年,社区照顾"),
            ("（演示）兴义市社工协会 陈督导", "supervisor", "个案督导,危机干预"),
            ("（演示）州精神卫生中心 杨医生", "expert", "心理疏导,精神康复"),
            ("（演示）兴仁市社工总站 周督导", "supervisor", "小组工作,社区发展"),
            ("（演示）州律师协会 刘律师", "expert", "权益维护,法律援助"),
        ]
    ):
        services_agencies.expert_save(
            actor=None,
            region=prefecture,
            values={
                "name": name,
                "kind": kind,
                "specialities": specialities,
                "organisation": name.split(" ")[0][4:],
                "joined_on": dt.date(2023, 3, 1) + dt.timedelta(days=index * 20),
            },
        )

    for indicator, value in (("talents", 600), ("certified", 300), ("agencies", 20), ("full_time", 260)):
        services.talent_target_create(
            actor=None,
            region=prefecture,
            indicator=indicator,
            value=value,
            deadline=dt.date(2027, 12, 31),
            note="演示目标",
        )
    return {
        "workers": len(workers),
        "agencies": len(agencies),
        "moved": moved,
        "left": left,
        "paid": paid,
        "stations": len(facilities),
    }
