"""The guard of the demo-only commands (demo_load, demo_setup, the domains' demo_* and rundemo), and the demo
accounts the domains' demo data is recorded by, and the made-up ID numbers of the demo and scale data."""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from stdnum.cn import ric


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


class DemoCommand(BaseCommand):
    """A domain's demo_* command: ``--force`` for the test suite, refused outside demo mode, then ``ready()``
    (what the demo data builds on must be there: a CommandError if not) and ``make(options)``, which writes
    the data and returns the line to print. A RuntimeError of ``make`` (run demo_setup first) is the
    command's error. ``counts``: how many of a kind of record it makes, each an option of the command
    (``{"people": 3000}``: ``--people``, 3,000 unless given)."""

    counts: dict[str, int] = {}

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="in the test suite: run on its throw-away database"
        )
        for name, default in self.counts.items():
            parser.add_argument(f"--{name}", type=int, default=default)

    def ready(self) -> None:
        """Refuse (CommandError) when what the demo data builds on is missing."""

    def make(self, options) -> str:
        raise NotImplementedError

    def handle(self, *args, **options):
        refuse_outside_demo(self.__module__.rsplit(".", 1)[-1], force=options["force"])
        self.ready()
        try:
            line = self.make(options)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(line)


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


def made_up_id_number(place: str, born: dt.date, serial: int) -> str:
    """A valid ID number (its check digit computed) of someone registered in ``place`` (six digits), born on
    ``born``, with the sequence number ``serial`` (0-999: odd for a man, even for a woman)."""
    body = f"{place}{born:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def unused_id_number(rng: random.Random, county: str, born: dt.date, female: bool, used: set) -> str:
    """A made-up ID number of ``county`` not in ``used`` (added to it), its sequence number drawn by ``rng``."""
    while True:
        number = made_up_id_number(county, born, rng.randrange(0, 500) * 2 + (0 if female else 1))
        if number not in used:
            used.add(number)
            return number
