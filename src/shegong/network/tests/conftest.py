import pytest

from shegong.testing import verified_login


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def login(client):
    def log_in(user):
        verified_login(client, user)
        return client

    return log_in
