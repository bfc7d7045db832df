"""Chokepoints: betweenness, articulation points, minimum cuts, on hand-made networks.

Mining CN 0.6, AU 0.3, US 0.1; processing CN 0.7, MY 0.25 (the other 5% unnamed)."""

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
    # 1 source + 3 miners + 2 processors + the unnamed 5% of processing + the consumer
    assert F.number_of_nodes() == 8
    assert F.edges["mining:AU", "processing:MY"]["flow"] == pytest.approx(0.3 * 0.25)
    assert F.edges["source", "mining:CN"]["cost"] == pytest.approx(-math.log(0.6))
    others = F.nodes["processing:ZZ"]
    assert others["aggregate"] and others["share"] == pytest.approx(0.05)
    assert F.graph["coverage"] == {"mining": pytest.approx(1.0), "processing": pytest.approx(0.95)}
    assert "mining:ZZ" not in F  # the miners add up to the world


def test_min_cut_betweenness_and_no_articulation(G) -> None:
    # at 10% the unnamed 5% of processing is no alternative; all three miners are
    c = chokepoints(G, "rare-earths", consumer="JP", min_share=0.1)
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


def test_the_unnamed_rest_is_an_alternative_and_no_chokepoint(G) -> None:
    c = chokepoints(G, "rare-earths", consumer="JP", min_share=0.01)
    # every layer now holds the whole world: the cut is 1.0 either way
    assert c.min_cut_value == pytest.approx(1.0)
    assert ("ZZ", "processing") not in {(p.country, p.stage) for p in c.chokepoints}
    assert c.coverage == {"mining": pytest.approx(1.0), "processing": pytest.approx(0.95)}
    assert any("name 95.0%" in n and "other 5.0%" in n for n in c.notes)


def test_small_suppliers_are_no_alternative(G) -> None:
    c = chokepoints(G, "rare-earths", consumer="JP", min_share=0.3)
    # left: mining CN 0.6, AU 0.3; processing CN 0.7 alone (MY 25%, the unnamed 5%: too small)
    first = c.chokepoints[0]
    assert (first.country, first.stage, first.articulation) == ("CN", "processing", True)
    assert c.min_node_cut == (("CN", "processing"),)
    assert c.min_cut == (("CN", "processing"),) and c.min_cut_value == pytest.approx(0.7)
    # the paths that lose every alternative: all paths through CN processing
    assert [(p["share"], [h["supplier"] for h in p["hops"]]) for p in c.stranded_paths] == [
        (pytest.approx(0.42), ["CN", "CN"]),
        (pytest.approx(0.21), ["CN", "AU"]),
    ]


@pytest.mark.parametrize(
    ("share", "comparator", "articulation"),
    [
        (0.235, "=", False),  # an IEA row naming Chile only: 76.5% of mining is unnamed
        (0.99, "=", False),  # the other 1% reaches min_share
        (0.995, "=", True),  # the other 0.5% does not
        (0.99, ">", True),  # "more than 99%": the others hold less than 1%
        (1.0, "=", True),  # the one supplier of the world
    ],
)
def test_a_stage_with_one_named_supplier(share, comparator, articulation) -> None:
    G = new_network()
    add_supply(G, "CL", "copper", "mining", share=share, comparator=comparator, year=2024)
    for c, s in {"CN": 0.45, "CL": 0.1, "JP": 0.05}.items():
        add_supply(G, c, "copper", "processing", share=s, year=2024)
    c = chokepoints(G, "copper", min_share=0.01)
    points = {(p.country, p.stage): p for p in c.chokepoints}
    assert points["CL", "mining"].articulation is articulation
    assert points["CL", "mining"].stranded == share
    assert c.coverage["mining"] == pytest.approx(share)
    assert ("ZZ", "mining") in c.min_node_cut or articulation
    assert all(p.country != "ZZ" for p in c.chokepoints)


def test_the_statistics_other_countries_take_the_unnamed_rest() -> None:
    G = new_network()
    for c, s in {"CN": 0.6, "AU": 0.2, "ZZ": 0.1}.items():
        add_supply(G, c, "cobalt", "mining", share=s, year=2024)
    F = supply_flow_graph(G, "cobalt", min_share=0.01)
    # one "other countries" node: the statistics' 10% and the unnamed 10%
    assert F.nodes["mining:ZZ"]["share"] == pytest.approx(0.2)
    assert F.nodes["mining:ZZ"]["unnamed_share"] == pytest.approx(0.1)
    assert F.nodes["mining:ZZ"]["figure"].share == 0.1
    c = chokepoints(G, "cobalt", min_share=0.01)
    assert [(p.country, p.articulation) for p in c.chokepoints] == [("CN", False), ("AU", False)]


def test_bad_min_share(G) -> None:
    with pytest.raises(InputError, match="min_share"):
        chokepoints(G, "rare-earths", min_share=1.0)
    assert chokepoints(G, "gallium").chokepoints == ()
