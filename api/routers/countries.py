"""Countries: ``GET /countries/{code}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from cmkg.graph.analytics import country_profile

from ..deps import NetworkDep

__all__ = ["router"]

router = APIRouter(tags=["countries"])


@router.get("/countries/{code}", summary="A country's profile")
def get_country(
    G: NetworkDep,
    code: Annotated[str, Path(description="ISO 3166-1 alpha-2 code (JP), or EU")],
    year: Annotated[int | None, Query(ge=1900, le=2100, description="figures as of")] = None,
) -> dict[str, Any]:
    """Production and shares, reserves, agreements, export controls, investments, and exposure
    per mineral (the share of supply at each stage outside the country and its agreement
    partners), with the sources and years behind the numbers."""
    return country_profile(G, code, year=year)
