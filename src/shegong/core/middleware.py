from django.conf import settings
from django.core.exceptions import BadRequest

from shegong.core.views import busy_response, error_413
from shegong.lib.busy import database_busy


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: every script, style, font and image comes from our own origin
    (the product runs on intranets without internet), and no inline script runs."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # Swagger UI (served from our static files by the sidecar) needs an inline bootstrap script.
            response.headers.setdefault(
                "Content-Security-Policy",
                self.POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
            )
        else:
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        # Location only for our own pages: a worker may attach it to a visit as evidence (issue 16.3), on a tap.
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_UPLOAD_MB with a 413 page (JSON under /api/)
    before a byte of the body is read: the form's own checks come only after Django has received the whole
    upload. A body sent without a Content-Length is not read at all by Django under WSGI, and the proxy's
    client_max_body_size caps it in front. An address holding a NUL is refused with a 400 page too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return error_413(request, settings.MAX_UPLOAD_MB)
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.path:
            # A NUL cannot be typed in a box, only put in an address; PostgreSQL holds none in a string, so a
            # search or filter handed one would end in a server error. Refused here, once, as a bad request.
            raise BadRequest("NUL in the address")
        return self.get_response(request)


class DatabaseBusyMiddleware:
    """A view whose write found the database busy (SQLite's lock held beyond its timeout) answers 503 with a
    Chinese message and Retry-After instead of a server error (lib/busy.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_busy(exception):
            return busy_response(request)
        return None
