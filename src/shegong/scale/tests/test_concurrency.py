"""The concurrency benchmark's load (scale/concurrency.py): every request of the mix, as the load generator
builds it for each kind of user, is answered by the app (pages and lists 200, writes 201 with the row written),
and the summary counts what it should. gunicorn itself is not started here (that is the benchmark's run)."""

import json
import random

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from shegong.casework.models import ServiceRecord
from shegong.clients.models import Visit
from shegong.scale import concurrency, timed_wsgi
from shegong.scale.tests.test_scale import _tiny


def _send(client: Client, method: str, url: str, headers: dict, body):
    extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    extra.pop("HTTP_CONTENT_TYPE", None)
    if method == "POST":
        return client.post(url, data=body, content_type="application/json", **extra)
    return client.get(url, **extra)


@pytest.mark.django_db
def test_every_request_of_the_mix_is_answered():
    _tiny()
    admins, workers = concurrency.actors("52")
    assert admins[0].username == "bench-admin-52" and len(admins) > 1  # the province and its counties
    assert workers and all(w.station and w.items and w.people for w in workers)
    rng = random.Random(5)
    today = timezone.localdate().isoformat()
    client = Client()
    for actor in (admins[0], admins[1], workers[0]):
        for kind in concurrency.MIX:
            method, url, headers, body = concurrency.request_for(kind, actor, workers[0], rng, today)
            response = _send(client, method, url, headers, body)
            expected = 201 if kind == "write" else 200
            assert response.status_code == expected, (actor.username, kind, url, response.content[:300])
    marked = ServiceRecord.objects.filter(note=concurrency.MARK).count()
    marked += Visit.objects.filter(findings=concurrency.MARK).count()
    assert marked == 3  # one write per user above, each by the social worker


@pytest.mark.django_db
def test_both_kinds_of_write_are_valid():
    _tiny()
    _, workers = concurrency.actors("52")
    writer, client = workers[0], Client()
    today = timezone.localdate().isoformat()
    urls = set()
    for seed in range(12):
        method, url, headers, body = concurrency.request_for(
            "write", writer, writer, random.Random(seed), today
        )
        assert _send(client, method, url, headers, body).status_code == 201
        urls.add(url)
        if "service-records" in url:
            assert json.loads(body)["station"] == writer.station
    assert urls == {"/api/v1/service-records/", "/api/v1/visits/"}
    assert ServiceRecord.objects.filter(note=concurrency.MARK, station_id=writer.station).exists()
    assert Visit.objects.filter(findings=concurrency.MARK, person_id__in=writer.people).exists()


def test_the_summary_counts_errors_and_percentiles():
    results = [("people list", float(ms), 200) for ms in range(1, 101)]
    results += [("write", 5.0, 201), ("write", 7.0, 500), ("api people", 3.0, 0), ("workbench", 9.0, 302)]
    level = {"users": 2, "results": results, "used": {"wall": 2.0}}
    summary = concurrency.summarize(level)
    assert summary["rate"] == 52.0
    count, p50, p95, p99, errors = summary["rows"]["people list"]
    assert (count, p50, p95, p99, errors) == (100, 50.0, 95.0, 99.0, 0)
    assert summary["rows"]["write"][4] == 1  # the 500
    assert summary["rows"]["api people"][4] == 1  # a failed connection
    assert summary["rows"]["workbench"][4] == 0  # a redirect is an answer
    assert summary["all"][0] == 104 and summary["all"][4] == 2
    assert summary["redirects"] == 1  # printed beside the errors: a page sent to the login page shows there
    assert summary["costs"] == {}  # no answer carried its cost


def test_the_summary_averages_what_each_page_type_cost_the_server():
    results = [
        ("people list", 40.0, 200, (30.0, 5.0, 8)),
        ("people list", 60.0, 200, (50.0, 7.0, 10)),
        ("write", 9.0, 201, concurrency.NO_TIMING),  # an answer without the header is not averaged
    ]
    summary = concurrency.summarize({"users": 1, "results": results, "used": {"wall": 1.0}})
    assert summary["costs"] == {"people list": (40.0, 6.0, 9.0)}
    header = "app;dur=12.50, db;dur=3.25;desc=7"
    assert concurrency.server_timing(header) == (12.5, 3.25, 7)
    assert concurrency.server_timing("") == concurrency.NO_TIMING


@pytest.mark.django_db
def test_the_benchmark_s_application_says_what_an_answer_cost():
    """scale/timed_wsgi.py: the served application with the thread's CPU and the SQL in Server-Timing."""
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, dict(headers)

    # The login page: its answer does not depend on the machine (/healthz is a 503 where no job worker runs).
    environ = RequestFactory().get("/accounts/login/").environ
    body = b"".join(timed_wsgi.application(environ, start_response))
    assert captured["status"].startswith("200") and "登录".encode() in body
    app, db, statements = concurrency.server_timing(captured["headers"]["Server-Timing"])
    assert app > 0 and db >= 0 and statements >= 0


def test_a_user_keeps_its_connection_and_reopens_a_closed_one():
    """The load generator's client (http.client, no dependency) sends over one kept-alive connection, and
    opens a new one when the server closed it, as gunicorn's sync workers do after every answer."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    connections = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            connections.append(self.client_address)

        def do_GET(self):
            close = self.path == "/close"
            self.send_response(204)
            self.send_header("Content-Length", "0")
            if close:
                self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = close

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = concurrency.KeepAlive(server.server_address[1])
        assert [client.send("GET", "/", {}, None)[0] for _ in range(3)] == [204, 204, 204]
        assert len(connections) == 1
        assert client.send("GET", "/close", {}, None)[0] == 204
        assert client.send("GET", "/", {}, None)[0] == 204
        assert len(connections) == 2
        client.close()
    finally:
        server.shutdown()
        server.server_close()


def test_paced_users_ask_at_the_rate_and_count_the_wait_behind_a_slow_answer(monkeypatch):
    """`--rate`: each user asks on a Poisson schedule, one request at a time, and a request that had to wait
    for the previous answer counts its latency from when it was due (a slow server cannot hide its queue)."""
    import time

    class Server:
        def __init__(self, port):
            self.pause = port  # the fake's "port" is how long each answer takes

        def send(self, method, url, headers, body):
            time.sleep(self.pause)
            return 200, concurrency.NO_TIMING

        def close(self):
            pass

    monkeypatch.setattr(concurrency, "KeepAlive", Server)
    actor = concurrency.Actor("w", "c", "t", [1], station=1, items=[1])

    def run(pause, every, seconds):
        results = []
        concurrency.user_loop(pause, actor, actor, time.monotonic() + seconds, 7, results, every)
        return results

    quick = run(0.0, 0.05, 2.0)  # asks 20 a second, each answered at once
    assert 15 <= len(quick) <= 70, len(quick)  # about 40: Poisson, not as fast as it can
    assert max(ms for _k, ms, *_ in quick) < 200
    closed = run(0.0, 0.0, 0.3)  # no think time: as fast as it is answered
    assert len(closed) > 10 * len(quick) * 0.3 / 2.0
    slow = run(0.1, 0.02, 1.0)  # asks 50 a second of a server that answers 10: the queue shows
    latencies = [ms for _k, ms, *_ in slow]
    assert len(slow) <= 12 and max(latencies) > 3 * min(latencies) and max(latencies) > 400
