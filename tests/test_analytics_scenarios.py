"""Disruption scenarios on a hand-made network.

Rare earths: mining CN 0.5, AU 0.3, US 0.2; processing CN 0.8, MY 0.1, US 0.1. JP has an
agreement with the US on rare earths; DE has one with FR on gallium only; RU is exempt."""

from __future__ import annotations

import pytest

from cmkg.graph.analytics import (
    add_agreement,
    add_country,
    add_supply,
    disruption,
    new_network,
)
from cmkg.graph.errors import InputError, NotFound


@pytest.fixture
def G():
    G = new_network()
    for stage, shares in {
        "mining": {"CN": 0.5, "AU": 0.3, "US": 0.2},
        "processing": {"CN": 0.8, "MY": 0.1, "US": 0.1},
    }.items():
        for c, s in shares.items():
            add_supply(G, c, "rare-earths", stage, share=s, year=2024, source="urn:ds")
    add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
    add_agreement(G, ["JP", "US"], ["rare-earths"], key="jp-us")
    add_agreement(G, ["DE", "FR"], ["gallium"], key="de-fr")
    add_country(G, "RU")
    return G


def test_embargo_on_mining_with_and_without_partners(G) -> None:
    d = disruption(G, "CN", ["rare-earths"], "mining", 1.0, exempt=["RU"])
    [r] = d.results
    mining, processing = r.stages
    # mining: every consumer loses CN's whole share, 0.5
    assert mining.world_loss == pytest.approx(0.5) and mining.supplier_share == 0.5
    jp = mining.country("JP")
    assert jp.shortfall_without_partners == pytest.approx(0.5)
    assert jp.partner_cover == pytest.approx(0.2)  # the US mines 0.2
    assert jp.shortfall == pytest.approx(0.3) and jp.partners == ("US",)
    assert mining.country("DE").shortfall == pytest.approx(0.5)  # gallium deal: no cover
    assert mining.country("RU") is None and mining.country("CN") is None
    # processing: only plants outside CN (1 - 0.8) lose their CN ore: 0.5 x 0.2 = 0.1
    assert processing.world_loss == pytest.approx(0.1)
    assert processing.country("JP").shortfall == pytest.approx(0.0)  # US processes 0.1
    assert processing.country("DE").shortfall == pytest.approx(0.1)
    assert mining.exposed[0].shortfall >= mining.exposed[-1].shortfall


def test_partners_not_counted_and_partial_cut(G) -> None:
    d = disruption(G, "CN", ["rare-earths"], "processing", 0.25, count_agreement_partners=False)
    [stage] = d.results[0].stages
    jp = stage.country("JP")
    # 0.25 x 0.8 = 0.2; partners not counted in the headline, still reported
    assert jp.shortfall == pytest.approx(0.2) == jp.shortfall_without_partners
    assert jp.partner_cover == pytest.approx(0.1)


def test_several_minerals_and_missing_stages(G) -> None:
    d = disruption(G, "CN", ["rare-earths", "gallium"], "mining", 1.0)
    _, gallium = d.results
    assert gallium.stages == () and "no supply figures for gallium at mining" in gallium.notes
    assert disruption(G, "CN", ["gallium"], "processing", 0.0).results[0].stages[0].world_loss == 0


def test_consumers_filter(G) -> None:
    every = disruption(G, "CN", ["rare-earths"], "processing", 1.0)
    # by default every country of the network but the supplier
    assert [e.country for e in every.results[0].stages[0].exposed] == [
        "AU", "DE", "FR", "MY", "RU", "US", "JP"
    ]  # fmt: skip
    some = disruption(
        G, "CN", ["rare-earths"], "processing", 1.0, consumers=["jp", "KR", "CN"], exempt=["KR"]
    )
    [stage] = some.results[0].stages
    # the supplier and the exempt are never listed; KR is no node of the network, still known
    assert [e.country for e in stage.exposed] == ["JP"]
    assert stage.country("JP") == every.results[0].stages[0].country("JP")
    assert some.consumers == ("JP", "KR") and every.consumers is None
    assert some.to_dict(G)["consumers"] == ["JP", "KR"]


@pytest.mark.parametrize("consumers", [["XX"], [], "JP"], ids=["unknown", "empty", "a string"])
def test_bad_consumers(G, consumers) -> None:
    with pytest.raises((InputError, NotFound), match=r"XX|consumers"):
        disruption(G, "CN", ["rare-earths"], "processing", 1.0, consumers=consumers)


@pytest.mark.parametrize(
    ("args", "error", "named"),
    [
        (("CN", ["rare-earths"], "mining", 1.5), InputError, "cut"),
        (("CN", ["rare-earths"], "mining", -0.1), InputError, "cut"),
        (("CN", ["rare-earths"], "reserves", 0.5), InputError, "stage"),
        (("CN", [], "mining", 0.5), InputError, "minerals"),
        (("XX", ["rare-earths"], "mining", 0.5), NotFound, "XX"),
        (("CN", ["mithril"], "mining", 0.5), NotFound, "mithril"),
    ],
)
def test_bad_arguments(G, args, error, named) -> None:
    with pytest.raises(error, match=named):
        disruption(G, *args)
