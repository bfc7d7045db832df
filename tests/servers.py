"""Real servers on loopback for the HTTP tests: the app under uvicorn, and a canary.

:func:`running_app` starts ``uvicorn cmkg.api.app:create_app --factory`` in a subprocess on a
free 127.0.0.1 port with the given ``CMKG_*`` settings, waits for ``/health`` and stops it
(SIGTERM, then SIGKILL) on exit. :class:`Canary` is an HTTP server that records every request
it receives: a test points SERVICE, LOAD, FROM or a JSON-LD context at it and checks that it
heard nothing.
"""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["App", "Canary", "free_port", "running_app"]


@dataclass(frozen=True)
class App:
    """A running app: its base URL and the uvicorn process id."""

    url: str
    pid: int


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(settings: Mapping[str, str], *, startup_timeout: float = 60.0) -> Iterator[App]:
    """Run the app under uvicorn with ``settings`` (``CMKG_*`` variables) until the block ends."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMKG_")}
    env.update(settings)
    env["PYTHONUNBUFFERED"] = "1"
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in the finally below
        prefix="cmkg-uvicorn-", suffix=".log", delete=False
    )
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "cmkg.api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited:\n{Path(log.name).read_text()[-4000:]}")
            try:
                if httpx.get(f"{base}/health", timeout=1.0).json().get("status") == "ok":
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start:\n{Path(log.name).read_text()[-4000:]}")
            time.sleep(0.1)
        yield App(base, process.pid)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        log.close()
        keep = os.environ.get("CMKG_TEST_SERVER_LOG")  # a file to append the server's log to
        if keep:
            with open(keep, "a", encoding="utf-8") as out:
                out.write(Path(log.name).read_text(encoding="utf-8", errors="replace"))
        os.unlink(log.name)


class _Recorder(http.server.BaseHTTPRequestHandler):
    def _record(self) -> None:
        self.server.hits.append((self.command, self.path))  # type: ignore[attr-defined]
        body = b'{"@context": {"name": "http://schema.org/name"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_PUT = _record

    def log_message(self, format: str, *args: object) -> None:
        pass


class Canary:
    """An HTTP server on loopback that records what it is asked; use as a context manager."""

    def __init__(self) -> None:
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        self._server.hits = []  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def hits(self) -> list[tuple[str, str]]:
        """(method, path) of every request received."""
        return list(self._server.hits)  # type: ignore[attr-defined]

    def __enter__(self) -> Canary:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
