"""The pyoxigraph backends: :class:`EmbeddedStore` (RocksDB on disk) and :class:`MemoryStore`.

Both are one pyoxigraph ``Store``; every write is one pyoxigraph transaction that also sets
the store's version (``owl:versionInfo`` in the system graph). Reads run concurrently with
writes and see a consistent snapshot; writes are serialised by a lock in the process.

Concurrency across processes (``EmbeddedStore``): RocksDB lets **one process** open a directory
for writing; a second writer fails with :class:`~cmkg.graph.errors.StoreError`. Other
processes read either a :meth:`EmbeddedStore.backup` snapshot (hard links, cheap; what the
query workers use) or the live directory through :meth:`EmbeddedStore.open_read_only`, which
sees the content as of its opening. pyoxigraph 0.5 has no RocksDB *secondary* mode any more,
and documents a read-only handle on a directory that another process writes as undefined
behaviour: the writer's compactions can delete files under it. Prefer snapshots.

Examples
--------
>>> store = MemoryStore()
>>> store.update("INSERT DATA { GRAPH <https://w3id.org/cmkg/graph/x> { <urn:a> <urn:b> 1 } }")
>>> store.ask("ASK { <urn:a> <urn:b> 1 }"), store.version
(True, 1)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from .errors import InputError, QueryError, QueryTimeout, StoreError
from .store import (
    _RESULTS_FORMATS,
    _VERSION_PREDICATE,
    SYSTEM_GRAPH,
    QuadSource,
    QueryKind,
    RawResult,
    ResultFormat,
    Store,
    _graph_batches,
    _insert_data_ops,
    _iri_ref,
    _ox_term_value,
    _quad_pairs,
    _query_kind,
    _result_format,
    _serialize_triples,
    _triple_lines,
    _user_graph_ref,
    _version_ops,
    _with_ops,
)

__all__ = ["EmbeddedStore", "MemoryStore"]

_SYSTEM_NODE = ox.NamedNode(SYSTEM_GRAPH)
_VERSION_NODE = ox.NamedNode(_VERSION_PREDICATE)
#: Rows converted between two looks at the clock in :meth:`select`.
_CLOCK_EVERY = 1024


def _engine_error(exc: Exception, what: str) -> Exception:
    """The cmkg error for an exception pyoxigraph raised while running ``what``."""
    if isinstance(exc, SyntaxError):
        return QueryError(f"malformed {what}: {exc}")
    if isinstance(exc, OSError):
        return StoreError(f"the store failed during a {what}: {exc}")
    return QueryError(f"{what} failed: {exc}")


class _OxigraphStore(Store):
    """What the embedded and in-memory stores share: one pyoxigraph ``Store``."""

    def __init__(self, inner: ox.Store, *, read_only: bool = False) -> None:
        self._inner: ox.Store | None = inner
        self._read_only = read_only
        self._lock = threading.RLock()
        self._version = self._stored_version()

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def _db(self) -> ox.Store:
        inner = self._inner
        if inner is None:
            raise StoreError(f"{self!r} is closed")
        return inner

    def _stored_version(self) -> int:
        pattern = self._db.quads_for_pattern(_SYSTEM_NODE, _VERSION_NODE, None, _SYSTEM_NODE)
        for quad in pattern:
            value = _ox_term_value(quad.object)
            if isinstance(value, int):
                return value
        return 0

    def _query(
        self,
        query: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> Any:
        if default_graph_uris or named_graph_uris:
            options: dict[str, Any] = {
                "default_graph": [
                    ox.NamedNode(_iri_ref(g, what="default graph")[1:-1])
                    for g in default_graph_uris
                ],
                "named_graphs": [
                    ox.NamedNode(_iri_ref(g, what="named graph")[1:-1]) for g in named_graph_uris
                ],
            }
        else:
            options = {"use_default_graph_as_union": True}
        try:
            return self._db.query(query, **options)
        except (SyntaxError, OSError, ValueError, RuntimeError, TypeError) as exc:
            raise _engine_error(exc, "query") from None

    def _writable(self) -> ox.Store:
        if self._read_only:
            raise StoreError(f"{self!r} is open read-only: writes go through its writer process")
        return self._db

    def _write(self, update: str, *, ours: bool = False) -> None:
        """Run ``update`` and set the next version, in one transaction.

        ``ours`` marks an update this module wrote (no trailing ``;`` or comment to trim).
        """
        db = self._writable()
        with self._lock:
            version = self._version + 1
            ops = _version_ops(version)
            text = (f"{update} ;\n{ops}" if update else ops) if ours else _with_ops(update, ops)
            try:
                db.update(text)
            except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
                raise _engine_error(exc, "update") from None
            self._version = version

    # -- reading -----------------------------------------------------------------------------

    def select(self, query: str, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Run a SELECT over the union of all graphs; rows of plain Python values.

        ``timeout`` is checked while rows stream out; pyoxigraph cannot stop a query that
        has not produced its first row (a big ``GROUP BY``) - the query runner's worker
        processes do that.
        """
        result = self._query(query)
        if not isinstance(result, ox.QuerySolutions):
            kind = "ASK" if isinstance(result, ox.QueryBoolean) else "CONSTRUCT/DESCRIBE"
            raise QueryError(f"select() needs a SELECT query, not {kind}")
        names = [variable.value for variable in result.variables]
        deadline = time.monotonic() + timeout if timeout is not None else None
        convert = _ox_term_value
        rows: list[dict[str, Any]] = []
        try:
            for solution in result:
                rows.append(dict(zip(names, map(convert, solution), strict=True)))
                if (
                    deadline is not None
                    and not len(rows) % _CLOCK_EVERY
                    and time.monotonic() > deadline
                ):
                    raise QueryTimeout(f"query ran past its {timeout} s deadline")
        except (OSError, ValueError, RuntimeError, TypeError) as exc:
            raise _engine_error(exc, "query") from None
        return rows

    def ask(self, query: str, *, timeout: float | None = None) -> bool:
        """Run an ASK query over the union of all graphs."""
        result = self._query(query)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("ask() needs an ASK query")
        return bool(result)

    def query_raw(
        self,
        query: str,
        *,
        accept: ResultFormat | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> RawResult:
        """Run any query and serialise its result (see :meth:`Store.query_raw`).

        ``timeout`` is not enforced: pyoxigraph cannot stop a running query. The query
        runner (:mod:`cmkg.graph.query_runner`) runs queries with deadlines in worker
        processes that it kills.
        """
        result = self._query(
            query, default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris
        )
        try:
            if isinstance(result, ox.QueryTriples):
                kind = (
                    QueryKind.DESCRIBE
                    if _query_kind(query) is QueryKind.DESCRIBE
                    else QueryKind.CONSTRUCT
                )
                fmt = _result_format(kind, accept)
                body = _serialize_triples(result, fmt)
            else:
                kind = QueryKind.ASK if isinstance(result, ox.QueryBoolean) else QueryKind.SELECT
                fmt = _result_format(kind, accept)
                body = result.serialize(format=_RESULTS_FORMATS[fmt])
        except (OSError, ValueError, RuntimeError, TypeError) as exc:
            raise _engine_error(exc, "query") from None
        return RawResult(body or b"", fmt.value, kind)

    def graphs(self) -> list[str]:
        """The IRIs of all named graphs that hold triples (the system graph left out)."""
        db = self._db
        names = []
        for graph in db.named_graphs():
            if not isinstance(graph, ox.NamedNode) or graph.value == SYSTEM_GRAPH:
                continue
            if next(iter(db.quads_for_pattern(None, None, None, graph)), None) is not None:
                names.append(graph.value)
        return sorted(names)

    def has_graph(self, graph: str) -> bool:
        """Whether the named graph holds at least one triple."""
        node = ox.NamedNode(_iri_ref(graph)[1:-1])
        return next(iter(self._db.quads_for_pattern(None, None, None, node)), None) is not None

    def count(self, graph: str | None = None) -> int:
        """Number of quads in ``graph``, or in all named graphs (the system graph left out)."""
        db = self._db
        if graph is not None:
            ref = _iri_ref(graph)
            return self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ref} {{ ?s ?p ?o }} }}")
        default = self._count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        system = sum(1 for _ in db.quads_for_pattern(None, None, None, _SYSTEM_NODE))
        return len(db) - default - system

    def _count(self, query: str) -> int:
        try:
            solution = next(iter(self._db.query(query)))
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise _engine_error(exc, "query") from None
        return int(solution["n"].value)

    @property
    def version(self) -> int:
        """A counter bumped by every write (persisted with the data for the embedded store)."""
        return self._version

    # -- writing -----------------------------------------------------------------------------

    def update(self, update: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL 1.1 Update as one transaction (``timeout`` is not enforced here)."""
        self._write(update)

    def replace_graph(self, graph: str, triples: Graph | Iterable[Any] | bytes) -> int:
        """Atomically replace ``graph`` with ``triples`` (one transaction); return its size."""
        ref = _user_graph_ref(graph)
        lines = _triple_lines(graph, triples)
        self._write(
            ";\n".join([f"DROP SILENT GRAPH {ref}", *_insert_data_ops(ref, lines)]), ours=True
        )
        return len(set(lines))

    def drop_graph(self, graph: str) -> bool:
        """Remove a named graph; return whether it existed."""
        ref = _user_graph_ref(graph)
        with self._lock:
            if not self.has_graph(graph):
                return False
            self._write(f"DROP SILENT GRAPH {ref}", ours=True)
            return True

    def bulk_load(
        self,
        source: QuadSource,
        *,
        batch_size: int = 100_000,
        replace: bool = False,
        atomic: bool = True,
    ) -> int:
        """Stream quads in, one transaction per batch of whole graphs (see :meth:`Store.bulk_load`).

        A batch goes through pyoxigraph's transactional N-Quads loader, or, with ``replace``,
        one ``DROP``/``INSERT DATA`` update. ``atomic=False`` uses pyoxigraph's bulk loader
        instead - about four times faster on a million quads and three times smaller on disk,
        but not transactional: a crash can leave graphs half-written, and readers can see a
        batch half-loaded. Use it for a first load into a store that nobody reads yet.
        """
        db = self._writable()
        total = 0
        for batch in _graph_batches(_quad_pairs(source), batch_size):
            if replace:
                ops = []
                for graph, lines in batch:
                    ops.append(f"DROP SILENT GRAPH {graph}" if graph else "DROP SILENT DEFAULT")
                    ops.extend(_insert_data_ops(graph, lines) if atomic else ())
                self._write(";\n".join(ops), ours=True)
            if replace and atomic:
                total += sum(len(lines) for _, lines in batch)
                continue
            data = "".join(
                f"{line} {graph} .\n" if graph else f"{line} .\n"
                for graph, lines in batch
                for line in lines
            ).encode("utf-8")
            with self._lock:
                try:
                    if atomic:
                        db.load(data, format=ox.RdfFormat.N_QUADS)
                    else:
                        db.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                except SyntaxError as exc:
                    raise InputError(f"invalid quads in the bulk load: {exc}") from None
                except (OSError, ValueError, RuntimeError) as exc:
                    raise _engine_error(exc, "bulk load") from None
                self._write("", ours=True)
            total += sum(len(lines) for _, lines in batch)
        return total

    def close(self) -> None:
        """Release the store (and, for the embedded store, its directory's lock)."""
        self._inner = None


class EmbeddedStore(_OxigraphStore):
    """An on-disk pyoxigraph (RocksDB) store in the directory ``path`` (created if missing).

    **One writing process per directory.** Opening a directory that another process (or
    another ``EmbeddedStore`` in this process) holds fails with
    :class:`~cmkg.graph.errors.StoreError`. Other processes read a :meth:`backup` snapshot
    or a read-only handle (:meth:`open_read_only`). Run one API process per store, or put a
    SPARQL server behind :class:`~cmkg.graph.store.RemoteStore` to scale out.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with EmbeddedStore(f"{folder}/store") as store:
    ...     store.replace_graph("https://w3id.org/cmkg/graph/x", b"<urn:a> <urn:b> <urn:c> .")
    1
    >>> with EmbeddedStore(f"{folder}/store") as store:
    ...     store.graphs(), store.version
    (['https://w3id.org/cmkg/graph/x'], 1)
    """

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            inner = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"the store at {self.path} is in use by another writer (RocksDB allows one "
                    "writing process per directory); read it through EmbeddedStore.backup() "
                    f"snapshots or EmbeddedStore.open_read_only(): {exc}"
                ) from None
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from None
        except RuntimeError as exc:  # RocksDB reports a damaged directory this way
            raise StoreError(
                f"cannot open the store at {self.path}: it is damaged or not a store ({exc})"
            ) from None
        super().__init__(inner)

    @classmethod
    def open_read_only(cls, path: str | PathLike[str]) -> EmbeddedStore:
        """Open ``path`` read-only (any number of processes; writes raise StoreError).

        The handle sees the content as of its opening. Reading a directory that a writer
        keeps changing is undefined behaviour in pyoxigraph (the writer may delete files
        under the reader); open a :meth:`backup` snapshot instead where that matters.
        """
        self = cls.__new__(cls)
        self.path = Path(path)
        try:
            inner = ox.Store.read_only(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path} read-only: {exc}") from None
        except RuntimeError as exc:  # RocksDB reports a damaged directory this way
            raise StoreError(
                f"cannot open the store at {self.path} read-only: it is damaged or not a "
                f"store ({exc})"
            ) from None
        _OxigraphStore.__init__(self, inner, read_only=True)
        return self

    def backup(self, target: str | PathLike[str]) -> None:
        """Write a consistent snapshot of the store into the new directory ``target``.

        On the same file system it hard-links RocksDB's immutable files, so it is cheap; the
        snapshot opens with ``EmbeddedStore(target)`` or :meth:`open_read_only`.
        """
        try:
            self._db.backup(str(target))
        except OSError as exc:
            raise StoreError(
                f"cannot back up the store at {self.path} to {target}: {exc}"
            ) from None

    def __repr__(self) -> str:
        mode = ", read-only" if self._read_only else ""
        return f"EmbeddedStore({str(self.path)!r}{mode})"


class MemoryStore(_OxigraphStore):
    """The pyoxigraph engine in memory: same semantics as :class:`EmbeddedStore`, no disk.

    Examples
    --------
    >>> store = MemoryStore()
    >>> store.replace_graph("https://w3id.org/cmkg/graph/x", b"<urn:a> <urn:b> <urn:c> .")
    1
    >>> b"<urn:a> <urn:b> <urn:c> <https://w3id.org/cmkg/graph/x> ." in store.dump()
    True
    """

    def __init__(self) -> None:
        super().__init__(ox.Store())

    def dump(self) -> bytes:
        """Every quad of the store as N-Quads (how a worker process gets a copy)."""
        out = self._db.dump(format=ox.RdfFormat.N_QUADS)
        return out if out is not None else b""

    def __repr__(self) -> str:
        return "MemoryStore()"
