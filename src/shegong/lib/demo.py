"""The guard of the demo-only commands (demo_load, demo_setup, the domains' demo_* and rundemo)."""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_outside_demo(command: str, *, force: bool = False) -> None:
    """Demo commands create accounts whose password is printed in the README, and made-up records: they run in
    demo mode (SHEGONG_DEMO=1) only. ``--force`` lets the test suite run them on its own throw-away
    database; on any other installation it changes nothing."""
    if settings.DEMO or (force and settings.TESTING):
        return
    raise CommandError(
        f"{command} runs in demo mode only (SHEGONG_DEMO=1): it creates accounts with the published demo "
        "password and made-up records, which have no place on a real installation. --force is for the "
        "test suite only."
    )
