"""shegong bench [--region CODE ...] [--repeat 20]: time the pages, the import and the export.
shegong bench --concurrency 10,25,50 [--duration 60] [--region CODE]: many users at once against gunicorn."""

import json

from django.core.management.base import BaseCommand

from shegong.scale import bench, concurrency, ledger_bench


def _levels(value: str) -> list[int]:
    levels = [int(v) for v in value.split(",") if v.strip()]
    if not levels or min(levels) < 1:
        raise ValueError(value)
    return levels


class Command(BaseCommand):
    help = "Benchmark the dashboard, figures, people list, import and export on the current database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--region", nargs="*", help="division codes (default: province, prefecture, county)"
        )
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--import-rows", type=int, default=100_000, help="0 skips the import")
        parser.add_argument("--export-rows", type=int, default=1_000_000, help="0 skips the export")
        parser.add_argument(
            "--no-people-export",
            action="store_true",
            help="skip the people export (the .xlsx of the prefecture's files)",
        )
        parser.add_argument(
            "--ledgers",
            nargs="*",
            default=[],
            help="ledger imports through the engine to time (keys, or 'all'; see scale/ledger_bench.py)",
        )
        parser.add_argument(
            "--ledger-rows",
            type=int,
            default=ledger_bench.DEFAULT_ROWS,
            help="rows per ledger file (default 10,000; 100000 for the issue's large file)",
        )
        parser.add_argument(
            "--child", choices=[*sorted(bench.CHILDREN), "ledger"], help="internal: run one part, print JSON"
        )
        parser.add_argument("--ledger", default="", help="internal: the ledger for --child ledger")
        parser.add_argument("--rows", type=int, default=0, help="internal: rows for --child")
        parser.add_argument(
            "--concurrency",
            type=_levels,
            help="users at once, e.g. 10,25,50: the mixed load against gunicorn (scale/concurrency.py)",
        )
        parser.add_argument("--duration", type=float, default=60, help="seconds per concurrency level")
        parser.add_argument("--warmup", type=float, default=10, help="seconds of load before the first level")
        parser.add_argument(
            "--workers", type=int, default=concurrency.default_workers(), help="gunicorn's (2 x cores + 1)"
        )
        parser.add_argument(
            "--worker-class",
            default="sync",
            choices=["sync", "gthread"],
            help="sync: one request per process, as the CPU-bound app needs (docs/performance.md)",
        )
        parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread)")
        parser.add_argument(
            "--rate",
            type=float,
            default=0.0,
            help="with --concurrency: the users together ask for this many requests a second (Poisson, one "
            "request at a time each); default: no think time, each asks again when answered",
        )

    def handle(self, *args, **options):
        if options["concurrency"]:
            concurrency.run(
                code=(options["region"] or bench.default_regions()[1:2])[0],
                levels=options["concurrency"],
                duration=options["duration"],
                warmup=options["warmup"],
                workers=options["workers"],
                worker_class=options["worker_class"],
                threads=options["threads"],
                rate=options["rate"],
                out=self.stdout.write,
            )
            return
        if options["child"] == "ledger":
            result = ledger_bench.child_ledger(options["ledger"], options["region"][0], options["rows"])
            self.stdout.write(json.dumps(result))
            return
        if options["child"]:
            code = options["region"][0]
            part = bench.CHILDREN[options["child"]]
            self.stdout.write(json.dumps(part(code, options["rows"])))
            return
        if options["ledgers"] and options["region"] and len(options["region"]) == 1:
            # Only the ledgers, for one county: `shegong bench --region 522301 --ledgers all`.
            rows = ledger_bench.ledger_rows(
                options["region"][0], options["ledgers"], options["ledger_rows"], self.stdout.write
            )
            self.stdout.write(bench.format_table(rows))
            return
        codes = options["region"] or bench.default_regions()
        rows = bench.run(
            codes=codes,
            repeat=options["repeat"],
            import_rows=options["import_rows"],
            export_rows=options["export_rows"],
            people_export=not options["no_people_export"],
            out=self.stdout.write,
        )
        if options["ledgers"]:
            rows += ledger_bench.ledger_rows(
                codes[-1], options["ledgers"], options["ledger_rows"], self.stdout.write
            )
        self.stdout.write("")
        self.stdout.write(bench.format_table(rows))
