"""Scale-out benchmark (issue #7): the embedded store, Oxigraph server and Virtuoso.

For each size (1M and 10M triples by default) and backend, on the synthetic data of
``benchmarks/store.py`` (shaped like the cmkg graph):

- the load rate through :meth:`~cmkg.graph.store.Store.bulk_load` - embedded: transactional
  batches of whole graphs; Oxigraph server: SPARQL Update requests of whole graphs (about
  10,000 quads each); Virtuoso: one Graph Store Protocol ``POST`` per graph (Virtuoso's
  ``INSERT DATA`` is slow and capped in size);
- the median latency of the five queries of ``benchmarks/store.py`` through
  :meth:`~cmkg.graph.store.Store.select` (for the servers: over HTTP on loopback);
- the peak RSS (the embedded store's process; the server's process from ``/proc``) and the
  size on disk;
- the dependency-path latency, once :func:`dependency_path_latency` is filled in.

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
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from store import QUERIES, _print_errors, run_child, synthetic_nquads, time_queries

from cmkg.graph.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import sparql_servers  # noqa: E402  (a script module, not a package)

BACKENDS = ("embedded", "oxigraph", "virtuoso")


def dependency_path_latency(store: Store) -> dict[str, float] | None:
    """The hook for the dependency-path figures: median seconds by case, or None.

    To be filled in with the analytics' dependency paths (project the store, then time
    ``dependency_paths`` for a few country/mineral pairs); every backend's store comes
    through here after its queries were timed.
    """
    return None


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


def run_server(name: str, data: Path, workdir: Path, memory_mb: int) -> dict[str, Any]:
    """Load ``data`` into a fresh server ``name`` and time the queries."""
    options: dict[str, Any] = {"query_timeout": 3600}
    if name == "virtuoso":
        options["memory_mb"] = memory_mb
    with sparql_servers.running(name, workdir, **options) as server:
        gsp = name == "virtuoso"
        with server.store(gsp=gsp, timeout=3600, write_timeout=3600) as store:
            started = time.perf_counter()
            quads = store.bulk_load(data, batch_size=10_000)
            load_s = time.perf_counter() - started
            queries = time_queries(lambda q: len(store.select(q)))
            paths = dependency_path_latency(store)
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
    }


def run_embedded(data: Path, workdir: Path) -> dict[str, Any]:
    """The embedded store, in a fresh process (figures from ``benchmarks/store.py``)."""
    result = run_child("embedded", data, workdir)
    result["paths"] = None  # the child cannot call the hook: time it here on the stored data
    from cmkg.graph.store import EmbeddedStore

    with EmbeddedStore(workdir / "store") as store:
        result["paths"] = dependency_path_latency(store)
    return result


def print_results(results: list[dict[str, Any]]) -> None:
    names = list(QUERIES)
    head = f"{'backend':<10}{'quads':>10}{'load s':>9}{'quads/s':>9}{'RSS MB':>8}{'disk MB':>9}"
    print(head + "".join(f"{n + ' ms':>13}" for n in names))
    for r in results:
        line = (
            f"{r['engine']:<10}{r['quads']:>10}{r['load_s']:>9.0f}"
            f"{r['quads'] / r['load_s']:>9.0f}{r['rss_peak_mb']:>8.0f}{r['disk_mb']:>9.0f}"
        )
        for n in names:
            q = r["queries"][n]
            mark = "" if q["runs"] >= 5 else f"/{int(q['runs'])}"
            line += f"{q['median'] * 1000:>11.1f}{mark:<2}" if q["runs"] else f"{'failed':>13}"
        print(line)
        if r.get("paths"):
            print("           dependency paths (ms): " + ", ".join(
                f"{case}={seconds * 1000:.1f}" for case, seconds in r["paths"].items()
            ))  # fmt: skip
    _print_errors(results)
    for r in results:
        counts = ", ".join(f"{n}={int(r['queries'][n]['rows'])}" for n in names)
        print(f"rows {r['engine']}@{r['quads']}: {counts}")


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
        size = big["quads"] / small["quads"]
        print(f"  {engine:<9} data x{size:.0f}: load rate x{rate:.2f}; {growth}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS)
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
                    result = run_server(backend, data, workdir, args.virtuoso_memory_mb)
                result["loadavg"] = load
                results.append(result)
                print(
                    f"  {backend}: {result['quads']} quads in {result['load_s']:.0f} s "
                    f"(load average at start {load:.1f})",
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
