"""Share claims against reference statistics: the choice of reference row and the verdict rule.

The reference is hand-made (tests/data/mapping/reference-shares.ttl) so that every answer is
known in advance; the rule itself is documented in cmkg.graph.consistency.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from cmkg.graph.consistency import (
    DEFAULT_TOLERANCE,
    ReferenceIndex,
    ReferenceShare,
    judge_share,
)
from cmkg.graph.facts import ArticleFacts, ShareFact
from cmkg.graph.mapping import fact_iri, facts_to_rdf
from cmkg.graph.namespaces import (
    CMKG,
    XSD,
    consistency_iri,
    country_iri,
    mineral_iri,
    reference_graph_iri,
    stage_iri,
)
from cmkg.graph.reference import reference_graphs
from cmkg.graph.store import MemoryStore

DATA = Path(__file__).parent / "data"
REFERENCE = DATA / "mapping" / "reference-shares.ttl"
OBS = "https://example.org/reference/"


@pytest.fixture(scope="module")
def reference_graph() -> Graph:
    return Graph().parse(REFERENCE)


@pytest.fixture(scope="module")
def index(reference_graph: Graph) -> ReferenceIndex:
    return ReferenceIndex.from_graph(reference_graph)


# ------------------------------------------------------------------ the verdict rule


@pytest.mark.parametrize(
    ("value", "comparator", "reference", "reference_comparator", "verdict"),
    [
        # "=" and "~": |r - v| <= 0.05
        ("0.9", "=", "0.85", "=", "consistent"),  # exactly on the edge
        ("0.9", "=", "0.95", "=", "consistent"),
        ("0.9", "=", "0.84", "=", "contradicted"),
        ("0.9", "=", "0.96", "=", "contradicted"),
        ("0.67", "~", "0.7", "=", "consistent"),
        ("0.67", "~", "0.6", "=", "contradicted"),
        # ">" and ">=": r >= v - 0.05
        ("0.9", ">", "0.87", "=", "consistent"),
        ("0.9", ">", "1.0", "=", "consistent"),
        ("0.9", ">", "0.84", "=", "contradicted"),
        ("0.5", ">=", "0.45", "=", "consistent"),
        ("0.5", ">=", "0.44", "=", "contradicted"),
        # "<" and "<=": r <= v + 0.05
        ("0.1", "<", "0.15", "=", "consistent"),
        ("0.1", "<", "0.0", "=", "consistent"),
        ("0.1", "<", "0.16", "=", "contradicted"),
        ("0.3", "<=", "0.36", "=", "contradicted"),
        # a reference that is itself a bound ("more than 75%")
        ("0.7", "=", "0.75", ">", "consistent"),  # [0.65, 0.75] meets [0.75, 1]
        ("0.6", "=", "0.75", ">", "contradicted"),
        ("0.95", "=", "0.75", ">", "consistent"),
        ("0.2", "<", "0.75", ">", "contradicted"),
        ("0.9", "=", "0.5", "<", "contradicted"),
        ("0.5", ">", "0.5", "<", "consistent"),
    ],
)
def test_verdict_rule(
    value: str, comparator: str, reference: str, reference_comparator: str, verdict: str
) -> None:
    got = judge_share(
        Decimal(value),
        comparator,
        Decimal(reference),
        reference_comparator=reference_comparator,
    )
    assert got == verdict
    # floats give the same verdicts (no binary rounding at the edges)
    assert (
        judge_share(
            float(value), comparator, float(reference), reference_comparator=reference_comparator
        )
        == verdict
    )


def test_tolerance_is_a_parameter() -> None:
    assert Decimal("0.05") == DEFAULT_TOLERANCE
    assert judge_share(0.9, "=", 0.8) == "contradicted"
    assert judge_share(0.9, "=", 0.8, tolerance=0.1) == "consistent"
    assert judge_share(0.9, "=", 0.9, tolerance=0) == "consistent"


# ------------------------------------------------------------------ which reference row


def test_index_holds_only_reference_shares(index: ReferenceIndex) -> None:
    rows = {share.observation for share in index}
    # 8 shares with a data set; the production figure and the article's claim are left out
    assert len(index) == 8
    assert f"{OBS}usgs-2025-CN-graphite-mining-production" not in rows
    assert "https://w3id.org/cmkg/id/fact/some-article/0" not in rows
    share = next(s for s in index if s.observation == f"{OBS}iea-2023-CN-cobalt-processing")
    assert share == ReferenceShare(
        observation=f"{OBS}iea-2023-CN-cobalt-processing",
        release="iea-reported",
        country=str(country_iri("CN")),
        mineral=str(mineral_iri("cobalt")),
        stage=str(stage_iri("processing")),
        year=2023,
        value=Decimal("0.75"),
        comparator=">",
    )


@pytest.mark.parametrize(
    ("country", "mineral", "stage", "year", "observation"),
    [
        # processing: IEA-reported first, although USGS has a later year
        ("CN", "rare-earths", "processing", None, "iea-2019-CN-rare-earths-processing"),
        ("CN", "rare-earths", "processing", 2025, "iea-2019-CN-rare-earths-processing"),
        # within a data set: the claim's year, else the latest
        ("CN", "cobalt", "processing", None, "iea-2023-CN-cobalt-processing"),
        ("CN", "cobalt", "processing", 2019, "iea-2019-CN-cobalt-processing"),
        ("CN", "cobalt", "processing", 2021, "iea-2023-CN-cobalt-processing"),
        # mining: USGS first, although IEA has the same year
        ("CN", "rare-earths", "mining", None, "usgs-2025-CN-rare-earths-mining"),
        ("CN", "rare-earths", "mining", 2024, "usgs-2024-CN-rare-earths-mining"),
        ("CL", "lithium", "reserves", None, "usgs-2025-CL-lithium-reserves"),
        # nothing to compare with
        ("CN", "rare-earths", "manufacturing", None, None),
        ("CN", "graphite", "mining", None, None),  # only a claim and a production figure
        ("AU", "lithium", "mining", None, None),
    ],
)
def test_lookup_picks_the_reference_row(
    index: ReferenceIndex,
    country: str,
    mineral: str,
    stage: str,
    year: int | None,
    observation: str | None,
) -> None:
    share = index.lookup(country, mineral, stage, year)
    if observation is None:
        assert share is None
    else:
        assert share is not None and share.observation == OBS + observation


# ------------------------------------------------------------------ checking claims


def test_seed_claim_more_than_90_percent_is_consistent_with_iea_87(index: ReferenceIndex) -> None:
    """'lebih dari 90 persen' (> 0.9) against IEA's 0.87 (2019): 0.87 >= 0.9 - 0.05."""
    claim = ShareFact(
        country="CN", mineral="rare-earths", stage="processing", value=0.9, comparator=">"
    )
    verdict = index.check(claim)
    assert verdict.consistency == "consistent"
    assert verdict.reference is not None
    assert verdict.reference.observation == f"{OBS}iea-2019-CN-rare-earths-processing"
    assert verdict.reference.value == Decimal("0.87")
    assert verdict.tolerance == Decimal("0.05")


def test_half_is_contradicted(index: ReferenceIndex) -> None:
    claim = ShareFact(country="CN", mineral="rare-earths", stage="processing", value=0.5)
    assert index.check(claim).consistency == "contradicted"


@pytest.mark.parametrize(
    ("comparator", "value", "verdict"),
    [
        ("=", 0.9, "consistent"),  # |0.87 - 0.9| = 0.03
        ("=", 0.8, "contradicted"),  # |0.87 - 0.8| = 0.07
        ("~", 0.85, "consistent"),
        ("~", 0.95, "contradicted"),  # 0.08
        (">", 0.95, "contradicted"),  # 0.87 < 0.90
        (">", 0.6, "consistent"),
        (">=", 0.92, "consistent"),  # 0.87 >= 0.87
        ("<", 0.8, "contradicted"),  # 0.87 > 0.85
        ("<", 0.95, "consistent"),
        ("<=", 0.82, "consistent"),  # 0.87 <= 0.87
    ],
)
def test_each_comparator_against_the_87_percent_row(
    index: ReferenceIndex, comparator: str, value: float, verdict: str
) -> None:
    claim = ShareFact(
        country="CN",
        mineral="rare-earths",
        stage="processing",
        value=value,
        comparator=comparator,
    )
    assert index.check(claim).consistency == verdict


def test_no_reference_is_unchecked(index: ReferenceIndex) -> None:
    claim = ShareFact(country="CN", mineral="rare-earths", stage="manufacturing", value=0.93)
    verdict = index.check(claim)
    assert (verdict.consistency, verdict.reference) == ("unchecked", None)
    assert len(ReferenceIndex([])) == 0
    assert ReferenceIndex([]).check(claim).consistency == "unchecked"


def test_a_dataset_with_named_graphs_gives_the_same_index(
    reference_graph: Graph, index: ReferenceIndex
) -> None:
    ds = Dataset()
    named = ds.graph(reference_graph_iri("iea-reported"))
    for t in reference_graph:
        named.add(t)
    assert list(ReferenceIndex.from_graph(ds)) == list(index)


def test_values_are_read_as_exact_decimals() -> None:
    g = Graph()
    obs = URIRef(f"{OBS}x")
    g.parse(
        data=f"""
        @prefix cmkg: <https://w3id.org/cmkg/ontology#> .
        @prefix qb: <http://purl.org/linked-data/cube#> .
        <{obs}> a cmkg:SupplyObservation ; qb:dataSet <https://example.org/other-dataset> ;
            cmkg:country <https://w3id.org/cmkg/id/country/ID> ;
            cmkg:mineral <https://w3id.org/cmkg/id/mineral/nickel> ;
            cmkg:stage <https://w3id.org/cmkg/id/stage/mining> ;
            cmkg:measure <https://w3id.org/cmkg/id/measure/share> ;
            cmkg:value "0.517"^^<http://www.w3.org/2001/XMLSchema#decimal> .
        """,
        format="turtle",
    )
    [share] = list(ReferenceIndex.from_graph(g))
    assert share.value == Decimal("0.517")
    assert share.release == "https://example.org/other-dataset"  # outside id:dataset/
    assert (share.year, share.comparator) == (None, "=")


# ------------------------------------------------------------------ verdicts in the mapped graph


def _gold(article_id: str) -> ArticleFacts:
    data = json.loads((DATA / "dev-set" / "gold" / f"{article_id}.json").read_text("utf-8"))
    return ArticleFacts.from_json(data)


@pytest.mark.parametrize(
    ("article_id", "n", "verdict", "observation", "reference_value"),
    [
        # "Chile tiene las mayores reservas mundiales de litio (41%)" vs 0.33: off by 0.08
        ("023", 0, "contradicted", "usgs-2025-CL-lithium-reserves", "0.33"),
        # "70% of refined cobalt" vs IEA "more than 75%" (2023): the intervals meet at 0.75
        ("041", 2, "consistent", "iea-2023-CN-cobalt-processing", "0.75"),
        # "over 80% of refined magnet rare earths" vs 0.87
        ("041", 1, "consistent", "iea-2019-CN-rare-earths-processing", "0.87"),
        # "93 Prozent an Magneten": manufacturing has no reference
        ("027", 1, "unchecked", None, None),
    ],
)
def test_mapped_claims_carry_their_verdict(
    index: ReferenceIndex,
    article_id: str,
    n: int,
    verdict: str,
    observation: str | None,
    reference_value: str | None,
) -> None:
    g = facts_to_rdf(_gold(article_id), extractor_version="0.1.0", reference=index)
    claim = fact_iri(article_id, n)
    assert g.value(claim, CMKG.consistency) == consistency_iri(verdict)
    if observation is None:
        assert g.value(claim, CMKG.checkedAgainst) is None
        assert g.value(claim, CMKG.tolerance) is None
    else:
        assert g.value(claim, CMKG.checkedAgainst) == URIRef(OBS + observation)
        ref_value = Literal(reference_value, datatype=XSD.decimal)
        assert g.value(claim, CMKG.referenceValue) == ref_value
        assert g.value(claim, CMKG.tolerance) == Literal("0.05", datatype=XSD.decimal)


def test_without_a_reference_claims_are_unchecked() -> None:
    g = facts_to_rdf(_gold("041"), extractor_version="0.1.0")
    verdicts = {g.value(fact_iri("041", n), CMKG.consistency) for n in range(4)}
    assert verdicts == {consistency_iri("unchecked")}


def test_other_releases_come_after_the_preferred_ones_by_name() -> None:
    def share(release: str, stage: str) -> ReferenceShare:
        return ReferenceShare(
            observation=f"{OBS}{release}-{stage}",
            release=release,
            country=str(country_iri("JP")),
            mineral=str(mineral_iri("gallium")),
            stage=str(stage_iri(stage)),
            year=2020,
            value=Decimal("0.1"),
        )

    index = ReferenceIndex(
        [share(r, s) for r in ("zz", "aa", "iea-reported") for s in ("recycling", "processing")]
    )
    assert index.lookup("JP", "gallium", "recycling").release == "aa"
    assert index.lookup("JP", "gallium", "processing").release == "iea-reported"


# ------------------------------------------------------------------ the real reference statistics


@pytest.fixture(scope="module")
def real_index() -> ReferenceIndex:
    return ReferenceIndex.from_graphs(reference_graphs().values())


def test_real_statistics_seed_claim(real_index: ReferenceIndex) -> None:
    """The seed's "lebih dari 90 persen" against the IEA's 87% (2019) in the reference data."""
    doc = json.loads((DATA / "dev-set" / "gold" / "us-japan-framework-id.json").read_text("utf-8"))
    claim = ArticleFacts.from_json(doc).facts[2]
    assert isinstance(claim, ShareFact)
    verdict = real_index.check(claim)
    assert verdict.consistency == "consistent"
    assert verdict.reference is not None
    assert (verdict.reference.release, verdict.reference.year) == ("iea-reported", 2019)
    assert verdict.reference.value == Decimal("0.87")


@pytest.mark.parametrize(
    ("country", "mineral", "stage", "release"),
    [
        ("CL", "lithium", "reserves", "usgs-mcs-2026-shares"),
        ("CD", "cobalt", "mining", "usgs-mcs-2026-shares"),
        ("CN", "graphite", "mining", "usgs-mcs-2026-shares"),
        ("CN", "cobalt", "processing", "iea-reported"),
    ],
)
def test_real_statistics_follow_the_stage_preference(
    real_index: ReferenceIndex, country: str, mineral: str, stage: str, release: str
) -> None:
    share = real_index.lookup(country, mineral, stage)
    assert share is not None and share.release == release
    assert Decimal(0) <= share.value <= Decimal(1)


# ------------------------------------------------------------------ from a store


def test_index_from_a_store_equals_the_index_from_the_graph(
    reference_graph: Graph, index: ReferenceIndex
) -> None:
    """The same shares through the store seam (one SELECT), with article claims alongside."""
    store = MemoryStore()
    store.replace_graph(str(reference_graph_iri("hand-made")), reference_graph)
    seed = json.loads((DATA / "dev-set" / "gold" / "041.json").read_text("utf-8"))
    article = facts_to_rdf(ArticleFacts.from_json(seed), extractor_version="0.1.0")
    store.replace_graph(str(article.identifier), article)  # four claims: never references
    from_store = ReferenceIndex.from_store(store)
    assert list(from_store) == list(index)
    assert all(isinstance(s.value, Decimal) for s in from_store)


def test_real_statistics_from_a_store(real_index: ReferenceIndex) -> None:
    store = MemoryStore()
    for iri, graph in reference_graphs().items():
        store.replace_graph(str(iri), graph)
    from_store = ReferenceIndex.from_store(store)
    assert list(from_store) == list(real_index)
