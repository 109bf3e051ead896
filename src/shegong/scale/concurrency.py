"""The concurrency benchmark of issue 18 (item 4): `shegong bench --concurrency 10,25,50`.

It starts gunicorn on a free local port against the current ``DATABASE_URL``, logs in the users of one region
(the region's administrator, the administrators of its counties and the social workers the scale generator
made for its stations), and drives a mixed load of pages, API lists and about 5 % writes from N threads,
each a user with its own keep-alive connection (the standard library's http.client). Per level it prints throughput, p50/p95/p99 per
page type, errors (any status but 2xx/3xx, and failed connections), the load average, and the CPU seconds
of the server, of this load generator and of the whole machine (they share its cores).

gunicorn runs 2 x cores + 1 sync workers by default: a request costs the app 35-45 ms of CPU and the database
15-20 ms, so what bounds the rate is the cores; one process per request in flight uses them without the GIL's
contention between a process's threads, and the extra process covers the time the others wait for the
database. ``--worker-class gthread --threads 2`` measures README's production setting (threads there serve
streamed downloads).

Writes go through the API as a social worker of a generated station (a service record or a visit, valid
data, today's date, note ``bench-concurrency``) and stay in the database: run it on a dataset built by
``shegong generate`` (the only kind that has these accounts), never on a bureau's. It writes no file in the
repository; gunicorn's log goes to a temporary file.
"""

import dataclasses
import http.client
import json
import os
import random
import re
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from shegong.accounts.models import User
from shegong.casework.selectors import service_item_list
from shegong.clients.models import Person
from shegong.lib.scoping import code_prefix_q
from shegong.network.models import Facility, Kind
from shegong.regions.models import Level, Region
from shegong.scale.bench import admin_for
from shegong.testing import verified_login

MARK = "bench-concurrency"
# Page types and their share of the requests (out of 100): what a station and a bureau do in a day, the
# people's files most, the heavy figures page seldom.
MIX = {
    "workbench": 14,
    "people list": 14,
    "person detail": 18,
    "service list": 10,
    "visit ledger": 8,
    "figures": 4,
    "api people": 9,
    "api services": 9,
    "api visits": 9,
    "write": 5,
}
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclasses.dataclass
class Actor:
    """One logged-in user: the session cookie for pages, a token for the API, people it may open."""

    username: str
    cookie: str
    token: str
    people: list[int]
    station: int | None = None  # a social worker's station: what the writes need
    items: list[int] = dataclasses.field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def start_server(port: int, workers: int, worker_class: str, threads: int, log) -> subprocess.Popen:
    """gunicorn with the production WSGI application and the settings of this process's environment."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "shegong.scale.timed_wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--worker-class={worker_class}",
        f"--threads={threads}",
        "--timeout=120",
        "--keep-alive=30",
        "--log-level=warning",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shegong.settings"}
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(port: int, server: subprocess.Popen, deadline: float = 120.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit("gunicorn ended before it answered (see its log above)")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
        finally:
            connection.close()
    raise SystemExit(f"gunicorn did not answer on port {port} within {deadline:.0f} s")


def _login(user) -> tuple[str, str]:
    """A session cookie (as the login page would set it, second factor verified) and an API token."""
    client = Client(SERVER_NAME="127.0.0.1")
    verified_login(client, user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return cookie, AuthToken.objects.create(user)[1]


def _people(code: str, rng: random.Random, n: int = 200) -> list[int]:
    people = Person.objects.filter(code_prefix_q("region_id", code), active=True)
    ids = list(people.values_list("pk", flat=True)[:5000])
    return rng.sample(ids, min(n, len(ids)))


def _worker_actor(user, rng: random.Random) -> "Actor | None":
    station = Facility.objects.filter(kind=Kind.TOWNSHIP_STATION, region_id=user.jurisdiction_id).first()
    people = _people(user.jurisdiction_id, rng, 50)
    if station is None or not people:
        return None
    items = list(service_item_list(user=user, region=station.region_id).values_list("pk", flat=True)[:20])
    cookie, token = _login(user)
    return Actor(user.username, cookie, token, people, station.pk, items)


def actors(code: str, seed: int = 1) -> tuple[list[Actor], list[Actor]]:
    """The region's administrators (its own and its counties', up to 8) and its generated social workers."""
    rng = random.Random(seed)
    counties = Region.objects.filter(code__startswith=code, level=Level.COUNTY).order_by("code")
    codes = [code, *[c for c in counties.values_list("code", flat=True)[:7] if c != code]]
    admins = []
    for c in codes:
        user = admin_for(c)
        admins.append(Actor(user.username, *_login(user), _people(c, rng)))
    workers = []

    users = User.objects.filter(
        code_prefix_q("jurisdiction_id", code), username__startswith="scale-", is_active=True
    )
    for user in users.select_related("jurisdiction").order_by("username")[:60]:
        actor = _worker_actor(user, rng)
        if actor is not None:
            workers.append(actor)
    if not workers:
        raise SystemExit(f"no generated social workers in {code}: run `shegong generate` first")
    return admins, workers


def _write(writer: Actor, rng: random.Random, today: str) -> tuple[str, dict]:
    """A valid service record or visit by a social worker, for one of its station's people."""
    person = rng.choice(writer.people)
    if writer.items and rng.random() < 0.5:
        body = {
            "station": writer.station,
            "served_on": today,
            "person": person,
            "item": rng.choice(writer.items),
            "duration_minutes": 30,
            "mode": "home",
            "note": MARK,
        }
        return "/api/v1/service-records/", body
    return "/api/v1/visits/", {"person": person, "visited_on": today, "mode": "home", "findings": MARK}


def request_for(kind: str, who: Actor, writer: Actor, rng: random.Random, today: str):
    """(method, url, headers, body) of one request of ``kind``."""
    page = {"Cookie": who.cookie}
    if kind == "write":
        url, body = _write(writer, rng, today)
        headers = {"Authorization": f"Bearer {writer.token}", "Content-Type": "application/json"}
        return "POST", url, headers, json.dumps(body).encode()
    if kind.startswith("api "):
        url = {
            "api people": "/api/v1/clients/",
            "api services": "/api/v1/service-records/",
            "api visits": "/api/v1/visits/",
        }[kind]
        return "GET", url, {"Authorization": f"Bearer {who.token}"}, None
    url = {
        "workbench": "/",
        "people list": f"/people/?page={rng.randint(1, 3)}",
        "person detail": f"/people/{rng.choice(who.people)}/" if who.people else "/people/",
        "service list": "/cases/services/",
        "visit ledger": "/people/visits/due/",
        "figures": "/cases/figures/",
    }[kind]
    return "GET", url, page, None


NO_TIMING = (0.0, 0.0, 0)


def server_timing(header: str) -> tuple[float, float, int]:
    """(app CPU ms, database ms, statements) from the header scale/timed_wsgi.py sets."""
    found = dict(re.findall(r"(app|db);dur=([0-9.]+)", header))
    statements = re.search(r"desc=([0-9]+)", header)
    return (
        float(found.get("app", 0)),
        float(found.get("db", 0)),
        int(statements.group(1)) if statements else 0,
    )


class KeepAlive:
    """One connection kept open between requests, opened again when the server has closed it (gunicorn's
    sync workers close after each answer; a kept-alive socket may be closed while idle)."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(self, method: str, url: str, headers: dict, body) -> tuple[int, tuple[float, float, int]]:
        """The status and what the answer cost the server (app CPU ms, database ms, statements)."""
        for attempt in (1, 2):
            try:
                self.connection.request(method, url, body=body, headers=headers)
                response = self.connection.getresponse()
                response.read()
                return response.status, server_timing(response.getheader("Server-Timing", ""))
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()  # a stale socket: the request never reached a worker
                if attempt == 2:
                    raise
        return 0, NO_TIMING

    def close(self) -> None:
        self.connection.close()


def user_loop(
    port: int, who: Actor, writer: Actor, stop_at: float, seed: int, results: list, every: float = 0.0
) -> None:
    """One user. With ``every`` 0 it has no think time: the next request leaves when the previous one has been
    answered (a closed loop: the rate is whatever the server gives). With ``every`` > 0 the user asks on its
    own Poisson schedule, on average once every ``every`` seconds, one request at a time: a request whose
    time comes while the last is unanswered leaves when it is answered, and its latency counts from the time
    it was due (no coordinated omission: a slow server cannot hide its queue by slowing the asking)."""
    client = KeepAlive(port)
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    today = timezone.localdate().isoformat()
    due = time.perf_counter() + (rng.expovariate(1 / every) if every else 0.0)
    while time.monotonic() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        method, url, headers, body = request_for(kind, who, writer, rng, today)
        if every:
            time.sleep(max(0.0, due - time.perf_counter()))
        start = min(due, time.perf_counter()) if every else time.perf_counter()
        try:
            status, cost = client.send(method, url, headers, body)
        except (OSError, http.client.HTTPException):
            status, cost = 0, NO_TIMING
        results.append((kind, (time.perf_counter() - start) * 1000, status, cost))
        due = due + rng.expovariate(1 / every) if every else time.perf_counter()
    client.close()


# --- CPU time of the server, of this process and of the machine (Linux /proc) -----------------------


def _proc_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def server_cpu(master: int) -> float:
    """CPU seconds of gunicorn's master and its live workers."""
    try:
        with open(f"/proc/{master}/task/{master}/children") as f:
            children = [int(p) for p in f.read().split()]
    except OSError:
        children = []
    return _proc_cpu(master) + sum(_proc_cpu(pid) for pid in children)


def database_backends(name: str) -> dict[int, float]:
    """CPU seconds of each live PostgreSQL backend of database ``name`` on this machine (their command line
    reads ``postgres: [CLUSTER:] USER NAME HOST(PORT) …``); empty when the database runs elsewhere."""
    found: dict[int, float] = {}
    if not name or not os.path.isdir("/proc"):
        return found
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                words = f.read().decode(errors="replace").split()
        except OSError:
            continue
        rest = words[1:] if words[:1] == ["postgres:"] else []
        if rest and rest[0].endswith(":"):  # the cluster's name (Debian: "15/main:")
            rest = rest[1:]
        if len(rest) > 1 and rest[1] == name:
            found[int(entry)] = _proc_cpu(int(entry))
    return found


class DatabaseMeter(threading.Thread):
    """The CPU the database's backends spend during a level, sampled every second: Django closes its
    connection after DB_CONN_MAX_AGE, and a backend that ends takes its CPU time with it, so each backend's
    last sample counts (less what it had spent when the level began)."""

    def __init__(self, name: str):
        super().__init__(daemon=True)
        self.name, self.first, self.last = name, database_backends(name), {}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            self.last.update(database_backends(self.name))

    def stop(self) -> float:
        self.stopped.set()
        self.join()
        self.last.update(database_backends(self.name))
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of all cores since boot."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values) - idle) / TICK, sum(values) / TICK


def snapshot(master: int) -> dict:
    busy, total = machine_cpu()
    return {
        "wall": time.monotonic(),
        "server": server_cpu(master),
        "own": own_cpu(),
        "busy": busy,
        "all": total,
    }


# --- one level, its summary, the whole run ----------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted ``samples``."""
    return samples[min(len(samples) - 1, max(0, int(round(share * len(samples))) - 1))]


def run_level(
    users: int,
    duration: float,
    admins: list,
    workers: list,
    port: int,
    master: int,
    database: str = "",
    rate: float = 0.0,
) -> dict:
    """``users`` threads for ``duration`` seconds; a quarter of them are administrators, the rest social
    workers (an administrator's writes are made by a social worker of the same mix). With ``rate``, the users
    together ask for that many requests a second (each ``users / rate`` seconds on average), else each asks
    again as soon as it is answered."""
    results: list = []
    stop_at = time.monotonic() + duration
    threads = []
    every = users / rate if rate else 0.0
    for i in range(users):
        writer = workers[i % len(workers)]
        actor = admins[(i // 4) % len(admins)] if i % 4 == 0 else writer
        args = (port, actor, writer, stop_at, 1000 * users + i, results, every)
        threads.append(threading.Thread(target=user_loop, args=args, daemon=True))
    meter = DatabaseMeter(database)
    before = snapshot(master)
    meter.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = snapshot(master)
    used = {key: after[key] - before[key] for key in after}
    used["database"] = meter.stop()
    return {"users": users, "results": results, "used": used, "load": os.getloadavg(), "rate": rate}


def summarize(level: dict) -> dict:
    """Throughput, errors, per-type percentiles of one level, and what each type cost the server on average
    (``costs``: app CPU ms, database ms, statements, from the answers' Server-Timing header)."""
    by_kind = defaultdict(list)
    spent = defaultdict(list)
    errors = defaultdict(int)
    for kind, ms, status, *cost in level["results"]:
        by_kind[kind].append(ms)
        if cost and cost[0] != NO_TIMING:
            spent[kind].append(cost[0])
        if not 200 <= status < 400:
            errors[kind] += 1
    wall = level["used"]["wall"]
    rows, costs = {}, {}
    for kind in MIX:
        samples = sorted(by_kind.get(kind, []))
        if samples:
            rows[kind] = (len(samples), *(percentile(samples, p) for p in (0.5, 0.95, 0.99)), errors[kind])
        if spent.get(kind):
            costs[kind] = tuple(sum(c[i] for c in spent[kind]) / len(spent[kind]) for i in range(3))
    every = sorted(r[1] for r in level["results"])
    total = (
        (len(every), *(percentile(every, p) for p in (0.5, 0.95, 0.99)), sum(errors.values()))
        if every
        else None
    )
    redirects = sum(1 for r in level["results"] if 300 <= r[2] < 400)
    return {
        "rate": len(every) / wall if wall else 0.0,
        "rows": rows,
        "all": total,
        "redirects": redirects,
        "costs": costs,
    }


def report(level: dict, out) -> dict:
    s = summarize(level)
    used, n = level["used"], len(level["results"])
    load = " ".join(f"{v:.2f}" for v in level["load"])
    per = used["server"] * 1000 / n if n else 0.0
    out("")
    asked = f" (asking for {level['rate']:g} req/s)" if level.get("rate") else " (no think time)"
    out(
        f"{level['users']} users{asked}, {used['wall']:.0f} s: {n:,} requests, {s['rate']:.1f} req/s, "
        f"errors {s['all'][4] if s['all'] else 0} (redirects {s['redirects']}); load average {load}"
    )
    db = used.get("database", 0.0) * 1000 / n if n else 0.0
    out(
        f"  CPU s: server {used['server']:.1f} ({per:.1f} ms a request), database {used.get('database', 0):.1f} "
        f"({db:.1f} ms), load generator {used['own']:.1f}, machine {used['busy']:.1f} busy of {used['all']:.1f}"
    )
    if per + db:
        cores = os.cpu_count() or 1
        out(
            f"  at {per + db:.1f} ms of CPU a request, {cores} cores of its own would serve {cores * 1000 / (per + db):.0f} req/s"
        )
    out(
        f"  {'page type':16} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
        f" {'app CPU ms':>10} {'db ms':>7} {'SQL':>5}"
    )
    for kind, (count, p50, p95, p99, errs) in [
        *s["rows"].items(),
        *([("all", s["all"])] if s["all"] else []),
    ]:
        cost = s["costs"].get(kind)
        spent = f" {cost[0]:10.1f} {cost[1]:7.1f} {cost[2]:5.1f}" if cost else ""
        out(f"  {kind:16} {count:8,} {p50:8.0f} {p95:8.0f} {p99:8.0f} {errs:6}{spent}")
    return s


def run(
    *,
    code: str,
    levels: list[int],
    duration: float,
    warmup: float,
    workers: int,
    worker_class: str,
    threads: int,
    rate: float = 0.0,
    out=print,
) -> list[dict]:

    admins, social_workers = actors(code)
    database = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else ""
    kind = f"{worker_class}, {threads} threads" if worker_class == "gthread" else worker_class
    out(
        f"region {code}: {len(admins)} administrators, {len(social_workers)} social workers; "
        f"gunicorn {workers} workers ({kind}); database {connection.vendor} {database}; "
        f"{os.cpu_count()} cores; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    connection.close()  # the load generator's own connection is idle from here on
    port = free_port()
    with tempfile.NamedTemporaryFile("w+", prefix="shegong-gunicorn-", suffix=".log") as log:
        server = start_server(port, workers, worker_class, threads, log)
        try:
            wait_ready(port, server)
            if warmup:
                run_level(min(levels), warmup, admins, social_workers, port, server.pid, database)
            summaries = [
                report(run_level(n, duration, admins, social_workers, port, server.pid, database, rate), out)
                for n in levels
            ]
        finally:
            server.terminate()
            server.wait(30)
            log.seek(0)
            tail = log.read()[-3000:]
            if tail.strip():
                out("gunicorn log (tail):\n" + tail)
    return summaries
