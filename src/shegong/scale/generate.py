"""A synthetic, plausible dataset on the real divisions of one province (issue 6).

Densities are per township with a station, taken from the issue's province figures (云南省: 1,461 townships,
~15,000 village rooms, ~85,000 workers, 2,000,000 people served, 20,000,000 service records over three
years), so every scale has the same shape and only the number of townships changes:

* township   — one township (tests);
* county     — one county of the province (SQLite in well under a minute);
* prefecture — one prefecture;
* province   — the whole province.

Rows are built as tuples county by county and written through :mod:`shegong.scale.writer` (COPY on
PostgreSQL, batched inserts on SQLite), so memory is bounded by the write buffer, not by the dataset.
ID numbers and phones are encrypted one by one with the real key (Fernet does ~150,000 a second here, so
2,000,000 people cost ~15 s of encryption: no ciphertext is shared between rows), and their lookup hash and
last four digits are those of the clear value. The clear values are deterministic for a seed and an anchor
date; the ciphertexts are not (Fernet uses a random IV), which is what the real application writes too.
"""

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.casework import rollups
from shegong.casework.models import Case, ServiceItem, ServiceRecord, Stage
from shegong.clients.models import Category, Person, RiskLevel, Visit
from shegong.clients.services import name_pinyin
from shegong.lib.demo import unused_id_number
from shegong.lib.pii import encrypt, lookup_hash
from shegong.network.models import Facility, Kind, StatusChange
from shegong.regions.models import Level, Region
from shegong.regions.services import regions_load
from shegong.scale.writer import Sink, Table, reset_sequences
from shegong.workforce.models import Assignment, Certificate, Worker

SCALES = ("township", "county", "prefecture", "province")

# Per township with a station (issue 6's province figures ÷ 1,461 townships).
PEOPLE_PER_TOWNSHIP = 1370
WORKERS_PER_TOWNSHIP = 58
RECORDS_PER_PERSON = 10  # over three years
CASE_SHARE = 0.05
STATION_SHARE = 0.95  # townships with a station
ROOM_SHARE = 0.95  # villages with a room, in townships with a station

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "秀英桂兰玉凤建华明国强志永福德胜春梅金花小红光荣家晓燕文海丽娟正世杰天佑子涵梓萱浩然宇轩思源欣怡"
PROBLEMS = [
    "独居高龄，照料不足",
    "家庭关系紧张",
    "留守儿童学业困难",
    "失能老人照护压力大",
    "低保家庭就业困难",
]
FINDINGS = ["身体状况稳定", "家中卫生较差，已协助整理", "情绪低落，进行了疏导", "反映药费负担重", ""]


@dataclass
class Plan:
    province: str
    scale: str
    seed: int
    root: str  # the division the dataset covers
    today: dt.date
    counts: dict = field(default_factory=lambda: defaultdict(int))


def pick_root(province: str, scale: str, region: str | None) -> str:
    """The division a scale covers: given, or the first county/prefecture/township of the province whose
    size is typical (a county with at least 8 townships; the prefecture with the provincial capital)."""
    if region:
        return region
    if scale == "province":
        return province
    if scale == "prefecture":
        return (
            Region.objects.filter(level=Level.PREFECTURE, code__startswith=province).order_by("code")[0].code
        )
    counties = Region.objects.filter(level=Level.COUNTY, code__startswith=province).order_by("code")
    for county in counties:
        townships = Region.objects.filter(parent_id=county.code).order_by("code")
        if townships.count() >= 8:
            return county.code if scale == "county" else townships[0].code
    raise ValueError(f"province {province} has no county with 8 townships")


class Ids:
    def __init__(self, tables):
        self.next = {t.name: t.next_id() for t in tables}

    def take(self, table) -> int:
        value = self.next[table.name]
        self.next[table.name] = value + 1
        return value


class Crypto:
    """Encrypts clear values and keeps the seconds spent, so the report can show them."""

    def __init__(self):
        self.seconds = 0.0
        self.count = 0

    def protect(self, value: str) -> tuple[str, str, str]:
        if not value:
            return "", "", ""
        start = time.perf_counter()
        token = encrypt(value)
        digest = lookup_hash(value)
        self.seconds += time.perf_counter() - start
        self.count += 1
        return token, digest, value[-4:]


_PINYIN: dict[str, tuple[str, str]] = {}


def _pinyin(name: str) -> tuple[str, str]:
    found = _PINYIN.get(name)
    if found is None:
        if len(_PINYIN) > 500_000:
            _PINYIN.clear()
        found = _PINYIN[name] = name_pinyin(name)
    return found


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def generate(
    *,
    province: str,
    scale: str,
    seed: int = 1,
    region: str | None = None,
    today: dt.date | None = None,
    out=print,
) -> Plan:
    started = time.perf_counter()
    if not Region.objects.filter(code__startswith=province, level=Level.VILLAGE).exists():
        t = time.perf_counter()
        result = regions_load(provinces=[province])
        out(f"regions: loaded {result.created} divisions in {time.perf_counter() - t:.1f} s")
    root = pick_root(province, scale, region)
    plan = Plan(province=province, scale=scale, seed=seed, root=root, today=today or timezone.localdate())

    t = {
        "user": Table(
            User, ["id", "username", "password", "role", "jurisdiction_id", "full_name", "is_active"]
        ),
        "facility": Table(
            Facility,
            [
                "id",
                "kind",
                "region_id",
                "name",
                "status",
                "status_since",
                "built_on",
                "operating_mode",
                "note",
            ],
        ),
        "status": Table(StatusChange, ["id", "facility_id", "to_status", "changed_on"]),
        "worker": Table(
            Worker,
            [
                "id",
                "region_id",
                "name",
                "sex",
                "birth_date",
                "id_number",
                "id_number_hash",
                "id_number_last4",
                "education",
                "employment_type",
                "post",
                "joined_on",
            ],
        ),  # fmt: skip
        "assignment": Table(Assignment, ["id", "worker_id", "facility_id", "start_date"]),
        "certificate": Table(Certificate, ["id", "worker_id", "level", "year", "number"]),
        "person": Table(
            Person,
            [
                "id",
                "name",
                "pinyin",
                "initials",
                "sex",
                "birth_date",
                "id_number",
                "id_number_hash",
                "id_number_last4",
                "phone",
                "phone_hash",
                "phone_last4",
                "region_id",
                "risk_level",
                "registered_on",
            ],
        ),  # fmt: skip
        "category": Table(Person.categories.through, ["id", "person_id", "category_id"]),
        "visit": Table(
            Visit,
            ["id", "person_id", "region_id", "visited_on", "mode", "visitor_id", "findings", "next_due"],
        ),
        "case": Table(
            Case,
            [
                "id",
                "person_id",
                "station_id",
                "worker_id",
                "stage",
                "stage_since",
                "source",
                "opened_on",
                "presenting_problem",
                "closed_on",
                "closure_reason",
            ],
        ),  # fmt: skip
        "record": Table(
            ServiceRecord,
            [
                "id",
                "station_id",
                "served_on",
                "person_id",
                "group_name",
                "participants",
                "item_id",
                "worker_id",
                "duration_minutes",
                "mode",
                "case_id",
            ],
        ),  # fmt: skip
    }
    tables = list(t.values())
    ids = Ids(tables)
    sink = Sink(tables)
    crypto = Crypto()
    items: dict[str, list[int]] = defaultdict(list)
    for pk, group in ServiceItem.objects.filter(region__isnull=True, active=True).values_list("id", "group"):
        items[group].append(pk)
    categories = list(Category.objects.filter(region__isnull=True).values_list("id", flat=True))
    root_rng = random.Random(f"{seed}:{root}")
    three_years = 3 * 365

    def facility(kind, code, name, rng, operating=0.85):
        fid = ids.take(t["facility"])
        roll = rng.random()
        status = (
            "operating" if roll < operating else "built" if roll < operating + 0.08 else
            "suspended" if roll < operating + 0.10 else "building"
        )  # fmt: skip
        built_on = plan.today - dt.timedelta(days=rng.randint(60, 2000)) if status != "building" else None
        since = built_on or plan.today - dt.timedelta(days=rng.randint(10, 300))
        sink.add(t["facility"], (fid, kind, code, name, status, since, built_on, "commissioned", "synthetic"))
        sink.add(t["status"], (ids.take(t["status"]), fid, status, since))
        plan.counts[kind] += 1
        return fid

    # Hubs and centres above the root (a county's centre, the prefectures' hubs inside the root).
    uppers = Region.objects.filter(code__startswith=root, level__in=[Level.PREFECTURE, Level.COUNTY])
    if len(root) >= 6:
        uppers = Region.objects.filter(code=root[:6])
    for code, name, level in uppers.order_by("code").values_list("code", "name", "level"):
        kind = Kind.CITY_HUB if level == Level.PREFECTURE else Kind.COUNTY_CENTRE
        facility(kind, code, f"{name}社会工作指导中心", root_rng, operating=0.95)

    townships = list(
        Region.objects.filter(code__startswith=root, level=Level.TOWNSHIP)
        .order_by("code")
        .values_list("code", "name")
    )
    villages_of: dict[str, list[str]] = defaultdict(list)
    county = None
    used: set[str] = set()
    for code, name in townships:
        if code[:6] != county:
            county = code[:6]
            used = set()  # ID numbers carry the county code: uniqueness is per county
            villages_of.clear()
            villages = Region.objects.filter(code__startswith=county, level=Level.VILLAGE).values_list(
                "code", flat=True
            )
            for village in villages.order_by("code"):
                villages_of[village[:9]].append(village)
        rng = random.Random(f"{seed}:{code}")
        villages = villages_of.get(code) or []
        if not villages or (len(townships) > 1 and rng.random() > STATION_SHARE):
            continue
        plan.counts["townships"] += 1
        station = facility(Kind.TOWNSHIP_STATION, code, f"{name}社会工作服务站", rng)
        user_id = ids.take(t["user"])
        sink.add(
            t["user"], (user_id, f"scale-{seed}-{code}", "!", Role.WORKER, code, f"{name}驻站社工", True)
        )
        rooms = []
        for village in villages:
            if rng.random() < ROOM_SHARE:
                rooms.append(facility(Kind.VILLAGE_ROOM, village, f"{village}社会工作室", rng, operating=0.8))

        for _ in range(WORKERS_PER_TOWNSHIP):
            wid = ids.take(t["worker"])
            female = rng.random() < 0.7
            born = plan.today - dt.timedelta(days=rng.randint(22 * 365, 58 * 365))
            number = unused_id_number(rng, county, born, female, used)
            token, digest, last4 = crypto.protect(number)
            sink.add(
                t["worker"],
                (
                    wid, code, _name(rng), "female" if female else "male", born, token, digest, last4,
                    rng.choice(("senior", "college", "bachelor", "bachelor", "master")),
                    rng.choice(("resident", "resident", "dispatched", "agency", "public_welfare", "community")),
                    "social_worker", plan.today - dt.timedelta(days=rng.randint(30, 3000)),
                ),
            )  # fmt: skip
            where = rng.choice(rooms) if rooms and rng.random() < 0.6 else station
            start = plan.today - dt.timedelta(days=rng.randint(30, 1500))
            sink.add(t["assignment"], (ids.take(t["assignment"]), wid, where, start))
            if rng.random() < 0.3:
                level = rng.choice((1, 1, 1, 2, 2, 3))
                sink.add(
                    t["certificate"],
                    (
                        ids.take(t["certificate"]),
                        wid,
                        level,
                        rng.randint(2010, plan.today.year),
                        f"S{seed}-{wid}-{level}",
                    ),
                )
            plan.counts["workers"] += 1

        for _ in range(PEOPLE_PER_TOWNSHIP):
            pid = ids.take(t["person"])
            village = rng.choice(villages)
            age = rng.choice(
                (rng.randint(3, 17), rng.randint(18, 59), rng.randint(60, 95), rng.randint(60, 95))
            )
            born = plan.today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
            female = rng.random() < 0.55
            person_name = _name(rng)
            pinyin, initials = _pinyin(person_name)
            number = unused_id_number(rng, county, born, female, used)
            id_token, id_hash, id_last4 = crypto.protect(number)
            phone = (
                f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}"
                if age >= 16 and rng.random() < 0.7
                else ""
            )
            ph_token, ph_hash, ph_last4 = crypto.protect(phone)
            risk = rng.choices((RiskLevel.KEY, RiskLevel.WATCH, RiskLevel.GENERAL), (0.12, 0.28, 0.60))[0]
            sink.add(
                t["person"],
                (
                    pid, person_name, pinyin, initials, "female" if female else "male", born, id_token, id_hash,
                    id_last4, ph_token, ph_hash, ph_last4, village, risk,
                    plan.today - dt.timedelta(days=rng.randint(30, three_years)),
                ),
            )  # fmt: skip
            for category in rng.sample(categories, rng.choice((1, 1, 2))) if categories else ():
                sink.add(t["category"], (ids.take(t["category"]), pid, category))
            interval = {RiskLevel.KEY: 30, RiskLevel.WATCH: 90}.get(risk, 365)
            day = plan.today - dt.timedelta(days=rng.randint(0, interval + interval // 5))
            while day > plan.today - dt.timedelta(days=365):
                sink.add(
                    t["visit"],
                    (
                        ids.take(t["visit"]), pid, village, day, rng.choice(("home", "home", "phone", "station")),
                        user_id,
                        rng.choice(FINDINGS), day + dt.timedelta(days=interval),
                    ),
                )  # fmt: skip
                plan.counts["visits"] += 1
                day -= dt.timedelta(days=rng.randint(int(interval * 0.7), interval))
            case_id = None
            if rng.random() < CASE_SHARE:
                case_id = ids.take(t["case"])
                opened = plan.today - dt.timedelta(days=rng.randint(10, three_years))
                stage = rng.choice(list(Stage.values))
                closed = stage in (Stage.CLOSURE, Stage.FOLLOW_UP)
                closed_on = (
                    min(opened + dt.timedelta(days=rng.randint(30, 300)), plan.today) if closed else None
                )
                sink.add(
                    t["case"],
                    (
                        case_id, pid, station, user_id, stage, closed_on or opened, rng.choice(("self", "referral", "outreach")),
                        opened, rng.choice(PROBLEMS), closed_on, "goals_met" if closed else "",
                    ),
                )  # fmt: skip
                plan.counts["cases"] += 1
            group = "children" if age < 18 else "elderly" if age >= 60 else "hardship"
            group_items = items.get(group) or [pk for pks in items.values() for pk in pks]
            for n in range(rng.randint(RECORDS_PER_PERSON // 2, RECORDS_PER_PERSON * 3 // 2)):
                sink.add(
                    t["record"],
                    (
                        ids.take(t["record"]), station, plan.today - dt.timedelta(days=rng.randrange(three_years)),
                        pid, "", 1, rng.choice(group_items), user_id, rng.choice((30, 45, 60, 90)),
                        "station" if n % 3 else "home", case_id if n < 2 else None,
                    ),
                )  # fmt: skip
            plan.counts["people"] += 1
        # Group activities: a few dozen per township, several participants each, no single person.
        all_items = [pk for pks in items.values() for pk in pks]
        for _ in range(40):
            sink.add(
                t["record"],
                (
                    ids.take(t["record"]), station, plan.today - dt.timedelta(days=rng.randrange(three_years)),
                    None, "小组活动", rng.randint(5, 30), rng.choice(all_items), user_id, 90, "station", None,
                ),
            )  # fmt: skip
    sink.flush()
    reset_sequences([tbl.model for tbl in tables])
    # The rows went past the services that keep the rollups current: compute them once, from the records.
    rolled = time.perf_counter()
    # Planner statistics first: the rebuild's statements look up each person's visits, and a table never
    # analysed is planned as empty (a province's visit-status rebuild walked the whole visit table per file and
    # had not finished one batch of 20,000 people in 16 minutes). Again after, for what the rebuild wrote.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rollups.rebuild_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rollup_seconds = time.perf_counter() - rolled

    total = time.perf_counter() - started
    write_total = sum(sink.seconds.values())
    out(f"generate {scale} of {province} (root {root}, seed {seed}, anchor {plan.today}):")
    out(f"{'table':32} {'rows':>12} {'write s':>9} {'rows/s':>10}")
    for table in tables:
        rows, secs = sink.rows[table.name], sink.seconds[table.name]
        rate = f"{rows / secs:,.0f}" if secs else "-"
        out(f"{table.name:32} {rows:>12,} {secs:>9.1f} {rate:>10}")
    out(f"{'encryption (Fernet + HMAC)':32} {crypto.count:>12,} {crypto.seconds:>9.1f}")
    out(f"{'rollups rebuild + ANALYZE':32} {'':>12} {rollup_seconds:>9.1f}")
    building = total - write_total - crypto.seconds - rollup_seconds
    out(f"{'building rows (Python)':32} {'':>12} {building:>9.1f}")
    out(f"{'total':32} {sum(sink.rows.values()):>12,} {total:>9.1f}")
    plan.counts["seconds"] = round(total, 1)
    return plan
