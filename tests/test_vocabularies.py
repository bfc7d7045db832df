"""The controlled vocabularies follow the shipped CSVs, the facts contract and the world."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import pytest
from babel import Locale
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from cmkg.graph.errors import NotFound
from cmkg.graph.namespaces import (
    CGI,
    CMKG,
    GEONAMES,
    GRAPH,
    OWL,
    RDF,
    RDFS,
    SKOS,
    WD,
    agreement_kind_iri,
    consistency_iri,
    country_iri,
    measure_iri,
    measure_kind_iri,
    mineral_iri,
    stage_iri,
)
from cmkg.graph.vocabularies import (
    CGI_LINKS,
    EU_MEMBERS,
    LABEL_LANGUAGES,
    LIST_MATERIALS,
    MINTED_MINERALS,
    RARE_EARTH_SUBGROUPS,
    contract_mineral_ids,
    country_code,
    list_mineral_id,
    ontology_graphs,
    read_data_csv,
)

MINERALS = read_data_csv("contracts/minerals.csv")
LEXICON = read_data_csv("reference/mineral_lexicon.csv")
COUNTRIES = read_data_csv("reference/country-codes.csv")
USGS = read_data_csv("reference/usgs_mcs2026_world_production_reserves.csv")
LISTS = read_data_csv("reference/critical_minerals_lists.csv")
#: Lexicon ids that are not the canonical id with hyphens (SOURCES.md: "ids here use underscores").
LEXICON_IDS = {
    "rare_earth_elements": "rare-earths",
    "platinum_group_metals": "platinum-group-metals",
    "phosphate_rock": "phosphate",
}


@pytest.fixture(scope="module")
def graphs() -> dict[URIRef, Graph]:
    return ontology_graphs()


@pytest.fixture(scope="module")
def minerals(graphs: dict[URIRef, Graph]) -> Graph:
    return graphs[GRAPH["vocabulary/minerals"]]


@pytest.fixture(scope="module")
def countries(graphs: dict[URIRef, Graph]) -> Graph:
    return graphs[GRAPH["vocabulary/countries"]]


@pytest.fixture(scope="module")
def concepts(graphs: dict[URIRef, Graph]) -> Graph:
    return graphs[GRAPH["vocabulary/concepts"]]


@pytest.fixture(scope="module")
def cgi() -> Graph:
    path = files("cmkg.graph.data").joinpath("reference", "cgi-commodity-code.ttl")
    return Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")


def test_the_named_graphs() -> None:
    assert set(ontology_graphs()) == {
        GRAPH["ontology"],
        GRAPH["vocabulary/minerals"],
        GRAPH["vocabulary/countries"],
        GRAPH["vocabulary/concepts"],
    }


def test_each_call_returns_the_same_content_in_new_graphs() -> None:
    first, second = ontology_graphs(), ontology_graphs()
    for iri, graph in first.items():
        assert graph is not second[iri]
        assert isomorphic(graph, second[iri]), iri
    first[GRAPH["vocabulary/concepts"]].remove((None, None, None))
    assert len(ontology_graphs()[GRAPH["vocabulary/concepts"]]) > 0


def test_prefixes_are_bound(minerals: Graph) -> None:
    text = minerals.serialize(format="turtle")
    assert "@prefix cmkg:" in text and "@prefix skos:" in text
    assert "ns1:" not in text


# ---------------------------------------------------------------------------------- minerals


@pytest.mark.parametrize("row", MINERALS, ids=lambda r: r["id"])
def test_every_contract_mineral(minerals: Graph, row: dict[str, str]) -> None:
    iri = mineral_iri(row["id"])
    assert (iri, RDF.type, CMKG.Mineral) in minerals
    assert (iri, RDF.type, SKOS.Concept) in minerals
    assert (iri, SKOS.inScheme, CMKG.MineralScheme) in minerals
    assert (iri, SKOS.prefLabel, Literal(row["label"], lang="en")) in minerals
    assert minerals.value(iri, CMKG.mineralId) == Literal(row["id"])
    if row["symbol"]:
        assert minerals.value(iri, CMKG.symbol) == Literal(row["symbol"])
        assert minerals.value(iri, SKOS.notation) == Literal(row["symbol"])
    else:
        assert minerals.value(iri, CMKG.symbol) is None
    if row["broader"]:
        assert (iri, SKOS.broader, mineral_iri(row["broader"])) in minerals
        assert (mineral_iri(row["broader"]), SKOS.narrower, iri) in minerals
    else:
        assert (CMKG.MineralScheme, SKOS.hasTopConcept, iri) in minerals
    if row["wikidata"]:
        assert (iri, SKOS.exactMatch, WD[row["wikidata"]]) in minerals
    is_group = row["note"].startswith("group:")
    assert ((iri, RDF.type, CMKG.MineralGroup) in minerals) == is_group


def test_the_groups(minerals: Graph) -> None:
    groups = set(minerals.subjects(RDF.type, CMKG.MineralGroup))
    expected = {"critical-minerals", "rare-earths", "platinum-group-metals"}
    assert {mineral_iri(m) for m in expected} <= groups
    neodymium = mineral_iri("neodymium")
    assert (neodymium, SKOS.broader, mineral_iri("rare-earths")) in minerals
    assert (mineral_iri("palladium"), SKOS.broader, mineral_iri("platinum-group-metals")) in (
        minerals
    )


@pytest.mark.parametrize("row", LEXICON, ids=lambda r: f"{r['id']}-{r['lang']}-{r['label']}")
def test_every_lexicon_label(minerals: Graph, row: dict[str, str]) -> None:
    mid = LEXICON_IDS.get(row["id"], row["id"].replace("_", "-"))
    assert mid in contract_mineral_ids(), f"lexicon id {row['id']!r} has no canonical id"
    label = Literal(row["label"].strip(), lang=row["lang"])
    iri = mineral_iri(mid)
    assert (iri, SKOS.prefLabel, label) in minerals or (iri, SKOS.altLabel, label) in minerals


def test_one_preferred_label_per_language_and_no_clash(minerals: Graph) -> None:
    for concept in set(minerals.subjects(RDF.type, CMKG.Mineral)):
        prefs = list(minerals.objects(concept, SKOS.prefLabel))
        langs = [p.language for p in prefs]
        assert len(langs) == len(set(langs)), (concept, prefs)
        assert not set(prefs) & set(minerals.objects(concept, SKOS.altLabel)), concept


@pytest.mark.parametrize(
    ("mineral", "lang", "label"),
    [
        ("rare-earths", "ja", "レアアース"),
        ("rare-earths", "zh", "稀土"),
        ("rare-earths", "id", "logam tanah jarang"),
        ("nickel", "de", "Nickel"),
    ],
)
def test_known_labels(minerals: Graph, mineral: str, lang: str, label: str) -> None:
    labels = set(minerals.objects(mineral_iri(mineral), SKOS.prefLabel)) | set(
        minerals.objects(mineral_iri(mineral), SKOS.altLabel)
    )
    assert Literal(label, lang=lang) in labels


#: CGI spells a few names differently; the symbol check still binds them.
CGI_SPELLINGS = {"caesium": "cesium", "phosphorus": "phosphorous", "barite": "baryte"}


@pytest.mark.parametrize("mid", sorted(CGI_LINKS))
def test_cgi_links_are_checked(minerals: Graph, cgi: Graph, mid: str) -> None:
    kind, local = CGI_LINKS[mid]
    target = CGI[local]
    assert (target, RDF.type, SKOS.Concept) in cgi, f"{target} is not in the CGI vocabulary"
    match = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch, "broad": SKOS.broadMatch}[kind]
    assert (mineral_iri(mid), match, target) in minerals
    english = {
        str(o).strip().lower() for o in cgi.objects(target, SKOS.prefLabel) if o.language == "en"
    }
    symbol = minerals.value(mineral_iri(mid), CMKG.symbol)
    if symbol is not None:  # an element: the CGI concept names it and has its symbol
        assert str(symbol) in {str(n) for n in cgi.objects(target, SKOS.notation)}
        label = str(minerals.value(mineral_iri(mid), SKOS.prefLabel))
        assert CGI_SPELLINGS.get(mid, label) in english, (mid, english)


def test_the_wrong_links_of_cgi_are_not_copied(minerals: Graph, cgi: Graph) -> None:
    iridium = CGI["iridium"]
    inspire = {o for o in cgi.objects(iridium, SKOS.exactMatch)}
    assert any("rubidium" in str(o) for o in inspire), "the known wrong link is in the CGI file"
    linked = {o for _, _, o in minerals.triples((None, None, None)) if isinstance(o, URIRef)}
    assert not {o for o in linked if "inspire.ec.europa.eu" in str(o)}
    assert (mineral_iri("iridium"), SKOS.exactMatch, iridium) in minerals
    assert (mineral_iri("iridium"), SKOS.exactMatch, CGI["rubidium"]) not in minerals
    # CGI's Japanese/Chinese "potash" labels say potassium carbonate: not copied
    assert Literal("炭酸カリウム", lang="ja") not in set(minerals.objects(None, SKOS.prefLabel))


@pytest.mark.parametrize("group", sorted(RARE_EARTH_SUBGROUPS))
def test_rare_earth_subgroups_follow_cgi(minerals: Graph, cgi: Graph, group: str) -> None:
    cgi_group = CGI[CGI_LINKS[group][1]]
    cgi_members = set(cgi.subjects(SKOS.broader, cgi_group))
    ours = set(minerals.objects(mineral_iri(group), SKOS.narrower))
    assert {CGI[CGI_LINKS[str(m).rsplit("/", 1)[1]][1]] for m in ours} == cgi_members


def test_every_list_material_maps_to_a_mineral(minerals: Graph) -> None:
    for row in LISTS:
        mid = list_mineral_id(row["material"])
        assert (mineral_iri(mid), RDF.type, CMKG.Mineral) in minerals, row["material"]
    with pytest.raises(NotFound, match="Kryptonite"):
        list_mineral_id("Kryptonite")


def test_minted_minerals_are_marked(minerals: Graph) -> None:
    minted = set(LIST_MATERIALS.values()) - set(contract_mineral_ids())
    assert minted == set(MINTED_MINERALS)
    for mid in minted:
        iri = mineral_iri(mid)
        assert (iri, SKOS.inScheme, CMKG.MineralScheme) in minerals
        assert minerals.value(iri, CMKG.mineralId) is None
        note = str(minerals.value(iri, SKOS.scopeNote))
        assert "Not in the facts contract's minerals.csv" in note
    for mid in contract_mineral_ids():
        assert minerals.value(mineral_iri(mid), CMKG.mineralId) is not None


# --------------------------------------------------------------------------------- countries


def test_every_country_of_the_csv(countries: Graph) -> None:
    rows = {row["ISO3166-1-Alpha-2"]: row for row in COUNTRIES}
    ours = set(countries.subjects(RDF.type, CMKG.Country))
    assert ours == {country_iri(code) for code in rows}
    for code, row in rows.items():
        iri = country_iri(code)
        assert countries.value(iri, CMKG.isoAlpha3) == Literal(row["ISO3166-1-Alpha-3"])
        assert int(countries.value(iri, CMKG.isoNumeric)) == int(row["ISO3166-1-numeric"])
        english = [o for o in countries.objects(iri, RDFS.label) if o.language == "en"]
        assert english == [Literal(row["CLDR display name"], lang="en")]


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("JP", "ja", "日本"),
        ("JP", "id", "Jepang"),
        ("JP", "fr", "Japon"),
        ("CN", "zh", "中国"),
        ("CN", "id", "Tiongkok"),
        ("US", "es", "Estados Unidos"),
        ("DE", "de", "Deutschland"),
        ("BR", "pt", "Brasil"),
        ("EU", "fr", "Union européenne"),
    ],
)
def test_country_names_in_other_languages(
    countries: Graph, code: str, lang: str, name: str
) -> None:
    assert (country_iri(code), RDFS.label, Literal(name, lang=lang)) in countries


def test_most_countries_have_labels_in_every_language(countries: Graph) -> None:
    for code in ("JP", "CN", "CD", "ID", "AU", "CL"):
        langs = {o.language for o in countries.objects(country_iri(code), RDFS.label)}
        assert langs == {"en", *LABEL_LANGUAGES}, code
    assert set(LABEL_LANGUAGES) == {"id", "zh", "ja", "es", "fr", "de", "pt"}
    assert all(Locale.parse(lang).territories.get("JP") for lang in LABEL_LANGUAGES)


@pytest.mark.parametrize(
    ("code", "wikidata", "geonames"), [("JP", "Q17", "1861060"), ("CN", "Q148", "1814991")]
)
def test_same_as_links(countries: Graph, code: str, wikidata: str, geonames: str) -> None:
    same = set(countries.objects(country_iri(code), OWL.sameAs))
    assert same == {WD[wikidata], GEONAMES[f"{geonames}/"]}


def test_regions(countries: Graph) -> None:
    regions = {str(r) for r in countries.objects(country_iri("CD"), CMKG.region)}
    assert {"Africa", "Sub-Saharan Africa", "Middle Africa"} == regions


def test_the_european_union(countries: Graph) -> None:
    eu = country_iri("EU")
    assert (eu, RDF.type, CMKG.EconomicUnion) in countries
    assert (eu, RDF.type, CMKG.Jurisdiction) in countries
    assert (eu, RDF.type, CMKG.Country) not in countries
    members = set(countries.subjects(CMKG.memberOf, eu))
    assert len(members) == 27 == len(EU_MEMBERS)
    assert country_iri("GB") not in members  # left on 31 January 2020
    for member in members - {country_iri("CY")}:  # UN M49 puts Cyprus in Western Asia
        assert (member, CMKG.region, Literal("Europe")) in countries


def test_other_countries_is_a_jurisdiction_not_a_country(countries: Graph) -> None:
    zz = country_iri("ZZ")
    assert (zz, RDF.type, CMKG.Jurisdiction) in countries
    assert (zz, RDF.type, CMKG.Country) not in countries
    assert (zz, RDFS.label, Literal("Other countries", lang="en")) in countries


USGS_NAMES = sorted({r["country"] for r in USGS} - {"Other", "Other countries"})
USGS_NAMES = [n for n in USGS_NAMES if not n.startswith("World")]


@pytest.mark.parametrize("name", USGS_NAMES)
def test_every_usgs_country_name_maps(countries: Graph, name: str) -> None:
    code = country_code(name)
    assert (country_iri(code), RDF.type, CMKG.Country) in countries


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Congo (Kinshasa)", "CD"),
        ("Burma", "MM"),
        ("Korea, Republic of", "KR"),
        ("Korea, North", "KP"),
        ("Russia", "RU"),
        ("Laos", "LA"),
        ("Côte d’Ivoire", "CI"),
        ("United Kingdom", "GB"),
        ("European Union", "EU"),
    ],
)
def test_hard_country_names(name: str, code: str) -> None:
    assert country_code(name) == code


def test_an_unknown_country_name_is_an_error() -> None:
    with pytest.raises(NotFound, match="Ruritania"):
        country_code("Ruritania")


# ---------------------------------------------------------------------------------- concepts


def _enums() -> dict[str, Any]:
    path = files("cmkg.graph.data").joinpath("contracts", "facts.schema.json")
    schema = json.loads(path.read_text(encoding="utf-8"))
    facts = schema["properties"]["facts"]["items"]["oneOf"]
    by_type = {f["properties"]["type"]["const"]: f["properties"] for f in facts}
    return {
        "agreement": [k for k in by_type["agreement"]["kind"]["enum"] if k],
        "export_control": [k for k in by_type["export_control"]["measure"]["enum"] if k],
        "share": by_type["share"]["stage"]["enum"],
    }


@pytest.mark.parametrize(
    ("key", "cls", "scheme", "iri_of"),
    [
        ("agreement", CMKG.AgreementKind, CMKG.AgreementKindScheme, agreement_kind_iri),
        ("export_control", CMKG.ExportMeasure, CMKG.ExportMeasureScheme, measure_kind_iri),
        ("share", CMKG.SupplyStage, CMKG.StageScheme, stage_iri),
    ],
)
def test_concepts_follow_the_facts_contract(
    concepts: Graph, key: str, cls: URIRef, scheme: URIRef, iri_of: Any
) -> None:
    values = _enums()[key]
    ours = set(concepts.subjects(RDF.type, cls))
    assert ours == {iri_of(v) for v in values}
    for value in values:
        iri = iri_of(value)
        assert concepts.value(iri, SKOS.notation) == Literal(value)
        assert (iri, SKOS.inScheme, scheme) in concepts
        assert (scheme, SKOS.hasTopConcept, iri) in concepts


def test_measures_and_verdicts(concepts: Graph) -> None:
    measures = set(concepts.subjects(RDF.type, CMKG.Measure))
    assert measures == {measure_iri(m) for m in ("production", "capacity", "reserves", "share")}
    verdicts = set(concepts.subjects(RDF.type, CMKG.Consistency))
    assert verdicts == {consistency_iri(v) for v in ("consistent", "contradicted", "unchecked")}
    assert str(agreement_kind_iri("trade_deal")).endswith("/agreement-kind/trade-deal")
