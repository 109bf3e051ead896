"""shegong generate --province 53 --scale county|prefecture|province [--seed N]: a synthetic dataset."""

import datetime as dt

from django.core.management.base import BaseCommand

from shegong.scale.generate import SCALES, generate


class Command(BaseCommand):
    help = (
        "Build a synthetic, plausible dataset on the real divisions of a province (see docs/performance.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", default="53", help="two-digit province code (default 53, Yunnan)")
        parser.add_argument("--scale", choices=SCALES, default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--region", help="the division to fill instead of the scale's default one")
        parser.add_argument("--today", help="anchor date YYYY-MM-DD (default: today in China)")

    def handle(self, *args, **options):
        today = dt.date.fromisoformat(options["today"]) if options["today"] else None
        generate(
            province=options["province"],
            scale=options["scale"],
            seed=options["seed"],
            region=options["region"],
            today=today,
            out=self.stdout.write,
        )
