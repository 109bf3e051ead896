"""Serve the demo: the web server and, beside it, a job worker, so background jobs need no other service."""

import ctypes
import os
import signal
import socket
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from shegong.lib.demo import refuse_outside_demo


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM when the demo process ends, however it ends."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Command(BaseCommand):
    help = "Run the development server and a database-backed job worker together (demo mode)."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args, **options):
        refuse_outside_demo("rundemo")
        host, port = options["host"], int(options["port"])
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError as exc:
                raise CommandError(f"port {port} is in use; run with PORT=<another port> make demo") from exc
        worker = subprocess.Popen(
            [sys.executable, "-m", "shegong", "db_worker", "--interval", "0.5", "--no-reload"],
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        self.stdout.write(f"job worker started (pid {worker.pid})")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
