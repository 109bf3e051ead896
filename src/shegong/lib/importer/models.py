"""What the engine remembers between imports: the mappings a jurisdiction taught it, the rows already
written (so that the same file twice adds nothing), and the rows held for correction."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MappingKind(models.TextChoices):
    COLUMN = "column", _("Column")
    VALUE = "value", _("Value")


class ImportMapping(models.Model):
    """A column header → a field (``field`` empty: the column is ignored), or a value of a field → the stored
    value, as the users of one jurisdiction taught it for one ledger."""

    SCOPE_FIELD = "scope_code"

    scope_code = models.CharField(max_length=12, db_index=True)
    ledger = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=MappingKind.choices)
    field = models.CharField(max_length=64, blank=True)  # value mappings: the field whose value this is
    source = models.CharField(max_length=200)  # the squashed header or value as the ledger writes it
    target = models.CharField(max_length=200, blank=True)  # the field key, or the stored value
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_code", "ledger", "kind", "field", "source"], name="importer_one_mapping"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ledger} {self.source} → {self.target}"


class ImportedRow(models.Model):
    """A row an import wrote, by the keyed hash of its facts: the same row in a later upload is skipped."""

    SCOPE_FIELD = "scope_code"

    scope_code = models.CharField(max_length=12)
    ledger = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    job_id = models.UUIDField(null=True)
    row = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope_code", "ledger", "fingerprint"], name="importer_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.ledger} {self.job_id} {self.row}"


class HeldRow(models.Model):
    """A row an import in "valid rows" mode did not write, with its cells and what is wrong: the correction
    list of its jurisdiction and ledger. A later import of the ledger replaces it."""

    SCOPE_FIELD = "scope_code"

    scope_code = models.CharField(max_length=12, db_index=True)
    ledger = models.CharField(max_length=64)
    job_id = models.UUIDField()
    row = models.PositiveIntegerField()
    cells = models.JSONField(default=dict)  # header → text as in the file (ID numbers masked)
    errors = models.JSONField(default=list)  # [{"column": ..., "message": ...}]
    # For correcting the row in the browser: field key → the file's header, and the ID numbers that were right
    # in the file (field key → encrypted text), which the page shows masked and the correction reuses.
    columns = models.JSONField(default=dict)
    sealed = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["row"]

    def __str__(self) -> str:
        return f"{self.ledger} {self.row}"
