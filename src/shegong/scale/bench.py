"""The benchmark of issue 6: pages through the full Django stack, the raw-SQL floor beside each aggregate,
an import through the real job handler against a bare bulk insert, and a streamed export.

Import and export run in a child process (``shegong bench --child import|export``) so that their peak
memory (ru_maxrss) is theirs alone; they write inside a transaction that is rolled back, so the benchmark
leaves the database as it found it (apart from the administrator accounts it logs in with).
"""

# imports inside functions: each measured part runs in a child process of its own (shegong bench --child), whose
# peak memory (ru_maxrss) is reported as the part's: a child imports only the domains its part uses.

import datetime as dt
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.lib.demo import made_up_id_number
from shegong.lib.scoping import next_code
from shegong.network.models import Facility, Kind
from shegong.regions.models import Level, Region
from shegong.testing import verified_login

Row = tuple[str, str, str, float | None, float | None, float | None, str]


def default_regions() -> list[str]:
    """Province, prefecture and county of the first synthetic township station."""
    station = (
        Facility.objects.filter(kind=Kind.TOWNSHIP_STATION, note="synthetic").order_by("region_id").first()
    )
    if station is None:
        raise SystemExit("no synthetic data: run `shegong generate` first")
    code = station.region_id
    return [code[:2], code[:4], code[:6]]


def admin_for(code: str) -> User:
    user = User.objects.filter(username=f"bench-admin-{code}").first()
    if user is None:
        user = User(
            username=f"bench-admin-{code}",
            role=Role.ADMIN,
            jurisdiction=Region.objects.get(code=code),
            full_name=f"bench {code}",
        )
        user.set_unusable_password()
        user.save()
    return user


def _time(fn, repeat: int, slow_repeat: int | None = None) -> tuple[float, float]:
    """Median and p95 in ms over ``repeat`` calls after a warm-up; ``slow_repeat`` calls instead when the
    warm-up took over a second (the raw floors of a province take ~10 s each)."""
    start = time.perf_counter()
    fn()  # warm-up (template and query caches), not counted
    if slow_repeat and time.perf_counter() - start > 1.0:
        repeat = min(repeat, slow_repeat)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, max(0, int(round(0.95 * len(samples))) - 1))]
    return statistics.median(samples), p95


def _raw(sql: str, params: list):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def _bounds(code: str) -> list[str]:
    return [code, next_code(code)]


def figures_sql(code: str, since: dt.date, until: dt.date, today: dt.date) -> tuple[str, list]:
    """One statement for the numbers of the figures page, straight from the records as a DBA would count them
    without our rollups: services by month and by item in the period; people by risk level and by
    category; people overdue and key people visited in time (last visit per person by GROUP BY, national
    risk-level intervals only — a lower bound of the real rule set); open cases by stage, cases closed in
    the period."""
    lo, hi = _bounds(code)
    pg = connection.vendor == "postgresql"
    month = "TO_CHAR(s.served_on, 'YYYY-MM')" if pg else "STRFTIME('%%Y-%%m', s.served_on)"
    text = "CAST({} AS TEXT)"
    cut = {n: today - dt.timedelta(days=n) for n in (30, 90, 365)}
    sql = f"""
        SELECT 'month', {month}, COUNT(*), SUM(s.participants)
        FROM casework_servicerecord s JOIN network_facility f ON f.id = s.station_id
        WHERE f.region_id >= %s AND f.region_id < %s AND s.served_on >= %s AND s.served_on <= %s
        GROUP BY 2
        UNION ALL
        SELECT 'item', {text.format("s.item_id")}, COUNT(*), SUM(s.participants)
        FROM casework_servicerecord s JOIN network_facility f ON f.id = s.station_id
        WHERE f.region_id >= %s AND f.region_id < %s AND s.served_on >= %s AND s.served_on <= %s
        GROUP BY 2
        UNION ALL
        SELECT 'risk', p.risk_level, COUNT(*), 0 FROM clients_person p
        WHERE p.region_id >= %s AND p.region_id < %s AND p.active GROUP BY 2
        UNION ALL
        SELECT 'category', {text.format("pc.category_id")}, COUNT(*), 0
        FROM clients_person p JOIN clients_person_categories pc ON pc.person_id = p.id
        WHERE p.region_id >= %s AND p.region_id < %s AND p.active GROUP BY 2
        UNION ALL
        SELECT 'visits', '', SUM(CASE WHEN base < CASE risk_level WHEN 'key' THEN %s WHEN 'watch' THEN %s
                                                       ELSE %s END THEN 1 ELSE 0 END),
               SUM(CASE WHEN risk_level = 'key' AND last >= %s THEN 1 ELSE 0 END)
        FROM (SELECT p.id, p.risk_level, MAX(v.visited_on) AS last,
                     COALESCE(MAX(v.visited_on), p.registered_on) AS base
              FROM clients_person p LEFT JOIN clients_visit v ON v.person_id = p.id
              WHERE p.region_id >= %s AND p.region_id < %s AND p.active
              GROUP BY p.id, p.risk_level, p.registered_on) AS last_visits
        UNION ALL
        SELECT 'stage', c.stage, COUNT(*), SUM(CASE WHEN c.closed_on >= %s AND c.closed_on <= %s
                                                   THEN 1 ELSE 0 END)
        FROM casework_case c JOIN network_facility f ON f.id = c.station_id
        WHERE f.region_id >= %s AND f.region_id < %s GROUP BY 2"""
    params = [lo, hi, since, until, lo, hi, since, until, lo, hi, lo, hi]
    params += [cut[30], cut[90], cut[365], cut[30], lo, hi, since, until, lo, hi]
    return sql, params


def people_sql(code: str) -> tuple[str, list]:
    """The people list's floor: its count and its first page in one statement."""
    lo, hi = _bounds(code)
    sql = """
        SELECT p.id, p.name, p.region_id, (SELECT COUNT(*) FROM clients_person c
                                           WHERE c.region_id >= %s AND c.region_id < %s AND c.active)
        FROM clients_person p WHERE p.region_id >= %s AND p.region_id < %s AND p.active
        ORDER BY p.region_id, p.pinyin, p.id LIMIT 50"""
    return sql, [lo, hi, lo, hi]


def _row(label, name, median, p95, raw_ms, out, unit="") -> Row:
    ratio = f"{median / raw_ms:.1f}x" if raw_ms else ""
    out(f"  {label:18} {name:30} {median:9.1f} {p95:9.1f} {raw_ms or 0:9.1f} {ratio}")
    return (label, name, unit, median, p95, raw_ms, ratio)


def page_rows(codes: list[str], repeat: int, out) -> list[Row]:  # noqa: C901
    """For each region: the network dashboard and the figures page through the full Django stack and their
    aggregates alone (the functions the views call, in-process), each beside its raw-SQL floor; the people
    list (page 1, filtered, searched) beside its floor."""
    from shegong.casework import figures
    from shegong.lib.asof import year_before
    from shegong.network.coverage import network_figures
    from shegong.network.floor import dashboard_sql

    if "localhost" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    today = timezone.localdate()
    since = today.replace(month=1, day=1)
    rows: list[Row] = []
    for code in codes:
        region = Region.objects.get(code=code)
        label = f"{Level(region.level).name.lower()} {code}"
        user = admin_for(code)
        client = Client(SERVER_NAME="localhost")
        verified_login(client, user)

        def get(url, client=client):
            def run():
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {response.status_code}")

            return run

        def network_aggregate(user=user, region=region):
            network_figures(user=user, region=region)

        a_year_ago = year_before(today)

        def network_as_of(user=user, region=region, day=a_year_ago):
            network_figures(user=user, region=region, as_of=day)

        def figures_aggregate(user=user, code=code):
            period = figures.Period(since, today)
            figures.people_figures(user=user, region=code)
            figures.case_figures(user=user, region=code, period=period)
            figures.service_figures(user=user, region=code, period=period)

        dashboard_floor = _time(_raw(*dashboard_sql(code, today)), repeat, slow_repeat=5)[0]
        figures_floor = _time(_raw(*figures_sql(code, since, today, today)), repeat, slow_repeat=5)[0]
        people_floor = _time(_raw(*people_sql(code)), repeat, slow_repeat=5)[0]
        people = reverse("clients:person_list")
        measures = [
            (
                "network dashboard page",
                get(reverse("network:dashboard", kwargs={"code": code})),
                dashboard_floor,
            ),
            ("network figures (aggregate)", network_aggregate, dashboard_floor),
            ("network figures a year ago", network_as_of, dashboard_floor),
            ("casework figures page", get(reverse("casework:figures") + f"?region={code}"), figures_floor),
            ("casework figures (aggregate)", figures_aggregate, figures_floor),
            ("people list, page 1", get(people + f"?region={code}"), people_floor),
            ("people list, filtered", get(people + f"?region={code}&risk=key"), None),
            ("people list, searched", get(people + f"?region={code}&q=王"), None),
        ]
        # Every statistics endpoint and the visit ledger, today and as of a year ago (issue 17): the as-of answer
        # counts from the dated histories where today's reads the stored statuses and rollups.
        token = _token(user)
        ledger = reverse("clients:visit_ledger") + f"?region={code}&status=all"
        for stat in STATS_ENDPOINTS:
            url = f"/api/v1/stats/{stat}/?region={code}"
            measures.append((f"stats/{stat} today", _api_get(client, url, token), None))
            measures.append(
                (f"stats/{stat} as of a year ago", _api_get(client, f"{url}&as_of={a_year_ago}", token), None)
            )
        measures.append(("visit ledger today", get(ledger), None))
        measures.append(("visit ledger as of a year ago", get(f"{ledger}&as_of={a_year_ago}"), None))
        for name, measured, floor in measures:
            median, p95 = _time(measured, repeat)
            rows.append(_row(label, name, median, p95, floor, out))
        now = network_figures(user=user, region=region).total
        then = network_figures(user=user, region=region, as_of=a_year_ago).total
        out(
            f"  {label:18} as of {a_year_ago}: {then.covered}/{then.townships} townships covered, "
            f"{then.stations_operating} operating; today: {now.covered}/{now.townships}, {now.stations_operating}"
        )
        for line in as_of_lines(client, token, code, a_year_ago):
            out(f"  {label:18} {line}")
    return rows


STATS_ENDPOINTS = ("coverage", "workforce", "services", "community")
# Parts of an answer that are comparisons or breakdowns, not the figures themselves.
_NOT_FIGURES = {"children", "year_before", "year_before_figures", "base", "growth", "by_month", "by_kind"}


def _token(user) -> str:
    from knox.models import AuthToken

    return AuthToken.objects.create(user)[1]


def _api_get(client, url: str, token: str):
    def run():
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return response.json()

    return run


def figure_leaves(body, path: str = "") -> dict[str, float]:
    """The numbers of a statistics answer by their dotted path (comparisons and breakdowns left out)."""
    found: dict[str, float] = {}
    if isinstance(body, dict):
        for key, value in body.items():
            if key not in _NOT_FIGURES:
                found.update(figure_leaves(value, f"{path}.{key}" if path else str(key)))
    elif isinstance(body, (int, float)) and not isinstance(body, bool):
        found[path] = body
    return found


def as_of_lines(client, token: str, code: str, day: dt.date, per_endpoint: int = 8) -> list[str]:
    """For each statistics endpoint: its figures as of ``day`` beside today's (the first ``per_endpoint``
    numbers of the answer), each answer naming the day it is as of."""
    lines = []
    for stat in STATS_ENDPOINTS:
        url = f"/api/v1/stats/{stat}/?region={code}"
        now = _api_get(client, url, token)()
        then = _api_get(client, f"{url}&as_of={day}", token)()
        now_leaves, then_leaves = figure_leaves(now), figure_leaves(then)
        shown = [key for key in now_leaves if key in then_leaves][:per_endpoint]
        pairs = ", ".join(f"{key} {then_leaves[key]:g}→{now_leaves[key]:g}" for key in shown)
        lines.append(f"stats/{stat} as of {then.get('as_of')} → {now.get('as_of')}: {pairs}")
    return lines


# --- import and export, in a child process ----------------------------------------------------------


def _ledger(code: str, rows: int, seed: int = 7) -> tuple[bytes, list[tuple]]:
    """A people ledger of ``rows`` valid rows in the villages of ``code`` (ID numbers with a birthplace
    outside the province, so none is on file yet), under the headers of the engine's template."""
    import random

    from django.utils.translation import override
    from openpyxl import Workbook

    from shegong.lib.importer.ledger import ledger_get

    rng = random.Random(seed)
    villages = list(
        Region.objects.filter(code__startswith=code, level=Level.VILLAGE).values_list("code", flat=True)
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    fields = ledger_get("clients.people").fields
    with override("zh-hans"):
        sheet.append([str(f.label) for f in fields])
    clear = []
    for n in range(rows):
        born = dt.date(1940, 1, 1) + dt.timedelta(days=n % 25000)
        number = made_up_id_number("110101", born, (n // 25000) % 1000)
        village = rng.choice(villages)
        name = "测试" + "秀英桂兰玉凤建华明国"[n % 10]
        values = {"name": name, "id_number": number, "region": village, "address": f"{n % 80 + 1}号"}
        sheet.append([values.get(f.key, "") for f in fields])
        clear.append((name, number, village))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue(), clear


def child_import(code: str, rows: int) -> dict:
    """The people ledger through the import engine's job handler, as a confirmed import runs it (read, check,
    write: services.people_import_many), rolled back; beside it, a bare COPY of the same rows."""
    from shegong.clients.models import Person
    from shegong.jobs.models import Job
    from shegong.lib.importer.engine import IMPORT_KIND, run_import
    from shegong.lib.pii import encrypt, lookup_hash
    from shegong.scale.writer import Sink, Table

    data, clear = _ledger(code, rows)
    user = admin_for(code)
    result = {}
    with transaction.atomic():
        job = Job.objects.create(
            kind=IMPORT_KIND,
            title="bench",
            created_by=user,
            params={"ledger": "clients.people", "commit": True},
            input_name="bench.xlsx",
            input_file=ContentFile(data, "bench.xlsx"),
        )
        start, cpu = time.perf_counter(), time.process_time()
        outcome = run_import(job, lambda done, total: None)
        result["import_s"] = time.perf_counter() - start
        result["import_cpu_s"] = time.process_time() - cpu
        result["import_ok"] = bool(outcome.get("ok")) and outcome.get("created") == rows
        result["import_message"] = (str(outcome.get("message", "")) + str(outcome.get("errors", [])[:3]))[
            :300
        ]
        transaction.set_rollback(True)
    result["import_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with transaction.atomic():
        table = Table(Person, ["name", "id_number", "id_number_hash", "id_number_last4", "region_id"])
        sink = Sink([table], limit=10_000)
        start = time.perf_counter()
        for name, number, village in clear:
            sink.add(table, (name, encrypt(number), lookup_hash(number), number[-4:], village))
        sink.flush()
        result["bulk_s"] = time.perf_counter() - start
        transaction.set_rollback(True)
    result["rows"] = rows
    return result


def child_export(code: str, rows: int) -> dict:
    """``rows`` service records of the region through the one export path of lists (lib/lists.py: the service
    list's columns, masked, streamed into an .xlsx), timed with its traced peak."""
    import io
    import tracemalloc

    from shegong.lib.excel import write_workbook
    from shegong.lib.lists import definition_get

    definition = definition_get("casework.services")
    user = admin_for(code)
    filters = definition.filter({"region": code}, user)
    assert filters.is_valid(), filters.errors
    tracemalloc.start()
    start = time.perf_counter()
    columns, data = definition.export_rows(filters.qs[:rows], clear=False)
    counted = []

    def counting():
        for row in data:
            counted.append(1)
            yield row

    handle = io.BytesIO()
    write_workbook(handle, str(definition.title), columns, counting())
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "export_s": seconds,
        "export_rows": len(counted),
        "export_mb": handle.tell() / 2**20,
        "export_peak_mb": peak / 2**20,
        "export_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_people_export(code: str, rows: int) -> dict:
    """The people export job (an .xlsx of every open file of the region: the people list's export, run as the
    job the one export path starts for a large list) through its real handler; ``rows`` is not used: the region
    decides. Timed without tracemalloc, which slows this allocation-heavy job five-fold: its memory is the
    process's peak (maxrss), the finished file included."""
    from shegong.jobs.models import Job
    from shegong.jobs.registry import HANDLERS
    from shegong.jobs.selectors import job_output_pieces

    user = admin_for(code)
    params = {"list": "clients.people", "filters": {"region": code}}
    with transaction.atomic():
        job = Job.objects.create(kind="lists.export", title="bench", created_by=user, params=params)
        start = time.perf_counter()
        outcome = HANDLERS["lists.export"](job, lambda done, total: None)
        seconds = time.perf_counter() - start
        size = sum(len(piece) for piece in job_output_pieces(job))
        transaction.set_rollback(True)
    return {
        "people_s": seconds,
        "people_rows": outcome["rows"],
        "people_file_mb": size / 2**20,
        "people_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


CHILDREN = {"import": child_import, "export": child_export, "people-export": child_people_export}
# The ledgers of the import engine run as ``--child ledger --ledger KEY`` (scale/ledger_bench.py).


def run_child(kind: str, code: str, rows: int, ledger: str = "") -> dict:
    command = [
        sys.executable,
        "-m",
        "shegong.cli",
        "bench",
        "--child",
        kind,
        "--region",
        code,
        "--rows",
        str(rows),
        *(["--ledger", ledger] if ledger else []),
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench child {kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(
    *,
    codes: list[str],
    repeat: int,
    import_rows: int,
    export_rows: int,
    people_export: bool = True,
    out=print,
) -> list[Row]:
    setting = ""
    if connection.vendor == "postgresql":
        # The planner's price of a random read decides whether a region's rows are read through its index or
        # by scanning the table; README (deploying) sets it for SSDs.
        with connection.cursor() as cursor:
            cursor.execute("SHOW random_page_cost")
            setting = f"; random_page_cost {cursor.fetchone()[0]}"
    out(f"database: {connection.vendor}; repeat {repeat}{setting}")
    out(f"  {'region':18} {'measure':30} {'median ms':>9} {'p95 ms':>9} {'raw ms':>9} ratio")
    rows = page_rows(codes, repeat, out)
    county = codes[-1]
    if import_rows:
        r = run_child("import", county, import_rows)
        rate = r["rows"] / r["import_s"]
        bulk = r["rows"] / r["bulk_s"]
        name = f"import {r['rows']:,} people" + ("" if r["import_ok"] else " FAILED")
        if not r["import_ok"]:
            out(f"import failed: {r['import_message']}")
        rows.append((county, name, "rows/s", rate, None, bulk, f"bulk {bulk / rate:.0f}x"))
        rows.append((county, "import peak memory (MB)", "maxrss", r["import_maxrss_mb"], None, None, ""))
    if export_rows:
        r = run_child("export", codes[0], export_rows)
        rows.append((codes[0], f"export {r['export_rows']:,} records", "s", r["export_s"], None, None, ""))
        rows.append(
            (
                codes[0],
                "export peak memory (MB)",
                "tracemalloc",
                r["export_peak_mb"],
                None,
                None,
                f"maxrss {r['export_maxrss_mb']:.0f}",
            )
        )
    if people_export:
        code = codes[1] if len(codes) > 1 else codes[0]
        r = run_child("people-export", code, 0)
        rows.append((code, f"people export {r['people_rows']:,} (xlsx)", "s", r["people_s"], None, None, ""))
        rows.append(
            (
                code,
                "people export peak memory (MB)",
                "maxrss",
                r["people_maxrss_mb"],
                None,
                None,
                f"file {r['people_file_mb']:.1f} MB",
            )
        )
    return rows


def format_table(rows: list[Row]) -> str:
    lines = [
        f"| {'region':16} | {'measure':30} | {'unit':11} | {'median':>9} | {'p95':>9} | {'raw SQL':>9} | ratio |",
        f"|{'-' * 18}|{'-' * 32}|{'-' * 13}|{'-' * 11}|{'-' * 11}|{'-' * 11}|-------|",
    ]
    for region, name, unit, median, p95, raw, ratio in rows:
        unit = unit or "ms"

        def fmt(v):
            return f"{v:9.1f}" if v is not None else f"{'':9}"

        lines.append(
            f"| {region:16} | {name:30} | {unit:11} | {fmt(median)} | {fmt(p95)} | {fmt(raw)} | {ratio} |"
        )
    return "\n".join(lines)
