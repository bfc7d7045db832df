"""Benchmark of the analytics: projection build time and dependency-path latency.

Measures, on the default content (ontology, vocabularies, reference statistics, samples) and on
a store grown past ``--triples`` (default 1,000,000) with synthetic articles that follow the RDF
conventions of the article graphs (share claims, agreements, export controls, investments,
each with its evidence annotation):

- the build time of the networkx projection (:func:`build_supply_network`);
- the latency of ``dependency_paths(JP, rare-earths)`` in process, cold (first call on a new
  projection) and warm, and of ``GET /paths/dependency?country=JP&mineral=rare-earths`` over
  HTTP against uvicorn on loopback (the cached projection);
- the latency of that request while the projection is rebuilt in the background after a
  write (the cache serves the previous network meanwhile).

Targets: build <= 2 s at 1M triples; p50 <= 20 ms for the call. Prints figures (and the load
average: the machine may be shared); asserts nothing. Run::

    .venv/bin/python benchmarks/analytics.py                    # default content, then 1M
    .venv/bin/python benchmarks/analytics.py --triples 0        # default content only
    .venv/bin/python benchmarks/analytics.py --store embedded   # on disk (RocksDB)
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from cmkg.graph.analytics import build_supply_network, dependency_paths, dependency_to_dict
from cmkg.graph.namespaces import (
    CMKG,
    DCTERMS,
    OA,
    QUDT,
    RDF,
    SDO,
    UNIT,
    agreement_kind_iri,
    article_graph_iri,
    article_iri,
    consistency_iri,
    country_iri,
    measure_iri,
    measure_kind_iri,
    mineral_iri,
    stage_iri,
)
from cmkg.graph.namespaces import ID as CMKG_ID
from cmkg.graph.store import Store, open_store

COUNTRIES = [
    "CN",
    "US",
    "JP",
    "AU",
    "CA",
    "BR",
    "IN",
    "ID",
    "MY",
    "MM",
    "RU",
    "ZA",
    "CD",
    "CL",
    "AR",
    "PE",
    "KR",
    "DE",
    "FR",
    "GB",
    "VN",
    "TH",
    "PH",
    "KZ",
    "MN",
    "MX",
    "TR",
    "SA",
    "AE",
    "NO",
    "FI",
    "SE",
    "PL",
    "ES",
    "IT",
    "NL",
    "BE",
    "CH",
    "AT",
    "MA",
    "NG",
    "TZ",
    "MZ",
    "MG",
    "ZM",
    "ZW",
    "NA",
    "BO",
    "EC",
    "CO",
    "UZ",
    "PK",
    "IR",
    "EG",
    "GH",
    "GA",
    "GN",
    "RW",
]
MINERALS = [
    "rare-earths",
    "lithium",
    "cobalt",
    "nickel",
    "graphite",
    "gallium",
    "germanium",
    "antimony",
    "tungsten",
    "copper",
    "manganese",
    "aluminium",
    "tin",
    "tantalum",
    "niobium",
    "vanadium",
    "titanium",
    "dysprosium",
    "neodymium",
    "zinc",
    "chromium",
    "palladium",
    "silicon",
    "magnesium",
    "critical-minerals",
]
STAGES = ("mining", "processing", "manufacturing")
MEASURES = ("ban", "licensing", "quota", "tightening", "lifting")
KINDS = ("framework", "mou", "trade-deal", "partnership")


def _evidence(g: Graph, article_id: str, n: int, fact: URIRef, text: str) -> None:
    ann = CMKG_ID[f"evidence/{article_id}/{n}"]
    target = URIRef(f"{ann}/target")
    selector = URIRef(f"{ann}/quote-selector")
    article = article_iri(article_id)
    g.add((fact, CMKG.evidence, ann))
    g.add((fact, CMKG.fromArticle, article))
    g.add((ann, RDF.type, OA.Annotation))
    g.add((ann, OA.hasBody, fact))
    g.add((ann, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, article))
    g.add((target, OA.hasSelector, selector))
    g.add((selector, RDF.type, OA.TextQuoteSelector))
    g.add((selector, OA.exact, Literal(text)))


def synthetic_article(rng: random.Random, article_id: str) -> Graph:
    """One synthetic article graph (~400 triples): 10 share claims, 5 agreements, 3 export
    controls and 2 investments, each with an evidence annotation."""
    g = Graph(identifier=article_graph_iri(article_id))
    article = article_iri(article_id)
    day = f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    g.add((article, RDF.type, SDO.NewsArticle))
    g.add((article, DCTERMS.identifier, Literal(article_id)))
    g.add((article, SDO.headline, Literal(f"Synthetic article {article_id}", lang="en")))
    g.add((article, SDO.url, URIRef(f"https://example.org/news/{article_id}")))
    g.add((article, SDO.datePublished, Literal(day, datatype=XSD.date)))
    g.add((article, SDO.inLanguage, Literal("en")))
    n = 0
    for _ in range(10):
        fact = CMKG_ID[f"fact/{article_id}/{n}"]
        g.add((fact, RDF.type, CMKG.ShareClaim))
        g.add((fact, RDF.type, CMKG.SupplyObservation))
        g.add((fact, CMKG.country, country_iri(rng.choice(COUNTRIES))))
        g.add((fact, CMKG.mineral, mineral_iri(rng.choice(MINERALS))))
        g.add((fact, CMKG.stage, stage_iri(rng.choice(STAGES))))
        g.add((fact, CMKG.measure, measure_iri("share")))
        g.add((fact, CMKG.value, Literal(f"{rng.random():.3f}", datatype=XSD.decimal)))
        g.add((fact, QUDT.unit, UNIT.FRACTION))
        g.add((fact, CMKG.comparator, Literal(rng.choice(("=", ">", "~")))))
        if rng.random() < 0.5:
            g.add((fact, CMKG.year, Literal(rng.randint(2019, 2025))))
        verdict = rng.choice(("consistent", "contradicted", "unchecked"))
        g.add((fact, CMKG.consistency, consistency_iri(verdict)))
        _evidence(g, article_id, n, fact, f"Synthetic share claim {n} of {article_id}.")
        n += 1
    for _ in range(5):
        fact = CMKG_ID[f"fact/{article_id}/{n}"]
        g.add((fact, RDF.type, CMKG.Agreement))
        for party in rng.sample(COUNTRIES, 2):
            g.add((fact, CMKG.party, country_iri(party)))
        for m in rng.sample(MINERALS, 2):
            g.add((fact, CMKG.concernsMineral, mineral_iri(m)))
        g.add((fact, DCTERMS.date, Literal(day, datatype=XSD.date)))
        g.add((fact, CMKG.agreementKind, agreement_kind_iri(rng.choice(KINDS))))
        _evidence(g, article_id, n, fact, f"Synthetic agreement {n} of {article_id}.")
        n += 1
    for _ in range(3):
        fact = CMKG_ID[f"fact/{article_id}/{n}"]
        measure = rng.choice(MEASURES)
        g.add((fact, RDF.type, CMKG.ExportControl))
        g.add((fact, CMKG.imposedBy, country_iri(rng.choice(COUNTRIES))))
        g.add((fact, CMKG.concernsMineral, mineral_iri(rng.choice(MINERALS))))
        g.add((fact, CMKG.exportMeasure, measure_kind_iri(measure)))
        g.add((fact, CMKG.startDate, Literal(day, datatype=XSD.date)))
        status = "lifted" if measure == "lifting" else "in-force"
        g.add((fact, CMKG.controlStatus, Literal(status)))
        _evidence(g, article_id, n, fact, f"Synthetic export control {n} of {article_id}.")
        n += 1
    for _ in range(2):
        fact = CMKG_ID[f"fact/{article_id}/{n}"]
        investor, host = rng.sample(COUNTRIES, 2)
        g.add((fact, RDF.type, CMKG.Investment))
        g.add((fact, CMKG.investor, country_iri(investor)))
        g.add((fact, CMKG.investorName, Literal(investor)))
        g.add((fact, CMKG.host, country_iri(host)))
        g.add((fact, CMKG.concernsMineral, mineral_iri(rng.choice(MINERALS))))
        g.add((fact, CMKG.stage, stage_iri(rng.choice(STAGES))))
        g.add((fact, CMKG.amountUsd, Literal(f"{rng.randint(1, 900)}000000", datatype=XSD.decimal)))
        _evidence(g, article_id, n, fact, f"Synthetic investment {n} of {article_id}.")
        n += 1
    return g


def grow(store: Store, triples: int, *, seed: int = 7) -> int:
    """Add synthetic articles until the store holds at least ``triples``; return how many."""
    rng = random.Random(seed)
    added = 0
    while store.count() < triples:
        for _ in range(200):
            store.replace_graph(
                str(article_graph_iri(f"syn{added:06d}")), synthetic_article(rng, f"syn{added:06d}")
            )
            added += 1
    return added


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def _time(fn: Callable[[], Any], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    """The real app under uvicorn on loopback, in a thread, serving ``store`` (no lifespan)."""

    def __init__(self, store: Store) -> None:
        import uvicorn

        from cmkg.api.app import create_app
        from cmkg.api.settings import Settings

        app = create_app(Settings(store="memory", preload=False))
        app.state.store = store
        self.app = app
        logging.getLogger("cmkg.api").setLevel(logging.WARNING)  # no access log per request
        self.port = _free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, lifespan="off", log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def measure(label: str, store: Store, *, calls: int, http: bool) -> dict[str, float]:
    """Print and return the build and latency figures on ``store``."""
    builds = _time(lambda: build_supply_network(store), 3)
    G = build_supply_network(store)
    print(
        f"\n== {label}: {store.count():,} quads, network {G.number_of_nodes():,} nodes, "
        f"{G.number_of_edges():,} edges"
    )
    print(f"projection build: median {statistics.median(builds):8.1f} ms  (3 builds)")

    def call() -> None:
        dependency_to_dict(G, dependency_paths(G, "JP", "rare-earths"))

    cold = []
    for _ in range(5):
        G = build_supply_network(store)
        cold += _time(call, 1)
    warm = _time(call, calls)
    p50, p99 = _percentiles(warm)
    print(f"dependency_paths in process, cold: median {statistics.median(cold):6.2f} ms")
    print(f"dependency_paths in process, warm: p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  ({calls})")
    out = {"build_ms": statistics.median(builds), "call_p50_ms": p50, "call_p99_ms": p99}
    if http:
        import httpx

        with _Server(store) as server, httpx.Client(timeout=120) as client:
            url = f"http://127.0.0.1:{server.port}/paths/dependency"
            params = {"country": "JP", "mineral": "rare-earths"}
            first = _time(lambda: client.get(url, params=params).raise_for_status(), 1)
            samples = _time(lambda: client.get(url, params=params).raise_for_status(), calls)
            size = len(client.get(url, params=params).content)
            during, rebuild_s = _during_rebuild(server, store, client, url, params)
        hp50, hp99 = _percentiles(samples)
        print(
            f"GET /paths/dependency over HTTP: first {first[0]:7.1f} ms (builds the "
            f"projection), then p50 {hp50:6.2f} ms  p99 {hp99:6.2f} ms  ({calls}; {size:,} B)"
        )
        dp50, dp99 = _percentiles(during)
        print(
            f"  after a write, during the {rebuild_s:.2f} s background rebuild: p50 {dp50:6.2f} ms"
            f"  p99 {dp99:6.2f} ms  max {max(during):6.2f} ms  ({len(during)} requests)"
        )
        out.update(http_p50_ms=hp50, http_p99_ms=hp99, rebuild_p99_ms=dp99)
    print(f"load average: {_load()}")
    return out


def _during_rebuild(
    server: _Server, store: Store, client: Any, url: str, params: dict[str, str]
) -> tuple[list[float], float]:
    """Write one article, then time requests until the background rebuild it starts is done."""
    cache = server.app.state.projection_cache
    rng = random.Random(11)
    store.replace_graph(
        str(article_graph_iri("bench-write")), synthetic_article(rng, "bench-write")
    )
    samples: list[float] = []
    start = time.perf_counter()
    while True:
        samples += _time(lambda: client.get(url, params=params).raise_for_status(), 1)
        if not cache.rebuilding and len(samples) > 1:
            break
    return samples, time.perf_counter() - start


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def default_store(kind: str, path: str | None) -> Store:
    """A store (``memory``, or ``embedded`` in ``path``) with the default content."""
    from cmkg.graph.bootstrap import ensure_default_content

    store = open_store(kind, path=path)
    t = time.perf_counter()
    report = ensure_default_content(store)
    print(
        f"default content loaded in {time.perf_counter() - t:.1f} s: "
        f"{len(report['loaded'])} graphs, samples {report['samples'].get('ingested')} ingested, "
        f"{len(report['samples'].get('failed', []))} failed"
    )
    return store


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="grow the store to this")
    parser.add_argument("--calls", type=int, default=300, help="calls per latency figure")
    parser.add_argument("--no-http", action="store_true", help="skip the uvicorn figures")
    parser.add_argument(
        "--store", choices=("memory", "embedded"), default="memory", help="the backend"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cmkg-bench-") as tmp:
        print(f"store: {args.store}; {os.cpu_count()} CPUs; load average {_load()}")
        run(args, default_store(args.store, tmp))


def run(args: argparse.Namespace, store: Store) -> None:
    """The figures on the default content, then on the grown store."""
    with store:
        measure("default content", store, calls=args.calls, http=not args.no_http)
        if args.triples:
            t = time.perf_counter()
            added = grow(store, args.triples)
            print(f"\nadded {added:,} synthetic articles in {time.perf_counter() - t:.1f} s")
            label = f"grown past {args.triples:,} triples"
            measure(label, store, calls=args.calls, http=not args.no_http)


if __name__ == "__main__":
    main()
