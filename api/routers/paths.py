"""Dependency paths: ``GET /paths/dependency``.

The supply network comes from :data:`cmkg.api.deps.NetworkDep`, projected once per store
version and shared by the analytics routers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from cmkg.graph.analytics import dependency_paths, dependency_to_dict
from cmkg.graph.analytics.paths import MAX_HOPS, MAX_LIMIT

from ..deps import NetworkDep

__all__ = ["router"]

router = APIRouter(tags=["paths"])

Stage = Literal["mining", "processing", "manufacturing"]


@router.get("/paths/dependency", summary="How a country depends on suppliers of a mineral")
def get_dependency_paths(
    G: NetworkDep,
    country: Annotated[str, Query(description="the consumer, ISO 3166-1 alpha-2 (JP)")],
    mineral: Annotated[str, Query(description="a mineral id (rare-earths, gallium...)")],
    stage: Annotated[
        Stage | None, Query(description="the stage the consumer buys at (default: last)")
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="figures as of")] = None,
    supplier: Annotated[str | None, Query(description="only paths through this country")] = None,
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS, description="stages back")] = 4,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="paths at most")] = 10,
) -> dict[str, Any]:
    """Ranked supply paths, stage by stage, with the share, year, source and evidence of every
    hop, the agreements and export controls on it, and the consumer's agreements that cover the
    mineral. Weights are world shares (no bilateral trade data): a path's share is the product
    of its hops' shares."""
    d = dependency_paths(
        G,
        country,
        mineral,
        stage=stage,
        year=year,
        supplier=supplier,
        max_hops=max_hops,
        limit=limit,
    )
    return dependency_to_dict(G, d)
