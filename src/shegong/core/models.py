from django.db import models


class KeyRotation(models.Model):
    """One run of ``shegong rotate_keys`` towards one key version (lib/fieldcrypto.py).

    ``progress`` holds, per protected table, the last primary key done, so an interrupted run continues where
    it stopped. A finished row tells lookups that every row carries the current hash, so they need only it."""

    version = models.CharField(max_length=40, db_index=True)  # Keyring.version: "<cipher kid>/<hash vid>"
    progress = models.JSONField(default=dict)
    rows_changed = models.PositiveBigIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.version} ({'finished' if self.finished_at else 'under way'})"
