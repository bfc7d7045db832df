"""The ontology declares exactly the terms of ``CMKG``, reuses the standard vocabularies, and the
ontology, vocabulary and reference graphs conform to ``shapes-reference.ttl``."""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from cmkg.graph.namespaces import (
    CMKG,
    DCTERMS,
    GRAPH,
    ID,
    OA,
    OWL,
    PROV,
    QB,
    QUDT,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    UNIT,
    country_iri,
    measure_iri,
    mineral_iri,
    reference_graph_iri,
    stage_iri,
)
from cmkg.graph.reference import dataset_iri, reference_graphs
from cmkg.graph.vocabularies import ontology_graphs

#: Classes of facts read out of articles: their shapes are in shapes-articles.ttl.
ARTICLE_CLASSES = {
    CMKG.Agreement,
    CMKG.Commitment,
    CMKG.ExportControl,
    CMKG.Investment,
    CMKG.Organization,
    CMKG.ShareClaim,
    CMKG.ExtractionActivity,
    CMKG.Extractor,
}
DECLARING_TYPES = {
    OWL.Ontology,
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    SKOS.ConceptScheme,
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    text = files("cmkg.ontology").joinpath("cmkg.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    text = files("cmkg.ontology").joinpath("shapes-reference.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def _terms() -> list[str]:
    return sorted(dir(CMKG))


@pytest.mark.parametrize("term", _terms())
def test_every_cmkg_term_is_declared(ontology: Graph, term: str) -> None:
    iri = CMKG[term] if term else URIRef(str(CMKG))
    types = set(ontology.objects(iri, RDF.type))
    assert types & DECLARING_TYPES, f"{iri} is not declared in cmkg.ttl"
    if term:
        assert (iri, RDFS.isDefinedBy, URIRef(str(CMKG))) in ontology
        assert ontology.value(iri, RDFS.label) is not None, f"{iri} has no rdfs:label"


def test_every_cmkg_iri_in_the_ontology_is_a_term(ontology: Graph) -> None:
    base = str(CMKG)
    used = {
        t for triple in ontology for t in triple if isinstance(t, URIRef) and t.startswith(base)
    }
    unknown = sorted(str(t) for t in used if t not in CMKG and str(t) != base)
    assert not unknown, f"cmkg.ttl uses terms that namespaces.CMKG lacks: {unknown}"
    declared = {s for s, o in ontology.subject_objects(RDF.type) if o in DECLARING_TYPES}
    assert used <= declared | {URIRef(base)}


def test_classes_have_comments_and_properties_have_domain_and_range(ontology: Graph) -> None:
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef):
            assert ontology.value(cls, RDFS.comment) is not None, cls
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no domain"
            assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no range"


@pytest.mark.parametrize(
    ("cls", "parent"),
    [
        (CMKG.SupplyObservation, QB.Observation),
        (CMKG.ShareClaim, CMKG.SupplyObservation),
        (CMKG.ReferenceDataset, QB.DataSet),
        (CMKG.ExtractionActivity, PROV.Activity),
        (CMKG.Extractor, PROV.SoftwareAgent),
        (CMKG.Country, SDO.Country),
        (CMKG.Country, CMKG.Jurisdiction),
        (CMKG.EconomicUnion, CMKG.Jurisdiction),
        (CMKG.Organization, SDO.Organization),
        (CMKG.Mineral, SKOS.Concept),
        (CMKG.MineralGroup, CMKG.Mineral),
        (CMKG.SupplyStage, SKOS.Concept),
        (CMKG.Measure, SKOS.Concept),
        (CMKG.AgreementKind, SKOS.Concept),
        (CMKG.ExportMeasure, SKOS.Concept),
        (CMKG.Consistency, SKOS.Concept),
        (CMKG.CriticalMineralList, SKOS.Collection),
    ],
)
def test_classes_reuse_standard_vocabularies(ontology: Graph, cls: URIRef, parent: URIRef) -> None:
    assert (cls, RDFS.subClassOf, parent) in ontology


@pytest.mark.parametrize(
    ("prop", "range_"),
    [
        (CMKG.value, XSD.decimal),
        (CMKG.year, XSD.integer),
        (CMKG.country, CMKG.Jurisdiction),
        (CMKG.mineral, CMKG.Mineral),
        (CMKG.stage, CMKG.SupplyStage),
        (CMKG.measure, CMKG.Measure),
        (CMKG.commitment, CMKG.Commitment),
        (CMKG.evidence, OA.Annotation),
        (CMKG.fromArticle, SDO.NewsArticle),
        (CMKG.onList, CMKG.CriticalMineralList),
        (CMKG.memberOf, CMKG.EconomicUnion),
        (CMKG.amountUsd, XSD.decimal),
    ],
)
def test_property_ranges(ontology: Graph, prop: URIRef, range_: URIRef) -> None:
    assert (prop, RDFS.range, range_) in ontology


def test_the_data_structure_definition(ontology: Graph) -> None:
    dsd = ID["dsd/supply"]
    assert (dsd, RDF.type, QB.DataStructureDefinition) in ontology
    components = list(ontology.objects(dsd, QB.component))
    dims = {ontology.value(c, QB.dimension) for c in components} - {None}
    measures = {ontology.value(c, QB.measure) for c in components} - {None}
    attributes = {ontology.value(c, QB.attribute) for c in components} - {None}
    assert dims == {CMKG.country, CMKG.mineral, CMKG.stage, CMKG.year, CMKG.measure}
    assert measures == {CMKG.value}
    assert attributes == {QUDT.unit, CMKG.comparator, CMKG.status, CMKG.basis}
    for dim in dims:
        assert (dim, RDF.type, QB.DimensionProperty) in ontology


def test_shapes_cover_every_class_but_the_article_ones(ontology: Graph, shapes: Graph) -> None:
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    targeted = set(shapes.objects(None, SH.targetClass))
    assert targeted == classes - ARTICLE_CLASSES
    for shape in shapes.subjects(SH.targetClass, None):
        assert (shape, RDF.type, SH.NodeShape) in shapes


@pytest.fixture(scope="module")
def everything() -> Graph:
    data = Graph()
    for graph in [*ontology_graphs().values(), *reference_graphs().values()]:
        data += graph
    return data


def test_ontology_vocabularies_and_reference_conform_to_the_shapes(
    everything: Graph, shapes: Graph
) -> None:
    ont = ontology_graphs()[GRAPH["ontology"]]
    conforms, _, text = validate(
        everything, shacl_graph=shapes, ont_graph=ont, inference="none", advanced=True
    )
    assert conforms, text


def _broken_observations() -> tuple[Graph, dict[str, URIRef]]:
    """Small data: the vocabularies, one dataset, and observations each breaking one rule."""
    graphs = ontology_graphs()
    data = Graph()
    for name in ("vocabulary/minerals", "vocabulary/concepts", "vocabulary/countries"):
        data += graphs[GRAPH[name]]
    usgs = reference_graphs()[reference_graph_iri("usgs-mcs-2026")]
    dataset = dataset_iri("usgs-mcs-2026")
    data += usgs.triples((dataset, None, None))
    cases: dict[str, URIRef] = {}

    def observation(name: str, value: Decimal | None, measure: str = "production") -> URIRef:
        node = ID[f"obs/test/{name}"]
        cases[name] = node
        for p, o in [
            (RDF.type, CMKG.SupplyObservation),
            (RDF.type, QB.Observation),
            (QB.dataSet, dataset),
            (CMKG.country, country_iri("CN")),
            (CMKG.mineral, mineral_iri("cobalt")),
            (CMKG.stage, stage_iri("mining")),
            (CMKG.measure, measure_iri(measure)),
            (CMKG.year, Literal(2024)),
            (CMKG.comparator, Literal("=")),
            (CMKG.status, Literal("reported")),
            (CMKG.valueRaw, Literal("x")),
            (DCTERMS.source, URIRef("https://example.org/source.pdf")),
            (QUDT.unit, UNIT.FRACTION if measure == "share" else UNIT.TONNE),
        ]:
            data.add((node, p, o))
        if value is not None:
            data.add((node, CMKG.value, Literal(value, datatype=XSD.decimal)))
        return node

    observation("fine", Decimal(1))
    data.remove((observation("no-unit", Decimal(5)), QUDT.unit, None))
    observation("share-above-one", Decimal("1.5"), "share")
    withheld = observation("withheld-with-value", Decimal(0))
    data.set((withheld, CMKG.status, Literal("withheld")))
    two = observation("two-countries", Decimal(1))
    data.add((two, CMKG.country, country_iri("JP")))
    untyped = observation("string-value", None)
    data.add((untyped, CMKG.value, Literal("12")))
    unknown = observation("unknown-mineral", Decimal(1))
    data.set((unknown, CMKG.mineral, mineral_iri("unobtainium")))
    bad_comparator = observation("bad-comparator", Decimal(1))
    data.set((bad_comparator, CMKG.comparator, Literal("about")))
    data.add((ID["obs/test/no-country"], CMKG.value, Literal(Decimal(1))))
    data.add((ID["obs/test/no-country"], RDF.type, CMKG.SupplyObservation))
    cases["no-country"] = ID["obs/test/no-country"]
    data.add((BNode(), RDF.type, CMKG.Mineral))  # a mineral without IRI or label
    return data, cases


def test_the_shapes_report_broken_observations(shapes: Graph) -> None:
    data, cases = _broken_observations()
    ont = ontology_graphs()[GRAPH["ontology"]]
    conforms, report, _ = validate(
        data, shacl_graph=shapes, ont_graph=ont, inference="none", advanced=True
    )
    assert not conforms
    failing = set(report.objects(None, SH.focusNode))
    for name, node in cases.items():
        if name == "fine":
            assert node not in failing, "a valid observation was reported"
        else:
            assert node in failing, f"the shapes missed the case {name!r}"
    assert any(isinstance(node, BNode) for node in failing), "a blank-node mineral passed"
