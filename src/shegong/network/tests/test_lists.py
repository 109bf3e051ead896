"""The facility list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped)."""

import pytest

from shegong.network.models import FacilityStatus
from shegong.network.tests.factories import make_facility
from shegong.testing import assert_list_scoped

pytestmark = pytest.mark.django_db


def test_facilities(users, client):
    def seed(code, mark, matches):
        status = FacilityStatus.OPERATING if matches else FacilityStatus.PLANNED
        make_facility(code if matches else f"{code}001", name=mark, status=status)

    assert_list_scoped(
        client,
        users,
        "network.facilities",
        page="network:facility_list",
        api="/api/v1/stations/",
        seed=seed,
        narrow={"status": "built_or_later"},
    )
