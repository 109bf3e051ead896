"""Job workers run at a lower CPU priority than the pages (issue 18, item 5; jobs/priority.py).

Each check runs in a process of its own, since niceness can be raised but never lowered back: the process
runs the real `db_worker` and `rqworker` commands, with the libraries' worker loops replaced by a function
that reports the process's niceness at the moment the worker would start taking jobs."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

import shegong

SCRIPT = """
import json, os
import django
django.setup()
from django.core.management import call_command
from django_rq.management.commands import rqworker as rq
from django_tasks_db.management.commands import db_worker as db

seen = {}
def report(name):
    def handle(self, *args, **options):
        seen[name] = os.nice(0)
    return handle
db.Command.handle = report("db_worker")
call_command("db_worker")
rq.Command.handle = report("rqworker")
call_command("rqworker")
print(json.dumps(seen))
"""


def _run(niceness: int, start_at: int = 0) -> dict:
    # The production settings, as a deployed worker has them (the test settings run jobs in-process).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shegong.settings",
        "SHEGONG_DEMO": "1",
        "SHEGONG_JOB_NICENESS": str(niceness),
        "PYTHONPATH": str(Path(shegong.__file__).resolve().parent.parent),
    }
    for name in ("SHEGONG_TESTING", "REDIS_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        preexec_fn=(lambda: os.nice(start_at)) if start_at else None,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_worker_commands_are_ours():
    assert get_commands()["db_worker"] == "shegong.jobs"
    assert get_commands()["rqworker"] == "shegong.jobs"


def test_a_job_worker_raises_its_niceness_to_the_setting():
    base = os.nice(0)
    assert base <= 16, "the test runner itself runs at a niceness too high to see a change"
    target = base + 3
    assert _run(target) == {"db_worker": target, "rqworker": target}
    assert os.nice(0) == base  # the test process itself is untouched


def test_a_worker_started_lower_keeps_its_niceness():
    base = os.nice(0)
    assert base <= 14
    assert _run(base + 2, start_at=5) == {"db_worker": base + 5, "rqworker": base + 5}
