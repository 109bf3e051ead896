"""A database too busy to take a write, said as such: HTTP 503 with a Chinese message and Retry-After, never 500.

On SQLite one connection writes at a time; another writer waits up to the connection's ``timeout`` (settings:
SQLITE_BUSY_TIMEOUT) and then gets OperationalError "database is locked". Imports no longer hold the lock for
more than a batch (jobs/journal.py), so this is rare; when it happens the user is told to try again instead of
seeing a server error. Used by core.middleware (pages), core.views.error_500 (errors raised by middleware)
and api.errors (the API)."""

from django.db import OperationalError
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


def database_busy(exc: BaseException | None) -> bool:
    text = str(exc)
    return isinstance(exc, OperationalError) and (
        "database is locked" in text or "database table is locked" in text
    )


def busy_title() -> str:
    return _("System busy")


def busy_message() -> str:
    return _("The system is busy; please try again in a moment. Nothing you sent was saved.")
