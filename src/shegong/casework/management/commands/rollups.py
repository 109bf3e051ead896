"""shegong rollups rebuild|check: recompute the rollups from the records, or compare them (casework/rollups.py)."""

from django.core.management.base import BaseCommand, CommandError

from shegong.casework import rollups


class Command(BaseCommand):
    help = (
        "Rollups (monthly service counts, people and visit-due counts per village, visit status of each "
        "person): `rebuild` recomputes them from the records; `check` reports differences and exits with "
        "status 1 if there are any."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check"])

    def handle(self, *args, **options):
        if options["action"] == "rebuild":
            rollups.rebuild_all(out=self.stdout.write)
            return
        differences = rollups.check_all()
        for name, count in differences.items():
            self.stdout.write(f"{name}: {count:,} stale row(s)")
        if any(differences.values()):
            raise CommandError("rollups are stale: run `shegong rollups rebuild`")
        self.stdout.write("rollups are current")
