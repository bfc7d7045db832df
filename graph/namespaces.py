"""The ontology's terms as Python names, and the IRI scheme of every instance.

``CMKG`` is a closed namespace: a term the ontology does not declare is an ``AttributeError``
at import time of the code that uses it, not a silent typo in the graph. ``tests`` check that
every term listed here is declared in ``ontology/cmkg.ttl`` and the reverse.

The IRI scheme (one base, readable, stable)::

    https://w3id.org/cmkg/ontology#Term          ontology terms         (prefix cmkg:)
    https://w3id.org/cmkg/id/country/JP          countries by ISO 3166-1 alpha-2 (EU for the EU)
    https://w3id.org/cmkg/id/mineral/rare-earths minerals by the ids of minerals.csv
    https://w3id.org/cmkg/id/stage/processing    supply stages (and reserves)
    https://w3id.org/cmkg/id/article/<sha256-16> articles by a hash of their normalised text
    https://w3id.org/cmkg/graph/article/<id>     the named graph of one article
    https://w3id.org/cmkg/graph/reference/<rel>  the named graph of one reference release

Examples
--------
>>> str(country_iri("jp"))
'https://w3id.org/cmkg/id/country/JP'
>>> str(mineral_iri("rare-earths"))
'https://w3id.org/cmkg/id/mineral/rare-earths'
>>> str(CMKG.Agreement)
'https://w3id.org/cmkg/ontology#Agreement'
"""

from __future__ import annotations

import re
from typing import Final

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    XSD,
    ClosedNamespace,
)

__all__ = [
    "BASE",
    "CGI",
    "CMKG",
    "DCTERMS",
    "GEONAMES",
    "GRAPH",
    "ID",
    "OA",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "QUDT",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SKOS",
    "UNIT",
    "WD",
    "XSD",
    "agreement_kind_iri",
    "article_graph_iri",
    "article_iri",
    "consistency_iri",
    "country_iri",
    "measure_iri",
    "measure_kind_iri",
    "mineral_iri",
    "organization_iri",
    "reference_graph_iri",
    "slug",
    "stage_iri",
]

BASE: Final = "https://w3id.org/cmkg/"

#: Ontology terms. Closed: only the terms below exist.
CMKG: Final = ClosedNamespace(
    uri=URIRef(BASE + "ontology#"),
    terms=[
        # ontology header and schemes
        "",
        "MineralScheme",
        "StageScheme",
        "MeasureScheme",
        "AgreementKindScheme",
        "ExportMeasureScheme",
        "ConsistencyScheme",
        # classes
        "Jurisdiction",  # a government actor: a country or the EU
        "Country",
        "EconomicUnion",
        "Mineral",  # a mineral commodity (skos:Concept in MineralScheme)
        "MineralGroup",  # rare earths, platinum-group metals, critical minerals
        "SupplyStage",  # mining, processing, manufacturing, recycling, reserves
        "Measure",  # production, capacity, reserves, share
        "SupplyObservation",  # qb:Observation of a country x mineral x stage x year
        "ShareClaim",  # a share stated in an article (a SupplyObservation too)
        "AgreementKind",
        "Agreement",
        "Commitment",
        "ExportMeasure",
        "ExportControl",
        "Investment",
        "Organization",  # a company, agency or fund named as an investor
        "CriticalMineralList",
        "ReferenceDataset",  # one release of reference statistics (a qb:DataSet)
        "ExtractionActivity",  # one run of the extractor over one article (prov:Activity)
        "Extractor",  # the extractor software (prov:SoftwareAgent)
        "Consistency",  # consistent / contradicted / unchecked
        # observation dimensions, measures and attributes
        "country",
        "mineral",
        "stage",
        "year",
        "measure",
        "value",
        "comparator",
        "basis",  # "REO", "contained metal", "gross weight"... as printed by the source
        "status",  # reported / estimate / withheld / not-available
        "note",
        "worldTotal",
        "valueRaw",
        # share claims against statistics
        "consistency",
        "checkedAgainst",  # the reference observation a claim was compared with
        "referenceValue",
        "tolerance",
        # countries
        "isoAlpha2",
        "isoAlpha3",
        "isoNumeric",
        "region",
        "memberOf",
        # minerals
        "mineralId",
        "symbol",
        "onList",  # mineral -> CriticalMineralList
        # agreements, export controls, investments
        "party",
        "concernsMineral",
        "agreementKind",
        "commitment",
        "deadline",
        "imposedBy",
        "exportMeasure",
        "startDate",
        "endDate",
        "controlStatus",
        "investor",
        "investorName",
        "host",
        "amountUsd",
        # evidence and provenance
        "evidence",  # fact -> oa:Annotation
        "fromArticle",  # fact -> the article that states it
        "factIndex",
        "extractorVersion",
        "textSha256",
    ],
)

ID: Final = Namespace(BASE + "id/")
GRAPH: Final = Namespace(BASE + "graph/")
OA: Final = Namespace("http://www.w3.org/ns/oa#")
QUDT: Final = Namespace("http://qudt.org/schema/qudt/")
UNIT: Final = Namespace("http://qudt.org/vocab/unit/")
WD: Final = Namespace("http://www.wikidata.org/entity/")
GEONAMES: Final = Namespace("https://sws.geonames.org/")
CGI: Final = Namespace("http://resource.geosciml.org/classifier/cgi/commodity-code/")

#: Prefixes bound once, everywhere (no surprise ``ns1:``).
PREFIXES: Final[dict[str, str]] = {
    "cmkg": str(CMKG),
    "id": str(ID),
    "cmkgg": str(GRAPH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "qb": str(QB),
    "schema": str(SDO),
    "oa": str(OA),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "sh": str(SH),
    "wd": str(WD),
    "gn": str(GEONAMES),
    "cgi": str(CGI),
}

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Return a readable, IRI-safe slug of ``text``.

    >>> slug("Iwatani Corporation")
    'iwatani-corporation'
    """
    return _SLUG.sub("-", text.lower()).strip("-") or "x"


def country_iri(code: str) -> URIRef:
    """The IRI of a country by ISO 3166-1 alpha-2 code (``EU`` for the European Union)."""
    return ID[f"country/{code.upper()}"]


def mineral_iri(mineral_id: str) -> URIRef:
    """The IRI of a mineral by its id in ``minerals.csv``."""
    return ID[f"mineral/{mineral_id}"]


def stage_iri(stage: str) -> URIRef:
    """The IRI of a supply stage: mining, processing, manufacturing, recycling or reserves."""
    return ID[f"stage/{stage}"]


def measure_iri(measure: str) -> URIRef:
    """The IRI of a measure: production, capacity, reserves or share."""
    return ID[f"measure/{measure}"]


def agreement_kind_iri(kind: str) -> URIRef:
    """The IRI of an agreement kind (framework, mou, treaty, trade_deal...)."""
    return ID[f"agreement-kind/{kind.replace('_', '-')}"]


def measure_kind_iri(measure: str) -> URIRef:
    """The IRI of an export-control measure (ban, licensing, quota, tightening...)."""
    return ID[f"export-measure/{measure}"]


def consistency_iri(value: str) -> URIRef:
    """The IRI of a consistency verdict: consistent, contradicted or unchecked."""
    return ID[f"consistency/{value}"]


def organization_iri(name: str) -> URIRef:
    """The IRI of an organisation named as an investor."""
    return ID[f"org/{slug(name)}"]


def article_iri(article_id: str) -> URIRef:
    """The IRI of an article by its id (a hash of its normalised text)."""
    return ID[f"article/{article_id}"]


def article_graph_iri(article_id: str) -> URIRef:
    """The named graph that holds everything read out of one article."""
    return GRAPH[f"article/{article_id}"]


def reference_graph_iri(release: str) -> URIRef:
    """The named graph of one reference dataset release (``usgs-mcs-2026``...)."""
    return GRAPH[f"reference/{release}"]
