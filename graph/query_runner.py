"""Run read queries with a deadline that really stops them, and a cap on result size.

pyoxigraph cannot cancel a running query, and a thread cannot be killed. So for the local
backends every read query runs in a small pool of worker processes; a query past its deadline
has its process killed (``SIGKILL``) and replaced, and the caller gets
:class:`~cmkg.graph.errors.QueryTimeout`. Meanwhile the other workers keep answering.

How each backend is served:

- **embedded** (on-disk RocksDB): a worker reads a *snapshot* of the store, made with
  pyoxigraph's ``Store.backup`` (hard links to the store's immutable files, so it costs
  milliseconds), opened read-only. A snapshot is made lazily when a query arrives after a
  write, and removed when no worker reads it any more. A read-only handle on the live files
  would be fragile: the writer compacts files away under it. Writes stay in the serving
  process (one writer per directory).
- **memory**: a process cannot share another's memory, so each worker holds a copy of the
  store (its N-Quads ``dump()``), refreshed when the store's version changes. Cancellation is
  as real as for the embedded store; the cost is one copy per worker, which suits the small
  stores the memory backend is for (tests, notebooks).
- **remote**: the query goes to the SPARQL server through :meth:`Store.query_raw` with the
  deadline as its HTTP timeout; the server's own timeout stops the work on its side.

Every query is checked by :mod:`cmkg.graph.query_guard` first (no ``SERVICE``, ``LOAD``,
``FROM`` of unknown graphs, ``file:`` IRIs). ``SELECT`` results longer than the row cap are cut
and marked (:attr:`QueryResult.truncated`); so are ``CONSTRUCT``/``DESCRIBE`` results (in
triples). Updates are not run here: they are writes, done by the store in the serving process.

Examples
--------
>>> serialize_solutions(["country", "share"], [[ox.NamedNode("https://w3id.org/cmkg/id/country/CN"),
...                       ox.Literal("0.69", datatype=ox.NamedNode(
...                           "http://www.w3.org/2001/XMLSchema#decimal"))]], ResultFormat.CSV)
b'country,share\\r\\nhttps://w3id.org/cmkg/id/country/CN,0.69\\r\\n'
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import multiprocessing
import queue
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import QueryError, QueryTimeout, StoreError
from .query_guard import QueryInfo, check_iri, check_query
from .store import QueryKind, RawResult, ResultFormat, Store

__all__ = [
    "GRAPH_FORMATS",
    "TABULAR_FORMATS",
    "QueryResult",
    "QueryRunner",
    "serialize_solutions",
]

#: Formats offered per query kind, the default first.
TABULAR_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat.JSON,
    ResultFormat.XML,
    ResultFormat.CSV,
    ResultFormat.TSV,
)
GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat.TURTLE,
    ResultFormat.NTRIPLES,
    ResultFormat.JSONLD,
    ResultFormat.RDFXML,
)

_RDF_FORMATS = {
    ResultFormat.TURTLE: ox.RdfFormat.TURTLE,
    ResultFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ResultFormat.JSONLD: ox.RdfFormat.JSON_LD,
    ResultFormat.RDFXML: ox.RdfFormat.RDF_XML,
}
_BOOLEAN_FORMATS = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
    ResultFormat.CSV: ox.QueryResultsFormat.CSV,
    ResultFormat.TSV: ox.QueryResultsFormat.TSV,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_EMPTY_GRAPH = "urn:x-cmkg:no-graph"  # stands for an empty dataset on remote stores

# ---------------------------------------------------------------------------------------------
# serialisation of solutions (ours, so that a capped list of rows can be written)


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction).rsplit(".", 1)[-1].lower()
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _term_xml(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_term_xml(term.subject)}</subject>"
            f"<predicate>{_term_xml(term.predicate)}</predicate>"
            f"<object>{_term_xml(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected term {term!r}")


def _term_csv(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _term_tsv(term: Any) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t")


def serialize_solutions(
    variables: Sequence[str], rows: Iterable[Sequence[Any]], fmt: ResultFormat
) -> bytes:
    """Write SELECT solutions (rows of pyoxigraph terms or None) in a SPARQL results format.

    >>> print(serialize_solutions(["m"], [[ox.NamedNode("https://w3id.org/cmkg/id/mineral/lithium")]],
    ...                           ResultFormat.TSV).decode())
    ?m
    <https://w3id.org/cmkg/id/mineral/lithium>
    """
    if fmt is ResultFormat.JSON:
        bindings = [
            {
                var: _term_json(term)
                for var, term in zip(variables, row, strict=True)
                if term is not None
            }
            for row in rows
        ]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt is ResultFormat.XML:
        out = io.StringIO()
        out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
        out.write("<head>")
        for var in variables:
            out.write(f"<variable name={quoteattr(var)}/>")
        out.write("</head><results>")
        for row in rows:
            out.write("<result>")
            for var, term in zip(variables, row, strict=True):
                if term is not None:
                    out.write(f"<binding name={quoteattr(var)}>{_term_xml(term)}</binding>")
            out.write("</result>")
        out.write("</results></sparql>\n")
        return out.getvalue().encode("utf-8")
    if fmt is ResultFormat.CSV:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_term_csv(term) for term in row])
        return out.getvalue().encode("utf-8")
    if fmt is ResultFormat.TSV:
        lines = ["\t".join(f"?{var}" for var in variables)]
        lines.extend("\t".join(_term_tsv(term) for term in row) for row in rows)
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise QueryError(f"{fmt.value} is not a format for SELECT results")


# ---------------------------------------------------------------------------------------------
# evaluation (runs inside a worker process)


def _evaluate(store: ox.Store, task: Mapping[str, Any]) -> tuple[bytes, bool, int | None]:
    kwargs: dict[str, Any] = {}
    if task["store_default_graph"]:
        kwargs["default_graph"] = [ox.DefaultGraph()]
    elif task["default_graphs"] is not None or task["named_graphs"] is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in task["default_graphs"] or ()]
        if task["named_graphs"] is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in task["named_graphs"]]
    elif task["union"]:
        kwargs["use_default_graph_as_union"] = True
    result = store.query(task["query"], base_iri=task["base_iri"], **kwargs)
    fmt = ResultFormat(task["format"])
    cap = task["row_cap"]
    if isinstance(result, ox.QueryBoolean):
        if fmt not in _BOOLEAN_FORMATS:
            raise QueryError(f"{fmt.value} is not a format for ASK results")
        return result.serialize(format=_BOOLEAN_FORMATS[fmt]), False, None
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [
            [solution[i] for i in range(len(variables))] for solution in islice(result, cap + 1)
        ]
        truncated = len(rows) > cap
        del rows[cap:]
        return serialize_solutions(variables, rows, fmt), truncated, len(rows)
    if fmt not in _RDF_FORMATS:
        raise QueryError(f"{fmt.value} is not a format for CONSTRUCT or DESCRIBE results")
    triples = list(islice(result, cap + 1))
    truncated = len(triples) > cap
    del triples[cap:]
    body = ox.serialize(triples, format=_RDF_FORMATS[fmt], prefixes=task["prefixes"] or None)
    return body, truncated, len(triples)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the serving process dies (best effort)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_STORAGE_ERROR = re.compile(r"IO error|Corruption|No such file|Resource temporarily", re.I)


def _is_storage_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) or bool(_STORAGE_ERROR.search(str(exc)))


def _open_read_only(path: str) -> ox.Store:
    """Open an on-disk store read-only, retrying briefly while its writer swaps files."""
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2):
        time.sleep(delay)
        try:
            return ox.Store.read_only(path)
        except Exception as exc:
            if not _is_storage_error(exc):
                raise
            last = exc
    raise StoreError(f"cannot open the store read-only: {last}")


def _worker_main(conn: Connection) -> None:
    """The loop of one worker process: receive tasks, answer with bytes or an error.

    Messages: ``("load", source, nquads)`` makes an in-memory copy; ``("query", task)``
    evaluates on ``task["source"]``: ``("disk", path, ...)`` opens ``path`` read-only (again
    whenever the source changes), ``("copy", ...)`` uses the loaded copy.
    """
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store: ox.Store | None = None
    opened: object = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if message[0] == "load":
                _, source, data = message
                store = None
                store = ox.Store()
                store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                opened = source
                conn.send(("ok", None))
                continue
            task = message[1]
            source = task["source"]
            if source != opened:
                if source[0] != "disk":
                    raise StoreError("query worker has no copy of this store version")
                store = None
                store = _open_read_only(source[1])
                opened = source
            assert store is not None
            try:
                answer = _evaluate(store, task)
            except (SyntaxError, QueryError):
                raise
            except Exception as exc:
                if source[0] != "disk" or not _is_storage_error(exc):
                    raise
                # a read-only handle on a live store can lose files its writer compacted away
                store = None
                opened = None
                store = _open_read_only(source[1])
                opened = source
                answer = _evaluate(store, task)
            conn.send(("ok", answer))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except QueryError as exc:
            conn.send(("query", str(exc)))
        except StoreError as exc:
            conn.send(("store", str(exc)))
        except Exception as exc:  # evaluation errors (RuntimeError, ValueError, TypeError...)
            if _is_storage_error(exc):
                conn.send(("store", f"{type(exc).__name__}: {exc}"))
            else:
                conn.send(("query", str(exc)))


# ---------------------------------------------------------------------------------------------
# what workers read (serving process side)


class _Snapshots:
    """Immutable copies of an on-disk store for the workers, one per store version.

    ``make(target)`` writes a consistent copy of the store into the new folder ``target``
    (pyoxigraph's ``Store.backup``: hard links to the store's immutable files, so cheap when on
    the same file system). Workers open a snapshot read-only: nothing writes it, so their
    handles are never affected by the writer's compactions. A snapshot is made lazily, when a
    query arrives after a write, and removed once no worker uses it.
    """

    def __init__(self, make: Callable[[str], None], root: Path) -> None:
        self._make = make
        self._root = root
        self._lock = threading.Lock()
        self._count = 0
        self._current: tuple[object, str] | None = None
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)

    def source(self, version: object, in_use: Collection[object]) -> tuple[str, str, object]:
        with self._lock:
            if self._current is None or self._current[0] != version:
                self._count += 1
                target = self._root / f"v{self._count}"
                self._make(str(target))
                self._current = (version, str(target))
                keep = {str(s[1]) for s in in_use if s and s[0] == "disk"} | {str(target)}
                for folder in self._root.iterdir():
                    if str(folder) not in keep:
                        shutil.rmtree(folder, ignore_errors=True)
            return ("disk", self._current[1], version)

    def close(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    #: what the worker was last told to read (None: nothing yet)
    source: object = None

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(timeout=2)
        with contextlib.suppress(Exception):
            self.conn.close()


@dataclass
class _Pool:
    size: int
    _idle: queue.Queue[_Worker] = field(default_factory=queue.Queue)
    _all: set[_Worker] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    def __post_init__(self) -> None:
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload([__name__])
        threading.Thread(target=self._fill, name="cmkg-query-pool", daemon=True).start()

    def _fill(self) -> None:
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        with self._lock:
            if self._closed:
                return
            parent, child = self._ctx.Pipe()
            process = self._ctx.Process(
                target=_worker_main, args=(child,), name="cmkg-query-worker", daemon=True
            )
            process.start()
            child.close()
            worker = _Worker(process, parent)
            self._all.add(worker)
        self._idle.put(worker)

    def acquire(self, timeout: float) -> _Worker:
        try:
            return self._idle.get(timeout=timeout)
        except queue.Empty:
            raise StoreError("no query worker became free in time") from None

    def release(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        threading.Thread(target=self._spawn, name="cmkg-query-respawn", daemon=True).start()

    def sources(self) -> list[object]:
        with self._lock:
            return [worker.source for worker in self._all]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()

    @property
    def idle(self) -> int:
        return self._idle.qsize()


# ---------------------------------------------------------------------------------------------
# the runner


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A serialised result and what the endpoint needs to say about it."""

    body: bytes
    media_type: str
    kind: QueryKind
    #: rows (SELECT) or triples (CONSTRUCT/DESCRIBE) were cut at the row cap
    truncated: bool = False
    #: rows or triples sent (None for ASK, or when the backend does not say)
    count: int | None = None
    seconds: float = 0.0


def _snapshot_root(path: Path) -> Path:
    """Where the snapshots of the store at ``path`` go: beside it (same file system)."""
    return path.parent / f".{path.name}.query-snapshots"


class QueryRunner:
    """Runs read queries against a store with a deadline, a guard and a row cap.

    How workers reach the store is decided from what the store offers: an on-disk store with
    ``path`` and ``backup(target)`` is read through snapshots; one with only ``path`` through
    read-only handles on the live files; a store with ``dump()`` (N-Quads bytes) through copies.
    Any other store (remote) is queried with :meth:`Store.query_raw` and its HTTP timeout.

    Parameters
    ----------
    store
        The store to query (embedded, memory or remote).
    timeout
        Default deadline in seconds; a query past it is cancelled (its worker killed).
    row_cap
        The most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a result holds.
    workers
        Worker processes for the local backends (the number of queries that can run at once).
    prefixes
        Prefixes for Turtle results.
    """

    def __init__(
        self,
        store: Store,
        *,
        timeout: float = 10.0,
        row_cap: int = 100_000,
        workers: int = 2,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        self.store = store
        self.timeout = timeout
        self.row_cap = row_cap
        self.prefixes = dict(prefixes or {})
        self._snapshots: _Snapshots | None = None
        self._live_path: str | None = None
        self._dump: Callable[[], bytes] | None = None
        self._dump_cache: tuple[object, bytes] | None = None
        self._dump_lock = threading.Lock()
        path = getattr(store, "path", None)
        backup = getattr(store, "backup", None)
        dump = getattr(store, "dump", None)
        if path is not None and callable(backup):
            self._snapshots = _Snapshots(backup, _snapshot_root(Path(path)))
        elif path is not None:
            self._live_path = str(path)
        elif callable(dump):
            self._dump = dump
        local = self._snapshots is not None or self._live_path or self._dump is not None
        self._pool = _Pool(max(1, workers)) if local else None
        self._direct = ThreadPoolExecutor(max(1, workers)) if not local else None

    # -- guard ---------------------------------------------------------------------------------

    def prepare(self, query: str, *, base_iri: str | None = None) -> QueryInfo:
        """Check ``query`` (see :func:`~cmkg.graph.query_guard.check_query`); return its kind."""
        return check_query(query, known_graphs=self.store.has_graph, base_iri=base_iri)

    # -- execution -----------------------------------------------------------------------------

    def run(
        self,
        query: str,
        info: QueryInfo,
        *,
        result_format: ResultFormat,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        store_default_graph: bool = False,
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Evaluate a prepared query; raise :class:`QueryTimeout` past the deadline.

        ``default_graph_uris`` / ``named_graph_uris`` are the protocol's dataset (None: not
        given). A graph the store does not hold is an empty graph, never fetched. With no
        dataset at all, the default graph is the union of all graphs (unless the query has
        its own ``FROM``). ``store_default_graph`` queries the store's own default graph.
        """
        deadline = timeout if timeout is not None else self.timeout
        for iri in (*(default_graph_uris or ()), *(named_graph_uris or ())):
            check_iri(iri, what="dataset graph")
        started = time.perf_counter()
        if self._pool is None:
            raw = self._run_direct(
                query,
                result_format=result_format,
                default_graph_uris=default_graph_uris,
                named_graph_uris=named_graph_uris,
                timeout=deadline,
            )
            return QueryResult(
                raw.body, raw.media_type, info.kind, seconds=time.perf_counter() - started
            )
        task = {
            "query": query,
            "base_iri": base_iri,
            "format": result_format.value,
            "default_graphs": list(default_graph_uris) if default_graph_uris is not None else None,
            "named_graphs": list(named_graph_uris) if named_graph_uris is not None else None,
            "store_default_graph": store_default_graph,
            "union": not info.has_dataset,
            "row_cap": self.row_cap,
            "prefixes": self.prefixes,
        }
        body, truncated, count = self._run_in_worker(task, deadline, started)
        return QueryResult(
            body,
            result_format.value,
            info.kind,
            truncated=truncated,
            count=count,
            seconds=time.perf_counter() - started,
        )

    def _run_direct(
        self,
        query: str,
        *,
        result_format: ResultFormat,
        default_graph_uris: Sequence[str] | None,
        named_graph_uris: Sequence[str] | None,
        timeout: float,
    ) -> RawResult:
        """A store without workers (remote): its own timeout, and ours as a backstop."""

        def known(iris: Sequence[str] | None) -> list[str]:
            return [iri for iri in iris or () if self.store.has_graph(iri)]

        defaults = known(default_graph_uris)
        named = known(named_graph_uris)
        explicit = default_graph_uris is not None or named_graph_uris is not None
        if explicit and not defaults:
            defaults = [_EMPTY_GRAPH]  # an empty default graph, not "whatever the server uses"
        if explicit and named_graph_uris is not None and not named:
            named = [_EMPTY_GRAPH]
        assert self._direct is not None
        future = self._direct.submit(
            self.store.query_raw,
            query,
            accept=result_format,
            default_graph_uris=defaults,
            named_graph_uris=named,
            timeout=timeout,
        )
        try:
            return future.result(timeout=timeout + 1.0)
        except FutureTimeout:
            raise QueryTimeout(f"the query ran past its {timeout:g} s deadline") from None

    def _source(self) -> object:
        version = self.store.version
        if self._snapshots is not None:
            assert self._pool is not None
            return self._snapshots.source(version, self._pool.sources())
        if self._live_path is not None:
            return ("disk", self._live_path, version)
        return ("copy", version)

    def _current_dump(self, version: object) -> bytes:
        with self._dump_lock:
            if self._dump_cache is None or self._dump_cache[0] != version:
                assert self._dump is not None
                self._dump_cache = (version, self._dump())
            return self._dump_cache[1]

    def _run_in_worker(
        self, task: dict[str, Any], deadline: float, started: float
    ) -> tuple[bytes, bool, int | None]:
        assert self._pool is not None
        pool = self._pool
        worker = pool.acquire(timeout=deadline)

        def remaining() -> float:
            return max(0.0, deadline - (time.perf_counter() - started))

        try:
            source = self._source()
            if source[0] == "copy" and worker.source != source:  # type: ignore[index]
                worker.source = None
                worker.conn.send(("load", source, self._current_dump(source[1])))  # type: ignore[index]
                if not worker.conn.poll(remaining()):
                    raise QueryTimeout(f"the store copy was not ready within {deadline:g} s")
                worker.conn.recv()
            worker.source = source
            worker.conn.send(("query", {**task, "source": source}))
            if not worker.conn.poll(remaining()):
                raise QueryTimeout(
                    f"the query ran past its {deadline:g} s deadline and was cancelled"
                )
            status, payload = worker.conn.recv()
        except QueryTimeout:
            pool.replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError) as exc:
            pool.replace(worker)
            raise StoreError("a query worker stopped unexpectedly") from exc
        except BaseException:
            pool.release(worker)
            raise
        pool.release(worker)
        if status == "ok":
            return payload
        if status in ("syntax", "query"):
            raise QueryError(payload)
        raise StoreError(payload)

    # -- life ----------------------------------------------------------------------------------

    @property
    def idle_workers(self) -> int | None:
        """Workers ready for a query (None for a store queried directly)."""
        return self._pool.idle if self._pool is not None else None

    def close(self) -> None:
        """Stop the worker processes and remove the snapshots."""
        if self._pool is not None:
            self._pool.close()
        if self._snapshots is not None:
            self._snapshots.close()
        if self._direct is not None:
            self._direct.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
