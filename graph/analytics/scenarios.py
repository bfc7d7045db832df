"""Disruption scenarios: a supplier cuts exports of minerals at a stage; who falls short?

The model
---------
The graph holds world shares and no bilateral trade or demand data, so consumers are taken to
buy from every supplier in proportion to its world share (proportional sourcing, as in
:mod:`cmkg.graph.analytics.paths`). When supplier X cuts a fraction ``cut`` of its exports of
mineral M at stage S (``cut=1``: an embargo), sparing the ``exempt`` countries:

- at S, every other consumer loses ``cut * s_X(S)`` of its supply of M (``world_loss``);
- at each later stage T, the plants outside X lose that fraction of their feed while X's own
  plants keep theirs (X cuts exports, not its home market), so consumers lose
  ``cut * s_X(S) * (1 - s_X(T))``;
- exempt countries and X itself lose nothing.

**Agreement partners.** With partners counted as alternative suppliers, the output of the
consumer's agreement partners at that stage (their world shares, X excluded; agreements that
cover M, its group or "critical minerals") is set against the loss:
``shortfall = max(0, loss - sum(s_P))``. Both sides are fractions of world supply: this is the
cover partners could give if they redirected all of their output to the consumer and the
consumer needed a world-sized supply, a cautious bound (a small consumer would be covered
sooner) that rests on no trade data. ``count_agreement_partners`` says which of the two
shortfalls is the headline ``shortfall``; both are always reported.

Examples
--------
>>> from cmkg.graph.analytics.network import new_network, add_supply, add_agreement
>>> G = new_network()
>>> _ = add_supply(G, "CN", "rare-earths", "processing", share=0.9, year=2024)
>>> _ = add_supply(G, "MY", "rare-earths", "processing", share=0.05, year=2024)
>>> _ = add_supply(G, "US", "rare-earths", "processing", share=0.05, year=2024)
>>> _ = add_agreement(G, ["US", "JP"], ["rare-earths"], key="us-jp")
>>> d = disruption(G, "CN", ["rare-earths"], "processing", 0.5)
>>> jp = d.results[0].stages[0].country("JP")
>>> jp.shortfall_without_partners, jp.partner_cover, jp.shortfall
(0.45, 0.05, 0.4)
"""

from __future__ import annotations

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
from .relations import agreements_covering
from .supply import Figure, collect_sources, stage_supply, supply_stages

__all__ = ["Disruption", "Exposure", "MineralDisruption", "StageShortfall", "disruption"]


@dataclass(frozen=True, slots=True)
class Exposure:
    """What one consumer country loses at one stage."""

    country: str
    shortfall: float
    shortfall_without_partners: float
    partner_cover: float
    partners: tuple[str, ...] = ()
    exempt: bool = False


@dataclass(frozen=True, slots=True)
class StageShortfall:
    """The loss at one stage, and the consumers exposed to it."""

    stage: str
    world_loss: float
    supplier_share: float | None
    exposed: tuple[Exposure, ...]

    def country(self, code: str) -> Exposure | None:
        """The exposure of one country (``None`` if it is not listed).

        >>> row = StageShortfall("mining", 0.5, 0.5, (Exposure("JP", 0.5, 0.5, 0.0),))
        >>> row.country("JP").shortfall, row.country("DE")
        (0.5, None)
        """
        return next((e for e in self.exposed if e.country == code), None)


@dataclass(frozen=True, slots=True)
class MineralDisruption:
    """The scenario's effect on one mineral, stage by stage from the cut stage downstream."""

    mineral: str
    stages: tuple[StageShortfall, ...]
    figures: tuple[Figure, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Disruption:
    """The answer of :func:`disruption`."""

    supplier: str
    minerals: tuple[str, ...]
    stage: str
    cut: float
    exempt: tuple[str, ...]
    count_agreement_partners: bool
    year: int | None
    results: tuple[MineralDisruption, ...]
    notes: tuple[str, ...]
    agreements: tuple[dict[str, Any], ...] = ()
    consumers: tuple[str, ...] | None = None

    def to_dict(self, G: nx.MultiDiGraph) -> dict[str, Any]:
        """A JSON-ready dict, with names and the sources behind the numbers.

        >>> from cmkg.graph.analytics.network import new_network, add_supply
        >>> G = new_network()
        >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
        >>> _ = add_supply(G, "JP", "gallium", "processing", share=0.01, year=2024)
        >>> d = disruption(G, "CN", ["gallium"], "processing", 1.0).to_dict(G)
        >>> d["results"][0]["stages"][0]["exposed"][0]["shortfall"]
        0.99
        """
        figures = [f for r in self.results for f in r.figures]
        return {
            "supplier": self.supplier,
            "supplier_label": country_label(G, self.supplier),
            "minerals": list(self.minerals),
            "stage": self.stage,
            "cut": self.cut,
            "exempt": list(self.exempt),
            "consumers": None if self.consumers is None else list(self.consumers),
            "count_agreement_partners": self.count_agreement_partners,
            "year": self.year,
            "results": [
                {
                    "mineral": r.mineral,
                    "mineral_label": mineral_label(G, r.mineral),
                    "notes": list(r.notes),
                    "stages": [
                        {
                            "stage": s.stage,
                            "supplier_share": s.supplier_share,
                            "world_loss": s.world_loss,
                            "exposed": [
                                {
                                    "country": e.country,
                                    "country_label": country_label(G, e.country),
                                    "shortfall": e.shortfall,
                                    "shortfall_without_partners": e.shortfall_without_partners,
                                    "partner_cover": e.partner_cover,
                                    "partners": list(e.partners),
                                }
                                for e in s.exposed
                            ],
                        }
                        for s in r.stages
                    ],
                }
                for r in self.results
            ],
            "notes": list(self.notes),
            "sources": collect_sources(G, figures, self.agreements),
        }


def _clean(x: float) -> float:
    return round(x, 12)


def disruption(
    G: nx.MultiDiGraph,
    supplier: str,
    minerals: Sequence[str],
    stage: str,
    cut: float,
    exempt: Sequence[str] = (),
    *,
    consumers: Sequence[str] | None = None,
    count_agreement_partners: bool = True,
    year: int | None = None,
) -> Disruption:
    """The shortfall, per mineral and stage, when ``supplier`` cuts exports (model above).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A supply network.
    supplier : str
        The country that cuts its exports (ISO 3166-1 alpha-2).
    minerals : sequence of str
        Mineral ids (groups roll up and down as in :mod:`cmkg.graph.analytics.supply`).
    stage : str
        The stage whose exports are cut: mining, processing or manufacturing.
    cut : float
        The fraction of exports withheld, in [0, 1].
    exempt : sequence of str
        Countries the cut spares.
    consumers : sequence of str, optional
        Report these consumer countries only (default: every country of the network but the
        supplier and "other countries"; the supplier and exempt countries are never listed).
    count_agreement_partners : bool
        Whether the headline ``shortfall`` counts agreement partners as alternative suppliers.
    year : int, optional
        Use figures of this year or earlier.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_supply
    >>> G = new_network()
    >>> _ = add_supply(G, "CN", "gallium", "mining", share=0.6)
    >>> _ = add_supply(G, "AU", "gallium", "mining", share=0.4)
    >>> _ = add_supply(G, "CN", "gallium", "processing", share=0.75)
    >>> _ = add_supply(G, "JP", "gallium", "processing", share=0.25)
    >>> d = disruption(G, "CN", ["gallium"], "mining", 1.0, exempt=["JP"])
    >>> [(s.stage, s.world_loss) for s in d.results[0].stages]
    [('mining', 0.6), ('processing', 0.15)]
    >>> d.results[0].stages[0].country("JP") is None  # exempt
    True
    >>> d = disruption(G, "CN", ["gallium"], "mining", 1.0, consumers=["DE", "KR"])
    >>> [e.country for e in d.results[0].stages[0].exposed]
    ['DE', 'KR']
    >>> disruption(G, "CN", ["gallium"], "mining", 1.5)
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: cut must be a fraction in [0, 1], not 1.5
    """
    if not isinstance(cut, int | float) or isinstance(cut, bool) or not 0.0 <= cut <= 1.0:
        raise InputError(f"cut must be a fraction in [0, 1], not {cut!r}")
    if stage not in FLOW_STAGES:
        raise InputError(f"stage must be one of {', '.join(FLOW_STAGES)}, not {stage!r}")
    if not minerals:
        raise InputError("minerals must name at least one mineral")
    supplier = resolve_country(G, supplier)
    spared = tuple(dict.fromkeys(resolve_country(G, c) for c in exempt))
    wanted = tuple(dict.fromkeys(resolve_mineral(G, m) for m in minerals))
    if consumers is None:
        listed = sorted(
            d["code"]
            for _, d in G.nodes(data=True)
            if d.get("kind") == "country" and d["code"] not in (supplier, OTHER_COUNTRIES)
        )
    else:
        if isinstance(consumers, str) or not consumers:
            raise InputError(
                f"consumers must be a non-empty list of country codes, not {consumers!r}"
            )
        listed = sorted({resolve_country(G, c) for c in consumers} - {supplier, OTHER_COUNTRIES})
    notes = [
        "proportional sourcing (no bilateral trade or demand data): each consumer loses "
        "cut x the supplier's world share at the cut stage, less downstream where the "
        "supplier's own plants keep their feed",
        "with partners: the world share of the consumer's agreement partners at each stage is "
        "set against the loss (a cautious bound: partners assumed to redirect their output)",
    ]
    results = []
    records: list[dict[str, Any]] = []
    for m in wanted:
        m_notes: list[str] = []
        stages = supply_stages(G, m, year=year)
        if stage not in stages:
            m_notes.append(f"no supply figures for {mineral_label(G, m)} at {stage}")
            results.append(MineralDisruption(m, (), (), tuple(m_notes)))
            continue
        supplies = {s: stage_supply(G, m, s, year=year) for s in stages[stages.index(stage) :]}
        for ss in supplies.values():
            if ss.note:
                m_notes.append(ss.note)
        cut_fig = supplies[stage].figures.get(supplier)
        base = cut * (cut_fig.share or 0.0) if cut_fig else 0.0
        if cut_fig is None:
            m_notes.append(
                f"{country_label(G, supplier)} has no {stage} figure for {mineral_label(G, m)}:"
                " nothing to cut"
            )
        partners: dict[str, tuple[str, ...]] = {}
        for c in listed:
            covering = agreements_covering(G, m, country=c)
            partners[c] = tuple(sorted({p for a in covering for p in a["partners"]} - {supplier}))
            if partners[c]:
                records.extend(covering)
        used: list[Figure] = [cut_fig] if cut_fig else []
        stage_rows = []
        for s, ss in supplies.items():
            own = ss.figures.get(supplier)
            if s == stage:
                loss = base
                share = cut_fig.share if cut_fig else None
            else:
                share = own.share if own else None
                loss = base * (1.0 - (share or 0.0))
                if own:
                    used.append(own)
            exposed = []
            for c in listed:
                if c in spared:
                    continue
                cover = 0.0
                for p in partners[c]:
                    f = ss.figures.get(p)
                    if f is not None and f.share:
                        cover += f.share
                        used.append(f)
                with_partners = max(0.0, loss - cover)
                exposed.append(
                    Exposure(
                        country=c,
                        shortfall=_clean(with_partners if count_agreement_partners else loss),
                        shortfall_without_partners=_clean(loss),
                        partner_cover=_clean(min(cover, loss)),
                        partners=partners[c],
                    )
                )
            exposed.sort(key=lambda e: (-e.shortfall, e.country))
            stage_rows.append(StageShortfall(s, _clean(loss), share, tuple(exposed)))
        results.append(MineralDisruption(m, tuple(stage_rows), tuple(used), tuple(m_notes)))
    return Disruption(
        supplier=supplier,
        minerals=wanted,
        stage=stage,
        cut=float(cut),
        exempt=spared,
        count_agreement_partners=count_agreement_partners,
        year=year,
        results=tuple(results),
        notes=tuple(notes),
        agreements=tuple({a["id"]: a for a in records}.values()),
        consumers=None if consumers is None else tuple(listed),
    )
