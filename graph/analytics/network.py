"""The shape of the supply network the analytics work on, and the functions that build it.

The network is a :class:`networkx.MultiDiGraph` with two kinds of node:

- **country** nodes (``"country:CN"``): ``kind="country"``, ``code``, ``label``, ``iri``;
  a country's export controls (by mineral) and reserves ride on it as attributes;
- **supply** nodes, one per mineral and stage (``"supply:rare-earths:processing"``):
  ``kind="supply"``, ``mineral``, ``stage``, ``iri`` (the mineral's IRI), ``stage_iri``.

and three kinds of edge (``relation``):

- ``"supply"``: country -> supply node, one edge per statistic or news claim (the edge key is
  the observation's IRI). Attributes: ``kind`` (``"reference"`` or ``"claim"``), ``measure``
  (production, capacity, share), ``share`` (fraction of the world, ``None`` when withheld),
  ``share_derived`` (computed from a volume), ``world_total`` (the stated world total),
  ``renormalised`` (the share is of the sum of its dataset's volumes, which exceeds the stated
  world total), ``volume``, ``unit``, ``year``,
  ``year_inferred`` (a claim's year taken from its article's date), ``comparator``,
  ``status``, ``basis``, ``source`` (dataset or article IRI), ``source_url``, ``evidence`` (a
  tuple of dicts), ``consistency``, ``reference_value`` and ``checked_against`` (claims checked
  against statistics);
- ``"agreement"``: between every two parties of an agreement (``minerals``, ``date``,
  ``agreement_kind``, ``evidence``); the full record is in ``G.graph["agreements"]``. Several
  reports of one agreement (one per article) are merged into one record that keeps every
  report, source and piece of evidence (see :func:`add_agreement`);
- ``"investment"``: investor country -> host country.

Supply stages flow mining -> processing -> manufacturing (:data:`FLOW_STAGES`); reserves and
recycling are kept, but are not flow stages. ``ZZ`` stands for "other countries": a supplier
volume, never a country in concentration figures.

Tables in ``G.graph``: ``minerals`` (id -> label, IRI, broader), ``countries`` (code ->
label, IRI, memberships), ``sources`` (IRI -> dataset or article description), ``agreements``,
``export_controls``, ``investments``, ``reserves``.

Examples
--------
>>> G = new_network()
>>> add_mineral(G, "rare-earths", label="rare earths", broader="critical-minerals")
>>> key = add_supply(G, "CN", "rare-earths", "mining", share=0.71, year=2024)
>>> sorted(G.nodes)
['country:CN', 'supply:rare-earths:mining']
>>> G.edges["country:CN", "supply:rare-earths:mining", key]["share"]
0.71
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import networkx as nx

from ..errors import InputError, NotFound
from ..namespaces import country_iri, mineral_iri, slug, stage_iri

__all__ = [
    "FLOW_STAGES",
    "OTHER_COUNTRIES",
    "ROOT_MINERAL",
    "STAGES",
    "add_agreement",
    "add_country",
    "add_export_control",
    "add_investment",
    "add_mineral",
    "add_reserves",
    "add_source",
    "add_supply",
    "ancestors",
    "country_label",
    "country_node",
    "descendants",
    "mineral_family",
    "mineral_label",
    "new_network",
    "resolve_country",
    "resolve_mineral",
    "supply_node",
]

#: Stages that goods flow through, upstream first.
FLOW_STAGES: tuple[str, ...] = ("mining", "processing", "manufacturing")
#: Every stage the ontology knows.
STAGES: tuple[str, ...] = (*FLOW_STAGES, "recycling", "reserves")
#: The code of the "other countries" aggregate of the statistics.
OTHER_COUNTRIES = "ZZ"
#: The root of the mineral hierarchy: too broad for statistics to fall back to.
ROOT_MINERAL = "critical-minerals"

_MEASURES = ("production", "capacity", "share", "reserves")
_KINDS = ("reference", "claim")


def country_node(code: str) -> str:
    """The node id of a country.

    >>> country_node("jp")
    'country:JP'
    """
    return f"country:{code.upper()}"


def supply_node(mineral: str, stage: str) -> str:
    """The node id of one mineral at one supply stage.

    >>> supply_node("gallium", "processing")
    'supply:gallium:processing'
    """
    return f"supply:{mineral}:{stage}"


def new_network() -> nx.MultiDiGraph:
    """An empty supply network with its tables in place.

    >>> sorted(new_network().graph)  # doctest: +NORMALIZE_WHITESPACE
    ['agreements', 'countries', 'export_controls', 'investments', 'minerals', 'reserves',
     'sources', 'version']
    """
    G = nx.MultiDiGraph()
    G.graph.update(
        version=None,
        minerals={},
        countries={},
        sources={},
        agreements={},
        export_controls={},
        investments={},
        reserves=[],
    )
    return G


def _touch(G: nx.MultiDiGraph) -> None:
    """Forget memoised answers: the graph changed."""
    if "_memo" in G.graph:
        del G.graph["_memo"]


def _memo(G: nx.MultiDiGraph) -> dict[Any, Any]:
    """Answers memoised on the graph (indexes, figure choices), dropped when it changes.

    The builders drop it; a network is not changed once it is being analysed (the projection
    cache builds a new one per store version), so readers in several threads may share it.
    """
    memo = G.graph.get("_memo")
    if memo is None:
        memo = G.graph["_memo"] = {}
    return memo


def add_mineral(
    G: nx.MultiDiGraph,
    mineral: str,
    *,
    label: str | None = None,
    broader: str | None = None,
    iri: str | None = None,
) -> None:
    """Declare a mineral (or group) and its broader group.

    >>> G = new_network()
    >>> add_mineral(G, "dysprosium", broader="rare-earths")
    >>> G.graph["minerals"]["dysprosium"]["broader"]
    'rare-earths'
    """
    _touch(G)
    table = G.graph["minerals"]
    row = table.get(mineral)
    if row is None:
        row = table[mineral] = _mineral_row(mineral)
    if label:
        row["label"] = label
    if broader:
        row["broader"] = broader
        if broader not in table:
            table[broader] = _mineral_row(broader)
    if iri:
        row["iri"] = iri


def _mineral_row(mineral: str) -> dict[str, Any]:
    return {"id": mineral, "label": mineral, "broader": None, "iri": str(mineral_iri(mineral))}


def add_country(
    G: nx.MultiDiGraph,
    code: str,
    *,
    label: str | None = None,
    iri: str | None = None,
    member_of: Iterable[str] = (),
    node: bool = True,
) -> str:
    """Declare a country (its label, IRI and unions); add its node unless ``node=False``.

    >>> G = new_network()
    >>> add_country(G, "jp", label="Japan")
    'country:JP'
    >>> G.nodes["country:JP"]["label"], G.nodes["country:JP"]["iri"]
    ('Japan', 'https://w3id.org/cmkg/id/country/JP')
    """
    _touch(G)
    code = code.upper()
    table = G.graph["countries"]
    row = table.get(code)
    if row is None:
        row = table[code] = {
            "code": code,
            "label": "Other countries" if code == OTHER_COUNTRIES else code,
            "iri": str(country_iri(code)),
            "member_of": (),
        }
    elif not (label or iri or member_of) and node:
        n = f"country:{code}"
        if n in G:  # the common case while building: nothing new to record
            return n
    if label:
        row["label"] = label
    if iri:
        row["iri"] = iri
    if member_of:
        row["member_of"] = tuple(sorted({*row["member_of"], *(m.upper() for m in member_of)}))
    n = country_node(code)
    if node:
        if n not in G:
            G.add_node(n, kind="country", export_controls={}, reserves={})
        G.nodes[n].update(code=code, label=row["label"], iri=row["iri"])
    elif n in G:
        G.nodes[n].update(label=row["label"], iri=row["iri"])
    return n


def add_source(
    G: nx.MultiDiGraph,
    iri: str,
    *,
    kind: str,
    label: str | None = None,
    url: str | None = None,
    published: str | None = None,
    language: str | None = None,
) -> None:
    """Describe a source: a reference ``"dataset"`` or an ``"article"``.

    >>> G = new_network()
    >>> add_source(G, "https://example.org/a1", kind="article", published="2025-10-28")
    >>> G.graph["sources"]["https://example.org/a1"]["published"]
    '2025-10-28'
    """
    if kind not in ("dataset", "article"):
        raise InputError(f"source kind must be 'dataset' or 'article', not {kind!r}")
    row = G.graph["sources"].setdefault(iri, {"iri": iri, "kind": kind})
    for name, value in (("label", label), ("url", url), ("published", published)):
        if value is not None:
            row[name] = value
    if language is not None:
        row["language"] = language


def add_supply(
    G: nx.MultiDiGraph,
    country: str,
    mineral: str,
    stage: str,
    *,
    share: float | None = None,
    volume: float | None = None,
    unit: str | None = None,
    year: int | None = None,
    measure: str = "share",
    kind: str = "reference",
    comparator: str = "=",
    status: str | None = None,
    source: str | None = None,
    source_url: str | None = None,
    evidence: Sequence[Mapping[str, Any]] = (),
    consistency: str | None = None,
    reference_value: float | None = None,
    year_inferred: bool = False,
    share_derived: bool = False,
    world_total: float | None = None,
    renormalised: bool = False,
    basis: str | None = None,
    checked_against: str | None = None,
    key: str | None = None,
) -> str:
    """Add one statistic or news claim: ``country`` supplies ``share`` of ``mineral`` at ``stage``.

    Returns the edge key (``key``, or a generated one).

    >>> G = new_network()
    >>> add_supply(G, "CN", "rare-earths", "processing", share=0.9, comparator=">",
    ...            kind="claim", year=2025, key="claim-1")
    'claim-1'
    >>> add_supply(G, "CN", "rare-earths", "smelting", share=0.9)
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: unknown stage 'smelting' (one of mining, processing, ...)
    """
    if stage not in STAGES:
        raise InputError(f"unknown stage {stage!r} (one of {', '.join(STAGES[:2])}, ...)")
    if measure not in _MEASURES:
        raise InputError(f"unknown measure {measure!r} (one of {', '.join(_MEASURES)})")
    if kind not in _KINDS:
        raise InputError(f"supply kind must be 'reference' or 'claim', not {kind!r}")
    if share is not None and not 0.0 <= share <= 1.0:
        raise InputError(f"share of {country} in {mineral} {stage} must be in [0, 1]: {share}")
    _touch(G)
    u = f"country:{country.upper()}"
    if u not in G:
        add_country(G, country)
    v = supply_node(mineral, stage)
    if v not in G:
        G.add_node(
            v,
            kind="supply",
            mineral=mineral,
            stage=stage,
            iri=str(mineral_iri(mineral)),
            stage_iri=str(stage_iri(stage)),
        )
    if mineral not in G.graph["minerals"]:
        add_mineral(G, mineral)
    if key is None:
        key = f"supply-{G.number_of_edges()}"
    G.add_edge(
        u,
        v,
        key=key,
        relation="supply",
        kind=kind,
        measure=measure,
        share=share,
        share_derived=share_derived,
        world_total=world_total,
        renormalised=renormalised,
        volume=volume,
        unit=unit,
        year=year,
        year_inferred=year_inferred,
        comparator=comparator or "=",
        status=status,
        source=source,
        source_url=source_url,
        evidence=tuple(evidence),
        consistency=consistency,
        reference_value=reference_value,
        basis=basis,
        checked_against=checked_against,
        iri=key,
    )
    return key


def add_reserves(
    G: nx.MultiDiGraph,
    country: str,
    mineral: str,
    *,
    volume: float | None,
    unit: str | None = None,
    year: int | None = None,
    share: float | None = None,
    source: str | None = None,
    source_url: str | None = None,
    key: str | None = None,
) -> None:
    """Record a country's reserves of a mineral (an attribute, not a flow stage).

    >>> G = new_network()
    >>> add_reserves(G, "CN", "rare-earths", volume=44_000_000, unit="t REO", year=2025)
    >>> G.nodes["country:CN"]["reserves"]["rare-earths"][0]["volume"]
    44000000
    """
    _touch(G)
    n = add_country(G, country)
    add_mineral(G, mineral)
    row = {
        "country": country.upper(),
        "mineral": mineral,
        "volume": volume,
        "unit": unit,
        "year": year,
        "share": share,
        "source": source,
        "source_url": source_url,
        "iri": key,
    }
    G.nodes[n]["reserves"].setdefault(mineral, []).append(row)
    G.graph["reserves"].append(row)


def add_agreement(
    G: nx.MultiDiGraph,
    parties: Sequence[str],
    minerals: Sequence[str],
    *,
    date: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    evidence: Sequence[Mapping[str, Any]] = (),
    key: str | None = None,
    merge: bool = True,
) -> str:
    """Add a report of an agreement between ``parties`` on ``minerals``.

    One agreement is often reported by several articles. With ``merge`` (the default), a
    report joins the record of the same agreement instead of making a new one: same parties
    and kind, and

    - both dated: the same date;
    - either undated: minerals in common (an undated report joins the latest dated record
      not after its article's publication date, else the earliest).

    The record keeps every report (``reports``), source (``sources``; ``source`` is the first)
    and piece of ``evidence``, the union of the minerals, and the date when one report gives
    it. Each record is an edge between every two parties, keyed by the record's id (its first
    report's key). Add dated reports first: a dated report never joins a record dated
    otherwise. Returns the key of the record the report went into.

    Examples
    --------
    >>> G = new_network()
    >>> add_agreement(G, ["US", "JP"], ["rare-earths"], kind="framework", date="2025-10-28",
    ...               source="urn:a1", key="a1")
    'a1'
    >>> add_agreement(G, ["JP", "US"], ["critical-minerals", "rare-earths"], kind="framework",
    ...               source="urn:a2", key="a2")  # undated, same deal: merged
    'a1'
    >>> a = G.graph["agreements"]["a1"]
    >>> a["parties"], a["reports"], a["sources"], a["date"]
    (('JP', 'US'), ('a1', 'a2'), ('urn:a1', 'urn:a2'), '2025-10-28')
    >>> a["minerals"]
    ('rare-earths', 'critical-minerals')
    >>> G.number_of_edges("country:JP", "country:US")
    1
    """
    codes = tuple(sorted({p.upper() for p in parties}))
    if len(codes) < 2:
        raise InputError(f"an agreement needs two parties or more: {list(parties)}")
    _touch(G)
    wanted = tuple(dict.fromkeys(minerals))
    table = G.graph["minerals"]
    for m in wanted:
        if m not in table:
            add_mineral(G, m)
    for code in codes:
        if f"country:{code}" not in G:
            add_country(G, code)
    same = _same_agreement(G, codes, wanted, date, kind, source) if merge else None
    if same is not None:
        record = same
        record["minerals"] = tuple(dict.fromkeys((*record["minerals"], *wanted)))
        record["date"] = record["date"] or date
        record["reports"] = (*record["reports"], key or f"report-{len(record['reports'])}")
        if source and source not in record["sources"]:
            record["sources"] = (*record["sources"], source)
            record["source"] = record["source"] or source
        seen = record["evidence"]
        record["evidence"] = (*seen, *(dict(e) for e in evidence if dict(e) not in seen))
        for a, b in itertools.combinations(codes, 2):
            G.edges[f"country:{a}", f"country:{b}", record["id"]].update(
                minerals=record["minerals"],
                date=record["date"],
                source=record["source"],
                evidence=record["evidence"],
            )
        return record["id"]
    if key is None:
        key = f"agreement-{len(G.graph['agreements'])}"
    record = {
        "id": key,
        "parties": codes,
        "minerals": wanted,
        "date": date,
        "kind": kind,
        "source": source,
        "sources": (source,) if source else (),
        "reports": (key,),
        "evidence": tuple(dict(e) for e in evidence),
    }
    index = _agreement_index(G)
    G.graph["agreements"][key] = record
    index.setdefault((codes, kind), []).append(key)
    for a, b in itertools.combinations(codes, 2):
        G.add_edge(
            f"country:{a}",
            f"country:{b}",
            key=key,
            relation="agreement",
            minerals=record["minerals"],
            date=date,
            agreement_kind=kind,
            source=source,
            evidence=record["evidence"],
        )
    return key


def _agreement_index(G: nx.MultiDiGraph) -> dict[tuple[Any, ...], list[str]]:
    """The ids of the agreement records by (parties, kind), built on first use and kept up to
    date by :func:`add_agreement`."""
    index = G.graph.get("_agreement_index")
    if index is None or index[0] is not G.graph["agreements"]:
        records = G.graph["agreements"]
        entries: dict[tuple[Any, ...], list[str]] = {}
        for k, r in records.items():
            entries.setdefault((r["parties"], r["kind"]), []).append(k)
        index = G.graph["_agreement_index"] = (records, entries)
    return index[1]


def _same_agreement(
    G: nx.MultiDiGraph,
    parties: tuple[str, ...],
    minerals: tuple[str, ...],
    date: str | None,
    kind: str | None,
    source: str | None,
) -> dict[str, Any] | None:
    """The record of the agreement a report is about (rules in :func:`add_agreement`)."""
    table = G.graph["agreements"]
    candidates = []
    for k in _agreement_index(G).get((parties, kind), ()):
        record = table.get(k)
        if record is None or record["parties"] != parties or record["kind"] != kind:
            continue
        if date and record["date"]:
            if record["date"] == date:
                return record
        elif set(minerals) & set(record["minerals"]):
            candidates.append(record)
    if not candidates:
        return None
    if date:  # an undated record takes the date of this report
        return candidates[0]
    published = str((G.graph["sources"].get(source or "") or {}).get("published") or "")
    dated = sorted((r for r in candidates if r["date"]), key=lambda r: (r["date"], r["id"]))
    before = [r for r in dated if published and r["date"] <= published]
    if before:
        return before[-1]
    return dated[0] if dated else candidates[0]


def add_export_control(
    G: nx.MultiDiGraph,
    country: str,
    minerals: Sequence[str],
    *,
    measure: str | None = None,
    start: str | None = None,
    status: str = "in-force",
    source: str | None = None,
    evidence: Sequence[Mapping[str, Any]] = (),
    key: str | None = None,
) -> str:
    """Add an export control imposed by ``country`` on ``minerals``.

    It is kept on the country node, by mineral, and in ``G.graph["export_controls"]``.

    >>> G = new_network()
    >>> k = add_export_control(G, "CN", ["gallium"], measure="licensing", start="2023-08-01")
    >>> [c["measure"] for c in G.nodes["country:CN"]["export_controls"]["gallium"]]
    ['licensing']
    """
    if status not in ("in-force", "lifted"):
        raise InputError(f"export control status must be 'in-force' or 'lifted': {status!r}")
    _touch(G)
    n = add_country(G, country)
    if key is None:
        key = f"export-control-{len(G.graph['export_controls'])}"
    record = {
        "id": key,
        "country": country.upper(),
        "minerals": tuple(dict.fromkeys(minerals)),
        "measure": measure,
        "start": start,
        "status": status,
        "source": source,
        "evidence": tuple(dict(e) for e in evidence),
    }
    G.graph["export_controls"][key] = record
    for m in record["minerals"]:
        add_mineral(G, m)
        G.nodes[n]["export_controls"].setdefault(m, []).append(record)
    return key


def add_investment(
    G: nx.MultiDiGraph,
    investor: str,
    host: str,
    minerals: Sequence[str],
    *,
    stage: str | None = None,
    amount_usd: float | None = None,
    investor_name: str | None = None,
    source: str | None = None,
    evidence: Sequence[Mapping[str, Any]] = (),
    key: str | None = None,
) -> str:
    """Add an investment by ``investor`` (a country code, or an organisation's IRI) in ``host``.

    An edge joins the two when the investor is a country.

    >>> G = new_network()
    >>> k = add_investment(G, "JP", "AU", ["rare-earths"], stage="mining", amount_usd=2e8)
    >>> G.graph["investments"][k]["amount_usd"]
    200000000.0
    """
    _touch(G)
    if key is None:
        key = f"investment-{len(G.graph['investments'])}"
    is_country = len(investor) == 2 and investor.isalpha()
    record = {
        "id": key,
        "investor": investor.upper() if is_country else investor,
        "investor_name": investor_name,
        "host": host.upper(),
        "minerals": tuple(dict.fromkeys(minerals)),
        "stage": stage,
        "amount_usd": amount_usd,
        "source": source,
        "evidence": tuple(dict(e) for e in evidence),
    }
    G.graph["investments"][key] = record
    for m in record["minerals"]:
        add_mineral(G, m)
    h = add_country(G, host)
    if is_country:
        G.add_edge(add_country(G, investor), h, key=key, relation="investment", **record)
    return key


# -- the mineral hierarchy ---------------------------------------------------------------------


def ancestors(G: nx.MultiDiGraph, mineral: str) -> list[str]:
    """The groups above ``mineral``, nearest first.

    >>> G = new_network()
    >>> add_mineral(G, "rare-earths", broader="critical-minerals")
    >>> add_mineral(G, "dysprosium", broader="rare-earths")
    >>> ancestors(G, "dysprosium")
    ['rare-earths', 'critical-minerals']
    """
    table = G.graph["minerals"]
    out: list[str] = []
    current = table.get(mineral, {}).get("broader")
    while current and current not in out and current != mineral:
        out.append(current)
        current = table.get(current, {}).get("broader")
    return out


def descendants(G: nx.MultiDiGraph, mineral: str) -> list[str]:
    """Every mineral below ``mineral`` (its members, their members...), sorted.

    >>> G = new_network()
    >>> add_mineral(G, "dysprosium", broader="rare-earths")
    >>> add_mineral(G, "terbium", broader="rare-earths")
    >>> descendants(G, "rare-earths")
    ['dysprosium', 'terbium']
    """
    children: dict[str, list[str]] = {}
    for m, row in G.graph["minerals"].items():
        if row.get("broader"):
            children.setdefault(row["broader"], []).append(m)
    out: set[str] = set()
    todo = [mineral]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in out and child != mineral:
                out.add(child)
                todo.append(child)
    return sorted(out)


def mineral_family(G: nx.MultiDiGraph, mineral: str) -> frozenset[str]:
    """The mineral, its groups and its members: what an agreement or control must name to count.

    >>> G = new_network()
    >>> add_mineral(G, "rare-earths", broader="critical-minerals")
    >>> add_mineral(G, "dysprosium", broader="rare-earths")
    >>> sorted(mineral_family(G, "rare-earths"))
    ['critical-minerals', 'dysprosium', 'rare-earths']
    """
    memo = _memo(G)
    key = ("family", mineral)
    if key not in memo:
        memo[key] = frozenset([mineral, *ancestors(G, mineral), *descendants(G, mineral)])
    return memo[key]


# -- resolving what callers ask for ---------------------------------------------------------------


@cache
def _packaged_countries() -> dict[str, str]:
    """ISO codes -> English names, from the country table shipped with the package."""
    text = (
        resources.files("cmkg.graph.data")
        .joinpath("reference/country-codes.csv")
        .read_text(encoding="utf-8")
    )
    out = {"EU": "European Union", OTHER_COUNTRIES: "Other countries"}
    for row in csv.DictReader(text.splitlines()):
        code = (row.get("ISO3166-1-Alpha-2") or "").strip()
        if len(code) == 2:
            out[code] = (
                row.get("CLDR display name") or row.get("official_name_en") or code
            ).strip()
    return out


@cache
def _packaged_minerals() -> dict[str, str]:
    """Mineral ids -> labels, from ``minerals.csv`` shipped with the package."""
    text = (
        resources.files("cmkg.graph.data")
        .joinpath("contracts/minerals.csv")
        .read_text(encoding="utf-8")
    )
    return {row["id"]: row["label"] for row in csv.DictReader(text.splitlines())}


def resolve_country(G: nx.MultiDiGraph, code: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country the network or the ISO table knows.

    Raises :class:`~cmkg.graph.errors.NotFound` naming the code otherwise.

    >>> resolve_country(new_network(), "jp")
    'JP'
    >>> resolve_country(new_network(), "XX")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.NotFound: unknown country 'XX' (expected an ISO 3166-1 alpha-2 code)
    """
    c = (code or "").strip().upper()
    if c in G.graph["countries"] or c in _packaged_countries():
        return c
    raise NotFound(f"unknown country {code!r} (expected an ISO 3166-1 alpha-2 code)")


def resolve_mineral(G: nx.MultiDiGraph, mineral: str) -> str:
    """The id of a mineral the network or ``minerals.csv`` knows (a label works too).

    Raises :class:`~cmkg.graph.errors.NotFound` naming the mineral otherwise.

    >>> resolve_mineral(new_network(), "Rare earths")
    'rare-earths'
    >>> resolve_mineral(new_network(), "kryptonite")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.NotFound: unknown mineral 'kryptonite' (expected an id of minerals.csv)
    """
    m = (mineral or "").strip()
    table = G.graph["minerals"]
    for candidate in (m, m.lower(), slug(m)):
        if candidate in table or candidate in _packaged_minerals():
            return candidate
    wanted = m.lower()
    for mid, row in table.items():
        if str(row.get("label", "")).lower() == wanted:
            return mid
    raise NotFound(f"unknown mineral {mineral!r} (expected an id of minerals.csv)")


def country_label(G: nx.MultiDiGraph, code: str) -> str:
    """A country's English name (the network's label, else the ISO table's, else the code).

    >>> country_label(new_network(), "JP")
    'Japan'
    """
    row = G.graph["countries"].get(code)
    if row and row.get("label") and row["label"] != code:
        return row["label"]
    return _packaged_countries().get(code, code)


def mineral_label(G: nx.MultiDiGraph, mineral: str) -> str:
    """A mineral's English label (the network's, else ``minerals.csv``'s, else the id).

    >>> mineral_label(new_network(), "rare-earths")
    'rare earths'
    """
    row = G.graph["minerals"].get(mineral)
    if row and row.get("label") and row["label"] != mineral:
        return row["label"]
    return _packaged_minerals().get(mineral, mineral)
