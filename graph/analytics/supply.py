"""Which figure stands for a supplier's share at a stage: the rules every analysis shares.

A (country, mineral, stage) may carry several figures: statistics of several years and
datasets, and claims read from news articles. :func:`stage_supply` picks one per country:

1. Only figures with a share count (a withheld statistic has none; it is listed apart). With
   ``year``, only figures of that year or earlier ("as of").
2. The **reference** figure is the latest statistic; at equal year production beats a
   reported share, which beats capacity. When the latest statistic is withheld, the country
   has no figure (an older one does not stand in) and is listed in ``withheld``.
3. The **claim** is the latest claim not contradicted by the statistics (its year is the
   stated one, else its article's year); at equal year a claim found consistent beats an
   unchecked one, then the larger value wins.
4. The claim stands for the country when it is more recent than the reference figure (or
   there is none); the reference figure is then kept as ``superseded``. At equal year the
   statistics win.
5. Lower bounds tighten: a claim that the share is more than v (``>``, ``>=``), not
   contradicted by the statistics and not older than the figure of step 4 (an undated claim is
   not known to be older), raises the figure to v when v exceeds it ("more than 90 percent"
   beats 87% of 2019 and "more than 80%"); the figures it replaces are kept as ``superseded``.
6. Groups roll up and down. A mineral without figures at a stage takes its members' figures
   (the largest member share per country: the group's share is at least that), else the figures
   of its nearest group (never the root, "critical minerals"); :attr:`StageSupply.basis` and
   :attr:`StageSupply.note` say so. A group that has figures also shows its members' claims as
   evidence.

Examples
--------
>>> from cmkg.graph.analytics.network import new_network, add_supply
>>> G = new_network()
>>> _ = add_supply(G, "CN", "rare-earths", "processing", share=0.87, year=2019)
>>> _ = add_supply(G, "CN", "rare-earths", "processing", share=0.9, comparator=">",
...                kind="claim", year=2025)
>>> f = stage_supply(G, "rare-earths", "processing").figures["CN"]
>>> f.share, f.comparator, f.kind, f.superseded[0].share
(0.9, '>', 'claim', 0.87)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from .network import (
    FLOW_STAGES,
    OTHER_COUNTRIES,
    ROOT_MINERAL,
    _memo,
    ancestors,
    country_label,
    descendants,
    mineral_label,
    supply_node,
)

__all__ = [
    "Figure",
    "StageSupply",
    "collect_sources",
    "label_figure",
    "stage_supply",
    "supply_stages",
]

_MEASURE_RANK = {"production": 3, "share": 2, "capacity": 1, "reserves": 0}
_CONSISTENCY_RANK = {"consistent": 2, "unchecked": 1, None: 1, "contradicted": 0}


@dataclass(frozen=True, slots=True)
class Figure:
    """One supplier's share of one mineral at one stage, with where it comes from."""

    country: str
    mineral: str
    stage: str
    share: float | None
    year: int | None
    kind: str
    measure: str
    key: str
    comparator: str = "="
    source: str | None = None
    source_url: str | None = None
    volume: float | None = None
    unit: str | None = None
    status: str | None = None
    year_inferred: bool = False
    share_derived: bool = False
    world_total: float | None = None
    renormalised: bool = False
    consistency: str | None = None
    reference_value: float | None = None
    basis: str | None = None
    evidence: tuple[Mapping[str, Any], ...] = ()
    superseded: tuple[Figure, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``superseded`` figures nested).

        >>> f = Figure("CN", "gallium", "processing", 0.99, 2024, "reference", "production", "o1")
        >>> f.to_dict()["share"], f.to_dict()["observation"]
        (0.99, 'o1')
        """
        out: dict[str, Any] = {
            "country": self.country,
            "mineral": self.mineral,
            "stage": self.stage,
            "share": self.share,
            "comparator": self.comparator,
            "year": self.year,
            "year_inferred": self.year_inferred,
            "kind": self.kind,
            "measure": self.measure,
            "share_derived": self.share_derived,
            "world_total": self.world_total,
            "renormalised": self.renormalised,
            "volume": self.volume,
            "unit": self.unit,
            "status": self.status,
            "basis": self.basis,
            "source": self.source,
            "source_url": self.source_url,
            "observation": self.key,
            "evidence": [dict(e) for e in self.evidence],
        }
        if self.kind == "claim":
            out["consistency"] = self.consistency
            out["reference_value"] = self.reference_value
        if self.superseded:
            out["superseded"] = [f.to_dict() for f in self.superseded]
        return out


@dataclass(frozen=True, slots=True)
class StageSupply:
    """The figures that stand for each supplier of a mineral at a stage."""

    mineral: str
    stage: str
    figures: Mapping[str, Figure]
    claims: Mapping[str, tuple[Figure, ...]] = field(default_factory=dict)
    withheld: tuple[Figure, ...] = ()
    basis: str = "own"
    from_minerals: tuple[str, ...] = ()
    note: str | None = None

    def ranked(self, *, positive: bool = True) -> list[Figure]:
        """The figures, largest share first (only positive shares unless ``positive=False``).

        >>> from cmkg.graph.analytics.network import new_network, add_supply
        >>> G = new_network()
        >>> _ = add_supply(G, "US", "gallium", "processing", share=0.0)
        >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99)
        >>> [f.country for f in stage_supply(G, "gallium", "processing").ranked()]
        ['CN']
        """
        figs = [f for f in self.figures.values() if f.share is not None]
        if positive:
            figs = [f for f in figs if f.share > 0]
        return sorted(figs, key=lambda f: (-(f.share or 0.0), f.country))


def _figure(code: str, key: str, d: Mapping[str, Any], mineral: str, stage: str) -> Figure:
    return Figure(
        country=code,
        mineral=mineral,
        stage=stage,
        share=d.get("share"),
        year=d.get("year"),
        kind=d.get("kind", "reference"),
        measure=d.get("measure", "share"),
        key=key,
        comparator=d.get("comparator") or "=",
        source=d.get("source"),
        source_url=d.get("source_url"),
        volume=d.get("volume"),
        unit=d.get("unit"),
        status=d.get("status"),
        year_inferred=bool(d.get("year_inferred")),
        share_derived=bool(d.get("share_derived")),
        world_total=d.get("world_total"),
        renormalised=bool(d.get("renormalised")),
        consistency=d.get("consistency"),
        reference_value=d.get("reference_value"),
        basis=d.get("basis"),
        evidence=tuple(d.get("evidence") or ()),
    )


def _edges(G: nx.MultiDiGraph, mineral: str, stage: str) -> list[Figure]:
    v = supply_node(mineral, stage)
    if v not in G:
        return []
    out = []
    for u, _, k, d in G.in_edges(v, keys=True, data=True):
        if d.get("relation") == "supply":
            out.append(_figure(G.nodes[u]["code"], k, d, mineral, stage))
    return out


def _year(f: Figure) -> int:
    return f.year if f.year is not None else -(10**6)


def _pick(figs: list[Figure]) -> tuple[Figure | None, tuple[Figure, ...], Figure | None]:
    """The figure that stands for one country, its claims (newest first), and the withheld
    statistic that leaves it without one."""
    claims = sorted(
        (f for f in figs if f.kind == "claim"),
        key=lambda f: (
            -_year(f),
            -_CONSISTENCY_RANK.get(f.consistency, 1),
            -(f.share or 0.0),
            f.key,
        ),
    )
    latest = max(
        (f for f in figs if f.kind == "reference"),
        key=lambda f: (
            _year(f),
            _MEASURE_RANK.get(f.measure, 0),
            f.share is not None,
            f.share or 0.0,
            f.key,
        ),
        default=None,
    )
    usable = [c for c in claims if c.share is not None and c.consistency != "contradicted"]
    claim = usable[0] if usable else None
    chosen: Figure | None
    if claim is not None and (
        latest is None or (claim.year is not None and _year(claim) > _year(latest))
    ):
        superseded = (latest,) if latest is not None and latest.share is not None else ()
        chosen = replace(claim, superseded=superseded)
    elif latest is not None and latest.share is None:
        return None, tuple(claims), latest
    else:
        chosen = latest
    if chosen is not None:
        chosen = _tighten(chosen, usable)
    return chosen, tuple(claims), None


def _tighten(chosen: Figure, usable: list[Figure]) -> Figure:
    """Raise ``chosen`` to the largest lower bound (``>``, ``>=``) among ``usable`` claims that
    exceeds it and is not older than it (an undated claim is not known to be older)."""
    bounds = [
        c
        for c in usable
        if c.comparator in (">", ">=")
        and (c.share or 0.0) > (chosen.share or 0.0)
        and (c.year is None or chosen.year is None or c.year >= chosen.year)
        and c.key != chosen.key
    ]
    if not bounds:
        return chosen
    best = max(bounds, key=lambda c: (c.share or 0.0, _year(c), c.key))
    return replace(best, superseded=(replace(chosen, superseded=()), *chosen.superseded))


def _own(
    G: nx.MultiDiGraph, mineral: str, stage: str, year: int | None
) -> tuple[dict[str, Figure], dict[str, tuple[Figure, ...]], list[Figure]]:
    by_country: dict[str, list[Figure]] = {}
    for f in _edges(G, mineral, stage):
        if year is not None and f.year is not None and f.year > year:
            continue
        by_country.setdefault(f.country, []).append(f)
    figures: dict[str, Figure] = {}
    claims: dict[str, tuple[Figure, ...]] = {}
    withheld: list[Figure] = []
    for code, figs in by_country.items():
        chosen, cl, held = _pick(figs)
        if cl:
            claims[code] = cl
        if chosen is not None:
            figures[code] = chosen
        elif held is not None:
            withheld.append(held)
    return figures, claims, withheld


def stage_supply(
    G: nx.MultiDiGraph, mineral: str, stage: str, *, year: int | None = None
) -> StageSupply:
    """The figure that stands for each supplier of ``mineral`` at ``stage`` (rules above).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A supply network (:mod:`cmkg.graph.analytics.network`).
    mineral, stage : str
        A mineral id and a stage name.
    year : int, optional
        Use figures of this year or earlier only.

    Returns
    -------
    StageSupply

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_mineral, add_supply
    >>> G = new_network()
    >>> add_mineral(G, "dysprosium", broader="rare-earths")
    >>> _ = add_supply(G, "CN", "rare-earths", "mining", share=0.69, year=2025)
    >>> s = stage_supply(G, "dysprosium", "mining")
    >>> s.basis, s.figures["CN"].share
    ('group', 0.69)
    >>> s.note
    'no figures for dysprosium at mining: the figures of its group rare earths stand in'
    """
    memo = _memo(G)
    memo_key = ("stage_supply", mineral, stage, year)
    if memo_key in memo:
        return memo[memo_key]
    figures, claims, withheld = _own(G, mineral, stage, year)
    basis, used, note = "own", (mineral,), None
    members = descendants(G, mineral)
    member_claims: dict[str, list[Figure]] = {}
    member_figs: dict[str, dict[str, Figure]] = {}
    for m in members:
        mf, mc, _ = _own(G, m, stage, year)
        if mf:
            member_figs[m] = mf
        for code, cl in mc.items():
            member_claims.setdefault(code, []).extend(cl)
    if not figures and member_figs:
        basis, used = "members", tuple(sorted(member_figs))
        for mf in member_figs.values():
            for code, f in mf.items():
                if code not in figures or (f.share or 0.0) > (figures[code].share or 0.0):
                    figures[code] = f
        note = (
            f"no figures for {mineral_label(G, mineral)} at {stage}: the largest share of its "
            f"members ({', '.join(mineral_label(G, m) for m in used)}) stands for each country"
        )
    if not figures:
        for group in ancestors(G, mineral):
            if group == ROOT_MINERAL:
                break
            gf, gc, gw = _own(G, group, stage, year)
            if gf:
                figures, withheld = gf, gw
                for code, cl in gc.items():
                    member_claims.setdefault(code, []).extend(cl)
                basis, used = "group", (group,)
                note = (
                    f"no figures for {mineral_label(G, mineral)} at {stage}: the figures of "
                    f"its group {mineral_label(G, group)} stand in"
                )
                break
    all_claims = dict(claims)
    for code, cl in member_claims.items():
        all_claims[code] = tuple(
            sorted(
                {f.key: f for f in (*all_claims.get(code, ()), *cl)}.values(),
                key=lambda f: (-_year(f), f.key),
            )
        )
    result = StageSupply(
        mineral=mineral,
        stage=stage,
        figures=figures,
        claims=all_claims,
        withheld=tuple(withheld),
        basis=basis if figures else "none",
        from_minerals=used if figures else (),
        note=note,
    )
    memo[memo_key] = result
    return result


def supply_stages(
    G: nx.MultiDiGraph,
    mineral: str,
    *,
    year: int | None = None,
    stages: Iterable[str] = FLOW_STAGES,
) -> list[str]:
    """The flow stages at which ``mineral`` has supply figures, upstream first.

    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
    >>> supply_stages(G, "gallium")
    ['processing']
    """
    return [s for s in stages if stage_supply(G, mineral, s, year=year).figures]


def collect_sources(
    G: nx.MultiDiGraph,
    figures: Iterable[Figure],
    records: Iterable[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """The sources behind ``figures`` and ``records`` (agreements, export controls,
    investments): one entry per dataset or article, with the years used (a record's year is
    that of its ``date`` or ``start``, else of its article). A record reported by several
    articles (``sources``) names each of them.

    >>> from cmkg.graph.analytics.network import new_network, add_source, add_supply
    >>> G = new_network()
    >>> add_source(G, "urn:usgs", kind="dataset", label="USGS MCS 2026")
    >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024, source="urn:usgs")
    >>> collect_sources(G, stage_supply(G, "gallium", "processing").figures.values())
    [{'iri': 'urn:usgs', 'kind': 'dataset', 'label': 'USGS MCS 2026', 'years': [2024]}]
    >>> collect_sources(G, [], [{"source": "urn:a1", "date": "2025-10-28"}])
    [{'iri': 'urn:a1', 'kind': 'unknown', 'years': [2025]}]
    """
    seen: dict[str, set[int]] = {}
    todo = list(figures)
    while todo:
        f = todo.pop()
        todo.extend(f.superseded)
        if f.source is None:
            continue
        years = seen.setdefault(f.source, set())
        if f.year is not None:
            years.add(f.year)
    for r in records:
        for source in r.get("sources") or ([r["source"]] if r.get("source") else []):
            years = seen.setdefault(source, set())
            published = G.graph["sources"].get(source, {}).get("published")
            when = str(r.get("date") or r.get("start") or published or "")
            if when[:4].isdigit():
                years.add(int(when[:4]))
    out = []
    for iri in sorted(seen):
        row = dict(G.graph["sources"].get(iri, {"iri": iri}))
        row.setdefault("kind", "unknown")
        row["years"] = sorted(seen[iri])
        out.append(row)
    return out


def label_figure(G: nx.MultiDiGraph, f: Figure) -> dict[str, Any]:
    """``f.to_dict()`` with the supplier's name; ``"aggregate": True`` for "other countries".

    >>> from cmkg.graph.analytics.network import new_network
    >>> f = Figure("ZZ", "gallium", "processing", 0.01, 2024, "reference", "production", "o1")
    >>> d = label_figure(new_network(), f)
    >>> d["country_label"], d["aggregate"]
    ('Other countries', True)
    """
    out = f.to_dict()
    out["country_label"] = country_label(G, f.country)
    out["aggregate"] = f.country == OTHER_COUNTRIES
    return out
