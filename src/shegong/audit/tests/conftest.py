import pytest
from django.urls import reverse


@pytest.fixture
def trail_rows(client):
    """``trail_rows(params)``: the rows of the audit trail's page as the presenter words them (the client is
    logged in as the auditor)."""

    def read(params=None) -> list[dict]:
        table = client.get(reverse("audit:list"), params or {}).context["table"]
        return [table.presented(row.record) for row in table.page.object_list]

    return read
