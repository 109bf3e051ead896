"""Create the demo projects, evaluation round, hotline tickets and bulletins of 黔西南州 (demo mode only)."""

from django.core.management.base import BaseCommand, CommandError

from shegong.lib.demo import refuse_outside_demo
from shegong.projects.demo import demo_projects
from shegong.regions.models import Region


class Command(BaseCommand):
    help = "Create demo projects, an evaluation round, a month of hotline tickets and the bulletins of 5223."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="in the test suite: run on its throw-away database"
        )

    def handle(self, *args, **options):
        refuse_outside_demo("demo_projects", force=options["force"])
        if not Region.objects.filter(code="5223").exists():
            raise CommandError("division 5223 is not loaded; run load_regions --province 52 first")
        try:
            result = demo_projects()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "demo projects: {projects} projects, {evaluations} evaluations in the round, {tickets} tickets handled, "
            "{bulletins} bulletins".format(**result)
        )
