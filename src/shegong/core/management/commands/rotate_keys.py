"""Re-encrypt and re-hash every protected column under the current keys (docs/security.md, 密钥管理)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shegong.core.keys import RotationError, rotate_keys, rotation_status


class Command(BaseCommand):
    help = (
        "Move every encrypted value and lookup hash to the current keys and FIELD_CRYPTO algorithm, in batches. "
        "Safe to interrupt; run it again to continue where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument(
            "--status", action="store_true", help="show the keys and the rotation; change nothing"
        )

    def handle(self, *args, batch, status, **options):
        translation.activate(settings.LANGUAGE_CODE)  # what it prints is for the operator, in Chinese
        if status:
            self._status()
            return
        if batch < 1:
            raise CommandError(_("--batch must be at least 1."))
        try:
            rotation = rotate_keys(batch=batch, report=self.stdout.write)
        except RotationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Every protected column is under the keys %(version)s (%(rows)d rows moved). The old keys may "
                    "now be removed from the settings (keep them with the backups made before)."
                )
                % {"version": rotation.version, "rows": rotation.rows_changed}
            )
        )

    def _status(self):
        info = rotation_status()
        self.stdout.write(
            _("Algorithm: %(algorithm)s; current keys: %(version)s")
            % {"algorithm": info["algorithm"], "version": info["version"]}
        )
        self.stdout.write(_("Configured key ids: %(ids)s") % {"ids": ", ".join(info["key_ids"])})
        rotation = info["rotation"]
        if rotation is None:
            self.stdout.write(_("No rotation to these keys has run yet: run `shegong rotate_keys`."))
        elif rotation.finished_at is None:
            self.stdout.write(
                _("Rotation under way: %(rows)d rows moved; %(progress)s")
                % {"rows": rotation.rows_changed, "progress": rotation.progress}
            )
        else:
            self.stdout.write(
                _("Rotation finished %(when)s.")
                % {"when": f"{timezone.localtime(rotation.finished_at):%Y-%m-%d %H:%M}"}
            )
