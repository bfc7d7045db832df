"""The remote backend: any SPARQL 1.1 Protocol + Update server, over httpx.

Queries and updates are ``POST``-ed as forms (``query=`` / ``update=``), which every server
takes. With ``gsp_url`` set, graph writes use the Graph Store HTTP Protocol instead: ``PUT`` to
replace a graph, ``POST`` to add to one (much faster on Virtuoso, whose SPARQL compiler also
caps the size of an ``INSERT DATA``). Without it, a write is one update request:
``DROP SILENT GRAPH``, then ``INSERT DATA`` operations of at most 1,000 triples each, then the
version - one transaction on the servers we test (Oxigraph, Virtuoso).

Transient failures (connection refused or reset, HTTP 502/503/504) are retried with
exponential backoff; after the last try the error is
:class:`~cmkg.graph.errors.StoreUnavailable`. A query past its ``timeout`` is
:class:`~cmkg.graph.errors.QueryTimeout` (the server's own timeout stops the work on its side).

Results are normalised so that every backend answers alike: SELECT and ASK results are read as
JSON (Virtuoso's ``typed-literal`` terms, ``nodeID://`` blank nodes and tabular ASK answers
included) and re-serialised by pyoxigraph; CONSTRUCT/DESCRIBE results are read as N-Triples and
re-serialised with the house prefixes.

The default graph must be the union of all graphs for :meth:`RemoteStore.select` and
:meth:`RemoteStore.ask`: Oxigraph server needs ``--union-default-graph``; Virtuoso, GraphDB and
Neptune do it already; Fuseki needs ``tdb2:unionDefaultGraph true`` (see docs/deployment.md).
Server-internal graphs (Virtuoso's ``virtrdf#`` and friends) are left out of
:meth:`RemoteStore.graphs` and :meth:`RemoteStore.count`, but union queries see them.

Examples
--------
>>> store = RemoteStore("http://127.0.0.1:9/sparql", retries=2, backoff=0.01)
>>> store.ask("ASK { ?s ?p ?o }")
Traceback (most recent call last):
...
cmkg.graph.errors.StoreUnavailable: the SPARQL server at http://127.0.0.1:9/sparql did not ...
>>> store.close()
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Generator, Iterable, Sequence
from decimal import Decimal
from typing import Any, Final

import httpx
import pyoxigraph as ox
from rdflib import Graph

from .errors import InputError, QueryError, QueryTimeout, StoreError, StoreUnavailable
from .store import (
    _RESULTS_FORMATS,
    _VERSION_QUERY,
    SYSTEM_GRAPH,
    QuadSource,
    QueryKind,
    RawResult,
    ResultFormat,
    Store,
    _bnode_label,
    _graph_batches,
    _insert_data_ops,
    _iri_ref,
    _json_term_value,
    _quad_pairs,
    _query_kind,
    _result_format,
    _rows_from_json,
    _serialize_triples,
    _triple_lines,
    _user_graph_ref,
    _version_ops,
    _with_ops,
)

__all__ = ["SERVER_GRAPHS", "RemoteStore"]

#: Graphs servers keep for themselves (Virtuoso's RDF views, LDP vocabulary and service
#: description), left out of ``graphs()`` and ``count()``.
SERVER_GRAPHS: Final[frozenset[str]] = frozenset(
    {
        "http://www.openlinksw.com/schemas/virtrdf#",
        "http://www.w3.org/ns/ldp#",
        "http://localuriqaserver/sparql",
        "http://localhost:8890/sparql",
        "http://localhost:8890/DAV/",
    }
)

_JSON_RESULTS: Final = "application/sparql-results+json"
_NTRIPLES: Final = "application/n-triples"
_TRANSIENT_STATUS: Final = frozenset({502, 503, 504})
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
#: How servers say that they stopped a query at their own time limit (Virtuoso: SR171...).
_SERVER_TIMEOUT = re.compile(r"timed out|timeout|exceeds the limit", re.IGNORECASE)


class _Credentials(httpx.Auth):
    """HTTP Basic or Digest credentials, whichever the server's challenge asks for."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if scheme == "digest":
            self._scheme = "digest"
            yield from self._digest.auth_flow(request)
        elif scheme == "basic":
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


def _message(response: httpx.Response) -> str:
    """The server's error text, without HTML, on one line, cut to 600 characters."""
    text = _SPACES.sub(" ", _TAGS.sub(" ", response.text)).strip()
    return text[:600] or response.reason_phrase


def _ask_answer(data: dict[str, Any]) -> bool:
    """The answer of an ASK query from JSON results (Virtuoso answers with a table)."""
    if "boolean" in data:
        return bool(data["boolean"])
    if data.get("head", {}).get("vars") == ["__ASK_RETVAL"]:
        rows = data.get("results", {}).get("bindings", [])
        return bool(rows) and _json_term_value(rows[0].get("__ASK_RETVAL")) in (1, True)
    raise QueryError("the server did not answer the ASK query with a boolean")


def _normalised_results(data: dict[str, Any]) -> bytes:
    """SPARQL 1.1 JSON results from a server's JSON (``typed-literal``, ``nodeID://``...)."""
    bindings = []
    for row in data.get("results", {}).get("bindings", []):
        clean = {}
        for name, term in row.items():
            kind = term.get("type")
            if kind == "typed-literal":
                term = {**term, "type": "literal"}
            elif kind == "bnode":
                label = re.sub(r"[^A-Za-z0-9_\-]", "_", _bnode_label(term["value"]))
                term = {**term, "value": label or "b"}
            clean[name] = term
        bindings.append(clean)
    variables = data.get("head", {}).get("vars", [])
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}).encode()


class RemoteStore(Store):
    """A SPARQL 1.1 server behind the :class:`~cmkg.graph.store.Store` interface.

    Parameters
    ----------
    query_url : str
        The SPARQL query endpoint.
    update_url : str, optional
        The SPARQL update endpoint (default: ``query_url``; writes need one of the two
        write endpoints).
    gsp_url : str, optional
        The Graph Store HTTP Protocol endpoint (graph writes then use ``PUT``/``POST``).
    auth : (user, password) or httpx.Auth, optional
        Credentials; a pair answers a Basic or a Digest challenge (Virtuoso wants Digest).
    timeout : float
        Seconds a query may take by default (``timeout=`` per call overrides it).
    write_timeout : float
        Seconds a write request may take.
    retries : int
        Tries per request before :class:`~cmkg.graph.errors.StoreUnavailable`.
    backoff : float
        Seconds before the second try; doubled for each further try.
    ignored_graphs : iterable of str
        Server-internal graphs left out of :meth:`graphs` and :meth:`count`.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        *,
        auth: tuple[str, str] | httpx.Auth | None = None,
        timeout: float = 30.0,
        write_timeout: float = 600.0,
        retries: int = 5,
        backoff: float = 0.2,
        ignored_graphs: Iterable[str] = SERVER_GRAPHS,
    ) -> None:
        for name, url in (
            ("query_url", query_url),
            ("update_url", update_url),
            ("gsp_url", gsp_url),
        ):
            if url is not None and not re.match(r"https?://[^/\s]+", url):
                raise StoreError(f"{name} {url!r} is not an http(s) URL")
        if retries < 1:
            raise StoreError(f"retries must be at least 1, not {retries}")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url
        self._timeout = timeout
        self._write_timeout = write_timeout
        self._retries = retries
        self._backoff = backoff
        self._ignored = frozenset(ignored_graphs) | {SYSTEM_GRAPH}
        if isinstance(auth, tuple):
            auth = _Credentials(*auth)
        self._client = httpx.Client(
            auth=auth, headers={"User-Agent": "cmkg"}, follow_redirects=False
        )
        self._graph_listing: str | None = None

    # -- HTTP ----------------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        *,
        timeout: float,
        what: str,
        data: bool = False,
        accepted: tuple[int, ...] = (),
        form: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request with retries; map failures to cmkg errors.

        ``timeout`` bounds the whole exchange (the body is read against the clock); ``what``
        names the request in messages (``"query"`` makes a timeout a QueryTimeout); ``data``
        marks a write of graph data, whose rejection (400) is the data's fault (InputError).
        """
        delay = self._backoff
        last = ""
        for attempt in range(1, self._retries + 1):
            deadline = time.monotonic() + timeout
            limits = httpx.Timeout(timeout, connect=min(timeout, 10.0))
            try:
                request = self._client.build_request(
                    method, url, timeout=limits, data=form, **kwargs
                )
                response = self._client.send(request, stream=True)
                try:
                    chunks = []
                    for chunk in response.iter_bytes():
                        chunks.append(chunk)
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("deadline passed", request=request)
                finally:
                    response.close()
                response = httpx.Response(
                    response.status_code,
                    headers=response.headers,
                    content=b"".join(chunks),
                    request=request,
                )
            except httpx.ConnectTimeout as exc:
                last = f"ConnectTimeout: {exc}"
            except httpx.TimeoutException:
                if what == "query":
                    raise QueryTimeout(
                        f"the query ran past its {timeout} s deadline at {url}"
                    ) from None
                raise StoreError(
                    f"the {what} at {url} timed out after {timeout} s; it may or may not have "
                    "been applied"
                ) from None
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code in accepted:
                    return response
                if response.status_code not in _TRANSIENT_STATUS:
                    return self._checked(response, url, what, data)
                last = f"HTTP {response.status_code}"
            if attempt < self._retries:
                time.sleep(delay)
                delay *= 2
        raise StoreUnavailable(
            f"the SPARQL server at {url} did not answer after {self._retries} tries ({last})"
        )

    @staticmethod
    def _checked(response: httpx.Response, url: str, what: str, data: bool) -> httpx.Response:
        status = response.status_code
        if status < 300:
            return response
        text = _message(response)
        if status in (401, 403):
            raise StoreError(
                f"the SPARQL server at {url} refused the {what} (HTTP {status}): check the "
                f"credentials and the endpoint's permissions: {text}"
            )
        if status == 400:
            if data:
                raise InputError(f"the SPARQL server at {url} rejected the data: {text}")
            raise QueryError(f"malformed {what}: {text}")
        if status == 404:
            raise StoreError(f"no SPARQL endpoint at {url} (HTTP 404): {text}")
        if what == "query" and _SERVER_TIMEOUT.search(text):
            raise QueryTimeout(f"the SPARQL server at {url} stopped the query: {text}")
        raise StoreError(f"the SPARQL server at {url} failed the {what} (HTTP {status}): {text}")

    def _query(
        self,
        query: str,
        accept: str,
        *,
        timeout: float | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> httpx.Response:
        form: dict[str, Any] = {"query": query}
        if default_graph_uris:
            form["default-graph-uri"] = [
                _iri_ref(g, what="default graph")[1:-1] for g in default_graph_uris
            ]
        if named_graph_uris:
            form["named-graph-uri"] = [
                _iri_ref(g, what="named graph")[1:-1] for g in named_graph_uris
            ]
        return self._send(
            "POST",
            self.query_url,
            timeout=timeout if timeout is not None else self._timeout,
            what="query",
            data=False,
            form=form,
            headers={"Accept": accept},
        )

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError:
            raise StoreError(
                f"the SPARQL server at {self.query_url} answered with something else than "
                f"SPARQL JSON results ({response.headers.get('content-type')})"
            ) from None
        if not isinstance(data, dict):
            raise StoreError(f"the SPARQL server at {self.query_url} answered with odd JSON")
        return data

    def _post_update(
        self,
        update: str,
        *,
        data: bool = False,
        what: str = "update",
        timeout: float | None = None,
    ) -> None:
        self._send(
            "POST",
            self.update_url,
            timeout=timeout if timeout is not None else self._write_timeout,
            what=what,
            data=data,
            form={"update": update},
        )

    def _gsp(self, method: str, graph: str | None, body: bytes | None = None) -> httpx.Response:
        assert self.gsp_url is not None
        params = {"graph": graph[1:-1]} if graph is not None else {"default": ""}
        headers = {"Content-Type": _NTRIPLES} if body is not None else {}
        return self._send(
            method,
            self.gsp_url,
            timeout=self._write_timeout,
            what="graph store request",
            data=True,
            accepted=(404,) if method == "DELETE" else (),
            params=params,
            content=body,
            headers=headers,
        )

    @staticmethod
    def _new_version() -> int:
        # random, not a counter: concurrent writers from several processes never collide
        # below 2**53: Virtuoso turns bigger integers into decimals
        return secrets.randbits(52) + 1

    def _bump(self) -> None:
        self._post_update(_version_ops(self._new_version()), what="version update")

    # -- reading -------------------------------------------------------------------------------

    def select(self, query: str, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Run a SELECT over the union of all graphs; rows of plain Python values."""
        kind = _query_kind(query)
        if kind is not None and kind is not QueryKind.SELECT:
            raise QueryError(f"select() needs a SELECT query, not {kind.name}")
        data = self._json(self._query(query, _JSON_RESULTS, timeout=timeout))
        if "boolean" in data:
            raise QueryError("select() needs a SELECT query, not ASK")
        return _rows_from_json(data)

    def ask(self, query: str, *, timeout: float | None = None) -> bool:
        """Run an ASK query over the union of all graphs."""
        kind = _query_kind(query)
        if kind is not None and kind is not QueryKind.ASK:
            raise QueryError(f"ask() needs an ASK query, not {kind.name}")
        return _ask_answer(self._json(self._query(query, _JSON_RESULTS, timeout=timeout)))

    def query_raw(
        self,
        query: str,
        *,
        accept: ResultFormat | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> RawResult:
        """Run any query and serialise its result (see :meth:`Store.query_raw`)."""
        kind = _query_kind(query)
        graph_result = kind in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE)
        response = self._query(
            query,
            _NTRIPLES if graph_result else _JSON_RESULTS,
            timeout=timeout,
            default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris,
        )
        if kind is None:  # the server took something we could not classify: go by its answer
            kind = QueryKind.SELECT
        try:
            if graph_result:
                fmt = _result_format(kind, accept)
                media = response.headers.get("content-type", _NTRIPLES).split(";")[0].strip()
                try:
                    rdf_format = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
                except ValueError:
                    rdf_format = ox.RdfFormat.N_TRIPLES
                quads = ox.parse(response.content, format=rdf_format)
                body = _serialize_triples((q.triple for q in quads), fmt)
                return RawResult(body, fmt.value, kind)
            data = self._json(response)
            if "boolean" in data or data.get("head", {}).get("vars") == ["__ASK_RETVAL"]:
                kind = QueryKind.ASK
                answer = _ask_answer(data)
                results = ox.parse_query_results(
                    json.dumps({"head": {}, "boolean": answer}).encode(),
                    format=ox.QueryResultsFormat.JSON,
                )
            else:
                results = ox.parse_query_results(
                    _normalised_results(data), format=ox.QueryResultsFormat.JSON
                )
            fmt = _result_format(kind, accept)
            body = results.serialize(format=_RESULTS_FORMATS[fmt])
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"cannot read the answer of the SPARQL server at {self.query_url}: {exc}"
            ) from None
        return RawResult(body or b"", fmt.value, kind)

    def graphs(self) -> list[str]:
        """The IRIs of all named graphs (server-internal and system graphs left out)."""
        names: list[str | None] = []
        if self._graph_listing != "scan":
            # cheap where the server enumerates its graphs (Oxigraph, Fuseki): no scan
            rows = self.select(
                "SELECT ?g WHERE { GRAPH ?g { } FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }"
            )
            names = [row["g"] for row in rows]
            if rows and all(isinstance(g, str) for g in names):
                self._graph_listing = "named"
            elif rows:  # a server that does not enumerate graphs that way (Virtuoso)
                self._graph_listing = "scan"
        if self._graph_listing != "named":
            # GROUP BY, not DISTINCT: Virtuoso plans DISTINCT ?g as a slow scan
            rows = self.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
            names = [row["g"] for row in rows]
        return sorted(
            str(g)
            for g in names
            if isinstance(g, str) and not g.startswith("_:") and g not in self._ignored
        )

    def has_graph(self, graph: str) -> bool:
        """Whether the named graph holds at least one triple."""
        return self.ask(f"ASK WHERE {{ GRAPH {_iri_ref(graph)} {{ ?s ?p ?o }} }}")

    def count(self, graph: str | None = None) -> int:
        """Number of quads in ``graph``, or in all named graphs (internal graphs left out)."""
        if graph is not None:
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri_ref(graph)} {{ ?s ?p ?o }} }}"
        else:
            ignored = ", ".join(f"<{g}>" for g in sorted(self._ignored))
            query = (
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER (?g NOT IN ({ignored})) }}"
            )
        rows = self.select(query)
        value = rows[0]["n"] if rows else 0
        return int(value) if value is not None else 0

    @property
    def version(self) -> int:
        """The version the last write stored on the server (0 before any write)."""
        rows = self.select(_VERSION_QUERY)
        values = [int(row["v"]) for row in rows if isinstance(row["v"], int | Decimal)]
        return max(values) if values else 0

    # -- writing -------------------------------------------------------------------------------

    def update(self, update: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL 1.1 Update (with the version change, in the same request)."""
        self._post_update(_with_ops(update, _version_ops(self._new_version())), timeout=timeout)

    def replace_graph(self, graph: str, triples: Graph | Iterable[Any] | bytes) -> int:
        """Atomically replace ``graph``: one GSP ``PUT``, or one update request.

        With GSP, the version is set by a second request right after the ``PUT``.
        """
        ref = _user_graph_ref(graph)
        lines = _triple_lines(graph, triples)
        if self.gsp_url is not None:
            if lines:
                self._gsp("PUT", ref, "".join(f"{line} .\n" for line in lines).encode())
            else:
                self._gsp("DELETE", ref)
            self._bump()
        else:
            ops = [f"DROP SILENT GRAPH {ref}", *_insert_data_ops(ref, lines)]
            ops.append(_version_ops(self._new_version()))
            self._post_update(";\n".join(ops), data=True, what="graph replacement")
        return len(set(lines))

    def drop_graph(self, graph: str) -> bool:
        """Remove a named graph; return whether it existed."""
        ref = _user_graph_ref(graph)
        if not self.has_graph(graph):
            return False
        self._post_update(f"DROP SILENT GRAPH {ref} ;\n{_version_ops(self._new_version())}")
        return True

    def bulk_load(
        self, source: QuadSource, *, batch_size: int = 10_000, replace: bool = False
    ) -> int:
        """Stream quads in: one request per batch of whole graphs, or per graph with GSP.

        Without ``gsp_url``: each batch is one update request (``DROP``s with ``replace``,
        ``INSERT DATA`` operations and the version), atomic on the server. With it: one
        ``POST`` (``PUT`` with ``replace``) of N-Triples per graph, and the version set after
        each batch.
        """
        total = 0
        for batch in _graph_batches(_quad_pairs(source), batch_size):
            if self.gsp_url is not None:
                for graph, lines in batch:
                    body = "".join(f"{line} .\n" for line in lines).encode()
                    self._gsp("PUT" if replace else "POST", graph, body)
                self._bump()
            else:
                ops = []
                for graph, lines in batch:
                    if replace:
                        ops.append(f"DROP SILENT GRAPH {graph}" if graph else "DROP SILENT DEFAULT")
                    ops.extend(_insert_data_ops(graph, lines))
                ops.append(_version_ops(self._new_version()))
                self._post_update(";\n".join(ops), data=True, what="bulk load")
            total += sum(len(lines) for _, lines in batch)
        return total

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"
