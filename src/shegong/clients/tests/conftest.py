import pytest


@pytest.fixture
def jobs_run_at_once(monkeypatch):
    """Jobs are queued after commit; tests run in a transaction that never commits, so run them at once."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())
