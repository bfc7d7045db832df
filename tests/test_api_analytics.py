"""The analytics routes, through the real app on a memory store holding the TriG fixture of
``test_analytics_projection.py`` (its figures are listed there)."""

from __future__ import annotations

import warnings

import pytest
from test_analytics_projection import QUOTE_IDN, fixture_store

with warnings.catch_warnings():
    # starlette >= 0.49 asks for httpx2 in its test client; httpx is what the project ships
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from cmkg.api.app import create_app
from cmkg.api.settings import Settings

US_JP = "https://w3id.org/cmkg/id/fact/idn/0"


def make_client() -> TestClient:
    """The real app with the fixture store on ``app.state`` (no lifespan: the test owns it)."""
    app = create_app(Settings(store="memory", preload=False))
    app.state.store = fixture_store()
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client():
    c = make_client()
    yield c
    c.app.state.store.close()


def test_jp_rare_earths_goes_through_chinese_processing(client) -> None:
    r = client.get("/paths/dependency", params={"country": "JP", "mineral": "rare-earths"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stages"] == ["processing", "mining"]
    top = body["paths"][0]
    hop = top["hops"][0]
    assert (hop["supplier"], hop["stage"], hop["consumer"]) == ("CN", "processing", "JP")
    assert hop["share"] >= 0.9 and hop["comparator"] == ">" and hop["kind"] == "claim"
    assert QUOTE_IDN in [e.get("quote") for e in hop["figure"]["evidence"]]
    assert hop["figure"]["superseded"][0]["share"] == pytest.approx(0.87)  # IEA 2019
    assert [x["measure"] for x in hop["export_controls"]] == ["tightening"]
    # CN mining 2025: 270,000 of 350,000 t; the path's share is the product
    assert top["share"] == pytest.approx(0.9 * 270_000 / 350_000)
    assert [a["id"] for a in body["agreements"]] == [US_JP]
    us_jp = body["agreements"][0]
    assert us_jp["partners"] == ["US"] and us_jp["kind"] == "framework"
    assert us_jp["partner_shares"]["mining"]["US"] == pytest.approx(51_000 / 350_000)
    sources = {s["iri"]: s for s in body["sources"]}
    assert sources["https://w3id.org/cmkg/id/article/idn"]["years"] == [2025]
    assert 2025 in sources["https://w3id.org/cmkg/id/dataset/usgs-mcs-2026"]["years"]


def test_us_gallium_shows_china_from_the_statistics(client) -> None:
    r = client.get("/paths/dependency", params={"country": "US", "mineral": "gallium"})
    assert r.status_code == 200, r.text
    hops = [p["hops"][0] for p in r.json()["paths"]]
    # 839,000 of 848,000 kg in 2024; the 2025 claim of 0.5 is contradicted and not used
    assert hops[0]["supplier"] == "CN" and hops[0]["share"] == pytest.approx(839 / 848)
    assert hops[0]["year"] == 2024 and hops[0]["kind"] == "reference"
    assert [x["measure"] for x in hops[0]["export_controls"]] == ["ban"]
    assert [h["supplier"] for h in hops] == ["CN", "RU", "JP"]  # US (0 kg) is no path


@pytest.mark.parametrize(
    ("params", "status", "named"),
    [
        ({"country": "XX", "mineral": "gallium"}, 404, "XX"),
        ({"country": "JP", "mineral": "kryptonite"}, 404, "kryptonite"),
        ({"country": "JP", "mineral": "gallium", "supplier": "QQ"}, 404, "QQ"),
        ({"country": "JP", "mineral": "gallium", "max_hops": 7}, 422, "max_hops"),
        ({"country": "JP", "mineral": "gallium", "max_hops": 0}, 422, "max_hops"),
        ({"country": "JP", "mineral": "gallium", "limit": 101}, 422, "limit"),
        ({"country": "JP", "mineral": "gallium", "stage": "smelting"}, 422, "stage"),
        ({"mineral": "gallium"}, 422, "country"),
    ],
)
def test_bad_parameters_get_clear_errors(client, params, status, named) -> None:
    r = client.get("/paths/dependency", params=params)
    assert r.status_code == status
    assert named in r.text
    assert r.headers["content-type"].startswith("application/json")


def test_mineral_profile_and_concentration(client) -> None:
    r = client.get("/minerals/rare-earths")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["members"] == ["dysprosium"] and body["broader"] == ["critical-minerals"]
    assert body["claims_by_consistency"] == {"consistent": 1, "unchecked": 1}
    stages = {s["stage"]: s for s in body["stages"]}
    assert stages["processing"]["top"][0]["country"] == "CN"
    assert set(stages["mining"]["hhi_by_year"]) == {"2024", "2025"}
    assert [x["measure"] for x in body["export_controls"]] == ["tightening"]

    r = client.get("/minerals/rare-earths/concentration", params={"year": 2024, "stage": "mining"})
    [c] = r.json()["concentration"]
    shares = [270_000, 45_500, 29_000, 27_000]  # named countries of 380,000 t; ZZ apart
    assert c["hhi"] == pytest.approx(sum((100 * v / 380_000) ** 2 for v in shares), abs=0.05)
    assert c["other_share"] == pytest.approx(8_500 / 380_000)
    assert c["sources"][0]["years"] == [2024]
    assert client.get("/minerals/unobtainium").status_code == 404


def test_country_profile_shows_exposure_through_partners(client) -> None:
    r = client.get("/countries/JP")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["label"] == "Japan"
    assert [a["id"] for a in body["agreements"]] == [US_JP]
    exposure = {e["mineral"]: e for e in body["exposure"]}
    mining = exposure["rare-earths"]["stages"]["mining"]
    # outside Japan (no mining) and its partner the US (51,000 of 350,000 t)
    assert mining["outside"] == pytest.approx(1 - 51_000 / 350_000)
    assert body["investments"][0]["host"] == "AU"
    assert client.get("/countries/ZY").status_code == 404


def test_chokepoints_for_gallium(client) -> None:
    r = client.get("/chokepoints", params={"mineral": "gallium", "consumer": "US"})
    assert r.status_code == 200, r.text
    body = r.json()
    # RU (0.7%) and JP (0.35%) are under 1%: China is the only processor left
    first = body["chokepoints"][0]
    assert (first["country"], first["stage"], first["articulation"]) == ("CN", "processing", True)
    assert body["min_node_cut"] == [{"country": "CN", "stage": "processing"}]
    assert body["coverage"] == {"processing": pytest.approx(1.0)}  # 848,000 of 848,000 kg
    assert body["stranded_paths"][0]["hops"][0]["supplier"] == "CN"
    table = {c["mineral"]: c for c in client.get("/chokepoints").json()["chokepoints"]}
    # dysprosium: one processing claim (CN > 0.99); rare earths: CN and MY both process
    assert table["gallium"]["articulation"] and table["dysprosium"]["articulation"]
    assert not table["rare-earths"]["articulation"]


def test_disruption_scenario(client) -> None:
    body = {"supplier": "CN", "minerals": ["rare-earths"], "stage": "mining", "cut": 0.5}
    r = client.post("/scenarios/disruption", json=body)
    assert r.status_code == 200, r.text
    [result] = r.json()["results"]
    mining, processing = result["stages"]
    cn_mining = 270_000 / 350_000
    assert mining["world_loss"] == pytest.approx(0.5 * cn_mining)
    # downstream, China's own processors (0.9, the claim) keep their ore
    assert processing["world_loss"] == pytest.approx(0.5 * cn_mining * (1 - 0.9))
    jp = next(e for e in mining["exposed"] if e["country"] == "JP")
    us_share = 51_000 / 350_000
    assert jp["shortfall_without_partners"] == pytest.approx(0.5 * cn_mining)
    assert jp["shortfall"] == pytest.approx(0.5 * cn_mining - us_share)
    assert jp["partners"] == ["US"]


def test_disruption_for_some_consumers(client) -> None:
    body = {"supplier": "CN", "minerals": ["rare-earths"], "stage": "mining", "cut": 0.5}
    every = client.post("/scenarios/disruption", json=body).json()
    r = client.post("/scenarios/disruption", json={**body, "consumers": ["JP", "au"]})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["consumers"] == ["AU", "JP"] and every["consumers"] is None
    for stage, full in zip(
        answer["results"][0]["stages"], every["results"][0]["stages"], strict=True
    ):
        assert sorted(e["country"] for e in stage["exposed"]) == ["AU", "JP"]
        assert [e for e in full["exposed"] if e["country"] in ("AU", "JP")] == stage["exposed"]
    assert len(every["results"][0]["stages"][0]["exposed"]) > 2
    unknown = client.post("/scenarios/disruption", json={**body, "consumers": ["QQ"]})
    assert unknown.status_code == 404 and "QQ" in unknown.text


@pytest.mark.parametrize(
    "body",
    [
        {"supplier": "CN", "minerals": ["rare-earths"], "consumers": []},
        {"supplier": "CN", "minerals": ["gallium"], "cut": 1.5},
        {"supplier": "CN", "minerals": ["gallium"], "cut": -0.1},
        {"supplier": "CN", "minerals": []},
        {"supplier": "CN", "minerals": ["gallium"], "stage": "reserves"},
    ],
)
def test_disruption_refuses_bad_bodies(client, body) -> None:
    assert client.post("/scenarios/disruption", json=body).status_code == 422


def test_the_projection_is_cached_and_follows_the_store() -> None:
    client = make_client()
    app = client.app
    client.get("/countries/CN")
    cache = app.state.projection_cache
    assert cache.builds == 1
    client.get("/countries/CN")
    assert cache.builds == 1
    app.state.store.drop_graph("https://w3id.org/cmkg/graph/article/gal")
    # the answer comes from the previous network while the new one is built in the background
    params = {"country": "US", "mineral": "gallium"}
    assert client.get("/paths/dependency", params=params).status_code == 200
    assert cache.wait(timeout=60)
    r = client.get("/paths/dependency", params=params)
    assert cache.builds == 2
    assert r.json()["paths"][0]["hops"][0]["export_controls"] == []
    app.state.store.close()


@pytest.fixture(scope="module")
def default_client():
    """The app on the default content: ontology, reference statistics and the samples read by
    the real extraction pipeline."""
    from cmkg.graph.bootstrap import ensure_default_content
    from cmkg.graph.store import MemoryStore

    app = create_app(Settings(store="memory", preload=False))
    store = MemoryStore()
    ensure_default_content(store)
    app.state.store = store
    yield TestClient(app, raise_server_exceptions=False)
    store.close()


@pytest.mark.slow
def test_acceptance_on_the_default_content(default_client) -> None:
    r = default_client.get("/paths/dependency", params={"country": "JP", "mineral": "rare-earths"})
    assert r.status_code == 200, r.text
    body = r.json()
    processing = [h for p in body["paths"] for h in p["hops"] if h["stage"] == "processing"]
    cn = next(h for h in processing if h["supplier"] == "CN")
    assert cn["share"] >= 0.9 and cn["comparator"] == ">"
    quotes = [e["quote"] for e in cn["figure"]["evidence"]]
    assert any(QUOTE_IDN in q for q in quotes)  # the Indonesian sample's sentence
    assert any(set(a["parties"]) == {"JP", "US"} for a in body["agreements"])

    r = default_client.get("/paths/dependency", params={"country": "US", "mineral": "gallium"})
    hop = r.json()["paths"][0]["hops"][0]
    assert (hop["supplier"], hop["stage"], hop["kind"]) == ("CN", "processing", "reference")
    assert hop["share"] > 0.95 and hop["source"].endswith("/dataset/usgs-mcs-2026")


@pytest.mark.slow
def test_default_content_one_us_japan_framework_and_hhi_within_scale(default_client) -> None:
    body = default_client.get("/countries/JP").json()
    us = [a for a in body["agreements"] if a["partners"] == ["US"]]
    # three sample articles (two dated, one not) report the same framework
    [framework] = [a for a in us if a["kind"] == "framework"]
    assert framework["date"] == "2025-10-28"
    assert len(framework["evidence"]) == 3 and len(framework["sources"]) == 3
    assert len(framework["reports"]) == 3
    assert body["totals"]["agreements"] == len(body["agreements"])
    table = default_client.get("/minerals").json()["concentration"]
    assert table and all(0 <= c["hhi"] <= 10_000 for c in table)
    gallium = next(c for c in table if c["mineral"] == "gallium" and c["stage"] == "processing")
    assert gallium["hhi"] < 10_000 and "sum to 909,000" in gallium["note"]
