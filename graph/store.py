"""The one seam for persistence: one interface, three backends.

- :class:`EmbeddedStore` (the default): an on-disk pyoxigraph (RocksDB) store. One writing
  process per directory.
- :class:`MemoryStore`: the same engine in memory, for tests and notebooks.
- :class:`RemoteStore`: any SPARQL 1.1 Protocol + Update endpoint (Oxigraph server, Virtuoso,
  Fuseki, GraphDB, Neptune), optionally with the Graph Store HTTP Protocol for bulk uploads.

Every source lives in its own named graph (one per article, one per reference release);
:meth:`Store.replace_graph` swaps a source's graph atomically. Nothing outside this module
knows which backend is in use.

Results of :meth:`Store.select` are plain Python values so that analytics, the API and
notebooks need no RDF library: IRIs as :class:`IRI` (a ``str``), literals as ``int``,
``float``, ``Decimal``, ``bool``, ``datetime.date``/``datetime`` or ``str``, blank nodes as
``"_:id"``, unbound as ``None``.

NOTE: this file holds the interface; the backends are built in issue #2 (this docstring's
examples become runnable with them).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from rdflib import Graph

__all__ = ["IRI", "QueryKind", "RawResult", "ResultFormat", "Store"]


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

        With no dataset given, the default graph is the union of all named graphs.
        """

    @abstractmethod
    def update(self, update: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL 1.1 Update (one transaction)."""

    @abstractmethod
    def replace_graph(self, graph: str, triples: Graph | Iterable[Any]) -> int:
        """Atomically replace the named graph ``graph`` with ``triples``; return its size."""

    @abstractmethod
    def drop_graph(self, graph: str) -> bool:
        """Remove a named graph; return whether it existed."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """The IRIs of all named graphs."""

    @abstractmethod
    def has_graph(self, graph: str) -> bool:
        """Whether a named graph exists."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in ``graph``, or in the whole store."""

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
