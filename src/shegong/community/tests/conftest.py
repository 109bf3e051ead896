import pytest

from shegong.testing import verified_login


@pytest.fixture
def login(client):
    def log_in(user):
        verified_login(client, user)
        return client

    return log_in
