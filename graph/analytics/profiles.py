"""Profiles: everything the network says about one country or one mineral, with its sources.

Examples
--------
>>> from cmkg.graph.analytics.network import new_network, add_supply
>>> G = new_network()
>>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
>>> mineral_profile(G, "gallium")["stages"][0]["top"][0]["country"]
'CN'
>>> country_profile(G, "CN")["production"][0]["share"]
0.99
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from .concentration import concentration
from .exposure import exposure_table
from .network import (
    FLOW_STAGES,
    OTHER_COUNTRIES,
    ancestors,
    country_label,
    country_node,
    descendants,
    mineral_label,
    resolve_country,
    resolve_mineral,
    supply_node,
)
from .relations import (
    agreements_covering,
    agreements_of,
    export_controls_covering,
    memberships,
)
from .supply import Figure, _figure, collect_sources, label_figure, stage_supply

__all__ = ["country_profile", "mineral_profile"]

_STAGES = (*FLOW_STAGES, "recycling")


def _claim_row(G: nx.MultiDiGraph, f: Figure) -> dict[str, Any]:
    source = G.graph["sources"].get(f.source or "", {})
    quote = next((e.get("quote") for e in f.evidence if e.get("quote")), None)
    return {
        "country": f.country,
        "country_label": country_label(G, f.country),
        "mineral": f.mineral,
        "stage": f.stage,
        "share": f.share,
        "comparator": f.comparator,
        "year": f.year,
        "year_inferred": f.year_inferred,
        "consistency": f.consistency,
        "reference_value": f.reference_value,
        "article": f.source,
        "headline": source.get("label"),
        "url": source.get("url"),
        "published": source.get("published"),
        "language": source.get("language"),
        "quote": quote,
        "claim": f.key,
    }


def country_profile(
    G: nx.MultiDiGraph, country: str, *, year: int | None = None, max_items: int = 200
) -> dict[str, Any]:
    """A country's supply figures, reserves, agreements, export controls, investments, exposure.

    ``production`` holds, per mineral and stage, the figure that stands for the country (see
    :mod:`cmkg.graph.analytics.supply`) and how many news claims there are about it.
    ``exposure`` is :func:`~cmkg.graph.analytics.exposure.exposure_table`. Long lists are cut
    at ``max_items``; ``totals`` gives their full length.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply, add_agreement
    >>> G = new_network()
    >>> _ = add_supply(G, "US", "rare-earths", "mining", share=0.12, year=2024)
    >>> _ = add_supply(G, "CN", "rare-earths", "mining", share=0.7, year=2024)
    >>> _ = add_agreement(G, ["US", "JP"], ["rare-earths"], key="us-jp")
    >>> p = country_profile(G, "JP")
    >>> p["label"], [a["id"] for a in p["agreements"]], p["exposure"][0]["partners"]
    ('Japan', ['us-jp'], ['US'])
    """
    code = resolve_country(G, country)
    n = country_node(code)
    row = G.graph["countries"].get(code, {})
    production = []
    used: list[Figure] = []
    if n in G:
        seen = set()
        for _, v, d in G.out_edges(n, data=True):
            if d.get("relation") != "supply" or v in seen:
                continue
            seen.add(v)
            node = G.nodes[v]
            if node["stage"] == "reserves":
                continue
            ss = stage_supply(G, node["mineral"], node["stage"], year=year)
            f = ss.figures.get(code)
            claims = ss.claims.get(code, ())
            entry: dict[str, Any] = {
                "mineral": node["mineral"],
                "mineral_label": mineral_label(G, node["mineral"]),
                "stage": node["stage"],
                "claims_total": len(claims),
            }
            if f is not None:
                entry.update(label_figure(G, f))
                used.append(f)
            else:
                w = next((w for w in ss.withheld if w.country == code), None)
                entry.update(share=None, status=w.status if w else "claims only")
            production.append(entry)
    production.sort(key=lambda e: (-(e.get("share") or 0.0), e["mineral"], e["stage"]))
    reserves = []
    if n in G:
        for m, rows in sorted(G.nodes[n].get("reserves", {}).items()):
            latest = max(rows, key=lambda r: r.get("year") or 0)
            reserves.append({**latest, "mineral_label": mineral_label(G, m)})
    mine = memberships(G, code)
    agreements = agreements_of(G, code)
    controls = sorted(
        (
            dict(x, evidence=[dict(e) for e in x["evidence"]])
            for x in G.graph["export_controls"].values()
            if x["country"] in mine
        ),
        key=lambda x: (x.get("start") or "", x["id"]),
    )
    investments = sorted(
        (
            dict(i, evidence=[dict(e) for e in i["evidence"]])
            for i in G.graph["investments"].values()
            if i["investor"] == code or i["host"] == code
        ),
        key=lambda i: i["id"],
    )
    exposure = exposure_table(G, code, year=year)
    for e in exposure:
        for s in e["stages"].values():
            used.extend(s.pop("figures"))
    return {
        "country": code,
        "label": country_label(G, code),
        "iri": row.get("iri") or (G.nodes[n].get("iri") if n in G else None),
        "member_of": list(row.get("member_of", ())),
        "aggregate": code == OTHER_COUNTRIES,
        "year": year,
        "production": production[:max_items],
        "reserves": reserves[:max_items],
        "agreements": agreements[:max_items],
        "export_controls": controls[:max_items],
        "investments": investments[:max_items],
        "exposure": exposure[:max_items],
        "totals": {
            "production": len(production),
            "reserves": len(reserves),
            "agreements": len(agreements),
            "export_controls": len(controls),
            "investments": len(investments),
            "exposure": len(exposure),
        },
        "sources": collect_sources(
            G, used, [*agreements[:max_items], *controls[:max_items], *investments[:max_items]]
        ),
    }


def mineral_profile(
    G: nx.MultiDiGraph,
    mineral: str,
    *,
    year: int | None = None,
    top: int = 10,
    max_items: int = 100,
) -> dict[str, Any]:
    """A mineral's shares by stage, concentration, top producers, reserves, export controls,
    agreements, and the news claims set against the statistics.

    For each flow stage with figures: ``top`` suppliers (the figure that stands for each,
    statistics or a newer claim), the ``concentration`` of the statistics (HHI, latest year or
    ``year``), and ``hhi_by_year``. ``claims`` lists news claims about the mineral and its
    members, newest first, with their verdict against the statistics; ``claims_by_consistency``
    counts them.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "CN", "rare-earths", "mining", share=0.7, year=2024)
    >>> _ = add_supply(G, "US", "rare-earths", "mining", share=0.3, year=2024)
    >>> _ = add_supply(G, "CN", "rare-earths", "mining", share=0.7, kind="claim",
    ...                consistency="consistent", year=2025)
    >>> p = mineral_profile(G, "rare-earths")
    >>> p["stages"][0]["concentration"]["hhi"], p["claims_by_consistency"]
    (5800.0, {'consistent': 1})
    """
    m = resolve_mineral(G, mineral)
    row = G.graph["minerals"].get(m, {})
    members = descendants(G, m)
    used: list[Figure] = []
    stages = []
    for s in _STAGES:
        ss = stage_supply(G, m, s, year=year)
        if not ss.figures:
            continue
        ranked = ss.ranked(positive=False)
        used.extend(ranked[:top])
        conc = concentration(G, m, s, year=year, top=top)
        by_year = {}
        for key_year in sorted({f.year for f in _reference_figures(G, m, s) if f.year is not None}):
            c = concentration(G, m, s, year=key_year)
            if c.figures:
                by_year[key_year] = round(c.hhi, 1)
        stages.append(
            {
                "stage": s,
                "basis": ss.basis,
                "from_minerals": list(ss.from_minerals),
                "note": ss.note,
                "top": [label_figure(G, f) for f in ranked[:top]],
                "suppliers": len(ranked),
                "concentration": conc.to_dict(G),
                "hhi_by_year": by_year,
                "withheld": [f.country for f in ss.withheld],
            }
        )
    reserves_rows = [r for r in G.graph["reserves"] if r["mineral"] == m]
    reserves_year = max((r.get("year") or 0 for r in reserves_rows), default=None)
    reserves = sorted(
        (
            {**r, "country_label": country_label(G, r["country"])}
            for r in reserves_rows
            if (r.get("year") or 0) == reserves_year and r.get("volume") is not None
        ),
        key=lambda r: (-(r["volume"] or 0), r["country"]),
    )
    claims: list[Figure] = []
    for x in (m, *members):
        for s in (*_STAGES, "reserves"):
            v = supply_node(x, s)
            if v not in G:
                continue
            for u, _, k, d in G.in_edges(v, keys=True, data=True):
                if d.get("relation") == "supply" and d.get("kind") == "claim":
                    claims.append(_figure(G.nodes[u]["code"], k, d, x, s))
    claims.sort(key=lambda f: (-(f.year or 0), f.key))
    used.extend(claims[:max_items])
    controls = export_controls_covering(G, m, in_force=None)
    agreements = agreements_covering(G, m)
    return {
        "mineral": m,
        "label": mineral_label(G, m),
        "iri": row.get("iri"),
        "broader": ancestors(G, m),
        "members": members,
        "year": year,
        "stages": stages,
        "reserves": reserves[:top],
        "export_controls": controls[:max_items],
        "agreements": agreements[:max_items],
        "claims": [_claim_row(G, f) for f in claims[:max_items]],
        "claims_by_consistency": dict(Counter(f.consistency or "unchecked" for f in claims)),
        "totals": {
            "claims": len(claims),
            "export_controls": len(controls),
            "agreements": len(agreements),
        },
        "sources": collect_sources(G, used, [*controls[:max_items], *agreements[:max_items]]),
    }


def _reference_figures(G: nx.MultiDiGraph, mineral: str, stage: str) -> list[Figure]:
    v = supply_node(mineral, stage)
    if v not in G:
        return []
    return [
        _figure(G.nodes[u]["code"], k, d, mineral, stage)
        for u, _, k, d in G.in_edges(v, keys=True, data=True)
        if d.get("relation") == "supply" and d.get("kind") == "reference"
    ]
