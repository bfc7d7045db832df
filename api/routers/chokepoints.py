"""Chokepoints: ``GET /chokepoints``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from cmkg.graph.analytics import chokepoint_table, chokepoints, country_label, mineral_label

from ..deps import NetworkDep

__all__ = ["router"]

router = APIRouter(tags=["chokepoints"])


@router.get("/chokepoints", summary="Suppliers whose loss strands the most supply")
def get_chokepoints(
    G: NetworkDep,
    mineral: Annotated[
        str | None, Query(description="a mineral id (default: the top chokepoint of each)")
    ] = None,
    consumer: Annotated[str | None, Query(description="the consumer country at the sink")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="figures as of")] = None,
    min_share: Annotated[
        float, Query(ge=0.0, lt=1.0, description="smaller suppliers are no alternative")
    ] = 0.01,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    """For one mineral: suppliers by stranded share, betweenness, articulation points (sole
    suppliers of a stage), the minimum cut and the paths that lose every alternative. The share
    of a stage that its figures do not name counts as one more supplier, "other countries"
    (``coverage`` gives the named share per stage). Without a mineral: the top chokepoint of
    every mineral."""
    if mineral is not None:
        return chokepoints(
            G, mineral, consumer=consumer, year=year, min_share=min_share, top=top
        ).to_dict(G)
    rows = chokepoint_table(G, year=year, min_share=min_share, top=top)
    return {
        "year": year,
        "min_share": min_share,
        "chokepoints": [
            {
                "mineral": m,
                "mineral_label": mineral_label(G, m),
                "country": c.country,
                "country_label": country_label(G, c.country),
                "stage": c.stage,
                "stranded": c.stranded,
                "articulation": c.articulation,
                "betweenness": round(c.betweenness, 6),
                "year": c.figure.year,
                "source": c.figure.source,
            }
            for m, c in rows
        ],
    }
