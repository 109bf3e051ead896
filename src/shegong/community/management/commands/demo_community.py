"""Create the demo community data of 黔西南州 (demo mode only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shegong.community.demo import demo_community
from shegong.regions.models import Region


class Command(BaseCommand):
    help = "Create demo activities, groups, volunteers, points, organisations, charity and deliberations in 黔西南州 (5223); demo mode only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="also outside demo mode (tests)")
        parser.add_argument("--volunteers", type=int, default=600)

    def handle(self, *args, **options):
        if not (settings.DEMO or options["force"]):
            raise CommandError("demo_community runs in demo mode only (SHEGONG_DEMO=1).")
        if not Region.objects.filter(code="5223").exists():
            raise CommandError("division 5223 is not loaded; run load_regions --province 52 first")
        try:
            result = demo_community(volunteers=options["volunteers"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("demo community: " + ", ".join(f"{value} {key}" for key, value in result.items()))
