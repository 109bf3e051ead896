"""The ticket list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped)."""

import pytest

from shegong.hotline.tests.factories import make_ticket
from shegong.testing import assert_list_scoped

pytestmark = pytest.mark.django_db


def test_tickets(users, client):
    def seed(code, mark, matches):
        make_ticket(code, category="needs" if matches else "policy", summary=mark)

    assert_list_scoped(
        client,
        users,
        "hotline.tickets",
        page="hotline:ticket_list",
        api="/api/v1/tickets/",
        seed=seed,
        narrow={"category": "needs"},
    )
