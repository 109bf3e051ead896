"""Wrong passwords: a Chinese message each time, and the fifth locks the account (django-axes).

This test locks `county2` for the rest of the session (30 minutes): no other browser test may log in as it.
"""

from playwright.sync_api import expect

LOCKED_ACCOUNT = "county2"
FAILURE_LIMIT = 5  # LOGIN_FAILURE_LIMIT's default


def _form_error(page):
    error = page.locator("form .alert-danger")
    expect(error).to_have_count(1)
    return error.inner_text().strip()


def test_wrong_passwords_show_a_chinese_error_and_the_fifth_locks_the_account(page, login, shot, chinese):
    response = login(page, LOCKED_ACCOUNT, "Wrong-password-1")
    assert response.status == 200, f"a wrong password should re-show the form, got HTTP {response.status}"
    assert page.url.endswith("/accounts/login/")
    message = chinese(_form_error(page))
    assert "密码" in message, message
    assert "锁定" not in message
    expect(page.locator("#id_username")).to_have_value(LOCKED_ACCOUNT)
    expect(page.get_by_test_id("whoami")).to_have_count(0)  # not logged in
    shot(page, "08-login-wrong-password")

    for attempt in range(2, FAILURE_LIMIT):
        response = login(page, LOCKED_ACCOUNT, f"Wrong-password-{attempt}")
        assert response.status < 500
        assert "锁定" not in _form_error(page), f"locked already after {attempt} failures"

    response = login(page, LOCKED_ACCOUNT, f"Wrong-password-{FAILURE_LIMIT}")
    assert response.status < 500, f"the locking attempt answered HTTP {response.status}"
    locked = chinese(_form_error(page))
    assert "锁定" in locked, (
        f"the {FAILURE_LIMIT}th failure should lock the account; the page says {locked!r}"
    )
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    shot(page, "09-login-locked")

    # Now even the right password is refused, with the same message.
    response = login(page, LOCKED_ACCOUNT)
    assert response.status < 500
    assert page.url.endswith("/accounts/login/")
    assert "锁定" in _form_error(page)
    expect(page.get_by_test_id("whoami")).to_have_count(0)
