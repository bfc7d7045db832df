"""Safety figures of the SPARQL endpoint, measured on a real uvicorn on loopback.

Printed:

- cancellation: time from sending a pathological query (a three-way cartesian product over
  N triples) to its ``503 query_timeout`` answer, for the configured deadline;
- responsiveness meanwhile: latency of ``ASK {}`` and of ``/health`` sent while that query
  runs (median and maximum over the samples);
- billion laughs: time to refuse an RDF/XML upload carrying the classic entity bomb;
- snapshot: latency of the first query after a write (the query workers' snapshot is remade).

Run: ``.venv/bin/python benchmarks/query_safety.py [--triples 3000] [--timeout 10]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from cmkg.graph.store import EmbeddedStore

KEY = "benchmark-key"
HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . FILTER (STR(?b) != STR(?f)) }"
)
LOL = "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' if i else '<!ENTITY lol0 "lol">\n'
    for i in range(10)
)
BOMB = (
    f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{LOL}]>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e.org/">'
    '<rdf:Description rdf:about="http://e.org/a"><ex:p>&lol9;</ex:p></rdf:Description>'
    "</rdf:RDF>"
).encode()


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=3000)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cmkg-bench-safety-"))
    store = EmbeddedStore(folder / "store")
    store.replace_graph(
        "http://example.org/g",
        [
            ox.Triple(
                ox.NamedNode(f"http://example.org/s{i}"),
                ox.NamedNode(f"http://example.org/p{i % 7}"),
                ox.Literal(str(i)),
            )
            for i in range(args.triples)
        ],
    )
    store.close()
    port = _port()
    env = {
        **os.environ,
        "CMKG_STORE": "embedded",
        "CMKG_STORE_PATH": str(folder / "store"),
        "CMKG_PRELOAD": "false",
        "CMKG_API_KEY": KEY,
        "CMKG_QUERY_TIMEOUT": str(args.timeout),
    }
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "cmkg.api.app:create_app", "--factory"),
            *("--port", str(port), "--no-access-log", "--log-level", "warning"),
        ],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health").json().get("query_workers_idle"):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        time.sleep(1.0)  # let the whole pool start
        result: dict[str, float | int] = {}

        def heavy() -> None:
            started = time.perf_counter()
            response = httpx.get(f"{base}/sparql", params={"query": HEAVY}, timeout=120)
            result["seconds"] = time.perf_counter() - started
            result["status"] = response.status_code

        client = httpx.Client(timeout=30)
        thread = threading.Thread(target=heavy)
        thread.start()
        time.sleep(0.3)
        ask, health = [], []
        while thread.is_alive():
            started = time.perf_counter()
            client.post(
                f"{base}/sparql",
                content="ASK {}",
                headers={"Content-Type": "application/sparql-query"},
            )
            ask.append(time.perf_counter() - started)
            started = time.perf_counter()
            client.get(f"{base}/health")
            health.append(time.perf_counter() - started)
            time.sleep(0.1)
        thread.join()
        print(f"triples: {args.triples}, deadline: {args.timeout:g} s")
        print(f"pathological query: HTTP {result['status']} after {result['seconds']:.2f} s")
        print(
            f"ASK {{}} during it: median {_ms(statistics.median(ask))}, max {_ms(max(ask))} "
            f"({len(ask)} samples)"
        )
        print(f"/health during it: median {_ms(statistics.median(health))}, max {_ms(max(health))}")

        started = time.perf_counter()
        response = client.put(
            f"{base}/rdf-graph-store",
            params={"graph": "http://example.org/lol"},
            content=BOMB,
            headers={"Content-Type": "application/rdf+xml", "X-API-Key": KEY},
        )
        print(
            f"billion laughs refused: HTTP {response.status_code} in "
            f"{_ms(time.perf_counter() - started)}"
        )

        firsts, warm = [], []
        for i in range(5):
            client.post(
                f"{base}/sparql/update",
                content=f"INSERT DATA {{ GRAPH <http://example.org/w> {{ <urn:a> <urn:b> {i} }} }}",
                headers={"Content-Type": "application/sparql-update", "X-API-Key": KEY},
            )
            for bucket in (firsts, warm):
                started = time.perf_counter()
                client.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"})
                bucket.append(time.perf_counter() - started)
        print(
            f"first query after a write (new snapshot): median {_ms(statistics.median(firsts))}; "
            f"next query: median {_ms(statistics.median(warm))}"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
