"""django-auditlog's middleware with the client's address taken from ``shegong.lib.http.client_ip``.

auditlog's own middleware believes the leftmost X-Forwarded-For even with no proxy in front, so any client
could write the IP of its changes into the audit trail."""

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware

from shegong.lib.http import client_ip


class AuditlogMiddleware(_AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        # The port comes from a header as well; the audit trail does not need it.
        return None
