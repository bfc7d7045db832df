"""Ingest throughput: articles per second for reading, extraction, mapping and storing.

The dev set's 16 articles are repeated to N articles (10,000 by default), each copy's text
varied by one sentence so that every copy has its own id. Figures printed:

- read: bytes -> Article (decoding, header, normalisation, id, language);
- extract: Article -> facts (``extract_facts``) alone;
- map: facts -> RDF (``facts_to_rdf``) alone;
- ingest: the whole pipeline into a fresh embedded store (extract, map, atomic graph swap),
  then a second ingest of the same articles (every one ``unchanged``).

Run: ``.venv/bin/python benchmarks/ingest.py [-n 10000] [--store-path DIR]``
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from cmkg.graph.articles import read_article
from cmkg.graph.consistency import ReferenceIndex
from cmkg.graph.extraction import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract_facts
from cmkg.graph.ingest import ingest_articles
from cmkg.graph.mapping import facts_to_rdf
from cmkg.graph.store import EmbeddedStore

DEV = Path(__file__).resolve().parent.parent / "tests" / "data" / "dev-set" / "articles"


def _variants(n: int) -> list[bytes]:
    sources = [p.read_bytes() for p in sorted(DEV.glob("*.txt"))]
    return [
        sources[i % len(sources)] + f"\n\nCopy {i} of this article for the benchmark.".encode()
        for i in range(n)
    ]


def _rate(label: str, count: int, seconds: float, extra: str = "") -> None:
    print(f"{label:<28} {count:>7} in {seconds:8.2f} s  {count / seconds:10.1f} /s  {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="number of articles")
    parser.add_argument("--store-path", help="embedded store folder (default: a temp folder)")
    args = parser.parse_args()

    raw = _variants(args.n)
    size = sum(len(r) for r in raw)
    print(f"{args.n} articles, {size / 1e6:.1f} MB of text")

    t = time.perf_counter()
    articles = [read_article(r) for r in raw]
    _rate("read (decode+normalise)", len(articles), time.perf_counter() - t)
    assert len({a.id for a in articles}) == args.n

    t = time.perf_counter()
    docs = [extract_facts(a) for a in articles]
    _rate("extract", len(docs), time.perf_counter() - t)

    reference = ReferenceIndex([])
    t = time.perf_counter()
    triples = 0
    for doc in docs:
        triples += len(
            facts_to_rdf(
                doc,
                extractor=EXTRACTOR_NAME,
                extractor_version=EXTRACTOR_VERSION,
                reference=reference,
            )
        )
    _rate("map", len(docs), time.perf_counter() - t, f"{triples} triples")

    folder = Path(args.store_path) if args.store_path else Path(tempfile.mkdtemp("-cmkg-bench"))
    try:
        with EmbeddedStore(folder / "store") as store:
            t = time.perf_counter()
            report = ingest_articles(store, articles, reference=reference)
            seconds = time.perf_counter() - t
            _rate("ingest (embedded store)", report.total, seconds, report.summary())
            print(f"{'':<28} {report.triples / seconds:10.0f} triples/s written")
            t = time.perf_counter()
            again = ingest_articles(store, articles, reference=reference)
            _rate(
                "re-ingest (all unchanged)", again.total, time.perf_counter() - t, again.summary()
            )
            print(f"store: {store.count()} quads in {len(store.graphs())} graphs")
    finally:
        if not args.store_path:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
