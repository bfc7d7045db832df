"""Exposure and profiles on a hand-made network."""

from __future__ import annotations

import pytest

from cmkg.graph.analytics import (
    add_agreement,
    add_export_control,
    add_investment,
    add_mineral,
    add_reserves,
    add_supply,
    country_profile,
    exposure,
    mineral_profile,
    new_network,
)


@pytest.fixture
def G():
    G = new_network()
    add_mineral(G, "rare-earths", broader="critical-minerals")
    add_mineral(G, "dysprosium", broader="rare-earths")
    for c, s in {"CN": 0.7, "US": 0.12, "AU": 0.08, "ZZ": 0.1}.items():
        add_supply(G, c, "rare-earths", "mining", share=s, year=2024, source="urn:usgs")
    add_supply(G, "JP", "rare-earths", "processing", share=0.05, year=2024, source="urn:iea")
    add_supply(G, "CN", "rare-earths", "processing", share=0.9, year=2024, source="urn:iea")
    add_supply(
        G, "CN", "dysprosium", "processing", share=0.99, year=2025, kind="claim",
        consistency="unchecked", source="urn:article",
        evidence=[{"quote": "China refines almost all dysprosium."}],
    )  # fmt: skip
    add_reserves(G, "CN", "rare-earths", volume=44e6, unit="TONNE", year=2025)
    add_reserves(G, "BR", "rare-earths", volume=21e6, unit="TONNE", year=2025)
    add_agreement(G, ["JP", "US"], ["critical-minerals"], key="jp-us")
    add_agreement(G, ["JP", "AU"], ["rare-earths"], key="jp-au")
    add_export_control(G, "CN", ["dysprosium"], measure="licensing", key="cn-dy")
    add_investment(G, "JP", "AU", ["rare-earths"], stage="mining", amount_usd=2e8, key="jp-au-i")
    return G


def test_exposure_outside_the_country_and_its_partners(G) -> None:
    e = exposure(G, "JP", "rare-earths")
    assert e["partners"] == ["AU", "US"]
    assert e["agreements"] == ["jp-au", "jp-us"]  # by date, then id
    mining, processing = e["stages"]["mining"], e["stages"]["processing"]
    # mining: JP 0, partners US 0.12 + AU 0.08 = 0.2, outside 0.8
    assert mining["partner_share"] == pytest.approx(0.2)
    assert mining["outside"] == pytest.approx(0.8)
    # processing: JP itself 0.05, partners none, outside 0.95
    assert processing["own"] == 0.05 and processing["outside"] == pytest.approx(0.95)


def test_country_profile(G) -> None:
    p = country_profile(G, "JP")
    assert [(x["mineral"], x["stage"], x["share"]) for x in p["production"]] == [
        ("rare-earths", "processing", 0.05)
    ]
    assert {a["id"] for a in p["agreements"]} == {"jp-us", "jp-au"}
    assert p["investments"][0]["host"] == "AU"
    assert [s["iri"] for s in p["sources"]] == ["urn:iea", "urn:usgs"]
    cn = country_profile(G, "CN")
    assert [x["id"] for x in cn["export_controls"]] == ["cn-dy"]
    assert cn["reserves"][0]["volume"] == 44e6


def test_mineral_profile(G) -> None:
    p = mineral_profile(G, "rare-earths")
    assert p["members"] == ["dysprosium"] and p["broader"] == ["critical-minerals"]
    mining = next(s for s in p["stages"] if s["stage"] == "mining")
    assert mining["concentration"]["hhi"] == pytest.approx(4900 + 144 + 64)
    assert mining["hhi_by_year"] == {2024: pytest.approx(5108.0)}
    assert [r["country"] for r in p["reserves"]] == ["CN", "BR"]
    assert [x["id"] for x in p["export_controls"]] == ["cn-dy"]  # a member's control
    [claim] = p["claims"]
    assert claim["mineral"] == "dysprosium" and claim["quote"].startswith("China refines")
    assert p["claims_by_consistency"] == {"unchecked": 1}
    assert {s["iri"] for s in p["sources"]} == {"urn:usgs", "urn:iea", "urn:article"}
