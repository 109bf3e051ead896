"""Job kinds. A domain registers the function that does the work of one kind of job::

    @job_handler("regions.population_import")
    def population_import(job, progress): ...

The handler reads ``job.params`` and ``job.input_data``, calls ``progress(done, total)`` as it goes, and
returns the result dict (or raises JobError with a message for the user).
"""

from collections.abc import Callable

HANDLERS: dict[str, Callable] = {}


class JobError(Exception):
    """A failure to show to the user as it is (already translated)."""


def job_handler(kind: str):
    def register(func):
        HANDLERS[kind] = func
        return func

    return register
