"""The W3C SPARQL 1.1 Protocol, Service Description and Graph Store Protocol test suites.

Each manifest test is a list of HTTP requests; they are sent, as written, to the app running
under uvicorn on loopback (embedded store in a temporary folder, the three data graphs of the
protocol suite loaded as named graphs ``http://kasei.us/2009/09/sparql/data/dataN.rdf``).

Mapping of the manifests' paths onto this service:

- ``/sparql/`` query requests go to ``/sparql``. Update requests (the first request of the
  ``update_*`` and every request of the ``bad_update_*`` tests, i.e. the ones that are not
  ``application/sparql-query`` POSTs) go to ``/sparql/update`` with the API key: updates are
  refused on ``/sparql``, so sending the ``bad_update_*`` tests there would pass them for the
  wrong reason.
- ``/gsp`` goes to ``/rdf-graph-store``; writes (PUT, POST, DELETE) carry the API key.

Checked per response: the status (class or exact code), the result format (``boolean``:
SPARQL JSON/XML results with the expected value; ``tabular``: a SPARQL results document;
``RDF``: an RDF document), and for the Graph Store tests the media type and the graph
(``rdflib.compare.isomorphic``). The Service Description tests check that ``GET /sparql``
returns RDF, that it has ``sd:endpoint <the URL asked>`` and that it conforms to the SD
vocabulary (domains and ranges of the terms used, as a SHACL shape, with pyshacl).

Nothing is skipped: the Graph Store tests with *direct* identification (``/gsp/person/1.ttl``)
address ``/rdf-graph-store/person/1.ttl``, whose graph IRI is that URL.
"""

from __future__ import annotations

import http.client
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, Namespace
from servers import running_app

from cmkg.graph.store import open_store

W3C = Path(__file__).parent / "data" / "w3c-sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATA = "http://kasei.us/2009/09/sparql/data/"
API_KEY = "w3c-test-key"

_CODES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}


@dataclass
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    expected_format: str | None = None
    expected_boolean: bool | None = None
    expected_location: str | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str | None = None


@dataclass
class ManifestTest:
    name: str
    label: str
    requires: set[str]
    exchanges: list[Exchange]


def _exchanges(g: Graph, action: URIRef) -> list[Exchange]:
    out = []
    for request in Collection(g, g.value(action, HT.requests)):
        headers = {}
        header_list = g.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(g, header_list):
                headers[str(g.value(header, HT.fieldName))] = str(g.value(header, HT.fieldValue))
        body = None
        body_node = g.value(request, HT.body)
        if body_node is not None:
            encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(g.value(body_node, CNT.chars)).encode(encoding)
        response = g.value(request, HT.resp)
        statuses = {str(s).rsplit("#", 1)[1] for s in g.objects(response, MF.expectedStatus)}
        fmt = g.value(response, MF.expectedFormat)
        boolean = g.value(response, MF.expectedBoolean)
        location = g.value(response, MF.expectedLocation)
        response_headers = {}
        rh_list = g.value(response, HT.headers)
        if rh_list is not None:
            for header in Collection(g, rh_list):
                response_headers[str(g.value(header, HT.fieldName)).lower()] = str(
                    g.value(header, HT.fieldValue)
                )
        rb = g.value(response, HT.body)
        out.append(
            Exchange(
                method=str(g.value(request, HT.methodName)),
                path=str(g.value(request, HT.absolutePath)),
                headers=headers,
                body=body,
                statuses=statuses,
                expected_format=str(fmt) if fmt is not None else None,
                expected_boolean=boolean.toPython() if boolean is not None else None,
                expected_location=str(location) if location is not None else None,
                response_headers=response_headers,
                response_body=str(g.value(rb, CNT.chars)) if rb is not None else None,
            )
        )
    return out


def _manifest(path: Path) -> list[ManifestTest]:
    g = Graph().parse(path, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        tests.append(
            ManifestTest(
                name=str(entry).rsplit("#", 1)[1],
                label=str(g.value(entry, MF.name)),
                requires={str(r).rsplit("#", 1)[1] for r in g.objects(entry, MF.requires)},
                exchanges=_exchanges(g, action) if action is not None else [],
            )
        )
    return tests


PROTOCOL = _manifest(W3C / "protocol" / "manifest.ttl")
GSP = _manifest(W3C / "graph-store-protocol" / "manifest-direct.ttl") + _manifest(
    W3C / "graph-store-protocol" / "manifest-indirect.ttl"
)
SERVICE_DESCRIPTION = _manifest(W3C / "service-description" / "manifest.ttl")


def test_the_suites_are_complete() -> None:
    assert (len(PROTOCOL), len(SERVICE_DESCRIPTION), len(GSP)) == (34, 3, 13)


# ------------------------------------------------------------------------------ the server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="cmkg-w3c-") as folder:
        store = open_store("embedded", path=Path(folder) / "store")
        try:
            for n in (1, 2, 3):
                data = (W3C / "protocol" / f"data{n}.nt").read_bytes()
                triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
                store.replace_graph(f"{DATA}data{n}.rdf", triples)
        finally:
            store.close()
        settings = {
            "CMKG_STORE": "embedded",
            "CMKG_STORE_PATH": str(Path(folder) / "store"),
            "CMKG_PRELOAD": "false",
            "CMKG_API_KEY": API_KEY,
            "CMKG_MAX_CONCURRENT_QUERIES": "2",
        }
        with running_app(settings) as app:
            yield app.url


def _send(base: str, method: str, path: str, headers: dict[str, str], body: bytes | None):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _status_ok(status: int, expected: set[str]) -> bool:
    for name in expected:
        if name.startswith("StatusCode") and status // 100 == int(name[len("StatusCode")]):
            return True
        if _CODES.get(name) == status:
            return True
    return False


def _reset_protocol_data(base: str) -> None:
    inserts = " ".join(
        f"GRAPH <{DATA}data{n}.rdf> {{ {(W3C / 'protocol' / f'data{n}.nt').read_text()} }}"
        for n in (1, 2, 3)
    )
    status, _, body = _send(
        base,
        "POST",
        "/sparql/update",
        {"Content-Type": "application/sparql-update", "X-API-Key": API_KEY},
        f"DROP ALL ; INSERT DATA {{ {inserts} }}".encode(),
    )
    assert status == 204, body


def _check_format(exchange: Exchange, headers: dict[str, str], body: bytes) -> None:
    media = headers.get("content-type", "").split(";")[0].strip()
    if exchange.expected_format == "RDF":
        fmt = ox.RdfFormat.from_media_type(media)
        assert fmt is not None, f"not an RDF media type: {media}"
        list(ox.parse(body, format=fmt))
        return
    fmt = ox.QueryResultsFormat.from_media_type(media)
    assert fmt is not None, f"not a SPARQL results media type: {media}"
    result = ox.parse_query_results(body, format=fmt)
    if exchange.expected_format == "boolean":
        assert isinstance(result, ox.QueryBoolean), "expected a boolean result"
        if exchange.expected_boolean is not None:
            assert bool(result) is exchange.expected_boolean
    elif exchange.expected_format == "tabular":
        assert isinstance(result, ox.QuerySolutions), "expected a table of solutions"
        list(result)


# ------------------------------------------------------------------------------ Protocol


def _is_update_request(test: ManifestTest, exchange: Exchange) -> bool:
    content_type = exchange.headers.get("content-type", "")
    return "update" in test.name and not content_type.startswith("application/sparql-query")


@pytest.mark.parametrize("test", PROTOCOL, ids=lambda t: t.name)
def test_protocol(server: str, test: ManifestTest) -> None:
    _reset_protocol_data(server)
    for exchange in test.exchanges:
        rest = exchange.path.removeprefix("/sparql/")
        headers = dict(exchange.headers)
        if _is_update_request(test, exchange):
            path = "/sparql/update" + rest
            headers["X-API-Key"] = API_KEY
        else:
            path = "/sparql" + rest
        status, response_headers, body = _send(
            server, exchange.method, path, headers, exchange.body
        )
        assert _status_ok(status, exchange.statuses), (
            f"{exchange.method} {path}: {status} not in {exchange.statuses}: {body[:500]!r}"
        )
        if exchange.expected_format is not None:
            _check_format(exchange, response_headers, body)


# ------------------------------------------------------------------------------ Graph Store


def _drop_all(base: str) -> None:
    status, _, body = _send(
        base,
        "POST",
        "/sparql/update",
        {"Content-Type": "application/sparql-update", "X-API-Key": API_KEY},
        b"DROP ALL",
    )
    assert status == 204, body


@pytest.mark.parametrize("test", GSP, ids=lambda t: t.name)
def test_graph_store_protocol(server: str, test: ManifestTest) -> None:
    _drop_all(server)
    variables: dict[str, str] = {}
    for exchange in test.exchanges:
        path = exchange.path
        for name, value in variables.items():
            path = path.replace(name, value)
        path = "/rdf-graph-store" + path.removeprefix("/gsp")
        headers = dict(exchange.headers)
        if exchange.method in ("PUT", "POST", "DELETE"):
            headers["X-API-Key"] = API_KEY
        status, response_headers, body = _send(
            server, exchange.method, path, headers, exchange.body
        )
        assert _status_ok(status, exchange.statuses), (
            f"{exchange.method} {path}: {status} not in {exchange.statuses}: {body[:500]!r}"
        )
        if exchange.expected_location is not None:
            assert "location" in response_headers
            variables[exchange.expected_location] = response_headers["location"]
        expected_type = exchange.response_headers.get("content-type")
        if expected_type is not None:
            assert response_headers["content-type"].replace(" ", "").lower() == (
                expected_type.replace(" ", "").lower()
            )
        if exchange.response_body is not None:
            expected = Graph().parse(data=exchange.response_body, format="turtle")
            actual = Graph().parse(data=body.decode("utf-8"), format="turtle")
            assert isomorphic(expected, actual), body.decode("utf-8")


# ------------------------------------------------------------------------------ Service Description

SD_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix ex: <http://example.org/shapes#> .

# Domains and ranges from SPARQL 1.1 Service Description, section 3 (the terms this service uses)
ex:Service a sh:NodeShape ; sh:targetClass sd:Service ;
  sh:property [ sh:path sd:endpoint ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:supportedLanguage ; sh:minCount 1 ;
                sh:in ( sd:SPARQL10Query sd:SPARQL11Query sd:SPARQL11Update ) ] ;
  sh:property [ sh:path sd:resultFormat ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:inputFormat ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:feature ; sh:nodeKind sh:IRI ;
                sh:in ( sd:DereferencesURIs sd:UnionDefaultGraph sd:RequiresDataset
                        sd:EmptyGraphs sd:BasicFederatedQuery ) ] ;
  sh:property [ sh:path sd:defaultEntailmentRegime ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:defaultDataset ; sh:class sd:Dataset ; sh:maxCount 1 ] .
ex:Dataset a sh:NodeShape ; sh:targetClass sd:Dataset ;
  sh:property [ sh:path sd:defaultGraph ; sh:class sd:Graph ] ;
  sh:property [ sh:path sd:namedGraph ; sh:class sd:NamedGraph ] .
ex:NamedGraph a sh:NodeShape ; sh:targetClass sd:NamedGraph ;
  sh:property [ sh:path sd:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ] .
"""

_SD_TYPES = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")


def _service_description(base: str, accept: str) -> tuple[int, str, Graph]:
    status, headers, body = _send(base, "GET", "/sparql", {"Accept": accept}, None)
    media = headers.get("content-type", "").split(";")[0]
    fmt = ox.RdfFormat.from_media_type(media)
    assert fmt is not None, f"not RDF: {media}"
    ntriples = ox.serialize(
        ox.parse(body, format=fmt, base_iri=f"{base}/sparql"), format=ox.RdfFormat.N_TRIPLES
    )
    return status, media, Graph().parse(data=ntriples.decode("utf-8"), format="nt")


@pytest.mark.parametrize("test", SERVICE_DESCRIPTION, ids=lambda t: t.name)
def test_service_description(server: str, test: ManifestTest) -> None:
    if test.name == "returns-rdf":
        for accept in _SD_TYPES:
            status, media, g = _service_description(server, accept)
            assert (status, media) == (200, accept)
            assert (None, RDF.type, SD.Service) in g
    elif test.name == "has-endpoint-triple":
        _, _, g = _service_description(server, "text/turtle")
        assert (None, SD.endpoint, URIRef(f"{server}/sparql")) in g
    elif test.name == "conforms-to-schema":
        _, _, g = _service_description(server, "text/turtle")
        conforms, _, report = validate(g, shacl_graph=Graph().parse(data=SD_SHAPES))
        assert conforms, report
        assert len(set(g.subjects(RDF.type, SD.Service))) == 2  # query and update services
    else:  # pragma: no cover - a new test in the manifest
        pytest.fail(f"unknown service-description test {test.name}")
