"""The one seam for persistence: one interface, three backends.

- :class:`EmbeddedStore` (the default): an on-disk pyoxigraph (RocksDB) store. One writing
  process per directory; other processes read through :meth:`EmbeddedStore.backup` snapshots
  or :meth:`EmbeddedStore.open_read_only`.
- :class:`MemoryStore`: the same engine in memory, for tests and notebooks.
- :class:`RemoteStore`: any SPARQL 1.1 Protocol + Update endpoint (Oxigraph server, Virtuoso,
  Fuseki, GraphDB, Neptune), optionally with the Graph Store HTTP Protocol for bulk uploads.

:func:`open_store` picks one from settings. Nothing outside this module knows which backend
is in use.

Semantics shared by every backend
---------------------------------
- **Named graphs.** Every source lives in its own named graph (one per article, one per
  reference release). :meth:`Store.replace_graph` swaps a graph atomically: readers see the
  old graph or the new one, never a mix, and a failure (bad data, a crash) leaves the old one.
  A graph *exists* when it holds at least one triple.
- **Union default graph.** :meth:`Store.select`, :meth:`Store.ask` and :meth:`Store.query_raw`
  without a dataset query the union of all graphs. ``query_raw`` honours the protocol's
  ``default-graph-uri`` / ``named-graph-uri`` dataset instead when given.
- **Plain values.** :meth:`Store.select` returns rows of plain Python values, so analytics,
  the API and notebooks need no RDF library: IRIs as :class:`IRI` (a ``str``), literals as
  ``int`` (``xsd:integer`` and its subtypes), ``Decimal`` (``xsd:decimal``), ``float``
  (``xsd:double``/``xsd:float``), ``bool``, ``datetime.date`` (``xsd:date``), ``datetime``
  (``xsd:dateTime``) or ``str`` (every other literal; a lexical form that does not parse stays
  a ``str`` too), blank nodes as ``"_:id"``, unbound as ``None``.
- **Version.** :attr:`Store.version` changes whenever the content changes, so it can key
  caches (the networkx projection, snapshots for query workers). Every write also sets
  ``owl:versionInfo`` of :data:`SYSTEM_GRAPH` in that graph, in the same transaction as the
  write where the protocol allows (see each backend; bulk loads set it after each batch).
  The system graph is bookkeeping: :meth:`Store.graphs` and :meth:`Store.count` leave it
  out; union queries do see its one triple.
- **Errors.** A malformed query or update is a :class:`~cmkg.graph.errors.QueryError` carrying
  the engine's message; bad data for a graph an :class:`~cmkg.graph.errors.InputError`; a store
  that cannot be opened, read or written a :class:`~cmkg.graph.errors.StoreError`
  (:class:`~cmkg.graph.errors.StoreUnavailable` for a server that does not answer).

Examples
--------
>>> from rdflib import Literal, URIRef
>>> from cmkg.graph.namespaces import CMKG, XSD, article_graph_iri, country_iri
>>> from cmkg.graph.store import MemoryStore
>>> store = MemoryStore()
>>> graph = str(article_graph_iri("0123456789abcdef"))
>>> claim = URIRef("https://w3id.org/cmkg/id/claim/1")
>>> store.replace_graph(graph, [(claim, CMKG.country, country_iri("CN")),
...                             (claim, CMKG.value, Literal("0.69", datatype=XSD.decimal))])
2
>>> store.select("SELECT ?c ?v WHERE { ?x <https://w3id.org/cmkg/ontology#country> ?c ; "
...              "<https://w3id.org/cmkg/ontology#value> ?v }")
[{'c': 'https://w3id.org/cmkg/id/country/CN', 'v': Decimal('0.69')}]
>>> store.graphs() == [graph], store.count(graph)
(True, 2)
>>> before = store.version
>>> store.drop_graph(graph), store.version != before, store.has_graph(graph)
(True, True, False)
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from os import PathLike, fspath
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .errors import InputError, StoreError
from .namespaces import GRAPH, OWL, PREFIXES, XSD

if TYPE_CHECKING:
    from ._store_embedded import EmbeddedStore, MemoryStore
    from ._store_remote import RemoteStore

__all__ = [
    "IRI",
    "SYSTEM_GRAPH",
    "EmbeddedStore",
    "MemoryStore",
    "QueryKind",
    "RawResult",
    "RemoteStore",
    "ResultFormat",
    "Store",
    "open_store",
]

#: The named graph holding the store's own bookkeeping (its version), hidden from ``graphs()``.
SYSTEM_GRAPH: Final = str(GRAPH["system"])


class IRI(str):
    """An IRI in a result row (a ``str``, so it compares equal to the plain string)."""

    __slots__ = ()


class QueryKind(Enum):
    SELECT = "select"
    ASK = "ask"
    CONSTRUCT = "construct"
    DESCRIBE = "describe"


class ResultFormat(Enum):
    """Serialisations the SPARQL endpoint offers, by media type."""

    JSON = "application/sparql-results+json"
    XML = "application/sparql-results+xml"
    CSV = "text/csv"
    TSV = "text/tab-separated-values"
    TURTLE = "text/turtle"
    NTRIPLES = "application/n-triples"
    NQUADS = "application/n-quads"
    JSONLD = "application/ld+json"
    RDFXML = "application/rdf+xml"


@dataclass(frozen=True, slots=True)
class RawResult:
    """A serialised query result, ready to send: its bytes, media type and query kind."""

    body: bytes
    media_type: str
    kind: QueryKind


#: What :meth:`Store.bulk_load` reads: quads (rdflib 4-tuples or pyoxigraph ``Quad``), or the
#: path of an N-Quads file.
QuadSource = Iterable[Any] | str | PathLike[str]


class Store(ABC):
    """What every backend offers. Small and explicit, like pyoxigraph's own surface."""

    @abstractmethod
    def select(self, query: str, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Run a SELECT over the union of all graphs; rows of plain Python values."""

    @abstractmethod
    def ask(self, query: str, *, timeout: float | None = None) -> bool:
        """Run an ASK query over the union of all graphs."""

    @abstractmethod
    def query_raw(
        self,
        query: str,
        *,
        accept: ResultFormat | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> RawResult:
        """Run any query and serialise its result (the SPARQL endpoint's path).

        With no dataset given, the default graph is the union of all named graphs. A format
        that does not fit the query's kind (CSV for a CONSTRUCT...) falls back to the kind's
        default (JSON for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE); ``media_type`` says
        what was produced.
        """

    @abstractmethod
    def update(self, update: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL 1.1 Update (one transaction)."""

    @abstractmethod
    def replace_graph(self, graph: str, triples: Graph | Iterable[Any] | bytes) -> int:
        """Atomically replace the named graph ``graph`` with ``triples``; return its size.

        ``triples`` is an rdflib ``Graph``, an iterable of rdflib (or pyoxigraph) triples, or
        the bytes of an N-Triples document. Bad data raises
        :class:`~cmkg.graph.errors.InputError` and leaves the old graph as it was.
        """

    @abstractmethod
    def drop_graph(self, graph: str) -> bool:
        """Remove a named graph; return whether it existed."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """The IRIs of all named graphs (sorted; the system graph left out)."""

    @abstractmethod
    def has_graph(self, graph: str) -> bool:
        """Whether a named graph exists."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in ``graph``, or in all named graphs (the system graph left out)."""

    @abstractmethod
    def bulk_load(
        self, source: QuadSource, *, batch_size: int = 10_000, replace: bool = False
    ) -> int:
        """Stream many quads into the store; return how many were read.

        ``source`` is an iterable of quads (rdflib ``(s, p, o, g)`` tuples with ``g`` an
        IRI, or ``None`` for the default graph, or pyoxigraph ``Quad``) or the path of an
        N-Quads file. Consecutive quads of one graph form a group; a group is never split,
        and batches of whole groups of about ``batch_size`` quads are written one transaction
        (one request) each. So a crash mid-load leaves every graph complete or absent, as
        long as each graph's quads come together in ``source``. With ``replace``, each graph
        in ``source`` replaces the stored one (in the same transaction); otherwise quads are
        added. Blank nodes are scoped to one group.
        """

    @property
    @abstractmethod
    def version(self) -> int:
        """A number that changes whenever the store's content changes (cache key)."""

    def close(self) -> None:  # noqa: B027 - optional for backends with nothing to close
        """Release the store's resources."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    kind: str,
    *,
    path: str | PathLike[str] | None = None,
    query_url: str | None = None,
    update_url: str | None = None,
    gsp_url: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> Store:
    """Open the store that settings name: ``"embedded"``, ``"memory"`` or ``"remote"``.

    ``path`` is the embedded store's directory (created if missing); ``query_url``,
    ``update_url`` and ``gsp_url`` are a remote server's endpoints; ``user``/``password``
    its credentials (HTTP Basic or Digest, whichever the server asks for).

    Examples
    --------
    >>> type(open_store("memory")).__name__
    'MemoryStore'
    >>> open_store("sqlite")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.StoreError: unknown store kind 'sqlite': use 'embedded', 'memory' or 'remote'
    >>> open_store("remote")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.StoreError: a remote store needs query_url (CMKG_SPARQL_QUERY_URL)
    """
    if kind == "memory":
        from ._store_embedded import MemoryStore

        return MemoryStore()
    if kind == "embedded":
        from ._store_embedded import EmbeddedStore

        if path is None or not fspath(path):
            raise StoreError("an embedded store needs a path (CMKG_STORE_PATH)")
        return EmbeddedStore(path)
    if kind == "remote":
        from ._store_remote import RemoteStore

        if not query_url:
            raise StoreError("a remote store needs query_url (CMKG_SPARQL_QUERY_URL)")
        if (user is None) != (password is None):
            raise StoreError("a remote store needs both user and password, or neither")
        auth = (user, password) if user is not None and password is not None else None
        return RemoteStore(query_url, update_url=update_url, gsp_url=gsp_url, auth=auth)
    raise StoreError(f"unknown store kind {kind!r}: use 'embedded', 'memory' or 'remote'")


def __getattr__(name: str) -> Any:
    # The backends live in private modules that import this one; re-export them lazily.
    if name in ("EmbeddedStore", "MemoryStore"):
        from . import _store_embedded

        return getattr(_store_embedded, name)
    if name == "RemoteStore":
        from . import _store_remote

        return _store_remote.RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ------------------------------------------------------------------------------------------
# Shared machinery of the backends (private).

_XSD = str(XSD)
_VERSION_PREDICATE: Final = str(OWL.versionInfo)
_SYSTEM: Final = f"<{SYSTEM_GRAPH}>"


def _to_date(text: str) -> date | str:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def _to_datetime(text: str) -> datetime | str:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


def _to_decimal(text: str) -> Decimal | str:
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def _to_int(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


def _to_float(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _to_bool(text: str) -> bool | str:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    return text


_INTEGER_TYPES = (
    "integer",
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "nonPositiveInteger",
    "positiveInteger",
    "negativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
)

#: Datatype IRI -> converter of the lexical form (literals of other datatypes stay ``str``).
_LITERAL_CONVERTERS: Final[dict[str, Callable[[str], Any]]] = {
    **{_XSD + name: _to_int for name in _INTEGER_TYPES},
    _XSD + "decimal": _to_decimal,
    _XSD + "double": _to_float,
    _XSD + "float": _to_float,
    _XSD + "boolean": _to_bool,
    _XSD + "date": _to_date,
    _XSD + "dateTime": _to_datetime,
}


def _literal_value(text: str, datatype: str | None) -> Any:
    """A literal's plain value from its lexical form and datatype IRI.

    >>> _literal_value("42", "http://www.w3.org/2001/XMLSchema#integer")
    42
    >>> _literal_value("2024-05-01", "http://www.w3.org/2001/XMLSchema#date")
    datetime.date(2024, 5, 1)
    >>> _literal_value("not a number", "http://www.w3.org/2001/XMLSchema#integer")
    'not a number'
    """
    if datatype is None:
        return text
    convert = _LITERAL_CONVERTERS.get(datatype)
    return convert(text) if convert is not None else text


def _json_term_value(term: dict[str, str] | None) -> Any:
    """The plain value of one term of SPARQL 1.1 JSON results (and Virtuoso's variants)."""
    if term is None:
        return None
    kind = term["type"]
    if kind == "uri":
        return IRI(term["value"])
    if kind == "bnode":
        return "_:" + _bnode_label(term["value"])
    return _literal_value(term["value"], term.get("datatype"))


def _bnode_label(value: str) -> str:
    # Virtuoso names blank nodes "nodeID://b123"; others give the bare label.
    return value.removeprefix("_:").removeprefix("nodeID://")


def _rows_from_json(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of plain values from parsed SPARQL JSON results.

    >>> _rows_from_json({"head": {"vars": ["x", "n"]}, "results": {"bindings": [
    ...     {"x": {"type": "uri", "value": "https://w3id.org/cmkg/id/country/CN"},
    ...      "n": {"type": "typed-literal", "value": "3",
    ...            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}, {}]}})
    [{'x': 'https://w3id.org/cmkg/id/country/CN', 'n': 3}, {'x': None, 'n': None}]
    """
    names = data.get("head", {}).get("vars", [])
    value = _json_term_value
    return [
        {name: value(binding.get(name)) for name in names}
        for binding in data.get("results", {}).get("bindings", [])
    ]


def _ox_term_value(term: Any) -> Any:
    """The plain value of one pyoxigraph term (None for unbound)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return IRI(term.value)
    if kind is ox.Literal:
        language = term.language
        if language is not None:
            return term.value
        convert = _LITERAL_CONVERTERS.get(term.datatype.value)
        return convert(term.value) if convert is not None else term.value
    if term is None:
        return None
    if kind is ox.BlankNode:
        return "_:" + term.value
    return str(term)  # an RDF 1.2 triple term


# -- query kinds and result formats --------------------------------------------------------

_PROLOGUE = re.compile(
    r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^:\s]*:\s*<[^>]*>|VERSION\s+(?:\"[^\"]*\"|'[^']*'))*",
    re.IGNORECASE,
)
_KIND = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _query_kind(query: str) -> QueryKind | None:
    """The kind of a query from its first keyword after the prologue (None if unknown).

    >>> _query_kind("PREFIX cmkg: <https://w3id.org/cmkg/ontology#>\\n# hi\\nask { ?s ?p ?o }")
    <QueryKind.ASK: 'ask'>
    >>> _query_kind("INSERT DATA { <a:b> <a:c> <a:d> }") is None
    True
    """
    start = _PROLOGUE.match(query)
    match = _KIND.match(query, start.end() if start else 0)
    return QueryKind(match.group(1).lower()) if match else None


_TABULAR: Final = (ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV)
_GRAPHS: Final = (
    ResultFormat.TURTLE,
    ResultFormat.NTRIPLES,
    ResultFormat.NQUADS,
    ResultFormat.JSONLD,
    ResultFormat.RDFXML,
)
_RESULTS_FORMATS: Final = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
    ResultFormat.CSV: ox.QueryResultsFormat.CSV,
    ResultFormat.TSV: ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS: Final = {
    ResultFormat.TURTLE: ox.RdfFormat.TURTLE,
    ResultFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ResultFormat.NQUADS: ox.RdfFormat.N_QUADS,
    ResultFormat.JSONLD: ox.RdfFormat.JSON_LD,
    ResultFormat.RDFXML: ox.RdfFormat.RDF_XML,
}


def _result_format(kind: QueryKind, accept: ResultFormat | None) -> ResultFormat:
    """The format to produce for a query of ``kind`` when ``accept`` is asked for.

    >>> _result_format(QueryKind.CONSTRUCT, ResultFormat.CSV)
    <ResultFormat.TURTLE: 'text/turtle'>
    >>> _result_format(QueryKind.SELECT, ResultFormat.TSV)
    <ResultFormat.TSV: 'text/tab-separated-values'>
    """
    allowed = _GRAPHS if kind in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE) else _TABULAR
    return accept if accept in allowed else allowed[0]


def _serialize_triples(triples: Iterable[ox.Triple], fmt: ResultFormat) -> bytes:
    """Serialise CONSTRUCT/DESCRIBE triples, with the house prefixes where the format has them."""
    out = ox.serialize(triples, format=_RDF_FORMATS[fmt], prefixes=dict(PREFIXES))
    return out if out is not None else b""


# -- writing: terms, triples and quads as N-Triples text -----------------------------------


def _iri_ref(value: str, *, what: str = "graph") -> str:
    """``<value>`` once ``value`` is checked to be an absolute IRI (InputError otherwise).

    >>> _iri_ref("https://w3id.org/cmkg/graph/article/0123456789abcdef")
    '<https://w3id.org/cmkg/graph/article/0123456789abcdef>'
    >>> _iri_ref("not an iri> } ; DROP ALL ; #")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: graph 'not an iri> } ; DROP ALL ; #' is not a valid IRI: ...
    """
    try:
        return str(ox.NamedNode(str(value)))
    except (ValueError, TypeError) as exc:
        raise InputError(f"{what} {str(value)!r} is not a valid IRI: {exc}") from None


def _user_graph_ref(graph: str) -> str:
    """``<graph>`` for a graph a caller may write: any valid IRI but the system graph's.

    >>> _user_graph_ref("https://w3id.org/cmkg/graph/article/0123456789abcdef")
    '<https://w3id.org/cmkg/graph/article/0123456789abcdef>'
    >>> _user_graph_ref(SYSTEM_GRAPH)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: <https://w3id.org/cmkg/graph/system> is the store's own ...
    """
    ref = _iri_ref(graph)
    if graph == SYSTEM_GRAPH:
        raise InputError(f"<{SYSTEM_GRAPH}> is the store's own bookkeeping graph")
    return ref


class _TermWriter:
    """Turns rdflib or pyoxigraph terms into checked N-Triples text (cached for IRIs)."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}

    def iri(self, value: str) -> str:
        text = self._iris.get(value)
        if text is None:
            text = str(ox.NamedNode(value))
            if len(self._iris) > 200_000:
                self._iris.clear()
            self._iris[value] = text
        return text

    def term(self, term: Any) -> str:
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, Literal):
            if term.language:
                return str(ox.Literal(str(term), language=term.language))
            if term.datatype is not None:
                return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
            return str(ox.Literal(str(term)))
        if isinstance(term, BNode):
            return str(ox.BlankNode(str(term)))
        if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple):
            return str(term)
        raise TypeError(f"not an RDF term: {term!r}")

    def triple(self, triple: Any) -> str:
        if isinstance(triple, ox.Triple):
            return str(triple)
        s, p, o = triple
        if isinstance(p, Literal | BNode) or isinstance(s, Literal):
            raise TypeError(
                "a literal cannot be a subject, nor a literal or blank node a predicate"
            )
        return f"{self.term(s)} {self.term(p)} {self.term(o)}"


def _has_bnode(text: str) -> bool:
    return "_:" in text


def _triple_lines(graph: str, triples: Graph | Iterable[Any] | bytes) -> list[str]:
    """The triples of a graph to write as checked N-Triples lines (without the final dot).

    Raises :class:`InputError` naming ``graph`` and the position of the first bad triple.

    >>> from rdflib import URIRef
    >>> _triple_lines("urn:g", [(URIRef("urn:a"), URIRef("urn:b"), 1)])
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: triple 1 for graph <urn:g> is not valid RDF: not an RDF term: 1
    """
    if isinstance(triples, bytes | bytearray | memoryview):
        try:
            quads = ox.parse(bytes(triples), format=ox.RdfFormat.N_TRIPLES)
            return [str(q.triple) for q in quads]
        except (SyntaxError, ValueError) as exc:
            raise InputError(f"invalid N-Triples for graph <{graph}>: {exc}") from None
    if isinstance(triples, str):
        raise InputError(f"triples for graph <{graph}> must be bytes of N-Triples, not str")
    writer = _TermWriter()
    lines: list[str] = []
    position = 0
    try:
        for position, triple in enumerate(triples, start=1):  # noqa: B007 - used in the message
            lines.append(writer.triple(triple))
    except (TypeError, ValueError) as exc:
        raise InputError(f"triple {position} for graph <{graph}> is not valid RDF: {exc}") from None
    return lines


#: Quads per ``INSERT DATA`` operation: Virtuoso's SPARQL compiler rejects much bigger ones
#: ("generated SQL text has exceeded 10000 lines"); a request may hold many operations.
_INSERT_CHUNK: Final = 1000


def _insert_data_ops(graph_ref: str | None, lines: Sequence[str]) -> list[str]:
    """The update operations that add ``lines`` to one graph (``None``: the default graph).

    ``INSERT DATA`` operations of at most 1,000 triples; the triples with blank nodes go
    together into one ``INSERT {...} WHERE {}`` (their labels' scope is one operation, and
    Virtuoso refuses blank nodes in ``INSERT DATA``).

    >>> for op in _insert_data_ops("<urn:g>", ["<urn:a> <urn:b> _:x", "<urn:a> <urn:c> 1"]):
    ...     print(op)
    INSERT { GRAPH <urn:g> {
    <urn:a> <urn:b> _:x .
    } } WHERE {}
    INSERT DATA { GRAPH <urn:g> {
    <urn:a> <urn:c> 1 .
    } }
    """
    if not lines:
        return []
    with_bnodes = [line for line in lines if _has_bnode(line)]
    plain = [line for line in lines if not _has_bnode(line)] if with_bnodes else list(lines)
    ops = []
    if with_bnodes:
        body = " .\n".join(with_bnodes)
        if graph_ref is None:
            ops.append(f"INSERT {{\n{body} .\n}} WHERE {{}}")
        else:
            ops.append(f"INSERT {{ GRAPH {graph_ref} {{\n{body} .\n}} }} WHERE {{}}")
    for start in range(0, len(plain), _INSERT_CHUNK):
        body = " .\n".join(plain[start : start + _INSERT_CHUNK])
        if graph_ref is None:
            ops.append(f"INSERT DATA {{\n{body} .\n}}")
        else:
            ops.append(f"INSERT DATA {{ GRAPH {graph_ref} {{\n{body} .\n}} }}")
    return ops


def _version_ops(value: int) -> str:
    """The update operations that set the store's version to ``value``."""
    return (
        f"DELETE WHERE {{ GRAPH {_SYSTEM} {{ {_SYSTEM} <{_VERSION_PREDICATE}> ?v }} }} ;\n"
        f"INSERT DATA {{ GRAPH {_SYSTEM} {{ {_SYSTEM} <{_VERSION_PREDICATE}> {int(value)} }} }}"
    )


_VERSION_QUERY: Final = (
    f"SELECT ?v WHERE {{ GRAPH {_SYSTEM} {{ {_SYSTEM} <{_VERSION_PREDICATE}> ?v }} }}"
)


_UPDATE_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\s]*>"
    r"|#[^\n]*"
    r"|[^\"'<#]+"
    r"|.",
    re.DOTALL,
)


def _with_ops(update: str, ops: str) -> str:
    """A caller's update followed by more operations, in the same request.

    A trailing ``;`` (and any comment after it) is dropped, since ``; ;`` is not SPARQL.

    >>> print(_with_ops("INSERT DATA { <urn:a> <urn:b> '#;' } ; # done", "CLEAR ALL"))
    INSERT DATA { <urn:a> <urn:b> '#;' }
    ;
    CLEAR ALL
    """
    end = 0
    for token in _UPDATE_TOKENS.finditer(update):
        text = token.group()
        if text.startswith("#"):
            continue
        stripped = text.rstrip()
        if stripped:
            end = token.start() + len(stripped)
    body = update[:end].rstrip()
    while body.endswith(";"):
        body = body[:-1].rstrip()
    return f"{body}\n;\n{ops}" if body else ops


# -- bulk loading: grouping quads by graph ---------------------------------------------------

_IRI_TOKEN = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_BNODE_TOKEN = r"_:[\w\u00B7-\uFFFF](?:[\w.\-\u00B7-\uFFFF]*[\w\-\u00B7-\uFFFF])?"
_LITERAL_TOKEN = r"\"(?:[^\"\\\n\r]|\\.)*\"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^" + _IRI_TOKEN + ")?"
_NQUAD_LINE = re.compile(
    rf"[ \t]*((?:{_IRI_TOKEN}|{_BNODE_TOKEN})[ \t]*{_IRI_TOKEN}[ \t]*"
    rf"(?:{_IRI_TOKEN}|{_BNODE_TOKEN}|{_LITERAL_TOKEN}))"
    rf"[ \t]*({_IRI_TOKEN}|{_BNODE_TOKEN})?[ \t]*\.[ \t]*(?:#.*)?"
)

#: One group: the graph (``<iri>`` text, or None for the default graph) and its triple lines.
_Group = tuple[str | None, list[str]]


def _quads_from_file(path: str | PathLike[str]) -> Iterator[tuple[str | None, str]]:
    """``(graph, triple line)`` pairs of an N-Quads file, checked line by line."""
    location = Path(path)
    try:
        handle = location.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the N-Quads file {location}: {exc}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            match = _NQUAD_LINE.fullmatch(stripped)
            if match is None:
                raise InputError(f"{location}:{number}: not an N-Quads statement: {stripped!r}")
            yield match.group(2), match.group(1)


def _quads_from_terms(quads: Iterable[Any]) -> Iterator[tuple[str | None, str]]:
    """``(graph, triple line)`` pairs of rdflib or pyoxigraph quads, checked term by term."""
    writer = _TermWriter()
    position = 0
    try:
        for position, quad in enumerate(quads, start=1):  # noqa: B007 - used in the message
            if isinstance(quad, ox.Quad):
                graph = quad.graph_name
                name = None if isinstance(graph, ox.DefaultGraph) else str(graph)
                yield name, str(quad.triple)
                continue
            s, p, o, g = quad
            if isinstance(g, Graph):
                g = g.identifier
            if g is None or isinstance(g, ox.DefaultGraph):
                name = None
            elif isinstance(g, BNode):
                raise TypeError("a graph name must be an IRI")
            else:
                name = writer.term(g)
            yield name, writer.triple((s, p, o))
    except (TypeError, ValueError) as exc:
        raise InputError(f"quad {position} is not valid RDF: {exc}") from None


def _quad_pairs(source: QuadSource) -> Iterator[tuple[str | None, str]]:
    if isinstance(source, str | PathLike):
        return _quads_from_file(source)
    return _quads_from_terms(source)


def _graph_batches(
    pairs: Iterable[tuple[str | None, str]], batch_size: int
) -> Iterator[list[_Group]]:
    """Batches of whole graph groups (from ``(graph, triple line)`` pairs) of about
    ``batch_size`` quads each.

    A group (consecutive quads of one graph) is never split; a group bigger than
    ``batch_size`` makes a batch of its own.

    >>> pairs = [("<urn:g1>", "<urn:a> <urn:p> <urn:b>")] * 3 + [("<urn:g2>", "<urn:a> <urn:p> 1")]
    >>> [[(g, len(lines)) for g, lines in batch] for batch in _graph_batches(pairs, 2)]
    [[('<urn:g1>', 3)], [('<urn:g2>', 1)]]
    """
    if batch_size < 1:
        raise InputError(f"batch_size must be at least 1, not {batch_size}")
    batch: list[_Group] = []
    size = 0
    current: str | object | None = object()
    lines: list[str] = []
    for graph, line in pairs:
        if graph != current:
            if lines:
                if size and size + len(lines) > batch_size:
                    yield batch
                    batch, size = [], 0
                batch.append((current, lines))  # type: ignore[arg-type]
                size += len(lines)
            current, lines = graph, []
        lines.append(line)
    if lines:
        if size and size + len(lines) > batch_size:
            yield batch
            batch, size = [], 0
        batch.append((current, lines))  # type: ignore[arg-type]
    if batch:
        yield batch
