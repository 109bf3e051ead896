"""`shegong backup` / `shegong restore` round-trip a site (issue 13 item 12): people, workers and an uploaded
file are made, backed up, changed, and restored; every table's row count and every decrypted value is back,
and a restore under other keys is refused before anything is touched, with --force or without.

The commands run as a deployer runs them, in their own processes (demo settings, so the keys are the ones
derived from SECRET_KEY), against a copy of the test database: a file for SQLite, a scratch database for
PostgreSQL. Which one depends on the DATABASE_URL the suite runs with."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

import shegong
from shegong.core.backup import CANARY, BackupError, _keys_manifest, check_keys

NEW_KEY = "q8Jtd1n8o0VJ1bm6PB9XWRsKgGqEn9B3o0yNV7m5uZ8="
SRC = str(Path(shegong.__file__).resolve().parent.parent)

MAKE = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from shegong.clients.tests.factories import make_person
from shegong.workforce.tests.factories import make_id, make_station, make_worker
make_person(name="王秀英", phone="13912345678")
make_person(name="李桂兰")
make_worker(make_station("522301001"), name="张伟", id_number=make_id(sequence=357), phone="13800000000")
default_storage.save("evidence/record.txt", ContentFile("走访记录".encode()))
"""

CHANGE = """
from django.core.files.storage import default_storage
from shegong.clients.tests.factories import id_number, make_person
from shegong.workforce.models import Worker
make_person(name="赵六", id_number=id_number(serial=777))  # each process counts serials from the start
worker = Worker.objects.get()
worker.phone = "13700000000"
worker.save()
default_storage.delete("evidence/record.txt")
"""

STATE = """
import json
from django.core.files.storage import default_storage
from shegong.clients.models import Person
from shegong.core.backup import table_counts
from shegong.workforce.models import Worker
people = [[p.name, p.id_number, p.phone] for p in Person.objects.order_by("pk")]
workers = [[w.name, w.id_number, w.phone] for w in Worker.objects.order_by("pk")]
upload = default_storage.open("evidence/record.txt").read().decode() if default_storage.exists("evidence/record.txt") else None
print(json.dumps({"counts": table_counts(), "people": people, "workers": workers, "upload": upload}))
"""


def _shegong(env: dict, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "shegong", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if ok:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def _state(env: dict) -> dict:
    return json.loads(_shegong(env, "shell", "-c", STATE).stdout.strip().splitlines()[-1])


def _environment(tmp_path: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELD_", "DATABASE_URL", "SHEGONG_"))}
    env.update(
        PYTHONPATH=SRC,
        SHEGONG_DEMO="1",  # no pytest in these processes: the demo's derived keys, which the tests share
        SHEGONG_DATA_DIR=str(tmp_path / "site"),
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="shegong.settings",  # not the test settings pytest exported: a deployer's run
    )
    return env


def _pg_tools_match_server() -> str:
    if not shutil.which("pg_dump"):
        return "pg_dump is not on PATH"
    client = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=False).stdout
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    client_major = int(client.split()[-1].split(".")[0]) if client else 0
    return "" if client_major >= server_major else f"pg_dump {client_major} cannot dump server {server_major}"


@pytest.fixture(scope="module")
def site_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database URL holding a copy of the migrated test database (with the division tree)."""
    folder = tmp_path_factory.mktemp("backup-db")
    with django_db_blocker.unblock():
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            target = folder / "site.sqlite3"
            copy = sqlite3.connect(target)
            connection.connection.backup(copy)  # outside any test transaction: the committed database
            copy.close()
            yield f"sqlite:///{target}"
            return
        reason = _pg_tools_match_server()
        if reason:
            pytest.skip(reason)
        yield from _pg_scratch(folder)


def _pg_scratch(folder: Path):
    db = connection.settings_dict
    scratch = f"{db['NAME']}_backup"
    env = {
        **os.environ,
        "PGHOST": db["HOST"] or "",
        "PGPORT": str(db["PORT"] or ""),
        "PGUSER": db["USER"] or "",
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    run = lambda *cmd: subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)  # noqa: E731
    run("dropdb", "--if-exists", scratch)
    run("createdb", scratch)
    run("pg_dump", "--format=custom", f"--file={folder / 'seed.dump'}", db["NAME"])
    run("pg_restore", "--no-owner", f"--dbname={scratch}", str(folder / "seed.dump"))
    user = f"{db['USER']}@" if db["USER"] else ""
    yield f"postgres://{user}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{scratch}"
    run("dropdb", "--if-exists", scratch)


@pytest.mark.django_db  # only so that pytest-django makes the test database the copy is taken from
def test_backup_and_restore_round_trip_rows_personal_data_and_files(site_database, tmp_path):
    env = _environment(tmp_path, site_database)
    archive = tmp_path / "site.tar.gz"
    _shegong(env, "shell", "-c", MAKE)
    before = _state(env)
    assert before["upload"] == "走访记录" and len(before["people"]) == 2

    written = _shegong(env, "backup", "--output", str(archive))
    assert "备份已写入" in written.stdout and str(archive) in written.stdout  # the operator reads Chinese
    assert oct(archive.stat().st_mode)[-3:] == "600"
    _shegong(env, "shell", "-c", CHANGE)
    changed = _state(env)
    assert changed["counts"] != before["counts"] and changed["upload"] is None

    refused = _shegong(env, "restore", str(archive), ok=False)  # a database with data needs --force
    assert refused.returncode != 0 and "--force" in refused.stderr
    other_keys = {**env, "FIELD_ENCRYPTION_KEY": NEW_KEY}
    refused = _shegong(other_keys, "restore", "--force", str(archive), ok=False)
    assert refused.returncode != 0 and "指纹" in refused.stderr  # the keys' fingerprints, in Chinese
    assert _state(env) == changed  # refused before anything was touched

    restored = _shegong(env, "restore", "--force", str(archive))
    assert "备份中" not in restored.stderr  # no table's count differs
    assert "已恢复" in restored.stdout and "shegong migrate" in restored.stdout
    after = _state(env)
    assert after["counts"] == before["counts"]  # every table, row for row
    assert after["people"] == before["people"] and after["workers"] == before["workers"]  # decrypted values
    assert after["upload"] == "走访记录"


def test_the_key_check_refuses_other_keys_and_accepts_a_superset(settings):
    from shegong.lib import fieldcrypto

    manifest = _keys_manifest()
    check_keys(manifest)  # the same keys
    backup_key = fieldcrypto.keyring().fernet_keys[0].decode()
    assert CANARY not in manifest["canary"] and backup_key not in json.dumps(manifest)  # ids, never keys
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(BackupError) as refused:
        check_keys(manifest)
    assert manifest["cipher_key_ids"][0] in str(refused.value)  # names the missing key id, never a key
    assert backup_key not in str(refused.value)
    # The new key first and the backup's key still listed (a rotation under way): the backup is readable.
    settings.FIELD_ENCRYPTION_KEY = f"{NEW_KEY},{backup_key}"
    settings.FIELD_HASH_KEY = "derived"
    check_keys(manifest)
