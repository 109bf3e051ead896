"""Create the demo community data of 黔西南州 (demo mode only)."""

from django.core.management.base import BaseCommand, CommandError

from shegong.community.demo import demo_community
from shegong.lib.demo import refuse_outside_demo
from shegong.regions.models import Region


class Command(BaseCommand):
    help = "Create demo activities, groups, volunteers, points, organisations, charity and deliberations in 黔西南州 (5223); demo mode only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="in the test suite: run on its throw-away database"
        )
        parser.add_argument("--volunteers", type=int, default=600)

    def handle(self, *args, **options):
        refuse_outside_demo("demo_community", force=options["force"])
        if not Region.objects.filter(code="5223").exists():
            raise CommandError("division 5223 is not loaded; run load_regions --province 52 first")
        try:
            result = demo_community(volunteers=options["volunteers"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("demo community: " + ", ".join(f"{value} {key}" for key, value in result.items()))
