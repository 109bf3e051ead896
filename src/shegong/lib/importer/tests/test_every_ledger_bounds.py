"""Every ledger on the engine refuses what is not a ledger before reading it (issue 13, item 3): a zip bomb
(4 MB that unpack to a gigabyte) is refused from the archive's directory in under a second and without
inflating it, and a corpus of bad files (empty, renamed text, truncated, OLE garbage, NUL bytes, the ledger's
own template with no row) each gets a Chinese message; none writes anything.

One test per registered ledger, so that a ledger added later is covered without being named here. The
ledger-specific bad files (formulas, 10,000-character cells) are in test_pages_and_api.py."""

import re
import time
import tracemalloc

import pytest

from shegong.jobs.models import JobWrite
from shegong.jobs.registry import JobError
from shegong.lib.importer.engine import check_file
from shegong.lib.importer.ledger import LEDGERS
from shegong.lib.importer.models import HeldRow, ImportedRow
from shegong.lib.importer.workbooks import ledger_template
from shegong.lib.tests.test_uploads import OLE, zip_bomb

CHINESE = re.compile("[\u4e00-\u9fff]")
KEYS = sorted(LEDGERS)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb(1.0)


def _importer(users, ledger):
    for name in ("county", "worker", "prefecture", "province", "sysadmin"):
        if users[name].can(ledger.capability):
            return users[name]
    raise AssertionError(f"no matrix role may import {ledger.key}")


def _counts(ledger) -> list[int]:
    models = [*ledger.models, ImportedRow, HeldRow, JobWrite]
    return [model._base_manager.count() for model in models]


def test_every_ledger_is_covered():
    assert len(KEYS) >= 10 and "casework.services" in KEYS and "community.donations" in KEYS


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_a_zip_bomb_is_refused_at_once_by_every_ledger(key, users, run, bomb):
    ledger = LEDGERS[key]
    user = _importer(users, ledger)
    before = _counts(ledger)

    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(JobError) as refused:
        check_file(user=user, ledger=ledger, data=bomb)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0, elapsed
    assert peak < 4 * 1024 * 1024, peak  # the directory is read, nothing inflated (the file is already held)
    assert CHINESE.search(str(refused.value)) and "MB" in str(refused.value)

    job = run(user, key, bomb, commit=True)  # the same through the job a confirmed upload runs
    assert job.status == "failed" and "MB" in job.message and CHINESE.search(job.message), job.message
    assert _counts(ledger) == before


def _bad_files(ledger, user) -> dict[str, bytes]:
    template = ledger_template(ledger, user)
    return {
        "empty": b"",
        "renamed text": "这不是表格，只是一段文字。\n".encode() * 3,
        "truncated": template[: len(template) // 2],
        "OLE garbage": OLE,
        "NUL bytes": b"\x00" * 4096,
        "header only": template,  # the ledger's own template: its header, its notes, no row
    }


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_bad_files_get_a_chinese_message_and_write_nothing_in_every_ledger(key, users, run):
    ledger = LEDGERS[key]
    user = _importer(users, ledger)
    before = _counts(ledger)
    for case, data in _bad_files(ledger, user).items():
        job = run(user, key, data, commit=True)
        text = job.message or job.result.get("message", "")
        assert CHINESE.search(text), (case, job.status, text)
        assert job.status == "failed" or job.result.get("ok") is False or job.result.get("written") == 0, (
            case,
            job.result,
        )
        assert _counts(ledger) == before, case
