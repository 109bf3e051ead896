"""Everything `make demo` puts in the database, in one process: the schema, Guizhou's divisions, the demo
accounts and each domain's demo data. Each step does nothing when its data is there already, so a second
`make demo` spends its time starting the server, not starting eight Python processes."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

STEPS = [
    ("migrate", {"interactive": False, "verbosity": 0}),
    ("load_regions", {"province": ["52"]}),
    ("demo_setup", {}),
    ("demo_network", {}),
    ("demo_workforce", {}),
    ("demo_casework", {}),
    ("demo_community", {}),
    ("demo_projects", {}),
]


class Command(BaseCommand):
    help = "Prepare the demo database (demo mode only)."

    def handle(self, *args, **options):
        if not settings.DEMO:
            raise CommandError("demo_load runs in demo mode only (SHEGONG_DEMO=1).")
        started = time.monotonic()
        for name, kwargs in STEPS:
            call_command(name, stdout=self.stdout, **kwargs)
        self.stdout.write(f"demo data ready in {time.monotonic() - started:.1f} s")
