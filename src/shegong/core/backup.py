"""Backup and restore of a whole site in one archive: the database and the uploaded files, with a manifest
that records which keys the personal data is encrypted with (``shegong backup`` / ``shegong restore``).

The archive (``.tar.gz``) holds ``manifest.json``, the database (``database.dump``, pg_dump's custom format,
or ``database.sqlite3``, made by SQLite's online backup API) and ``files/<storage>/`` for every file-system
storage. The manifest carries the key ids (one-way hashes, never the keys), their fingerprint, and a canary
value encrypted with the current key; restore refuses before touching anything when the running keys cannot
read the backup, so a restore cannot leave a database of undecryptable personal data.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.keys import protected_tables
from shegong.lib import fieldcrypto

FORMAT = 1
CANARY = "shegong-backup-canary"


class BackupError(Exception):
    """A refusal or failure with a message for the operator."""


def file_roots() -> dict[str, Path]:
    """Every file-system storage that holds uploads (MEDIA_ROOT and any private storage), by alias."""
    roots = {}
    for alias, conf in settings.STORAGES.items():
        if alias == "staticfiles" or not conf["BACKEND"].endswith("FileSystemStorage"):
            continue
        location = conf.get("OPTIONS", {}).get("location") or (
            settings.MEDIA_ROOT if alias == "default" else None
        )
        if location:
            roots[alias] = Path(location)
    return roots


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env() -> dict:
    db = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            _("%(tool)s is not installed on this machine (PostgreSQL client tools).") % {"tool": command[0]}
        )
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": command[0], "error": done.stderr.strip()[-2000:]}
        )


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected)
            counts[table] = cursor.fetchone()[0]
    return counts


def _keys_manifest() -> dict:
    ring = fieldcrypto.keyring()
    return {
        "key_fingerprint": ring.fingerprint(),
        "key_ids": ring.key_ids(),
        "cipher_key_ids": sorted(ring.ciphers),
        "hash_key_id": ring.hash_key.vid,
        "canary": ring.encrypt(CANARY),
    }


def _dump_database(folder: Path) -> tuple[str, dict]:
    """The database file and the row counts of that very copy."""
    if _engine() == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        with copy:
            connection.connection.backup(copy)
        counts = {t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _sqlite_tables(copy)}  # noqa: S608
        copy.close()
        return target.name, counts
    target = folder / "database.dump"
    # Count and dump one snapshot: pg_dump joins the snapshot this transaction exports.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts()
        _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={target}"])
    return target.name, counts


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    return sorted(r[0] for r in rows)


def backup(output: Path | None = None) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    output = Path(output or settings.DATA_DIR / "backups" / f"shegong-{stamp}.tar.gz")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shegong-backup-") as tmp:
        folder = Path(tmp)
        database, counts = _dump_database(folder)
        roots = file_roots()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": _engine(),
            "database": database,
            "files": sorted(roots),
            "table_counts": counts,
            **_keys_manifest(),
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(folder / "manifest.json", "manifest.json")
            archive.add(folder / database, database)
            for alias, root in roots.items():
                if root.exists():
                    archive.add(root, f"files/{alias}")
        partial.chmod(0o600)  # encrypted personal data and their lookup hashes: readable by the owner only
        partial.replace(output)  # never a half-written archive under the final name
    return output


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError(_("This file is not a Shegong backup (it has no readable manifest).")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("This backup was made by another version of Shegong (format %(f)s).")
            % {"f": manifest.get("format")}
        )
    return manifest


def check_keys(manifest: dict) -> None:
    """Refuse unless the running keys can read everything the backup was encrypted with. No option skips this:
    restoring under other keys gives a database whose personal data nobody can read or find."""
    ring = fieldcrypto.keyring()
    missing = sorted(set(manifest["cipher_key_ids"]) - set(ring.ciphers))
    hash_ids = {k.vid for k in (ring.hash_key, *ring.previous_hash_keys)}
    if manifest["hash_key_id"] not in hash_ids:
        missing.append(manifest["hash_key_id"])
    readable = not missing
    if readable:
        try:
            readable = ring.decrypt(manifest["canary"]) == CANARY
        except fieldcrypto.DecryptError:
            readable = False
    if not readable:
        raise BackupError(
            _(
                "Refused: the encryption keys of this backup (fingerprint %(theirs)s) are not the keys configured "
                "now (fingerprint %(ours)s); missing key ids: %(missing)s. Configure FIELD_ENCRYPTION_KEY, "
                "FIELD_SM4_KEY and FIELD_HASH_KEY as they were when the backup was made, then restore again."
            )
            % {
                "theirs": manifest["key_fingerprint"][:16],
                "ours": ring.fingerprint()[:16],
                "missing": ", ".join(missing) or "-",
            }
        )


def _holds_data() -> bool:
    try:
        return get_user_model().objects.exists()
    except Exception:  # noqa: BLE001 (an empty database without tables holds nothing)
        return False


def _restore_database(folder: Path, manifest: dict) -> None:
    source = folder / manifest["database"]
    if manifest["engine"] == "sqlite":
        copy = sqlite3.connect(source)
        connection.ensure_connection()
        copy.backup(connection.connection)
        copy.close()
        return
    connections.close_all()  # pg_restore drops and recreates the tables this process may hold open
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ]
    )


def _restore_files(folder: Path, manifest: dict) -> None:
    roots = file_roots()
    for alias in manifest["files"]:
        root = roots.get(alias)
        if root is None:
            continue
        incoming = folder / "files" / alias
        root.mkdir(parents=True, exist_ok=True)
        # Replace the contents, not the folder: the folder may be a mount point or owned by another user.
        for child in root.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        if incoming.exists():
            for child in incoming.iterdir():
                shutil.move(str(child), root / child.name)


def sample_decrypts(limit: int = 20) -> int:
    """Read a sample of every protected table in clear; raises BackupError if any value cannot be read."""
    read = 0
    for table in protected_tables():
        try:
            for row in table.model._base_manager.order_by("pk").values_list(*table.encrypted)[:limit]:
                read += sum(1 for value in row if value)
        except fieldcrypto.DecryptError as exc:
            raise BackupError(
                _("The restored %(table)s cannot be decrypted with the configured keys.")
                % {"table": table.label}
            ) from exc
    return read


def restore(path: Path, *, force: bool = False) -> dict:
    """Restore ``path``; returns the manifest and the row counts that differ after restore (should be none)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("No backup file at %(path)s.") % {"path": path})
    with tarfile.open(path, "r:*") as archive:
        manifest = read_manifest(archive)
        if manifest["engine"] != _engine():
            raise BackupError(
                _("This backup is of a %(theirs)s database; this site runs on %(ours)s.")
                % {"theirs": manifest["engine"], "ours": _engine()}
            )
        check_keys(manifest)
        if _holds_data() and not force:
            raise BackupError(
                _(
                    "This database already holds data; restoring replaces all of it. Add --force to replace it."
                )
            )
        with tempfile.TemporaryDirectory(prefix="shegong-restore-") as tmp:
            archive.extractall(tmp, filter="data")
            _restore_database(Path(tmp), manifest)
            _restore_files(Path(tmp), manifest)
    fieldcrypto.forget()
    counts = table_counts()
    differ = {t: (n, counts.get(t)) for t, n in manifest["table_counts"].items() if counts.get(t) != n}
    return {"manifest": manifest, "differ": differ, "decrypted": sample_decrypts()}
