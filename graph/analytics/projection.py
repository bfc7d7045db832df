"""RDF -> networkx: the projection of the store onto the supply network.

:func:`build_supply_network` reads the store with a few SPARQL SELECTs (:data:`QUERIES`:
statistics, claims, evidence, articles, datasets, agreements, export controls, investments,
labels) and builds the network of :mod:`cmkg.graph.analytics.network`. It is the only module of
the analytics that touches the store; everything else takes the networkx graph.
:class:`ProjectionCache` rebuilds it only when :attr:`Store.version
<cmkg.graph.store.Store.version>` changes.

The results are read as SPARQL CSV (:meth:`Store.query_raw <cmkg.graph.store.Store.query_raw>`)
when the store serves it, else through :meth:`Store.select <cmkg.graph.store.Store.select>`:
both give the same network, the first some 15% faster at a million triples (no typed
Python value per cell). A million triples (2,600 articles of 400 triples) build in about 2 s
(``benchmarks/analytics.py``).

What is read, and how
---------------------
- Every ``cmkg:SupplyObservation`` of a ``qb:dataSet`` and every ``cmkg:ShareClaim`` of an
  article becomes a supply edge country -> (mineral, stage): the statistics of the reference
  graphs (``kind="reference"``, source = their ``qb:dataSet``) and the share claims of the
  articles (``kind="claim"``, source = ``cmkg:fromArticle``). Reserves become an attribute of
  the country (``add_reserves``), not a flow stage.
- A share is the observation's value when its measure is ``share``. For a volume (production,
  capacity, reserves) it is computed (``share_derived=True``): value / ``cmkg:worldTotal`` when
  the observation has one, else value / the sum of the values of every country, "other
  countries" included, for the same dataset, mineral, stage, measure and year (capped at 1:
  some world totals leave a country out). A withheld value gives no share.
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

#: The SELECTs the projection runs, by name. Simple joins: in the engine a chain of OPTIONALs
#: costs more than a second query, so multi-valued properties get queries of their own.
QUERIES: Mapping[str, str] = {
    "statistics": _PREFIXES
    + """
SELECT ?o ?country ?mineral ?stage ?measure ?year ?value ?unit ?cmp ?status ?src ?total ?ds ?basis
WHERE {
  ?o a cmkg:SupplyObservation ; qb:dataSet ?ds ;
     cmkg:country ?country ; cmkg:mineral ?mineral ; cmkg:stage ?stage ; cmkg:measure ?measure .
  OPTIONAL { ?o cmkg:year ?year }
  OPTIONAL { ?o cmkg:value ?value }
  OPTIONAL { ?o qudt:unit ?unit }
  OPTIONAL { ?o cmkg:comparator ?cmp }
  OPTIONAL { ?o cmkg:status ?status }
  OPTIONAL { ?o dct:source ?src }
  OPTIONAL { ?o cmkg:worldTotal ?total }
  OPTIONAL { ?o cmkg:basis ?basis }
}""",
    "claims": _PREFIXES
    + """
SELECT ?o ?country ?mineral ?stage ?value ?article ?cmp ?consistency ?year ?refValue
WHERE {
  ?o a cmkg:ShareClaim ; cmkg:fromArticle ?article ; cmkg:value ?value ;
     cmkg:country ?country ; cmkg:mineral ?mineral ; cmkg:stage ?stage ;
     cmkg:comparator ?cmp ; cmkg:consistency ?consistency .
  OPTIONAL { ?o cmkg:year ?year }
  OPTIONAL { ?o cmkg:referenceValue ?refValue }
}""",
    "evidence": _PREFIXES
    + """
SELECT ?fact ?quote
WHERE {
  ?fact cmkg:evidence ?ann .
  ?ann oa:hasTarget ?t .
  ?t oa:hasSelector ?sel .
  ?sel oa:exact ?quote .
}""",
    "articles": _PREFIXES
    + """
SELECT ?a ?headline ?url ?src ?published ?language
WHERE {
  ?a a schema:NewsArticle .
  OPTIONAL { ?a schema:headline ?headline }
  OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a dct:source ?src }
  OPTIONAL { ?a schema:datePublished ?published }
  OPTIONAL { ?a schema:inLanguage ?language }
}""",
    "datasets": _PREFIXES
    + """
SELECT ?ds ?title ?issued ?publisher
WHERE {
  ?ds a qb:DataSet .
  OPTIONAL { ?ds dct:title ?title }
  OPTIONAL { ?ds dct:issued ?issued }
  OPTIONAL { ?ds dct:publisher/rdfs:label ?publisher }
}""",
    "agreement_parties": _PREFIXES + "SELECT ?f ?x WHERE { ?f a cmkg:Agreement ; cmkg:party ?x }",
    "agreement_minerals": _PREFIXES
    + "SELECT ?f ?x WHERE { ?f a cmkg:Agreement ; cmkg:concernsMineral ?x }",
    "agreements": _PREFIXES
    + """
SELECT ?f ?date ?kind ?article
WHERE {
  ?f a cmkg:Agreement .
  OPTIONAL { ?f dct:date ?date }
  OPTIONAL { ?f cmkg:agreementKind ?kind }
  OPTIONAL { ?f cmkg:fromArticle ?article }
}""",
    "export_control_minerals": _PREFIXES
    + "SELECT ?f ?x WHERE { ?f a cmkg:ExportControl ; cmkg:concernsMineral ?x }",
    "export_controls": _PREFIXES
    + """
SELECT ?f ?country ?measure ?start ?status ?article
WHERE {
  ?f a cmkg:ExportControl ; cmkg:imposedBy ?country .
  OPTIONAL { ?f cmkg:exportMeasure ?measure }
  OPTIONAL { ?f cmkg:startDate ?start }
  OPTIONAL { ?f cmkg:controlStatus ?status }
  OPTIONAL { ?f cmkg:fromArticle ?article }
}""",
    "investment_minerals": _PREFIXES
    + "SELECT ?f ?x WHERE { ?f a cmkg:Investment ; cmkg:concernsMineral ?x }",
    "investments": _PREFIXES
    + """
SELECT ?f ?investor ?host ?name ?stage ?amount ?article
WHERE {
  ?f a cmkg:Investment ; cmkg:investor ?investor ; cmkg:host ?host .
  OPTIONAL { ?f cmkg:investorName ?name }
  OPTIONAL { ?f cmkg:stage ?stage }
  OPTIONAL { ?f cmkg:amountUsd ?amount }
  OPTIONAL { ?f cmkg:fromArticle ?article }
}""",
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

_ID = BASE + "id/"
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


def _select(store: _Selectable, name: str) -> list[dict[str, Any]]:
    """The rows of one of :data:`QUERIES`, read as SPARQL CSV results when the store serves them.

    CSV (``Store.query_raw``) is parsed by the csv module, faster than building a typed Python
    value per cell: the projection reads every cell as text and converts what it needs. A store
    that offers only :meth:`~cmkg.graph.store.Store.select` is read through it.
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
            return [dict(zip(header, row, strict=False)) for row in reader if row]
    return store.select(query)


def _evidence(store: _Selectable) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _select(store, "evidence"):
        quote = r.get("quote")
        if quote:
            out[str(r["fact"])].append({"quote": str(quote)})
    return out


def _first_rows(rows: Iterable[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """One row per ``key`` (the first; later rows only fill unbound variables)."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        k = str(r[key])
        if k not in out:
            out[k] = dict(r)
        else:
            row = out[k]
            for name, value in r.items():
                if row.get(name) in (None, "") and value not in (None, ""):
                    row[name] = value
    return out


def _observations(G: nx.MultiDiGraph, store: _Selectable, evidence: Mapping[str, Any]) -> None:
    rows = _first_rows(_select(store, "statistics"), "o")
    for r in _select(store, "claims"):  # one row per claim: its properties are single-valued
        rows.setdefault(str(r["o"]), r)
    parsed = []
    for iri, r in rows.items():
        country = _segment(r.get("country"), "country")
        mineral = _segment(r.get("mineral"), "mineral")
        stage = _segment(r.get("stage"), "stage")
        measure = _segment(r.get("measure"), "measure") if "measure" in r else "share"
        if not (country and mineral and stage in STAGES and measure):
            continue
        parsed.append((iri, r, country, mineral, stage, measure))
    # denominators for volumes without a world total: the sum over countries, ZZ included
    sums: dict[tuple[Any, ...], float] = defaultdict(float)
    for _iri, r, _country, mineral, stage, measure in parsed:
        if measure != "share" and not r.get("article"):
            v = _number(r.get("value"))
            if v is not None:
                sums[(str(r.get("ds")), mineral, stage, measure, _year(r.get("year")))] += v
    sources = G.graph["sources"]
    for iri, r, country, mineral, stage, measure in parsed:
        value = _number(r.get("value"))
        year = _year(r.get("year"))
        article = _text(r.get("article"))
        kind = "claim" if article else "reference"
        share: float | None
        derived = False
        if measure == "share":
            share = None if value is None else min(1.0, max(0.0, value))
        elif value is None:
            share = None
        else:
            total = _number(r.get("total"))
            if not total:
                total = sums.get((str(r.get("ds")), mineral, stage, measure, year)) or None
            share = min(1.0, max(0.0, value / total)) if total else None
            derived = share is not None
        year_inferred = False
        if kind == "claim":
            source = article
            source_url = (sources.get(article) or {}).get("url")
            if year is None:
                year = _year((sources.get(article) or {}).get("published"))
                year_inferred = year is not None
            ev = tuple({**e, "article": article, "url": source_url} for e in evidence.get(iri, ()))
        else:
            source = _text(r.get("ds"))
            source_url = _text(r.get("src"))
            ev = ({"observation": iri, "dataset": source, "url": source_url},)
        if stage == "reserves" or measure == "reserves":
            add_reserves(
                G,
                country,
                mineral,
                volume=value,
                unit=_last(r.get("unit")),
                year=year,
                share=share,
                source=source,
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
            unit=_last(r.get("unit")),
            year=year,
            measure=measure if measure in ("production", "capacity", "share") else "share",
            kind=kind,
            comparator=_comparator(r.get("cmp")),
            status=_text(r.get("status")),
            source=source,
            source_url=source_url,
            evidence=ev,
            consistency=_last(r.get("consistency")) if kind == "claim" else None,
            reference_value=_number(r.get("refValue")),
            year_inferred=year_inferred,
            share_derived=derived,
            basis=_text(r.get("basis")),
            key=iri,
        )


def _values(store: _Selectable, name: str, kind: str) -> dict[str, list[str]]:
    """The ``id/<kind>/`` ids of a multi-valued property, by fact (rows ``?f ?x``)."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in _select(store, name):
        value = _segment(r.get("x"), kind)
        if value is not None:
            values = out[str(r["f"])]
            if value not in values:
                values.append(value)
    return out


def _article_evidence(
    G: nx.MultiDiGraph, evidence: Mapping[str, Any], fact: str, article: str | None
) -> tuple[dict[str, Any], ...]:
    url = (G.graph["sources"].get(article or "") or {}).get("url")
    return tuple({**e, "article": article, "url": url} for e in evidence.get(fact, ()))


def build_supply_network(store: _Selectable) -> nx.MultiDiGraph:
    """Project the store onto a supply network (see the module docstring for what is read).

    Parameters
    ----------
    store : cmkg.graph.store.Store
        Any store (only :meth:`~cmkg.graph.store.Store.select` and ``version`` are used).

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
    the build time at a million triples."""
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

    for r in _select(store, "labels"):
        code = _segment(r["x"], "country")
        if code is not None:
            add_country(
                G,
                code,
                label=str(r["label"]),
                member_of=[u for u in [_segment(r.get("union"), "country")] if u],
                node=False,
            )
            continue
        mineral = _segment(r["x"], "mineral")
        if mineral is not None:
            add_mineral(
                G,
                mineral,
                label=str(r["label"]),
                broader=_segment(r.get("broader"), "mineral"),
            )

    for iri, r in _first_rows(_select(store, "datasets"), "ds").items():
        add_source(
            G,
            iri,
            kind="dataset",
            label=_text(r.get("title")),
            url=None,
            published=_text(r.get("issued")),
        )
        if _text(r.get("publisher")) is not None:
            G.graph["sources"][iri]["publisher"] = str(r["publisher"])
    for iri, r in _first_rows(_select(store, "articles"), "a").items():
        add_source(
            G,
            iri,
            kind="article",
            label=_text(r.get("headline")),
            url=_text(r.get("url")) or _text(r.get("src")),
            published=_text(r.get("published")),
            language=_text(r.get("language")),
        )

    evidence = _evidence(store)
    _observations(G, store, evidence)

    parties = _values(store, "agreement_parties", "country")
    minerals = _values(store, "agreement_minerals", "mineral")
    for iri, r in _first_rows(_select(store, "agreements"), "f").items():
        if len(set(parties.get(iri, ()))) < 2:
            continue
        article = _text(r.get("article"))
        add_agreement(
            G,
            parties[iri],
            minerals.get(iri, []),
            date=_text(r.get("date")),
            kind=_last(r.get("kind")),
            source=article,
            evidence=_article_evidence(G, evidence, iri, article),
            key=iri,
        )
    minerals = _values(store, "export_control_minerals", "mineral")
    for iri, r in _first_rows(_select(store, "export_controls"), "f").items():
        country = _segment(r.get("country"), "country")
        if country is None:
            continue
        article = _text(r.get("article"))
        status = _text(r.get("status")) or "in-force"
        add_export_control(
            G,
            country,
            minerals.get(iri, []),
            measure=_last(r.get("measure")),
            start=_text(r.get("start")),
            status=status if status in ("in-force", "lifted") else "in-force",
            source=article,
            evidence=_article_evidence(G, evidence, iri, article),
            key=iri,
        )
    minerals = _values(store, "investment_minerals", "mineral")
    for iri, r in _first_rows(_select(store, "investments"), "f").items():
        host = _segment(r.get("host"), "country")
        if host is None:
            continue
        investor = _segment(r.get("investor"), "country") or str(r["investor"])
        article = _text(r.get("article"))
        add_investment(
            G,
            investor,
            host,
            minerals.get(iri, []),
            stage=_segment(r.get("stage"), "stage"),
            amount_usd=_number(r.get("amount")),
            investor_name=_text(r.get("name")),
            source=article,
            evidence=_article_evidence(G, evidence, iri, article),
            key=iri,
        )
    G.graph.pop("_memo", None)
    return G


class ProjectionCache:
    """The supply network of a store, rebuilt only when the store's version changes.

    Thread-safe: concurrent callers on a stale cache wait for one build.

    Examples
    --------
    >>> class Store:
    ...     version = 1
    ...     def select(self, query, *, timeout=None):
    ...         return []
    >>> store, cache = Store(), ProjectionCache()
    >>> cache.get(store) is cache.get(store), cache.builds
    (True, 1)
    >>> store.version = 2
    >>> _ = cache.get(store)
    >>> cache.builds
    2
    """

    def __init__(self, builder: Callable[[Any], nx.MultiDiGraph] = build_supply_network) -> None:
        self._builder = builder
        self._lock = threading.Lock()
        self._key: tuple[int, Any] | None = None
        self._graph: nx.MultiDiGraph | None = None
        self.builds = 0

    def get(self, store: _Selectable) -> nx.MultiDiGraph:
        """The network of ``store`` at its current version (built on first use).

        >>> class Store:
        ...     version = 3
        ...     def select(self, query, *, timeout=None):
        ...         return []
        >>> ProjectionCache().get(Store()).graph["version"]
        3
        """
        key = (id(store), store.version)
        graph = self._graph
        if graph is not None and self._key == key:
            return graph
        with self._lock:
            key = (id(store), store.version)
            if self._graph is not None and self._key == key:
                return self._graph
            graph = self._builder(store)
            self._graph, self._key = graph, key
            self.builds += 1
            return graph

    def clear(self) -> None:
        """Forget the cached network.

        >>> cache = ProjectionCache()
        >>> cache.clear()
        >>> cache.builds
        0
        """
        with self._lock:
            self._graph, self._key = None, None
