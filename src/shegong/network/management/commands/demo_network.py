"""Create the demo station network of 黔西南州 (demo mode only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shegong.network.demo import demo_network
from shegong.regions.models import Region


class Command(BaseCommand):
    help = "Create the demo station network of 黔西南州 (5223); refuses to run outside demo mode."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="also outside demo mode (tests)")

    def handle(self, *args, **options):
        if not (settings.DEMO or options["force"]):
            raise CommandError("demo_network runs in demo mode only (SHEGONG_DEMO=1).")
        if not Region.objects.filter(code="5223").exists():
            raise CommandError("division 5223 is not loaded; run load_regions --province 52 first")
        result = demo_network()
        self.stdout.write(f"demo network: {result['created']} facilities created")
