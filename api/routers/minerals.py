"""Minerals: ``GET /minerals``, ``GET /minerals/{id}``, ``GET /minerals/{id}/concentration``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from cmkg.graph.analytics import (
    concentration,
    concentration_table,
    mineral_label,
    mineral_profile,
    resolve_mineral,
    supply_stages,
)

from ..deps import NetworkDep

__all__ = ["router"]

router = APIRouter(tags=["minerals"])

Year = Annotated[int | None, Query(ge=1900, le=2100, description="the year of the figures")]
MineralId = Annotated[str, Path(description="a mineral id (rare-earths, gallium...)")]


@router.get("/minerals", summary="Concentration of every mineral and stage with statistics")
def list_minerals(G: NetworkDep, year: Year = None) -> dict[str, Any]:
    """Every mineral and stage with statistics, most concentrated (HHI) first."""
    return {
        "year": year,
        "concentration": [c.to_dict(G) for c in concentration_table(G, year=year, top=3)],
    }


@router.get("/minerals/{mineral_id}", summary="A mineral's profile")
def get_mineral(G: NetworkDep, mineral_id: MineralId, year: Year = None) -> dict[str, Any]:
    """Shares by stage, concentration, top producers, reserves, export controls, agreements and
    the news claims set against the statistics, with their sources and years."""
    return mineral_profile(G, mineral_id, year=year)


@router.get("/minerals/{mineral_id}/concentration", summary="HHI and top suppliers")
def get_concentration(
    G: NetworkDep,
    mineral_id: MineralId,
    year: Year = None,
    stage: Annotated[
        Literal["mining", "processing", "manufacturing", "recycling"] | None,
        Query(description="one stage (default: every stage with figures)"),
    ] = None,
    top: Annotated[int, Query(ge=1, le=50)] = 5,
) -> dict[str, Any]:
    """The Herfindahl-Hirschman index (0-10,000 and normalised) and the top suppliers of one
    dataset's statistics for the year (default: the latest); "other countries" is left out of
    the index and reported apart. Shares that sum to more than one (rounded world totals) are
    renormalised to their sum, and the note says so."""
    m = resolve_mineral(G, mineral_id)
    stages = [stage] if stage else supply_stages(G, m, year=year) or ["mining", "processing"]
    return {
        "mineral": m,
        "mineral_label": mineral_label(G, m),
        "year": year,
        "concentration": [concentration(G, m, s, year=year, top=top).to_dict(G) for s in stages],
    }
