"""Agreements reported by several articles, merged into one record; the public API."""

from __future__ import annotations

import pytest

import cmkg.graph.analytics as analytics
from cmkg.graph.analytics import (
    add_agreement,
    add_source,
    agreements_covering,
    agreements_of,
    country_profile,
    new_network,
)

FRAMEWORK = {"kind": "framework", "date": "2025-10-28"}


def _reports(*reports: tuple[list[str], list[str], dict]) -> dict:
    G = new_network()
    for i, (parties, minerals, options) in enumerate(reports):
        add_agreement(
            G,
            parties,
            minerals,
            source=f"urn:article:{i}",
            evidence=[{"quote": f"report {i}"}],
            key=f"r{i}",
            **options,
        )
    return G.graph["agreements"]


@pytest.mark.parametrize(
    ("reports", "records"),
    [
        # one deal, one date, two articles (minerals as each names them)
        (
            [(["US", "JP"], ["rare-earths"], FRAMEWORK), (["JP", "US"], ["gallium"], FRAMEWORK)],
            [("r0", "r1")],
        ),
        # two dates: two agreements
        (
            [
                (["US", "JP"], ["rare-earths"], FRAMEWORK),
                (["US", "JP"], ["rare-earths"], {**FRAMEWORK, "date": "2026-01-05"}),
            ],
            [("r0",), ("r1",)],
        ),
        # an undated report of the same minerals joins the dated one, either way round
        (
            [
                (["US", "JP"], ["rare-earths"], FRAMEWORK),
                (["US", "JP"], ["critical-minerals", "rare-earths"], {"kind": "framework"}),
            ],
            [("r0", "r1")],
        ),
        (
            [
                (["US", "JP"], ["rare-earths"], {"kind": "framework"}),
                (["US", "JP"], ["rare-earths"], FRAMEWORK),
            ],
            [("r0", "r1")],
        ),
        # undated, no mineral in common: not known to be the same deal
        (
            [
                (["US", "JP"], ["rare-earths"], FRAMEWORK),
                (["US", "JP"], ["gallium"], {"kind": "framework"}),
            ],
            [("r0",), ("r1",)],
        ),
        # another kind, or other parties: another agreement
        (
            [
                (["US", "JP"], ["rare-earths"], FRAMEWORK),
                (["US", "JP"], ["rare-earths"], {**FRAMEWORK, "kind": "mou"}),
                (["US", "JP", "AU"], ["rare-earths"], FRAMEWORK),
            ],
            [("r0",), ("r1",), ("r2",)],
        ),
    ],
)
def test_reports_merge_into_agreements(reports, records) -> None:
    table = _reports(*reports)
    assert [a["reports"] for a in table.values()] == records


def test_a_merged_record_keeps_every_source_and_piece_of_evidence() -> None:
    table = _reports(
        (["US", "JP"], ["rare-earths"], FRAMEWORK),
        (["JP", "US"], ["critical-minerals"], FRAMEWORK),
        (["US", "JP"], ["rare-earths"], {"kind": "framework"}),
    )
    [record] = table.values()
    assert record["id"] == "r0" and record["date"] == "2025-10-28"
    assert record["sources"] == ("urn:article:0", "urn:article:1", "urn:article:2")
    assert [e["quote"] for e in record["evidence"]] == ["report 0", "report 1", "report 2"]
    assert record["minerals"] == ("rare-earths", "critical-minerals")


def test_an_undated_report_joins_the_deal_its_article_can_be_about() -> None:
    G = new_network()
    add_agreement(G, ["US", "JP"], ["rare-earths"], kind="framework", date="2025-03-01", key="a")
    add_agreement(G, ["US", "JP"], ["rare-earths"], kind="framework", date="2025-10-28", key="b")
    add_source(G, "urn:june", kind="article", published="2025-06-01")
    add_source(G, "urn:nov", kind="article", published="2025-11-03")
    # the latest deal signed before the article was published
    assert (
        add_agreement(G, ["US", "JP"], ["rare-earths"], kind="framework", source="urn:june") == "a"
    )
    assert (
        add_agreement(G, ["US", "JP"], ["rare-earths"], kind="framework", source="urn:nov") == "b"
    )
    # no publication date: the earliest
    assert add_agreement(G, ["US", "JP"], ["rare-earths"], kind="framework") == "a"
    assert len(G.graph["agreements"]) == 2
    # the edge between the parties carries the merged record
    edge = G.edges["country:JP", "country:US", "a"]
    assert edge["evidence"] == G.graph["agreements"]["a"]["evidence"]


def test_merge_false_keeps_each_report() -> None:
    G = new_network()
    for key in ("a", "b"):
        add_agreement(G, ["US", "JP"], ["rare-earths"], merge=False, key=key, **FRAMEWORK)
    assert sorted(G.graph["agreements"]) == ["a", "b"]


def test_counts_reflect_distinct_agreements() -> None:
    G = new_network()
    for i in range(3):
        add_agreement(G, ["US", "JP"], ["rare-earths"], key=f"r{i}", **FRAMEWORK)
    add_agreement(G, ["AU", "JP"], ["rare-earths"], key="au", **FRAMEWORK)
    assert [a["id"] for a in agreements_of(G, "JP")] == ["au", "r0"]
    assert [a["partners"] for a in agreements_covering(G, "rare-earths", country="JP")] == [
        ("AU",),
        ("US",),
    ]
    assert country_profile(G, "JP")["totals"]["agreements"] == 2


def test_the_public_api() -> None:
    assert {"country_label", "mineral_label", "disruption", "chokepoints", "hhi"} <= set(
        analytics.__all__
    )
    assert all(hasattr(analytics, name) for name in analytics.__all__)
    G = new_network()
    assert analytics.country_label(G, "JP") == "Japan"
    assert analytics.mineral_label(G, "rare-earths") == "rare earths"
