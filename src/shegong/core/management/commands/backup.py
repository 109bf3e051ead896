"""Back up the database and the uploaded files into one archive (README, 备份与恢复)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from shegong.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the database, the uploaded files and a manifest of the key ids into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="the archive to write (default var/backups/shegong-<time>.tar.gz)"
        )

    def handle(self, *args, output=None, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            path = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Backup written: %(path)s (%(size)s bytes). Keep it apart from the keys: FIELD_ENCRYPTION_KEY / "
                "FIELD_SM4_KEY / FIELD_HASH_KEY and SECRET_KEY."
            )
            % {"path": path, "size": f"{path.stat().st_size:,}"}
        )
