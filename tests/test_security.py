"""Safe to expose: nothing fetched, queries cancelled at their deadline, limits, keys, leaks.

Through the app under uvicorn on loopback (embedded store in a temporary folder), except the
error-handler checks that need a route raising on purpose (an in-process ASGI call of the same
app factory). Timings are printed by ``benchmarks/query_cancellation.py``, not asserted here.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from servers import App, Canary, running_app

from cmkg.api.app import create_app
from cmkg.api.settings import Settings
from cmkg.graph.store import open_store

API_KEY = "security-test-key"
G = "http://example.org/graph/"
HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . FILTER (STR(?b) != STR(?f)) }"
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e.org/">
  <rdf:Description rdf:about="http://e.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""


def _seed(path: Path, triples: int) -> None:
    store = open_store("embedded", path=path)
    try:
        for g in range(2):
            store.replace_graph(
                f"{G}{g}",
                [
                    ox.Triple(
                        ox.NamedNode(f"http://example.org/s{i}"),
                        ox.NamedNode(f"http://example.org/p{i % 7}"),
                        ox.Literal(str(i)),
                    )
                    for i in range(g * triples, (g + 1) * triples)
                ],
            )
    finally:
        store.close()


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    with tempfile.TemporaryDirectory(prefix="cmkg-security-") as folder:
        _seed(Path(folder) / "store", 1500)
        settings = {
            "CMKG_STORE": "embedded",
            "CMKG_STORE_PATH": str(Path(folder) / "store"),
            "CMKG_PRELOAD": "false",
            "CMKG_API_KEY": API_KEY,
            "CMKG_QUERY_TIMEOUT": "2",
            "CMKG_MAX_CONCURRENT_QUERIES": "2",
            "CMKG_MAX_QUERY_BYTES": "2000",
            "CMKG_MAX_UPLOAD_BYTES": "100000",
        }
        with running_app(settings) as running:
            yield running


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


# ------------------------------------------------------------------------ deadline, cancellation


def _wait_for_idle_workers(app: App, count: int) -> None:
    for _ in range(100):
        if httpx.get(f"{app.url}/health").json()["query_workers_idle"] == count:
            return
        time.sleep(0.1)
    raise AssertionError(f"the query pool never got back to {count} idle workers")


def test_a_query_past_its_deadline_is_cancelled_while_others_are_answered(app: App) -> None:
    _wait_for_idle_workers(app, 2)
    before = _descendants(app.pid)
    outcome: dict[str, httpx.Response] = {}

    def heavy() -> None:
        outcome["heavy"] = httpx.get(f"{app.url}/sparql", params={"query": HEAVY}, timeout=30)

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.5)
    answered_during = []
    while thread.is_alive():
        ask = httpx.post(
            f"{app.url}/sparql",
            content="ASK {}",
            headers={"Content-Type": "application/sparql-query"},
            timeout=5,
        )
        health = httpx.get(f"{app.url}/health", timeout=5)
        answered_during.append((ask.status_code, ask.json()["boolean"], health.status_code))
        time.sleep(0.2)
    thread.join()
    response = outcome["heavy"]
    assert response.status_code == 503
    assert response.json()["error"] == "query_timeout"
    assert answered_during and all(a == (200, True, 200) for a in answered_during)
    # the worker that ran the query was killed (not left computing) and replaced
    time.sleep(1.0)
    after = _descendants(app.pid)
    assert before - after, "no query worker was killed"
    ticks = {pid: _cpu_ticks(pid) for pid in after}
    time.sleep(1.0)
    busy = [pid for pid in after if _cpu_ticks(pid) - ticks[pid] > 20]  # > 0.2 s of CPU in 1 s
    assert busy == [], "a process is still computing after the deadline"
    # and the pool is whole again
    _wait_for_idle_workers(app, 2)
    metrics = httpx.get(f"{app.url}/metrics").text
    timeouts = next(
        float(line.split()[-1])
        for line in metrics.splitlines()
        if line.startswith("cmkg_sparql_query_timeouts_total ")
    )
    assert timeouts >= 1


def test_more_queries_than_slots_get_429(app: App) -> None:
    threads = [
        threading.Thread(
            target=httpx.get, args=(f"{app.url}/sparql",), kwargs={"params": {"query": HEAVY}}
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    third = httpx.get(f"{app.url}/sparql", params={"query": "ASK {}"})
    for thread in threads:
        thread.join()
    assert third.status_code == 429
    assert third.json()["error"] == "too_many_queries"
    assert third.headers["retry-after"] == "1"


# ------------------------------------------------------------------------ no outbound request


def _attempts(canary: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, path, request arguments) of every way a request could make the server reach out."""
    q = {"Content-Type": "application/sparql-query"}
    u = {"Content-Type": "application/sparql-update", "X-API-Key": API_KEY}
    return [
        ("service", "/sparql", {"params": {"query": f"SELECT * {{ SERVICE <{canary}/s> {{}} }}"}}),
        (
            "service-prefixed",
            "/sparql",
            {
                "content": f"PREFIX c: <{canary}/> SELECT * {{ SERVICE SILENT c:s {{}} }}",
                "headers": q,
            },
        ),
        (
            "service-lowercase-in-union",
            "/sparql",
            {"content": f"select * {{ {{}} union {{ service <{canary}/x> {{}} }} }}", "headers": q},
        ),
        ("from", "/sparql", {"params": {"query": f"ASK FROM <{canary}/g> {{ ?s ?p ?o }}"}}),
        (
            "from-named",
            "/sparql",
            {"params": {"query": f"ASK FROM NAMED <{canary}/g> {{ GRAPH ?g {{ ?s ?p ?o }} }}"}},
        ),
        ("load", "/sparql/update", {"content": f"LOAD <{canary}/data.ttl>", "headers": u}),
        (
            "load-into-graph",
            "/sparql/update",
            {"content": f"LOAD SILENT <{canary}/d.ttl> INTO GRAPH <{G}x>", "headers": u},
        ),
        (
            "service-in-update",
            "/sparql/update",
            {
                "content": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{canary}/s> {{ ?s ?p ?o }} }}",
                "headers": u,
            },
        ),
        (
            "using",
            "/sparql/update",
            {
                "content": f"INSERT {{ ?s ?p ?o }} USING <{canary}/g> WHERE {{ ?s ?p ?o }}",
                "headers": u,
            },
        ),
        (
            "jsonld-remote-context",
            "/rdf-graph-store?graph=" + G + "jsonld",
            {
                "content": f'{{"@context": "{canary}/context.jsonld", "@id": "http://e.org/a"}}',
                "headers": {"Content-Type": "application/ld+json", "X-API-Key": API_KEY},
                "method": "PUT",
            },
        ),
        (
            "rdfxml-external-entity",
            "/rdf-graph-store?graph=" + G + "xml",
            {
                "content": (
                    f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{canary}/e">]>'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                    "<rdf:Description>&x;</rdf:Description></rdf:RDF>"
                ),
                "headers": {"Content-Type": "application/rdf+xml", "X-API-Key": API_KEY},
                "method": "PUT",
            },
        ),
    ]


_ATTEMPT_NAMES = [a[0] for a in _attempts("http://canary")]


@pytest.mark.parametrize("name", _ATTEMPT_NAMES)
def test_nothing_is_fetched_because_of_a_request(app: App, name: str) -> None:
    with Canary() as canary:
        _, path, kwargs = next(a for a in _attempts(canary.url) if a[0] == name)
        kwargs = dict(kwargs)
        method = kwargs.pop("method", "POST" if "content" in kwargs else "GET")
        response = httpx.request(method, f"{app.url}{path}", timeout=10, **kwargs)
        time.sleep(0.2)
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["error"] in ("query_refused", "invalid_input"), body
        assert canary.hits == []


def test_a_dataset_graph_outside_the_store_is_empty_not_fetched(app: App) -> None:
    with Canary() as canary:
        response = httpx.get(
            f"{app.url}/sparql",
            params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": f"{canary.url}/g"},
        )
        assert response.status_code == 200
        assert response.json()["boolean"] is False
        assert canary.hits == []


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
        "SELECT * { <file:///etc/passwd> ?p ?o }",
        "BASE <file:///etc/> SELECT * { <passwd> ?p ?o }",
        "PREFIX f: <fi\\u006ce:///etc/> SELECT * { f:passwd ?p ?o }",
    ],
)
def test_file_iris_are_refused(app: App, query: str) -> None:
    response = httpx.get(f"{app.url}/sparql", params={"query": query})
    assert response.status_code == 400
    assert "file:" in response.json()["message"]


def test_billion_laughs_is_refused_before_parsing(app: App) -> None:
    response = httpx.put(
        f"{app.url}/rdf-graph-store",
        params={"graph": f"{G}lol"},
        content=BILLION_LAUGHS,
        headers={"Content-Type": "application/rdf+xml", "X-API-Key": API_KEY},
    )
    assert response.status_code == 400
    assert "DOCTYPE" in response.json()["message"]
    assert httpx.get(f"{app.url}/rdf-graph-store", params={"graph": f"{G}lol"}).status_code == 404


# ------------------------------------------------------------------------ limits


def test_a_query_body_over_the_limit_is_413_by_content_length(app: App) -> None:
    query = "ASK { " + "?s ?p ?o . " * 300 + "}"
    response = httpx.post(
        f"{app.url}/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


def test_a_streamed_query_body_over_the_limit_is_413(app: App) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"ASK { "
        for _ in range(300):
            yield b"?s ?p ?o . "
        yield b"}"

    response = httpx.post(
        f"{app.url}/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert "content-length" not in response.request.headers  # sent chunked
    assert response.status_code == 413


def test_an_upload_over_the_limit_is_413(app: App) -> None:
    response = httpx.put(
        f"{app.url}/rdf-graph-store",
        params={"graph": f"{G}big"},
        content=b"<http://e.org/a> <http://e.org/b> 1 .\n" * 5000,
        headers={"Content-Type": "application/n-triples", "X-API-Key": API_KEY},
    )
    assert response.status_code == 413


def test_results_over_the_row_cap_are_marked() -> None:
    with tempfile.TemporaryDirectory(prefix="cmkg-cap-") as folder:
        _seed(Path(folder) / "store", 20)
        settings = {
            "CMKG_STORE": "embedded",
            "CMKG_STORE_PATH": str(Path(folder) / "store"),
            "CMKG_PRELOAD": "false",
            "CMKG_RESULT_ROW_CAP": "25",
        }
        with running_app(settings) as running:
            capped = httpx.get(f"{running.url}/sparql", params={"query": "SELECT * {?s ?p ?o}"})
            whole = httpx.get(
                f"{running.url}/sparql", params={"query": f"SELECT * FROM <{G}0> {{?s ?p ?o}}"}
            )
            graph = httpx.get(
                f"{running.url}/sparql", params={"query": "CONSTRUCT WHERE {?s ?p ?o}"}
            )
    assert capped.headers["x-result-truncated"] == "true"
    assert len(capped.json()["results"]["bindings"]) == 25
    assert "x-result-truncated" not in whole.headers
    assert len(whole.json()["results"]["bindings"]) == 20
    assert graph.headers["x-result-truncated"] == "true"
    assert len(list(ox.parse(graph.content, format=ox.RdfFormat.TURTLE))) == 25


# ------------------------------------------------------------------------ keys and CORS


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("POST", "/sparql/update", {"Content-Type": "application/sparql-update"}),
        ("POST", "/sparql/update", {"Content-Type": "application/sparql-update", "X-API-Key": "x"}),
        ("PUT", f"/rdf-graph-store?graph={G}k", {"Content-Type": "text/turtle"}),
        ("DELETE", f"/rdf-graph-store?graph={G}0", {"Authorization": "Bearer wrong"}),
    ],
)
def test_writes_need_the_key(app: App, method: str, path: str, headers: dict) -> None:
    response = httpx.request(method, f"{app.url}{path}", content=b"CLEAR ALL", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert httpx.get(f"{app.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]


def test_cors_is_for_reads_only(app: App) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    read = httpx.get(f"{app.url}/sparql", params={"query": "ASK {}"}, headers=origin)
    assert read.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in read.headers
    preflight = httpx.options(
        f"{app.url}/sparql",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    for path, method in (("/sparql/update", "POST"), (f"/rdf-graph-store?graph={G}0", "PUT")):
        refused = httpx.options(
            f"{app.url}{path}", headers={**origin, "Access-Control-Request-Method": method}
        )
        assert "access-control-allow-origin" not in refused.headers
    write = httpx.post(
        f"{app.url}/sparql/update",
        content="CLEAR SILENT GRAPH <http://example.org/none>",
        headers={**origin, "Content-Type": "application/sparql-update", "X-API-Key": API_KEY},
    )
    assert write.status_code == 204
    assert "access-control-allow-origin" not in write.headers


# ------------------------------------------------------------------------ error bodies


def _call(app, method: str, path: str, **kwargs) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(go())


def test_unexpected_errors_are_json_500_without_traces_or_paths() -> None:
    app = create_app(Settings(store="memory", preload=False))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("cannot read /srv/cmkg/var/store/000123.sst")

    response = _call(app, "GET", "/boom")
    assert response.status_code == 500
    assert response.json() == {
        "error": "internal_error",
        "message": "an unexpected error occurred; it has been logged",
    }
    assert "/srv" not in response.text and "Traceback" not in response.text


def test_validation_errors_are_readable_422() -> None:
    app = create_app(Settings(store="memory", preload=False))

    @app.get("/typed")
    def typed(year: int) -> int:
        return year

    response = _call(app, "GET", "/typed", params={"year": "last"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert body["message"].startswith("query parameter 'year': ")


def test_store_error_messages_stay_in_the_log() -> None:
    from cmkg.graph.errors import StoreError

    app = create_app(Settings(store="memory", preload=False))

    @app.get("/store-down")
    def store_down() -> None:
        raise StoreError("cannot open /var/lib/cmkg/store: Resource temporarily unavailable")

    response = _call(app, "GET", "/store-down")
    assert response.status_code == 503
    assert "/var/lib" not in response.text
    assert response.headers["retry-after"] == "5"


def test_writes_are_refused_when_no_key_is_configured() -> None:
    app = create_app(Settings(store="memory", preload=False, api_key=None))
    response = _call(
        app,
        "POST",
        "/sparql/update",
        content="CLEAR ALL",
        headers={"Content-Type": "application/sparql-update", "X-API-Key": "anything"},
    )
    assert response.status_code == 403
    assert "CMKG_API_KEY" in response.json()["message"]
