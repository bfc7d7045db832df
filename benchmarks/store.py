"""Store benchmark (issue #2): the embedded store against rdflib's in-memory Dataset.

Synthetic data shaped like the cmkg graph (terms from ``cmkg.graph.namespaces``):

- reference graphs of ``cmkg:SupplyObservation`` s (country x mineral x stage x year, with a
  decimal value and a measure), 9 triples each, in graphs of 10,000 observations;
- one graph per article: the article (title, date, hash) and its facts - share claims
  (observations with evidence), agreements between countries about minerals, export controls
  - about 30 triples per article;
- countries and minerals with labels, list membership and EU membership.

For each engine and size, in a fresh subprocess: the load time (embedded: ``bulk_load`` of an
N-Quads file through :class:`~cmkg.graph.store.EmbeddedStore`; rdflib: ``Dataset.parse``), the
peak RSS (``ru_maxrss``, with the interpreter's RSS before loading for reference), the store's
size on disk, and the median latency of five representative queries over the union of all
graphs:

- ``lookup``: one observation by its four dimensions (a star join on constants);
- ``two-hop``: China's export controls -> the articles stating them -> their titles;
- ``group-by``: total rare-earth mining values per country (an aggregate over all observations);
- ``regex``: article titles matching a case-insensitive regular expression;
- ``path``: countries reachable from Japan through agreements, ``(^cmkg:party/cmkg:party)+``.

``--engines embedded-bulk`` adds the embedded store loaded with ``bulk_load(atomic=False)``
(pyoxigraph's bulk loader: faster, smaller on disk, not transactional). Embedded latencies go
through :meth:`~cmkg.graph.store.Store.select` (rows of plain values, as
the app reads them); rdflib's through ``Dataset.query`` with the rows listed. Each query runs up
to five times (fewer when one run passes 20 s); the row counts are printed as a check that both
engines agree.

Run: ``.venv/bin/python benchmarks/store.py [--sizes 100000 1000000] [--small]
[--engines embedded embedded-bulk rdflib]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cmkg.graph.namespaces import (
    CMKG,
    DCTERMS,
    ID,
    OA,
    PREFIXES,
    QB,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    agreement_kind_iri,
    article_graph_iri,
    article_iri,
    country_iri,
    measure_iri,
    measure_kind_iri,
    mineral_iri,
    reference_graph_iri,
    stage_iri,
)

__all__ = ["ENGINES", "QUERIES", "synthetic_nquads", "time_queries"]

ENGINES = ("embedded", "embedded-bulk", "rdflib")
COUNTRIES = [
    "CN", "AU", "CL", "AR", "CD", "ID", "JP", "US", "KR", "DE", "FR", "IN", "BR", "ZA", "RU",
    "CA", "MX", "PE", "PH", "MM", "VN", "TH", "MY", "KZ", "MA", "GA", "ZM", "ZW", "BO", "NO",
    "SE", "FI", "PL", "GB", "TR", "SA", "AE", "EG", "NG", "GH", "TZ", "MZ", "MG", "NC", "CU",
    "UZ", "MN", "PK", "LK", "NZ",
]  # fmt: skip
MINERALS = [
    "lithium", "cobalt", "nickel", "graphite", "manganese", "rare-earths", "gallium",
    "germanium", "antimony", "tungsten", "copper", "platinum", "palladium", "vanadium",
    "titanium", "tin", "tantalum", "niobium", "magnesium", "silicon", "bismuth", "indium",
    "tellurium", "beryllium", "fluorspar", "barite", "chromium", "zinc", "aluminum", "uranium",
]  # fmt: skip
STAGES = ["mining", "processing", "manufacturing", "recycling", "reserves"]
MEASURES = ["production", "capacity", "reserves", "share"]
AGREEMENT_KINDS = ["framework", "mou", "treaty", "trade_deal"]
EXPORT_MEASURES = ["ban", "licensing", "quota", "tightening"]
WORDS = [
    "supply", "chain", "deal", "talks", "prices", "output", "mine", "refinery", "tariffs",
    "investment", "partnership", "record", "shortage", "surplus", "demand", "batteries",
    "magnets", "security", "strategy", "minister",
]  # fmt: skip


def _p() -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


#: The five representative queries (over the union of all graphs).
QUERIES: dict[str, str] = {
    "lookup": _p()
    + f"""SELECT ?value WHERE {{
  ?o cmkg:country <{country_iri("CN")}> ; cmkg:mineral <{mineral_iri("lithium")}> ;
     cmkg:stage <{stage_iri("processing")}> ; cmkg:year 2020 ; cmkg:value ?value .
}}""",
    "two-hop": _p()
    + f"""SELECT ?article ?title WHERE {{
  ?ec a cmkg:ExportControl ; cmkg:imposedBy <{country_iri("CN")}> ; cmkg:fromArticle ?article .
  ?article dct:title ?title .
}}""",
    "group-by": _p()
    + f"""SELECT ?country (SUM(?v) AS ?total) (COUNT(*) AS ?n) WHERE {{
  ?o a cmkg:SupplyObservation ; cmkg:mineral <{mineral_iri("rare-earths")}> ;
     cmkg:stage <{stage_iri("mining")}> ; cmkg:country ?country ; cmkg:value ?v .
}} GROUP BY ?country ORDER BY DESC(?total)""",
    "regex": _p()
    + """SELECT ?article ?title WHERE {
  ?article a schema:NewsArticle ; dct:title ?title .
  FILTER (REGEX(?title, "lithium.*export", "i"))
}""",
    "path": _p()
    + f"""SELECT (COUNT(DISTINCT ?partner) AS ?n) WHERE {{
  <{country_iri("JP")}> (^cmkg:party/cmkg:party)+ ?partner .
}}""",
}


# ------------------------------------------------------------------------------ data


def _t(term: Any) -> str:
    return f"<{term}>"


def _lit(value: Any, datatype: Any) -> str:
    return f'"{value}"^^<{datatype}>'


def _str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quads(n_triples: int, seed: int) -> Iterator[str]:
    """N-Quads lines, graph by graph, until about ``n_triples`` triples."""
    rnd = random.Random(seed)
    made = 0
    # countries and minerals (one graph)
    g = _t(reference_graph_iri("synthetic-vocabulary"))
    eu = _t(country_iri("EU"))
    for code in COUNTRIES:
        c = _t(country_iri(code))
        yield f"{c} {_t(RDF.type)} {_t(CMKG.Country)} {g} .\n"
        yield f"{c} {_t(CMKG.isoAlpha2)} {_str(code)} {g} .\n"
        yield f"{c} {_t(RDFS.label)} {_str('Country ' + code)} {g} .\n"
        if code in ("DE", "FR", "PL", "SE", "FI"):
            yield f"{c} {_t(CMKG.memberOf)} {eu} {g} .\n"
        made += 3
    lists = [_t(ID[f"list/{name}"]) for name in ("us-2025", "eu-2024", "jp-2023")]
    for mineral in MINERALS:
        m = _t(mineral_iri(mineral))
        yield f"{m} {_t(RDF.type)} {_t(CMKG.Mineral)} {g} .\n"
        yield f"{m} {_t(SKOS.prefLabel)} {_str(mineral.replace('-', ' '))}@en {g} .\n"
        for lst in rnd.sample(lists, 2):
            yield f"{m} {_t(CMKG.onList)} {lst} {g} .\n"
        made += 4
    half = n_triples // 2
    # reference observations: 9 triples each, 10,000 per graph
    obs = 0
    while made < half:
        if obs % 10_000 == 0:
            g = _t(reference_graph_iri(f"synthetic-{obs // 10_000}"))
            ds = _t(ID[f"dataset/synthetic-{obs // 10_000}"])
        o = _t(ID[f"observation/s{obs}"])
        # the first three observations are the ones the lookup query finds
        country, mineral, stage, year = (
            ("CN", "lithium", "processing", 2020)
            if obs < 3
            else (
                rnd.choice(COUNTRIES),
                rnd.choice(MINERALS),
                rnd.choice(STAGES),
                rnd.randint(2000, 2025),
            )
        )
        yield f"{o} {_t(RDF.type)} {_t(CMKG.SupplyObservation)} {g} .\n"
        yield f"{o} {_t(QB.dataSet)} {ds} {g} .\n"
        yield f"{o} {_t(CMKG.country)} {_t(country_iri(country))} {g} .\n"
        yield f"{o} {_t(CMKG.mineral)} {_t(mineral_iri(mineral))} {g} .\n"
        yield f"{o} {_t(CMKG.stage)} {_t(stage_iri(stage))} {g} .\n"
        yield f"{o} {_t(CMKG.year)} {_lit(year, XSD.integer)} {g} .\n"
        yield f"{o} {_t(CMKG.measure)} {_t(measure_iri(rnd.choice(MEASURES)))} {g} .\n"
        value = f"{rnd.uniform(0, 500_000):.2f}"
        yield f"{o} {_t(CMKG.value)} {_lit(value, XSD.decimal)} {g} .\n"
        yield f"{o} {_t(CMKG.status)} {_str('reported')} {g} .\n"
        obs += 1
        made += 9
    # articles, one graph each
    art = 0
    while made < n_triples:
        aid = f"{art:016x}"
        g = _t(article_graph_iri(aid))
        a = _t(article_iri(aid))
        mineral = rnd.choice(MINERALS)
        country = rnd.choice(COUNTRIES)
        title = (
            " ".join(
                [mineral.replace("-", " "), *rnd.sample(WORDS, 3), rnd.choice(["export", "import"])]
            ).capitalize()
            + f" in {country}"
        )
        lines = [
            f"{a} {_t(RDF.type)} {_t(SDO.NewsArticle)} {g} .\n",
            f"{a} {_t(DCTERMS.title)} {_str(title)} {g} .\n",
            f"{a} {_t(DCTERMS.date)} {_lit(f'2025-{rnd.randint(1, 12):02d}-01', XSD.date)} {g} .\n",
            f"{a} {_t(CMKG.textSha256)} {_str(f'{rnd.getrandbits(128):032x}')} {g} .\n",
        ]
        for k in range(rnd.randint(1, 3)):  # share claims
            f = _t(ID[f"claim/{aid}-{k}"])
            ann = _t(ID[f"annotation/{aid}-{k}"])
            lines += [
                f"{f} {_t(RDF.type)} {_t(CMKG.ShareClaim)} {g} .\n",
                f"{f} {_t(RDF.type)} {_t(CMKG.SupplyObservation)} {g} .\n",
                f"{f} {_t(CMKG.country)} {_t(country_iri(rnd.choice(COUNTRIES)))} {g} .\n",
                f"{f} {_t(CMKG.mineral)} {_t(mineral_iri(mineral))} {g} .\n",
                f"{f} {_t(CMKG.stage)} {_t(stage_iri(rnd.choice(STAGES)))} {g} .\n",
                f"{f} {_t(CMKG.year)} {_lit(rnd.randint(2015, 2025), XSD.integer)} {g} .\n",
                f"{f} {_t(CMKG.value)} {_lit(f'{rnd.random():.2f}', XSD.decimal)} {g} .\n",
                f"{f} {_t(CMKG.fromArticle)} {a} {g} .\n",
                f"{f} {_t(CMKG.evidence)} {ann} {g} .\n",
                f"{ann} {_t(RDF.type)} {_t(OA.Annotation)} {g} .\n",
                f"{ann} {_t(RDFS.comment)} {_str('... ' + title.lower() + ' ...')} {g} .\n",
            ]
        if rnd.random() < 0.5:  # an agreement
            f = _t(ID[f"agreement/{aid}"])
            kind = rnd.choice(AGREEMENT_KINDS)
            lines += [
                f"{f} {_t(RDF.type)} {_t(CMKG.Agreement)} {g} .\n",
                f"{f} {_t(CMKG.agreementKind)} {_t(agreement_kind_iri(kind))} {g} .\n",
                f"{f} {_t(CMKG.concernsMineral)} {_t(mineral_iri(mineral))} {g} .\n",
                f"{f} {_t(CMKG.fromArticle)} {a} {g} .\n",
            ]
            for party in rnd.sample(COUNTRIES, 2):
                lines.append(f"{f} {_t(CMKG.party)} {_t(country_iri(party))} {g} .\n")
        if rnd.random() < 0.3:  # an export control
            f = _t(ID[f"export-control/{aid}"])
            measure = _t(measure_kind_iri(rnd.choice(EXPORT_MEASURES)))
            lines += [
                f"{f} {_t(RDF.type)} {_t(CMKG.ExportControl)} {g} .\n",
                f"{f} {_t(CMKG.imposedBy)} {_t(country_iri(rnd.choice(COUNTRIES[:8])))} {g} .\n",
                f"{f} {_t(CMKG.concernsMineral)} {_t(mineral_iri(mineral))} {g} .\n",
                f"{f} {_t(CMKG.exportMeasure)} {measure} {g} .\n",
                f"{f} {_t(CMKG.startDate)} {_lit('2024-12-01', XSD.date)} {g} .\n",
                f"{f} {_t(CMKG.fromArticle)} {a} {g} .\n",
            ]
        yield from lines
        made += len(lines)
        art += 1


def synthetic_nquads(path: Path, n_triples: int, *, seed: int = 7) -> int:
    """Write about ``n_triples`` synthetic quads to ``path`` (N-Quads); return the count."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in _quads(n_triples, seed):
            out.write(line)
            count += 1
    return count


# ------------------------------------------------------------------------------ timing


def time_queries(
    run: Callable[[str], int], *, repeats: int = 5, budget: float = 20.0
) -> dict[str, dict[str, Any]]:
    """Median latency (s), runs and row count of each query in :data:`QUERIES`.

    ``run(query)`` evaluates a query and returns its number of rows. A query stops repeating
    once one run takes longer than ``budget`` seconds. A query that fails is reported with
    its ``error`` (and no latency).
    """
    out: dict[str, dict[str, Any]] = {}
    for name, query in QUERIES.items():
        times = []
        rows = 0
        try:
            for _ in range(repeats):
                started = time.perf_counter()
                rows = run(query)
                times.append(time.perf_counter() - started)
                if times[-1] > budget:
                    break
        except Exception as exc:  # a backend that cannot run the query: report, go on
            out[name] = {"median": float("nan"), "runs": 0, "rows": -1, "error": str(exc)[:300]}
            continue
        out[name] = {"median": statistics.median(times), "runs": len(times), "rows": rows}
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def _child(engine: str, data: Path, workdir: Path) -> dict[str, Any]:
    """Load ``data`` into ``engine`` and time the queries (runs in a fresh process)."""
    result: dict[str, Any] = {"engine": engine, "rss_before_mb": _rss_mb()}
    if engine == "embedded":
        from cmkg.graph.store import EmbeddedStore

        store = EmbeddedStore(workdir / "store")
        started = time.perf_counter()
        result["quads"] = store.bulk_load(data, batch_size=100_000)
        result["load_s"] = time.perf_counter() - started
        result["disk_mb"] = _du_mb(workdir / "store")
        result["queries"] = time_queries(lambda q: len(store.select(q)))
        store.close()
    elif engine == "embedded-bulk":
        # the same store loaded with bulk_load(atomic=False): pyoxigraph's bulk loader
        from cmkg.graph.store import EmbeddedStore

        store = EmbeddedStore(workdir / "store")
        started = time.perf_counter()
        result["quads"] = store.bulk_load(data, batch_size=100_000, atomic=False)
        result["load_s"] = time.perf_counter() - started
        result["disk_mb"] = _du_mb(workdir / "store")
        result["queries"] = time_queries(lambda q: len(store.select(q)))
        store.close()
    elif engine == "rdflib":
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        started = time.perf_counter()
        ds.parse(str(data), format="nquads")
        result["load_s"] = time.perf_counter() - started
        result["quads"] = len(ds)
        result["disk_mb"] = 0.0
        result["queries"] = time_queries(lambda q: len(list(ds.query(q))))
    else:
        raise SystemExit(f"unknown engine {engine!r}")
    result["rss_peak_mb"] = _rss_mb()
    return result


def run_child(engine: str, data: Path, workdir: Path) -> dict[str, Any]:
    """Run :func:`_child` in a fresh interpreter and return its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", engine, str(data), str(workdir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print_errors(results: list[dict[str, Any]]) -> None:
    for r in results:
        for name, q in r["queries"].items():
            if "error" in q:
                print(f"  {r['engine']}@{r['quads']} {name} failed: {q['error']}")


def print_table(results: list[dict[str, Any]]) -> None:
    """One row per engine and size: load, memory, disk and the median query latencies."""
    names = list(QUERIES)
    head = f"{'engine':<16}{'quads':>10}{'load s':>9}{'quads/s':>10}{'RSS MB':>9}{'disk MB':>9}"
    print(head + "".join(f"{n + ' ms':>13}" for n in names))
    for r in results:
        line = (
            f"{r['engine']:<16}{r['quads']:>10}{r['load_s']:>9.1f}"
            f"{r['quads'] / r['load_s']:>10.0f}{r['rss_peak_mb']:>9.0f}{r['disk_mb']:>9.0f}"
        )
        for n in names:
            q = r["queries"][n]
            mark = "" if q["runs"] >= 5 else f"/{int(q['runs'])}"
            line += f"{q['median'] * 1000:>11.1f}{mark:<2}" if q["runs"] else f"{'failed':>13}"
        print(line)
    _print_errors(results)
    print("rows per query:", "; ".join(
        f"{r['engine']}@{r['quads']}: " + ", ".join(
            f"{n}={int(r['queries'][n]['rows'])}" for n in names
        ) for r in results
    ))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--small", action="store_true", help="only 100,000 triples")
    parser.add_argument(
        "--engines",
        nargs="+",
        default=["embedded", "rdflib"],
        choices=ENGINES,
        help="embedded-bulk: the embedded store loaded with bulk_load(atomic=False)",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, data, workdir = args.child
        print(json.dumps(_child(engine, Path(data), Path(workdir))))
        return
    sizes = [100_000] if args.small else args.sizes
    root = Path(tempfile.mkdtemp(prefix="cmkg-bench-store-"))
    try:
        results = []
        for size in sizes:
            data = root / f"data-{size}.nq"
            started = time.perf_counter()
            count = synthetic_nquads(data, size)
            print(f"generated {count} quads in {time.perf_counter() - started:.1f} s", flush=True)
            for engine in args.engines:
                workdir = root / f"{engine}-{size}"
                workdir.mkdir()
                results.append(run_child(engine, data, workdir))
                r = results[-1]
                print(f"  {engine}: loaded in {r['load_s']:.1f} s", flush=True)
                shutil.rmtree(workdir, ignore_errors=True)
        print()
        cores, load = os.cpu_count(), os.getloadavg()
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        print(f"machine: {cores} cores, {memory:.0f} GiB RAM, load average {load[0]:.1f}")
        print_table(results)
        print("(RSS: peak resident set of the process; the interpreter with cmkg imported takes "
              f"about {results[0]['rss_before_mb']:.0f} MB before loading. "
              "A '/n' after a latency: only n runs, each over 20 s.)")  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
