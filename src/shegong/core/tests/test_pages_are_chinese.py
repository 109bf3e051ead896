"""Every page a role can open reads in Chinese: no English word is left untranslated in the visible text."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from shegong.core.tests.test_access_matrix import first_readers, route_url
from shegong.testing import MATRIX_USERS, verified_login

# Words that are the same in a Chinese UI: product and format names, and the test accounts' names.
ALLOWED = {
    "api",
    "excel",
    "xlsx",
    "xls",  # the legacy Excel format the import page takes
    "openapi",
    "echarts",
    "totp",
    "bearer",
    "token",
    "ip",
    "json",
    "csv",
    "svg",
    "shegong",
    "swagger",
    "pdf",
    "word",  # the bulletin's editable version, named as offices name it beside Excel and PDF
    # algorithm names on the security administrator's page
    "aes",
    "fernet",
    "hmac",
    "sha",
    "gcm",
    *MATRIX_USERS,
}
WORD = re.compile(r"[A-Za-z]{3,}")


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<code\b[^>]*>.*?</code>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), list(first_readers(pages_only=True)))
def test_page_has_no_untranslated_english(name, index, role, users):
    _route, url = route_url(name, index, users)
    client = Client()
    verified_login(client, users[role])
    response = client.get(url)
    if not response["Content-Type"].startswith("text/html"):
        return
    words = {w for w in WORD.findall(visible_text(response.content.decode())) if w.lower() not in ALLOWED}
    assert not words, f"{name} as {role} shows untranslated words: {sorted(words)}"


@pytest.mark.django_db
def test_the_login_page_is_chinese():
    response = Client().get(reverse("accounts:login"))
    words = {w for w in WORD.findall(visible_text(response.content.decode())) if w.lower() not in ALLOWED}
    assert not words, sorted(words)
