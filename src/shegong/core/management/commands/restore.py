"""Restore a `shegong backup` archive (README, 备份与恢复). Refuses when the configured keys cannot read it."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shegong.core.backup import BackupError, restore


def _local(stamp: str) -> str:
    """The manifest's UTC time as the operator's local time, to the minute."""
    try:
        return f"{timezone.localtime(datetime.datetime.fromisoformat(stamp)):%Y-%m-%d %H:%M}"
    except (TypeError, ValueError):
        return str(stamp)


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup archive. The keys configured now must be "
        "the ones the backup was made with; no option skips that check."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data (never skips the key check)",
        )

    def handle(self, *args, archive, force, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            result = restore(archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for table, (expected, found) in sorted(result["differ"].items()):
            self.stderr.write(
                _("%(table)s: %(expected)s rows in the backup, %(found)s now")
                % {"table": table, "expected": expected, "found": found}
            )
        self.stdout.write(
            _(
                "Restored the backup made %(when)s; %(n)d sampled personal values decrypted. Now run "
                "`shegong migrate`."
            )
            % {"when": _local(result["manifest"]["created_at"]), "n": result["decrypted"]}
        )
