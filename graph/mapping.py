"""Facts -> RDF: the one place where the IRIs of articles, facts and evidence are minted.

:func:`facts_to_rdf` turns one :class:`~cmkg.graph.facts.ArticleFacts` into the content of
the article's named graph (``article_graph_iri(id)``). It is pure and deterministic: no
network, no clock (the activity's end time is written only when passed in), no blank nodes,
so the same input gives the same triples, byte for byte in sorted N-Triples.

What one article's graph holds::

    id:article/<id>            schema:NewsArticle: identifier, headline, language, date,
                               url (or dct:source), text, cmkg:textSha256, schema:mentions
    id:fact/<id>/<n>           one node per fact n (0-based, in order): cmkg:Agreement,
                               cmkg:ExportControl, cmkg:Investment or cmkg:ShareClaim (also a
                               cmkg:SupplyObservation and qb:Observation), with cmkg:fromArticle,
                               cmkg:factIndex, prov:wasDerivedFrom, prov:wasGeneratedBy and
                               cmkg:evidence
    id:evidence/<id>/<n>       the oa:Annotation whose body is the fact; its target
        .../target             an oa:SpecificResource on the article, with selectors
        .../quote-selector     oa:TextQuoteSelector (exact, prefix, suffix)
        .../position-selector  oa:TextPositionSelector (start, end) when the offsets are known
    id:activity/<id>/<x>-<v>   the cmkg:ExtractionActivity (prov:Activity) that read the article
    id:agent/<x>/<v>           the cmkg:Extractor (prov:SoftwareAgent) that ran it
    id:org/<slug>              an cmkg:Organization named as an investor

Share claims are checked against reference statistics when a
:class:`~cmkg.graph.consistency.ReferenceIndex` is passed (see
:mod:`cmkg.graph.consistency` for the verdict rule); otherwise they are marked
``unchecked``.

Country codes (ISO 3166-1 alpha-2 plus ``EU``), mineral ids (``minerals.csv``), stages,
comparators, measures, kinds and dates are validated: bad input raises
:class:`~cmkg.graph.errors.InvalidFacts` naming the article id, the fact and the value.

Examples
--------
>>> from cmkg.graph.facts import ArticleFacts
>>> doc = ArticleFacts.from_json({
...     "article": {"id": "a1", "language": "en", "published": "2025-10-28"},
...     "mentions": {"countries": ["US", "JP"], "minerals": ["rare-earths"]},
...     "facts": [{"type": "agreement", "parties": ["US", "JP"], "minerals": ["rare-earths"],
...                "kind": "framework", "evidence": "They signed."}]},
...     text="Deal\\n\\nThey signed.")
>>> g = facts_to_rdf(doc, extractor_version="0.1.0")
>>> str(g.identifier)
'https://w3id.org/cmkg/graph/article/a1'
>>> (fact_iri("a1", 0), RDF.type, CMKG.Agreement) in g
True
>>> sorted(int(o) for o in g.objects(None, OA.start))
[6]
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import InputError, InvalidFacts
from .facts import (
    AgreementFact,
    ArticleFacts,
    ExportControlFact,
    Fact,
    InvestmentFact,
    ShareFact,
)
from .namespaces import (
    CMKG,
    DCTERMS,
    ID,
    OA,
    PREFIXES,
    PROV,
    QB,
    QUDT,
    RDF,
    RDFS,
    SDO,
    UNIT,
    XSD,
    agreement_kind_iri,
    article_graph_iri,
    article_iri,
    consistency_iri,
    country_iri,
    measure_iri,
    measure_kind_iri,
    mineral_iri,
    organization_iri,
    stage_iri,
)

if TYPE_CHECKING:
    from .consistency import ReferenceIndex

__all__ = [
    "CONTEXT_CHARS",
    "DEFAULT_EXTRACTOR",
    "activity_iri",
    "agent_iri",
    "article_dataset",
    "date_literal",
    "decimal_literal",
    "evidence_iri",
    "fact_iri",
    "facts_to_rdf",
    "known_country_codes",
    "known_mineral_ids",
    "locate_evidence",
]

#: The extractor's name when none is given.
DEFAULT_EXTRACTOR: Final = "cmkg-extractor"
#: Characters of context kept before and after a quote (oa:prefix / oa:suffix).
CONTEXT_CHARS: Final = 30

STAGES: Final = frozenset({"mining", "processing", "manufacturing", "recycling", "reserves"})
COMPARATORS: Final = frozenset({"=", ">", ">=", "<", "<=", "~"})
AGREEMENT_KINDS: Final = frozenset(
    {"framework", "mou", "treaty", "trade_deal", "partnership", "offtake", "investment", "other"}
)
EXPORT_MEASURES: Final = frozenset(
    {"ban", "licensing", "quota", "tightening", "tax", "lifting", "other"}
)

_FACT_CLASS: Final = {
    "agreement": CMKG.Agreement,
    "export_control": CMKG.ExportControl,
    "investment": CMKG.Investment,
    "share": CMKG.ShareClaim,
}
# An id, extractor name or version goes into IRIs as one path segment: keep it unreserved.
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~+-]*")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*(?![A-Za-z0-9-])")
_ISO_DATE = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?![\d-])")
_HTTP = re.compile(r"https?://\S.*", re.IGNORECASE | re.DOTALL)
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


# ---------------------------------------------------------------------------- IRIs


def fact_iri(article_id: str, index: int) -> URIRef:
    """The IRI of fact ``index`` (0-based, in the order of the facts) of an article.

    >>> str(fact_iri("001", 2))
    'https://w3id.org/cmkg/id/fact/001/2'
    """
    return ID[f"fact/{article_id}/{index}"]


def evidence_iri(article_id: str, index: int) -> URIRef:
    """The IRI of the evidence annotation of fact ``index`` of an article.

    >>> str(evidence_iri("001", 0))
    'https://w3id.org/cmkg/id/evidence/001/0'
    """
    return ID[f"evidence/{article_id}/{index}"]


def activity_iri(article_id: str, extractor: str, version: str) -> URIRef:
    """The IRI of one extractor version's run over one article.

    >>> str(activity_iri("001", "cmkg-extractor", "0.1.0"))
    'https://w3id.org/cmkg/id/activity/001/cmkg-extractor-0.1.0'
    """
    return ID[f"activity/{article_id}/{extractor}-{version}"]


def agent_iri(extractor: str, version: str) -> URIRef:
    """The IRI of one version of the extractor software.

    >>> str(agent_iri("cmkg-extractor", "0.1.0"))
    'https://w3id.org/cmkg/id/agent/cmkg-extractor/0.1.0'
    """
    return ID[f"agent/{extractor}/{version}"]


# ---------------------------------------------------------------------------- controlled codes


@cache
def known_country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of ``country-codes.csv``, plus ``EU``.

    >>> {"JP", "CD", "NA", "EU"} <= known_country_codes()
    True
    """
    path = resources.files("cmkg.graph.data").joinpath("reference/country-codes.csv")
    with path.open(encoding="utf-8", newline="") as f:
        codes = {row["ISO3166-1-Alpha-2"].strip() for row in csv.DictReader(f)}
    codes.discard("")
    return frozenset(codes | {"EU"})


@cache
def known_mineral_ids() -> frozenset[str]:
    """The mineral ids of ``minerals.csv``.

    >>> {"rare-earths", "lithium", "critical-minerals"} <= known_mineral_ids()
    True
    """
    path = resources.files("cmkg.graph.data").joinpath("contracts/minerals.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return frozenset(row["id"].strip() for row in csv.DictReader(f) if row["id"].strip())


# ---------------------------------------------------------------------------- literals


def decimal_literal(value: float | int | Decimal) -> Literal:
    """An ``xsd:decimal`` literal in a canonical lexical form (no exponent, one ``.``).

    Floats go through their shortest ``repr``, so ``0.9`` stays ``0.9``.

    >>> decimal_literal(0.9).n3()
    '"0.9"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> str(decimal_literal(2e8)), str(decimal_literal(1e16)), str(decimal_literal(Decimal("0.50")))
    ('200000000.0', '10000000000000000.0', '0.5')
    """
    d = value if isinstance(value, Decimal) else Decimal(repr(value))
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0")
        if text.endswith("."):
            text += "0"
    else:
        text += ".0"
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return Literal(text, datatype=XSD.decimal)


def date_literal(text: str) -> Literal:
    """A date literal typed by its precision, from the leading ISO 8601 date of ``text``.

    ``YYYY-MM-DD`` gives ``xsd:date``, ``YYYY-MM`` ``xsd:gYearMonth``, ``YYYY`` ``xsd:gYear``;
    whatever follows the date (a note such as ``(event date)``) is ignored. Raise
    :class:`ValueError` if ``text`` does not start with a valid date.

    >>> date_literal("2025-04-04 (event date; publication date not captured)").n3()
    '"2025-04-04"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> str(date_literal("2025-03").datatype), str(date_literal("2025").datatype)
    ('http://www.w3.org/2001/XMLSchema#gYearMonth', 'http://www.w3.org/2001/XMLSchema#gYear')
    >>> date_literal("2025-13")
    Traceback (most recent call last):
    ...
    ValueError: not an ISO 8601 date: '2025-13'
    """
    m = _ISO_DATE.match(text)
    if m is None:
        raise ValueError(f"not an ISO 8601 date: {text!r}")
    year, month, day = m.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"not an ISO 8601 date: {text!r}") from None
    if day is not None:
        return Literal(f"{year}-{month}-{day}", datatype=XSD.date)
    if month is not None:
        return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    return Literal(year, datatype=XSD.gYear)


# ---------------------------------------------------------------------------- evidence


def locate_evidence(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` occurs in ``text``: ``(start, end)`` character offsets, or ``None``.

    An exact match first (the first occurrence); failing that, a match that ignores
    differences in whitespace (runs of spaces, line breaks, a space present on one side
    only). Offsets are never guessed: a quote that is not in the text gives ``None``.

    >>> locate_evidence("Title\\n\\nChina refines 90%.", "China refines 90%.")
    (7, 25)
    >>> locate_evidence("China  refines\\n90%.", "China refines 90%.")
    (0, 19)
    >>> locate_evidence("China refines 90%.", "Japan") is None
    True
    """
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    tokens = quote.split()
    if not tokens:
        return None
    m = re.search(r"\s*".join(re.escape(t) for t in tokens), text)
    return None if m is None else (m.start(), m.end())


def _same_but_whitespace(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


# ---------------------------------------------------------------------------- validation


def _segment(value: str, what: str) -> str:
    if not isinstance(value, str) or _SEGMENT.fullmatch(value) is None:
        raise InputError(
            f"{what} {value!r} cannot go into an IRI: use letters, digits and . _ ~ + -"
        )
    return value


class _Checker:
    """Validates codes against the controlled lists, naming the article and the fact."""

    __slots__ = ("article_id", "countries", "minerals")

    def __init__(self, article_id: str) -> None:
        self.article_id = article_id
        self.countries = known_country_codes()
        self.minerals = known_mineral_ids()

    def fail(self, where: str, message: str) -> InvalidFacts:
        return InvalidFacts(f"article {self.article_id!r}, {where}: {message}")

    def country(self, code: str, where: str) -> URIRef:
        if code not in self.countries:
            raise self.fail(where, f"unknown country code {code!r} (ISO 3166-1 alpha-2 or EU)")
        return country_iri(code)

    def mineral(self, mineral_id: str, where: str) -> URIRef:
        if mineral_id not in self.minerals:
            raise self.fail(where, f"unknown mineral id {mineral_id!r} (see minerals.csv)")
        return mineral_iri(mineral_id)

    def stage(self, stage: str, where: str) -> URIRef:
        if stage not in STAGES:
            raise self.fail(where, f"unknown stage {stage!r} (one of {sorted(STAGES)})")
        return stage_iri(stage)

    def date(self, text: str, where: str) -> Literal:
        try:
            return date_literal(text)
        except ValueError as e:
            raise self.fail(where, str(e)) from None

    def choice(self, value: str, allowed: frozenset[str], where: str) -> str:
        if value not in allowed:
            raise self.fail(where, f"unknown value {value!r} (one of {sorted(allowed)})")
        return value


# ---------------------------------------------------------------------------- the mapping


def facts_to_rdf(
    doc: ArticleFacts,
    *,
    extractor: str = DEFAULT_EXTRACTOR,
    extractor_version: str,
    generated_at: datetime | None = None,
    reference: ReferenceIndex | None = None,
) -> Graph:
    """The content of an article's named graph: the article, its facts, evidence and provenance.

    Parameters
    ----------
    doc
        The article's facts; ``doc.article.text`` (the normalised text), when given, is stored
        and used to locate each fact's evidence.
    extractor, extractor_version
        The software that produced the facts (the provenance agent).
    generated_at
        When the extraction ended (``prov:endedAtTime``); left out when ``None`` so that the
        same input always gives the same graph.
    reference
        Reference statistics to check share claims against; without it share claims are
        ``unchecked``.

    Returns
    -------
    rdflib.Graph
        Identified by ``article_graph_iri(doc.article.id)``, with the project's prefixes bound.

    Raises
    ------
    InvalidFacts
        A code, id, date or value that is not in the controlled lists, naming the fact.
    InputError
        An article id, extractor name or version that cannot go into an IRI.

    Examples
    --------
    >>> from cmkg.graph.facts import ArticleFacts
    >>> doc = ArticleFacts.from_json({
    ...     "article": {"id": "a2", "language": "en"},
    ...     "mentions": {"countries": ["CN"], "minerals": ["graphite"]},
    ...     "facts": [{"type": "share", "country": "CN", "mineral": "graphite",
    ...                "stage": "processing", "value": 0.9, "comparator": ">"}]})
    >>> g = facts_to_rdf(doc, extractor_version="0.1.0")
    >>> g.value(fact_iri("a2", 0), CMKG.value).n3()
    '"0.9"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> str(g.value(fact_iri("a2", 0), CMKG.consistency))
    'https://w3id.org/cmkg/id/consistency/unchecked'
    """
    a = doc.article
    article_id = _segment(a.id, "article id")
    _segment(extractor, "extractor")
    _segment(extractor_version, "extractor_version")
    check = _Checker(article_id)

    g = Graph(identifier=article_graph_iri(article_id), bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    triples: list[tuple[Node, Node, Node]] = []
    add = triples.append

    article = article_iri(article_id)
    activity = activity_iri(article_id, extractor, extractor_version)
    agent = agent_iri(extractor, extractor_version)
    text = a.text

    # -- the article
    m = _LANGUAGE.match(a.language.strip()) if isinstance(a.language, str) else None
    if m is None:
        raise check.fail("article.language", f"not a language code: {a.language!r}")
    language = m.group(0)
    add((article, RDF.type, SDO.NewsArticle))
    add((article, DCTERMS.identifier, Literal(article_id)))
    add((article, SDO.inLanguage, Literal(language)))
    if a.title:
        add((article, SDO.headline, Literal(a.title, lang=language)))
    if a.published:
        add((article, SDO.datePublished, check.date(a.published, "article.published")))
    if a.source:
        source = a.source.strip()
        if _HTTP.fullmatch(source):
            add((article, SDO.url, URIRef(quote(source, safe=_IRI_SAFE))))
        else:
            add((article, DCTERMS.source, Literal(source)))
    if text is not None:
        add((article, SDO.text, Literal(text, lang=language)))
        add((article, CMKG.textSha256, Literal(hashlib.sha256(text.encode()).hexdigest())))
    for i, code in enumerate(doc.mentions.countries):
        add((article, SDO.mentions, check.country(code, f"mentions.countries[{i}]")))
    for i, mineral in enumerate(doc.mentions.minerals):
        add((article, SDO.mentions, check.mineral(mineral, f"mentions.minerals[{i}]")))

    # -- provenance
    add((activity, RDF.type, CMKG.ExtractionActivity))
    add((activity, RDF.type, PROV.Activity))
    add((activity, PROV.used, article))
    add((activity, PROV.wasAssociatedWith, agent))
    if generated_at is not None:
        add((activity, PROV.endedAtTime, Literal(generated_at, datatype=XSD.dateTime)))
    add((agent, RDF.type, CMKG.Extractor))
    add((agent, RDF.type, PROV.SoftwareAgent))
    add((agent, RDFS.label, Literal(f"{extractor} {extractor_version}")))
    add((agent, CMKG.extractorVersion, Literal(extractor_version)))

    # -- the facts
    for n, fact in enumerate(doc.facts):
        where = f"facts[{n}]"
        node = fact_iri(article_id, n)
        cls = _FACT_CLASS.get(getattr(fact, "type", ""))
        if cls is None:
            raise check.fail(where, f"not a fact: {type(fact).__name__}")
        add((node, RDF.type, cls))
        add((node, CMKG.fromArticle, article))
        add((node, CMKG.factIndex, Literal(n)))
        add((node, PROV.wasDerivedFrom, article))
        add((node, PROV.wasGeneratedBy, activity))
        triples.extend(_fact_triples(node, fact, check, where, reference))
        triples.extend(_evidence_triples(node, fact, article, article_id, n, text, check, where))

    g.store.addN((s, p, o, g) for s, p, o in triples)  # every node is made above: no checks
    return g


def article_dataset(
    doc: ArticleFacts,
    *,
    extractor: str = DEFAULT_EXTRACTOR,
    extractor_version: str,
    generated_at: datetime | None = None,
    reference: ReferenceIndex | None = None,
) -> Dataset:
    """A :class:`rdflib.Dataset` holding the article's graph as its one named graph.

    >>> from cmkg.graph.facts import ArticleFacts, Article
    >>> ds = article_dataset(ArticleFacts(Article(id="a3", language="en")),
    ...                      extractor_version="0.1.0")
    >>> [str(c.identifier) for c in ds.graphs() if len(c)]
    ['https://w3id.org/cmkg/graph/article/a3']
    """
    g = facts_to_rdf(
        doc,
        extractor=extractor,
        extractor_version=extractor_version,
        generated_at=generated_at,
        reference=reference,
    )
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    named = ds.graph(g.identifier)
    for t in g:
        named.add(t)
    return ds


def _fact_triples(
    node: URIRef,
    fact: Fact,
    check: _Checker,
    where: str,
    reference: ReferenceIndex | None,
) -> Iterable[tuple[Node, Node, Node]]:
    if isinstance(fact, AgreementFact):
        if len(fact.parties) < 2:
            raise check.fail(f"{where}.parties", "an agreement needs two or more parties")
        for i, code in enumerate(fact.parties):
            yield node, CMKG.party, check.country(code, f"{where}.parties[{i}]")
        yield from _minerals(node, fact.minerals, check, where)
        if fact.date:
            yield node, DCTERMS.date, check.date(fact.date, f"{where}.date")
        if fact.kind is not None:
            kind = check.choice(fact.kind, AGREEMENT_KINDS, f"{where}.kind")
            yield node, CMKG.agreementKind, agreement_kind_iri(kind)
    elif isinstance(fact, ExportControlFact):
        yield node, CMKG.imposedBy, check.country(fact.country, f"{where}.country")
        yield from _minerals(node, fact.minerals, check, where)
        if fact.measure is not None:
            measure = check.choice(fact.measure, EXPORT_MEASURES, f"{where}.measure")
            yield node, CMKG.exportMeasure, measure_kind_iri(measure)
        if fact.date:
            yield node, CMKG.startDate, check.date(fact.date, f"{where}.date")
        status = "lifted" if fact.measure == "lifting" else "in-force"
        yield node, CMKG.controlStatus, Literal(status)
    elif isinstance(fact, InvestmentFact):
        investor = fact.investor.strip() if isinstance(fact.investor, str) else ""
        if not investor:
            raise check.fail(f"{where}.investor", "an investment needs an investor")
        if _COUNTRY_CODE.fullmatch(investor):
            yield node, CMKG.investor, check.country(investor, f"{where}.investor")
        else:
            org = organization_iri(investor)
            yield node, CMKG.investor, org
            yield org, RDF.type, CMKG.Organization
            yield org, SDO.name, Literal(investor)
        yield node, CMKG.investorName, Literal(investor)
        yield node, CMKG.host, check.country(fact.host, f"{where}.host")
        yield from _minerals(node, fact.minerals, check, where)
        if fact.stage is not None:
            yield node, CMKG.stage, check.stage(fact.stage, f"{where}.stage")
        if fact.amount_usd is not None:
            if not 0 <= fact.amount_usd < float("inf"):
                raise check.fail(f"{where}.amount_usd", f"not an amount: {fact.amount_usd!r}")
            yield node, CMKG.amountUsd, decimal_literal(fact.amount_usd)
        if fact.date:
            yield node, DCTERMS.date, check.date(fact.date, f"{where}.date")
    elif isinstance(fact, ShareFact):
        if not 0 <= fact.value <= 1:
            raise check.fail(f"{where}.value", f"a share is a fraction in [0, 1], not {fact.value}")
        comparator = check.choice(fact.comparator, COMPARATORS, f"{where}.comparator")
        yield node, RDF.type, CMKG.SupplyObservation
        yield node, RDF.type, QB.Observation
        yield node, CMKG.country, check.country(fact.country, f"{where}.country")
        yield node, CMKG.mineral, check.mineral(fact.mineral, f"{where}.mineral")
        yield node, CMKG.stage, check.stage(fact.stage, f"{where}.stage")
        yield node, CMKG.measure, measure_iri("share")
        yield node, CMKG.value, decimal_literal(fact.value)
        yield node, QUDT.unit, UNIT.FRACTION
        yield node, CMKG.comparator, Literal(comparator)
        if fact.year is not None:
            if isinstance(fact.year, bool) or not isinstance(fact.year, int):
                raise check.fail(f"{where}.year", f"not a year: {fact.year!r}")
            yield node, CMKG.year, Literal(fact.year)
        verdict = None if reference is None else reference.check(fact)
        if verdict is None or verdict.reference is None:
            yield node, CMKG.consistency, consistency_iri("unchecked")
        else:
            yield node, CMKG.consistency, consistency_iri(verdict.consistency)
            yield node, CMKG.checkedAgainst, URIRef(verdict.reference.observation)
            yield node, CMKG.referenceValue, decimal_literal(verdict.reference.value)
            yield node, CMKG.tolerance, decimal_literal(verdict.tolerance)
    else:  # pragma: no cover - _FACT_CLASS already refused anything else
        raise check.fail(where, f"not a fact: {type(fact).__name__}")


def _minerals(
    node: URIRef, minerals: Iterable[str], check: _Checker, where: str
) -> Iterable[tuple[Node, Node, Node]]:
    for i, mineral in enumerate(minerals):
        yield node, CMKG.concernsMineral, check.mineral(mineral, f"{where}.minerals[{i}]")


def _evidence_triples(
    node: URIRef,
    fact: Fact,
    article: URIRef,
    article_id: str,
    n: int,
    text: str | None,
    check: _Checker,
    where: str,
) -> Iterable[tuple[Node, Node, Node]]:
    quote_text = fact.evidence or None
    span: tuple[int, int] | None = None
    start, end = fact.evidence_start, fact.evidence_end
    if start is not None or end is not None:
        if (
            not isinstance(start, int)
            or not isinstance(end, int)
            or not 0 <= start <= end
            or (text is not None and end > len(text))
        ):
            raise check.fail(
                f"{where}.evidence_start/evidence_end",
                f"offsets {start!r}..{end!r} do not fall in the article's text",
            )
        span = (start, end)
        if text is not None:
            sliced = text[start:end]
            if quote_text is not None and not _same_but_whitespace(sliced, quote_text):
                raise check.fail(
                    f"{where}.evidence_start/evidence_end",
                    f"offsets {start}..{end} point at {sliced[:40]!r}, not at the evidence",
                )
            quote_text = sliced
    elif quote_text is not None and text is not None:
        span = locate_evidence(text, quote_text)
        if span is not None:
            quote_text = text[span[0] : span[1]]
    if quote_text is None:
        return

    annotation = evidence_iri(article_id, n)
    target = ID[f"evidence/{article_id}/{n}/target"]
    quote_selector = ID[f"evidence/{article_id}/{n}/quote-selector"]
    yield node, CMKG.evidence, annotation
    yield annotation, RDF.type, OA.Annotation
    yield annotation, OA.hasBody, node
    yield annotation, OA.motivatedBy, OA.describing
    yield annotation, OA.hasTarget, target
    yield target, RDF.type, OA.SpecificResource
    yield target, OA.hasSource, article
    yield target, OA.hasSelector, quote_selector
    yield quote_selector, RDF.type, OA.TextQuoteSelector
    yield quote_selector, OA.exact, Literal(quote_text)
    if span is not None:
        if text is not None:
            prefix = text[max(0, span[0] - CONTEXT_CHARS) : span[0]]
            suffix = text[span[1] : span[1] + CONTEXT_CHARS]
            if prefix:
                yield quote_selector, OA.prefix, Literal(prefix)
            if suffix:
                yield quote_selector, OA.suffix, Literal(suffix)
        position_selector = ID[f"evidence/{article_id}/{n}/position-selector"]
        yield target, OA.hasSelector, position_selector
        yield position_selector, RDF.type, OA.TextPositionSelector
        yield position_selector, OA.start, Literal(span[0], datatype=XSD.nonNegativeInteger)
        yield position_selector, OA.end, Literal(span[1], datatype=XSD.nonNegativeInteger)
