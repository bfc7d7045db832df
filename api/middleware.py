"""ASGI middleware that makes the service safe to expose.

- :class:`BodyLimitMiddleware`: a request body over the limit is refused with 413, both from
  its ``Content-Length`` (before reading) and by counting what actually arrives (chunked
  bodies, lying headers). Query routes have the small query limit, others the upload limit.
- :class:`ReadOnlyCorsMiddleware`: ``Access-Control-Allow-Origin: *`` (never with credentials)
  on read requests only (``GET``/``HEAD`` anywhere, ``POST`` of a query to ``/sparql``); a
  preflight for anything else gets no CORS headers, so browsers do not send cross-origin writes.
- :class:`AccessLogMiddleware`: a request id (``X-Request-ID``), ``X-Content-Type-Options:
  nosniff``, the request-latency histogram and one JSON access-log line per request.

Pure ASGI (no ``BaseHTTPMiddleware``), so streaming responses are untouched.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Collection, MutableMapping
from typing import Any

from fastapi import HTTPException

from .observability import Metrics

__all__ = ["AccessLogMiddleware", "BodyLimitMiddleware", "BodyTooLarge", "ReadOnlyCorsMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[Scope, Receive, Send], Any]

log = logging.getLogger("cmkg.api.access")


class BodyTooLarge(HTTPException):
    """A request body over the route's limit (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            {
                "error": "payload_too_large",
                "message": f"the request body is larger than the {limit} bytes allowed here",
            },
        )


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: list[Any]) -> None:
    payload = json.dumps(body).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit_for(path)`` bytes with 413."""

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_json(
                        send,
                        400,
                        {"error": "bad_request", "message": "invalid Content-Length"},
                        [],
                    )
                    return
                if declared > limit:
                    error = BodyTooLarge(limit)
                    await _send_json(send, 413, error.detail, [(b"connection", b"close")])
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await _send_json(send, 413, exc.detail, [(b"connection", b"close")])


_CORS_HEADERS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"X-Result-Truncated, X-Request-ID, Content-Type"),
    (b"vary", b"Origin"),
]
_SAFE_REQUEST_HEADERS = {"accept", "content-type", "accept-language", "content-language"}


class ReadOnlyCorsMiddleware:
    """CORS for reads only: ``*`` origin, no credentials, no cross-origin writes."""

    def __init__(self, app: ASGIApp, *, read_post_paths: Collection[str] = ("/sparql",)) -> None:
        self.app = app
        self.read_post_paths = frozenset(read_post_paths)

    def _is_read(self, method: str, path: str) -> bool:
        return method in ("GET", "HEAD") or (method == "POST" and path in self.read_post_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1"): value for name, value in scope.get("headers", ())}
        origin = headers.get("origin")
        method = scope["method"]
        path = scope["path"]
        wanted = headers.get("access-control-request-method")
        if method == "OPTIONS" and origin is not None and wanted is not None:
            wanted_method = wanted.decode("latin-1").strip().upper()
            asked = {
                h.strip().lower()
                for h in headers.get("access-control-request-headers", b"").decode().split(",")
                if h.strip()
            }
            if self._is_read(wanted_method, path) and asked <= _SAFE_REQUEST_HEADERS:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 204,
                        "headers": [
                            *_CORS_HEADERS,
                            (b"access-control-allow-methods", b"GET, HEAD, POST"),
                            (b"access-control-allow-headers", b"Accept, Content-Type"),
                            (b"access-control-max-age", b"600"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
            await _send_json(
                send,
                403,
                {
                    "error": "cors_refused",
                    "message": "cross-origin requests are allowed for reads only "
                    "(GET, HEAD, and POST of queries to /sparql), without credentials",
                },
                [],
            )
            return
        if origin is None or not self._is_read(method, path):
            await self.app(scope, receive, send)
            return

        async def cors_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if not k.lower().startswith(b"access-control-") and k.lower() != b"vary"
                ]
                vary = [v for k, v in message.get("headers", []) if k.lower() == b"vary"]
                merged_vary = b", ".join([*vary, b"Origin"])
                message["headers"] = [*existing, *_CORS_HEADERS[:2], (b"vary", merged_vary)]
            await send(message)

        await self.app(scope, receive, cors_send)


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")


class AccessLogMiddleware:
    """Request id, ``nosniff``, latency histogram and a JSON access log line."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope.get("headers", ()) if k == b"x-request-id"), b"")
        given_text = given.decode("latin-1")
        request_id = given_text if _REQUEST_ID.match(given_text) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def logged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                if not any(k.lower() == b"x-content-type-options" for k, _ in headers):
                    headers.append((b"x-content-type-options", b"nosniff"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, logged_send)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "<unmatched>"
            self.metrics.request_seconds.labels(
                method=scope["method"], route=template, status=str(status)
            ).observe(elapsed)
            log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": scope["path"],
                    "route": template,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
