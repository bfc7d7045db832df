"""Metrics (Prometheus) and structured JSON logs for the service.

Each app has its own :class:`Metrics` registry (``app.state.metrics``), served at ``/metrics``:

- ``cmkg_http_request_duration_seconds{method,route,status}``: request latency;
- ``cmkg_sparql_query_duration_seconds{kind,outcome}``: query time, outcome ``ok``,
  ``timeout`` or ``error``;
- ``cmkg_sparql_query_timeouts_total``: queries cancelled at their deadline;
- ``cmkg_sparql_queries_rejected_total{reason}``: queries refused before or during
  evaluation (``query_refused``, ``query_error``, ``too_large``, ``too_many_queries``...);
- ``cmkg_sparql_results_truncated_total``: results cut at the row cap;
- ``cmkg_sparql_queries_in_flight``: queries being evaluated.

Logs of the ``cmkg`` loggers are one JSON object per line on stderr (:func:`configure_logging`).

Examples
--------
>>> metrics = Metrics()
>>> metrics.rejected("query_refused")
>>> b'cmkg_sparql_queries_rejected_total{reason="query_refused"} 1.0' in metrics.render()
True
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST as METRICS_MEDIA_TYPE
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["METRICS_MEDIA_TYPE", "JsonFormatter", "Metrics", "configure_logging"]

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The service's Prometheus metrics, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.request_seconds = Histogram(
            "cmkg_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route", "status"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.query_seconds = Histogram(
            "cmkg_sparql_query_duration_seconds",
            "SPARQL query evaluation time",
            ["kind", "outcome"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.query_timeouts = Counter(
            "cmkg_sparql_query_timeouts",
            "SPARQL queries cancelled at their deadline",
            registry=self.registry,
        )
        self.queries_rejected = Counter(
            "cmkg_sparql_queries_rejected",
            "SPARQL queries refused before or during evaluation",
            ["reason"],
            registry=self.registry,
        )
        self.results_truncated = Counter(
            "cmkg_sparql_results_truncated",
            "SPARQL results cut at the row cap",
            registry=self.registry,
        )
        self.queries_in_flight = Gauge(
            "cmkg_sparql_queries_in_flight",
            "SPARQL queries being evaluated",
            registry=self.registry,
        )

    def rejected(self, reason: str) -> None:
        """Count a refused query."""
        self.queries_rejected.labels(reason=reason).inc()

    def render(self) -> bytes:
        """The metrics in the Prometheus text format."""
        return generate_latest(self.registry)


_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """Send the ``cmkg`` loggers' records to stderr as JSON lines (idempotent)."""
    logger = logging.getLogger("cmkg")
    if any(getattr(h, "_cmkg_json", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._cmkg_json = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
