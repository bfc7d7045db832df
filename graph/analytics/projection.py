"""RDF -> networkx: the projection of the store onto the supply network.

:func:`build_supply_network` reads the store with a few SPARQL SELECTs (:data:`QUERIES`:
statistics, claims, evidence, articles, datasets, agreements, export controls, investments,
labels) and builds the network of :mod:`cmkg.graph.analytics.network`. It is the only module of
the analytics that touches the store; everything else takes the networkx graph.
:class:`ProjectionCache` rebuilds it only when :attr:`Store.version
<cmkg.graph.store.Store.version>` changes, in a background thread while it serves the previous
network.

Where the time goes
-------------------
At a million triples (2,600 articles of 400 triples: 26,000 claims, 52,000 quotes) the build
reads some 200,000 result rows. On RocksDB (:class:`~cmkg.graph.store.EmbeddedStore`) two
costs dominate, both in the engine: turning each IRI or long literal of a result back into
text (a dictionary read, about 2 us a term, some 500,000 terms) and joining the properties of
each fact. The queries join scans of one property each by hash (:func:`_facts`), which halves
the second cost against basic graph patterns with OPTIONALs (a random index read per row and
property); the results are read as SPARQL CSV (:meth:`Store.query_raw
<cmkg.graph.store.Store.query_raw>`), parsed by the csv module faster than a typed Python value
can be built per cell (a store without ``query_raw`` is read through :meth:`Store.select
<cmkg.graph.store.Store.select>`, to the same network). The Python side (about 0.7 s) builds
the networkx graph with the cyclic garbage collector paused. ``benchmarks/analytics.py`` gives
the figures.

What is read, and how
---------------------
- Every ``cmkg:SupplyObservation`` of a ``qb:dataSet`` and every ``cmkg:ShareClaim`` of an
  article becomes a supply edge country -> (mineral, stage): the statistics of the reference
  graphs (``kind="reference"``, source = their ``qb:dataSet``) and the share claims of the
  articles (``kind="claim"``, source = ``cmkg:fromArticle``). Reserves become an attribute of
  the country (``add_reserves``), not a flow stage.
- A share is the observation's value when its measure is ``share``. For a volume (production,
  capacity, reserves) it is computed (``share_derived=True``) with one denominator per market
  (dataset, mineral, stage, measure, year and basis), never mixed: the market's
  ``cmkg:worldTotal`` when it states one, else the sum of its values, "other countries"
  included. When the values sum to more than the stated world total (rounded totals: USGS
  gives 900,000 kg of gallium for 2025 and country figures that add up to 909,000), the shares
  are of the sum instead, so that they add up to one, and the edges say so
  (``renormalised=True``, ``world_total``). A withheld value gives no share.
- Reports of one agreement by several articles are merged into one record
  (:func:`~cmkg.graph.analytics.network.add_agreement`), dated reports first.
- A claim without ``cmkg:year`` takes the year of its article's ``schema:datePublished``
  (``year_inferred=True``).
- Evidence: for a statistic, its observation IRI, dataset and source document; for a fact read
  from an article, the quotes of its ``oa:TextQuoteSelector`` with the article and its URL.

Examples
--------
>>> class Rows:  # the one method of a Store the projection calls, and a version
...     version = 1
...     def select(self, query, *, timeout=None):
...         if "SupplyObservation" not in query:
...             return []
...         return [{"o": "urn:o1", "country": "https://w3id.org/cmkg/id/country/CN",
...                  "mineral": "https://w3id.org/cmkg/id/mineral/gallium",
...                  "stage": "https://w3id.org/cmkg/id/stage/processing",
...                  "measure": "https://w3id.org/cmkg/id/measure/production",
...                  "year": 2024, "value": 839000, "total": 848000, "ds": "urn:usgs"}]
>>> G = build_supply_network(Rows())
>>> e = G.edges["country:CN", "supply:gallium:processing", "urn:o1"]
>>> round(e["share"], 4), e["share_derived"], e["kind"]
(0.9894, True, 'reference')
"""

from __future__ import annotations

import csv
import gc
import io
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Protocol

import networkx as nx

from ..namespaces import BASE, PREFIXES
from ..store import ResultFormat
from .network import (
    STAGES,
    add_agreement,
    add_country,
    add_export_control,
    add_investment,
    add_mineral,
    add_reserves,
    add_source,
    add_supply,
    new_network,
)

__all__ = ["QUERIES", "ProjectionCache", "build_supply_network"]


class _Selectable(Protocol):
    """What the projection needs of a :class:`~cmkg.graph.store.Store`."""

    def select(self, query: str, *, timeout: float | None = None) -> list[dict[str, Any]]: ...

    @property
    def version(self) -> int: ...


_PREFIXES = "".join(
    f"PREFIX {p}: <{PREFIXES[p]}>\n"
    for p in ("cmkg", "rdf", "rdfs", "skos", "dct", "qb", "schema", "oa", "qudt", "prov")
)


def _scan(subject: str, var: str, predicate: str) -> str:
    """A subquery that reads one property of every subject that has it (one index scan)."""
    return f"{{ SELECT ?{subject} ?{var} WHERE {{ ?{subject} {predicate} ?{var} }} }}"


def _typed(subject: str, cls: str) -> str:
    return f"{{ SELECT ?{subject} WHERE {{ ?{subject} a {cls} }} }}"


def _facts(
    cls: str,
    required: Mapping[str, str],
    optional: Mapping[str, str],
    *,
    subject: str = "f",
) -> str:
    """Every instance of ``cls`` with its ``required`` and ``optional`` properties (variable ->
    predicate), each property read by a scan of its own and the scans joined on the subject.

    The engine joins subqueries by hash. On RocksDB that is 2-3 times faster than the same
    basic graph pattern with OPTIONALs, which it evaluates as an index nested loop: a random
    read per row and property (about 5 us) where a scan reads the property's index in order.
    """
    head = " ".join(f"?{v}" for v in (subject, *required, *optional))
    parts = [_typed(subject, cls)]
    parts += [_scan(subject, v, p) for v, p in required.items()]
    parts += [f"OPTIONAL {_scan(subject, v, p)}" for v, p in optional.items()]
    body = "\n  ".join(parts)
    return f"{_PREFIXES}SELECT {head}\nWHERE {{\n  {body}\n}}"


#: The SELECTs the projection runs, by name. Each reads one kind of fact; multi-valued
#: properties get queries of their own (no cross products). Where the facts are many (claims,
#: evidence, agreements, export controls, investments, articles), each property is scanned and
#: the scans joined by hash (:func:`_facts`). The statistics have both forms: ``statistics``
#: starts from the selective ``qb:dataSet`` and looks each property up (fastest for the few
#: thousand of the reference data), ``statistics_scans`` scans and joins (fastest past
#: :data:`STATISTICS_SCAN_FROM`); ``statistics_count`` picks between them.
QUERIES: Mapping[str, str] = {
    "statistics_count": _PREFIXES
    + "SELECT ?n\nWHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?o qb:dataSet ?ds } } }",
    "statistics_scans": _facts(
        "cmkg:SupplyObservation",
        {
            "ds": "qb:dataSet",
            "country": "cmkg:country",
            "mineral": "cmkg:mineral",
            "stage": "cmkg:stage",
            "measure": "cmkg:measure",
        },
        {
            "year": "cmkg:year",
            "value": "cmkg:value",
            "unit": "qudt:unit",
            "cmp": "cmkg:comparator",
            "status": "cmkg:status",
            "src": "dct:source",
            "total": "cmkg:worldTotal",
            "basis": "cmkg:basis",
        },
        subject="o",
    ),
    "statistics": _PREFIXES
    + """
SELECT ?o ?country ?mineral ?stage ?measure ?year ?value ?unit ?cmp ?status ?src ?total ?ds ?basis
WHERE {
  ?o qb:dataSet ?ds ;
     cmkg:country ?country ; cmkg:mineral ?mineral ; cmkg:stage ?stage ; cmkg:measure ?measure .
  FILTER EXISTS { ?o a cmkg:SupplyObservation }
  OPTIONAL { ?o cmkg:year ?year }
  OPTIONAL { ?o cmkg:value ?value }
  OPTIONAL { ?o qudt:unit ?unit }
  OPTIONAL { ?o cmkg:comparator ?cmp }
  OPTIONAL { ?o cmkg:status ?status }
  OPTIONAL { ?o dct:source ?src }
  OPTIONAL { ?o cmkg:worldTotal ?total }
  OPTIONAL { ?o cmkg:basis ?basis }
}""",
    "claims": _facts(
        "cmkg:ShareClaim",
        {
            "country": "cmkg:country",
            "mineral": "cmkg:mineral",
            "stage": "cmkg:stage",
            "value": "cmkg:value",
            "article": "cmkg:fromArticle",
            "cmp": "cmkg:comparator",
            "consistency": "cmkg:consistency",
        },
        {"year": "cmkg:year", "refValue": "cmkg:referenceValue"},
        subject="o",
    ),
    "evidence": _PREFIXES
    + "SELECT ?fact ?quote\nWHERE {\n  "
    + "\n  ".join(
        [
            _scan("fact", "ann", "cmkg:evidence"),
            _scan("ann", "target", "oa:hasTarget"),
            _scan("target", "sel", "oa:hasSelector"),
            _scan("sel", "quote", "oa:exact"),
        ]
    )
    + "\n}",
    "articles": _facts(
        "schema:NewsArticle",
        {},
        {
            "headline": "schema:headline",
            "url": "schema:url",
            "src": "dct:source",
            "published": "schema:datePublished",
            "language": "schema:inLanguage",
        },
        subject="a",
    ),
    "datasets": _PREFIXES
    + """
SELECT ?ds ?title ?issued ?publisher
WHERE {
  ?ds a qb:DataSet .
  OPTIONAL { ?ds dct:title ?title }
  OPTIONAL { ?ds dct:issued ?issued }
  OPTIONAL { ?ds dct:publisher/rdfs:label ?publisher }
}""",
    "agreement_parties": _facts("cmkg:Agreement", {"x": "cmkg:party"}, {}),
    "agreement_minerals": _facts("cmkg:Agreement", {"x": "cmkg:concernsMineral"}, {}),
    "agreements": _facts(
        "cmkg:Agreement",
        {},
        {"date": "dct:date", "kind": "cmkg:agreementKind", "article": "cmkg:fromArticle"},
    ),
    "export_control_minerals": _facts("cmkg:ExportControl", {"x": "cmkg:concernsMineral"}, {}),
    "export_controls": _facts(
        "cmkg:ExportControl",
        {"country": "cmkg:imposedBy"},
        {
            "measure": "cmkg:exportMeasure",
            "start": "cmkg:startDate",
            "status": "cmkg:controlStatus",
            "article": "cmkg:fromArticle",
        },
    ),
    "investment_minerals": _facts("cmkg:Investment", {"x": "cmkg:concernsMineral"}, {}),
    "investments": _facts(
        "cmkg:Investment",
        {"investor": "cmkg:investor", "host": "cmkg:host"},
        {
            "name": "cmkg:investorName",
            "stage": "cmkg:stage",
            "amount": "cmkg:amountUsd",
            "article": "cmkg:fromArticle",
        },
    ),
    "labels": _PREFIXES
    + f"""
SELECT ?x ?label ?broader ?union
WHERE {{
  {{
    ?x rdfs:label ?label .
    FILTER(STRSTARTS(STR(?x), "{BASE}id/country/") && LANGMATCHES(LANG(?label), "en"))
    OPTIONAL {{ ?x cmkg:memberOf ?union }}
  }} UNION {{
    ?x skos:prefLabel ?label .
    FILTER(STRSTARTS(STR(?x), "{BASE}id/mineral/") && LANGMATCHES(LANG(?label), "en"))
    OPTIONAL {{ ?x skos:broader ?broader }}
  }}
}}""",
}

_log = logging.getLogger("cmkg.graph.analytics")
_ID = BASE + "id/"
#: Sums of shares within this relative margin of one (rounding) are not renormalised.
_TOLERANCE = 1e-9
_COMPARATORS = {
    "gt": ">",
    "ge": ">=",
    "gte": ">=",
    "lt": "<",
    "le": "<=",
    "lte": "<=",
    "eq": "=",
    "approx": "~",
}


def _segment(iri: Any, kind: str) -> str | None:
    """The id of an ``id/<kind>/<id>`` IRI, or ``None`` if ``iri`` is not one."""
    if iri is None:
        return None
    return _segment_of(str(iri), kind)


@lru_cache(maxsize=8192)
def _segment_of(text: str, kind: str) -> str | None:
    prefix = f"{_ID}{kind}/"
    return text[len(prefix) :] if text.startswith(prefix) else None


def _last(value: Any) -> str | None:
    """The last segment of an IRI (``id/consistency/consistent`` -> ``consistent``)."""
    if value is None or value == "":
        return None
    return _last_of(str(value))


@lru_cache(maxsize=4096)
def _last_of(text: str) -> str:
    return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] if "://" in text else text


def _number(value: Any) -> float | None:
    if type(value) is str:  # a CSV cell: the common case
        try:
            return float(value) if value else None
        except ValueError:
            return None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _year(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, date | datetime):
        return value.year
    text = str(value)
    return int(text[:4]) if text[:4].isdigit() else None


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _comparator(value: Any) -> str:
    text = _last(value) or "="
    return _COMPARATORS.get(text, text)


_Row = list[Any]
_Columns = dict[str, int]
_SELECT_HEAD = re.compile(r"SELECT\s+((?:\?\w+\s*)+)\n?WHERE")


def _select(store: _Selectable, name: str) -> tuple[_Columns, list[_Row]]:
    """The rows of one of :data:`QUERIES` as lists, and the position of each variable.

    The results are read as SPARQL CSV when the store serves them (``Store.query_raw``): the
    csv module parses them faster than a typed Python value can be built per cell, and the
    projection converts only what it needs. A store that offers only
    :meth:`~cmkg.graph.store.Store.select` is read through it (unbound cells are ``None``
    there, ``""`` in CSV; both count as unbound).
    """
    query = QUERIES[name]
    query_raw = getattr(store, "query_raw", None)
    if query_raw is not None:
        try:
            raw = query_raw(query, accept=ResultFormat.CSV)
        except NotImplementedError:
            raw = None
        if raw is not None and raw.media_type.split(";")[0].strip() == ResultFormat.CSV.value:
            reader = csv.reader(io.StringIO(raw.body.decode("utf-8"), newline=""))
            header = next(reader, [])
            return {h: i for i, h in enumerate(header)}, [row for row in reader if row]
    match = _SELECT_HEAD.search(query)
    names = match.group(1).replace("?", "").split() if match else []
    rows = store.select(query)
    return {n: i for i, n in enumerate(names)}, [[r.get(n) for n in names] for r in rows]


def _unbound(value: Any) -> bool:
    return value is None or value == ""


def _first_rows(rows: Iterable[_Row], key: int) -> dict[str, _Row]:
    """One row per value of column ``key`` (the first; later rows only fill unbound cells),
    in the order of the keys: the network must not depend on the order an engine returns rows
    in (the same store read by another engine, or another form of a query, gives the same
    network, down to the order of attribute lists).

    >>> _first_rows([["b", "", "x"], ["a", "1", ""], ["b", "2", "y"]], 0)
    {'a': ['a', '1', ''], 'b': ['b', '2', 'x']}
    """
    out: dict[str, _Row] = {}
    for r in rows:
        k = str(r[key])
        row = out.get(k)
        if row is None:
            out[k] = r
            continue
        for i, value in enumerate(r):
            if _unbound(row[i]) and not _unbound(value):
                row[i] = value
    return dict(sorted(out.items()))


def _evidence(store: _Selectable) -> dict[str, list[dict[str, Any]]]:
    """The quotes of every fact's evidence, by fact IRI."""
    cols, rows = _select(store, "evidence")
    fact, quote = cols["fact"], cols["quote"]
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if not _unbound(r[quote]):
            out[str(r[fact])].append({"quote": str(r[quote])})
    return out


_Group = tuple[str, str, str, str, int | None, str | None]


def _denominators(
    markets: Iterable[tuple[_Group, float | None, float | None]],
) -> dict[_Group, tuple[float | None, float | None, bool]]:
    """For each market of volumes (dataset, mineral, stage, measure, year and basis): the
    denominator of its shares, its stated world total, and whether the shares were
    renormalised. ``markets`` yields ``(market, value, world total)`` per observation.

    One rule per market, never mixed: the stated world total when any of its observations
    carries one (the most common, then the largest), else the sum of its values, "other
    countries" included. When the values sum to more than the stated total (a rounded total,
    a country counted twice), the shares are of their sum, so that they add up to one.
    """
    values: dict[_Group, float] = defaultdict(float)
    totals: dict[_Group, list[float]] = defaultdict(list)
    for key, value, total in markets:
        values[key] += value if value is not None else 0.0
        if total:
            totals[key].append(total)
    out: dict[_Group, tuple[float | None, float | None, bool]] = {}
    for key, s in values.items():
        stated = totals.get(key)
        world = max(stated, key=lambda t: (stated.count(t), t)) if stated else None
        if world is not None and s <= world * (1 + _TOLERANCE):
            out[key] = (world, world, False)
        else:
            out[key] = (s or None, world, world is not None)
    return out


#: From this many dataset observations on, the statistics are read by scans joined by hash.
#: Measured on the embedded store at 1M triples (``statistics`` / ``statistics_scans``): the
#: reference data's 1,580 observations among synthetic articles, 0.11 / 0.25 s; 57,000
#: synthetic observations, 4.9 / 2.1 s. A lookup costs about 65 us per observation, the scans
#: a fixed few tenths of a second, so they cross near 5,000.
STATISTICS_SCAN_FROM = 5_000


def _statistics_query(store: _Selectable) -> str:
    """``statistics`` or ``statistics_scans``, by how many dataset observations there are."""
    cols, rows = _select(store, "statistics_count")
    count = _number(rows[0][cols["n"]]) if rows else None
    return "statistics_scans" if (count or 0) >= STATISTICS_SCAN_FROM else "statistics"


def _statistics(G: nx.MultiDiGraph, store: _Selectable) -> None:
    """Every statistic of a dataset: a supply edge, or reserves on the country."""
    cols, rows = _select(store, _statistics_query(store))
    c = cols
    parsed = []
    for iri, r in _first_rows(rows, c["o"]).items():
        country = _segment(r[c["country"]], "country")
        mineral = _segment(r[c["mineral"]], "mineral")
        stage = _segment(r[c["stage"]], "stage")
        measure = _segment(r[c["measure"]], "measure")
        if not (country and mineral and stage in STAGES and measure):
            continue
        year = _year(r[c["year"]])
        ds = _text(r[c["ds"]])
        market = (str(ds), mineral, stage, measure, year, _text(r[c["basis"]]))
        parsed.append((iri, r, country, mineral, stage, measure, year, ds, market))
    denominators = _denominators(
        (market, _number(r[c["value"]]), _number(r[c["total"]]))
        for _iri, r, _c, _m, _s, measure, _y, _ds, market in parsed
        if measure != "share"
    )
    for iri, r, country, mineral, stage, measure, year, ds, market in parsed:
        value = _number(r[c["value"]])
        world_total = _number(r[c["total"]])
        share: float | None = None
        derived = renormalised = False
        if value is None:
            pass
        elif measure == "share":
            share = min(1.0, max(0.0, value))
        else:
            denominator, world_total, renormalised = denominators[market]
            if denominator:
                share = min(1.0, max(0.0, value / denominator))
                derived = True
        source_url = _text(r[c["src"]])
        unit = _last(r[c["unit"]])
        if stage == "reserves" or measure == "reserves":
            add_reserves(
                G,
                country,
                mineral,
                volume=value,
                unit=unit,
                year=year,
                share=share,
                source=ds,
                source_url=source_url,
                key=iri,
            )
            continue
        add_supply(
            G,
            country,
            mineral,
            stage,
            share=share,
            volume=None if measure == "share" else value,
            unit=unit,
            year=year,
            measure=measure if measure in ("production", "capacity", "share") else "share",
            kind="reference",
            comparator=_comparator(r[c["cmp"]]),
            status=_text(r[c["status"]]),
            source=ds,
            source_url=source_url,
            evidence=({"observation": iri, "dataset": ds, "url": source_url},),
            world_total=world_total,
            renormalised=renormalised and derived,
            share_derived=derived,
            basis=_text(r[c["basis"]]),
            key=iri,
        )


def _claims(G: nx.MultiDiGraph, store: _Selectable, evidence: Mapping[str, Any]) -> None:
    """Every share claim of an article: a supply edge with the article's quotes as evidence."""
    cols, rows = _select(store, "claims")
    o, country_at, mineral_at, stage_at = cols["o"], cols["country"], cols["mineral"], cols["stage"]
    value_at, article_at, year_at = cols["value"], cols["article"], cols["year"]
    cmp_at, consistency_at, ref_at = cols["cmp"], cols["consistency"], cols["refValue"]
    sources = G.graph["sources"]
    articles: dict[str, tuple[str | None, int | None]] = {}
    seen: set[str] = set()
    for r in rows:  # one row per claim: its properties are single-valued
        iri = str(r[o])
        if iri in seen:
            continue
        seen.add(iri)
        country = _segment(r[country_at], "country")
        mineral = _segment(r[mineral_at], "mineral")
        stage = _segment(r[stage_at], "stage")
        if not (country and mineral and stage in STAGES):
            continue
        value = _number(r[value_at])
        share = None if value is None else min(1.0, max(0.0, value))
        article = str(r[article_at])
        known = articles.get(article)
        if known is None:
            source = sources.get(article) or {}
            known = articles[article] = (source.get("url"), _year(source.get("published")))
        url, published = known
        year = _year(r[year_at])
        year_inferred = year is None and published is not None
        if year is None:
            year = published
        if stage == "reserves":  # a share of world reserves: on the country, as statistics are
            add_reserves(
                G, country, mineral, volume=value, year=year, share=share, source=article,
                source_url=url, key=iri,
            )  # fmt: skip
            continue
        quotes = evidence.get(iri)
        add_supply(
            G,
            country,
            mineral,
            stage,
            share=share,
            year=year,
            kind="claim",
            comparator=_comparator(r[cmp_at]),
            source=article,
            source_url=url,
            evidence=tuple({**e, "article": article, "url": url} for e in quotes) if quotes else (),
            consistency=_last(r[consistency_at]),
            reference_value=_number(r[ref_at]),
            year_inferred=year_inferred,
            key=iri,
        )


def _values(store: _Selectable, name: str, kind: str) -> dict[str, list[str]]:
    """The ``id/<kind>/`` ids of a multi-valued property, by fact (rows ``?f ?x``), sorted:
    the same network whatever order the engine returns rows in."""
    cols, rows = _select(store, name)
    f, x = cols["f"], cols["x"]
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        value = _segment(r[x], kind)
        if value is not None:
            out[str(r[f])].add(value)
    return {fact: sorted(values) for fact, values in out.items()}


def _article_evidence(
    G: nx.MultiDiGraph, evidence: Mapping[str, Any], fact: str, article: str | None
) -> tuple[dict[str, Any], ...]:
    """The quotes of a fact, each with its article and the article's URL."""
    quotes = evidence.get(fact)
    if not quotes:
        return ()
    url = (G.graph["sources"].get(article or "") or {}).get("url")
    return tuple({**e, "article": article, "url": url} for e in quotes)


def build_supply_network(store: _Selectable) -> nx.MultiDiGraph:
    """Project the store onto a supply network (see the module docstring for what is read).

    Parameters
    ----------
    store : cmkg.graph.store.Store
        Any store (``version``, and :meth:`~cmkg.graph.store.Store.query_raw` or
        :meth:`~cmkg.graph.store.Store.select`, are used).

    Returns
    -------
    networkx.MultiDiGraph
        The network of :mod:`cmkg.graph.analytics.network`; ``G.graph["version"]`` is the
        store version it was built from.

    Examples
    --------
    >>> class Empty:
    ...     version = 7
    ...     def select(self, query, *, timeout=None):
    ...         return []
    >>> G = build_supply_network(Empty())
    >>> G.number_of_nodes(), G.graph["version"]
    (0, 7)
    """
    with _paused_gc():
        return _build(store)


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building: the build makes hundreds of thousands
    of small containers and no cycles, and collections triggered by them cost about a tenth of
    the build time at a million triples. (The collector is process-wide: other threads run
    without it for the length of a build.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(store: _Selectable) -> nx.MultiDiGraph:
    version = store.version
    G = new_network()
    G.graph["version"] = version

    c, rows = _select(store, "labels")
    for r in rows:
        code = _segment(r[c["x"]], "country")
        if code is not None:
            union = _segment(r[c["union"]], "country")
            add_country(
                G, code, label=str(r[c["label"]]), member_of=[union] if union else [], node=False
            )
            continue
        mineral = _segment(r[c["x"]], "mineral")
        if mineral is not None:
            add_mineral(
                G,
                mineral,
                label=str(r[c["label"]]),
                broader=_segment(r[c["broader"]], "mineral"),
            )

    c, rows = _select(store, "datasets")
    for iri, r in _first_rows(rows, c["ds"]).items():
        add_source(
            G,
            iri,
            kind="dataset",
            label=_text(r[c["title"]]),
            url=None,
            published=_text(r[c["issued"]]),
        )
        if _text(r[c["publisher"]]) is not None:
            G.graph["sources"][iri]["publisher"] = str(r[c["publisher"]])
    c, rows = _select(store, "articles")
    for iri, r in _first_rows(rows, c["a"]).items():
        add_source(
            G,
            iri,
            kind="article",
            label=_text(r[c["headline"]]),
            url=_text(r[c["url"]]) or _text(r[c["src"]]),
            published=_text(r[c["published"]]),
            language=_text(r[c["language"]]),
        )

    evidence = _evidence(store)
    _statistics(G, store)
    _claims(G, store, evidence)

    parties = _values(store, "agreement_parties", "country")
    minerals = _values(store, "agreement_minerals", "mineral")
    c, rows = _select(store, "agreements")
    reports = _first_rows(rows, c["f"])
    # dated reports first, so that undated ones join the record of their agreement
    dated = c["date"]
    order = sorted(reports, key=lambda f: (_unbound(reports[f][dated]), str(reports[f][dated]), f))
    for iri in order:
        r = reports[iri]
        if len(set(parties.get(iri, ()))) < 2:
            continue
        article = _text(r[c["article"]])
        add_agreement(
            G,
            parties[iri],
            minerals.get(iri, []),
            date=_text(r[c["date"]]),
            kind=_last(r[c["kind"]]),
            source=article,
            evidence=_article_evidence(G, evidence, iri, article),
            key=iri,
        )
    minerals = _values(store, "export_control_minerals", "mineral")
    c, rows = _select(store, "export_controls")
    for iri, r in _first_rows(rows, c["f"]).items():
        country = _segment(r[c["country"]], "country")
        if country is None:
            continue
        article = _text(r[c["article"]])
        status = _text(r[c["status"]]) or "in-force"
        add_export_control(
            G,
            country,
            minerals.get(iri, []),
            measure=_last(r[c["measure"]]),
            start=_text(r[c["start"]]),
            status=status if status in ("in-force", "lifted") else "in-force",
            source=article,
            evidence=_article_evidence(G, evidence, iri, article),
            key=iri,
        )
    minerals = _values(store, "investment_minerals", "mineral")
    c, rows = _select(store, "investments")
    for iri, r in _first_rows(rows, c["f"]).items():
        host = _segment(r[c["host"]], "country")
        if host is None:
            continue
        investor = _segment(r[c["investor"]], "country") or str(r[c["investor"]])
        article = _text(r[c["article"]])
        add_investment(
            G,
            investor,
            host,
            minerals.get(iri, []),
            stage=_segment(r[c["stage"]], "stage"),
            amount_usd=_number(r[c["amount"]]),
            investor_name=_text(r[c["name"]]),
            source=article,
            evidence=_article_evidence(G, evidence, iri, article),
            key=iri,
        )
    G.graph.pop("_memo", None)
    return G


class ProjectionCache:
    """The supply network of a store, rebuilt when the store's version changes, in the
    background: requests never wait on a rebuild.

    - The **first** call for a store builds the network and waits for it (concurrent first
      callers wait for one build).
    - When the store's :attr:`~cmkg.graph.store.Store.version` has moved on, :meth:`get`
      returns the network it has at once, **stale**, and starts one rebuild in a background
      thread; once the rebuild is done, :meth:`get` returns the new network. Answers lag a
      write by the length of a build (about 3 s at a million triples on RocksDB, see
      ``benchmarks/analytics.py``); :meth:`wait` waits for a running rebuild (for a caller
      that must read its own write).
    - A rebuild reads the version it is built from before it starts: a write during a rebuild
      starts another rebuild on the next call after it.
    - A rebuild that fails is logged and kept in :attr:`last_error`; the stale network is
      still served and the next call tries again.
    - ``background=False`` rebuilds in the calling thread instead, every caller waiting.

    The networks it hands out are never changed afterwards, so threads may share them.

    Examples
    --------
    >>> class Store:
    ...     version = 1
    ...     def select(self, query, *, timeout=None):
    ...         return []
    >>> store, cache = Store(), ProjectionCache()
    >>> first = cache.get(store)
    >>> cache.get(store) is first, cache.builds
    (True, 1)
    >>> store.version = 2
    >>> cache.get(store) is first  # the stale network, while version 2 is built
    True
    >>> cache.wait(timeout=10)
    True
    >>> cache.get(store).graph["version"], cache.builds
    (2, 2)
    """

    def __init__(
        self,
        builder: Callable[[Any], nx.MultiDiGraph] = build_supply_network,
        *,
        background: bool = True,
    ) -> None:
        self._builder = builder
        self._background = background
        self._state = threading.Lock()  # guards the fields below
        self._building = threading.Lock()  # one build at a time
        self._key: tuple[int, int] | None = None
        self._graph: nx.MultiDiGraph | None = None
        self._rebuild: threading.Thread | None = None
        self.builds = 0
        self.last_error: BaseException | None = None

    @property
    def rebuilding(self) -> bool:
        """Whether a background rebuild is running.

        >>> ProjectionCache().rebuilding
        False
        """
        with self._state:
            return self._rebuild is not None

    def get(self, store: _Selectable) -> nx.MultiDiGraph:
        """The network of ``store``: at its current version, or the previous one while that
        is being rebuilt in the background (the first build is waited for).

        >>> class Store:
        ...     version = 3
        ...     def select(self, query, *, timeout=None):
        ...         return []
        >>> ProjectionCache().get(Store()).graph["version"]
        3
        """
        key = (id(store), store.version)
        with self._state:
            graph, current = self._graph, self._key
        if graph is not None and current == key:
            return graph
        same_store = current is not None and current[0] == key[0]
        if graph is not None and same_store and self._background:
            self._start_rebuild(store)
            return graph
        return self._build(store)

    def _build(self, store: _Selectable) -> nx.MultiDiGraph:
        with self._building:
            key = (id(store), store.version)  # read before the build: a later write rebuilds
            with self._state:
                if self._graph is not None and self._key == key:
                    return self._graph
            graph = self._builder(store)
            with self._state:
                self._graph, self._key = graph, key
                self.builds += 1
                self.last_error = None
            return graph

    def _start_rebuild(self, store: _Selectable) -> None:
        with self._state:
            if self._rebuild is not None:
                return
            thread = self._rebuild = threading.Thread(
                target=self._run_rebuild, args=(store,), name="cmkg-projection", daemon=True
            )
        thread.start()

    def _run_rebuild(self, store: _Selectable) -> None:
        try:
            self._build(store)
        except Exception as exc:  # a failed rebuild must not take the cache down
            _log.exception("rebuilding the supply network failed; serving the previous one")
            with self._state:
                self.last_error = exc
        finally:
            with self._state:
                self._rebuild = None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a running background rebuild; return whether none is running any more.

        >>> ProjectionCache().wait(timeout=0)
        True
        """
        with self._state:
            thread = self._rebuild
        if thread is not None:
            thread.join(timeout)
        return not self.rebuilding

    def clear(self) -> None:
        """Forget the cached network (the next call builds and waits).

        >>> cache = ProjectionCache()
        >>> cache.clear()
        >>> cache.builds
        0
        """
        with self._state:
            self._graph, self._key = None, None
