"""The one place that maps errors to HTTP responses.

Every error body is JSON, ``{"error": <code>, "message": <text>}``, and never carries a stack
trace or a file path::

    graph error               status  code
    ------------------------  ------  -------------------
    ArticleTooLarge           413     article_too_large
    InvalidFacts              422     invalid_facts
    InputError (others)       400     invalid_input, decoding_error, empty_article
    QueryTimeout              503     query_timeout
    QueryRefused              400     query_refused
    QueryError                400     query_error
    NotFound                  404     not_found
    StoreError                503     store_unavailable (message kept in the log only)
    ExtractionError           500     extraction_failed
    RequestValidationError    422     invalid_request
    HTTPException             its     its detail's code (e.g. not_acceptable for 406)
    anything else             500     internal_error (logged with its traceback)

Examples
--------
>>> status_for(QueryTimeout("slow"))
(503, 'query_timeout')
>>> scrub_paths("could not open /srv/cmkg/var/store: locked; see https://w3id.org/cmkg/x")
'could not open <path>: locked; see https://w3id.org/cmkg/x'
>>> scrub_paths("POST /sparql/update; var/store/000020.sst is missing")
'POST /sparql/update; <path> is missing'
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from cmkg.graph.errors import (
    ArticleTooLarge,
    CmkgError,
    DecodingError,
    EmptyArticleError,
    ExtractionError,
    InputError,
    InvalidFacts,
    NotFound,
    QueryError,
    QueryRefused,
    QueryTimeout,
    StoreError,
)

__all__ = ["error_response", "install_error_handlers", "scrub_paths", "status_for"]

log = logging.getLogger("cmkg.api")

#: Most specific first.
_STATUS: tuple[tuple[type[CmkgError], int, str], ...] = (
    (ArticleTooLarge, 413, "article_too_large"),
    (InvalidFacts, 422, "invalid_facts"),
    (DecodingError, 400, "decoding_error"),
    (EmptyArticleError, 400, "empty_article"),
    (InputError, 400, "invalid_input"),
    (QueryTimeout, 503, "query_timeout"),
    (QueryRefused, 400, "query_refused"),
    (QueryError, 400, "query_error"),
    (NotFound, 404, "not_found"),
    (StoreError, 503, "store_unavailable"),
    (ExtractionError, 500, "extraction_failed"),
)

_FS_ROOTS = (
    "home|tmp|var|srv|usr|opt|etc|root|work|mnt|media|proc|sys|dev|run|app|data|lib|bin|nix"
    "|private|Users|Volumes"
)
_PATH = re.compile(
    r"(?<![\w:/.\-~%@])(?:"
    rf"(?:~|\.{{1,2}})?/(?:{_FS_ROOTS})(?:/[\w.\-@+]+)+/?"  # /home/..., /tmp/..., ~/...
    r"|~/[\w.\-@+/]+"  # a home-relative path
    r"|/(?:[\w.\-@+]+/){2,}[\w.\-@+]*"  # any absolute path three segments deep
    r"|(?:[\w.\-@+]+/)+[\w\-@+]+\.(?:sst|log|ldb|py|pyc|so|ttl|nq|nt|csv|json|txt)\b"
    r"|[A-Za-z]:\\[^\s'\"]+"  # Windows
    r")"
)


def status_for(exc: CmkgError) -> tuple[int, str]:
    """The HTTP status and error code for a graph error."""
    for cls, status, code in _STATUS:
        if isinstance(exc, cls):
            return status, code
    return 500, "internal_error"


def scrub_paths(message: str) -> str:
    """Replace file-system paths in a message (IRIs are kept)."""
    return _PATH.sub("<path>", message)


def error_response(
    status: int, code: str, message: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """A JSON error body in the house shape."""
    body = {"error": code, "message": scrub_paths(message), **extra}
    return JSONResponse(body, status_code=status, headers=headers)


def _code_for_status(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


async def _cmkg_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CmkgError)
    status, code = status_for(exc)
    message = str(exc) or code.replace("_", " ")
    headers: dict[str, str] = {}
    if isinstance(exc, StoreError):
        log.error(
            "store error",
            extra={"path": request.url.path, "error": type(exc).__name__, "detail": str(exc)},
        )
        message = "the store is unavailable; try again shortly"
        headers["Retry-After"] = "5"
    elif status >= 500:
        log.error("%s", code, extra={"path": request.url.path, "detail": str(exc)})
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None and isinstance(exc, QueryError):
        metrics.rejected(code)
    return error_response(status, code, message, headers=headers or None)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail
    if isinstance(detail, dict):
        code = str(detail.get("error", _code_for_status(exc.status_code)))
        message = str(detail.get("message", ""))
    else:
        code = _code_for_status(exc.status_code)
        message = str(detail) if detail else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, code, message, headers=headers)


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("query", "path", "header", "cookie", "body"):
        where = {"query": "query parameter", "path": "path parameter", "body": "body field"}
        kind = where.get(parts[0], parts[0])
        return f"{kind} {'.'.join(parts[1:])!r}" if parts[1:] else kind
    return ".".join(parts) or "request"


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        {"location": _location(err.get("loc", ())), "problem": str(err.get("msg", "invalid"))}
        for err in exc.errors()
    ]
    message = "; ".join(f"{d['location']}: {d['problem']}" for d in details) or "invalid request"
    return error_response(422, "invalid_request", message, details=details)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.error(
        "unexpected error",
        exc_info=exc,
        extra={"path": request.url.path, "method": request.method},
    )
    return error_response(500, "internal_error", "an unexpected error occurred; it has been logged")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(CmkgError, _cmkg_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
