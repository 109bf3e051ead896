"""The client's IP address, decided here and nowhere else: the audit trail, the login lockout (django-axes's
AXES_CLIENT_IP_CALLABLE) and the logs all call ``client_ip``."""

import logging

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    """The address of the client that sent ``request``.

    With TRUSTED_PROXY_COUNT = 0 (no proxy of ours in front) only the connection's address counts: an
    X-Forwarded-For header is written by the client and is ignored. With N trusted proxies, each appends the
    address it received the request from, so the client is the Nth address from the right end of the header;
    whatever stands to its left the client may have forged. A header shorter than that (a request that did
    not pass through every proxy) falls back to the connection's address.
    """
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        # ipware counts the proxies named inside the header; the nearest proxy is the connection itself.
        address, _routable = get_client_ip(
            request, proxy_count=proxies - 1, request_header_order=["HTTP_X_FORWARDED_FOR"], strict=False
        )
        if address:
            return address
    address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address


class ClientIpLogFilter(logging.Filter):
    """Adds ``client_ip`` to every log record: the request's client when the record carries a request
    (django.request does), else "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.client_ip = (client_ip(request) if hasattr(request, "META") else None) or "-"
        return True
