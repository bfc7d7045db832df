"""Dependency paths: by which suppliers, stage by stage, a country depends on a mineral.

The model
---------
The graph holds **world shares** (who mines, who processes what fraction of the world's
supply); it holds no bilateral trade data. So a consumer country C is taken to buy a mineral at
a stage from each supplier X in proportion to X's world share at that stage, and X to source its
input the same way from the stage before ("proportional sourcing"). A path::

    C  <- processing in X (share p_X)  <- mining in Y (share m_Y)

then carries the fraction ``p_X * m_Y`` of C's supply: the weight of a path is the **product**
of its hop shares, and the weights of all paths sum to (about) one. Paths are ranked by that
product, then by their smallest hop share (the ``bottleneck``). A hop where the supplier is the
consumer itself is marked ``domestic``; "other countries" (``ZZ``) appears as a supplier but is
marked ``aggregate``. The figure of each hop follows :mod:`cmkg.graph.analytics.supply`
(statistics, or a newer article claim that the statistics do not contradict); every article
claim about the same supplier and stage is attached to the hop as evidence.

Agreements
----------
Each hop lists the agreements **between its two countries** that cover the mineral (the
mineral itself, its group, "critical minerals", or a member). The response also lists **the
consumer's agreements** that cover the mineral, with each partner's world share at every stage
of the path: they are the consumer's alternative supply links (the US-Japan framework is one
for Japan), whether or not a partner lies on a ranked path. Long lists keep the latest (10 per
hop, 50 for the consumer) and give their full length in ``*_total``.

Export controls
---------------
Each hop lists the export controls in force imposed by its supplier on the mineral (or its
group or members).

Examples
--------
>>> from cmkg.graph.analytics.network import new_network, add_supply, add_agreement
>>> G = new_network()
>>> _ = add_supply(G, "CN", "rare-earths", "mining", share=0.7, year=2024)
>>> _ = add_supply(G, "US", "rare-earths", "mining", share=0.3, year=2024)
>>> _ = add_supply(G, "CN", "rare-earths", "processing", share=0.9, year=2024)
>>> _ = add_supply(G, "MY", "rare-earths", "processing", share=0.1, year=2024)
>>> _ = add_agreement(G, ["US", "JP"], ["rare-earths"], key="us-jp")
>>> d = dependency_paths(G, "JP", "rare-earths")
>>> [(p.suppliers, round(p.share, 2)) for p in d.paths]  # doctest: +NORMALIZE_WHITESPACE
[(('CN', 'CN'), 0.63), (('CN', 'US'), 0.27), (('MY', 'CN'), 0.07), (('MY', 'US'), 0.03)]
>>> [a["id"] for a in d.agreements]
['us-jp']
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import InputError
from .network import (
    FLOW_STAGES,
    OTHER_COUNTRIES,
    country_label,
    mineral_label,
    resolve_country,
    resolve_mineral,
)
from .relations import agreements_covering, export_controls_covering
from .supply import Figure, StageSupply, collect_sources, label_figure, stage_supply, supply_stages

__all__ = [
    "MAX_HOPS",
    "MAX_LIMIT",
    "Dependency",
    "DependencyPath",
    "Hop",
    "dependency_paths",
    "dependency_to_dict",
    "k_best_products",
]

#: The largest ``max_hops`` and ``limit`` a caller may ask for.
MAX_HOPS = 6
MAX_LIMIT = 100
_EVIDENCE_PER_HOP = 5
_RELATIONS_PER_HOP = 10
_CONSUMER_AGREEMENTS = 50


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path: ``supplier`` supplies ``consumer`` at ``stage``."""

    supplier: str
    consumer: str
    stage: str
    figure: Figure
    claims: tuple[Figure, ...] = ()
    claims_total: int = 0
    agreements: tuple[dict[str, Any], ...] = ()
    export_controls: tuple[dict[str, Any], ...] = ()
    agreements_total: int = 0
    export_controls_total: int = 0

    @property
    def share(self) -> float:
        """The supplier's world share at this stage."""
        return self.figure.share or 0.0

    @property
    def domestic(self) -> bool:
        """Whether the supplier is the consumer itself."""
        return self.supplier == self.consumer


@dataclass(frozen=True, slots=True)
class DependencyPath:
    """A chain of hops from the consumer back upstream, with its weight."""

    hops: tuple[Hop, ...]

    @property
    def share(self) -> float:
        """The fraction of the consumer's supply on this path: the product of hop shares."""
        out = 1.0
        for h in self.hops:
            out *= h.share
        return out

    @property
    def bottleneck(self) -> float:
        """The smallest hop share on the path."""
        return min(h.share for h in self.hops)

    @property
    def suppliers(self) -> tuple[str, ...]:
        """The supplier of each hop, consumer side first."""
        return tuple(h.supplier for h in self.hops)


@dataclass(frozen=True, slots=True)
class Dependency:
    """The answer of :func:`dependency_paths`."""

    country: str
    mineral: str
    stages: tuple[str, ...]
    paths: tuple[DependencyPath, ...]
    agreements: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    sources: tuple[dict[str, Any], ...]
    year: int | None = None
    paths_total: int = 0
    agreements_total: int = 0


def k_best_products(options: Sequence[Sequence[float]], k: int) -> list[tuple[int, ...]]:
    """The ``k`` index tuples with the largest products, one index per list.

    Each list must be sorted in decreasing order of non-negative values. A best-first search
    over the lattice of index tuples: each step pops the best tuple and pushes its successors.

    Examples
    --------
    >>> k_best_products([[0.9, 0.1], [0.7, 0.3]], 3)
    [(0, 0), (0, 1), (1, 0)]
    >>> k_best_products([[0.5], []], 3)
    []
    """
    if k <= 0 or not options or any(not o for o in options):
        return []

    def product(idx: tuple[int, ...]) -> float:
        out = 1.0
        for lst, i in zip(options, idx, strict=True):
            out *= lst[i]
        return out

    start = (0,) * len(options)
    heap = [(-product(start), start)]
    seen = {start}
    out: list[tuple[int, ...]] = []
    while heap and len(out) < k:
        _, idx = heapq.heappop(heap)
        out.append(idx)
        for pos in range(len(idx)):
            if idx[pos] + 1 < len(options[pos]):
                nxt = (*idx[:pos], idx[pos] + 1, *idx[pos + 1 :])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (-product(nxt), nxt))
    return out


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InputError(f"{name} must be an integer from {low} to {high}, not {value!r}")


def dependency_paths(
    G: nx.MultiDiGraph,
    country: str,
    mineral: str,
    *,
    stage: str | None = None,
    year: int | None = None,
    supplier: str | None = None,
    max_hops: int = 4,
    limit: int = 10,
) -> Dependency:
    """Rank the supply paths by which ``country`` depends on ``mineral`` (model above).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A supply network (:mod:`cmkg.graph.analytics.network`).
    country : str
        The consumer, an ISO 3166-1 alpha-2 code.
    mineral : str
        A mineral id (groups roll up and down: see :mod:`cmkg.graph.analytics.supply`).
    stage : str, optional
        The stage at which the consumer buys; default the most downstream stage with figures.
    year : int, optional
        Use figures of this year or earlier.
    supplier : str, optional
        Keep only paths through this country (at any stage).
    max_hops : int
        At most this many stages back from the consumer (1 to :data:`MAX_HOPS`).
    limit : int
        At most this many paths (1 to :data:`MAX_LIMIT`).

    Returns
    -------
    Dependency
        Ranked paths, the consumer's agreements covering the mineral, notes, and the sources
        (with years) behind every number.

    Raises
    ------
    NotFound
        An unknown country, supplier or mineral.
    InputError
        ``stage``, ``max_hops`` or ``limit`` out of range.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply, add_export_control
    >>> G = new_network()
    >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
    >>> _ = add_supply(G, "RU", "gallium", "processing", share=0.01, year=2024)
    >>> _ = add_export_control(G, "CN", ["gallium"], measure="ban", key="x1")
    >>> d = dependency_paths(G, "US", "gallium", limit=1)
    >>> hop = d.paths[0].hops[0]
    >>> hop.supplier, hop.share, [x["id"] for x in hop.export_controls]
    ('CN', 0.99, ['x1'])
    >>> dependency_paths(G, "US", "gallium", max_hops=7)
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: max_hops must be an integer from 1 to 6, not 7
    """
    _check_range("max_hops", max_hops, 1, MAX_HOPS)
    _check_range("limit", limit, 1, MAX_LIMIT)
    country = resolve_country(G, country)
    mineral = resolve_mineral(G, mineral)
    if supplier is not None:
        supplier = resolve_country(G, supplier)
    if stage is not None and stage not in FLOW_STAGES:
        raise InputError(f"stage must be one of {', '.join(FLOW_STAGES)}, not {stage!r}")

    notes: list[str] = [
        "weights are world shares (no bilateral trade data in the graph): a path's share is "
        "the product of its hop shares under proportional sourcing"
    ]
    stages = supply_stages(G, mineral, year=year)
    if stage is not None:
        if stage not in stages:
            notes.append(f"no supply figures for {mineral_label(G, mineral)} at {stage}")
            stages = []
        else:
            stages = stages[: stages.index(stage) + 1]
    chain = list(reversed(stages))[:max_hops]  # consumer side first
    if not chain and stage is None:
        notes.append(f"no supply figures for {mineral_label(G, mineral)} at any stage")
    supplies: list[StageSupply] = [stage_supply(G, mineral, s, year=year) for s in chain]
    for ss in supplies:
        if ss.note:
            notes.append(ss.note)
        for f in ss.withheld:
            notes.append(
                f"the {ss.stage} figure of {country_label(G, f.country)} is "
                f"{f.status or 'withheld'} ({f.year}): left out of the paths"
            )
    options = [ss.ranked() for ss in supplies]
    values = [[f.share or 0.0 for f in opts] for opts in options]

    if supplier is None:
        picks = k_best_products(values, limit)
    else:
        found: dict[tuple[int, ...], None] = {}
        for pos, opts in enumerate(options):
            at = [i for i, f in enumerate(opts) if f.country == supplier]
            if not at:
                continue
            fixed = [list(v) for v in values]
            fixed[pos] = [values[pos][at[0]]]
            for idx in k_best_products(fixed, limit):
                found[(*idx[:pos], at[0], *idx[pos + 1 :])] = None
        picks = list(found)
        if not picks:
            notes.append(
                f"{country_label(G, supplier)} supplies {mineral_label(G, mineral)} "
                "at none of the stages of the paths"
            )

    total = 1
    for opts in options:
        total *= len(opts)
    family_cache: dict[tuple[str, str], tuple[dict[str, Any], ...]] = {}
    controls_cache: dict[str, tuple[dict[str, Any], ...]] = {}

    def hop(pos: int, fig: Figure, downstream: str) -> Hop:
        ss = supplies[pos]
        pair = (fig.country, downstream)
        if pair not in family_cache:
            family_cache[pair] = (
                ()
                if fig.country == downstream or OTHER_COUNTRIES in pair
                else tuple(agreements_covering(G, mineral, country=downstream, partner=fig.country))
            )
        if fig.country not in controls_cache:
            controls_cache[fig.country] = tuple(
                export_controls_covering(G, mineral, country=fig.country)
            )
        claims = ss.claims.get(fig.country, ())
        agreements = family_cache[pair]
        controls = controls_cache[fig.country]
        return Hop(
            supplier=fig.country,
            consumer=downstream,
            stage=ss.stage,
            figure=fig,
            claims=claims[:_EVIDENCE_PER_HOP],
            claims_total=len(claims),
            agreements=agreements[-_RELATIONS_PER_HOP:],
            export_controls=controls[-_RELATIONS_PER_HOP:],
            agreements_total=len(agreements),
            export_controls_total=len(controls),
        )

    paths = []
    for idx in picks:
        hops: list[Hop] = []
        downstream = country
        for pos, i in enumerate(idx):
            fig = options[pos][i]
            hops.append(hop(pos, fig, downstream))
            downstream = fig.country
        paths.append(DependencyPath(tuple(hops)))
    paths.sort(key=lambda p: (-p.share, -p.bottleneck, p.suppliers))
    paths = paths[:limit]

    consumer_agreements = []
    mine = agreements_covering(G, mineral, country=country)
    for a in mine[-_CONSUMER_AGREEMENTS:]:
        a["partner_shares"] = {
            ss.stage: {
                p: ss.figures[p].share
                for p in a["partners"]
                if p in ss.figures and ss.figures[p].share is not None
            }
            for ss in supplies
        }
        consumer_agreements.append(a)

    used: list[Figure] = []
    records: list[dict[str, Any]] = list(consumer_agreements)
    for p in paths:
        for h in p.hops:
            used.append(h.figure)
            used.extend(h.claims)
            records.extend(h.agreements)
            records.extend(h.export_controls)
    return Dependency(
        country=country,
        mineral=mineral,
        stages=tuple(chain),
        paths=tuple(paths),
        agreements=tuple(consumer_agreements),
        notes=tuple(dict.fromkeys(notes)),
        sources=tuple(collect_sources(G, used, records)),
        year=year,
        paths_total=total if chain else 0,
        agreements_total=len(mine),
    )


def dependency_to_dict(G: nx.MultiDiGraph, d: Dependency) -> dict[str, Any]:
    """A JSON-ready form of a :class:`Dependency`, with names for codes.

    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
    >>> out = dependency_to_dict(G, dependency_paths(G, "US", "gallium"))
    >>> out["paths"][0]["hops"][0]["supplier_label"], out["paths"][0]["share"]
    ('China', 0.99)
    """
    return {
        "country": d.country,
        "country_label": country_label(G, d.country),
        "mineral": d.mineral,
        "mineral_label": mineral_label(G, d.mineral),
        "year": d.year,
        "stages": list(d.stages),
        "paths_total": d.paths_total,
        "paths": [
            {
                "share": p.share,
                "bottleneck": p.bottleneck,
                "suppliers": list(p.suppliers),
                "hops": [
                    {
                        "supplier": h.supplier,
                        "supplier_label": country_label(G, h.supplier),
                        "consumer": h.consumer,
                        "stage": h.stage,
                        "share": h.figure.share,
                        "comparator": h.figure.comparator,
                        "year": h.figure.year,
                        "kind": h.figure.kind,
                        "source": h.figure.source,
                        "domestic": h.domestic,
                        "aggregate": h.supplier == OTHER_COUNTRIES,
                        "figure": label_figure(G, h.figure),
                        "claims": [c.to_dict() for c in h.claims],
                        "claims_total": h.claims_total,
                        "agreements": list(h.agreements),
                        "agreements_total": h.agreements_total,
                        "export_controls": list(h.export_controls),
                        "export_controls_total": h.export_controls_total,
                    }
                    for h in p.hops
                ],
            }
            for p in d.paths
        ],
        "agreements": list(d.agreements),
        "agreements_total": d.agreements_total,
        "notes": list(d.notes),
        "sources": list(d.sources),
    }
