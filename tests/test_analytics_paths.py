"""Dependency paths and the figure rules behind them, on small hand-made networks."""

from __future__ import annotations

import itertools

import pytest

from cmkg.graph.analytics import (
    add_agreement,
    add_export_control,
    add_mineral,
    add_supply,
    dependency_paths,
    new_network,
    stage_supply,
)
from cmkg.graph.analytics.paths import k_best_products
from cmkg.graph.errors import InputError, NotFound


def three_stage_network():
    """Magnets: mining CN 0.6, AU 0.3, US 0.1; processing CN 0.8, MY 0.2;
    manufacturing CN 0.9, JP 0.1. JP and US have a framework on critical minerals."""
    G = new_network()
    add_mineral(G, "rare-earths", broader="critical-minerals")
    for stage, shares in {
        "mining": {"CN": 0.6, "AU": 0.3, "US": 0.1},
        "processing": {"CN": 0.8, "MY": 0.2},
        "manufacturing": {"CN": 0.9, "JP": 0.1},
    }.items():
        for country, share in shares.items():
            add_supply(G, country, "rare-earths", stage, share=share, year=2024, source="urn:ds")
    add_agreement(G, ["US", "JP"], ["critical-minerals"], date="2025-10-28", key="us-jp")
    add_agreement(G, ["MY", "AU"], ["rare-earths"], key="my-au")
    add_agreement(G, ["MY", "AU"], ["gallium"], key="my-au-gallium")
    add_export_control(G, "CN", ["rare-earths"], measure="licensing", key="cn-ree")
    add_export_control(G, "CN", ["rare-earths"], status="lifted", key="cn-old")
    return G


def test_paths_rank_by_product_of_shares() -> None:
    G = three_stage_network()
    d = dependency_paths(G, "DE", "rare-earths", limit=100)
    assert d.stages == ("manufacturing", "processing", "mining")
    # all 2 x 2 x 3 = 12 chains, each weighted by the product; they sum to 1
    assert d.paths_total == 12 and len(d.paths) == 12
    assert sum(p.share for p in d.paths) == pytest.approx(1.0)
    # best: CN x CN x CN = 0.9 * 0.8 * 0.6 = 0.432; second: CN, CN, AU = 0.9 * 0.8 * 0.3 = 0.216
    assert d.paths[0].suppliers == ("CN", "CN", "CN")
    assert d.paths[0].share == pytest.approx(0.432)
    assert d.paths[1].suppliers == ("CN", "CN", "AU")
    assert d.paths[1].share == pytest.approx(0.216)
    # the exhaustive ranking, by brute force
    weights = {"mining": {"CN": 0.6, "AU": 0.3, "US": 0.1}, "processing": {"CN": 0.8, "MY": 0.2}}
    weights["manufacturing"] = {"CN": 0.9, "JP": 0.1}
    brute = sorted(
        (
            weights["manufacturing"][a] * weights["processing"][b] * weights["mining"][c]
            for a, b, c in itertools.product(
                weights["manufacturing"], weights["processing"], weights["mining"]
            )
        ),
        reverse=True,
    )
    assert [p.share for p in d.paths] == pytest.approx(brute)


def test_hops_carry_agreements_between_their_countries_and_controls_in_force() -> None:
    G = three_stage_network()
    d = dependency_paths(G, "JP", "rare-earths", limit=100)
    path = next(p for p in d.paths if p.suppliers == ("CN", "MY", "AU"))
    manufacturing, processing, mining = path.hops
    assert (manufacturing.consumer, processing.consumer, mining.consumer) == ("JP", "CN", "MY")
    assert [x["id"] for x in manufacturing.export_controls] == ["cn-ree"]  # not the lifted one
    # the MY-AU hop is covered by the rare-earths agreement, not by the gallium one
    assert [a["id"] for a in mining.agreements] == ["my-au"]
    assert processing.agreements == ()
    # the consumer's own agreements (critical minerals covers rare earths), with the partner's
    # world share at each stage
    [a] = d.agreements
    assert a["id"] == "us-jp" and a["partners"] == ("US",)
    assert a["partner_shares"] == {"manufacturing": {}, "processing": {}, "mining": {"US": 0.1}}
    domestic = next(p for p in d.paths if p.suppliers[0] == "JP")
    assert domestic.hops[0].domestic


@pytest.mark.parametrize(
    ("options", "max_hops", "stage", "expected_stages"),
    [
        ({}, 1, None, ("manufacturing",)),
        ({}, 2, None, ("manufacturing", "processing")),
        ({}, 6, None, ("manufacturing", "processing", "mining")),
        ({}, 4, "processing", ("processing", "mining")),
        ({}, 4, "mining", ("mining",)),
    ],
)
def test_stage_and_max_hops_cut_the_chain(options, max_hops, stage, expected_stages) -> None:
    d = dependency_paths(three_stage_network(), "JP", "rare-earths", max_hops=max_hops, stage=stage)
    assert d.stages == expected_stages
    assert all(len(p.hops) == len(expected_stages) for p in d.paths)


def test_supplier_keeps_paths_through_it_at_any_stage() -> None:
    G = three_stage_network()
    d = dependency_paths(G, "JP", "rare-earths", supplier="AU", limit=100)
    # AU mines 0.3: 2 x 2 = 4 chains through it, the best CN, CN, AU = 0.216
    assert len(d.paths) == 4 and all("AU" in p.suppliers for p in d.paths)
    assert d.paths[0].share == pytest.approx(0.9 * 0.8 * 0.3)
    none = dependency_paths(G, "JP", "rare-earths", supplier="FR")
    assert none.paths == () and any("none of the stages" in n for n in none.notes)


@pytest.mark.parametrize(
    ("kwargs", "error", "named"),
    [
        ({"country": "XX"}, NotFound, "'XX'"),
        ({"mineral": "mithril"}, NotFound, "'mithril'"),
        ({"supplier": "QQ"}, NotFound, "'QQ'"),
        ({"max_hops": 0}, InputError, "max_hops"),
        ({"max_hops": 7}, InputError, "max_hops"),
        ({"limit": 101}, InputError, "limit"),
        ({"stage": "reserves"}, InputError, "stage"),
    ],
)
def test_bad_arguments_raise_graph_errors(kwargs, error, named) -> None:
    args = {"country": "JP", "mineral": "rare-earths", **kwargs}
    country, mineral = args.pop("country"), args.pop("mineral")
    with pytest.raises(error, match=named):
        dependency_paths(three_stage_network(), country, mineral, **args)


def test_k_best_products_matches_brute_force() -> None:
    lists = [[0.5, 0.3, 0.2], [0.7, 0.2, 0.1], [0.6, 0.4]]
    products = sorted(
        (
            (a * b * c, (i, j, k))
            for (i, a), (j, b), (k, c) in itertools.product(*(enumerate(x) for x in lists))
        ),
        key=lambda t: -t[0],
    )
    best = k_best_products(lists, 5)
    got = [lists[0][i] * lists[1][j] * lists[2][k] for i, j, k in best]
    assert got == pytest.approx([p for p, _ in products[:5]])
    assert len(set(best)) == 5


def test_figure_rules_claims_years_and_withheld() -> None:
    G = new_network()
    # reference 0.87 (2019) vs claim 0.9 (2025, consistent): the newer claim stands
    add_supply(G, "CN", "graphite", "processing", share=0.87, year=2019, key="ref")
    add_supply(G, "CN", "graphite", "processing", share=0.9, year=2025, kind="claim", key="c1")
    # a newer claim that the statistics contradict never stands
    add_supply(
        G, "CN", "graphite", "processing", share=0.4, year=2026, kind="claim",
        consistency="contradicted", key="c2",
    )  # fmt: skip
    # at equal year the statistics win over a claim
    add_supply(G, "US", "graphite", "processing", share=0.05, year=2024, key="us-ref")
    add_supply(G, "US", "graphite", "processing", share=0.2, year=2024, kind="claim", key="us-c")
    # the latest statistic withheld: no figure, even with an older one
    add_supply(G, "KR", "graphite", "processing", share=0.04, year=2024, key="kr-24")
    add_supply(G, "KR", "graphite", "processing", share=None, year=2025, status="withheld")
    # at equal year, production beats a reported share
    add_supply(G, "JP", "graphite", "processing", share=0.02, year=2024, measure="share")
    add_supply(
        G, "JP", "graphite", "processing", share=0.03, year=2024, measure="production", key="jp-p"
    )
    s = stage_supply(G, "graphite", "processing")
    assert (s.figures["CN"].key, s.figures["CN"].superseded[0].key) == ("c1", "ref")
    assert [c.key for c in s.claims["CN"]] == ["c2", "c1"]  # all claims stay as evidence
    assert s.figures["US"].key == "us-ref"
    assert "KR" not in s.figures and [f.status for f in s.withheld] == ["withheld"]
    assert s.figures["JP"].key == "jp-p"
    # "as of" 2024: the 2025 claim and the 2026 one are not yet known
    assert stage_supply(G, "graphite", "processing", year=2024).figures["CN"].key == "ref"


def test_groups_roll_down_to_members_and_members_up_to_groups() -> None:
    G = new_network()
    add_mineral(G, "rare-earths", broader="critical-minerals")
    for m in ("dysprosium", "terbium"):
        add_mineral(G, m, broader="rare-earths")
    add_supply(G, "CN", "dysprosium", "processing", share=0.99, year=2025, kind="claim")
    add_supply(G, "CN", "terbium", "processing", share=0.95, year=2025, kind="claim")
    add_supply(G, "MM", "terbium", "processing", share=0.03, year=2025, kind="claim")
    add_supply(G, "CN", "rare-earths", "mining", share=0.7, year=2025)
    add_supply(G, "CN", "critical-minerals", "manufacturing", share=0.8, year=2025)
    # the group has no processing figures: the largest member share per country
    down = stage_supply(G, "rare-earths", "processing")
    assert down.basis == "members" and down.from_minerals == ("dysprosium", "terbium")
    assert down.figures["CN"].share == 0.99 and down.figures["MM"].share == 0.03
    # a member without mining figures takes its group's, and says so
    up = stage_supply(G, "terbium", "mining")
    assert up.basis == "group" and up.figures["CN"].share == 0.7 and "rare earths" in up.note
    # never the root: "critical minerals" is too broad for statistics
    assert stage_supply(G, "terbium", "manufacturing").figures == {}
    d = dependency_paths(G, "JP", "terbium")
    assert d.stages == ("processing", "mining")
    assert any("group rare earths" in n for n in d.notes)


def test_lower_bounds_tighten_the_figure() -> None:
    G = new_network()
    add_supply(G, "CN", "rare-earths", "processing", share=0.87, year=2019, key="iea-2019")
    add_supply(
        G, "CN", "rare-earths", "processing", share=0.8, comparator=">", year=2025,
        kind="claim", consistency="consistent", key="more-than-80",
    )  # fmt: skip
    # undated: not known to be older than the 2025 claim
    add_supply(
        G, "CN", "rare-earths", "processing", share=0.9, comparator=">", kind="claim",
        consistency="consistent", key="more-than-90",
    )  # fmt: skip
    # an older bound does not tighten a newer figure; a contradicted one never does
    add_supply(
        G, "CN", "rare-earths", "processing", share=0.95, comparator=">", year=2020,
        kind="claim", key="old-bound",
    )  # fmt: skip
    add_supply(
        G, "CN", "rare-earths", "processing", share=0.97, comparator=">", year=2025,
        kind="claim", consistency="contradicted", key="contradicted-bound",
    )  # fmt: skip
    f = stage_supply(G, "rare-earths", "processing").figures["CN"]
    # step 4 picks "> 0.8" (2025, newer than 2019); "> 0.9" raises it
    assert (f.key, f.share, f.comparator) == ("more-than-90", 0.9, ">")
    assert [x.key for x in f.superseded] == ["more-than-80", "iea-2019"]
    # a point figure above the bound is not lowered
    add_supply(G, "CN", "rare-earths", "processing", share=0.99, year=2026, kind="claim")
    assert stage_supply(G, "rare-earths", "processing").figures["CN"].share == 0.99
