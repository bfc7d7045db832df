"""Market concentration: the Herfindahl-Hirschman index and top suppliers by mineral and stage.

The HHI is the sum of squared market shares in percent, on a 0-10,000 scale (10,000: one
supplier; above 2,500: highly concentrated, in the terms of the US merger guidelines). The
normalised HHI rescales it to [0, 1] given the number N of suppliers: ``(H - 1/N) / (1 - 1/N)``
with H on the 0-1 scale. "Other countries" (``ZZ``) is an aggregate of many countries, not a
country: it is left out of both indices and reported apart (``other_share``).

:func:`concentration` reads one year and one source at a time: the statistics of one dataset
and one measure (production, else a reported share, else capacity), never mixed, so that the
shares describe one market. News claims are not used unless ``include_claims=True``.

Shares that add up to more than one are not the shares of one market: rounded world totals
(the projection then takes a dataset's volumes as shares of their sum, see
:mod:`~cmkg.graph.analytics.projection`), reported shares rounded up, or figures of several
sources side by side (``include_claims``). They are renormalised to their sum, ``ZZ``
included, and the note says so: the index stays within 0-10,000.

Examples
--------
>>> hhi({"CN": 0.7, "US": 0.2, "AU": 0.1})
5400.0
>>> round(normalized_hhi({"CN": 0.7, "US": 0.2, "AU": 0.1}), 3)
0.31
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx

from ..errors import InputError
from .network import (
    FLOW_STAGES,
    OTHER_COUNTRIES,
    ROOT_MINERAL,
    ancestors,
    country_label,
    mineral_label,
    resolve_mineral,
    supply_node,
)
from .supply import Figure, _figure, collect_sources, stage_supply

__all__ = ["Concentration", "concentration", "concentration_table", "hhi", "normalized_hhi"]

_MEASURE_RANK = {"production": 3, "share": 2, "capacity": 1}


#: Sums of shares within this relative margin of one (rounding) are not renormalised.
_TOLERANCE = 1e-9


def _named(shares: Mapping[str, float | None], exclude: tuple[str, ...]) -> dict[str, float]:
    """The positive shares of named suppliers, renormalised when all shares sum past one."""
    total = sum(float(s) for s in shares.values() if s is not None and s > 0)
    scale = 1.0 / total if total > 1.0 + _TOLERANCE else 1.0
    return {
        c: float(s) * scale
        for c, s in shares.items()
        if s is not None and c not in exclude and s > 0
    }


def hhi(
    shares: Mapping[str, float | None], *, exclude: tuple[str, ...] = (OTHER_COUNTRIES,)
) -> float:
    """The Herfindahl-Hirschman index of ``shares`` (fractions), on the 0-10,000 scale.

    Countries in ``exclude`` (by default "other countries", ``ZZ``) and missing shares are
    left out. Shares that sum to more than one (``ZZ`` included) are not the shares of one
    market: they are renormalised to their sum first, so the index never exceeds 10,000.

    Examples
    --------
    >>> hhi({"CN": 1.0})
    10000.0
    >>> hhi({"CN": 0.9, "US": 0.3})  # they sum to 1.2: 75% and 25% of the market
    6250.0
    >>> hhi({"CN": 0.5, "ZZ": 0.5})  # the aggregate is not a country
    2500.0
    >>> hhi({})
    0.0
    """
    return float(sum((100.0 * s) ** 2 for s in _named(shares, exclude).values()))


def normalized_hhi(
    shares: Mapping[str, float | None], *, exclude: tuple[str, ...] = (OTHER_COUNTRIES,)
) -> float:
    """The HHI rescaled to [0, 1] for the number N of named suppliers: ``(H - 1/N)/(1 - 1/N)``.

    One supplier gives 1.0; N equal suppliers give 0.0.

    Examples
    --------
    >>> normalized_hhi({"CN": 0.5, "US": 0.5})
    0.0
    >>> normalized_hhi({"CN": 0.9})
    1.0
    """
    named = _named(shares, exclude)
    n = len(named)
    if n == 0:
        return 0.0
    if n == 1:
        return 1.0
    h = sum(s * s for s in named.values())
    return max(0.0, min(1.0, (h - 1.0 / n) / (1.0 - 1.0 / n)))


@dataclass(frozen=True, slots=True)
class Concentration:
    """The concentration of one mineral at one stage in one year."""

    mineral: str
    stage: str
    year: int | None
    hhi: float
    normalized_hhi: float
    suppliers: int
    other_share: float | None
    top: tuple[Figure, ...]
    figures: tuple[Figure, ...]
    measure: str | None
    source: str | None
    note: str | None = None

    def to_dict(self, G: nx.MultiDiGraph) -> dict[str, Any]:
        """A JSON-ready dict, with names and the sources behind the numbers.

        >>> from cmkg.graph.analytics.network import new_network, add_supply
        >>> G = new_network()
        >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
        >>> concentration(G, "gallium", "processing").to_dict(G)["top"][0]["country_label"]
        'China'
        """
        return {
            "mineral": self.mineral,
            "mineral_label": mineral_label(G, self.mineral),
            "stage": self.stage,
            "year": self.year,
            "hhi": round(self.hhi, 1),
            "normalized_hhi": round(self.normalized_hhi, 4),
            "suppliers": self.suppliers,
            "other_share": self.other_share,
            "measure": self.measure,
            "top": [
                {
                    "country": f.country,
                    "country_label": country_label(G, f.country),
                    "share": f.share,
                    "renormalised": f.renormalised,
                    "comparator": f.comparator,
                    "volume": f.volume,
                    "unit": f.unit,
                    "year": f.year,
                    "kind": f.kind,
                    "source": f.source,
                }
                for f in self.top
            ],
            "note": self.note,
            "sources": collect_sources(G, self.figures),
        }


_Set = tuple[int | None, str, str | None, str | None]


def _reference_sets(G: nx.MultiDiGraph, mineral: str, stage: str) -> dict[_Set, dict[str, Figure]]:
    """Reference figures grouped by (year, measure, source, basis), one per country."""
    v = supply_node(mineral, stage)
    groups: dict[_Set, dict[str, Figure]] = {}
    if v not in G:
        return groups
    for u, _, k, d in G.in_edges(v, keys=True, data=True):
        if d.get("relation") != "supply" or d.get("kind") != "reference":
            continue
        f = _figure(G.nodes[u]["code"], k, d, mineral, stage)
        groups.setdefault((f.year, f.measure, f.source, f.basis), {})[f.country] = f
    return groups


def concentration(
    G: nx.MultiDiGraph,
    mineral: str,
    stage: str,
    *,
    year: int | None = None,
    top: int = 5,
    include_claims: bool = False,
) -> Concentration:
    """The HHI and top suppliers of ``mineral`` at ``stage`` in ``year`` (default: latest).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A supply network.
    mineral, stage : str
        A mineral id and a stage (mining, processing, manufacturing, recycling).
    year : int, optional
        The year of the statistics; by default the latest year with statistics.
    top : int
        How many top suppliers to list.
    include_claims : bool
        Use the figures of :func:`~cmkg.graph.analytics.supply.stage_supply` (statistics and
        news claims, each supplier's latest, as of ``year``) instead of one dataset's figures.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> for c, s in [("CN", 0.6), ("US", 0.3), ("ZZ", 0.1)]:
    ...     _ = add_supply(G, c, "gallium", "processing", share=s, year=2024,
    ...                    measure="production")
    >>> c = concentration(G, "gallium", "processing")
    >>> c.hhi, c.suppliers, c.other_share, [f.country for f in c.top]
    (4500.0, 2, 0.1, ['CN', 'US'])
    """
    mineral = resolve_mineral(G, mineral)
    if stage not in (*FLOW_STAGES, "recycling"):
        raise InputError(f"stage must be one of {', '.join(FLOW_STAGES)}, recycling: {stage!r}")
    if top < 1:
        raise InputError(f"top must be at least 1, not {top}")
    note = None
    measure = source = None
    figures: dict[str, Figure] = {}
    chosen_year = year
    if include_claims:
        ss = stage_supply(G, mineral, stage, year=year)
        figures = {c: f for c, f in ss.figures.items() if f.share is not None}
        note = ss.note
        years = [f.year for f in figures.values() if f.year is not None]
        chosen_year = year if year is not None else (max(years) if years else None)
    else:
        usable: dict[_Set, dict[str, Figure]] = {}
        for candidate in [mineral, *ancestors(G, mineral)]:
            if candidate == ROOT_MINERAL:
                break
            usable = {
                key: figs
                for key, figs in _reference_sets(G, candidate, stage).items()
                if any(f.share is not None for f in figs.values())
                and (year is None or key[0] == year)
            }
            if usable:
                if candidate != mineral:
                    note = (
                        f"no statistics for {mineral_label(G, mineral)} at {stage}: those of "
                        f"its group {mineral_label(G, candidate)} stand in"
                    )
                break
        if usable:
            key = max(
                usable,
                key=lambda k: (
                    k[0] if k[0] is not None else -1,
                    _MEASURE_RANK.get(k[1], 0),
                    len(usable[k]),
                    k[2] or "",
                    k[3] or "",
                ),
            )
            chosen_year, measure, source, _ = key
            figures = {c: f for c, f in usable[key].items() if f.share is not None}
        else:
            when = f" in {year}" if year is not None else ""
            note = f"no statistics for {mineral_label(G, mineral)} at {stage}{when}"
    notes = [note] if note else []
    notes.extend(_renormalisation_notes(G, figures, measure, chosen_year))
    total = sum(f.share or 0.0 for f in figures.values())
    if total > 1.0 + _TOLERANCE:
        figures = {
            c: replace(f, share=(f.share or 0.0) / total, renormalised=True)
            for c, f in figures.items()
        }
        notes.append(f"the shares sum to {total:.1%}: renormalised to their sum")
    shares = {c: f.share for c, f in figures.items()}
    named = sorted(
        (f for c, f in figures.items() if c != OTHER_COUNTRIES and (f.share or 0) > 0),
        key=lambda f: (-(f.share or 0.0), f.country),
    )
    other = figures.get(OTHER_COUNTRIES)
    return Concentration(
        mineral=mineral,
        stage=stage,
        year=chosen_year,
        hhi=hhi(shares),
        normalized_hhi=normalized_hhi(shares),
        suppliers=len(named),
        other_share=other.share if other else None,
        top=tuple(named[:top]),
        figures=tuple(figures.values()),
        measure=measure,
        source=source,
        note="; ".join(notes) or None,
    )


def _renormalisation_notes(
    G: nx.MultiDiGraph, figures: Mapping[str, Figure], measure: str | None, year: int | None
) -> list[str]:
    """Say where the projection took shares of a sum of volumes, not of the stated world total."""
    renormalised = [f for f in figures.values() if f.renormalised and f.volume is not None]
    if not renormalised:
        return []
    f = renormalised[0]
    dataset = G.graph["sources"].get(f.source or "", {}).get("label") or f.source
    volumes = sum(g.volume or 0.0 for g in figures.values() if g.volume is not None)
    unit = f" {f.unit}" if f.unit else ""
    return [
        f"the {measure or f.measure} figures of {dataset} for {year} sum to {volumes:,.0f}{unit}, "
        f"more than its world total of {f.world_total:,.0f}: shares are of their sum"
    ]


def concentration_table(
    G: nx.MultiDiGraph,
    *,
    year: int | None = None,
    minerals: list[str] | None = None,
    stages: tuple[str, ...] = FLOW_STAGES,
    top: int = 3,
) -> list[Concentration]:
    """The concentration of every mineral and stage that has statistics, most concentrated first.

    With ``year``, only statistics of that year; else each mineral and stage's latest.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
    >>> _ = add_supply(G, "CD", "cobalt", "mining", share=0.7, year=2024)
    >>> _ = add_supply(G, "ID", "cobalt", "mining", share=0.1, year=2024)
    >>> [(c.mineral, c.stage, round(c.hhi)) for c in concentration_table(G)]
    [('gallium', 'processing', 9801), ('cobalt', 'mining', 5000)]
    """
    wanted = set(minerals) if minerals is not None else None
    out = []
    for _n, d in G.nodes(data=True):
        if d.get("kind") != "supply" or d["stage"] not in stages:
            continue
        if wanted is not None and d["mineral"] not in wanted:
            continue
        c = concentration(G, d["mineral"], d["stage"], year=year, top=top)
        if c.figures:
            out.append(c)
    return sorted(out, key=lambda c: (-c.hhi, c.mineral, c.stage))
