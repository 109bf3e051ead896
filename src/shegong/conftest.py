"""Shared test fixtures: the division tree of Guizhou (plus the upper levels of the country), loaded once
per test database, and one account per role of the permission matrix."""

import pytest
from django.core.management import call_command

from shegong.testing import PASSWORD, make_matrix_users, verified_login


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from shegong.regions.models import Region

        if not Region.objects.filter(code="522301").exists():
            call_command("load_regions", province=["52"], verbosity=0)


@pytest.fixture
def users(db):
    """Accounts keyed by matrix role name: sysadmin, auditor, security, province, prefecture, county, county2,
    worker, leader."""
    return make_matrix_users()


@pytest.fixture
def login(client):
    """``login(user)``: the test client logged in as ``user`` with the second factor verified."""

    def log_in(user):
        verified_login(client, user)
        return client

    return log_in


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
