"""Facts -> RDF: hand-written expected graphs, SHACL conformance, evidence offsets, bad input."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from cmkg.graph.consistency import ReferenceIndex
from cmkg.graph.errors import InputError, InvalidFacts
from cmkg.graph.facts import (
    AgreementFact,
    Article,
    ArticleFacts,
    ExportControlFact,
    InvestmentFact,
    Mentions,
    ShareFact,
)
from cmkg.graph.mapping import (
    activity_iri,
    article_dataset,
    date_literal,
    evidence_iri,
    fact_iri,
    facts_to_rdf,
    locate_evidence,
)
from cmkg.graph.namespaces import (
    CMKG,
    DCTERMS,
    GRAPH,
    ID,
    OA,
    PREFIXES,
    PROV,
    RDF,
    SDO,
    XSD,
    article_graph_iri,
    article_iri,
    consistency_iri,
    country_iri,
    organization_iri,
)
from cmkg.graph.vocabularies import ontology_graphs

DATA = Path(__file__).parent / "data"
GOLD = DATA / "dev-set" / "gold"
ARTICLES = DATA / "dev-set" / "articles"
EXPECTED = DATA / "mapping"
GOLD_IDS = sorted(p.stem for p in GOLD.glob("*.json"))
VERSION = "0.1.0"


def load(article_id: str) -> ArticleFacts:
    """A gold file as typed facts, with the article's text."""
    data = json.loads((GOLD / f"{article_id}.json").read_text(encoding="utf-8"))
    text = (ARTICLES / f"{article_id}.txt").read_text(encoding="utf-8")
    return ArticleFacts.from_json(data, text=text)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    text = resources.files("cmkg.ontology").joinpath("shapes-articles.ttl").read_text("utf-8")
    return Graph().parse(data=text, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """ontology/cmkg.ttl, for the class hierarchy while validating."""
    return ontology_graphs()[GRAPH["ontology"]]


@pytest.fixture(scope="module")
def reference() -> ReferenceIndex:
    return ReferenceIndex.from_graph(Graph().parse(EXPECTED / "reference-shares.ttl"))


def show_diff(got: Graph, expected: Graph) -> str:
    """The triples only one side has, as sorted N-Triples lines."""
    _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))

    def lines(g: Graph) -> str:
        return "\n".join(sorted(" ".join(term.n3() for term in t) + " ." for t in g))

    return (
        f"\nonly in the mapping's graph:\n{lines(only_got)}"
        f"\nonly in the expected graph:\n{lines(only_expected)}"
    )


# ------------------------------------------------------------------ hand-written graphs


@pytest.mark.parametrize(
    ("article_id", "extractor", "version", "generated_at", "checked"),
    [
        # the seed: an agreement, an export control and a share claim checked against
        # reference-shares.ttl, with the extraction's end time
        (
            "us-japan-framework-id",
            "cmkg-extractor",
            VERSION,
            datetime(2025, 11, 1, 9, 30, tzinfo=UTC),
            True,
        ),
        # an agreement and four investments, another extractor, no end time
        ("004", "cmkg-rules", "1.0.0", None, False),
        # an export control on eight rare earths
        ("008", "cmkg-extractor", VERSION, None, False),
    ],
)
def test_mapping_gives_the_hand_written_graph(
    article_id: str,
    extractor: str,
    version: str,
    generated_at: datetime | None,
    checked: bool,
    reference: ReferenceIndex,
) -> None:
    got = facts_to_rdf(
        load(article_id),
        extractor=extractor,
        extractor_version=version,
        generated_at=generated_at,
        reference=reference if checked else None,
    )
    expected = Graph().parse(EXPECTED / f"{article_id}.ttl")
    assert str(got.identifier) == str(article_graph_iri(article_id))
    assert isomorphic(got, expected), show_diff(got, expected)


# ------------------------------------------------------------------ shapes and evidence


@pytest.mark.parametrize("article_id", GOLD_IDS)
def test_every_gold_file_maps_to_a_conforming_graph(
    article_id: str, shapes: Graph, ontology: Graph, reference: ReferenceIndex
) -> None:
    g = facts_to_rdf(load(article_id), extractor_version=VERSION, reference=reference)
    conforms, _, report = validate(g, shacl_graph=shapes, ont_graph=ontology)
    assert conforms, report


@pytest.mark.parametrize("article_id", GOLD_IDS)
def test_every_fact_has_evidence_whose_offsets_slice_the_quote(article_id: str) -> None:
    doc = load(article_id)
    text = doc.article.text
    assert text is not None
    g = facts_to_rdf(doc, extractor_version=VERSION)
    facts = set(g.subjects(CMKG.fromArticle, article_iri(article_id)))
    assert len(facts) == len(doc.facts)
    for n, fact in enumerate(doc.facts):
        node = fact_iri(article_id, n)
        assert node in facts
        annotation = g.value(node, CMKG.evidence)
        assert annotation == evidence_iri(article_id, n)
        assert g.value(annotation, OA.hasBody) == node
        target = g.value(annotation, OA.hasTarget)
        assert g.value(target, OA.hasSource) == article_iri(article_id)
        selectors = {g.value(s, RDF.type): s for s in g.objects(target, OA.hasSelector)}
        exact = str(g.value(selectors[OA.TextQuoteSelector], OA.exact))
        assert exact == fact.evidence  # the gold quotes are all verbatim in the text
        position = selectors[OA.TextPositionSelector]
        start, end = int(g.value(position, OA.start)), int(g.value(position, OA.end))
        assert text[start:end] == exact
        quote = selectors[OA.TextQuoteSelector]
        assert text[:start].endswith(str(g.value(quote, OA.prefix)))
        assert text[end:].startswith(str(g.value(quote, OA.suffix)))


def _graph_with(base: Graph, remove=(), add=()) -> Graph:
    g = Graph()
    for t in base:
        g.add(t)
    for t in remove:
        g.remove(t)
    for t in add:
        g.add(t)
    return g


SEED = "us-japan-framework-id"
_SHARE = fact_iri(SEED, 2)
_AGREEMENT = fact_iri(SEED, 0)
_CONTROL = fact_iri(SEED, 1)
_TARGET = ID[f"evidence/{SEED}/0/target"]
_POSITION = ID[f"evidence/{SEED}/0/position-selector"]


@pytest.mark.parametrize(
    ("case", "remove", "add", "message"),
    [
        (
            "share above 1",
            [(_SHARE, CMKG.value, None)],
            [(_SHARE, CMKG.value, Literal("1.5", datatype=XSD.decimal))],
            "fraction in [0, 1]",
        ),
        (
            "share as a double",
            [(_SHARE, CMKG.value, None)],
            [(_SHARE, CMKG.value, Literal(0.9))],
            "fraction in [0, 1]",
        ),
        ("two countries", [], [(_SHARE, CMKG.country, country_iri("JP"))], "cmkg:country"),
        ("no stage", [(_SHARE, CMKG.stage, None)], [], "cmkg:stage"),
        (
            "verdict without reference",
            [(_SHARE, CMKG.consistency, None)],
            [(_SHARE, CMKG.consistency, consistency_iri("consistent"))],
            "checkedAgainst",
        ),
        ("one party", [(_AGREEMENT, CMKG.party, country_iri("JP"))], [], "two or more parties"),
        (
            "untyped agreement date",
            [],
            [(_AGREEMENT, DCTERMS.date, Literal("28 October"))],
            "DateOfAnyPrecision",
        ),
        (
            "no quote selector",
            [(_TARGET, OA.hasSelector, ID[f"evidence/{SEED}/0/quote-selector"])],
            [],
            "one TextQuoteSelector",
        ),
        (
            "start after end",
            [(_POSITION, OA.start, None)],
            [(_POSITION, OA.start, Literal(5000, datatype=XSD.nonNegativeInteger))],
            "oa:end",
        ),
        (
            "unknown status",
            [(_CONTROL, CMKG.controlStatus, None)],
            [(_CONTROL, CMKG.controlStatus, Literal("rumoured"))],
            "rumoured",
        ),
        ("fact without activity", [(_CONTROL, PROV.wasGeneratedBy, None)], [], "wasGeneratedBy"),
        ("activity without agent", [(None, PROV.wasAssociatedWith, None)], [], "Associated"),
        (
            "organisation without a name",
            [],
            [(organization_iri("Acme"), RDF.type, CMKG.Organization)],
            "schema:name",
        ),
        (
            "commitment outside an agreement",
            [],
            [(ID["commitment/x"], RDF.type, CMKG.Commitment)],
            "exactly one agreement",
        ),
    ],
)
def test_shapes_refuse_broken_graphs(
    case: str, remove: list, add: list, message: str, shapes: Graph
) -> None:
    base = facts_to_rdf(load(SEED), extractor_version=VERSION)
    assert validate(base, shacl_graph=shapes)[0]
    conforms, _, report = validate(_graph_with(base, remove, add), shacl_graph=shapes)
    assert not conforms, case
    assert message in report, report


# ------------------------------------------------------------------ determinism


@pytest.mark.parametrize("article_id", ["us-japan-framework-id", "004", "025", "041"])
def test_same_input_gives_the_same_graph(article_id: str, reference: ReferenceIndex) -> None:
    first = facts_to_rdf(load(article_id), extractor_version=VERSION, reference=reference)
    second = facts_to_rdf(load(article_id), extractor_version=VERSION, reference=reference)
    assert isomorphic(first, second)
    nt = sorted(first.serialize(format="nt").splitlines())
    assert nt == sorted(second.serialize(format="nt").splitlines())
    assert not any(isinstance(term, BNode) for t in first for term in t)


def test_end_time_only_when_given() -> None:
    doc = load("001")
    untimed = facts_to_rdf(doc, extractor_version=VERSION)
    assert not list(untimed.objects(None, PROV.endedAtTime))
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    timed = facts_to_rdf(doc, extractor_version=VERSION, generated_at=when)
    activity = activity_iri("001", "cmkg-extractor", VERSION)
    assert timed.value(activity, PROV.endedAtTime) == Literal(
        "2026-01-02T03:04:05+00:00", datatype=XSD.dateTime
    )
    assert len(timed) == len(untimed) + 1


def test_prefixes_are_the_projects() -> None:
    g = facts_to_rdf(load("025"), extractor_version=VERSION)
    bound = {prefix: str(ns) for prefix, ns in g.namespaces()}
    assert all(bound.get(p) == ns for p, ns in PREFIXES.items())
    turtle = g.serialize(format="turtle")
    assert "ns1:" not in turtle
    assert "@prefix cmkg: <https://w3id.org/cmkg/ontology#>" in turtle


def test_article_dataset_holds_the_named_graph() -> None:
    doc = load("014")
    ds = article_dataset(doc, extractor_version=VERSION)
    named = ds.graph(article_graph_iri("014"))
    assert len(named) > 0
    assert isomorphic(named, facts_to_rdf(doc, extractor_version=VERSION))
    assert len(ds.default_graph) == 0


# ------------------------------------------------------------------ parts of the mapping


def test_organisation_investors_are_organisations() -> None:
    g = facts_to_rdf(load("025"), extractor_version=VERSION)
    jogmec, iwatani = organization_iri("JOGMEC"), organization_iri("Iwatani Corporation")
    assert str(iwatani) == "https://w3id.org/cmkg/id/org/iwatani-corporation"
    assert g.value(fact_iri("025", 0), CMKG.investor) == country_iri("FR")
    assert g.value(fact_iri("025", 1), CMKG.investor) == jogmec
    assert g.value(fact_iri("025", 2), CMKG.investor) == iwatani
    assert (iwatani, RDF.type, CMKG.Organization) in g
    assert g.value(iwatani, SDO.name) == Literal("Iwatani Corporation")
    assert g.value(fact_iri("025", 2), CMKG.investorName) == Literal("Iwatani Corporation")
    assert g.value(fact_iri("025", 0), CMKG.amountUsd) is None  # euros are not dollars


@pytest.mark.parametrize(
    ("text", "lexical", "datatype"),
    [
        ("2025-04-30", "2025-04-30", XSD.date),
        ("2025-04-04 (event date; publication date not captured)", "2025-04-04", XSD.date),
        ("2025-03", "2025-03", XSD.gYearMonth),
        ("2025", "2025", XSD.gYear),
        ("2024-02-29", "2024-02-29", XSD.date),
    ],
)
def test_dates_are_typed_by_precision(text: str, lexical: str, datatype: URIRef) -> None:
    assert date_literal(text) == Literal(lexical, datatype=datatype)
    doc = ArticleFacts(Article(id="d1", language="en", published=text))
    g = facts_to_rdf(doc, extractor_version=VERSION)
    assert g.value(article_iri("d1"), SDO.datePublished) == Literal(lexical, datatype=datatype)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13", "last Tuesday", "20250430"])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an ISO 8601 date"):
        date_literal(text)
    doc = ArticleFacts(
        Article(id="d2", language="en"),
        facts=(ExportControlFact(country="CN", minerals=("gallium",), date=text),),
    )
    with pytest.raises(InvalidFacts, match=r"'d2', facts\[0\]\.date"):
        facts_to_rdf(doc, extractor_version=VERSION)


@pytest.mark.parametrize(
    ("source", "predicate", "obj"),
    [
        ("https://example.org/a b", SDO.url, URIRef("https://example.org/a%20b")),
        ("http://example.org/x?q=1", SDO.url, URIRef("http://example.org/x?q=1")),
        ("IDN Times", DCTERMS.source, Literal("IDN Times")),
        ("ftp://example.org/x", DCTERMS.source, Literal("ftp://example.org/x")),
    ],
)
def test_source_is_a_url_or_a_name(source: str, predicate: URIRef, obj: object) -> None:
    doc = ArticleFacts(Article(id="s1", language="en", source=source))
    g = facts_to_rdf(doc, extractor_version=VERSION)
    assert g.value(article_iri("s1"), predicate) == obj


def test_export_control_lifting_is_lifted() -> None:
    doc = ArticleFacts(
        Article(id="l1", language="en"),
        facts=(ExportControlFact(country="CN", minerals=("gallium",), measure="lifting"),),
    )
    g = facts_to_rdf(doc, extractor_version=VERSION)
    assert g.value(fact_iri("l1", 0), CMKG.controlStatus) == Literal("lifted")


# ------------------------------------------------------------------ locating evidence

TEXT = "Title\n\nChina   refines more\nthan 90% of rare earths. Japan signed."


def _selectors(g: Graph, article_id: str, n: int = 0) -> dict[URIRef, URIRef]:
    target = g.value(evidence_iri(article_id, n), OA.hasTarget)
    return {g.value(s, RDF.type): s for s in g.objects(target, OA.hasSelector)}


def _share_doc(evidence: str | None, text: str | None, **offsets: int) -> ArticleFacts:
    fact = ShareFact(
        country="CN",
        mineral="rare-earths",
        stage="processing",
        value=0.9,
        comparator=">",
        evidence=evidence,
        **offsets,
    )
    return ArticleFacts(Article(id="e1", language="en", text=text), facts=(fact,))


def test_evidence_found_despite_whitespace() -> None:
    quote = "China refines more than 90% of rare earths."
    g = facts_to_rdf(_share_doc(quote, TEXT), extractor_version=VERSION)
    sel = _selectors(g, "e1")
    start = int(g.value(sel[OA.TextPositionSelector], OA.start))
    end = int(g.value(sel[OA.TextPositionSelector], OA.end))
    assert (start, end) == (7, 52)
    # the quote selector quotes the text as it is, so that it agrees with the offsets
    assert str(g.value(sel[OA.TextQuoteSelector], OA.exact)) == TEXT[start:end]
    assert str(g.value(sel[OA.TextQuoteSelector], OA.prefix)) == "Title\n\n"


def test_evidence_not_in_the_text_gets_no_offsets() -> None:
    quote = "China refines 95% of rare earths."
    g = facts_to_rdf(_share_doc(quote, TEXT), extractor_version=VERSION)
    sel = _selectors(g, "e1")
    assert set(sel) == {OA.TextQuoteSelector}
    assert str(g.value(sel[OA.TextQuoteSelector], OA.exact)) == quote
    assert g.value(sel[OA.TextQuoteSelector], OA.prefix) is None


def test_given_offsets_are_used_and_checked() -> None:
    start = TEXT.index("Japan")
    g = facts_to_rdf(
        _share_doc("Japan signed.", TEXT, evidence_start=start, evidence_end=start + 13),
        extractor_version=VERSION,
    )
    sel = _selectors(g, "e1")
    assert int(g.value(sel[OA.TextPositionSelector], OA.start)) == start
    assert int(g.value(sel[OA.TextPositionSelector], OA.end)) == start + 13
    quote = sel[OA.TextQuoteSelector]
    assert str(g.value(quote, OA.prefix)) == "more\nthan 90% of rare earths. "
    assert g.value(quote, OA.suffix) is None  # the quote ends the text
    with pytest.raises(InvalidFacts, match=r"facts\[0\]\.evidence_start/evidence_end.*'Title"):
        facts_to_rdf(
            _share_doc("Japan signed.", TEXT, evidence_start=0, evidence_end=13),
            extractor_version=VERSION,
        )
    with pytest.raises(InvalidFacts, match="do not fall in the article's text"):
        facts_to_rdf(
            _share_doc("Japan signed.", TEXT, evidence_start=60, evidence_end=600),
            extractor_version=VERSION,
        )


def test_offsets_without_text_are_kept_without_context() -> None:
    g = facts_to_rdf(
        _share_doc("Japan signed.", None, evidence_start=53, evidence_end=66),
        extractor_version=VERSION,
    )
    sel = _selectors(g, "e1")
    assert int(g.value(sel[OA.TextPositionSelector], OA.end)) == 66
    assert g.value(sel[OA.TextQuoteSelector], OA.prefix) is None
    assert g.value(article_iri("e1"), CMKG.textSha256) is None


def test_a_fact_without_evidence_has_no_annotation() -> None:
    g = facts_to_rdf(_share_doc(None, TEXT), extractor_version=VERSION)
    assert g.value(fact_iri("e1", 0), CMKG.evidence) is None
    assert not list(g.subjects(RDF.type, OA.Annotation))


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("abc abc", "abc", (0, 3)),  # the first occurrence
        ("a\n\nb c", "a b c", (0, 6)),
        ("ab c", "a b c", (0, 4)),  # a space on one side only
        ("a-b", "a b", None),  # only whitespace is ignored
        ("日本と米国", "日本と米国", (0, 5)),
        ("text", "", None),
        ("text", "   ", None),
    ],
)
def test_locate_evidence(text: str, quote: str, expected: tuple[int, int] | None) -> None:
    assert locate_evidence(text, quote) == expected


# ------------------------------------------------------------------ bad input


def _doc(*facts: object, countries=("US",), minerals=("lithium",), **article) -> ArticleFacts:
    a = {"id": "bad1", "language": "en"} | article
    return ArticleFacts(Article(**a), Mentions(tuple(countries), tuple(minerals)), tuple(facts))


@pytest.mark.parametrize(
    ("doc", "match"),
    [
        (_doc(countries=("US", "XX")), r"mentions\.countries\[1\]: unknown country code 'XX'"),
        (_doc(countries=("us",)), r"unknown country code 'us'"),
        (_doc(minerals=("unobtainium",)), r"mentions\.minerals\[0\]: unknown mineral id"),
        (
            _doc(AgreementFact(parties=("US", "UK"), minerals=("lithium",))),
            r"facts\[0\]\.parties\[1\]: unknown country code 'UK'",
        ),
        (
            _doc(AgreementFact(parties=("US",), minerals=())),
            r"facts\[0\]\.parties: an agreement needs two or more parties",
        ),
        (
            _doc(AgreementFact(parties=("US", "JP"), minerals=("Lithium",))),
            r"facts\[0\]\.minerals\[0\]: unknown mineral id 'Lithium'",
        ),
        (
            _doc(AgreementFact(parties=("US", "JP"), kind="handshake")),
            r"facts\[0\]\.kind: unknown value 'handshake'",
        ),
        (
            _doc(ExportControlFact(country="ZZ", minerals=("gallium",))),
            r"facts\[0\]\.country: unknown country code 'ZZ'",
        ),
        (
            _doc(ExportControlFact(country="CN", minerals=("gallium",), measure="embargo")),
            r"facts\[0\]\.measure: unknown value 'embargo'",
        ),
        (
            _doc(ShareFact(country="CN", mineral="neodymium-magnets", stage="mining", value=0.9)),
            r"facts\[0\]\.mineral: unknown mineral id 'neodymium-magnets'",
        ),
        (
            _doc(ShareFact(country="CN", mineral="lithium", stage="refining", value=0.6)),
            r"facts\[0\]\.stage: unknown stage 'refining'",
        ),
        (
            _doc(ShareFact(country="CN", mineral="lithium", stage="mining", value=60.0)),
            r"facts\[0\]\.value: a share is a fraction in \[0, 1\]",
        ),
        (
            _doc(
                ShareFact(
                    country="CN", mineral="lithium", stage="mining", value=0.6, comparator="about"
                )
            ),
            r"facts\[0\]\.comparator: unknown value 'about'",
        ),
        (
            _doc(InvestmentFact(investor="QQ", host="AU", minerals=("gallium",))),
            r"facts\[0\]\.investor: unknown country code 'QQ'",
        ),
        (
            _doc(InvestmentFact(investor="Alcoa", host="Australia", minerals=("gallium",))),
            r"facts\[0\]\.host: unknown country code 'Australia'",
        ),
        (
            _doc(InvestmentFact(investor="Alcoa", host="AU", amount_usd=-5.0)),
            r"facts\[0\]\.amount_usd: not an amount",
        ),
        (_doc(language="Bahasa Indonesia!"), r"article\.language: not a language code"),
    ],
)
def test_bad_facts_raise_invalid_facts_naming_the_value(doc: ArticleFacts, match: str) -> None:
    with pytest.raises(InvalidFacts, match=match) as info:
        facts_to_rdf(doc, extractor_version=VERSION)
    assert "'bad1'" in str(info.value)


def test_gold_with_an_unknown_code_is_refused() -> None:
    data = json.loads((GOLD / "033.json").read_text(encoding="utf-8"))
    data["facts"][0]["country"] = "DRC"
    doc = ArticleFacts.from_json(data)
    with pytest.raises(InvalidFacts, match=r"'033', facts\[0\]\.country: .*'DRC'"):
        facts_to_rdf(doc, extractor_version=VERSION)


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "a b"), ("id", "../x"), ("id", ""), ("extractor", "my extractor"), ("version", "")],
)
def test_values_that_cannot_go_into_iris_are_refused(field: str, value: str) -> None:
    doc = _doc()
    kwargs = {"extractor_version": VERSION}
    if field == "id":
        doc = replace(doc, article=replace(doc.article, id=value))
    elif field == "extractor":
        kwargs["extractor"] = value
    else:
        kwargs["extractor_version"] = value
    with pytest.raises(InputError, match="cannot go into an IRI"):
        facts_to_rdf(doc, **kwargs)


@pytest.fixture(scope="module")
def vocabulary_subjects() -> set:
    return {s for g in ontology_graphs().values() for s in g.subjects()}


@pytest.mark.parametrize("article_id", GOLD_IDS)
def test_the_codes_the_mapping_points_at_are_in_the_vocabularies(
    article_id: str, vocabulary_subjects: set, reference: ReferenceIndex
) -> None:
    g = facts_to_rdf(load(article_id), extractor_version=VERSION, reference=reference)
    schemes = (
        "country/",
        "mineral/",
        "stage/",
        "measure/",
        "agreement-kind/",
        "export-measure/",
        "consistency/",
    )
    pointed = {
        o
        for o in g.objects()
        if isinstance(o, URIRef) and str(o).startswith(tuple(str(ID) + s for s in schemes))
    }
    assert pointed  # every gold article mentions countries
    assert pointed <= vocabulary_subjects, pointed - vocabulary_subjects
    used_terms = {p for p in g.predicates() if str(p).startswith(str(CMKG))}
    used_terms |= {o for o in g.objects(None, RDF.type) if str(o).startswith(str(CMKG))}
    assert used_terms <= vocabulary_subjects, used_terms - vocabulary_subjects
