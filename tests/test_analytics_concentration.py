"""HHI and concentration tables on hand-made shares."""

from __future__ import annotations

import pytest

from cmkg.graph.analytics import (
    add_mineral,
    add_supply,
    concentration,
    concentration_table,
    hhi,
    new_network,
    normalized_hhi,
)
from cmkg.graph.errors import InputError, NotFound


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ({"CN": 1.0}, 10_000.0),
        ({"CN": 0.6, "AU": 0.3, "US": 0.1}, 3_600 + 900 + 100),
        ({"CN": 0.5, "ZZ": 0.5}, 2_500.0),  # "other countries" is not a country
        ({"CN": 0.5, "US": None, "AU": 0.0}, 2_500.0),  # withheld and zero shares add nothing
        ({"A": 0.25, "B": 0.25, "C": 0.25, "D": 0.25}, 4 * 625.0),
        ({}, 0.0),
        # shares summing past one are renormalised: 50%, 25%, 25%
        ({"CN": 1.0, "RU": 0.5, "JP": 0.5}, 2_500 + 625 + 625),
        ({"CN": 1.0, "ZZ": 1.0}, 2_500.0),  # the aggregate counts in the sum
    ],
)
def test_hhi_by_hand(shares, expected) -> None:
    assert hhi(shares) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        # H = 0.46 on the 0-1 scale, N = 3: (0.46 - 1/3) / (1 - 1/3) = 0.19
        ({"CN": 0.6, "AU": 0.3, "US": 0.1}, 0.19),
        ({"A": 0.25, "B": 0.25, "C": 0.25, "D": 0.25}, 0.0),
        ({"CN": 0.8}, 1.0),
        ({}, 0.0),
    ],
)
def test_normalized_hhi_by_hand(shares, expected) -> None:
    assert normalized_hhi(shares) == pytest.approx(expected)


def network():
    G = new_network()
    add_mineral(G, "dysprosium", broader="rare-earths")
    add_mineral(G, "rare-earths", broader="critical-minerals")
    # production 2024 of dataset A: CN 0.7, US 0.2, ZZ 0.1
    for c, s in {"CN": 0.7, "US": 0.2, "ZZ": 0.1}.items():
        add_supply(G, c, "rare-earths", "mining", share=s, year=2024, measure="production",
                   source="urn:a")  # fmt: skip
    # reported shares for 2024 in dataset B: not mixed in
    add_supply(G, "CN", "rare-earths", "mining", share=0.9, year=2024, source="urn:b")
    # production 2023 of dataset A: CN 0.5, US 0.5
    for c, s in {"CN": 0.5, "US": 0.5}.items():
        add_supply(G, c, "rare-earths", "mining", share=s, year=2023, measure="production",
                   source="urn:a")  # fmt: skip
    # a claim is never part of the statistics
    add_supply(G, "CN", "rare-earths", "mining", share=0.99, year=2025, kind="claim")
    add_supply(G, "CD", "cobalt", "mining", share=0.75, year=2024, measure="production")
    add_supply(G, "ID", "cobalt", "mining", share=0.05, year=2024, measure="production")
    return G


def test_concentration_reads_one_dataset_and_year() -> None:
    G = network()
    c = concentration(G, "rare-earths", "mining")  # latest year with statistics: 2024
    assert (c.year, c.measure, c.source) == (2024, "production", "urn:a")
    assert c.hhi == pytest.approx(4_900 + 400)  # CN 70%, US 20%; ZZ apart
    assert c.other_share == pytest.approx(0.1) and c.suppliers == 2
    assert [f.country for f in c.top] == ["CN", "US"]
    old = concentration(G, "rare-earths", "mining", year=2023)
    assert old.hhi == pytest.approx(2 * 2_500) and old.normalized_hhi == pytest.approx(0.0)
    none = concentration(G, "rare-earths", "mining", year=2020)
    assert none.figures == () and "no statistics" in none.note


def test_concentration_falls_back_to_the_group_and_can_use_claims() -> None:
    G = network()
    c = concentration(G, "dysprosium", "mining")
    assert c.hhi == pytest.approx(5_300) and "group rare earths" in c.note
    with_claims = concentration(G, "rare-earths", "mining", include_claims=True)
    # each supplier's latest figure: CN the 2025 claim (0.99), US 0.2, ZZ 0.1: 1.29 in all,
    # figures of several sources that are no one market: renormalised to their sum
    assert with_claims.hhi == pytest.approx(sum((100 * v / 1.29) ** 2 for v in (0.99, 0.2)))
    assert with_claims.hhi <= 10_000 and "sum to 129.0%" in with_claims.note
    cn = next(f for f in with_claims.top if f.country == "CN")
    assert cn.renormalised and cn.share == pytest.approx(0.99 / 1.29)
    assert with_claims.other_share == pytest.approx(0.1 / 1.29)


def test_concentration_table_sorts_by_hhi() -> None:
    rows = concentration_table(network())
    assert [(r.mineral, round(r.hhi)) for r in rows] == [("cobalt", 5650), ("rare-earths", 5300)]


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="stage"):
        concentration(network(), "cobalt", "reserves")
    with pytest.raises(NotFound, match="mithril"):
        concentration(network(), "mithril", "mining")
