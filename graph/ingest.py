"""The ingest pipeline: articles in, one named graph per article in the store.

Per article: extract the facts (:func:`cmkg.graph.extraction.extract_facts`), map them onto
the ontology (:func:`cmkg.graph.mapping.facts_to_rdf`) and swap the result into the store
as the article's named graph, ``article_graph_iri(id)``, with one atomic
:meth:`~cmkg.graph.store.Store.replace_graph`. Hence:

- **Crash safety.** A process killed at any point (even ``kill -9``) leaves every article it
  finished whole and none half-written: an article's graph is either its old content, its
  new content or absent.
- **Idempotency.** An article's id is a hash of its normalised text, so the same text lands
  in the same graph. A graph whose content would not change (its triples equal, leaving out
  the extraction's end time) is not written again: ingesting the same articles twice leaves
  the store, its triple count and the provenance times as they were (``unchanged``). New
  content for an existing id (a newer extractor, new reference statistics) replaces the
  graph (``replaced``).
- **Failures stay local.** An article the pipeline cannot read out or map is reported in
  :attr:`IngestReport.failed` with its reason; the others go on. A store error stops the run.

Reading back: :func:`get_article` (the article, its facts, their evidence and provenance, by
SPARQL), :func:`list_articles`, :func:`count_articles`; :func:`delete_article` drops one.

Examples
--------
>>> from cmkg.graph.articles import read_article
>>> from cmkg.graph.store import MemoryStore
>>> store = MemoryStore()
>>> a = read_article("DR Congo to suspend cobalt exports\\n\\nThe Democratic Republic of the "
...                  "Congo has announced a four-month suspension of cobalt exports.")
>>> report = ingest_articles(store, [a])
>>> (report.ingested, report.failed)
(1, [])
>>> ingest_articles(store, [a]).unchanged
1
>>> get_article(store, a.id)["title"]
'DR Congo to suspend cobalt exports'
>>> delete_article(store, a.id)
>>> count_articles(store)
0
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from rdflib import Graph
from rdflib import Literal as RDFLiteral

from .errors import CmkgError, ExtractionError, NotFound, StoreError
from .facts import Article, ArticleFacts
from .namespaces import (
    CMKG,
    DCTERMS,
    OA,
    PROV,
    RDF,
    RDFS,
    SDO,
    XSD,
    article_graph_iri,
    article_iri,
)
from .store import ResultFormat, Store

if TYPE_CHECKING:
    from .consistency import ReferenceIndex

__all__ = [
    "ArticleOutcome",
    "IngestReport",
    "Outcome",
    "article_graph",
    "count_articles",
    "delete_article",
    "get_article",
    "ingest_article",
    "ingest_articles",
    "list_articles",
]

Outcome = Literal["ingested", "replaced", "unchanged", "failed"]

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~+-]{0,127}")
_ARTICLE_GRAPHS = str(article_graph_iri("x"))[:-1]
_TIMES = frozenset({PROV.endedAtTime, PROV.startedAtTime, PROV.generatedAtTime})


@dataclass(frozen=True, slots=True)
class ArticleOutcome:
    """What happened to one article: its id, graph, outcome and sizes."""

    id: str
    graph: str
    outcome: Outcome
    facts: int
    triples: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "graph": self.graph,
            "outcome": self.outcome,
            "facts": self.facts,
            "triples": self.triples,
        }


@dataclass(slots=True)
class IngestReport:
    """Counts of one ingest run.

    ``triples`` is the number of triples written (unchanged articles write none);
    ``failed`` holds ``(article id, reason)`` pairs.
    """

    ingested: int = 0
    replaced: int = 0
    unchanged: int = 0
    triples: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    outcomes: list[ArticleOutcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Articles seen, whatever their outcome."""
        return self.ingested + self.replaced + self.unchanged + len(self.failed)

    def summary(self) -> str:
        """One line for people.

        >>> IngestReport(ingested=2, unchanged=1, triples=80).summary()
        '3 articles: 2 ingested, 0 replaced, 1 unchanged, 0 failed; 80 triples written'
        """
        return (
            f"{self.total} articles: {self.ingested} ingested, {self.replaced} replaced, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed; "
            f"{self.triples} triples written"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "failed": [{"id": i, "reason": r} for i, r in self.failed],
            "triples": self.triples,
            "articles": [o.to_json() for o in self.outcomes],
        }


def article_graph(
    article: Article,
    *,
    reference: ReferenceIndex | None = None,
    generated_at: datetime | None = None,
) -> tuple[ArticleFacts, Graph]:
    """Extract an article's facts and map them: its facts and its named graph's content.

    >>> from cmkg.graph.articles import read_article
    >>> doc, g = article_graph(read_article("Cobalt\\n\\nDR Congo halts cobalt exports."))
    >>> str(g.identifier) == str(article_graph_iri(doc.article.id))
    True
    """
    from .extraction import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract_facts
    from .mapping import facts_to_rdf

    doc = extract_facts(article)
    graph = facts_to_rdf(
        doc,
        extractor=EXTRACTOR_NAME,
        extractor_version=EXTRACTOR_VERSION,
        generated_at=generated_at,
        reference=reference,
    )
    return doc, graph


# Oxigraph canonicalises literals as it stores them (every type derived from xsd:integer
# becomes xsd:integer, "2.0"^^xsd:decimal becomes "2"...), so a graph read back from the
# store is compared with a new one in value space.
_INTEGER_TYPES = frozenset(
    str(XSD[t])
    for t in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)


def _term_key(term: Any) -> Any:
    if isinstance(term, RDFLiteral) and term.datatype is not None and term.value is not None:
        family = "integer" if str(term.datatype) in _INTEGER_TYPES else str(term.datatype)
        key = (family, term.value)
        with contextlib.suppress(TypeError):
            hash(key)
            return key
    return term


def _untimed(triples: Iterable[Any]) -> set[Any]:
    """The triples without provenance times, as comparable keys."""
    return {(s, p, _term_key(o)) for s, p, o in triples if p not in _TIMES}


def _stored_triples(store: Store, graph: str) -> Graph:
    raw = store.query_raw(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
        accept=ResultFormat.NTRIPLES,
    )
    g = Graph()
    g.parse(data=raw.body.decode("utf-8"), format="nt")
    return g


def _same_content(store: Store, graph: str, new: Graph) -> bool:
    """Whether ``graph`` in the store holds ``new``'s triples (leaving out provenance times)."""
    new_triples = _untimed(new)
    stored = store.count(graph)
    if not len(new_triples) <= stored <= len(new_triples) + len(_TIMES):
        return False
    return _untimed(_stored_triples(store, graph)) == new_triples


def ingest_article(
    store: Store,
    article: Article,
    *,
    reference: ReferenceIndex | None = None,
    generated_at: datetime | None = None,
    skip_unchanged: bool = True,
) -> ArticleOutcome:
    """Ingest one article; raise the pipeline's error if it cannot (nothing is written then).

    ``reference`` defaults to the reference statistics in ``store``; ``generated_at`` (the
    extraction's end time in the provenance) to now, in UTC. With ``skip_unchanged``, a graph
    whose content would stay the same is left alone (outcome ``unchanged``).

    >>> from cmkg.graph.articles import read_article
    >>> from cmkg.graph.store import MemoryStore
    >>> store = MemoryStore()
    >>> ingest_article(store, read_article("Lithium\\n\\nChile signs a lithium deal.")).outcome
    'ingested'
    """
    if reference is None:
        from .consistency import ReferenceIndex

        reference = ReferenceIndex.from_store(store)
    when = generated_at or datetime.now(UTC).replace(microsecond=0)
    doc, graph = article_graph(article, reference=reference, generated_at=when)
    iri = str(article_graph_iri(article.id))
    existed = store.has_graph(iri)
    if existed and skip_unchanged and _same_content(store, iri, graph):
        return ArticleOutcome(article.id, iri, "unchanged", len(doc.facts), 0)
    written = store.replace_graph(iri, graph)
    return ArticleOutcome(
        article.id, iri, "replaced" if existed else "ingested", len(doc.facts), written
    )


def ingest_articles(
    store: Store,
    articles: Iterable[Article],
    *,
    reference: ReferenceIndex | None = None,
    generated_at: datetime | None = None,
    progress: Callable[[Article, Outcome], None] | None = None,
    skip_unchanged: bool = True,
) -> IngestReport:
    """Ingest articles one by one, each as one atomic graph swap; return the counts.

    Parameters
    ----------
    store
        Where the graphs go.
    articles
        The articles (from :func:`cmkg.graph.articles.read_article`, ``iter_inputs``...).
    reference
        Reference statistics for the share claims' verdicts; read from ``store`` once when
        not given.
    generated_at
        The extraction end time recorded in the provenance; one "now" (UTC) for the run when
        not given. Unchanged articles keep the time of the run that wrote them.
    progress
        Called after each article with the article and its outcome.
    skip_unchanged
        Leave a graph alone when its content would not change.

    Returns
    -------
    IngestReport

    Raises
    ------
    StoreError
        The store failed: the run stops; the articles before it are in, whole.
    """
    if reference is None:
        from .consistency import ReferenceIndex

        reference = ReferenceIndex.from_store(store)
    when = generated_at or datetime.now(UTC).replace(microsecond=0)
    report = IngestReport()
    for article in articles:
        try:
            outcome = ingest_article(
                store,
                article,
                reference=reference,
                generated_at=when,
                skip_unchanged=skip_unchanged,
            )
        except StoreError:
            raise
        except CmkgError as exc:
            report.failed.append((article.id, str(exc)))
            if progress is not None:
                progress(article, "failed")
            continue
        except Exception as exc:  # a bug in a pipeline step must not sink the batch
            reason = ExtractionError(
                f"article {article.id}: the pipeline failed: {type(exc).__name__}: {exc}"
            )
            report.failed.append((article.id, str(reason)))
            if progress is not None:
                progress(article, "failed")
            continue
        report.outcomes.append(outcome)
        report.triples += outcome.triples
        if outcome.outcome == "ingested":
            report.ingested += 1
        elif outcome.outcome == "replaced":
            report.replaced += 1
        else:
            report.unchanged += 1
        if progress is not None:
            progress(article, outcome.outcome)
    return report


# ---------------------------------------------------------------------------- reading back


def _check_id(article_id: str) -> str:
    if not isinstance(article_id, str) or _ID.fullmatch(article_id) is None:
        raise NotFound(f"no article with id {article_id!r}")
    return article_id


def delete_article(store: Store, article_id: str) -> None:
    """Drop an article's named graph; :class:`~cmkg.graph.errors.NotFound` if there is none.

    >>> from cmkg.graph.store import MemoryStore
    >>> delete_article(MemoryStore(), "0123456789abcdef")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.NotFound: no article with id '0123456789abcdef'
    """
    _check_id(article_id)
    if not store.drop_graph(str(article_graph_iri(article_id))):
        raise NotFound(f"no article with id {article_id!r}")


def _tail(iri: Any) -> str:
    return str(iri).rsplit("/", 1)[-1]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


_FACT_TYPES = {
    str(CMKG.Agreement): "agreement",
    str(CMKG.ExportControl): "export_control",
    str(CMKG.Investment): "investment",
    str(CMKG.ShareClaim): "share",
}


def _fact_json(node: str, props: Mapping[str, list[Any]]) -> dict[str, Any]:
    def one(p: Any) -> Any:
        values = props.get(str(p))
        return _plain(values[0]) if values else None

    def codes(p: Any) -> list[str]:
        return sorted(_tail(v) for v in props.get(str(p), ()))

    kind = next(
        (_FACT_TYPES[str(t)] for t in props.get(str(RDF.type), ()) if str(t) in _FACT_TYPES), None
    )
    out: dict[str, Any] = {"index": one(CMKG.factIndex), "iri": node, "type": kind}
    if kind == "agreement":
        agreement_kind = one(CMKG.agreementKind)
        out |= {
            "parties": codes(CMKG.party),
            "minerals": codes(CMKG.concernsMineral),
            "date": one(DCTERMS.date),
            "kind": None if agreement_kind is None else _tail(agreement_kind).replace("-", "_"),
        }
    elif kind == "export_control":
        measure = one(CMKG.exportMeasure)
        country = one(CMKG.imposedBy)
        out |= {
            "country": None if country is None else _tail(country),
            "minerals": codes(CMKG.concernsMineral),
            "measure": None if measure is None else _tail(measure),
            "date": one(CMKG.startDate),
            "status": one(CMKG.controlStatus),
        }
    elif kind == "investment":
        host = one(CMKG.host)
        stage = one(CMKG.stage)
        out |= {
            "investor": one(CMKG.investorName),
            "host": None if host is None else _tail(host),
            "minerals": codes(CMKG.concernsMineral),
            "stage": None if stage is None else _tail(stage),
            "amount_usd": one(CMKG.amountUsd),
            "date": one(DCTERMS.date),
        }
    elif kind == "share":
        country, mineral, stage = one(CMKG.country), one(CMKG.mineral), one(CMKG.stage)
        consistency = one(CMKG.consistency)
        out |= {
            "country": None if country is None else _tail(country),
            "mineral": None if mineral is None else _tail(mineral),
            "stage": None if stage is None else _tail(stage),
            "value": one(CMKG.value),
            "comparator": one(CMKG.comparator),
            "year": one(CMKG.year),
            "consistency": None if consistency is None else _tail(consistency),
            "checked_against": one(CMKG.checkedAgainst),
            "reference_value": one(CMKG.referenceValue),
            "tolerance": one(CMKG.tolerance),
        }
    return out


def get_article(store: Store, article_id: str) -> dict[str, Any]:
    """An article as stored: metadata, mentions, facts with evidence, and provenance.

    Read back from the article's named graph with one SPARQL SELECT. Evidence carries the
    quote and, when known, its character offsets in ``text``. Raise
    :class:`~cmkg.graph.errors.NotFound` for an unknown id.

    >>> from cmkg.graph.store import MemoryStore
    >>> get_article(MemoryStore(), "nope")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.NotFound: no article with id 'nope'
    """
    _check_id(article_id)
    graph = str(article_graph_iri(article_id))
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    if not rows:
        raise NotFound(f"no article with id {article_id!r}")
    nodes: dict[str, dict[str, list[Any]]] = {}
    for row in rows:
        nodes.setdefault(str(row["s"]), {}).setdefault(str(row["p"]), []).append(row["o"])
    article = str(article_iri(article_id))
    a = nodes.get(article, {})

    def one(props: Mapping[str, list[Any]], p: Any) -> Any:
        values = props.get(str(p))
        return _plain(values[0]) if values else None

    mentions = [str(m) for m in a.get(str(SDO.mentions), ())]
    facts = []
    for node, props in nodes.items():
        if str(CMKG.fromArticle) not in props:
            continue
        fact = _fact_json(node, props)
        fact["evidence"] = _evidence_json(nodes, props)
        facts.append(fact)
    facts.sort(key=lambda f: (f["index"] is None, f["index"]))
    activity_node = next(
        (
            n
            for n, props in nodes.items()
            if str(CMKG.ExtractionActivity) in map(str, props.get(str(RDF.type), ()))
        ),
        None,
    )
    provenance: dict[str, Any] = {"graph": graph, "triples": len(rows)}
    if activity_node is not None:
        act = nodes[activity_node]
        agent = one(act, PROV.wasAssociatedWith)
        agent_props = nodes.get(str(agent), {}) if agent else {}
        provenance |= {
            "activity": activity_node,
            "ended_at": one(act, PROV.endedAtTime),
            "extractor": agent,
            "extractor_label": one(agent_props, RDFS.label),
            "extractor_version": one(agent_props, CMKG.extractorVersion),
        }
    return {
        "id": article_id,
        "iri": article,
        "title": one(a, SDO.headline),
        "language": one(a, SDO.inLanguage),
        "published": one(a, SDO.datePublished),
        "source": one(a, SDO.url) or one(a, DCTERMS.source),
        "text_sha256": one(a, CMKG.textSha256),
        "text": one(a, SDO.text),
        "mentions": {
            "countries": sorted(_tail(m) for m in mentions if "/country/" in m),
            "minerals": sorted(_tail(m) for m in mentions if "/mineral/" in m),
        },
        "facts": facts,
        "provenance": provenance,
    }


def _evidence_json(
    nodes: Mapping[str, Mapping[str, list[Any]]], fact: Mapping[str, list[Any]]
) -> dict[str, Any] | None:
    annotations = fact.get(str(CMKG.evidence))
    if not annotations:
        return None
    annotation = nodes.get(str(annotations[0]), {})
    out: dict[str, Any] = {"annotation": str(annotations[0])}
    for target in annotation.get(str(OA.hasTarget), ()):
        for selector in nodes.get(str(target), {}).get(str(OA.hasSelector), ()):
            props = nodes.get(str(selector), {})
            for key, p in (
                ("exact", OA.exact),
                ("prefix", OA.prefix),
                ("suffix", OA.suffix),
                ("start", OA.start),
                ("end", OA.end),
            ):
                if str(p) in props:
                    out[key] = _plain(props[str(p)][0])
    return out


_LIST_QUERY = """
PREFIX schema: <{schema}>
PREFIX dct: <{dct}>
PREFIX cmkg: <{cmkg}>
SELECT ?g ?id ?title ?language ?published ?url ?source (COUNT(DISTINCT ?f) AS ?facts)
WHERE {{
  GRAPH ?g {{
    ?a a schema:NewsArticle ; dct:identifier ?id .
    OPTIONAL {{ ?a schema:headline ?title }}
    OPTIONAL {{ ?a schema:inLanguage ?language }}
    OPTIONAL {{ ?a schema:datePublished ?published }}
    OPTIONAL {{ ?a schema:url ?url }}
    OPTIONAL {{ ?a dct:source ?source }}
    OPTIONAL {{ ?f cmkg:fromArticle ?a }}
  }}
  FILTER(STRSTARTS(STR(?g), "{prefix}"))
}}
GROUP BY ?g ?id ?title ?language ?published ?url ?source
ORDER BY DESC(STR(?published)) ?id
LIMIT {limit} OFFSET {offset}
"""

_COUNT_QUERY = """
PREFIX schema: <{schema}>
SELECT (COUNT(DISTINCT ?g) AS ?n)
WHERE {{ GRAPH ?g {{ ?a a schema:NewsArticle }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}
"""


def list_articles(store: Store, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """The stored articles, newest first (then by id): metadata and number of facts.

    >>> from cmkg.graph.store import MemoryStore
    >>> list_articles(MemoryStore())
    []
    """
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must be >= 0")
    query = _LIST_QUERY.format(
        schema=SDO,
        dct=DCTERMS,
        cmkg=CMKG,
        prefix=_ARTICLE_GRAPHS,
        limit=int(limit),
        offset=int(offset),
    )
    out = []
    for row in store.select(query):
        out.append(
            {
                "id": str(row["id"]),
                "title": row.get("title"),
                "language": row.get("language"),
                "published": _plain(row.get("published")),
                "source": row.get("url") or row.get("source"),
                "facts": int(row.get("facts") or 0),
                "graph": str(row["g"]),
            }
        )
    return out


def count_articles(store: Store) -> int:
    """How many articles the store holds.

    >>> from cmkg.graph.store import MemoryStore
    >>> count_articles(MemoryStore())
    0
    """
    rows = store.select(_COUNT_QUERY.format(schema=SDO, prefix=_ARTICLE_GRAPHS))
    return int(rows[0]["n"]) if rows else 0
