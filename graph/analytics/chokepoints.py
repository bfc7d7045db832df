"""Chokepoints: the countries and stages whose loss strands the most supply of a mineral.

For one mineral, :func:`supply_flow_graph` lays the suppliers out in layers, one per flow
stage (mining -> processing -> manufacturing), between a super-source and a sink (a consumer
country, or the world). Every supplier of a stage feeds every supplier of the next (there is no
bilateral trade data: proportional sourcing, as in :mod:`cmkg.graph.analytics.paths`).
Suppliers below ``min_share`` of the world are left out: they are too small to count as an
alternative.

A source may name only some suppliers of a stage (the IEA names Chile's 23.5% of copper
mining and nobody else). The rest of world supply, one minus the named shares, is then taken
as one more supplier, "other countries" (``ZZ``, with the statistics' own "other countries"),
when it reaches ``min_share``: a country is not the only supplier of a stage because the
source names no one else. "Other countries" is an alternative, never a chokepoint itself.

On that network :func:`chokepoints` reports, for each (country, stage):

- ``stranded``: the fraction of the consumer's supply that passes through it, i.e. its world
  share at that stage: what its loss strands, alternatives not stepping in;
- ``betweenness``: betweenness centrality (:func:`networkx.betweenness_centrality`) with the
  cost of entering a supplier ``-log(share)``, so that shortest paths are the most likely
  supply routes;
- ``articulation``: whether it is an articulation point (:func:`networkx.articulation_points`
  on the undirected network): the only supplier of its stage, whose loss leaves no
  alternative. The paths through such a node are returned as ``stranded_paths``;
- ``in_min_cut``: whether it lies on the minimum cut (:func:`networkx.minimum_cut`, each
  supplier's capacity its share) between the super-source and the consumer: the cheapest set
  of suppliers (by world share) whose loss cuts the consumer off.

:func:`networkx.minimum_node_cut` gives the fewest suppliers whose loss cuts it off.

Examples
--------
>>> from cmkg.graph.analytics.network import new_network, add_supply
>>> G = new_network()
>>> _ = add_supply(G, "CN", "gallium", "mining", share=0.6, year=2024)
>>> _ = add_supply(G, "AU", "gallium", "mining", share=0.4, year=2024)
>>> _ = add_supply(G, "CN", "gallium", "processing", share=0.995, year=2024)
>>> _ = add_supply(G, "JP", "gallium", "processing", share=0.005, year=2024)
>>> c = chokepoints(G, "gallium", min_share=0.01)
>>> [(p.country, p.stage, p.articulation) for p in c.chokepoints]
[('CN', 'processing', True), ('CN', 'mining', False), ('AU', 'mining', False)]
>>> c.min_node_cut
(('CN', 'processing'),)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..errors import InputError
from .network import (
    OTHER_COUNTRIES,
    country_label,
    mineral_label,
    resolve_country,
    resolve_mineral,
)
from .paths import k_best_products
from .relations import export_controls_covering
from .supply import Figure, collect_sources, stage_supply, supply_stages

__all__ = [
    "Chokepoint",
    "Chokepoints",
    "chokepoint_table",
    "chokepoints",
    "supply_flow_graph",
]

SOURCE = "source"


def _sink(consumer: str | None) -> str:
    return f"consumer:{consumer}" if consumer else "world"


def _layer_node(stage: str, country: str) -> str:
    return f"{stage}:{country}"


def supply_flow_graph(
    G: nx.MultiDiGraph,
    mineral: str,
    *,
    consumer: str | None = None,
    year: int | None = None,
    min_share: float = 0.0,
) -> nx.DiGraph:
    """The layered flow network of one mineral, from a super-source to a consumer.

    Nodes: ``"source"``, one node ``"<stage>:<country>"`` per supplier with ``share``,
    ``country``, ``stage`` and ``figure`` attributes, and the sink (``"consumer:<code>"`` or
    ``"world"``). Edges run from each stage's suppliers to the next stage's; each carries
    ``flow`` (the fraction of supply on it under proportional sourcing) and ``cost``
    (``-log`` of the share of the supplier it enters).

    The suppliers the figures do not name are one more supplier, ``"<stage>:ZZ"``
    (``aggregate=True``): "other countries" of the statistics plus the unnamed remainder,
    one minus the named shares (``unnamed_share``), when it reaches ``min_share`` (past it,
    under a lower bound such as "more than 99%"). ``F.graph["coverage"]`` holds the share the
    figures name at each stage, ``F.graph["unnamed"]`` the remainders counted.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "CN", "gallium", "mining", share=0.6)
    >>> _ = add_supply(G, "AU", "gallium", "mining", share=0.4)
    >>> _ = add_supply(G, "CN", "gallium", "processing", share=1.0)
    >>> F = supply_flow_graph(G, "gallium", consumer="US")
    >>> sorted(F.successors("mining:AU")), F.edges["mining:AU", "processing:CN"]["flow"]
    (['processing:CN'], 0.4)
    >>> _ = add_supply(G, "CL", "copper", "mining", share=0.235)  # the only named miner
    >>> F = supply_flow_graph(G, "copper")
    >>> F.nodes["mining:ZZ"]["share"], F.graph["coverage"]
    (0.765, {'mining': 0.235})
    """
    if not 0.0 <= min_share < 1.0:
        raise InputError(f"min_share must be in [0, 1), not {min_share}")
    sink = _sink(consumer)
    F = nx.DiGraph(mineral=mineral, consumer=consumer, year=year, min_share=min_share)
    F.add_node(SOURCE)
    F.add_node(sink)
    previous: list[tuple[str, float]] = [(SOURCE, 1.0)]
    stages = []
    coverage: dict[str, float] = {}
    unnamed: dict[str, float] = {}
    for stage in supply_stages(G, mineral, year=year):
        figs = [f for f in stage_supply(G, mineral, stage, year=year).ranked() if f.share]
        named = round(sum(float(f.share or 0.0) for f in figs), 12)
        rest = round(max(0.0, 1.0 - named), 12)
        zz = next((f for f in figs if f.country == OTHER_COUNTRIES), None)
        # a lower bound ("more than 90%") leaves less than the rest to the others
        strict = any(f.comparator in (">", ">=") for f in figs)
        counted = rest > 0 and (rest > min_share if strict else rest >= min_share)
        others = (float(zz.share or 0.0) if zz else 0.0) + (rest if counted else 0.0)
        nodes: list[tuple[str, float, dict[str, Any]]] = [
            (f.country, float(f.share or 0.0), {"figure": f})
            for f in figs
            if f.country != OTHER_COUNTRIES and (f.share or 0.0) >= min_share
        ]
        if others > 0 and others >= min_share:
            extra = {"figure": zz, "aggregate": True, "unnamed_share": rest if counted else 0.0}
            nodes.append((OTHER_COUNTRIES, others, extra))
            nodes.sort(key=lambda n: -n[1])
        if not nodes:
            continue
        stages.append(stage)
        coverage[stage] = named
        if counted:
            unnamed[stage] = rest
        current = []
        for country, share, extra in nodes:
            n = _layer_node(stage, country)
            F.add_node(n, country=country, stage=stage, share=share, **extra)
            for p, ps in previous:
                F.add_edge(p, n, flow=ps * share, cost=-math.log(share))
            current.append((n, share))
        previous = current
    for p, ps in previous:
        if p != SOURCE:
            F.add_edge(p, sink, flow=ps, cost=0.0)
    F.graph["stages"] = tuple(stages)
    F.graph["coverage"] = coverage
    F.graph["unnamed"] = unnamed
    return F


@dataclass(frozen=True, slots=True)
class Chokepoint:
    """One supplier at one stage, and what its loss would do."""

    country: str
    stage: str
    stranded: float
    betweenness: float
    articulation: bool
    in_min_cut: bool
    figure: Figure
    export_controls: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Chokepoints:
    """The answer of :func:`chokepoints`."""

    mineral: str
    consumer: str | None
    year: int | None
    stages: tuple[str, ...]
    min_share: float
    chokepoints: tuple[Chokepoint, ...]
    min_cut_value: float
    min_cut: tuple[tuple[str, str], ...]
    min_node_cut: tuple[tuple[str, str], ...]
    stranded_paths: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    coverage: Mapping[str, float] = field(default_factory=dict)

    def to_dict(self, G: nx.MultiDiGraph) -> dict[str, Any]:
        """A JSON-ready dict, with names and the sources behind the numbers.

        >>> from cmkg.graph.analytics.network import new_network, add_supply
        >>> G = new_network()
        >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.995, year=2024)
        >>> chokepoints(G, "gallium").to_dict(G)["min_node_cut"]
        [{'country': 'CN', 'stage': 'processing'}]
        """
        return {
            "mineral": self.mineral,
            "mineral_label": mineral_label(G, self.mineral),
            "consumer": self.consumer,
            "year": self.year,
            "stages": list(self.stages),
            "coverage": dict(self.coverage),
            "min_share": self.min_share,
            "chokepoints": [
                {
                    "country": c.country,
                    "country_label": country_label(G, c.country),
                    "stage": c.stage,
                    "stranded": c.stranded,
                    "betweenness": round(c.betweenness, 6),
                    "articulation": c.articulation,
                    "in_min_cut": c.in_min_cut,
                    "year": c.figure.year,
                    "comparator": c.figure.comparator,
                    "kind": c.figure.kind,
                    "source": c.figure.source,
                    "export_controls": list(c.export_controls),
                }
                for c in self.chokepoints
            ],
            "min_cut": {
                "value": self.min_cut_value,
                "suppliers": [{"country": c, "stage": s} for c, s in self.min_cut],
            },
            "min_node_cut": [{"country": c, "stage": s} for c, s in self.min_node_cut],
            "stranded_paths": list(self.stranded_paths),
            "notes": list(self.notes),
            "sources": collect_sources(
                G,
                [c.figure for c in self.chokepoints],
                [x for c in self.chokepoints for x in c.export_controls],
            ),
        }


def _split_capacities(F: nx.DiGraph, sink: str) -> nx.DiGraph:
    """Each supplier node split in two, joined by an arc whose capacity is its share."""
    H = nx.DiGraph()
    for n, d in F.nodes(data=True):
        if "share" in d:
            H.add_edge((n, "in"), (n, "out"), capacity=d["share"])
    for u, v in F.edges:
        a = (u, "out") if u != SOURCE else SOURCE
        b = (v, "in") if v != sink else sink
        H.add_edge(a, b)  # no capacity attribute: unbounded
    return H


def chokepoints(
    G: nx.MultiDiGraph,
    mineral: str,
    *,
    consumer: str | None = None,
    year: int | None = None,
    min_share: float = 0.01,
    top: int = 10,
    paths_per_chokepoint: int = 3,
) -> Chokepoints:
    """Rank the suppliers of ``mineral`` by the supply their loss would strand (model above).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A supply network.
    mineral : str
        A mineral id.
    consumer : str, optional
        The consumer country at the sink (default: the world).
    year : int, optional
        Use figures of this year or earlier.
    min_share : float
        Suppliers below this world share are not counted as alternatives (default 1%).
    top : int
        How many chokepoints to return.
    paths_per_chokepoint : int
        How many stranded paths to list for each articulation point.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "CN", "rare-earths", "mining", share=0.7)
    >>> _ = add_supply(G, "US", "rare-earths", "mining", share=0.3)
    >>> _ = add_supply(G, "CN", "rare-earths", "processing", share=0.9)
    >>> _ = add_supply(G, "MY", "rare-earths", "processing", share=0.08)
    >>> c = chokepoints(G, "rare-earths", consumer="JP", min_share=0.05)
    >>> c.min_cut_value, c.min_cut  # the unnamed 2% of processing is under min_share
    (0.98, (('CN', 'processing'), ('MY', 'processing')))
    >>> c = chokepoints(G, "rare-earths", consumer="JP", min_share=0.01)
    >>> c.min_cut_value, c.notes[-1]  # doctest: +ELLIPSIS
    (1.0, "the processing figures name 98.0% of world supply: the other 2.0%, ...")
    """
    mineral = resolve_mineral(G, mineral)
    if consumer is not None:
        consumer = resolve_country(G, consumer)
    if top < 1:
        raise InputError(f"top must be at least 1, not {top}")
    F = supply_flow_graph(G, mineral, consumer=consumer, year=year, min_share=min_share)
    sink = _sink(consumer)
    stages = F.graph["stages"]
    notes = [
        "stranded = the supplier's world share at its stage: the fraction of every consumer's "
        "supply that passes through it under proportional sourcing (no bilateral trade data)",
    ]
    if min_share > 0:
        notes.append(f"suppliers under {min_share:.0%} of world supply are not alternatives")
    for s, rest in F.graph["unnamed"].items():
        notes.append(
            f"the {s} figures name {F.graph['coverage'][s]:.1%} of world supply: the other "
            f"{rest:.1%}, suppliers they do not name, count as one alternative ('other countries')"
        )
    suppliers = [n for n, d in F.nodes(data=True) if "share" in d]
    if not suppliers:
        notes.append(f"no supply figures for {mineral_label(G, mineral)}")
        return Chokepoints(
            mineral, consumer, year, (), min_share, (), 0.0, (), (), (), tuple(notes)
        )

    betweenness = nx.betweenness_centrality(F, weight="cost", normalized=True)
    articulation = set(nx.articulation_points(F.to_undirected(as_view=True))) - {SOURCE, sink}
    cut_value, (reach, _) = nx.minimum_cut(_split_capacities(F, sink), SOURCE, sink)
    in_cut = {n for n in suppliers if (n, "in") in reach and (n, "out") not in reach}
    node_cut = nx.minimum_node_cut(F, SOURCE, sink)

    layers = {s: [n for n in suppliers if F.nodes[n]["stage"] == s] for s in stages}
    for s in stages:
        layers[s].sort(key=lambda n: -F.nodes[n]["share"])
    ordered = list(reversed(stages))  # consumer side first, like dependency paths
    values = [[F.nodes[n]["share"] for n in layers[s]] for s in ordered]

    points = []
    stranded_paths = []
    controls: dict[str, tuple[dict[str, Any], ...]] = {}
    for n in suppliers:
        d = F.nodes[n]
        if d.get("aggregate"):  # "other countries": an alternative, not a chokepoint
            continue
        code = d["country"]
        if code not in controls:
            controls[code] = tuple(export_controls_covering(G, mineral, country=code))
        points.append(
            Chokepoint(
                country=code,
                stage=d["stage"],
                stranded=d["share"],
                betweenness=betweenness.get(n, 0.0),
                articulation=n in articulation,
                in_min_cut=n in in_cut,
                figure=d["figure"],
                export_controls=controls[code],
            )
        )
        if n in articulation:
            pos = ordered.index(d["stage"])
            fixed = [list(v) for v in values]
            fixed[pos] = [d["share"]]
            for idx in k_best_products(fixed, paths_per_chokepoint):
                hops = []
                for p, i in enumerate(idx):
                    node = n if p == pos else layers[ordered[p]][i]
                    hops.append(
                        {
                            "stage": ordered[p],
                            "supplier": F.nodes[node]["country"],
                            "share": F.nodes[node]["share"],
                        }
                    )
                share = math.prod(h["share"] for h in hops)
                stranded_paths.append(
                    {
                        "chokepoint": {"country": code, "stage": d["stage"]},
                        "share": share,
                        "hops": hops,
                    }
                )
    points.sort(key=lambda c: (-c.articulation, -c.stranded, -c.betweenness, c.country, c.stage))
    return Chokepoints(
        mineral=mineral,
        consumer=consumer,
        year=year,
        stages=tuple(stages),
        min_share=min_share,
        chokepoints=tuple(points[:top]),
        min_cut_value=round(float(cut_value), 10),
        min_cut=tuple(sorted((F.nodes[n]["country"], F.nodes[n]["stage"]) for n in in_cut)),
        min_node_cut=tuple(sorted((F.nodes[n]["country"], F.nodes[n]["stage"]) for n in node_cut)),
        stranded_paths=tuple(stranded_paths),
        notes=tuple(notes),
        coverage=dict(F.graph["coverage"]),
    )


def chokepoint_table(
    G: nx.MultiDiGraph, *, year: int | None = None, min_share: float = 0.01, top: int = 20
) -> list[Chokepoint | Any]:
    """The top chokepoint of every mineral, articulation points first, then by stranded share.

    Returns ``(mineral, Chokepoint)`` pairs.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.995)
    >>> _ = add_supply(G, "CD", "cobalt", "mining", share=0.7)
    >>> _ = add_supply(G, "ID", "cobalt", "mining", share=0.1)
    >>> [(m, c.country, c.articulation) for m, c in chokepoint_table(G)]
    [('gallium', 'CN', True), ('cobalt', 'CD', False)]
    """
    minerals = sorted({d["mineral"] for _, d in G.nodes(data=True) if d.get("kind") == "supply"})
    out = []
    for m in minerals:
        c = chokepoints(G, m, year=year, min_share=min_share, top=1, paths_per_chokepoint=0)
        if c.chokepoints:
            out.append((m, c.chokepoints[0]))
    out.sort(key=lambda mc: (-mc[1].articulation, -mc[1].stranded, mc[0]))
    return out[:top]
