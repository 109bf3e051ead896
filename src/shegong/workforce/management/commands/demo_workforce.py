"""Create the demo workforce of 黔西南州 (demo mode only), after demo_network."""

from django.core.management.base import BaseCommand, CommandError

from shegong.lib.demo import refuse_outside_demo
from shegong.lib.scoping import code_prefix_q
from shegong.network.models import Facility
from shegong.workforce.demo import demo_workforce


class Command(BaseCommand):
    help = (
        "Create the demo workforce of 黔西南州 (5223) on the demo network; refuses to run outside demo mode."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="in the test suite: run on its throw-away database"
        )

    def handle(self, *args, **options):
        refuse_outside_demo("demo_workforce", force=options["force"])
        if not Facility.objects.filter(code_prefix_q("region_id", "5223")).exists():
            raise CommandError("the demo network is not there; run demo_network first")
        result = demo_workforce()
        self.stdout.write(
            "demo workforce: {workers} workers, {agencies} agencies".format(
                workers=result.get("workers", 0), agencies=result.get("agencies", 0)
            )
        )
