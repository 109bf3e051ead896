"""The ticket list keeps to the user's county and filters the same rows on its page, in the API and in its
export (shegong.testing.assert_list_scoped)."""

import pytest

from shegong.hotline.tests.factories import make_ticket
from shegong.testing import list_scope_test

pytestmark = pytest.mark.django_db


def _ticket(code, mark, matches):
    make_ticket(code, category="needs" if matches else "policy", summary=mark)


test_tickets = list_scope_test(
    {"hotline.tickets": ("hotline:ticket_list", "/api/v1/tickets/", _ticket, {"category": "needs"})}
)
