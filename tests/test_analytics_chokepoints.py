"""Chokepoints: betweenness, articulation points, minimum cuts, on a hand-made network.

Mining CN 0.6, AU 0.3, US 0.1; processing CN 0.7, MY 0.25 (the rest unrecorded)."""

from __future__ import annotations

import math

import pytest

from cmkg.graph.analytics import add_supply, chokepoints, new_network, supply_flow_graph
from cmkg.graph.errors import InputError


@pytest.fixture
def G():
    G = new_network()
    for stage, shares in {
        "mining": {"CN": 0.6, "AU": 0.3, "US": 0.1},
        "processing": {"CN": 0.7, "MY": 0.25},
    }.items():
        for c, s in shares.items():
            add_supply(G, c, "rare-earths", stage, share=s, year=2024)
    return G


def test_flow_graph_layers(G) -> None:
    F = supply_flow_graph(G, "rare-earths", consumer="JP")
    assert F.graph["stages"] == ("mining", "processing")
    # 1 source + 3 miners + 2 processors + the consumer
    assert F.number_of_nodes() == 7
    assert F.edges["mining:AU", "processing:MY"]["flow"] == pytest.approx(0.3 * 0.25)
    assert F.edges["source", "mining:CN"]["cost"] == pytest.approx(-math.log(0.6))


def test_min_cut_betweenness_and_no_articulation(G) -> None:
    c = chokepoints(G, "rare-earths", consumer="JP", min_share=0.0)
    # layer capacities: mining 1.0, processing 0.95: the cut is the processors
    assert c.min_cut_value == pytest.approx(0.95)
    assert c.min_cut == (("CN", "processing"), ("MY", "processing"))
    # fewest suppliers to lose: the two processors (three miners)
    assert c.min_node_cut == (("CN", "processing"), ("MY", "processing"))
    points = {(p.country, p.stage): p for p in c.chokepoints}
    assert not any(p.articulation for p in points.values())
    # Shortest (most likely) routes enter CN at every layer. Pairs through processing:CN:
    # (source, sink) and (each of the 3 miners, sink) = 4; through mining:CN: (source, each
    # of 2 processors) and (source, sink) = 3; normalised by (n-1)(n-2) = 6 x 5 = 30.
    assert points["CN", "processing"].betweenness == pytest.approx(4 / 30)
    assert points["CN", "mining"].betweenness == pytest.approx(3 / 30)
    assert points["MY", "processing"].betweenness == 0.0
    assert points["CN", "processing"].stranded == 0.7
    assert c.stranded_paths == ()


def test_small_suppliers_are_no_alternative(G) -> None:
    c = chokepoints(G, "rare-earths", consumer="JP", min_share=0.3)
    # left: mining CN 0.6, AU 0.3; processing CN 0.7 alone
    first = c.chokepoints[0]
    assert (first.country, first.stage, first.articulation) == ("CN", "processing", True)
    assert c.min_node_cut == (("CN", "processing"),)
    assert c.min_cut == (("CN", "processing"),) and c.min_cut_value == pytest.approx(0.7)
    # the paths that lose every alternative: all paths through CN processing
    assert [(p["share"], [h["supplier"] for h in p["hops"]]) for p in c.stranded_paths] == [
        (pytest.approx(0.42), ["CN", "CN"]),
        (pytest.approx(0.21), ["CN", "AU"]),
    ]


def test_bad_min_share(G) -> None:
    with pytest.raises(InputError, match="min_share"):
        chokepoints(G, "rare-earths", min_share=1.0)
    assert chokepoints(G, "gallium").chokepoints == ()
