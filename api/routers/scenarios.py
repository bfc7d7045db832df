"""Scenarios: ``POST /scenarios/disruption`` (a computation; it writes nothing)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from cmkg.graph.analytics import disruption

from .paths import NetworkDep

__all__ = ["DisruptionRequest", "router"]

router = APIRouter(tags=["scenarios"])


class DisruptionRequest(BaseModel):
    """A supplier cuts a fraction of its exports of some minerals at one stage."""

    model_config = ConfigDict(extra="forbid")

    supplier: Annotated[str, Field(description="ISO 3166-1 alpha-2 code", examples=["CN"])]
    minerals: Annotated[
        list[str], Field(min_length=1, max_length=100, examples=[["rare-earths", "gallium"]])
    ]
    stage: Literal["mining", "processing", "manufacturing"] = "processing"
    cut: Annotated[float, Field(ge=0.0, le=1.0, description="fraction of exports withheld")] = 1.0
    exempt: Annotated[list[str], Field(max_length=300, description="countries spared")] = []
    consumers: Annotated[
        list[str] | None,
        Field(
            min_length=1,
            max_length=300,
            description="report these consumer countries only (default: every country)",
            examples=[["JP", "US", "DE"]],
        ),
    ] = None
    count_agreement_partners: bool = True
    year: Annotated[int | None, Field(ge=1900, le=2100)] = None


@router.post("/scenarios/disruption", summary="Who falls short when a supplier cuts exports")
def post_disruption(G: NetworkDep, body: DisruptionRequest) -> dict[str, Any]:
    """The shortfall per mineral and stage (the cut stage and downstream) and the countries
    exposed, with and without their agreement partners counted as alternative suppliers.
    Proportional sourcing on world shares (no bilateral trade or demand data)."""
    return disruption(
        G,
        body.supplier,
        body.minerals,
        body.stage,
        body.cut,
        body.exempt,
        consumers=body.consumers,
        count_agreement_partners=body.count_agreement_partners,
        year=body.year,
    ).to_dict(G)
