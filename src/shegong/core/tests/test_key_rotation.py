"""Key rotation and the national algorithms (issue 13 items 5 and 11; docs/security.md 密钥管理).

People and workers are made under one set of keys, the keys (and the algorithm) change, and `rotate_keys`
moves every row: the person is still found by ID number before, during and after, every value decrypts, and
one person still has one file."""

import base64
import hashlib
import io

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Cast

from shegong.clients import selectors as client_selectors
from shegong.clients.models import Person
from shegong.clients.tests.factories import actor_for, id_number, make_person
from shegong.core.keys import rotate_keys
from shegong.core.models import KeyRotation
from shegong.lib import fieldcrypto
from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the fixture)
from shegong.lib.pii import decrypt, encrypt, hash_candidates, hash_in, lookup_hash
from shegong.workforce.models import Worker
from shegong.workforce.tests.factories import make_id, make_station, make_worker

NEW_FERNET = "q8Jtd1n8o0VJ1bm6PB9XWRsKgGqEn9B3o0yNV7m5uZ8="
SM4_KEY = "00112233445566778899aabbccddeeff"
NEW_HASH_KEY = "a-lookup-hash-key-of-at-least-thirty-two-characters"


def _demo_fernet(settings) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()).decode()


def _raw(model, *fields) -> list[dict]:
    """What the database holds (the cast stops the field from decrypting on read)."""
    casts = {f"raw_{f}": Cast(f, output_field=models.TextField()) for f in fields}
    return list(model.objects.order_by("pk").annotate(**casts).values("pk", "id_number_hash", *casts))


# --- the national algorithms, against the standards' examples -------------------------------------------


def test_sm4_matches_the_example_of_gb_t_32907():
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm3_matches_the_example_of_gb_t_32905():
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")
    assert digest.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm4_round_trip_is_authenticated_and_names_its_key(settings):
    settings.FIELD_CRYPTO = "sm4"
    settings.FIELD_SM4_KEY = SM4_KEY
    token = encrypt("52230119900101123X")
    kid = "s" + fieldcrypto.key_id(bytes.fromhex(SM4_KEY))
    assert token.startswith(kid + ":") and "52230119900101123X" not in token
    assert decrypt(token) == "52230119900101123X"
    assert encrypt("same") != encrypt("same")  # a fresh nonce per value
    assert lookup_hash("52230119900101123x").startswith("m")  # HMAC-SM3
    body = base64.urlsafe_b64decode(token.split(":")[1] + "==")
    altered = kid + ":" + base64.urlsafe_b64encode(body[:-1] + bytes([body[-1] ^ 1])).decode().rstrip("=")
    with pytest.raises(ValueError, match="cannot decrypt"):
        decrypt(altered)


def test_a_key_missing_from_the_settings_is_named_not_guessed(settings):
    settings.FIELD_CRYPTO = "sm4"
    settings.FIELD_SM4_KEY = SM4_KEY
    token = encrypt("13912345678")
    settings.FIELD_SM4_KEY = "ffeeddccbbaa99887766554433221100"
    with pytest.raises(ValueError, match="is not configured"):
        decrypt(token)


# --- rotation ---------------------------------------------------------------------------------------------


@pytest.fixture
def files(db):
    """Two people and two workers under the starting keys; one person stored in the format written before
    keys had ids (bare Fernet token, hexadecimal hash), as every database made before this change is."""
    people = [make_person(phone="13912345678"), make_person()]
    station = make_station("522301001")
    workers = [make_worker(station, id_number=make_id(sequence=n), phone="13800000000") for n in (211, 213)]
    old = people[1]
    legacy = fieldcrypto.HashKey(
        fieldcrypto.FERNET, fieldcrypto.keyring().previous_hash_keys[-1].key, legacy=True
    )
    from cryptography.fernet import Fernet

    Person.objects.filter(pk=old.pk).update(id_number_hash=legacy.digest(old.id_number))
    token = Fernet(fieldcrypto.keyring().fernet_keys[0]).encrypt(old.id_number.encode()).decode()
    Person.objects.filter(pk=old.pk).update(id_number=models.Value(token))
    return people, workers


def _assert_found_readable_and_unique(people, workers):
    actor = actor_for(people[0].region_id)
    for person in people:
        found = client_selectors.person_by_id_number(user=actor, id_number=person.id_number)
        assert found is not None and found.pk == person.pk
        assert Person.objects.get(pk=person.pk).id_number == person.id_number
    for worker in workers:
        assert Worker.objects.get(hash_in("id_number_hash", worker.id_number)).pk == worker.pk
        stored = Worker.objects.get(pk=worker.pk)
        assert (stored.id_number, stored.phone) == (worker.id_number, worker.phone)
    with pytest.raises(ValidationError, match="一人一档"):
        make_person(id_number=people[1].id_number)
    with pytest.raises(ValidationError):
        make_worker(make_station("522301002"), id_number=workers[0].id_number)


def _all_current(model, *fields) -> bool:
    ring = fieldcrypto.keyring()
    for row in _raw(model, *fields):
        if not ring.is_current_hash(row["id_number_hash"]):
            return False
        if any(row[f"raw_{f}"] and not ring.is_current_ciphertext(row[f"raw_{f}"]) for f in fields):
            return False
    return True


def test_rotating_both_keys_keeps_every_person_findable_and_readable(files, settings):
    people, workers = files
    settings.FIELD_ENCRYPTION_KEY = f"{NEW_FERNET},{_demo_fernet(settings)}"
    settings.FIELD_HASH_KEY = f"{NEW_HASH_KEY},derived"
    assert not _all_current(Person, "id_number", "phone")
    _assert_found_readable_and_unique(people, workers)  # during the rotation: old hashes still match

    rotation = rotate_keys(batch=1)

    assert rotation.finished_at is not None
    assert _all_current(Person, "id_number", "phone", "guardian_phone")
    assert _all_current(Worker, "id_number", "phone")
    assert len(hash_candidates(people[0].id_number)) == 1  # rotated: a single indexed equality again
    # The old keys can go: everything reads and matches under the new ones alone.
    settings.FIELD_ENCRYPTION_KEY = NEW_FERNET
    settings.FIELD_HASH_KEY = NEW_HASH_KEY
    _assert_found_readable_and_unique(people, workers)


def test_switching_from_fernet_to_sm4_keeps_lookups_working(files, settings):
    people, workers = files
    settings.FIELD_CRYPTO = "sm4"
    settings.FIELD_SM4_KEY = SM4_KEY
    _assert_found_readable_and_unique(people, workers)

    rotate_keys()

    rows = _raw(Person, "id_number")
    assert all(r["raw_id_number"].startswith("s") and r["id_number_hash"].startswith("m") for r in rows)
    settings.FIELD_ENCRYPTION_KEY = ""  # the Fernet key is no longer needed to read anything
    _assert_found_readable_and_unique(people, workers)
    assert _all_current(Worker, "id_number", "phone")


def test_an_interrupted_rotation_continues_where_it_stopped(files, settings):
    people, _workers = files
    settings.FIELD_HASH_KEY = NEW_HASH_KEY + ",derived"
    lines = []

    def stop_after_first_batch(line):
        lines.append(line)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotate_keys(batch=1, report=stop_after_first_batch)
    unfinished = KeyRotation.objects.get()
    assert unfinished.finished_at is None and unfinished.rows_changed == 1
    assert any(step["after"] > 0 for step in unfinished.progress.values())
    client_selectors.person_by_id_number(user=actor_for(people[0].region_id), id_number=people[1].id_number)

    printed = io.StringIO()
    call_command("rotate_keys", "--batch", "1", stdout=printed)
    # What the operator reads is Chinese: the run continued, each table's progress, the end.
    assert "继续" in printed.getvalue() and "服务对象 clients.Person：已检查" in printed.getvalue()
    assert "所有受保护的字段均已使用密钥" in printed.getvalue()
    status = io.StringIO()
    call_command("rotate_keys", "--status", stdout=status)
    assert "密钥轮换已于" in status.getvalue() and "已配置的密钥编号" in status.getvalue()

    finished = KeyRotation.objects.get()  # the same run, continued, not a new one
    assert finished.finished_at is not None
    # Every person and worker needed a new hash exactly once: nothing was done twice.
    assert finished.rows_changed == Person.objects.count() + Worker.objects.count()
    assert _all_current(Person, "id_number") and _all_current(Worker, "id_number")


def test_a_new_file_for_an_id_number_not_yet_rehashed_is_refused(files, settings):
    people, _workers = files
    settings.FIELD_HASH_KEY = NEW_HASH_KEY + ",derived"  # new hash key, nothing rotated yet
    assert not lookup_hash(people[0].id_number) == Person.objects.get(pk=people[0].pk).id_number_hash
    with pytest.raises(ValidationError, match="一人一档"):
        make_person(id_number=people[0].id_number)
    make_person(id_number=id_number())  # a new number is still accepted


def test_an_import_during_a_rotation_updates_the_file_it_finds_by_the_old_hash(db, settings, run):  # noqa: F811
    """A re-imported volunteer whose row still carries the old hash is updated, not registered twice."""
    from shegong.community.models import Volunteer
    from shegong.community.tests.factories import VILLAGE, actor_for, make_volunteer
    from shegong.lib.importer.tests.corpus import xlsx

    volunteer = make_volunteer(name="李志愿")
    settings.FIELD_HASH_KEY = NEW_HASH_KEY + ",derived"  # nothing rotated yet
    actor = actor_for(VILLAGE[:9])
    sheet = xlsx(
        [
            ["姓名", "身份证号码", "手机号", "所在村（社区）"],
            ["李志愿", volunteer.id_number, "13900001111", VILLAGE],
        ]
    )

    result = run(actor, "community.volunteers", sheet, commit=True).result

    assert result["ok"], result
    assert Volunteer.objects.count() == 1
    assert Volunteer.objects.get().phone == "13900001111"  # the one file, updated
    rotate_keys()
    assert _all_current(Volunteer, "id_number", "phone")
