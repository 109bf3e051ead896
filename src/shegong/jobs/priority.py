"""Job workers run at a lower CPU priority than the pages (issue 18, item 5).

An import or an export keeps a core busy for minutes; in the same machine as gunicorn it slowed pages 2-5x.
A worker process raises its own niceness to ``SHEGONG_JOB_NICENESS`` (default 10) before it takes a job, so
the kernel gives the pages' processes the CPU first and the job the rest. Linux keeps niceness per thread and
a new thread or process inherits it: the worker's threads and RQ's work-horse processes (forked per job) run
at the same niceness. Niceness can only be raised by an unprivileged process, never lowered back."""

import logging
import os

from django.conf import settings

logger = logging.getLogger("shegong.jobs")


def lower_priority() -> int:
    """Raise this process's niceness to the setting (never lower it) and return the niceness it now has."""
    target = max(0, min(19, int(getattr(settings, "SHEGONG_JOB_NICENESS", 10))))
    current = os.nice(0)
    if current < target:
        current = os.nice(target - current)
        logger.info("job worker %s runs at niceness %s", os.getpid(), current)
    return current
