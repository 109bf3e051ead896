"""What one request costs the app server: CPU milliseconds of this process (the database's own work is in
its process, not here), wall milliseconds and queries, per page, through Django's test client with the
whole middleware stack. With ``--profile`` the heaviest functions of one page (cProfile, cumulative).

Beside each page its floor (issue 18): what a minimal Django view reading the same rows would take, the
framework's fixed cost of a request (``/healthz`` through the same middleware) plus the page's own SQL
statements sent again as they were, with their parameters, and every row fetched (inside a transaction that
is rolled back, so the audit row a file's page writes is not written twice). ``×floor`` is the page's median
over that floor: what the ORM, the view and the template add.

    DATABASE_URL=... SHEGONG_DEMO=1 python -m shegong.scale.request_cost --region 530102 --repeat 30
    python -m shegong.scale.request_cost --region 530102 --profile /people/
"""

# imports inside functions: run as a script (python -m), it sets up Django (_setup) before any model can be
# imported.

import argparse
import cProfile
import io
import pstats
import statistics
import time


def _setup() -> None:
    """Django set up as the production server sets it up: through shegong.wsgi (its start-up objects frozen
    for the garbage collector, as in each gunicorn worker)."""
    import shegong.wsgi  # noqa: F401


def default_pages(code: str) -> list[str]:
    from django.urls import reverse

    return [
        reverse("clients:person_list") + f"?region={code}",
        reverse("clients:visit_ledger") + f"?region={code}",
        reverse("casework:service_list") + f"?region={code}",
        reverse("network:dashboard", kwargs={"code": code}),
        "/api/v1/service-records/",
        "/api/v1/cases/",
    ]


def measure(code: str, pages: list[str], repeat: int, username: str = "") -> list[dict]:
    """For each page: median and p95 CPU ms, median and p95 wall ms, the queries of one request and its floor,
    after one warm-up request; as the administrator of ``code``, or as the account ``username``."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from knox.models import AuthToken

    from shegong.scale.bench import admin_for
    from shegong.testing import verified_login

    if "localhost" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    from shegong.accounts.models import User

    user = User.objects.get(username=username) if username else admin_for(code)
    client = Client(SERVER_NAME="localhost")
    verified_login(client, user)
    token = AuthToken.objects.create(user)[1]
    stack = stack_floor(client, repeat)
    results = []
    for page in pages:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if page.startswith("/api/") else {}
        response = client.get(page, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{page}: HTTP {response.status_code}")
        # Django empties connection.queries when a request starts: count them as they run instead.
        captured: list[tuple] = []

        def count(execute, sql, params, many, context, captured=captured):
            captured.append((sql, params, many))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(page, **headers)
        cpu, wall = [], []
        for _ in range(repeat):
            c0, w0 = time.process_time(), time.perf_counter()
            client.get(page, **headers)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        cpu.sort()
        wall_p95 = sorted(wall)[min(len(wall) - 1, int(len(wall) * 0.95))]
        results.append(
            {
                "page": page,
                "cpu_ms": statistics.median(cpu),
                "cpu_p95_ms": cpu[min(len(cpu) - 1, int(len(cpu) * 0.95))],
                "wall_ms": statistics.median(wall),
                "wall_p95_ms": wall_p95,
                "queries": len(captured),
                "floor_ms": stack + sql_floor(captured, repeat),
            }
        )
    return results


def stack_floor(client, repeat: int) -> float:
    """Median wall ms of the smallest view through the whole middleware stack (``/healthz``)."""
    wall = []
    for _ in range(repeat):
        w0 = time.perf_counter()
        client.get("/healthz")
        wall.append((time.perf_counter() - w0) * 1000)
    return statistics.median(wall)


def sql_floor(statements: list[tuple], repeat: int) -> float:
    """Median wall ms of ``statements`` ((sql, params, many) as a page ran them) sent again through a plain
    cursor, every row fetched, in a transaction rolled back at the end."""
    from django.db import connection, transaction

    wall = []
    for _ in range(repeat):
        with transaction.atomic():
            w0 = time.perf_counter()
            with connection.cursor() as cursor:
                for sql, params, many in statements:
                    if sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                        continue
                    (cursor.executemany if many else cursor.execute)(sql, params)
                    if cursor.description is not None:
                        cursor.fetchall()
            wall.append((time.perf_counter() - w0) * 1000)
            transaction.set_rollback(True)
    return statistics.median(wall)


def profile(code: str, page: str, repeat: int = 20, top: int = 30) -> str:
    from django.conf import settings
    from django.test import Client

    from shegong.scale.bench import admin_for
    from shegong.testing import verified_login

    if "localhost" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    client = Client(SERVER_NAME="localhost")
    verified_login(client, admin_for(code))
    client.get(page)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(repeat):
        client.get(page)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", required=True, help="the administrator's division code")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--user", default="", help="measure as this account (default: the region's administrator)"
    )
    parser.add_argument("--profile", metavar="URL", help="cProfile this page instead")
    parser.add_argument("pages", nargs="*", help="URLs (default: six typical pages)")
    args = parser.parse_args(argv)
    _setup()
    if args.profile:
        print(profile(args.region, args.profile, args.repeat))
        return
    pages = args.pages or default_pages(args.region)
    print(
        f"{'page':60} {'CPU ms':>8} {'p95':>8} {'wall ms':>8} {'p95':>8} {'queries':>8} {'floor ms':>9} {'×floor':>7}"
    )
    for r in measure(args.region, pages, args.repeat, args.user):
        print(
            f"{r['page']:60} {r['cpu_ms']:8.1f} {r['cpu_p95_ms']:8.1f} {r['wall_ms']:8.1f} {r['wall_p95_ms']:8.1f}"
            f" {r['queries']:8d} {r['floor_ms']:9.1f} {r['wall_ms'] / max(r['floor_ms'], 0.01):7.1f}"
        )


if __name__ == "__main__":
    main()
