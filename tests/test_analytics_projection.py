"""The projection of a store onto the supply network, on a small hand-written TriG fixture and
on the real reference graphs."""

from __future__ import annotations

import csv
import re
import string
import threading
from importlib import resources

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from cmkg.graph.analytics import (
    ProjectionCache,
    build_supply_network,
    concentration,
    country_profile,
    dependency_paths,
    stage_supply,
)
from cmkg.graph.analytics.projection import QUERIES
from cmkg.graph.store import MemoryStore

# The fixture follows the RDF conventions of the reference and article graphs. Figures:
#   rare earths mining 2024 (USGS, world total 380,000 t): CN 270,000, US 45,500, AU 29,000,
#     MM 27,000, ZZ 8,500
#   rare earths mining 2025 (no world total): CN 270,000, US 51,000, AU 29,000 (sum 350,000),
#     MM withheld
#   rare earths reserves 2025: CN 44,000,000 of a world total of 85,000,000
#   gallium processing 2024 (world total 848,000 kg): CN 839,000, RU 6,000, JP 3,000, US 0
#   rare earths processing 2019 (IEA, shares): CN 0.87, MY 0.12
#   article "idn" (Indonesian, 2025-10-28): US-JP framework on critical minerals and rare
#     earths; claim CN rare earths processing > 0.9 (no year: the article's, 2025), consistent;
#     CN tightens rare-earth export controls (in force)
#   article "gal" (English, 2024-12-05): CN gallium ban (in force); CN antimony ban (lifted);
#     claim CN gallium processing 0.98 (2024, consistent); claim CN gallium processing 0.5
#     (2025, contradicted); claim CN dysprosium processing > 0.99 (2025, unchecked);
#     EU-AU agreement on rare earths; JP invests USD 200 million in AU rare-earth mining
FIXTURE_TRIG = """
@prefix cmkg: <https://w3id.org/cmkg/ontology#> .
@prefix id: <https://w3id.org/cmkg/id/> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/cmkg/graph/vocabulary/test> {
  id:country/JP rdfs:label "Japan"@en, "日本"@ja .
  id:country/US rdfs:label "United States"@en .
  id:country/CN rdfs:label "China"@en .
  id:country/MY rdfs:label "Malaysia"@en .
  id:country/AU rdfs:label "Australia"@en .
  id:country/MM rdfs:label "Burma"@en .
  id:country/RU rdfs:label "Russia"@en .
  id:country/DE rdfs:label "Germany"@en ; cmkg:memberOf id:country/EU .
  id:country/EU rdfs:label "European Union"@en .
  id:country/ZZ rdfs:label "Other countries"@en .
  id:mineral/critical-minerals skos:prefLabel "critical minerals"@en .
  id:mineral/rare-earths skos:prefLabel "rare earths"@en, "tanah jarang"@id ;
    skos:broader id:mineral/critical-minerals .
  id:mineral/dysprosium skos:prefLabel "dysprosium"@en ; skos:broader id:mineral/rare-earths .
  id:mineral/gallium skos:prefLabel "gallium"@en ; skos:broader id:mineral/critical-minerals .
  id:mineral/antimony skos:prefLabel "antimony"@en ; skos:broader id:mineral/critical-minerals .
}

<https://w3id.org/cmkg/graph/reference/usgs-mcs-2026> {
  id:dataset/usgs-mcs-2026 a qb:DataSet, cmkg:ReferenceDataset ;
    dct:title "USGS Mineral Commodity Summaries 2026"@en .
  id:obs/t/ree-cn-2024 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/CN ; cmkg:mineral id:mineral/rare-earths ; cmkg:stage id:stage/mining ;
    cmkg:measure id:measure/production ; cmkg:year 2024 ; cmkg:value 270000.0 ;
    qudt:unit unit:TONNE ; cmkg:comparator "=" ; cmkg:status "reported" ;
    cmkg:worldTotal 380000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ree-us-2024 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/US ; cmkg:mineral id:mineral/rare-earths ; cmkg:stage id:stage/mining ;
    cmkg:measure id:measure/production ; cmkg:year 2024 ; cmkg:value 45500.0 ;
    qudt:unit unit:TONNE ; cmkg:comparator "=" ; cmkg:status "reported" ;
    cmkg:worldTotal 380000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ree-au-2024 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/AU ; cmkg:mineral id:mineral/rare-earths ; cmkg:stage id:stage/mining ;
    cmkg:measure id:measure/production ; cmkg:year 2024 ; cmkg:value 29000.0 ;
    qudt:unit unit:TONNE ; cmkg:comparator "=" ; cmkg:status "reported" ;
    cmkg:worldTotal 380000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ree-mm-2024 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/MM ; cmkg:mineral id:mineral/rare-earths ; cmkg:stage id:stage/mining ;
    cmkg:measure id:measure/production ; cmkg:year 2024 ; cmkg:value 27000.0 ;
    qudt:unit unit:TONNE ; cmkg:comparator "=" ; cmkg:status "reported" ;
    cmkg:worldTotal 380000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ree-zz-2024 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/ZZ ; cmkg:mineral id:mineral/rare-earths ; cmkg:stage id:stage/mining ;
    cmkg:measure id:measure/production ; cmkg:year 2024 ; cmkg:value 8500.0 ;
    qudt:unit unit:TONNE ; cmkg:comparator "=" ; cmkg:status "reported" ;
    cmkg:worldTotal 380000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ree-cn-2025 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/CN ; cmkg:mineral id:mineral/rare-earths ; cmkg:stage id:stage/mining ;
    cmkg:measure id:measure/production ; cmkg:year 2025 ; cmkg:value 270000.0 ;
    qudt:unit unit:TONNE ; cmkg:comparator "=" ; cmkg:status "estimate" ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ree-us-2025 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/US ; cmkg:mineral id:mineral/rare-earths ; cmkg:stage id:stage/mining ;
    cmkg:measure id:measure/production ; cmkg:year 2025 ; cmkg:value 51000.0 ;
    qudt:unit unit:TONNE ; cmkg:comparator "=" ; cmkg:status "estimate" ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ree-au-2025 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/AU ; cmkg:mineral id:mineral/rare-earths ; cmkg:stage id:stage/mining ;
    cmkg:measure id:measure/production ; cmkg:year 2025 ; cmkg:value 29000.0 ;
    qudt:unit unit:TONNE ; cmkg:comparator "=" ; cmkg:status "estimate" ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ree-mm-2025 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/MM ; cmkg:mineral id:mineral/rare-earths ; cmkg:stage id:stage/mining ;
    cmkg:measure id:measure/production ; cmkg:year 2025 ;
    qudt:unit unit:TONNE ; cmkg:comparator "=" ; cmkg:status "withheld" ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ree-cn-reserves a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/CN ; cmkg:mineral id:mineral/rare-earths ;
    cmkg:stage id:stage/reserves ; cmkg:measure id:measure/reserves ; cmkg:year 2025 ;
    cmkg:value 44000000.0 ; qudt:unit unit:TONNE ; cmkg:comparator "=" ;
    cmkg:status "reported" ; cmkg:worldTotal 85000000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf> .
  id:obs/t/ga-cn-2024 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/CN ; cmkg:mineral id:mineral/gallium ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/production ; cmkg:year 2024 ;
    cmkg:value 839000.0 ; qudt:unit unit:KiloGM ; cmkg:comparator "=" ;
    cmkg:status "reported" ; cmkg:worldTotal 848000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-gallium.pdf> .
  id:obs/t/ga-ru-2024 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/RU ; cmkg:mineral id:mineral/gallium ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/production ; cmkg:year 2024 ;
    cmkg:value 6000.0 ; qudt:unit unit:KiloGM ; cmkg:comparator "=" ;
    cmkg:status "reported" ; cmkg:worldTotal 848000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-gallium.pdf> .
  id:obs/t/ga-jp-2024 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/JP ; cmkg:mineral id:mineral/gallium ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/production ; cmkg:year 2024 ;
    cmkg:value 3000.0 ; qudt:unit unit:KiloGM ; cmkg:comparator "=" ;
    cmkg:status "reported" ; cmkg:worldTotal 848000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-gallium.pdf> .
  id:obs/t/ga-us-2024 a cmkg:SupplyObservation ; qb:dataSet id:dataset/usgs-mcs-2026 ;
    cmkg:country id:country/US ; cmkg:mineral id:mineral/gallium ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/production ; cmkg:year 2024 ;
    cmkg:value 0.0 ; qudt:unit unit:KiloGM ; cmkg:comparator "=" ;
    cmkg:status "reported" ; cmkg:worldTotal 848000.0 ;
    dct:source <https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-gallium.pdf> .
}

<https://w3id.org/cmkg/graph/reference/iea-reported> {
  id:dataset/iea-reported a qb:DataSet, cmkg:ReferenceDataset ;
    dct:title "Mineral processing and mining shares as reported (mostly IEA)"@en .
  id:obs/t/ree-proc-cn-2019 a cmkg:SupplyObservation ; qb:dataSet id:dataset/iea-reported ;
    cmkg:country id:country/CN ; cmkg:mineral id:mineral/rare-earths ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/share ; cmkg:year 2019 ;
    cmkg:value 0.87 ; qudt:unit unit:FRACTION ; cmkg:comparator "=" ; cmkg:status "reported" ;
    dct:source <https://fortuneindia.com/amp/story/enterprise/vital-minerals> .
  id:obs/t/ree-proc-my-2019 a cmkg:SupplyObservation ; qb:dataSet id:dataset/iea-reported ;
    cmkg:country id:country/MY ; cmkg:mineral id:mineral/rare-earths ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/share ; cmkg:year 2019 ;
    cmkg:value 0.12 ; qudt:unit unit:FRACTION ; cmkg:comparator "=" ; cmkg:status "reported" ;
    dct:source <https://fortuneindia.com/amp/story/enterprise/vital-minerals> .
}

<https://w3id.org/cmkg/graph/article/idn> {
  id:article/idn a schema:NewsArticle ;
    schema:headline "AS-Jepang Tandatangani Kesepakatan Mineral Kritis dan Tanah Jarang"@id ;
    schema:url <https://www.idntimes.com/news/world/as-jepang-mineral-kritis> ;
    schema:datePublished "2025-10-28"^^xsd:date ; schema:inLanguage "id" .
  id:fact/idn/0 a cmkg:Agreement ; cmkg:party id:country/US, id:country/JP ;
    cmkg:concernsMineral id:mineral/critical-minerals, id:mineral/rare-earths ;
    dct:date "2025-10-28"^^xsd:date ; cmkg:agreementKind id:agreement-kind/framework ;
    cmkg:fromArticle id:article/idn ; cmkg:evidence id:evidence/idn/0 .
  id:evidence/idn/0 a oa:Annotation ; oa:hasBody id:fact/idn/0 ;
    oa:hasTarget id:evidence/idn/0/target .
  id:evidence/idn/0/target a oa:SpecificResource ; oa:hasSource id:article/idn ;
    oa:hasSelector id:evidence/idn/0/quote-selector .
  id:evidence/idn/0/quote-selector a oa:TextQuoteSelector ;
    oa:exact "$QUOTE_AGREEMENT" .
  id:fact/idn/1 a cmkg:ShareClaim, cmkg:SupplyObservation ;
    cmkg:country id:country/CN ; cmkg:mineral id:mineral/rare-earths ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/share ; cmkg:value 0.9 ;
    qudt:unit unit:FRACTION ; cmkg:comparator ">" ;
    cmkg:consistency id:consistency/consistent ; cmkg:referenceValue 0.87 ;
    cmkg:checkedAgainst id:obs/t/ree-proc-cn-2019 ;
    cmkg:fromArticle id:article/idn ; cmkg:evidence id:evidence/idn/1 .
  id:evidence/idn/1 a oa:Annotation ; oa:hasBody id:fact/idn/1 ;
    oa:hasTarget id:evidence/idn/1/target .
  id:evidence/idn/1/target a oa:SpecificResource ; oa:hasSource id:article/idn ;
    oa:hasSelector id:evidence/idn/1/quote-selector .
  id:evidence/idn/1/quote-selector a oa:TextQuoteSelector ;
    oa:exact "$QUOTE_IDN" .
  id:fact/idn/2 a cmkg:ExportControl ; cmkg:imposedBy id:country/CN ;
    cmkg:concernsMineral id:mineral/rare-earths ;
    cmkg:exportMeasure id:export-measure/tightening ; cmkg:controlStatus "in-force" ;
    cmkg:fromArticle id:article/idn ; cmkg:evidence id:evidence/idn/2 .
  id:evidence/idn/2 a oa:Annotation ; oa:hasBody id:fact/idn/2 ;
    oa:hasTarget id:evidence/idn/2/target .
  id:evidence/idn/2/target a oa:SpecificResource ; oa:hasSource id:article/idn ;
    oa:hasSelector id:evidence/idn/2/quote-selector .
  id:evidence/idn/2/quote-selector a oa:TextQuoteSelector ;
    oa:exact "langkah China yang memperketat kontrol ekspor tanah jarang" .
}

<https://w3id.org/cmkg/graph/article/gal> {
  id:article/gal a schema:NewsArticle ; schema:headline "China bans gallium exports"@en ;
    schema:url <https://example.org/news/gallium-ban> ;
    schema:datePublished "2024-12-05"^^xsd:date ; schema:inLanguage "en" .
  id:fact/gal/0 a cmkg:ExportControl ; cmkg:imposedBy id:country/CN ;
    cmkg:concernsMineral id:mineral/gallium ; cmkg:exportMeasure id:export-measure/ban ;
    cmkg:startDate "2024-12-03"^^xsd:date ; cmkg:controlStatus "in-force" ;
    cmkg:fromArticle id:article/gal .
  id:fact/gal/1 a cmkg:ExportControl ; cmkg:imposedBy id:country/CN ;
    cmkg:concernsMineral id:mineral/antimony ; cmkg:exportMeasure id:export-measure/lifting ;
    cmkg:controlStatus "lifted" ; cmkg:fromArticle id:article/gal .
  id:fact/gal/2 a cmkg:ShareClaim, cmkg:SupplyObservation ;
    cmkg:country id:country/CN ; cmkg:mineral id:mineral/gallium ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/share ; cmkg:value 0.98 ;
    cmkg:year 2024 ; qudt:unit unit:FRACTION ; cmkg:comparator "=" ;
    cmkg:consistency id:consistency/consistent ; cmkg:fromArticle id:article/gal .
  id:fact/gal/3 a cmkg:ShareClaim, cmkg:SupplyObservation ;
    cmkg:country id:country/CN ; cmkg:mineral id:mineral/gallium ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/share ; cmkg:value 0.5 ;
    cmkg:year 2025 ; qudt:unit unit:FRACTION ; cmkg:comparator "=" ;
    cmkg:consistency id:consistency/contradicted ; cmkg:fromArticle id:article/gal .
  id:fact/gal/4 a cmkg:ShareClaim, cmkg:SupplyObservation ;
    cmkg:country id:country/CN ; cmkg:mineral id:mineral/dysprosium ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/share ; cmkg:value 0.99 ;
    cmkg:year 2025 ; qudt:unit unit:FRACTION ; cmkg:comparator ">" ;
    cmkg:consistency id:consistency/unchecked ; cmkg:fromArticle id:article/gal .
  id:fact/gal/5 a cmkg:Agreement ; cmkg:party id:country/EU, id:country/AU ;
    cmkg:concernsMineral id:mineral/rare-earths ; dct:date "2024-11-01"^^xsd:date ;
    cmkg:agreementKind id:agreement-kind/mou ; cmkg:fromArticle id:article/gal .
  id:fact/gal/6 a cmkg:Investment ; cmkg:investor id:country/JP ; cmkg:host id:country/AU ;
    cmkg:investorName "JP" ; cmkg:concernsMineral id:mineral/rare-earths ;
    cmkg:stage id:stage/mining ; cmkg:amountUsd 200000000.0 ;
    cmkg:fromArticle id:article/gal .
}
"""

QUOTE_IDN = (
    "China saat ini menguasai lebih dari 90 persen kapasitas pengolahan mineral jenis ini di dunia."
)
QUOTE_AGREEMENT = (
    "Trump dan Takaichi secara resmi menandatangani dokumen kerangka kerja yang menjamin "
    "pasokan mineral kritis dan tanah jarang antara AS dan Jepang."
)
FIXTURE_TRIG = string.Template(FIXTURE_TRIG).substitute(
    QUOTE_IDN=QUOTE_IDN, QUOTE_AGREEMENT=QUOTE_AGREEMENT
)


_ID_NAME = re.compile(r"\bid:([\w/-]+)")


def _term(t: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal) -> Node:
    if isinstance(t, pyoxigraph.NamedNode):
        return URIRef(t.value)
    if isinstance(t, pyoxigraph.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def load_trig(store: MemoryStore, trig: str) -> MemoryStore:
    """Load every named graph of a TriG text into ``store``, one atomic replace per graph."""
    text = _ID_NAME.sub(r"<https://w3id.org/cmkg/id/\1>", trig)  # id:country/JP -> <...>
    graphs: dict[str, Graph] = {}
    for q in pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TRIG):
        name = q.graph_name.value
        graphs.setdefault(name, Graph(identifier=URIRef(name))).add(
            (_term(q.subject), _term(q.predicate), _term(q.object))
        )
    for name, g in graphs.items():
        store.replace_graph(name, g)
    return store


def fixture_store() -> MemoryStore:
    """A memory store holding :data:`FIXTURE_TRIG`."""
    return load_trig(MemoryStore(), FIXTURE_TRIG)


@pytest.fixture(scope="module")
def G():
    with fixture_store() as store:
        return build_supply_network(store)


def _edge(G, country, mineral, stage, key):
    return G.edges[f"country:{country}", f"supply:{mineral}:{stage}", key]


def test_shares_from_volumes_use_the_world_total_or_the_sum(G) -> None:
    # 2024 has a world total: 270,000 / 380,000
    e = _edge(G, "CN", "rare-earths", "mining", "https://w3id.org/cmkg/id/obs/t/ree-cn-2024")
    assert e["share"] == pytest.approx(270_000 / 380_000)
    assert e["share_derived"] and e["kind"] == "reference" and e["year"] == 2024
    assert e["volume"] == 270_000 and e["unit"] == "TONNE"
    assert e["source"] == "https://w3id.org/cmkg/id/dataset/usgs-mcs-2026"
    assert e["source_url"].endswith("mcs2026-rare-earths.pdf")
    # 2025 has none: 51,000 / (270,000 + 51,000 + 29,000), the withheld row adds nothing
    e = _edge(G, "US", "rare-earths", "mining", "https://w3id.org/cmkg/id/obs/t/ree-us-2025")
    assert e["share"] == pytest.approx(51_000 / 350_000)
    withheld = _edge(G, "MM", "rare-earths", "mining", "https://w3id.org/cmkg/id/obs/t/ree-mm-2025")
    assert withheld["share"] is None and withheld["status"] == "withheld"


def test_claims_carry_article_evidence_and_the_article_year(G) -> None:
    e = _edge(G, "CN", "rare-earths", "processing", "https://w3id.org/cmkg/id/fact/idn/1")
    assert (e["kind"], e["share"], e["comparator"]) == ("claim", 0.9, ">")
    assert (e["year"], e["year_inferred"]) == (2025, True)  # from schema:datePublished
    assert e["consistency"] == "consistent" and e["reference_value"] == pytest.approx(0.87)
    assert e["source"] == "https://w3id.org/cmkg/id/article/idn"
    [ev] = e["evidence"]
    assert ev["quote"] == QUOTE_IDN
    assert ev["url"] == "https://www.idntimes.com/news/world/as-jepang-mineral-kritis"


def test_reserves_are_an_attribute_not_a_stage(G) -> None:
    assert "supply:rare-earths:reserves" not in G
    [row] = G.nodes["country:CN"]["reserves"]["rare-earths"]
    assert row["volume"] == 44_000_000 and row["share"] == pytest.approx(44 / 85)


def test_agreements_controls_investments_and_labels(G) -> None:
    a = G.graph["agreements"]["https://w3id.org/cmkg/id/fact/idn/0"]
    assert a["parties"] == ("JP", "US") and a["kind"] == "framework"
    assert set(a["minerals"]) == {"critical-minerals", "rare-earths"}
    assert a["evidence"][0]["quote"].startswith("Trump dan Takaichi")
    assert G.has_edge("country:JP", "country:US", "https://w3id.org/cmkg/id/fact/idn/0")
    controls = G.nodes["country:CN"]["export_controls"]
    assert [c["measure"] for c in controls["gallium"]] == ["ban"]
    assert [c["status"] for c in controls["antimony"]] == ["lifted"]
    inv = G.graph["investments"]["https://w3id.org/cmkg/id/fact/gal/6"]
    assert (inv["investor"], inv["host"], inv["amount_usd"]) == ("JP", "AU", 200_000_000)
    assert G.nodes["country:JP"]["label"] == "Japan"  # the English label, not 日本
    assert G.graph["countries"]["DE"]["member_of"] == ("EU",)
    assert G.graph["minerals"]["dysprosium"]["broader"] == "rare-earths"
    assert G.nodes["supply:gallium:processing"]["iri"] == "https://w3id.org/cmkg/id/mineral/gallium"


def test_newer_claim_stands_for_the_hop_and_contradicted_claims_do_not(G) -> None:
    cn = stage_supply(G, "rare-earths", "processing").figures["CN"]
    assert (cn.kind, cn.share, cn.comparator) == ("claim", 0.9, ">")
    assert cn.superseded[0].share == pytest.approx(0.87)
    # gallium: the 2025 claim of 0.5 is contradicted, the 2024 claim ties with the statistics
    ga = stage_supply(G, "gallium", "processing").figures["CN"]
    assert ga.kind == "reference" and ga.share == pytest.approx(839 / 848)


def test_hhi_on_the_fixture_by_hand(G) -> None:
    c = concentration(G, "rare-earths", "mining", year=2024)
    # named countries only (ZZ left out): 10,000 x sum of squared shares of 380,000
    shares = [270_000, 45_500, 29_000, 27_000]
    assert c.hhi == pytest.approx(sum((100 * v / 380_000) ** 2 for v in shares))
    assert c.other_share == pytest.approx(8_500 / 380_000)
    assert c.suppliers == 4


def test_acceptance_path_on_the_fixture(G) -> None:
    d = dependency_paths(G, "JP", "rare-earths")
    assert d.stages == ("processing", "mining")
    top = d.paths[0]
    # CN processing (> 0.9, the claim) x CN mining 2025 (270,000 / 350,000)
    assert top.suppliers == ("CN", "CN")
    assert top.share == pytest.approx(0.9 * 270_000 / 350_000)
    hop = top.hops[0]
    assert hop.share >= 0.9 and hop.figure.comparator == ">"
    assert any(e.get("quote") == QUOTE_IDN for e in hop.figure.evidence)
    assert any(c.mineral == "dysprosium" for c in hop.claims)  # a member's claim, as evidence
    assert [x["measure"] for x in hop.export_controls] == ["tightening"]
    assert [a["id"] for a in d.agreements] == ["https://w3id.org/cmkg/id/fact/idn/0"]
    assert d.agreements[0]["partners"] == ("US",)
    assert any("withheld" in n and "Burma" in n for n in d.notes)


def test_dysprosium_falls_back_to_its_group_and_says_so(G) -> None:
    d = dependency_paths(G, "DE", "dysprosium", max_hops=1)
    # dysprosium has its own processing claim (CN > 0.99): no fallback there
    assert d.paths[0].hops[0].figure.mineral == "dysprosium"
    mining = stage_supply(G, "dysprosium", "mining")
    assert mining.basis == "group" and mining.from_minerals == ("rare-earths",)
    # DE takes part in the EU-AU agreement through the EU
    assert [a["partners"] for a in dependency_paths(G, "DE", "rare-earths").agreements] == [("AU",)]


def test_cache_rebuilds_only_when_the_store_changes() -> None:
    store = fixture_store()
    cache = ProjectionCache()
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(store))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # the first build is waited for, by every caller, and done once
    assert cache.builds == 1 and len(results) == 8 and all(g is results[0] for g in results)
    assert cache.get(store) is results[0] and not cache.rebuilding
    store.drop_graph("https://w3id.org/cmkg/graph/article/gal")
    cache.get(store)
    assert cache.wait(timeout=60)
    G2 = cache.get(store)
    assert cache.builds == 2 and G2 is not results[0]
    assert G2.graph["version"] == store.version
    assert "https://w3id.org/cmkg/id/fact/gal/6" not in G2.graph["investments"]
    store.close()


class GatedBuilder:
    """Builds the real network, but a rebuild (any build after the first) waits for ``release``
    and says it started: a rebuild is held in flight for as long as a test needs."""

    def __init__(self, fail: bool = False) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0
        self.fail = fail

    def __call__(self, store: MemoryStore):
        self.calls += 1
        if self.calls > 1:
            self.started.set()
            assert self.release.wait(60), "the test never released the rebuild"
            if self.fail:
                raise RuntimeError("the store went away")
        return build_supply_network(store)


def test_stale_network_is_served_while_the_rebuild_runs() -> None:
    store = fixture_store()
    builder = GatedBuilder()
    cache = ProjectionCache(builder)
    first = cache.get(store)  # the first build: synchronous
    assert builder.calls == 1 and first.graph["version"] == store.version
    store.drop_graph("https://w3id.org/cmkg/graph/article/gal")
    # the rebuild is held: every call returns the previous network at once
    assert cache.get(store) is first
    assert builder.started.wait(60) and cache.rebuilding
    assert cache.get(store) is first and cache.get(store) is first
    assert builder.calls == 2 and cache.builds == 1  # one rebuild, however many calls
    assert not cache.wait(timeout=0)
    builder.release.set()
    assert cache.wait(timeout=60) and not cache.rebuilding
    fresh = cache.get(store)
    assert fresh is not first and cache.builds == 2 and builder.calls == 2
    assert fresh.graph["version"] == store.version
    assert "https://w3id.org/cmkg/id/fact/gal/6" in first.graph["investments"]  # unchanged
    assert "https://w3id.org/cmkg/id/fact/gal/6" not in fresh.graph["investments"]
    store.close()


def test_a_failed_rebuild_keeps_the_previous_network(caplog) -> None:
    store = fixture_store()
    builder = GatedBuilder(fail=True)
    cache = ProjectionCache(builder)
    first = cache.get(store)
    store.drop_graph("https://w3id.org/cmkg/graph/article/gal")
    builder.release.set()
    assert cache.get(store) is first
    assert cache.wait(timeout=60)
    assert isinstance(cache.last_error, RuntimeError) and cache.builds == 1
    assert "rebuilding the supply network failed" in caplog.text
    builder.fail = False  # the next call tries again
    assert cache.get(store) is first
    assert cache.wait(timeout=60)
    assert cache.get(store) is not first and cache.last_error is None and cache.builds == 2
    store.close()


def test_without_background_every_caller_waits_for_the_rebuild() -> None:
    store = fixture_store()
    cache = ProjectionCache(background=False)
    first = cache.get(store)
    store.drop_graph("https://w3id.org/cmkg/graph/article/gal")
    assert cache.get(store) is not first and cache.builds == 2 and not cache.rebuilding
    store.close()


# -- the real reference graphs ---------------------------------------------------------------


def _usgs_rows() -> list[dict[str, str]]:
    text = (
        resources.files("cmkg.graph.data")
        .joinpath("reference/usgs_mcs2026_world_production_reserves.csv")
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(text.splitlines()))


@pytest.fixture(scope="module")
def reference_network():
    from cmkg.graph.reference import reference_graphs
    from cmkg.graph.vocabularies import ontology_graphs

    with MemoryStore() as store:
        for iri, g in {**ontology_graphs(), **reference_graphs()}.items():
            store.replace_graph(str(iri), g)
        return build_supply_network(store)


_WORLD = "World total (rounded)"
_OTHERS = ("Other", "Other countries")


def _usgs_market(commodity: str, stage: str, year: str) -> tuple[dict[str, float], float]:
    """The country values of one USGS market (``Other countries`` included) and the
    denominator of their shares: the rounded world total, or the values' sum when it is
    larger."""
    rows = [
        r
        for r in _usgs_rows()
        if r["commodity"] == commodity and r["stage"] == stage and r["year"] == year
    ]
    [world] = [float(r["value"]) for r in rows if r["country"] == _WORLD]
    values = {
        r["country"]: float(r["value"]) for r in rows if r["country"] != _WORLD and r["value"]
    }
    return values, max(world, sum(values.values()))


def test_rare_earth_mining_hhi_2024_matches_the_usgs_csv(reference_network) -> None:
    values, denominator = _usgs_market("Rare earths", "mine_production", "2024")
    # the countries add up to 384,000 t, more than the rounded world total of 380,000 t
    assert denominator == sum(values.values()) > 380_000
    named = [v for c, v in values.items() if c not in _OTHERS]
    expected = sum((100 * v / denominator) ** 2 for v in named)
    c = concentration(reference_network, "rare-earths", "mining", year=2024)
    assert c.hhi == pytest.approx(expected)
    assert c.top[0].country == "CN" and c.top[0].share == pytest.approx(270_000 / denominator)
    assert c.top[0].renormalised and c.top[0].world_total == 380_000
    assert "more than its world total of 380,000" in c.note
    assert 2500 < c.hhi < 10_000  # highly concentrated


def test_gallium_2025_shares_add_up_to_one(reference_network) -> None:
    # USGS: China 900,000 kg of a rounded world total of 900,000, plus Russia and Japan
    values, denominator = _usgs_market("Gallium", "primary_low_purity_production", "2025")
    assert values["China"] == 900_000 and denominator == sum(values.values()) == 909_000
    c = concentration(reference_network, "gallium", "processing", year=2025)
    assert (c.measure, c.year) == ("production", 2025)
    assert sum(f.share for f in c.figures) == pytest.approx(1.0)
    named = [v for k, v in values.items() if k not in _OTHERS]
    assert c.hhi == pytest.approx(sum((100 * v / 909_000) ** 2 for v in named))
    assert c.hhi < 10_000 and c.normalized_hhi < 1.0


def _reference_markets(G) -> list[tuple[str, str, int]]:
    out = set()
    for _u, v, d in G.edges(data=True):
        if d.get("relation") == "supply" and d["kind"] == "reference" and d["year"] is not None:
            node = G.nodes[v]
            out.add((node["mineral"], node["stage"], d["year"]))
    return sorted(out)


def test_hhi_is_within_its_scale_for_every_market_of_the_reference_graph(
    reference_network,
) -> None:
    markets = _reference_markets(reference_network)
    assert len(markets) > 50
    for mineral, stage, year in markets:
        c = concentration(reference_network, mineral, stage, year=year)
        assert 0.0 <= c.hhi <= 10_000.0, (mineral, stage, year, c.hhi)
        assert 0.0 <= c.normalized_hhi <= 1.0, (mineral, stage, year)
        assert sum(f.share or 0.0 for f in c.figures) <= 1.0 + 1e-9, (mineral, stage, year)
        with_claims = concentration(
            reference_network, mineral, stage, year=year, include_claims=True
        )
        assert 0.0 <= with_claims.hhi <= 10_000.0, (mineral, stage, year)


def test_derived_shares_of_one_market_add_up_to_one_at_most(reference_network) -> None:
    sums: dict[tuple, float] = {}
    for _u, v, d in reference_network.edges(data=True):
        if d.get("relation") == "supply" and d.get("share_derived"):
            node = reference_network.nodes[v]
            key = (d["source"], node["mineral"], node["stage"], d["measure"], d["year"], d["basis"])
            sums[key] = sums.get(key, 0.0) + d["share"]
    assert sums and max(sums.values()) <= 1.0 + 1e-9


def test_us_gallium_shows_china_dominance_from_usgs(reference_network) -> None:
    values, denominator = _usgs_market("Gallium", "primary_low_purity_production", "2025")
    d = dependency_paths(reference_network, "US", "gallium")
    hop = d.paths[0].hops[0]
    assert (hop.supplier, hop.stage, hop.figure.year) == ("CN", "processing", 2025)
    assert hop.share == pytest.approx(values["China"] / denominator)
    assert hop.figure.source == "https://w3id.org/cmkg/id/dataset/usgs-mcs-2026"
    assert hop.figure.source_url.endswith("mcs2026-gallium.pdf")
    assert any(s["iri"] == hop.figure.source and 2025 in s["years"] for s in d.sources)


class SelectOnly:
    """A store seen through ``select`` only (as a store without ``query_raw`` would be)."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    @property
    def version(self) -> int:
        return self._store.version

    def select(self, query: str, *, timeout: float | None = None) -> list[dict]:
        return self._store.select(query, timeout=timeout)


def test_csv_results_and_plain_values_give_the_same_network() -> None:
    with fixture_store() as store:
        by_csv = build_supply_network(store)  # MemoryStore serves SPARQL CSV results
        by_select = build_supply_network(SelectOnly(store))
    assert sorted(by_csv.edges(keys=True, data=True)) == sorted(
        by_select.edges(keys=True, data=True)
    )
    assert dict(by_csv.nodes(data=True)) == dict(by_select.nodes(data=True))
    for table in ("minerals", "countries", "sources", "agreements", "export_controls"):
        assert by_csv.graph[table] == by_select.graph[table], table
    assert by_csv.graph["investments"] == by_select.graph["investments"]


class RdflibEngine:
    """The union of the fixture's graphs in one rdflib ``Graph``, queried by rdflib's own
    SPARQL engine through ``select``: a second engine for the projection's queries."""

    version = 1

    def __init__(self, trig: str) -> None:
        text = _ID_NAME.sub(r"<https://w3id.org/cmkg/id/\1>", trig)
        self.graph = Graph()
        for q in pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TRIG):
            self.graph.add((_term(q.subject), _term(q.predicate), _term(q.object)))

    def select(self, query: str, *, timeout: float | None = None) -> list[dict]:
        result = self.graph.query(query)
        names = [str(v) for v in result.vars]
        return [
            {
                n: None if t is None else t.toPython() if isinstance(t, Literal) else str(t)
                for n, t in zip(names, row, strict=True)
            }
            for row in result
        ]


def test_the_queries_are_plain_sparql_another_engine_gives_the_same_network() -> None:
    for query in QUERIES.values():
        prepareQuery(query)  # SPARQL 1.1 as rdflib's grammar reads it
    by_rdflib = build_supply_network(RdflibEngine(FIXTURE_TRIG))
    with fixture_store() as store:
        by_oxigraph = build_supply_network(store)
    assert sorted(by_rdflib.edges(keys=True, data=True)) == sorted(
        by_oxigraph.edges(keys=True, data=True)
    )
    for table in ("minerals", "countries", "sources", "agreements", "export_controls"):
        assert by_rdflib.graph[table] == by_oxigraph.graph[table], table
    assert by_rdflib.graph["investments"] == by_oxigraph.graph["investments"]


@pytest.mark.parametrize("engine", ["oxigraph", "select-only"])
def test_both_statistics_queries_give_the_same_network(monkeypatch, engine) -> None:
    # Past STATISTICS_SCAN_FROM dataset observations the statistics are read by scans joined
    # by hash instead of lookups; the network must not depend on which form ran. The USGS
    # reference graphs (about 1,600 observations) are read both ways.
    from cmkg.graph.analytics import projection
    from cmkg.graph.reference import reference_graphs
    from cmkg.graph.vocabularies import ontology_graphs

    with MemoryStore() as store:
        for iri, g in {**ontology_graphs(), **reference_graphs()}.items():
            store.replace_graph(str(iri), g)
        source = store if engine == "oxigraph" else SelectOnly(store)
        assert projection._statistics_query(source) == "statistics"
        by_lookups = build_supply_network(source)
        monkeypatch.setattr(projection, "STATISTICS_SCAN_FROM", 1_000)
        assert projection._statistics_query(source) == "statistics_scans"
        by_scans = build_supply_network(source)
    assert by_lookups.number_of_edges() > 1_000
    assert sorted(by_lookups.edges(keys=True, data=True)) == sorted(
        by_scans.edges(keys=True, data=True)
    )
    assert dict(by_lookups.nodes(data=True)) == dict(by_scans.nodes(data=True))
    assert by_lookups.graph["sources"] == by_scans.graph["sources"]
    assert by_lookups.graph["reserves"] == by_scans.graph["reserves"]


# -- shares of a sum, and one agreement reported by several articles ----------------------------

_PREFIXES_TTL = FIXTURE_TRIG[: FIXTURE_TRIG.index("<https://w3id.org/cmkg/graph/vocabulary")]


def _observation_ttl(country: str, value: int, total: str) -> str:
    return f"""
  id:obs/m/ga-{country}-2025 a cmkg:SupplyObservation ; qb:dataSet id:dataset/m ;
    cmkg:country id:country/{country} ; cmkg:mineral id:mineral/gallium ;
    cmkg:stage id:stage/processing ; cmkg:measure id:measure/production ; cmkg:year 2025 ;
    cmkg:value {value}.0 ; qudt:unit unit:KiloGM ; cmkg:basis "contained metal" {total} ."""


def _framework_ttl(article: str, published: str, date: str | None, minerals: str) -> str:
    dated = f'dct:date "{date}"^^xsd:date ;' if date else ""
    return f"""
<https://w3id.org/cmkg/graph/article/{article}> {{
  id:article/{article} a schema:NewsArticle ; schema:url <https://example.org/{article}> ;
    schema:datePublished "{published}"^^xsd:date .
  id:fact/{article}/0 a cmkg:Agreement ; cmkg:party id:country/US, id:country/JP ;
    cmkg:concernsMineral {minerals} ; {dated}
    cmkg:agreementKind id:agreement-kind/framework ; cmkg:fromArticle id:article/{article} ;
    cmkg:evidence id:evidence/{article}/0 .
  id:evidence/{article}/0 a oa:Annotation ; oa:hasBody id:fact/{article}/0 ;
    oa:hasTarget id:evidence/{article}/0/target .
  id:evidence/{article}/0/target a oa:SpecificResource ; oa:hasSource id:article/{article} ;
    oa:hasSelector id:evidence/{article}/0/quote-selector .
  id:evidence/{article}/0/quote-selector a oa:TextQuoteSelector ;
    oa:exact "The US-Japan framework, as {article} reports it." .
}}"""


# Gallium 2025 as USGS gives it: 909,000 kg of countries against a rounded world total of
# 900,000 (stated on two of the three observations). Three articles report the US-Japan
# framework (two dated, one not); a fourth reports a memorandum between the same parties.
SHARES_AND_REPORTS_TRIG = (
    _PREFIXES_TTL
    + "<https://w3id.org/cmkg/graph/reference/m> {\n  id:dataset/m a qb:DataSet ."
    + _observation_ttl("CN", 900_000, "; cmkg:worldTotal 900000.0")
    + _observation_ttl("RU", 6_000, "; cmkg:worldTotal 900000.0")
    + _observation_ttl("JP", 3_000, "")
    + "\n}"
    + _framework_ttl("a1", "2025-10-28", "2025-10-28", "id:mineral/rare-earths")
    + _framework_ttl("a2", "2025-10-29", "2025-10-28", "id:mineral/critical-minerals")
    + _framework_ttl("a3", "2025-10-30", None, "id:mineral/rare-earths")
    + """
<https://w3id.org/cmkg/graph/article/a4> {
  id:article/a4 a schema:NewsArticle ; schema:datePublished "2025-11-02"^^xsd:date .
  id:fact/a4/0 a cmkg:Agreement ; cmkg:party id:country/US, id:country/JP ;
    cmkg:concernsMineral id:mineral/gallium ; dct:date "2025-11-01"^^xsd:date ;
    cmkg:agreementKind id:agreement-kind/mou ; cmkg:fromArticle id:article/a4 .
}"""
)


@pytest.fixture(scope="module")
def reports():
    with load_trig(MemoryStore(), SHARES_AND_REPORTS_TRIG) as store:
        return build_supply_network(store)


def test_a_market_takes_its_world_total_or_its_sum_never_both(reports) -> None:
    edges = {u[-2:]: d for u, _, d in reports.in_edges("supply:gallium:processing", data=True)}
    # JP states no world total: it takes its market's, and the market sums past it
    for country, value in (("CN", 900_000), ("RU", 6_000), ("JP", 3_000)):
        e = edges[country]
        assert e["share"] == pytest.approx(value / 909_000), country
        assert e["renormalised"] and e["world_total"] == 900_000 and e["share_derived"]
    c = concentration(reports, "gallium", "processing")
    assert c.hhi == pytest.approx(sum((100 * v / 909_000) ** 2 for v in (900_000, 6_000, 3_000)))
    assert "sum to 909,000 KiloGM, more than its world total of 900,000" in c.note


def test_one_agreement_reported_by_three_articles_is_one_record(reports) -> None:
    table = reports.graph["agreements"]
    assert len(table) == 2  # the framework, and the memorandum (another kind)
    framework = table["https://w3id.org/cmkg/id/fact/a1/0"]
    assert framework["reports"] == tuple(
        f"https://w3id.org/cmkg/id/fact/{a}/0" for a in ("a1", "a2", "a3")
    )
    assert framework["sources"] == tuple(
        f"https://w3id.org/cmkg/id/article/{a}" for a in ("a1", "a2", "a3")
    )
    assert framework["date"] == "2025-10-28"
    assert set(framework["minerals"]) == {"rare-earths", "critical-minerals"}
    assert [e["url"] for e in framework["evidence"]] == [
        f"https://example.org/{a}" for a in ("a1", "a2", "a3")
    ]
    assert reports.number_of_edges("country:JP", "country:US") == 2
    profile = country_profile(reports, "JP")
    assert profile["totals"]["agreements"] == 2
    assert [(a["kind"], a["partners"]) for a in profile["agreements"]] == [
        ("framework", ("US",)),
        ("mou", ("US",)),
    ]
    years = {s["iri"].rsplit("/", 1)[-1]: s["years"] for s in profile["sources"]}
    assert years == {"a1": [2025], "a2": [2025], "a3": [2025], "a4": [2025], "m": [2025]}
