"""The facility list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped)."""

import pytest

from shegong.network.models import FacilityStatus
from shegong.network.tests.factories import make_facility
from shegong.testing import list_scope_test

pytestmark = pytest.mark.django_db


def _facility(code, mark, matches):
    status = FacilityStatus.OPERATING if matches else FacilityStatus.PLANNED
    make_facility(code if matches else f"{code}001", name=mark, status=status)


test_facilities = list_scope_test(
    {
        "network.facilities": (
            "network:facility_list",
            "/api/v1/stations/",
            _facility,
            {"status": "built_or_later"},
        )
    }
)
