"""The SPARQL 1.1 endpoints: Protocol (read-only), Update (API key) and the Graph Store.

``GET|POST /sparql``
    SPARQL 1.1 Protocol queries: ``query`` by GET, URL-encoded POST or direct POST
    (``application/sparql-query``), with ``default-graph-uri`` / ``named-graph-uri``.
    Results by content negotiation: JSON (default), XML, CSV, TSV for SELECT/ASK; Turtle
    (default), N-Triples, JSON-LD, RDF/XML for CONSTRUCT/DESCRIBE; 406 otherwise. Without a
    query: the service description (Turtle, RDF/XML, N-Triples, JSON-LD), or the query UI for
    a browser (``Accept: text/html``). Updates are refused here (400).
``POST /sparql/update``
    SPARQL 1.1 Update (URL-encoded ``update=`` or direct ``application/sparql-update``, with
    ``using-graph-uri`` / ``using-named-graph-uri``). Needs the API key.
``/rdf-graph-store``
    SPARQL 1.1 Graph Store HTTP Protocol. Indirect identification (``?graph=IRI`` or
    ``?default``) and direct identification (``/rdf-graph-store/<path>`` names the graph whose
    IRI is that URL, as this server sees it). ``GET``/``HEAD`` are public reads; ``PUT``,
    ``POST`` (merge; to ``/rdf-graph-store`` alone: a new graph, ``201`` with its IRI in
    ``Location``) and ``DELETE`` need the API key.

Every query and update goes through :mod:`cmkg.graph.query_guard` (no ``SERVICE``, ``LOAD``,
``FROM``/``USING`` of graphs outside the store, ``file:`` IRIs) and every read query through
the :class:`~cmkg.graph.query_runner.QueryRunner` (deadline with real cancellation, row cap:
``X-Result-Truncated: true``). At most ``max_concurrent_queries`` run at once; more get 429.
With no dataset in the request, the default graph is the union of all graphs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from cmkg.graph.errors import InputError, NotFound, QueryError, QueryTimeout
from cmkg.graph.namespaces import GRAPH
from cmkg.graph.query_guard import check_iri, check_update, with_using_dataset
from cmkg.graph.query_runner import GRAPH_FORMATS, TABULAR_FORMATS
from cmkg.graph.rdf_input import RDF_INPUT_FORMATS, parse_rdf
from cmkg.graph.store import QueryKind, ResultFormat

from ..deps import MetricsDep, RunnerDep, SettingsDep, StoreDep
from ..security import WriteAccess

__all__ = ["negotiate", "router"]

router = APIRouter(tags=["sparql"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

# ---------------------------------------------------------------------------------------------
# content negotiation

#: Media types offered per query kind (server preference first) and the format each selects.
_TABULAR: tuple[tuple[str, ResultFormat], ...] = (
    ("application/sparql-results+json", ResultFormat.JSON),
    ("application/json", ResultFormat.JSON),
    ("application/sparql-results+xml", ResultFormat.XML),
    ("application/xml", ResultFormat.XML),
    ("text/xml", ResultFormat.XML),
    ("text/csv", ResultFormat.CSV),
    ("text/tab-separated-values", ResultFormat.TSV),
)
_BOOLEAN = tuple(entry for entry in _TABULAR if entry[1] in (ResultFormat.JSON, ResultFormat.XML))
_GRAPH: tuple[tuple[str, ResultFormat], ...] = (
    ("text/turtle", ResultFormat.TURTLE),
    ("application/x-turtle", ResultFormat.TURTLE),
    ("application/n-triples", ResultFormat.NTRIPLES),
    ("application/ld+json", ResultFormat.JSONLD),
    ("application/rdf+xml", ResultFormat.RDFXML),
    ("application/xml", ResultFormat.RDFXML),
)
_OFFERS = {
    QueryKind.SELECT: _TABULAR,
    QueryKind.ASK: _BOOLEAN,
    QueryKind.CONSTRUCT: _GRAPH,
    QueryKind.DESCRIBE: _GRAPH,
}
assert {fmt for _, fmt in _TABULAR} == set(TABULAR_FORMATS)
assert {fmt for _, fmt in _GRAPH} == set(GRAPH_FORMATS)

T = TypeVar("T")

_TEXT_TYPES = {"text/turtle", "text/csv", "text/tab-separated-values", "application/n-triples"}


def _accept_ranges(accept: str) -> list[tuple[str, str, float]]:
    ranges = []
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        main, _, sub = media.lower().partition("/")
        ranges.append((main, sub or "*", q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[tuple[str, T]]) -> T | None:
    """Pick what to send for an ``Accept`` header: the highest q, then the server's preference.

    Returns None when nothing offered is acceptable (the caller answers 406).

    >>> negotiate("text/csv, */*;q=0.1", _TABULAR)
    <ResultFormat.CSV: 'text/csv'>
    >>> negotiate(None, _GRAPH)
    <ResultFormat.TURTLE: 'text/turtle'>
    >>> negotiate("image/png", _GRAPH) is None
    True
    """
    if not accept or not accept.strip():
        return offers[0][1]
    ranges = _accept_ranges(accept)
    best: tuple[float, int] | None = None
    chosen: T | None = None
    for index, (media, value) in enumerate(offers):
        main, _, sub = media.partition("/")
        quality = None
        specificity = -1
        for r_main, r_sub, q in ranges:
            if r_main == main and r_sub == sub:
                spec = 2
            elif r_main == main and r_sub == "*":
                spec = 1
            elif r_main == "*" and r_sub == "*":
                spec = 0
            else:
                continue
            if spec > specificity:
                specificity, quality = spec, q
        if quality is None or quality <= 0:
            continue
        if best is None or (quality, -index) > best:
            best = (quality, -index)
            chosen = value
    return chosen


def _not_acceptable(kind: str, offers: Sequence[tuple[str, Any]]) -> HTTPException:
    offered = ", ".join(dict.fromkeys(media for media, _ in offers))
    return HTTPException(
        406,
        {"error": "not_acceptable", "message": f"{kind} results are available as: {offered}"},
    )


def _media_type_header(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in _TEXT_TYPES else media_type


# ---------------------------------------------------------------------------------------------
# request parsing


async def _body(request: Request) -> bytes:
    """The request body (its size is bounded by the body-limit middleware)."""
    return await request.body()


Body = Annotated[bytes, Depends(_body)]


def _content_type(request: Request) -> tuple[str, dict[str, str]]:
    raw = request.headers.get("content-type")
    if raw is None:
        return "", {}
    media, *params = (part.strip() for part in raw.split(";"))
    parsed = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"')
    return media.lower(), parsed


def _require_utf8(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset is not None and charset.lower() not in ("utf-8", "utf8"):
        raise HTTPException(
            415,
            {
                "error": "unsupported_media_type",
                "message": f"charset {charset} is not supported: send SPARQL as UTF-8",
            },
        )


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the {what} is not valid UTF-8 (byte {exc.start})") from None


def _form(body: bytes) -> list[tuple[str, str]]:
    try:
        text = body.decode("ascii")
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise InputError("the form body is not valid URL-encoded UTF-8") from None


@dataclass
class _Params:
    items: list[tuple[str, str]]

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.items if key == name]

    def one(self, name: str) -> str | None:
        values = self.all(name)
        if len(values) > 1:
            raise QueryError(f"the {name!r} parameter is given {len(values)} times; give it once")
        return values[0] if values else None

    def graphs(self, name: str) -> list[str] | None:
        values = self.all(name)
        for iri in values:
            check_iri(iri, what=name)
        return values or None


def _url_params(request: Request) -> _Params:
    return _Params(list(request.query_params.multi_items()))


def _endpoint(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


_UPDATE_ELSEWHERE = (
    "this endpoint is read-only: send updates to POST /sparql/update with an API key"
)

# ---------------------------------------------------------------------------------------------
# queries


def _run_query(
    request: Request,
    runner: RunnerDep,
    metrics: MetricsDep,
    query: str,
    *,
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    store_default_graph: bool = False,
) -> Response:
    settings = request.app.state.settings
    if len(query.encode("utf-8")) > settings.max_query_bytes:
        metrics.rejected("too_large")
        raise HTTPException(
            413,
            {
                "error": "payload_too_large",
                "message": f"the query is larger than {settings.max_query_bytes} bytes",
            },
        )
    base = _endpoint(request, "/sparql")
    info = runner.prepare(query, base_iri=base)
    offers = _OFFERS[info.kind]
    fmt = negotiate(request.headers.get("accept"), offers)
    if fmt is None:
        metrics.rejected("not_acceptable")
        raise _not_acceptable(info.kind.name, offers)
    slots = request.app.state.query_slots
    if not slots.acquire(blocking=False):
        metrics.rejected("too_many_queries")
        raise HTTPException(
            429,
            {
                "error": "too_many_queries",
                "message": f"{settings.max_concurrent_queries} queries are running; "
                "retry in a moment",
            },
            headers={"Retry-After": "1"},
        )
    metrics.queries_in_flight.inc()
    outcome = "error"
    try:
        result = runner.run(
            query,
            info,
            result_format=fmt,
            default_graph_uris=default_graphs,
            named_graph_uris=named_graphs,
            store_default_graph=store_default_graph,
            base_iri=base,
        )
        outcome = "ok"
    except QueryTimeout:
        outcome = "timeout"
        metrics.query_timeouts.inc()
        raise
    finally:
        slots.release()
        metrics.queries_in_flight.dec()
        if outcome != "ok":
            metrics.query_seconds.labels(kind=info.kind.value, outcome=outcome).observe(
                settings.query_timeout if outcome == "timeout" else 0.0
            )
    metrics.query_seconds.labels(kind=info.kind.value, outcome="ok").observe(result.seconds)
    headers = {"Vary": "Accept", "Cache-Control": "no-store"}
    if result.truncated:
        metrics.results_truncated.inc()
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Row-Cap"] = str(settings.result_row_cap)
    return Response(result.body, media_type=_media_type_header(result.media_type), headers=headers)


_QUERY_PARAMS_DOC = {
    "query": "the SPARQL query",
    "default-graph-uri": "a graph of the default graph (repeatable)",
    "named-graph-uri": "a named graph of the dataset (repeatable)",
}
_QUERY_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/sparql-query": {"schema": {"type": "string"}},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["query"],
                }
            },
        },
    }
}
_QUERY_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "query results (or, without a query, the service description / UI)",
        "content": {
            media: {"schema": {"type": "string"}}
            for media in dict.fromkeys(m for m, _ in (*_TABULAR, *_GRAPH, ("text/html", None)))
        },
    },
    400: {"description": "malformed or refused query"},
    406: {"description": "no acceptable result format"},
    413: {"description": "query too large"},
    429: {"description": "too many queries running"},
    503: {"description": "query timed out (cancelled) or store unavailable"},
}


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (GET), service description, or the query UI",
    response_class=Response,
    responses=_QUERY_RESPONSES,
)
def sparql_get(
    request: Request,
    runner: RunnerDep,
    metrics: MetricsDep,
    store: StoreDep,
    query: Annotated[str | None, Query(description=_QUERY_PARAMS_DOC["query"])] = None,
    default_graph_uri: Annotated[
        list[str] | None,
        Query(alias="default-graph-uri", description=_QUERY_PARAMS_DOC["default-graph-uri"]),
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None,
        Query(alias="named-graph-uri", description=_QUERY_PARAMS_DOC["named-graph-uri"]),
    ] = None,
) -> Response:
    """Run a query given in the URL; without one, describe the service (or show the UI)."""
    params = _url_params(request)
    if params.all("update"):
        raise HTTPException(405, {"error": "method_not_allowed", "message": _UPDATE_ELSEWHERE})
    text = params.one("query")
    if text is None:
        return _describe_or_ui(request, store)
    return _run_query(
        request,
        runner,
        metrics,
        text,
        default_graphs=params.graphs("default-graph-uri"),
        named_graphs=params.graphs("named-graph-uri"),
    )


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (POST: URL-encoded or direct)",
    response_class=Response,
    responses=_QUERY_RESPONSES,
    openapi_extra=_QUERY_BODY,
)
def sparql_post(
    request: Request,
    runner: RunnerDep,
    metrics: MetricsDep,
    body: Body,
    default_graph_uri: Annotated[
        list[str] | None,
        Query(alias="default-graph-uri", description=_QUERY_PARAMS_DOC["default-graph-uri"]),
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None,
        Query(alias="named-graph-uri", description=_QUERY_PARAMS_DOC["named-graph-uri"]),
    ] = None,
) -> Response:
    """Run a query sent in the body, URL-encoded (``query=``) or as ``application/sparql-query``."""
    media, ct_params = _content_type(request)
    url = _url_params(request)
    if media == "application/x-www-form-urlencoded":
        params = _Params(url.items + _form(body))
        if params.all("update"):
            raise QueryError(_UPDATE_ELSEWHERE)
        text = params.one("query")
        if text is None:
            raise QueryError("the form has no 'query' field")
    elif media == "application/sparql-query":
        _require_utf8(ct_params)
        params = url
        if params.all("query"):
            raise QueryError("a direct POST carries the query in its body, not in the URL")
        text = _decode(body, "query")
    elif media == "application/sparql-update":
        raise QueryError(_UPDATE_ELSEWHERE)
    else:
        shown = media or "no Content-Type"
        raise HTTPException(
            415,
            {
                "error": "unsupported_media_type",
                "message": f"{shown}: POST a query as application/sparql-query or as "
                "application/x-www-form-urlencoded (query=...)",
            },
        )
    return _run_query(
        request,
        runner,
        metrics,
        text,
        default_graphs=params.graphs("default-graph-uri"),
        named_graphs=params.graphs("named-graph-uri"),
    )


# ---------------------------------------------------------------------------------------------
# service description and UI

_SD_OFFERS: tuple[tuple[str, str], ...] = (
    ("text/turtle", "turtle"),
    ("application/rdf+xml", "xml"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("text/html", "html"),
)
_RESULT_FORMAT_IRIS = (
    FORMATS.SPARQL_Results_JSON,
    FORMATS.SPARQL_Results_XML,
    FORMATS.SPARQL_Results_CSV,
    FORMATS.SPARQL_Results_TSV,
    FORMATS.Turtle,
    FORMATS["N-Triples"],
    FORMATS["JSON-LD"],
    FORMATS.RDF_XML,
)
_INPUT_FORMAT_IRIS = (FORMATS.Turtle, FORMATS["N-Triples"], FORMATS["JSON-LD"], FORMATS.RDF_XML)
_MAX_LISTED_GRAPHS = 1000
#: The query page may talk to its own origin only.
_UI_CSP = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def service_description(query_url: str, update_url: str, graphs: Sequence[str]) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoints (query and update).

    >>> g = service_description("http://localhost/sparql", "http://localhost/sparql/update", [])
    >>> (None, SD.endpoint, URIRef("http://localhost/sparql")) in g
    True
    """
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("dct", DCTERMS)
    query = BNode("query-service")
    g.add((query, RDF.type, SD.Service))
    g.add((query, SD.endpoint, URIRef(query_url)))
    g.add((query, DCTERMS.title, Literal("cmkg SPARQL endpoint (read-only)", lang="en")))
    g.add((query, SD.supportedLanguage, SD.SPARQL10Query))
    g.add((query, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((query, SD.feature, SD.UnionDefaultGraph))
    g.add((query, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    for fmt in _RESULT_FORMAT_IRIS:
        g.add((query, SD.resultFormat, fmt))
    dataset = BNode("dataset")
    g.add((query, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default_graph = BNode("default-graph")
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    for i, iri in enumerate(graphs[:_MAX_LISTED_GRAPHS]):
        named = BNode(f"named-graph-{i}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
    update = BNode("update-service")
    g.add((update, RDF.type, SD.Service))
    g.add((update, SD.endpoint, URIRef(update_url)))
    g.add((update, DCTERMS.title, Literal("cmkg SPARQL Update (API key required)", lang="en")))
    g.add((update, SD.supportedLanguage, SD.SPARQL11Update))
    for fmt in _INPUT_FORMAT_IRIS:
        g.add((update, SD.inputFormat, fmt))
    return g


def _describe_or_ui(request: Request, store: StoreDep) -> Response:
    choice = negotiate(request.headers.get("accept"), _SD_OFFERS)
    if choice is None:
        raise _not_acceptable("service description", _SD_OFFERS)
    if choice == "html":
        page = files("cmkg.api").joinpath("static", "sparql.html").read_bytes()
        return Response(
            page,
            media_type="text/html; charset=utf-8",
            headers={"Vary": "Accept", "Content-Security-Policy": _UI_CSP},
        )
    graphs = sorted(store.graphs())
    g = service_description(
        _endpoint(request, "/sparql"), _endpoint(request, "/sparql/update"), graphs
    )
    body = g.serialize(format=choice, encoding="utf-8")
    media = next(media for media, fmt in _SD_OFFERS if fmt == choice)
    return Response(body, media_type=_media_type_header(media), headers={"Vary": "Accept"})


# ---------------------------------------------------------------------------------------------
# updates

_UPDATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/sparql-update": {"schema": {"type": "string"}},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "update": {"type": "string"},
                        "using-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "using-named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["update"],
                }
            },
        },
    }
}


@router.post(
    "/sparql/update",
    summary="SPARQL 1.1 Update (API key required)",
    status_code=204,
    response_class=Response,
    responses={
        400: {"description": "malformed or refused update"},
        401: {"description": "missing or wrong API key"},
        403: {"description": "writes are disabled (no API key configured)"},
        415: {"description": "unsupported Content-Type"},
    },
    openapi_extra=_UPDATE_BODY,
)
def sparql_update(
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    settings: SettingsDep,
    body: Body,
    using_graph_uri: Annotated[list[str] | None, Query(alias="using-graph-uri")] = None,
    using_named_graph_uri: Annotated[list[str] | None, Query(alias="using-named-graph-uri")] = None,
) -> Response:
    """Run an update; the store applies it as one transaction."""
    media, ct_params = _content_type(request)
    url = _url_params(request)
    if media == "application/x-www-form-urlencoded":
        params = _Params(url.items + _form(body))
        if params.all("query"):
            raise QueryError("queries go to /sparql, not to /sparql/update")
        text = params.one("update")
        if text is None:
            raise QueryError("the form has no 'update' field")
    elif media == "application/sparql-update":
        _require_utf8(ct_params)
        params = url
        if params.all("update"):
            raise QueryError("a direct POST carries the update in its body, not in the URL")
        text = _decode(body, "update")
    else:
        shown = media or "no Content-Type"
        raise HTTPException(
            415,
            {
                "error": "unsupported_media_type",
                "message": f"{shown}: POST an update as application/sparql-update or as "
                "application/x-www-form-urlencoded (update=...)",
            },
        )
    base = _endpoint(request, "/sparql/update")
    check_update(text, known_graphs=store.has_graph, base_iri=base)
    text = with_using_dataset(
        text,
        using_graphs=params.graphs("using-graph-uri") or (),
        using_named_graphs=params.graphs("using-named-graph-uri") or (),
    )
    _apply_update(store, f"BASE <{base}> {text}", settings.query_timeout)
    return Response(status_code=204)


def _apply_update(store: StoreDep, text: str, timeout: float) -> None:
    try:
        store.update(text, timeout=timeout)
    except SyntaxError as exc:  # a backend that lets the parser's error through
        raise QueryError(str(exc)) from None


# ---------------------------------------------------------------------------------------------
# Graph Store HTTP Protocol

_IRIREF_SAFE = re.compile(r"^[^<>\"{}|^`\\\x00-\x20]+$")
GraphParam = Annotated[str | None, Query(description="the graph's IRI (indirect identification)")]
DefaultParam = Annotated[
    str | None, Query(description="present (empty) to address the default graph")
]


def _target(graph: str | None, default: str | None, *, allow_none: bool = False) -> str | None:
    """The graph IRI addressed (None: the store's default graph)."""
    if graph is not None and default is not None:
        raise InputError("give either ?graph=IRI or ?default, not both")
    if graph is None and default is None:
        if allow_none:
            return ""
        raise InputError("address a graph with ?graph=IRI or the default graph with ?default")
    if graph is None:
        return None
    check_iri(graph, what="graph")
    if not _IRIREF_SAFE.match(graph):
        raise InputError(f"graph {graph!r} is not a valid IRI")
    return graph


async def _rdf_parts(request: Request) -> list[tuple[str, bytes]]:
    """The RDF documents of a GSP body: the body itself, or each file of a multipart form."""
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/form-data"):
        form = await request.form(max_files=100, max_fields=100)
        parts = []
        for _, value in form.multi_items():
            if isinstance(value, str):
                continue
            parts.append((value.content_type or "", await value.read()))
        await form.close()
        return parts
    return [(content_type, await request.body())]


RdfParts = Annotated[list[tuple[str, bytes]], Depends(_rdf_parts)]

_GSP_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            **{media: {"schema": {"type": "string"}} for media in RDF_INPUT_FORMATS},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "additionalProperties": {"type": "string", "format": "binary"},
                }
            },
        },
    }
}
_GSP_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "bad graph address or RDF"},
    401: {"description": "missing or wrong API key"},
    403: {"description": "writes are disabled (no API key configured)"},
    413: {"description": "upload too large"},
}


def _parse_parts(parts: list[tuple[str, bytes]], base_iri: str | None, settings: Any) -> list:
    triples = []
    for content_type, data in parts:
        triples.extend(
            parse_rdf(data, content_type, base_iri=base_iri, max_seconds=settings.query_timeout)
        )
    return triples


def _insert_data(graph: str | None, triples: Sequence[Any]) -> str:
    body = " .\n".join(str(triple) for triple in triples)
    if graph is None:
        return f"INSERT DATA {{\n{body}\n}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"


@router.get(
    "/rdf-graph-store",
    summary="Read a graph (Graph Store HTTP Protocol)",
    response_class=Response,
    responses={
        200: {
            "description": "the graph",
            "content": {media: {"schema": {"type": "string"}} for media, _ in _GRAPH},
        },
        404: {"description": "no such graph"},
        406: {"description": "no acceptable RDF format"},
    },
)
def graph_store_read(
    request: Request,
    runner: RunnerDep,
    metrics: MetricsDep,
    store: StoreDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """The graph in Turtle (default), N-Triples, JSON-LD or RDF/XML."""
    return _read_graph(request, runner, metrics, store, _target(graph, default))


@router.head(
    "/rdf-graph-store",
    summary="Whether a graph exists, and the media type a GET would send",
    response_class=Response,
    responses={404: {"description": "no such graph"}, 406: {"description": "no RDF format"}},
)
def graph_store_head(
    request: Request,
    runner: RunnerDep,
    metrics: MetricsDep,
    store: StoreDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """The headers of a GET, without the body."""
    return _read_graph(request, runner, metrics, store, _target(graph, default))


def _read_graph(
    request: Request, runner: RunnerDep, metrics: MetricsDep, store: StoreDep, target: str | None
) -> Response:
    if target is not None and not store.has_graph(target):
        raise NotFound(f"graph <{target}> not found")
    if request.method == "HEAD":
        fmt = negotiate(request.headers.get("accept"), _GRAPH)
        if fmt is None:
            raise _not_acceptable("graph", _GRAPH)
        return Response(media_type=_media_type_header(fmt.value), headers={"Vary": "Accept"})
    if target is None:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        return _run_query(
            request,
            runner,
            metrics,
            query,
            default_graphs=None,
            named_graphs=None,
            store_default_graph=True,
        )
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
    return _run_query(request, runner, metrics, query, default_graphs=None, named_graphs=None)


def _put(store: StoreDep, settings: SettingsDep, parts: list, target: str | None) -> Response:
    triples = _parse_parts(parts, target, settings)
    if target is None:
        _apply_update(
            store,
            f"DROP SILENT DEFAULT ;\n{_insert_data(None, triples)}",
            settings.query_timeout,
        )
        return Response(status_code=204)
    existed = store.has_graph(target)
    store.replace_graph(target, triples)
    return Response(status_code=204 if existed else 201)


def _post(store: StoreDep, settings: SettingsDep, parts: list, target: str | None) -> Response:
    triples = _parse_parts(parts, target, settings)
    existed = target is None or store.has_graph(target)
    if triples:
        _apply_update(store, _insert_data(target, triples), settings.query_timeout)
    return Response(status_code=204 if existed else 201)


def _delete(store: StoreDep, settings: SettingsDep, target: str | None) -> Response:
    if target is None:
        _apply_update(store, "DROP SILENT DEFAULT", settings.query_timeout)
    elif not store.drop_graph(target):
        raise NotFound(f"graph <{target}> not found")
    return Response(status_code=204)


@router.put(
    "/rdf-graph-store",
    summary="Replace a graph (API key required)",
    status_code=204,
    response_class=Response,
    responses={201: {"description": "graph created"}, **_GSP_WRITE_RESPONSES},
    openapi_extra=_GSP_BODY,
)
def graph_store_put(
    _: WriteAccess,
    store: StoreDep,
    settings: SettingsDep,
    parts: RdfParts,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """Replace the graph's content with the body (atomically)."""
    return _put(store, settings, parts, _target(graph, default))


@router.post(
    "/rdf-graph-store",
    summary="Add to a graph, or create a new one (API key required)",
    status_code=204,
    response_class=Response,
    responses={201: {"description": "graph created (IRI in Location)"}, **_GSP_WRITE_RESPONSES},
    openapi_extra=_GSP_BODY,
)
def graph_store_post(
    _: WriteAccess,
    store: StoreDep,
    settings: SettingsDep,
    parts: RdfParts,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """Merge the body into the graph; without ``graph``/``default``, make a new graph."""
    target = _target(graph, default, allow_none=True)
    if target == "":
        new = str(GRAPH[f"upload/{uuid.uuid4()}"])
        store.replace_graph(new, _parse_parts(parts, new, settings))
        return Response(status_code=201, headers={"Location": new})
    return _post(store, settings, parts, target)


@router.delete(
    "/rdf-graph-store",
    summary="Delete a graph (API key required)",
    status_code=204,
    response_class=Response,
    responses={404: {"description": "no such graph"}, **_GSP_WRITE_RESPONSES},
)
def graph_store_delete(
    _: WriteAccess,
    store: StoreDep,
    settings: SettingsDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """Drop the graph (the default graph is emptied)."""
    return _delete(store, settings, _target(graph, default))


# -- direct identification: the graph's IRI is the request URL ---------------------------------

_DIRECT = "/rdf-graph-store/{path:path}"


def _direct_target(request: Request) -> str:
    """The graph a direct request names: its own URL (as this server sees it, no query)."""
    if request.query_params:
        raise InputError("a graph named by its URL takes no query parameters (?graph, ?default)")
    raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
    iri = str(request.base_url).rstrip("/") + raw.decode("latin-1")
    check_iri(iri, what="graph")
    if not _IRIREF_SAFE.match(iri):
        raise InputError(f"graph {iri!r} is not a valid IRI")
    return iri


@router.get(_DIRECT, summary="Read a graph named by its URL", response_class=Response)
def graph_store_direct_read(
    request: Request, runner: RunnerDep, metrics: MetricsDep, store: StoreDep, path: str
) -> Response:
    """Direct identification: ``GET /rdf-graph-store/x`` reads the graph ``<{this URL}>``."""
    return _read_graph(request, runner, metrics, store, _direct_target(request))


@router.head(_DIRECT, summary="Whether a graph named by its URL exists", response_class=Response)
def graph_store_direct_head(
    request: Request, runner: RunnerDep, metrics: MetricsDep, store: StoreDep, path: str
) -> Response:
    """The headers of a GET, without the body."""
    return _read_graph(request, runner, metrics, store, _direct_target(request))


@router.put(
    _DIRECT,
    summary="Replace a graph named by its URL (API key required)",
    status_code=204,
    response_class=Response,
    responses={201: {"description": "graph created"}, **_GSP_WRITE_RESPONSES},
    openapi_extra=_GSP_BODY,
)
def graph_store_direct_put(
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    settings: SettingsDep,
    parts: RdfParts,
    path: str,
) -> Response:
    """Replace the graph ``<{this URL}>`` with the body."""
    return _put(store, settings, parts, _direct_target(request))


@router.post(
    _DIRECT,
    summary="Add to a graph named by its URL (API key required)",
    status_code=204,
    response_class=Response,
    responses={201: {"description": "graph created"}, **_GSP_WRITE_RESPONSES},
    openapi_extra=_GSP_BODY,
)
def graph_store_direct_post(
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    settings: SettingsDep,
    parts: RdfParts,
    path: str,
) -> Response:
    """Merge the body into the graph ``<{this URL}>``."""
    return _post(store, settings, parts, _direct_target(request))


@router.delete(
    _DIRECT,
    summary="Delete a graph named by its URL (API key required)",
    status_code=204,
    response_class=Response,
    responses={404: {"description": "no such graph"}, **_GSP_WRITE_RESPONSES},
)
def graph_store_direct_delete(
    request: Request, _: WriteAccess, store: StoreDep, settings: SettingsDep, path: str
) -> Response:
    """Drop the graph ``<{this URL}>``."""
    return _delete(store, settings, _direct_target(request))
