"""The production WSGI application, with what each answer cost the server in a ``Server-Timing`` header:
``app;dur=`` the CPU time of the thread that served it (middleware, view, templates, the database driver's
own work) and ``db;dur=`` the wall time of its SQL statements, ``;desc=`` their number.

Only the concurrency benchmark serves this (`shegong bench --concurrency`, scale/concurrency.py), to print the
CPU per page type as gunicorn's workers spend it; a deployment serves ``shegong.wsgi``. The time is taken when
the response starts (Django has rendered it by then); what runs after, closing the response, is not in it.
"""

import time

from django.db import connection

from shegong.wsgi import application as served


def application(environ, start_response):
    cpu = time.thread_time()
    statements = [0, 0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements[0] += 1
            statements[1] += time.perf_counter() - start

    def timed_start(status, headers, exc_info=None):
        spent = (time.thread_time() - cpu) * 1000
        headers = [
            *headers,
            ("Server-Timing", f"app;dur={spent:.2f}, db;dur={statements[1] * 1000:.2f};desc={statements[0]}"),
        ]
        return start_response(status, headers, exc_info)

    with connection.execute_wrapper(timed):
        return served(environ, timed_start)
