"""A country's exposure: how much of each mineral's supply, stage by stage, lies outside it and
its agreement partners.

For country C and mineral M at stage S: ``own`` is C's world share, ``partners`` the world
shares of the countries C has agreements with that cover M (its group, "critical minerals" or a
member: see :mod:`cmkg.graph.analytics.relations`), and ``outside = max(0, 1 - own - partners)``
is the share of world supply that C reaches only through the open market. World shares stand in
for C's own sourcing (no bilateral trade data).

Examples
--------
>>> from cmkg.graph.analytics.network import new_network, add_mineral, add_supply, add_agreement
>>> G = new_network()
>>> add_mineral(G, "rare-earths", broader="critical-minerals")
>>> _ = add_supply(G, "CN", "rare-earths", "mining", share=0.7, year=2024)
>>> _ = add_supply(G, "US", "rare-earths", "mining", share=0.12, year=2024)
>>> _ = add_agreement(G, ["US", "JP"], ["critical-minerals"], key="us-jp")
>>> e = exposure(G, "JP", "rare-earths")
>>> e["stages"]["mining"]["partner_share"], e["stages"]["mining"]["outside"]
(0.12, 0.88)
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from .network import mineral_label, resolve_country, resolve_mineral
from .relations import agreements_covering
from .supply import Figure, stage_supply, supply_stages

__all__ = ["exposure", "exposure_table"]


def exposure(
    G: nx.MultiDiGraph, country: str, mineral: str, *, year: int | None = None
) -> dict[str, Any]:
    """The exposure of ``country`` to ``mineral`` at each flow stage with figures.

    Returns a dict with ``country``, ``mineral``, ``agreements`` (ids), ``partners`` and
    ``stages``: per stage ``own``, ``partner_share``, ``partners`` (code -> share),
    ``outside``, ``year`` (the latest year among the figures used) and ``figures``.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "US", "gallium", "processing", share=0.0, year=2024)
    >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
    >>> exposure(G, "US", "gallium")["stages"]["processing"]["outside"]
    1.0
    """
    country = resolve_country(G, country)
    mineral = resolve_mineral(G, mineral)
    agreements = agreements_covering(G, mineral, country=country)
    partners = sorted({p for a in agreements for p in a["partners"]})
    stages: dict[str, Any] = {}
    for s in supply_stages(G, mineral, year=year):
        ss = stage_supply(G, mineral, s, year=year)
        own_fig = ss.figures.get(country)
        own = own_fig.share if own_fig and own_fig.share else 0.0
        theirs = {
            p: ss.figures[p].share
            for p in partners
            if p in ss.figures and ss.figures[p].share is not None
        }
        partner_share = sum((v for v in theirs.values() if v), 0.0)
        used: list[Figure] = [f for f in (own_fig, *(ss.figures[p] for p in theirs)) if f]
        years = [f.year for f in used if f.year is not None]
        stages[s] = {
            "own": own,
            "partners": theirs,
            "partner_share": round(partner_share, 12),
            "outside": round(max(0.0, 1.0 - own - partner_share), 12),
            "year": max(years) if years else None,
            "basis": ss.basis,
            "note": ss.note,
            "figures": used,
        }
    return {
        "country": country,
        "mineral": mineral,
        "mineral_label": mineral_label(G, mineral),
        "agreements": [a["id"] for a in agreements],
        "partners": partners,
        "stages": stages,
    }


def exposure_table(
    G: nx.MultiDiGraph, country: str, *, year: int | None = None
) -> list[dict[str, Any]]:
    """The exposure of ``country`` to every mineral with supply figures, most exposed first.

    Sorted by the largest ``outside`` share over the stages, then by mineral id.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "JP", "gallium", "processing", share=0.01)
    >>> _ = add_supply(G, "JP", "nickel", "mining", share=0.5)
    >>> [(e["mineral"], e["stages"][s]["outside"]) for e in exposure_table(G, "JP")
    ...  for s in e["stages"]]
    [('gallium', 0.99), ('nickel', 0.5)]
    """
    country = resolve_country(G, country)
    minerals = sorted({d["mineral"] for _, d in G.nodes(data=True) if d.get("kind") == "supply"})
    out = []
    for m in minerals:
        e = exposure(G, country, m, year=year)
        if e["stages"]:
            out.append(e)
    out.sort(key=lambda e: (-max(s["outside"] for s in e["stages"].values()), e["mineral"]))
    return out
