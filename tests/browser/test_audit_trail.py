"""The audit officer reads the trail the other browser tests left behind (so this test runs last)."""

import pytest
from playwright.sync_api import Page, expect


def _rows(page: Page) -> list[dict]:
    """The table's entries; the single "no entries match" row is not one."""
    keys = ["time", "user", "ip", "event", "object_type", "object", "changes", "outcome"]
    rows = []
    for row in page.locator("[data-testid=audit-table] tbody tr").all():
        cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
        if len(cells) == len(keys):
            rows.append(dict(zip(keys, cells, strict=True)))
    return rows


def _search(page: Page, *, q: str = "", event: str = "") -> list[dict]:
    page.goto("/audit/")
    page.fill("input[name=q]", q)
    if event:
        page.select_option("select[name=event]", event)
    with page.expect_navigation():
        page.get_by_test_id("filter-apply").click()
    return _rows(page)


@pytest.mark.last
def test_auditor_sees_the_logins_and_failed_logins_of_the_other_browser_tests(
    page, login, shot, chinese, menu
):
    login(page, "auditor")
    menu(page, "/audit/")
    expect(page.get_by_test_id("audit-table")).to_be_visible()
    chinese(page.locator("h1"))
    everything = _rows(page)
    assert everything, "the audit trail is empty"
    shot(page, "18-audit-trail")

    logins = _search(page, q="county", event="login")
    users = {row["user"] for row in logins}
    assert "county" in users, f"no login of county in {logins[:5]}"
    assert all(row["ip"] == "127.0.0.1" for row in logins), logins[:5]
    assert all(row["outcome"] == logins[0]["outcome"] for row in logins)
    chinese(logins[0]["event"])
    chinese(logins[0]["outcome"])
    shot(page, "19-audit-county-logins")

    for username in ("worker", "auditor"):
        assert any(row["user"] == username for row in _search(page, q=username, event="login")), username

    failed = [row for row in _search(page, q="county2", event="login_failed") if row["user"] == "county2"]
    assert len(failed) >= 5, f"expected the five wrong passwords of county2, found {len(failed)}"
    chinese(failed[0]["event"])
    assert failed[0]["outcome"] != logins[0]["outcome"], "a failed login is shown with the success outcome"
    shot(page, "20-audit-county2-failed-logins")

    # The rejected and the accepted population imports: the accepted one changed regions as county.
    changes = [row for row in _search(page, q="county", event="update") if row["user"] == "county"]
    assert changes, "the population import left no change in the trail"
