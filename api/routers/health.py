"""Liveness and metrics: ``GET /health`` and ``GET /metrics`` (Prometheus text format).

Both answer from memory, without touching the store or the query workers, so that they stay
fast while heavy queries run.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from ..observability import METRICS_MEDIA_TYPE

__all__ = ["Health", "router"]

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """What ``/health`` says."""

    status: str
    store: str
    query_workers_idle: int | None = None


@router.get("/health", response_model=Health, summary="Liveness of the service")
async def health(request: Request) -> Health:
    """``ok`` once the store is open; ``starting`` before (no store work is done here)."""
    state = request.app.state
    runner = getattr(state, "query_runner", None)
    return Health(
        status="ok" if getattr(state, "store", None) is not None else "starting",
        store=state.settings.store,
        query_workers_idle=runner.idle_workers if runner is not None else None,
    )


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {METRICS_MEDIA_TYPE: {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> Response:
    """Request latency, query time, timeouts and rejected queries."""
    return Response(request.app.state.metrics.render(), media_type=METRICS_MEDIA_TYPE)
