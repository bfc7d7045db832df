"""Scale-out benchmark (issue #7): the embedded store, Oxigraph server and Virtuoso.

For each size (1M and 10M triples by default) and backend, on the synthetic data of
``benchmarks/store.py`` (shaped like the cmkg graph):

- the load rate - embedded: :meth:`~cmkg.graph.store.Store.bulk_load`, transactional
  batches of whole graphs; Oxigraph server: ``bulk_load``, SPARQL Update requests of whole
  graphs (about 10,000 quads each); Virtuoso: its own bulk loader (``ld_dir`` +
  ``rdf_loader_run`` over isql, what its documentation gives for large loads), or with
  ``--backends virtuoso-gsp`` cmkg's ``bulk_load``, one Graph Store Protocol ``POST`` per
  graph (Virtuoso's ``INSERT DATA`` is slow and capped in size; about 300 graphs/s, so
  hours at 10M);
- the median latency of the five queries of ``benchmarks/store.py`` through
  :meth:`~cmkg.graph.store.Store.select` (for the servers: over HTTP on loopback);
- the peak RSS (the embedded store's process; the server's process from ``/proc``) and the
  size on disk;
- the dependency paths (:func:`dependency_path_latency`): the default content written
  through the store seam, the networkx projection built from the store (the cold cost), and
  the p50/p99 of ``dependency_paths`` for three consumer/mineral pairs on it (the warm cost).

Each backend runs alone (servers are started on free loopback ports, in temporary
directories, and stopped after their run), and the growth from the smallest to the largest
size is printed at the end. ``scripts/install-sparql-servers.sh`` installs the servers.

Run: ``.venv/bin/python benchmarks/scaleout.py [--sizes 1000000 10000000]
[--backends embedded oxigraph virtuoso]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from store import QUERIES, print_table, run_child, synthetic_nquads, time_queries

from cmkg.graph.analytics import build_supply_network, dependency_paths
from cmkg.graph.bootstrap import ensure_default_content
from cmkg.graph.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import sparql_servers  # noqa: E402  (a script module, not a package)

BACKENDS = ("embedded", "oxigraph", "virtuoso", "virtuoso-gsp")
DEFAULT_BACKENDS = ("embedded", "oxigraph", "virtuoso")


#: The dependency-path calls timed on every backend: (consumer, mineral).
PATH_CASES = (("JP", "rare-earths"), ("US", "gallium"), ("DE", "lithium"))


def dependency_path_latency(store: Store, *, calls: int = 50) -> dict[str, float]:
    """Dependency-path figures on ``store`` (seconds): the cold cost, then the calls' p50/p99.

    First the default content (ontology, vocabularies, reference statistics and the 16
    samples) is written through the store seam, as the service's first start does, so the
    paths run on real figures beside the synthetic bulk. Then the networkx projection is built
    from the store (the cold cost, on the servers over HTTP), and each case of
    :data:`PATH_CASES` is called ``calls`` times on it (the warm cost: the API serves from the
    cached projection).
    """
    started = time.perf_counter()
    ensure_default_content(store)
    out = {"default content": time.perf_counter() - started}
    started = time.perf_counter()
    G = build_supply_network(store)
    out["projection build"] = time.perf_counter() - started
    out["projection nodes"] = G.number_of_nodes()
    out["projection edges"] = G.number_of_edges()
    warm: list[float] = []
    for country, mineral in PATH_CASES:
        for _ in range(calls):
            t = time.perf_counter()
            found = dependency_paths(G, country, mineral)
            warm.append(time.perf_counter() - t)
        out[f"paths {country}/{mineral}"] = len(found.paths)
    ordered = sorted(warm)
    out["call p50"] = statistics.median(ordered)
    out["call p99"] = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return out


def _paths_or_error(store: Store) -> tuple[dict[str, float] | None, str | None]:
    """:func:`dependency_path_latency`, or the error that stopped it (printed in the table)."""
    try:
        return dependency_path_latency(store), None
    except Exception as exc:  # a benchmark reports a failure and goes on with the others
        return None, f"{type(exc).__name__}: {str(exc)[:300]}"


def _peak_rss_mb(pid: int) -> float:
    """A process's peak resident set (``VmHWM``) in MB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


_COUNT = """SELECT (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), "https://w3id.org/cmkg/"))
}"""


def run_server(
    name: str, data: Path, workdir: Path, memory_mb: int, *, quads_in_file: int
) -> dict[str, Any]:
    """Load ``data`` into a fresh server and time the queries and the dependency paths.

    ``name`` is ``oxigraph`` (cmkg's bulk path: SPARQL Update requests of whole graphs),
    ``virtuoso`` (Virtuoso's own bulk loader, ``ld_dir`` + ``rdf_loader_run``, the path its
    documentation gives for large loads) or ``virtuoso-gsp`` (cmkg's bulk path on Virtuoso:
    one Graph Store Protocol ``POST`` per graph).
    """
    server_name = name.removesuffix("-gsp")
    options: dict[str, Any] = {"query_timeout": 3600}
    if server_name == "virtuoso":
        options["memory_mb"] = memory_mb
    with sparql_servers.running(server_name, workdir, **options) as server:
        gsp = server_name == "virtuoso"
        with server.store(gsp=gsp, timeout=3600, write_timeout=3600) as store:
            started = time.perf_counter()
            if name == "virtuoso":
                sparql_servers.virtuoso_bulk_load(server, data)
                load_s = time.perf_counter() - started
                quads = int(store.select(_COUNT)[0]["n"])
                if quads != quads_in_file:
                    raise RuntimeError(f"Virtuoso holds {quads} quads of {quads_in_file}")
            else:
                quads = store.bulk_load(data, batch_size=10_000)
                load_s = time.perf_counter() - started
            queries = time_queries(lambda q: len(store.select(q)))
            paths, paths_error = _paths_or_error(store)
            assert server.process is not None
            rss = _peak_rss_mb(server.process.pid)
    return {
        "engine": name,
        "quads": quads,
        "load_s": load_s,
        "rss_peak_mb": rss,
        "disk_mb": _du_mb(workdir),
        "queries": queries,
        "paths": paths,
        "paths_error": paths_error,
    }


def run_embedded(data: Path, workdir: Path) -> dict[str, Any]:
    """The embedded store, in a fresh process (figures from ``benchmarks/store.py``)."""
    result = run_child("embedded", data, workdir)
    from cmkg.graph.store import EmbeddedStore

    # the child loaded and timed the queries; the paths are timed here on the stored data
    with EmbeddedStore(workdir / "store") as store:
        result["paths"], result["paths_error"] = _paths_or_error(store)
    return result


def print_results(results: list[dict[str, Any]]) -> None:
    """The load and query table of ``benchmarks/store.py``, then the dependency paths."""
    print_table(results)
    print("\ndependency paths (default content written through the seam, then the projection):")
    print(
        f"{'backend':<14}{'quads':>10}{'default s':>11}{'build s':>9}{'nodes':>7}{'edges':>8}"
        f"{'call p50 ms':>13}{'p99 ms':>8}  paths found"
    )
    for r in results:
        d = r.get("paths")
        if not d:
            print(f"{r['engine']:<14}{r['quads']:>10}  failed: {r.get('paths_error', '?')}")
            continue
        found = ", ".join(f"{k[6:]}={v}" for k, v in d.items() if k.startswith("paths "))
        print(
            f"{r['engine']:<14}{r['quads']:>10}{d['default content']:>11.1f}"
            f"{d['projection build']:>9.2f}{d['projection nodes']:>7}{d['projection edges']:>8}"
            f"{d['call p50'] * 1000:>13.2f}{d['call p99'] * 1000:>8.2f}  {found}"
        )


def print_growth(results: list[dict[str, Any]]) -> None:
    """How each backend's load rate and latencies grow from the smallest to the largest size."""
    by_engine: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        by_engine.setdefault(r["engine"], []).append(r)
    print("\ngrowth, largest size over smallest (x times; 1 = flat):")
    for engine, runs in by_engine.items():
        if len(runs) < 2:
            continue
        small, big = runs[0], runs[-1]
        rate = (big["quads"] / big["load_s"]) / (small["quads"] / small["load_s"])
        growth = ", ".join(
            f"{n} x{big['queries'][n]['median'] / small['queries'][n]['median']:.1f}"
            if big["queries"][n]["runs"] and small["queries"][n]["runs"]
            else f"{n} -"
            for n in QUERIES
        )
        if small.get("paths") and big.get("paths"):
            a, b = small["paths"], big["paths"]
            growth += (
                f"; projection build x{b['projection build'] / a['projection build']:.1f}"
                f", path call p50 x{b['call p50'] / a['call p50']:.1f}"
            )
        size = big["quads"] / small["quads"]
        print(f"  {engine:<13} data x{size:.0f}: load rate x{rate:.2f}; {growth}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument(
        "--backends",
        nargs="+",
        default=list(DEFAULT_BACKENDS),
        choices=BACKENDS,
        help="virtuoso: its bulk loader; virtuoso-gsp: cmkg's Graph Store Protocol path",
    )
    parser.add_argument(
        "--virtuoso-memory-mb", type=int, default=2000, help="Virtuoso's page buffers"
    )
    parser.add_argument("--workdir", help="where data and stores go (default: a temp folder)")
    args = parser.parse_args()
    root = Path(args.workdir or tempfile.mkdtemp(prefix="cmkg-bench-scaleout-"))
    root.mkdir(parents=True, exist_ok=True)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {memory:.0f} GiB RAM", flush=True)
    results = []
    try:
        for size in sorted(args.sizes):
            data = root / f"data-{size}.nq"
            started = time.perf_counter()
            count = synthetic_nquads(data, size)
            print(f"generated {count} quads in {time.perf_counter() - started:.0f} s", flush=True)
            for backend in args.backends:
                workdir = root / f"{backend}-{size}"
                workdir.mkdir()
                load = os.getloadavg()[0]
                if backend == "embedded":
                    result = run_embedded(data, workdir)
                else:
                    result = run_server(
                        backend, data, workdir, args.virtuoso_memory_mb, quads_in_file=count
                    )
                result["loadavg"] = load
                results.append(result)
                medians = ", ".join(
                    f"{n} {q['median'] * 1000:.1f} ms" if q["runs"] else f"{n} failed"
                    for n, q in result["queries"].items()
                )
                print(
                    f"  {backend}: {result['quads']} quads in {result['load_s']:.0f} s "
                    f"(load average at start {load:.1f}); {medians}",
                    flush=True,
                )
                shutil.rmtree(workdir, ignore_errors=True)
            data.unlink()
        print()
        print_results(results)
        print_growth(results)
    finally:
        if not args.workdir:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
