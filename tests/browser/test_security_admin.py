"""三员分立 seen in the browser: a locked account is released by the security administrator (安全管理员), on a
desktop and on a phone, and the security administrator reaches no personal data."""

import re

from playwright.sync_api import expect


def test_the_security_administrator_releases_a_locked_account(new_page, login, shot):
    page = new_page()
    for _attempt in range(5):
        login(page, "leader", password="wrong-password-1")
    expect(page.locator("form .alert-danger")).to_contain_text("锁定")

    admin = new_page()
    login(admin, "security")
    admin.goto("/accounts/security/")
    row = admin.get_by_test_id("lockouts").locator("tr", has_text="leader")
    expect(row).to_contain_text("5")
    expect(admin.get_by_test_id("security-settings")).to_contain_text("30")
    shot(admin, "90-security-lockouts")
    row.get_by_role("button", name="解除锁定").click()
    expect(admin.get_by_test_id("lockouts")).not_to_contain_text("leader")

    # The released user logs in at once; the security administrator is refused the people's files.
    login(page, "leader")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    response = admin.goto("/people/")
    assert response is not None and response.status == 403

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(phone, "security")
    phone.goto("/accounts/security/")
    expect(phone.locator("h1")).to_have_text("安全管理")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "91-phone-security")
