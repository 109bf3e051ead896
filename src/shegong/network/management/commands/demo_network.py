"""Create the demo station network of 黔西南州 (demo mode only)."""

from django.core.management.base import BaseCommand, CommandError

from shegong.lib.demo import refuse_outside_demo
from shegong.network.demo import demo_network
from shegong.regions.models import Region


class Command(BaseCommand):
    help = "Create the demo station network of 黔西南州 (5223); refuses to run outside demo mode."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="in the test suite: run on its throw-away database"
        )

    def handle(self, *args, **options):
        refuse_outside_demo("demo_network", force=options["force"])
        if not Region.objects.filter(code="5223").exists():
            raise CommandError("division 5223 is not loaded; run load_regions --province 52 first")
        result = demo_network()
        self.stdout.write(f"demo network: {result['created']} facilities created")
