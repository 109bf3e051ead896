"""Restore a `shegong backup` archive (README, 备份与恢复). Refuses when the configured keys cannot read it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shegong.core.backup import BackupError, restore


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
            self.stderr.write(f"{table}: {expected} rows in the backup, {found} now")
        self.stdout.write(
            f"restored the backup of {result['manifest']['created_at']}; "
            f"{result['decrypted']} sampled personal values decrypted. Now run `shegong migrate`."
        )
