"""Create the demo people served, visits, cases and service records of 黔西南州 (demo mode only)."""

from django.core.management.base import BaseCommand, CommandError

from shegong.casework.demo import demo_casework
from shegong.lib.demo import refuse_outside_demo
from shegong.regions.models import Region


class Command(BaseCommand):
    help = "Create demo people served, visits, cases and service records in 黔西南州 (5223); demo mode only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="in the test suite: run on its throw-away database"
        )
        parser.add_argument("--people", type=int, default=3000)

    def handle(self, *args, **options):
        refuse_outside_demo("demo_casework", force=options["force"])
        if not Region.objects.filter(code="5223").exists():
            raise CommandError("division 5223 is not loaded; run load_regions --province 52 first")
        try:
            result = demo_casework(people=options["people"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "demo casework: {people} people, {visits} visits, {cases} cases, {services} service records".format(
                **result
            )
        )
