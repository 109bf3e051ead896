"""Re-encrypt and re-hash every protected column under the current keys (docs/security.md, 密钥管理)."""

from django.core.management.base import BaseCommand, CommandError

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
        if status:
            self._status()
            return
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        try:
            rotation = rotate_keys(batch=batch, report=self.stdout.write)
        except RotationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"all protected columns are under {rotation.version} ({rotation.rows_changed} rows moved). "
                "Old keys may now be removed from the settings (keep them with the backups made before)."
            )
        )

    def _status(self):
        info = rotation_status()
        self.stdout.write(f"algorithm: {info['algorithm']}; current keys: {info['version']}")
        self.stdout.write(f"configured key ids: {', '.join(info['key_ids'])}")
        rotation = info["rotation"]
        if rotation is None:
            self.stdout.write("no rotation to these keys has run yet: run `shegong rotate_keys`")
        elif rotation.finished_at is None:
            self.stdout.write(f"rotation under way: {rotation.rows_changed} rows moved; {rotation.progress}")
        else:
            self.stdout.write(f"rotation finished {rotation.finished_at:%Y-%m-%d %H:%M}")
