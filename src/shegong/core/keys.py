"""Key rotation: move every protected column to the current keys and algorithms (``shegong rotate_keys``).

Every model field that is an ``EncryptedTextField`` is re-encrypted under the current cipher, and its
``<name>_hash`` column (where the model has one) re-hashed under the current hash key. Tables are walked in
primary-key order, a batch per transaction, and the last key done is saved in the same transaction
(``KeyRotation.progress``), so an interrupted run loses at most one batch and a new run continues from there.
Rows already current are skipped, so running it again is always safe.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.models import KeyRotation
from shegong.lib import fieldcrypto
from shegong.lib.pii import EncryptedTextField


@dataclass(frozen=True)
class ProtectedTable:
    model: type
    encrypted: tuple  # field names
    hashes: tuple  # (hash field, encrypted field it hashes)

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def name(self) -> str:
        """What an operator reads: the model's Chinese name with its label (服务对象 clients.Person)."""
        return f"{self.model._meta.verbose_name} {self.label}"


def protected_tables() -> list[ProtectedTable]:
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        encrypted = tuple(f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField))
        if encrypted:
            hashes = tuple((f"{name}_hash", name) for name in encrypted if f"{name}_hash" in names)
            found.append(ProtectedTable(model, encrypted, hashes))
    return sorted(found, key=lambda t: t.label)


class RotationError(Exception):
    pass


def _raw_rows(table: ProtectedTable, after, batch: int) -> list[dict]:
    """The stored forms, not the decrypted ones: the cast keeps the field from decrypting on read."""
    raw = {f"raw_{name}": Cast(name, output_field=models.TextField()) for name in table.encrypted}
    qs = table.model._base_manager.filter(pk__gt=after).order_by("pk").annotate(**raw)
    return list(qs.values("pk", *raw, *(h for h, _src in table.hashes))[:batch])


def _moved(table: ProtectedTable, row: dict, ring) -> dict | None:
    """The row under the current keys, or None when it already is."""
    stale = any(row[f"raw_{n}"] and not ring.is_current_ciphertext(row[f"raw_{n}"]) for n in table.encrypted)
    stale = stale or any(row[h] and not ring.is_current_hash(row[h]) for h, _src in table.hashes)
    if not stale:
        return None
    clear = {}
    for name in table.encrypted:
        token = row[f"raw_{name}"]
        try:
            clear[name] = ring.decrypt(token) if token else token
        except fieldcrypto.DecryptError as exc:
            raise RotationError(
                _(
                    "%(table)s #%(pk)s: %(field)s cannot be decrypted with the configured keys (is an old key "
                    "missing from the settings?). Nothing in this batch was changed."
                )
                % {"table": table.name, "pk": row["pk"], "field": name}
            ) from exc
    values = {h: (fieldcrypto.lookup_hash(clear[src]) if clear[src] else "") for h, src in table.hashes}
    return {"pk": row["pk"], **clear, **values}


def _write(table: ProtectedTable, moved: list[dict], fields: list[str]) -> None:
    """One UPDATE per row in a single executemany: Django's bulk_update builds a CASE per row and field in
    Python, which made the rotation several times slower. The fields encrypt the clear values themselves."""
    meta, qn = table.model._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{qn(c.column)} = %s" for c in columns)
    sql = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608
    params = [[c.get_db_prep_save(row[c.name], connection) for c in columns] + [row["pk"]] for row in moved]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _rotate_table(table: ProtectedTable, rotation: KeyRotation, batch: int, report) -> None:
    ring = fieldcrypto.keyring()
    state = rotation.progress.get(table.label, {"after": 0, "changed": 0})
    total = table.model._base_manager.count()
    fields = [*table.encrypted, *(h for h, _src in table.hashes)]
    while True:
        with transaction.atomic():
            rows = _raw_rows(table, state["after"], batch)
            if not rows:
                break
            moved = [obj for obj in (_moved(table, row, ring) for row in rows) if obj is not None]
            if moved:
                _write(table, moved, fields)
            state = {"after": rows[-1]["pk"], "changed": state["changed"] + len(moved)}
            rotation.progress[table.label] = state
            rotation.rows_changed += len(moved)
            rotation.save(update_fields=["progress", "rows_changed", "updated_at"])
        done = table.model._base_manager.filter(pk__lte=state["after"]).count()
        report(
            _("%(table)s: %(done)d/%(total)d rows checked, %(changed)d moved to the current keys")
            % {"table": table.name, "done": done, "total": total, "changed": state["changed"]}
        )
    state["finished"] = True
    rotation.progress[table.label] = state
    rotation.save(update_fields=["progress", "updated_at"])


def rotate_keys(*, batch: int = 500, report=lambda line: None) -> KeyRotation:
    """Run (or continue) the rotation to the current keys; returns the finished KeyRotation."""
    fieldcrypto.forget()
    version = fieldcrypto.keyring().version
    rotation = KeyRotation.objects.filter(version=version, finished_at__isnull=True).first()
    if rotation is None:
        rotation = KeyRotation.objects.create(version=version)
    else:
        report(
            _("Continuing the rotation started %(when)s.")
            % {"when": f"{timezone.localtime(rotation.started_at):%Y-%m-%d %H:%M}"}
        )
    for table in protected_tables():
        if rotation.progress.get(table.label, {}).get("finished"):
            continue
        _rotate_table(table, rotation, batch, report)
    rotation.finished_at = timezone.now()
    rotation.save(update_fields=["finished_at", "updated_at"])
    fieldcrypto.forget()
    return rotation


def rotation_status() -> dict:
    ring = fieldcrypto.keyring()
    latest = KeyRotation.objects.filter(version=ring.version).first()
    return {
        "algorithm": ring.cipher.algorithm,
        "version": ring.version,
        "key_ids": ring.key_ids(),
        "rotation": latest,
    }
