"""The reference graphs hold what the CSVs say, with the caveats of SOURCES.md applied.

Expected figures are computed here from the CSV rows, not copied from the code under test.
"""

from __future__ import annotations

import re
from decimal import Decimal
from importlib.resources import files

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from cmkg.graph.errors import NotFound
from cmkg.graph.namespaces import (
    CMKG,
    DCTERMS,
    PROV,
    QB,
    QUDT,
    RDF,
    SKOS,
    UNIT,
    country_iri,
    measure_iri,
    mineral_iri,
    reference_graph_iri,
    stage_iri,
)
from cmkg.graph.reference import (
    COMMODITY_MINERALS,
    USGS_STAGES,
    USGS_UNITS,
    dataset_iri,
    list_iri,
    observation_iri,
    reference_graphs,
)
from cmkg.graph.vocabularies import country_code, ontology_graphs, read_data_csv

USGS = read_data_csv("reference/usgs_mcs2026_world_production_reserves.csv")
SHARES = read_data_csv("reference/usgs_mcs2026_country_shares.csv")
IEA = read_data_csv("reference/processing_shares_reported.csv")
LISTS = read_data_csv("reference/critical_minerals_lists.csv")

PREFIXES = """
PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def graphs() -> dict[URIRef, Graph]:
    return reference_graphs()


@pytest.fixture(scope="module")
def usgs(graphs: dict[URIRef, Graph]) -> Graph:
    return graphs[reference_graph_iri("usgs-mcs-2026")]


@pytest.fixture(scope="module")
def iea(graphs: dict[URIRef, Graph]) -> Graph:
    return graphs[reference_graph_iri("iea-reported")]


@pytest.fixture(scope="module")
def lists(graphs: dict[URIRef, Graph]) -> Graph:
    return graphs[reference_graph_iri("critical-mineral-lists")]


def _rows(commodity: str, stage: str, year: str) -> list[dict[str, str]]:
    return [
        r for r in USGS if r["commodity"] == commodity and r["stage"] == stage and r["year"] == year
    ]


def _world(commodity: str, stage: str, year: str) -> dict[str, str]:
    (row,) = [r for r in _rows(commodity, stage, year) if r["country"].startswith("World")]
    return row


def test_the_named_graphs(graphs: dict[URIRef, Graph]) -> None:
    assert set(graphs) == {
        reference_graph_iri("usgs-mcs-2026"),
        reference_graph_iri("iea-reported"),
        reference_graph_iri("critical-mineral-lists"),
    }


def test_each_call_returns_the_same_content_in_new_graphs(graphs: dict[URIRef, Graph]) -> None:
    again = reference_graphs()
    for iri, graph in graphs.items():
        assert graph is not again[iri]
        assert isomorphic(graph, again[iri]), iri


@pytest.mark.parametrize("year", ["2024", "2025"])
def test_chinas_share_of_rare_earth_mining(usgs: Graph, year: str) -> None:
    china = next(
        r for r in _rows("Rare earths", "mine_production", year) if r["country"] == "China"
    )
    world = _world("Rare earths", "mine_production", year)
    expected = Decimal(china["value"]) / Decimal(world["value"])
    query = (
        PREFIXES
        + f"""
    SELECT ?share ?unit ?source ?production ?total WHERE {{
      ?obs cmkg:country <{country_iri("CN")}> ;
           cmkg:mineral <{mineral_iri("rare-earths")}> ;
           cmkg:stage <{stage_iri("mining")}> ;
           cmkg:measure <{measure_iri("share")}> ;
           cmkg:year {year} ;
           cmkg:value ?share ; qudt:unit ?unit ; dct:source ?source ;
           prov:wasDerivedFrom ?base .
      ?base cmkg:measure <{measure_iri("production")}> ;
            cmkg:value ?production ; cmkg:worldTotal ?total .
    }}"""
    )
    (row,) = list(usgs.query(query))
    assert abs(row.share.toPython() - expected) <= Decimal("0.0005")  # CSV rounds to 0.1 point
    assert row.unit == UNIT.FRACTION
    assert row.source == URIRef(china["source_pdf"])
    assert row.production.toPython() == Decimal(china["value"])
    assert row.total.toPython() == Decimal(world["value"])
    # SOURCES.md: "rare-earth mine China 69%" (2025e); 2024 is 270,000 of 380,000 t
    assert abs(row.share.toPython() - {"2024": Decimal("0.71"), "2025": Decimal("0.69")}[year]) < (
        Decimal("0.01")
    )


WITHHELD = [r for r in USGS if r["value_raw"] in ("W", "NA") and not r["country"].startswith("W")]


@pytest.mark.parametrize(
    "row", WITHHELD, ids=lambda r: f"{r['commodity']}-{r['country']}-{r['stage']}-{r['year']}"
)
def test_withheld_figures_have_no_value(usgs: Graph, row: dict[str, str]) -> None:
    subjects = set(usgs.subjects(CMKG.valueRaw, Literal(row["value_raw"])))
    matching = [
        s
        for s in subjects
        if usgs.value(s, DCTERMS.source) == URIRef(row["source_pdf"])
        and usgs.value(s, CMKG.year) == Literal(int(row["year"]))
        and usgs.value(s, CMKG.country)
        == country_iri("ZZ" if row["country"].startswith("Other") else country_code(row["country"]))
    ]
    stage, measure = USGS_STAGES[row["stage"]]
    matching = [
        s
        for s in matching
        if usgs.value(s, CMKG.measure) == measure_iri(measure)
        and usgs.value(s, CMKG.stage) == stage_iri(stage)
    ]
    assert len(matching) == 1, row
    obs = matching[0]
    assert usgs.value(obs, CMKG.value) is None
    assert (
        str(usgs.value(obs, CMKG.status))
        == {"W": "withheld", "NA": "not-available"}[row["value_raw"]]
    )
    assert usgs.value(obs, QUDT.unit) is not None


def test_no_withheld_figure_has_a_value(graphs: dict[URIRef, Graph]) -> None:
    for graph in graphs.values():
        query = (
            PREFIXES
            + """
        ASK { ?o cmkg:value ?v ; cmkg:status ?s . FILTER (?s IN ("withheld", "not-available")) }"""
        )
        assert not graph.query(query).askAnswer


def test_every_usgs_value_has_unit_year_and_source(usgs: Graph) -> None:
    query = (
        PREFIXES
        + """
    SELECT ?o WHERE {
      ?o cmkg:value ?v .
      FILTER NOT EXISTS { ?o qudt:unit ?u ; cmkg:year ?y ; dct:source ?s }
    }"""
    )
    assert list(usgs.query(query)) == []
    values = list(usgs.objects(None, CMKG.value))
    assert values and all(v.datatype == Literal(Decimal(1)).datatype for v in values)


def test_every_iea_value_has_unit_and_source(iea: Graph) -> None:
    query = (
        PREFIXES
        + """
    SELECT ?o WHERE {
      ?o cmkg:value ?v . FILTER NOT EXISTS { ?o qudt:unit ?u ; dct:source ?s }
    }"""
    )
    assert list(iea.query(query)) == []


def test_world_totals_are_attributes_not_observations(usgs: Graph) -> None:
    assert not list(usgs.subjects(CMKG.valueRaw, Literal("World total (rounded)")))
    countries = {c for c in usgs.objects(None, CMKG.country)}
    assert all("/country/" in str(c) for c in countries)
    for row in USGS:
        if not row["country"].startswith("World") or not row["value"]:
            continue
        stage, measure = USGS_STAGES[row["stage"]]
        totals = {
            usgs.value(o, CMKG.worldTotal)
            for o in usgs.subjects(CMKG.measure, measure_iri(measure))
            if usgs.value(o, DCTERMS.source) == URIRef(row["source_pdf"])
            and usgs.value(o, CMKG.stage) == stage_iri(stage)
            and usgs.value(o, CMKG.year) == Literal(int(row["year"]))
            and (o, QB.dataSet, dataset_iri("usgs-mcs-2026")) in usgs
        }
        assert totals == {Literal(Decimal(row["value"]))}, row


def test_other_countries_rows_are_zz(usgs: Graph) -> None:
    row = next(
        r for r in _rows("Cobalt", "mine_production", "2024") if r["country"] == "Other countries"
    )
    obs = observation_iri("usgs-mcs-2026", "cobalt", "mining", "production", "ZZ", 2024)
    assert usgs.value(obs, CMKG.value).toPython() == Decimal(row["value"])
    assert usgs.value(obs, CMKG.country) == country_iri("ZZ")


@pytest.mark.parametrize("mineral", ["cobalt", "nickel", "lithium", "gallium"])
@pytest.mark.parametrize("year", [2024, 2025])
def test_top_producers_match_the_csv(usgs: Graph, mineral: str, year: int) -> None:
    commodity = next(c for c, m in COMMODITY_MINERALS.items() if m == mineral)
    raw_stage = "primary_low_purity_production" if mineral == "gallium" else "mine_production"
    rows = [
        r
        for r in _rows(commodity, raw_stage, str(year))
        if r["value"] and not r["country"].startswith(("World", "Other"))
    ]
    top = max(rows, key=lambda r: Decimal(r["value"]))
    stage = "processing" if mineral == "gallium" else "mining"
    query = (
        PREFIXES
        + f"""
    SELECT ?country ?value WHERE {{
      ?o cmkg:mineral <{mineral_iri(mineral)}> ; cmkg:stage <{stage_iri(stage)}> ;
         cmkg:measure <{measure_iri("production")}> ; cmkg:year {year} ;
         cmkg:country ?country ; cmkg:value ?value .
      FILTER (?country != <{country_iri("ZZ")}>)
    }} ORDER BY DESC(?value) LIMIT 1"""
    )
    (answer,) = list(usgs.query(query))
    assert answer.country == country_iri(country_code(top["country"]))
    assert answer.value.toPython() == Decimal(top["value"])
    known = {"cobalt": "CD", "nickel": "ID", "gallium": "CN"}
    if mineral in known:
        assert answer.country == country_iri(known[mineral])


def test_copper_is_refinery_output(usgs: Graph) -> None:
    stages = {
        (usgs.value(o, CMKG.stage), usgs.value(o, CMKG.measure))
        for o in usgs.subjects(CMKG.mineral, mineral_iri("copper"))
        if (o, QB.dataSet, dataset_iri("usgs-mcs-2026")) in usgs
    }
    assert stages == {
        (stage_iri("processing"), measure_iri("production")),
        (stage_iri("reserves"), measure_iri("reserves")),
    }


def test_pgm_production_is_palladium_and_reserves_all_pgms(usgs: Graph) -> None:
    def measures(mineral: str) -> set[URIRef]:
        return {
            usgs.value(o, CMKG.measure)
            for o in usgs.subjects(CMKG.mineral, mineral_iri(mineral))
            if (o, QB.dataSet, dataset_iri("usgs-mcs-2026")) in usgs
        }

    assert measures("palladium") == {measure_iri("production")}
    assert measures("platinum-group-metals") == {measure_iri("reserves")}
    us = observation_iri("usgs-mcs-2026", "palladium", "mining", "production", "US", 2024)
    assert usgs.value(us, CMKG.value).toPython() == Decimal(10200)  # SOURCES.md
    assert usgs.value(us, QUDT.unit) == UNIT.KiloGM


def test_units_are_read_per_row(usgs: Graph) -> None:
    production = observation_iri("usgs-mcs-2026", "vanadium", "mining", "production", "CN", 2025)
    reserves = observation_iri("usgs-mcs-2026", "vanadium", "reserves", "reserves", "CN", 2025)
    assert usgs.value(production, QUDT.unit) == UNIT.TONNE
    assert usgs.value(reserves, QUDT.unit) == UNIT.KiloTONNE
    ree = observation_iri("usgs-mcs-2026", "rare-earths", "mining", "production", "CN", 2024)
    assert str(usgs.value(ree, CMKG.basis)) == "rare-earth oxide"
    chromium = observation_iri("usgs-mcs-2026", "chromium", "mining", "production", "ZA", 2024)
    assert str(usgs.value(chromium, CMKG.basis)) == "gross weight"


def test_every_csv_name_is_mapped() -> None:
    assert {r["commodity"] for r in USGS} == set(COMMODITY_MINERALS)
    assert {r["stage"] for r in USGS} == set(USGS_STAGES)
    assert {r["unit"] for r in USGS} == set(USGS_UNITS)
    for name in {r["country"] for r in USGS}:
        if not name.startswith(("World", "Other")):
            country_code(name)  # raises NotFound for an unmapped name
    with pytest.raises(NotFound):
        country_code("Other countries")


def test_one_observation_per_country_row(usgs: Graph) -> None:
    country_rows = [r for r in USGS if not r["country"].startswith("World")]
    observations = set(usgs.subjects(QB.dataSet, dataset_iri("usgs-mcs-2026")))
    assert len(observations) == len(country_rows)
    shares = set(usgs.subjects(QB.dataSet, dataset_iri("usgs-mcs-2026-shares")))
    assert len(shares) == len(SHARES)


def test_shares_derive_from_their_figures(usgs: Graph) -> None:
    for share in usgs.subjects(QB.dataSet, dataset_iri("usgs-mcs-2026-shares")):
        base = usgs.value(share, PROV.wasDerivedFrom)
        assert (base, QB.dataSet, dataset_iri("usgs-mcs-2026")) in usgs
        value = usgs.value(share, CMKG.value).toPython()
        assert 0 <= value <= 1
        ratio = (
            usgs.value(base, CMKG.value).toPython() / usgs.value(share, CMKG.worldTotal).toPython()
        )
        assert abs(value - ratio) <= Decimal("0.0005"), share
        for dim in (CMKG.country, CMKG.mineral, CMKG.stage, CMKG.year):
            assert usgs.value(share, dim) == usgs.value(base, dim)
        basis = str(usgs.value(share, CMKG.basis))
        assert basis == f"share of world {str(usgs.value(base, CMKG.measure)).rsplit('/', 1)[1]}"


def test_shares_against_lower_bound_totals_are_upper_bounds(usgs: Graph) -> None:
    qualifier = {
        (r["commodity"], r["country"], r["stage"], r["year"]): r["qualifier"] for r in USGS
    }
    seen = set()
    for row in SHARES:
        stage, measure = USGS_STAGES[row["stage"]]
        mineral = COMMODITY_MINERALS[row["commodity"]]
        if row["commodity"].startswith("Palladium") and row["stage"] == "reserves":
            mineral = "platinum-group-metals"
        country = "ZZ" if row["country"].startswith("Other") else country_code(row["country"])
        iri = observation_iri(
            "usgs-mcs-2026-shares", mineral, stage, f"share-of-{measure}", country, row["year"]
        )
        comparator = str(usgs.value(iri, CMKG.comparator))
        value_bound = qualifier[row["commodity"], row["country"], row["stage"], row["year"]]
        if row["world_total_qualifier"] == ">":
            assert comparator == ("~" if value_bound == ">" else "<"), row
        else:
            assert comparator == (value_bound or "="), row
        seen.add(comparator)
    assert "<" in seen and "=" in seen


# --------------------------------------------------------------------------------------- IEA


def test_iea_keeps_single_country_single_mineral_world_shares(iea: Graph) -> None:
    observations = set(iea.subjects(QB.dataSet, dataset_iri("iea-reported")))
    countries = {iea.value(o, CMKG.country) for o in observations}
    assert country_iri("CN") in countries and country_iri("CD") in countries
    assert all("/country/" in str(c) and not str(c).endswith("/ZZ") for c in countries)
    years = {iea.value(o, CMKG.year) for o in observations} - {None}
    assert max(int(y) for y in years) <= 2025  # no projection (2030, 2023-2035)
    values = {
        (iea.value(o, CMKG.mineral), iea.value(o, CMKG.value).toPython()) for o in observations
    }
    assert (mineral_iri("rare-earths"), Decimal("0.77")) not in values  # 2030 projection
    assert (mineral_iri("nickel"), Decimal("0.9")) not in values  # growth share
    assert all(0 <= v <= 1 for _, v in values)
    plain_rows = [
        r
        for r in IEA
        if r["country_or_group"] in ("China", "Malaysia", "Chile", "Indonesia", "Finland")
        and re.fullmatch(r"\d{4}", r["data_year"])
        and "+" not in r["mineral"]
        and "(average)" not in r["mineral"]
    ]
    for row in plain_rows:
        year = Literal(int(row["data_year"]))
        value = Decimal(row["value"]) / 100
        assert any(
            iea.value(o, CMKG.year) == year and iea.value(o, CMKG.value).toPython() == value
            for o in observations
        ), row


def test_iea_comparators_and_years(iea: Graph) -> None:
    cobalt = [
        o
        for o in iea.subjects(CMKG.mineral, mineral_iri("cobalt"))
        if iea.value(o, CMKG.country) == country_iri("CN") and iea.value(o, CMKG.year) is None
    ]
    comparators = {str(iea.value(o, CMKG.comparator)) for o in cobalt}
    assert ">" in comparators  # "more than 75%" (~2023)
    assert str(iea.value(cobalt[0], CMKG.status)) == "reported"
    undated = [
        o for o in iea.subjects(CMKG.measure, measure_iri("share")) if not iea.value(o, CMKG.year)
    ]
    assert all("/undated-" in str(o) for o in undated)


# ------------------------------------------------------------------------------------ lists


@pytest.mark.parametrize(
    ("list_id", "count"),
    [("US-2022", 50), ("US-2025", 60), ("EU-CRMA-CRM", 34), ("EU-CRMA-SRM", 17)],
)
def test_list_sizes(lists: Graph, list_id: str, count: int) -> None:
    rows = [r for r in LISTS if r["list_id"] == list_id]
    assert len(rows) == count  # the CSV (SOURCES.md: counts 50, 60, 34, 17)
    members = set(lists.subjects(CMKG.onList, list_iri(list_id)))
    assert len(members) == count
    assert members == set(lists.objects(list_iri(list_id), SKOS.member))


def test_lists_name_their_jurisdictions(lists: Graph) -> None:
    assert lists.value(list_iri("US-2025"), DCTERMS.publisher) == country_iri("US")
    assert lists.value(list_iri("EU-CRMA-CRM"), DCTERMS.publisher) == country_iri("EU")
    added_2025 = {
        r["material"] for r in LISTS if r["list_id"] == "US-2025" and r["note"] == "added in 2025"
    }
    assert len(added_2025) == 10
    on_2022 = set(lists.subjects(CMKG.onList, list_iri("US-2022")))
    assert mineral_iri("copper") not in on_2022
    assert (mineral_iri("copper"), CMKG.onList, list_iri("US-2025")) in lists
    assert (mineral_iri("heavy-rare-earths"), CMKG.onList, list_iri("EU-CRMA-CRM")) in lists


# --------------------------------------------------------------------------------- datasets


@pytest.mark.parametrize(
    "release", ["usgs-mcs-2026", "usgs-mcs-2026-shares", "iea-reported", "critical-mineral-lists"]
)
def test_datasets_are_described(graphs: dict[URIRef, Graph], release: str) -> None:
    graph = next(g for g in graphs.values() if (dataset_iri(release), None, None) in g)
    iri = dataset_iri(release)
    assert (iri, RDF.type, CMKG.ReferenceDataset) in graph
    assert (iri, RDF.type, QB.DataSet) in graph
    for prop in (DCTERMS.title, DCTERMS.publisher, DCTERMS.source, DCTERMS.license, DCTERMS.issued):
        assert graph.value(iri, prop) is not None, (release, prop)


def test_usgs_dataset_sources_are_the_pdfs(usgs: Graph) -> None:
    sources = set(usgs.objects(dataset_iri("usgs-mcs-2026"), DCTERMS.source))
    assert sources == {URIRef(r["source_pdf"]) for r in USGS}


# ------------------------------------------------------------------------ README's queries


def _readme_queries() -> list[str]:
    text = files("cmkg.ontology").joinpath("README.md").read_text(encoding="utf-8")
    return re.findall(r"```sparql\n(.*?)```", text, flags=re.DOTALL)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """All named graphs in an in-memory Oxigraph store (a real SPARQL 1.1 engine)."""
    store = ox.Store()
    for iri, graph in [*ontology_graphs().items(), *reference_graphs().items()]:
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(iri)))
    return store


def test_readme_has_three_queries() -> None:
    assert len(_readme_queries()) >= 3


@pytest.mark.parametrize("index", range(3))
def test_readme_queries_answer(store: ox.Store, index: int) -> None:
    rows = list(store.query(_readme_queries()[index], use_default_graph_as_union=True))
    assert rows, f"README query {index + 1} returned nothing"
    if index == 0:  # China's rare-earth mining share 2024, as the README says
        (row,) = rows
        assert abs(Decimal(row["share"].value) - Decimal("0.711")) < Decimal("0.0005")
        assert row["unit"].value == str(UNIT.FRACTION)
    if index == 1:  # DRC first, named in Japanese
        assert rows[0]["country"].value == str(country_iri("CD"))
