"""The store seam: the same tests over every backend, on real engines and real servers.

Backends: ``memory`` and ``embedded`` (pyoxigraph), ``oxigraph`` (Oxigraph server, SPARQL
Update writes), ``oxigraph-gsp`` (the same server, Graph Store Protocol writes) and
``virtuoso`` (Virtuoso 7, Digest auth, GSP writes). The servers are started once per session on
free loopback ports by ``scripts/sparql_servers.py`` and stopped at the end. A server that
cannot start here makes its tests fail when ``CMKG_REQUIRE_SERVERS=1`` (CI), and skips them
with the reason otherwise.

The kill tests (issue #7) SIGKILL a server (or the embedded store's process) in the middle of
a bulk load and check that no graph is half-written.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from cmkg.graph.errors import InputError, QueryError, QueryTimeout, StoreError, StoreUnavailable
from cmkg.graph.namespaces import (
    CMKG,
    PROV,
    RDF,
    RDFS,
    XSD,
    article_graph_iri,
    country_iri,
    mineral_iri,
    stage_iri,
)
from cmkg.graph.store import (
    IRI,
    SYSTEM_GRAPH,
    EmbeddedStore,
    MemoryStore,
    QueryKind,
    RemoteStore,
    ResultFormat,
    Store,
    open_store,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import sparql_servers  # noqa: E402  (a script module, not a package)

REQUIRE_SERVERS = os.environ.get("CMKG_REQUIRE_SERVERS") == "1"
BACKENDS = ["memory", "embedded", "oxigraph", "oxigraph-gsp", "virtuoso"]
REMOTE = {"oxigraph": ("oxigraph", False), "oxigraph-gsp": ("oxigraph", True)}
REMOTE["virtuoso"] = ("virtuoso", True)

G1 = str(article_graph_iri("00000000000000a1"))
G2 = str(article_graph_iri("00000000000000a2"))
G3 = str(article_graph_iri("00000000000000a3"))
OBS = URIRef("https://w3id.org/cmkg/id/observation/test-1")
OBS2 = URIRef("https://w3id.org/cmkg/id/observation/test-2")


# ------------------------------------------------------------------------------ servers


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVERS:
        pytest.fail(f"CMKG_REQUIRE_SERVERS=1 but {reason}")
    pytest.skip(reason)


def _start(name: str, directory: Path, **options: Any) -> sparql_servers.Server:
    try:
        return sparql_servers.SERVERS[name](directory, **options)
    except sparql_servers.ServerUnavailable as exc:
        _unavailable(f"{name} cannot run here: {exc}")
        raise


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Started servers by name, started on first use (a failure is remembered)."""
    started: dict[str, Any] = {}
    yield started
    for server in started.values():
        if isinstance(server, sparql_servers.Server):
            server.stop()


def _server(servers: dict[str, Any], name: str, tmp_path_factory: Any) -> sparql_servers.Server:
    if name not in servers:
        try:
            servers[name] = sparql_servers.SERVERS[name](
                tmp_path_factory.mktemp(name), query_timeout=10
            )
        except sparql_servers.ServerUnavailable as exc:
            servers[name] = f"{name} cannot run here: {exc}"
    server = servers[name]
    if isinstance(server, str):
        _unavailable(server)
    return server


def _clear(store: Store) -> None:
    for graph in store.graphs():
        store.drop_graph(graph)


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    servers: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Store]:
    """An empty store of each backend."""
    name = request.param
    if name == "memory":
        opened: Store = MemoryStore()
    elif name == "embedded":
        opened = EmbeddedStore(tmp_path / "store")
    else:
        server_name, gsp = REMOTE[name]
        server = _server(servers, server_name, tmp_path_factory)
        opened = server.store(gsp=gsp, retries=3, backoff=0.1)
        _clear(opened)
    yield opened
    if isinstance(opened, RemoteStore):
        _clear(opened)
    opened.close()


# ------------------------------------------------------------------------------ data


def _observation_graph() -> Graph:
    """A supply observation with every kind of value select() converts."""
    g = Graph()
    g.add((OBS, RDF.type, CMKG.SupplyObservation))
    g.add((OBS, CMKG.country, country_iri("CN")))
    g.add((OBS, CMKG.mineral, mineral_iri("rare-earths")))
    g.add((OBS, CMKG.stage, stage_iri("processing")))
    g.add((OBS, CMKG.year, Literal(2023, datatype=XSD.integer)))
    g.add((OBS, CMKG.value, Literal("0.69", datatype=XSD.decimal)))
    # Virtuoso prints doubles with 6 significant digits: see docs/deployment.md
    g.add((OBS, CMKG.worldTotal, Literal("3.5E5", datatype=XSD.double)))
    g.add((OBS, CMKG.startDate, Literal("2024-05-01", datatype=XSD.date)))
    g.add((OBS, PROV.generatedAtTime, Literal("2024-05-01T12:30:00Z", datatype=XSD.dateTime)))
    g.add((OBS, RDFS.label, Literal("Chine", lang="fr")))
    g.add((OBS, CMKG.basis, Literal("REO")))
    g.add((OBS, CMKG.valueRaw, Literal("69 %", datatype=URIRef("urn:example:percent"))))
    g.add((OBS, CMKG.evidence, BNode("ev1")))
    g.add((BNode("ev1"), RDFS.comment, Literal("China processes 69% of rare earths.")))
    return g


def _small_graph(subject: URIRef, n: int) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((subject, CMKG.note, Literal(f"note {i}")))
    return g


def _contents(store: Store, graph: str) -> Graph:
    raw = store.query_raw(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
        accept=ResultFormat.NTRIPLES,
    )
    return Graph().parse(data=raw.body.decode(), format="nt")


# ------------------------------------------------------------------------------ reading


def test_select_returns_plain_python_values(store: Store) -> None:
    store.replace_graph(G1, _observation_graph())
    rows = store.select(
        """PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT * WHERE {
          ?obs cmkg:country ?country ; cmkg:year ?year ; cmkg:value ?share ;
               cmkg:worldTotal ?total ; cmkg:startDate ?start ; prov:generatedAtTime ?at ;
               rdfs:label ?label ; cmkg:basis ?basis ; cmkg:valueRaw ?raw ; cmkg:evidence ?ev .
          OPTIONAL { ?obs cmkg:note ?missing }
        }"""
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["country"] == str(country_iri("CN")) and type(row["country"]) is IRI
    assert row["year"] == 2023 and type(row["year"]) is int
    assert row["share"] == Decimal("0.69") and type(row["share"]) is Decimal
    assert row["total"] == 350000.0 and type(row["total"]) is float
    assert row["start"] == date(2024, 5, 1) and type(row["start"]) is date
    assert row["at"] == datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    assert row["label"] == "Chine" and type(row["label"]) is str
    assert row["basis"] == "REO" and row["raw"] == "69 %"
    assert isinstance(row["ev"], str) and row["ev"].startswith("_:")
    assert row["missing"] is None
    assert set(row) == {"obs", "country", "year", "share", "total", "start", "at", "label"} | {
        "basis",
        "raw",
        "ev",
        "missing",
    }


def test_select_booleans(store: Store) -> None:
    store.replace_graph(
        G1,
        [
            (OBS, CMKG.status, Literal(True)),
            (OBS2, CMKG.status, Literal(False)),
        ],
    )
    rows = store.select(
        "SELECT ?o ?v WHERE { ?o <https://w3id.org/cmkg/ontology#status> ?v } ORDER BY ?o"
    )
    # kept apart from 1 and 0: Virtuoso stores them as one value (see docs/deployment.md)
    assert [row["v"] for row in rows] == [True, False]


def test_ask_queries_the_union_of_all_graphs(store: Store) -> None:
    store.replace_graph(G1, [(OBS, CMKG.country, country_iri("CN"))])
    store.replace_graph(G2, [(OBS, CMKG.mineral, mineral_iri("lithium"))])
    both = f"ASK {{ <{OBS}> <{CMKG.country}> ?c ; <{CMKG.mineral}> ?m }}"
    assert store.ask(both) is True
    assert store.ask(f"ASK {{ <{OBS}> <{CMKG.stage}> ?s }}") is False


_SELECT = f"SELECT ?c WHERE {{ ?o <{CMKG.country}> ?c }}"
_ASK = f"ASK {{ ?o <{CMKG.country}> ?c }}"
_CONSTRUCT = f"CONSTRUCT {{ ?o <{CMKG.country}> ?c }} WHERE {{ ?o <{CMKG.country}> ?c }}"
_TABULAR = [ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV]
_RESULTS = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
    ResultFormat.TSV: ox.QueryResultsFormat.TSV,
}
_RDFLIB = {
    ResultFormat.TURTLE: "turtle",
    ResultFormat.NTRIPLES: "nt",
    ResultFormat.NQUADS: "nquads",
    ResultFormat.JSONLD: "json-ld",
    ResultFormat.RDFXML: "xml",
}


@pytest.mark.parametrize("fmt", _TABULAR, ids=lambda f: f.name)
def test_query_raw_select_in_each_format(store: Store, fmt: ResultFormat) -> None:
    store.replace_graph(G1, [(OBS, CMKG.country, country_iri("CN"))])
    store.replace_graph(G2, [(OBS2, CMKG.country, country_iri("AU"))])
    raw = store.query_raw(_SELECT, accept=fmt)
    assert (raw.kind, raw.media_type) == (QueryKind.SELECT, fmt.value)
    expected = {str(country_iri("CN")), str(country_iri("AU"))}
    if fmt is ResultFormat.CSV:
        lines = raw.body.decode().split("\r\n")
        assert lines[0] == "c" and set(filter(None, lines[1:])) == expected
    else:
        parsed = ox.parse_query_results(raw.body, format=_RESULTS[fmt])
        assert {solution["c"].value for solution in parsed} == expected


@pytest.mark.parametrize("fmt", _TABULAR, ids=lambda f: f.name)
def test_query_raw_ask_in_each_format(store: Store, fmt: ResultFormat) -> None:
    store.replace_graph(G1, [(OBS, CMKG.country, country_iri("CN"))])
    raw = store.query_raw(_ASK, accept=fmt)
    assert (raw.kind, raw.media_type) == (QueryKind.ASK, fmt.value)
    if fmt in _RESULTS:
        assert bool(ox.parse_query_results(raw.body, format=_RESULTS[fmt])) is True
    else:
        assert raw.body.strip() == b"true"


@pytest.mark.parametrize("fmt", list(_RDFLIB), ids=lambda f: f.name)
def test_query_raw_construct_in_each_format(store: Store, fmt: ResultFormat) -> None:
    expected = Graph()
    expected.add((OBS, CMKG.country, country_iri("CN")))
    expected.add((OBS2, CMKG.country, country_iri("AU")))
    store.replace_graph(G1, [(OBS, CMKG.country, country_iri("CN"))])
    store.replace_graph(G2, [(OBS2, CMKG.country, country_iri("AU"))])
    raw = store.query_raw(_CONSTRUCT, accept=fmt)
    assert (raw.kind, raw.media_type) == (QueryKind.CONSTRUCT, fmt.value)
    if fmt is ResultFormat.NQUADS:
        got = Graph().parse(data=raw.body.decode(), format="nt")  # triples only
    elif fmt is ResultFormat.JSONLD:  # rdflib's JSON-LD parser warns (ConjunctiveGraph)
        quads = ox.parse(raw.body, format=ox.RdfFormat.JSON_LD)
        ntriples = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
        got = Graph().parse(data=ntriples.decode(), format="nt")
    else:
        got = Graph().parse(data=raw.body.decode(), format=_RDFLIB[fmt])
    assert isomorphic(got, expected)
    if fmt is ResultFormat.TURTLE:
        assert b"@prefix cmkg: <https://w3id.org/cmkg/ontology#>" in raw.body


@pytest.mark.parametrize(
    ("query", "accept", "kind", "produced"),
    [
        (_CONSTRUCT, ResultFormat.CSV, QueryKind.CONSTRUCT, ResultFormat.TURTLE),
        (_SELECT, ResultFormat.TURTLE, QueryKind.SELECT, ResultFormat.JSON),
        (_ASK, ResultFormat.RDFXML, QueryKind.ASK, ResultFormat.JSON),
        (_SELECT, None, QueryKind.SELECT, ResultFormat.JSON),
        (f"DESCRIBE <{OBS}>", None, QueryKind.DESCRIBE, ResultFormat.TURTLE),
    ],
)
def test_query_raw_falls_back_to_the_kinds_default_format(
    store: Store,
    query: str,
    accept: ResultFormat | None,
    kind: QueryKind,
    produced: ResultFormat,
) -> None:
    store.replace_graph(G1, [(OBS, CMKG.country, country_iri("CN"))])
    raw = store.query_raw(query, accept=accept)
    assert (raw.kind, raw.media_type) == (kind, produced.value)
    if produced is ResultFormat.TURTLE:
        described = Graph().parse(data=raw.body.decode(), format="turtle")
        # what DESCRIBE returns is the server's choice (Virtuoso's can be empty)
        assert len(described) == 1 or (kind is QueryKind.DESCRIBE and len(described) == 0)
    else:
        assert json.loads(raw.body)


def test_query_raw_honours_the_protocol_dataset(store: Store) -> None:
    store.replace_graph(G1, [(OBS, CMKG.country, country_iri("CN"))])
    store.replace_graph(G2, [(OBS2, CMKG.country, country_iri("AU"))])

    def countries(**dataset: list[str]) -> set[str]:
        raw = store.query_raw(_SELECT, accept=ResultFormat.JSON, **dataset)
        return {row["c"] for row in _json_rows(raw.body)}

    cn, au = str(country_iri("CN")), str(country_iri("AU"))
    assert countries() == {cn, au}  # no dataset: the union of all graphs
    assert countries(default_graph_uris=[G1]) == {cn}
    assert countries(default_graph_uris=[G1, G2]) == {cn, au}
    assert countries(named_graph_uris=[G2]) == set()  # the default graph is then empty
    raw = store.query_raw(
        f"SELECT ?g ?c WHERE {{ GRAPH ?g {{ ?o <{CMKG.country}> ?c }} }}",
        accept=ResultFormat.JSON,
        named_graph_uris=[G2],
    )
    assert _json_rows(raw.body) == [{"g": G2, "c": au}]


def _json_rows(body: bytes) -> list[dict[str, str]]:
    data = json.loads(body)
    return [
        {name: term["value"] for name, term in binding.items()}
        for binding in data["results"]["bindings"]
    ]


# ------------------------------------------------------------------------------ writing


def _as_graph(g: Graph) -> Graph:
    return g


def _as_list(g: Graph) -> list[Any]:
    return list(g)


def _as_generator(g: Graph) -> Iterator[Any]:
    return iter(list(g))


def _as_ntriples(g: Graph) -> bytes:
    return g.serialize(format="nt", encoding="utf-8")


@pytest.mark.parametrize("form", [_as_graph, _as_list, _as_generator, _as_ntriples])
def test_replace_graph_takes_graphs_triples_and_ntriples(store: Store, form: Any) -> None:
    g = _observation_graph()
    assert store.replace_graph(G1, form(g)) == len(g)
    assert store.count(G1) == len(g)
    assert isomorphic(_contents(store, G1), g)


def test_replace_graph_replaces_the_whole_graph(store: Store) -> None:
    store.replace_graph(G1, _small_graph(OBS, 5))
    store.replace_graph(G2, _small_graph(OBS2, 3))
    new = _small_graph(OBS, 2)
    assert store.replace_graph(G1, new) == 2
    assert isomorphic(_contents(store, G1), new)
    assert store.count(G2) == 3  # other graphs untouched
    assert store.replace_graph(G1, []) == 0
    assert not store.has_graph(G1)


def _bad_triples(g: Graph) -> Iterator[Any]:
    for i, triple in enumerate(g):
        if i == len(g) // 2:
            yield (Literal("a literal"), CMKG.note, Literal("cannot be a subject"))
        yield triple


def _bad_iri(g: Graph) -> Iterator[Any]:
    for i, triple in enumerate(g):
        if i == len(g) // 2:
            yield (URIRef("https://w3id.org/cmkg/id/x> } ; DROP ALL ; #"), CMKG.note, OBS)
        yield triple


def _bad_ntriples(g: Graph) -> bytes:
    lines = g.serialize(format="nt", encoding="utf-8").splitlines()
    lines.insert(len(lines) // 2, b'<urn:a> <urn:b> "unterminated .')
    return b"\n".join(lines)


@pytest.mark.parametrize("bad", [_bad_triples, _bad_iri, _bad_ntriples])
def test_replace_graph_with_bad_data_leaves_the_old_graph(store: Store, bad: Any) -> None:
    old = _small_graph(OBS, 4)
    store.replace_graph(G1, old)
    version = store.version
    with pytest.raises(InputError, match=G1 if bad is not _bad_iri else "not valid RDF"):
        store.replace_graph(G1, bad(_small_graph(OBS2, 40)))
    assert isomorphic(_contents(store, G1), old)
    assert store.version == version
    assert store.graphs() == [G1]


@pytest.mark.parametrize("graph", ["not an iri", "https://w3id.org/x> } ; DROP ALL ; #", ""])
def test_bad_graph_names_are_input_errors(store: Store, graph: str) -> None:
    with pytest.raises(InputError, match="not a valid IRI"):
        store.replace_graph(graph, [])
    with pytest.raises(InputError, match="not a valid IRI"):
        store.count(graph)
    with pytest.raises(InputError, match="not a valid IRI"):
        store.drop_graph(graph)


def test_the_system_graph_is_the_stores_own(store: Store) -> None:
    store.replace_graph(G1, _small_graph(OBS, 1))
    with pytest.raises(InputError, match="bookkeeping"):
        store.replace_graph(SYSTEM_GRAPH, [])
    with pytest.raises(InputError, match="bookkeeping"):
        store.drop_graph(SYSTEM_GRAPH)
    assert SYSTEM_GRAPH not in store.graphs()


def test_drop_graph(store: Store) -> None:
    store.replace_graph(G1, _small_graph(OBS, 3))
    store.replace_graph(G2, _small_graph(OBS2, 2))
    assert store.drop_graph(G1) is True
    assert store.drop_graph(G1) is False
    assert store.graphs() == [G2]
    assert not store.has_graph(G1) and store.count(G1) == 0


def test_graphs_count_and_has_graph(store: Store) -> None:
    assert store.graphs() == [] and store.count() == 0
    store.replace_graph(G2, _small_graph(OBS2, 2))
    store.replace_graph(G1, _small_graph(OBS, 3))
    assert store.graphs() == [G1, G2]
    assert (store.count(), store.count(G1), store.count(G2), store.count(G3)) == (5, 3, 2, 0)
    assert store.has_graph(G1) and not store.has_graph(G3)


def test_update_runs_sparql_update(store: Store) -> None:
    store.update(
        f"PREFIX cmkg: <{CMKG}>\n"
        f"INSERT DATA {{ GRAPH <{G1}> {{ <{OBS}> cmkg:year 2023 }} }} ;"
        f"INSERT DATA {{ GRAPH <{G2}> {{ <{OBS}> cmkg:year 2024 }} }} ;  # trailing comment"
    )
    assert store.graphs() == [G1, G2]
    store.update(f"DELETE WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")
    assert store.graphs() == [G1]


def test_version_changes_on_every_write_and_only_then(store: Store) -> None:
    seen = [store.version]

    def changed() -> bool:
        seen.append(store.version)
        return seen[-1] != seen[-2]

    store.replace_graph(G1, _small_graph(OBS, 2))
    assert changed()
    store.select(_SELECT)
    store.ask(_ASK)
    store.graphs()
    assert not changed()
    store.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <{OBS}> <{CMKG.note}> 'x' }} }}")
    assert changed()
    store.bulk_load([(OBS, CMKG.note, Literal("y"), URIRef(G3))])
    assert changed()
    assert store.drop_graph(G2)
    assert changed()
    assert not store.drop_graph(G2)
    with pytest.raises(QueryError):
        store.update("INSERT DATUM { }")
    assert not changed()
    assert len(set(seen)) == 5


# ------------------------------------------------------------------------------ bulk loading


def _article_quads(n_graphs: int, *, base: int = 0) -> list[tuple[Any, ...]]:
    quads = []
    for i in range(base, base + n_graphs):
        graph = URIRef(article_graph_iri(f"{i:016x}"))
        for j in range(3 + i % 4):
            quads.append((URIRef(f"{graph}#n{j}"), CMKG.note, Literal(f"fact {i}.{j}"), graph))
    return quads


def _rdflib_quads(quads: list[tuple[Any, ...]], tmp_path: Path) -> Any:
    return iter(quads)


def _pyoxigraph_quads(quads: list[tuple[Any, ...]], tmp_path: Path) -> Any:
    return [
        ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.Literal(str(o)), ox.NamedNode(g))
        for s, p, o, g in quads
    ]


def _nquads_file(quads: list[tuple[Any, ...]], tmp_path: Path) -> Any:
    path = tmp_path / "load.nq"
    lines = [f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n" for s, p, o, g in quads]
    path.write_text("# comment line\n\n" + "".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("source", [_rdflib_quads, _pyoxigraph_quads, _nquads_file])
def test_bulk_load(store: Store, source: Any, tmp_path: Path) -> None:
    quads = _article_quads(12)
    assert store.bulk_load(source(quads, tmp_path), batch_size=10) == len(quads)
    expected: dict[str, int] = {}
    for *_, g in quads:
        expected[str(g)] = expected.get(str(g), 0) + 1
    assert store.graphs() == sorted(expected)
    assert {g: store.count(g) for g in expected} == expected
    assert store.count() == len(quads)


def test_bulk_load_adds_or_replaces(store: Store) -> None:
    first = _article_quads(3)
    store.bulk_load(first)
    extra = [(s, p, Literal("more"), g) for s, p, _, g in first[:1]]
    store.bulk_load(extra)
    assert store.count() == len(first) + 1
    store.bulk_load(extra, replace=True)  # the first graph now holds only the extra quad
    graph = str(first[0][3])
    assert store.count(graph) == 1
    assert store.count() == len(first) - len([q for q in first if str(q[3]) == graph]) + 1


@pytest.mark.parametrize("kind", ["memory", "embedded"])
def test_non_atomic_bulk_load_of_local_stores(kind: str, tmp_path: Path) -> None:
    store = MemoryStore() if kind == "memory" else EmbeddedStore(tmp_path / "store")
    with store:
        quads = _article_quads(20)
        version = store.version
        assert store.bulk_load(iter(quads), batch_size=15, atomic=False) == len(quads)
        assert store.count() == len(quads) and store.version != version
        first = str(quads[0][3])
        extra = [(OBS, CMKG.note, Literal("only this"), URIRef(first))]
        store.bulk_load(extra, replace=True, atomic=False)
        assert store.count(first) == 1


def test_bulk_load_rejects_bad_input(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.nq"
    path.write_text(
        f"<urn:a> <urn:b> <urn:c> <{G1}> .\n<urn:a> <urn:b> c <{G1}> .\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"bad\.nq:2"):
        store.bulk_load(path)
    with pytest.raises(InputError, match="quad 2"):
        store.bulk_load([(OBS, CMKG.note, Literal("x"), URIRef(G1)), ("not", "a", "quad")])
    with pytest.raises(InputError, match="cannot read"):
        store.bulk_load(tmp_path / "missing.nq")
    with pytest.raises(InputError, match="batch_size"):
        store.bulk_load([], batch_size=0)


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.select("SELEC ?x WHERE { ?x ?p ?o }"),
        lambda s: s.ask("ASK { ?x ?p "),
        lambda s: s.query_raw("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p }"),
        lambda s: s.query_raw("SELECT nonsense"),
        lambda s: s.update("INSERT DATUM { <urn:a> <urn:b> <urn:c> }"),
    ],
    ids=["select", "ask", "construct", "raw-select", "update"],
)
def test_malformed_queries_are_query_errors(store: Store, call: Any) -> None:
    with pytest.raises(QueryError) as caught:
        call(store)
    assert len(str(caught.value)) > 20  # the engine's own message comes along


def test_select_and_ask_need_their_kind(store: Store) -> None:
    with pytest.raises(QueryError, match="SELECT"):
        store.select("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError, match="ASK"):
        store.ask("SELECT * WHERE { ?s ?p ?o }")


def test_a_query_past_its_timeout_is_stopped(store: Store) -> None:
    store.bulk_load(_article_quads(60))  # 270 quads: a 3-way cross product is ~2e7 rows
    query = "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER (STR(?c) != STR(?i)) }"
    with pytest.raises(QueryTimeout):
        store.select(query, timeout=0.5)


# ------------------------------------------------------------------------------ open_store


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("sqlite", {}, "unknown store kind 'sqlite'"),
        ("embedded", {}, "needs a path"),
        ("remote", {}, "needs query_url"),
        ("remote", {"query_url": "http://127.0.0.1:1/q", "user": "u"}, "both user and password"),
        ("remote", {"query_url": "ftp://example.org/sparql"}, "not an http"),
    ],
)
def test_open_store_refuses_bad_settings(kind: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(StoreError, match=message):
        open_store(kind, **options)


def test_open_store_opens_each_kind(tmp_path: Path) -> None:
    with open_store("memory") as memory:
        assert isinstance(memory, MemoryStore)
    with open_store("embedded", path=tmp_path / "s") as embedded:
        assert isinstance(embedded, EmbeddedStore) and embedded.path == tmp_path / "s"
    with open_store("remote", query_url="http://127.0.0.1:1/query") as remote:
        assert isinstance(remote, RemoteStore) and remote.update_url == remote.query_url


# ------------------------------------------------------------------------------ embedded


def test_one_writer_per_directory(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as writer:
        writer.replace_graph(G1, _small_graph(OBS, 2))
        with pytest.raises(StoreError, match="in use by another writer"):
            EmbeddedStore(path)
        script = (
            "import sys\n"
            "from cmkg.graph.errors import StoreError\n"
            "from cmkg.graph.store import EmbeddedStore\n"
            "try:\n    EmbeddedStore(sys.argv[1])\n"
            "except StoreError as exc:\n    print(exc)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60
        )
        assert "in use by another writer" in done.stdout, done.stderr
    with EmbeddedStore(path) as reopened:  # close() released the directory
        assert reopened.count(G1) == 2


def test_read_only_opening_and_backups(tmp_path: Path) -> None:
    # A read-only opening of a directory that a writer keeps changing is undefined behaviour in
    # RocksDB (the writer's compactions delete files under the reader), so readers open a
    # closed store or a snapshot; backups are taken while the writer is open.
    path = tmp_path / "store"
    with EmbeddedStore(path) as writer:
        writer.replace_graph(G1, _small_graph(OBS, 2))
        writer.backup(tmp_path / "snapshot")
        writer.replace_graph(G2, _small_graph(OBS2, 1))
        version = writer.version
    with EmbeddedStore.open_read_only(tmp_path / "snapshot") as snapshot:
        assert snapshot.graphs() == [G1]
    reader = EmbeddedStore.open_read_only(path)
    try:
        assert reader.graphs() == [G1, G2] and reader.version == version
        with pytest.raises(StoreError, match="read-only"):
            reader.replace_graph(G2, [])
        with pytest.raises(StoreError, match="read-only"):
            reader.update("CLEAR ALL")
    finally:
        reader.close()
    with EmbeddedStore(path) as reopened:
        assert reopened.version == version and reopened.graphs() == [G1, G2]
    with pytest.raises(StoreError, match="cannot open"):
        EmbeddedStore.open_read_only(tmp_path / "nothing-here")


@pytest.mark.parametrize("opening", ["writer", "read-only"])
def test_damaged_store_directory_is_a_store_error(tmp_path: Path, opening: str) -> None:
    # RocksDB raises RuntimeError("Corruption: ...") for a damaged directory; callers (the CLI,
    # the app's lifespan) catch StoreError, so it must arrive as one, naming the path.
    damaged = tmp_path / "store"
    damaged.mkdir()
    (damaged / "CURRENT").write_text("not a manifest name\n")
    open_ = EmbeddedStore if opening == "writer" else EmbeddedStore.open_read_only
    with pytest.raises(StoreError, match="damaged or not a store") as caught:
        open_(damaged)
    assert str(damaged) in str(caught.value)
    assert (damaged / "CURRENT").read_text() == "not a manifest name\n"  # nothing overwritten


def test_closed_store_says_so(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.graphs()


def test_memory_store_dumps_its_quads() -> None:
    store = MemoryStore()
    store.replace_graph(G1, [(OBS, CMKG.year, Literal(2023))])
    copy = MemoryStore()
    copy.bulk_load(_write_nquads(store.dump()))
    assert copy.graphs() == [G1] and copy.count() == 1


def _write_nquads(data: bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


# ------------------------------------------------------------------------------ remote transport


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Answers 503 to the first ``failures`` requests, then a SPARQL ASK result."""

    failures = 2
    seen: list[str] = []  # noqa: RUF012 - shared by the handler instances on purpose

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _Flaky.seen.append(self.path)
        if len(_Flaky.seen) <= _Flaky.failures:
            self.send_response(503)
            self.end_headers()
            return
        body = b'{"head":{},"boolean":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky_server() -> Iterator[str]:
    _Flaky.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_transient_errors_are_retried(flaky_server: str) -> None:
    with RemoteStore(flaky_server, retries=3, backoff=0.01) as store:
        assert store.ask("ASK { ?s ?p ?o }") is True
    assert len(_Flaky.seen) == 3


def test_a_server_that_keeps_failing_is_unavailable(flaky_server: str) -> None:
    _Flaky.failures = 10
    try:
        with (
            RemoteStore(flaky_server, retries=3, backoff=0.01) as store,
            pytest.raises(StoreUnavailable, match=r"after 3 tries \(HTTP 503\)"),
        ):
            store.ask("ASK { ?s ?p ?o }")
    finally:
        _Flaky.failures = 2


def test_nothing_listening_is_unavailable() -> None:
    port = sparql_servers.free_port()
    with (
        RemoteStore(f"http://127.0.0.1:{port}/sparql", retries=2, backoff=0.01) as store,
        pytest.raises(StoreUnavailable, match="ConnectError"),
    ):
        store.graphs()


def test_virtuoso_digest_credentials(
    servers: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    server = _server(servers, "virtuoso", tmp_path_factory)
    with (
        RemoteStore(server.query_url, auth=("dba", "wrong"), retries=1) as store,
        pytest.raises(StoreError, match="refused"),
    ):
        store.ask("ASK { ?s ?p ?o }")
    with open_store(
        "remote",
        query_url=server.query_url,
        update_url=server.update_url,
        gsp_url=server.gsp_url,
        user="dba",
        password="dba",
    ) as store:
        store.replace_graph(G3, _small_graph(OBS, 2))
        assert store.count(G3) == 2
        assert store.drop_graph(G3)


# ------------------------------------------------------------------------------ kill -9

_LOADER = textwrap.dedent(
    """
    import sys
    import pyoxigraph
    from cmkg.graph.store import EmbeddedStore, RemoteStore

    def quads(path):
        # the file's quads, telling the parent how far the reading got
        parsed = pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.N_QUADS)
        for number, quad in enumerate(parsed, start=1):
            if number % 200 == 0:
                print(number, flush=True)
            yield quad

    kind, path, *where = sys.argv[1:]
    if kind == "embedded":
        store = EmbeddedStore(where[0])
    else:
        query_url, update_url, gsp_url, user, password = where
        store = RemoteStore(
            query_url, update_url=update_url, gsp_url=gsp_url or None,
            auth=(user, password) if user else None, retries=2, backoff=0.05,
        )
    store.bulk_load(quads(path), batch_size=400)
    print("done", flush=True)
    """
)


def _kill_test_load(tmp_path: Path, n_graphs: int) -> tuple[Path, dict[str, int], int]:
    """An N-Quads file of ``n_graphs`` article graphs; their sizes; the number of quads."""
    quads = _article_quads(n_graphs)
    path = tmp_path / "load.nq"
    path.write_text(
        "".join(f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n" for s, p, o, g in quads),
        encoding="utf-8",
    )
    sizes: dict[str, int] = {}
    for *_, g in quads:
        sizes[str(g)] = sizes.get(str(g), 0) + 1
    return path, sizes, len(quads)


def _run_loader_until(args: list[str], stop_at: int, kill: Any) -> None:
    """Run the loader; call ``kill(process)`` once it has read ``stop_at`` quads."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _LOADER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        for line in proc.stdout:
            if line.strip() == "done":
                pytest.fail("the load finished before the kill: make it bigger")
            if int(line) >= stop_at:
                kill(proc)
                break
        else:
            pytest.fail(f"the loader stopped early: {proc.stderr.read()[-2000:]}")
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()


def _graph_sizes(store: Store) -> dict[str, int]:
    """The size of every graph, in one query."""
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    graphs = set(store.graphs())
    return {row["g"]: row["n"] for row in rows if row["g"] in graphs}


def _check_whole_or_absent(store: Store, sizes: dict[str, int]) -> None:
    present = _graph_sizes(store)
    assert present, "nothing was loaded before the kill"
    assert len(present) < len(sizes), "everything was loaded before the kill"
    assert set(present) <= set(sizes)
    half_written = {g: n for g, n in present.items() if n != sizes[g]}
    assert half_written == {}, f"graphs half-written by the killed load: {half_written}"


@pytest.mark.slow
@pytest.mark.remote
@pytest.mark.parametrize(
    ("name", "gsp"), [("oxigraph", False), ("oxigraph", True), ("virtuoso", True)]
)
def test_kill_9_server_mid_bulk_load_leaves_no_half_written_graph(
    tmp_path: Path, name: str, gsp: bool
) -> None:
    server = _start(name, tmp_path / name)
    n_graphs = 1500 if name == "virtuoso" else 4000  # Virtuoso takes ~300 GSP writes/s
    try:
        path, sizes, total = _kill_test_load(tmp_path, n_graphs)
        user, password = server.auth or ("", "")
        args = [name, str(path), server.query_url, server.update_url]
        args += [server.gsp_url if gsp else "", user, password]
        _run_loader_until(args, total // 2, lambda loader: server.kill())
        assert server.process is not None and server.process.returncode == -signal.SIGKILL
        server.start()  # recovery on the same directory
        with server.store(gsp=gsp) as store:
            _check_whole_or_absent(store, sizes)
            # the store still works: loading everything again completes every graph
            store.bulk_load(_article_quads(n_graphs), replace=True, batch_size=4000)
            assert _graph_sizes(store) == sizes
    finally:
        server.stop()


@pytest.mark.slow
def test_kill_9_writer_mid_bulk_load_leaves_no_half_written_graph(tmp_path: Path) -> None:
    path, sizes, total = _kill_test_load(tmp_path, 4000)
    directory = tmp_path / "store"
    _run_loader_until(
        ["embedded", str(path), str(directory)],
        total // 2,
        lambda loader: os.kill(loader.pid, signal.SIGKILL),
    )
    with EmbeddedStore(directory) as store:
        _check_whole_or_absent(store, sizes)


def test_virtuoso_bulk_loader_loads_every_quad_and_reports_a_bad_file(
    tmp_path: Path, servers: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # The scale-out benchmark loads Virtuoso at 10M through its own loader (ld_dir +
    # rdf_loader_run over isql); its figures are only worth something if every quad lands in
    # its graph and a file the loader rejects is an error, not a silent partial load.
    server = _server(servers, "virtuoso", tmp_path_factory)
    graphs = [str(article_graph_iri(f"00000000000bulk{i}")) for i in range(3)]
    lines = [
        f'<urn:cmkg:bulk:s{i}> <urn:cmkg:bulk:p> "value {i}" <{graphs[i % 3]}> .\n'
        for i in range(300)
    ]
    good = tmp_path / "good.nq"
    good.write_text("".join(lines), encoding="utf-8")
    sparql_servers.virtuoso_bulk_load(server, good)
    with server.store(gsp=True) as store:
        try:
            assert [store.count(g) for g in graphs] == [100, 100, 100]
            assert store.select(
                f"SELECT ?o WHERE {{ GRAPH <{graphs[1]}> {{ <urn:cmkg:bulk:s4> ?p ?o }} }}"
            ) == [{"o": "value 4"}]
            bad = tmp_path / "bad.nq"
            bad.write_text(
                '<urn:cmkg:bulk:x> <urn:cmkg:bulk:p> "unterminated .\n', encoding="utf-8"
            )
            with pytest.raises(RuntimeError, match="Unterminated"):
                sparql_servers.virtuoso_bulk_load(server, bad)
        finally:
            for graph in graphs:
                store.drop_graph(graph)
    with pytest.raises(ValueError, match="no Virtuoso bulk loader"):
        sparql_servers.virtuoso_bulk_load(_server(servers, "oxigraph", tmp_path_factory), good)


@pytest.mark.parametrize("name", ["oxigraph", "virtuoso"])
def test_documented_version_bump_after_a_native_load(
    name: str, servers: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # docs/deployment.md tells teams to send this update after a load that bypasses cmkg (a
    # server's own bulk loader), so that every API process drops its cached projection; the
    # text is taken from the document itself and posted as a plain SPARQL 1.1 Update.
    import httpx

    document = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = document.split("```sparql\n", 1)[1].split("```", 1)[0]
    update = textwrap.dedent(block)
    server = _server(servers, name, tmp_path_factory)
    with server.store(gsp=name == "virtuoso") as store:
        store.replace_graph(G3, _small_graph(OBS, 1))  # a cmkg write first: a version exists
        assert store.version != 4711
        auth = httpx.DigestAuth(*server.auth) if server.auth else None
        answer = httpx.post(server.update_url, data={"update": update}, auth=auth, timeout=30)
        assert answer.status_code in (200, 204), answer.text[:300]
        assert store.version == 4711
        assert store.graphs().count(G3) == 1  # the system graph stays out of the listing
        store.drop_graph(G3)
