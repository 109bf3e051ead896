"""Everything `make demo` puts in the database, in one process: the schema, Guizhou's divisions, the demo
accounts and each domain's demo data. Each step does nothing when its data is there already, so a second
`make demo` spends its time starting the server, not starting eight Python processes."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from shegong.lib.demo import refuse_outside_demo

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
        refuse_outside_demo("demo_load")
        started = time.monotonic()
        for name, kwargs in STEPS:
            call_command(name, stdout=self.stdout, **kwargs)
        self.stdout.write(f"demo data ready in {time.monotonic() - started:.1f} s")
