"""Agreements and export controls that bear on a mineral, a country, or a pair of countries.

An agreement or a control **covers** a mineral when it names the mineral, one of its groups
(so "critical minerals" covers every mineral) or one of its members (a control on dysprosium
bears on rare earths). A country takes part in an agreement when it is a party, or a member of a
party (an EU agreement binds its member states, by ``cmkg:memberOf``).

Examples
--------
>>> from cmkg.graph.analytics.network import new_network, add_agreement, add_mineral
>>> G = new_network()
>>> add_mineral(G, "rare-earths", broader="critical-minerals")
>>> _ = add_agreement(G, ["US", "JP"], ["critical-minerals"], kind="framework", key="a1")
>>> [a["id"] for a in agreements_covering(G, "rare-earths", country="JP")]
['a1']
>>> [a["partners"] for a in agreements_covering(G, "rare-earths", country="JP")]
[('US',)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from .network import _memo, mineral_family

__all__ = ["agreements_covering", "agreements_of", "export_controls_covering", "memberships"]


def memberships(G: nx.MultiDiGraph, country: str) -> frozenset[str]:
    """The country and the unions it belongs to (``cmkg:memberOf``).

    >>> from cmkg.graph.analytics.network import new_network, add_country
    >>> G = new_network()
    >>> _ = add_country(G, "DE", member_of=["EU"])
    >>> sorted(memberships(G, "DE"))
    ['DE', 'EU']
    """
    row = G.graph["countries"].get(country, {})
    return frozenset([country, *row.get("member_of", ())])


def _with_partners(
    G: nx.MultiDiGraph, record: Mapping[str, Any], country: str | None
) -> dict[str, Any]:
    out = dict(record)
    out["evidence"] = [dict(e) for e in record.get("evidence", ())]
    if country is not None:
        mine = memberships(G, country)
        out["partners"] = tuple(p for p in record["parties"] if p not in mine)
    source = G.graph["sources"].get(record.get("source") or "")
    if source:
        out["source_url"] = source.get("url")
        out["source_label"] = source.get("label")
    return out


def _by_party(G: nx.MultiDiGraph) -> dict[str, list[Mapping[str, Any]]]:
    """Agreements indexed by party (memoised on the graph)."""
    memo = _memo(G)
    if "agreements_by_party" not in memo:
        index: dict[str, list[Mapping[str, Any]]] = {}
        for record in G.graph["agreements"].values():
            for p in record["parties"]:
                index.setdefault(p, []).append(record)
        memo["agreements_by_party"] = index
    return memo["agreements_by_party"]


def _by_imposer(G: nx.MultiDiGraph) -> dict[str, list[Mapping[str, Any]]]:
    """Export controls indexed by the country imposing them (memoised on the graph)."""
    memo = _memo(G)
    if "controls_by_imposer" not in memo:
        index: dict[str, list[Mapping[str, Any]]] = {}
        for record in G.graph["export_controls"].values():
            index.setdefault(record["country"], []).append(record)
        memo["controls_by_imposer"] = index
    return memo["controls_by_imposer"]


def _candidates(
    index: Mapping[str, list[Mapping[str, Any]]], keys: frozenset[str] | None, every: Any
) -> list[Mapping[str, Any]]:
    if keys is None:
        return list(every)
    seen: dict[str, Mapping[str, Any]] = {}
    for k in keys:
        for record in index.get(k, ()):
            seen[record["id"]] = record
    return list(seen.values())


def agreements_covering(
    G: nx.MultiDiGraph,
    mineral: str,
    *,
    country: str | None = None,
    partner: str | None = None,
) -> list[dict[str, Any]]:
    """Agreements that cover ``mineral``, of ``country`` (and with ``partner``), oldest first.

    With ``country``, each agreement gets ``partners``: its parties other than ``country``
    (and the unions it belongs to).

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_agreement
    >>> G = new_network()
    >>> _ = add_agreement(G, ["US", "JP"], ["gallium"], date="2025-10-28", key="a1")
    >>> _ = add_agreement(G, ["US", "AU"], ["gallium"], date="2025-10-20", key="a2")
    >>> [a["id"] for a in agreements_covering(G, "gallium", country="US")]
    ['a2', 'a1']
    >>> [a["id"] for a in agreements_covering(G, "gallium", country="US", partner="JP")]
    ['a1']
    """
    memo = _memo(G)
    memo_key = ("agreements_covering", mineral, country, partner)
    if memo_key in memo:
        return [dict(a) for a in memo[memo_key]]
    family = mineral_family(G, mineral)
    mine = memberships(G, country) if country else None
    theirs = memberships(G, partner) if partner else None
    out = []
    index = _by_party(G)
    pool = mine if mine is not None else theirs
    if mine is not None and theirs is not None:
        size = sum(len(index.get(k, ())) for k in mine)
        if sum(len(index.get(k, ())) for k in theirs) < size:
            pool = theirs
    for record in _candidates(index, pool, G.graph["agreements"].values()):
        parties = set(record["parties"])
        if mine is not None and not parties & mine:
            continue
        if theirs is not None and not parties & theirs:
            continue
        if mine is not None and theirs is not None and not (parties - mine) & theirs:
            continue  # a union's agreement with itself is no link between two members
        if not family.intersection(record["minerals"]):
            continue
        out.append(_with_partners(G, record, country))
    out.sort(key=lambda a: (a.get("date") or "", a["id"]))
    memo[memo_key] = out
    return [dict(a) for a in out]


def agreements_of(G: nx.MultiDiGraph, country: str) -> list[dict[str, Any]]:
    """Every agreement ``country`` takes part in (directly or through a union), oldest first.

    >>> from cmkg.graph.analytics.network import new_network, add_agreement
    >>> G = new_network()
    >>> _ = add_agreement(G, ["US", "JP"], ["gallium"], date="2025-10-28", key="a1")
    >>> [(a["id"], a["partners"]) for a in agreements_of(G, "JP")]
    [('a1', ('US',))]
    """
    mine = memberships(G, country)
    out = [_with_partners(G, record, country) for record in _candidates(_by_party(G), mine, ())]
    return sorted(out, key=lambda a: (a.get("date") or "", a["id"]))


def export_controls_covering(
    G: nx.MultiDiGraph,
    mineral: str,
    *,
    country: str | None = None,
    in_force: bool | None = True,
) -> list[dict[str, Any]]:
    """Export controls imposed by ``country`` (or anyone) that cover ``mineral``.

    ``in_force=True`` keeps controls in force, ``False`` lifted ones, ``None`` both.

    Examples
    --------
    >>> from cmkg.graph.analytics.network import new_network, add_export_control, add_mineral
    >>> G = new_network()
    >>> add_mineral(G, "dysprosium", broader="rare-earths")
    >>> _ = add_export_control(G, "CN", ["dysprosium"], measure="licensing", key="x1")
    >>> [x["id"] for x in export_controls_covering(G, "rare-earths", country="CN")]
    ['x1']
    >>> export_controls_covering(G, "rare-earths", country="CN", in_force=False)
    []
    """
    memo = _memo(G)
    memo_key = ("export_controls_covering", mineral, country, in_force)
    if memo_key in memo:
        return [dict(x) for x in memo[memo_key]]
    family = mineral_family(G, mineral)
    imposers = memberships(G, country) if country else None
    out = []
    every = G.graph["export_controls"].values()
    for record in _candidates(_by_imposer(G), imposers, every):
        if imposers is not None and record["country"] not in imposers:
            continue
        if in_force is not None and (record["status"] == "in-force") != in_force:
            continue
        if not family.intersection(record["minerals"]):
            continue
        out.append(_with_partners(G, record, None))
    out.sort(key=lambda x: (x.get("start") or "", x["id"]))
    memo[memo_key] = out
    return [dict(x) for x in out]
