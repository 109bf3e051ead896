"""The guard of the demo-only commands (demo_load, demo_setup, the domains' demo_* and rundemo), and the demo
accounts the domains' demo data is recorded by."""

from django.conf import settings
from django.contrib.auth import get_user_model
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


def demo_accounts(*usernames: str) -> dict:
    """The demo accounts demo_setup made (username → user); refused before demo_setup has run."""
    accounts = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    if len(accounts) < len(usernames):
        raise RuntimeError("run demo_setup first")
    return accounts


def demo_account_for(accounts: dict, code: str, *, worker: bool = False):
    """The demo account that records what happens in the region ``code``: 兴义市's county administrator there
    (the station worker in 522301001 too, with ``worker``), 兴仁市's in 兴仁市, the prefecture's elsewhere."""
    if worker and code.startswith("522301001"):
        return accounts["worker"]
    if code.startswith("522301"):
        return accounts["county"]
    if code.startswith("522302"):
        return accounts["county2"]
    return accounts["prefecture"]
