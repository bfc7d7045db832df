"""The SPARQL endpoints through the app under uvicorn on loopback: formats, datasets, updates,
the Graph Store, the service description, the UI page and the JSON error bodies."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from servers import App, running_app

from cmkg.graph.store import open_store

API_KEY = "protocol-test-key"
G = "http://example.org/graph/"
EX = "http://example.org/"
LITHIUM = f"""
<{EX}AU> <{EX}produces> <{EX}lithium> .
<{EX}CL> <{EX}produces> <{EX}lithium> .
<{EX}lithium> <{EX}label> "lithium"@en .
"""
COBALT = f"""
<{EX}CD> <{EX}produces> <{EX}cobalt> .
<{EX}cobalt> <{EX}label> "cobalt"@en, "Kobalt"@de .
"""
ALL_PRODUCERS = {f"{EX}AU", f"{EX}CL", f"{EX}CD"}
JSON = "application/sparql-results+json"


def _triples(text: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    with tempfile.TemporaryDirectory(prefix="cmkg-protocol-") as folder:
        store = open_store("embedded", path=Path(folder) / "store")
        try:
            store.replace_graph(f"{G}lithium", _triples(LITHIUM))
            store.replace_graph(f"{G}cobalt", _triples(COBALT))
        finally:
            store.close()
        settings = {
            "CMKG_STORE": "embedded",
            "CMKG_STORE_PATH": str(Path(folder) / "store"),
            "CMKG_PRELOAD": "false",
            "CMKG_API_KEY": API_KEY,
        }
        with running_app(settings) as running:
            yield running


def _query(app: App, query: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(f"{app.url}/sparql", params={"query": query, **params}, headers=headers)


def _producers(response: httpx.Response) -> set[str]:
    media = response.headers["content-type"].split(";")[0]
    if media == "text/csv":  # lossy: pyoxigraph does not read it back
        rows = list(csv.DictReader(io.StringIO(response.text)))
        return {row["c"] for row in rows}
    fmt = ox.QueryResultsFormat.from_media_type(media)
    return {row["c"].value for row in ox.parse_query_results(response.content, format=fmt)}


# ------------------------------------------------------------------------ formats


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ],
)
def test_select_results_in_each_format(app: App, accept: str | None, media: str) -> None:
    response = _query(app, f"SELECT ?c WHERE {{ ?c <{EX}produces> ?m }}", accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    if media.startswith("text/"):
        assert "charset=utf-8" in response.headers["content-type"]
    assert _producers(response) == ALL_PRODUCERS


def test_select_terms_survive_the_round_trip(app: App) -> None:
    query = f"SELECT ?l WHERE {{ <{EX}cobalt> <{EX}label> ?l }} ORDER BY ?l"
    for accept in (JSON, "application/sparql-results+xml", "text/tab-separated-values"):
        response = _query(app, query, accept)
        fmt = ox.QueryResultsFormat.from_media_type(accept)
        labels = {row["l"] for row in ox.parse_query_results(response.content, format=fmt)}
        assert labels == {ox.Literal("cobalt", language="en"), ox.Literal("Kobalt", language="de")}


@pytest.mark.parametrize(
    "accept",
    [None, "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"],
)
def test_construct_results_in_each_format(app: App, accept: str | None) -> None:
    response = _query(app, f"CONSTRUCT WHERE {{ ?c <{EX}produces> <{EX}lithium> }}", accept)
    assert response.status_code == 200
    media = response.headers["content-type"].split(";")[0]
    assert media == (accept or "text/turtle")
    fmt = ox.RdfFormat.from_media_type(media)
    got = ox.serialize(ox.parse(response.content, format=fmt), format=ox.RdfFormat.N_TRIPLES)
    expected = Graph().parse(
        data="\n".join(line for line in LITHIUM.splitlines() if "produces" in line), format="nt"
    )
    assert isomorphic(Graph().parse(data=got.decode(), format="nt"), expected)


@pytest.mark.parametrize(
    ("accept", "boolean"),
    [(None, "json"), ("application/sparql-results+xml", "xml")],
)
def test_ask(app: App, accept: str | None, boolean: str) -> None:
    response = _query(app, f"ASK {{ <{EX}AU> <{EX}produces> <{EX}lithium> }}", accept)
    fmt = ox.QueryResultsFormat.from_media_type(response.headers["content-type"].split(";")[0])
    assert fmt is not None and boolean in fmt.name.lower()
    assert bool(ox.parse_query_results(response.content, format=fmt)) is True


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("SELECT * {}", "text/turtle"),
        ("ASK {}", "text/csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/sparql-results+json"),
        ("SELECT * {}", "image/png, text/html;q=0.9"),
    ],
)
def test_unacceptable_formats_are_406(app: App, query: str, accept: str) -> None:
    response = _query(app, query, accept)
    assert response.status_code == 406
    body = response.json()
    assert body["error"] == "not_acceptable"
    assert "available as" in body["message"]


# ------------------------------------------------------------------------ datasets


def test_the_default_graph_is_the_union_of_all_graphs(app: App) -> None:
    assert _producers(_query(app, f"SELECT ?c {{ ?c <{EX}produces> ?m }}")) == ALL_PRODUCERS


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"default-graph-uri": f"{G}cobalt"}, {f"{EX}CD"}),
        ({"default-graph-uri": f"{G}nothing-here"}, set()),
        ({"named-graph-uri": f"{G}cobalt"}, set()),
    ],
)
def test_the_protocol_dataset_is_honoured(app: App, params: dict, expected: set[str]) -> None:
    response = _query(app, f"SELECT ?c {{ ?c <{EX}produces> ?m }}", **params)
    assert response.status_code == 200
    assert _producers(response) == expected


def test_named_graphs_of_the_protocol_dataset(app: App) -> None:
    query = f"SELECT ?g {{ GRAPH ?g {{ ?c <{EX}produces> ?m }} }}"
    response = _query(app, query, **{"named-graph-uri": f"{G}cobalt"})
    rows = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    graphs = {row["g"].value for row in rows}
    assert graphs == {f"{G}cobalt"}


def test_from_a_graph_of_the_store_and_protocol_precedence(app: App) -> None:
    query = f"SELECT ?c FROM <{G}lithium> {{ ?c <{EX}produces> ?m }}"
    assert _producers(_query(app, query)) == {f"{EX}AU", f"{EX}CL"}
    overridden = _query(app, query, **{"default-graph-uri": f"{G}cobalt"})
    assert _producers(overridden) == {f"{EX}CD"}


# ------------------------------------------------------------------------ updates


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": {"update": "CLEAR ALL"}}),
        (
            "POST",
            {
                "content": "update=CLEAR+ALL",
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            },
        ),
        (
            "POST",
            {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
        ),
        (
            "POST",
            {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-query"}},
        ),
    ],
)
def test_sparql_is_read_only(app: App, method: str, kwargs: dict) -> None:
    response = httpx.request(method, f"{app.url}/sparql", **kwargs)
    assert response.status_code in (400, 405)
    assert "/sparql/update" in response.json()["message"]
    assert _producers(_query(app, f"SELECT ?c {{ ?c <{EX}produces> ?m }}")) == ALL_PRODUCERS


def _update(app: App, text: str, **params: str) -> httpx.Response:
    return httpx.post(
        f"{app.url}/sparql/update",
        params=params,
        content=text,
        headers={"Content-Type": "application/sparql-update", "X-API-Key": API_KEY},
    )


def test_updates_with_the_key(app: App) -> None:
    target = f"{G}updated"
    form = httpx.post(
        f"{app.url}/sparql/update",
        data={"update": f"INSERT DATA {{ GRAPH <{target}> {{ <{EX}ID> <{EX}p> <{EX}ni> }} }}"},
        headers={"X-API-Key": API_KEY},
    )
    assert form.status_code == 204
    copied = _update(
        app,
        f"INSERT {{ GRAPH <{target}> {{ ?c <{EX}also> ?m }} }} WHERE {{ ?c <{EX}produces> ?m }}",
        **{"using-graph-uri": f"{G}cobalt"},
    )
    assert copied.status_code == 204
    response = _query(app, f"SELECT ?c FROM <{target}> {{ ?c ?p ?m }}")
    assert _producers(response) == {f"{EX}ID", f"{EX}CD"}
    conflict = _update(
        app,
        f"WITH <{target}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
        **{"using-graph-uri": f"{G}cobalt"},
    )
    assert conflict.status_code == 400
    assert _update(app, f"DROP GRAPH <{target}>").status_code == 204


def test_relative_iris_in_updates_resolve_against_the_endpoint(app: App) -> None:
    target = f"{G}base"
    assert _update(app, f"INSERT DATA {{ GRAPH <{target}> {{ <s> <p> <o> }} }}").status_code == 204
    response = _query(app, f"SELECT ?c {{ GRAPH <{target}> {{ ?c ?p ?o }} }}")
    assert _producers(response) == {f"{app.url}/sparql/s"}
    _update(app, f"DROP GRAPH <{target}>")


# ------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("PUT", "/sparql", {}, 405, "method_not_allowed"),
        ("POST", "/sparql", {"content": "ASK {}"}, 415, "unsupported_media_type"),
        (
            "POST",
            "/sparql",
            {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
        (
            "POST",
            "/sparql",
            {
                "content": "ASK {}".encode("utf-16"),
                "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"},
            },
            415,
            "unsupported_media_type",
        ),
        (
            "POST",
            "/sparql",
            {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}},
            400,
            "invalid_input",
        ),
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", {}, 400, "query_error"),
        ("GET", "/sparql?query=ASK%20%7B", {}, 400, "query_error"),
        ("GET", "/sparql?query=ASK%7B%7D&default-graph-uri=relative", {}, 400, "query_error"),
        ("GET", "/nowhere", {}, 404, "not_found"),
        ("GET", "/rdf-graph-store", {}, 400, "invalid_input"),
        ("GET", f"/rdf-graph-store?graph={G}none", {}, 404, "not_found"),
        ("GET", f"/rdf-graph-store?graph={G}none&default", {}, 400, "invalid_input"),
    ],
)
def test_errors_are_json_with_a_message(
    app: App, method: str, path: str, kwargs: dict, status: int, code: str
) -> None:
    response = httpx.request(method, f"{app.url}{path}", **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] == code
    assert body["message"]


# ------------------------------------------------------------------------ Graph Store


def _gsp(app: App, method: str, content: bytes | None = None, ctype: str | None = None, **params):
    headers = {"X-API-Key": API_KEY}
    if ctype:
        headers["Content-Type"] = ctype
    return httpx.request(
        method, f"{app.url}/rdf-graph-store", params=params, content=content, headers=headers
    )


def test_graph_store_round_trip(app: App) -> None:
    target = f"{G}gsp"
    turtle = f"<{EX}a> <{EX}b> <{EX}c> ."
    assert _gsp(app, "PUT", turtle.encode(), "text/turtle", graph=target).status_code == 201
    assert _gsp(app, "PUT", turtle.encode(), "text/turtle", graph=target).status_code == 204
    more = f'<{EX}a> <{EX}d> "e" .'
    assert (
        _gsp(app, "POST", more.encode(), "application/n-triples", graph=target).status_code == 204
    )
    got = httpx.get(f"{app.url}/rdf-graph-store", params={"graph": target})
    assert got.headers["content-type"] == "text/turtle; charset=utf-8"
    assert isomorphic(
        Graph().parse(data=got.text, format="turtle"),
        Graph().parse(data=turtle + "\n" + more, format="turtle"),
    )
    head = httpx.head(f"{app.url}/rdf-graph-store", params={"graph": target})
    assert (head.status_code, head.content) == (200, b"")
    assert _gsp(app, "DELETE", graph=target).status_code == 204
    assert _gsp(app, "DELETE", graph=target).status_code == 404


def test_graph_store_default_graph_and_new_graphs(app: App) -> None:
    doc = f"<{EX}x> <{EX}y> <{EX}z> ."
    assert _gsp(app, "PUT", doc.encode(), "text/turtle", default="").status_code == 204
    got = httpx.get(
        f"{app.url}/rdf-graph-store?default", headers={"Accept": "application/n-triples"}
    )
    assert got.text.strip() == doc
    assert _gsp(app, "DELETE", default="").status_code == 204
    created = _gsp(app, "POST", doc.encode(), "text/turtle")
    assert created.status_code == 201
    location = created.headers["location"]
    assert httpx.get(f"{app.url}/rdf-graph-store", params={"graph": location}).text.strip()
    assert _gsp(app, "DELETE", graph=location).status_code == 204


def test_graph_store_multipart_and_bad_bodies(app: App) -> None:
    target = f"{G}parts"
    files = [
        ("a", ("a.ttl", f"<{EX}a> <{EX}b> 1 .", "text/turtle")),
        ("b", ("b.nt", f'<{EX}a> <{EX}b> "2" .', "application/n-triples")),
    ]
    response = httpx.post(
        f"{app.url}/rdf-graph-store",
        params={"graph": target},
        files=files,
        headers={"X-API-Key": API_KEY},
    )
    assert response.status_code == 201, response.text
    got = httpx.get(f"{app.url}/rdf-graph-store", params={"graph": target})
    assert len(Graph().parse(data=got.text, format="turtle")) == 2
    bad = _gsp(app, "PUT", b"<a> <b> .", "text/turtle", graph=target)
    assert bad.status_code == 400 and "Turtle" in bad.json()["message"]
    odd = _gsp(app, "PUT", b"x", "application/pdf", graph=target)
    assert odd.status_code == 400 and "text/turtle" in odd.json()["message"]
    _gsp(app, "DELETE", graph=target)


# ------------------------------------------------------------------------ description, UI, ops


def test_service_description_by_default_and_ui_for_browsers(app: App) -> None:
    described = httpx.get(f"{app.url}/sparql")
    assert described.headers["content-type"] == "text/turtle; charset=utf-8"
    assert f"<{app.url}/sparql>" in described.text
    page = httpx.get(f"{app.url}/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    assert 'src="static/yasgui/yasgui.min.js"' in page.text
    script = httpx.get(f"{app.url}/static/yasgui/yasgui.min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    examples = httpx.get(f"{app.url}/static/examples.json").json()
    assert {e["name"] for e in examples} >= {
        "Top producers of a mineral",
        "Dependency of a country",
        "Agreements of a year",
    }


def test_health_and_metrics(app: App) -> None:
    health = httpx.get(f"{app.url}/health").json()
    assert health["status"] == "ok" and health["store"] == "embedded"
    _query(app, "ASK {}")
    _query(app, "SELECT * { SERVICE <http://example.org/> {} }")
    text = httpx.get(f"{app.url}/metrics").text
    assert 'method="GET",route="/sparql",status="200"' in text
    assert 'cmkg_sparql_query_duration_seconds_count{kind="ask",outcome="ok"}' in text
    assert 'cmkg_sparql_queries_rejected_total{reason="query_refused"}' in text
