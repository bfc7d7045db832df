"""The ``cmkg`` command: thin commands over the library.

::

    cmkg serve    [--host H] [--port P] [--store KIND] [--store-path DIR] [--reload]
    cmkg extract  PATH... [--out DIR]          facts as JSON (facts.schema.json), no store
    cmkg ingest   PATH... [--store-path DIR]   extract, map and store, one graph per article
    cmkg load-reference [--store-path DIR]     (re)load the ontology and reference graphs
    cmkg stats    [--store-path DIR] [--json]  what the store holds

PATH is a file (``.txt``, ``.html``, ``.json``, ``.jsonl``...) or a folder (read
recursively). Flags override the ``CMKG_*`` environment (see :mod:`cmkg.api.settings`).
Every input is read and checked before anything is written; an error prints one line on
stderr and exits with status 2 (status 1: ``ingest`` stored some articles but not all).

Examples
--------
>>> build_parser().parse_args(["ingest", "a.txt", "--store-path", "/tmp/s"]).store_path
'/tmp/s'
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmkg.graph.errors import CmkgError, InputError

if TYPE_CHECKING:
    from cmkg.graph.store import Store

    from .settings import Settings

__all__ = ["build_parser", "main"]

_STORES = ("embedded", "memory", "remote")


def _add_store_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", choices=_STORES, help="store backend (env CMKG_STORE)")
    p.add_argument("--store-path", help="folder of the embedded store (env CMKG_STORE_PATH)")
    p.add_argument("--sparql-query-url", help="remote store's query endpoint")
    p.add_argument("--sparql-update-url", help="remote store's update endpoint")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``cmkg``."""
    parser = argparse.ArgumentParser(
        prog="cmkg",
        description="Knowledge graph of the critical-minerals supply chain.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP API (one worker: one writer per store)")
    serve.add_argument("--host", help="interface to bind (env CMKG_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (env CMKG_PORT, default 8000)")
    _add_store_flags(serve)
    serve.add_argument(
        "--no-preload",
        action="store_true",
        help="do not load the ontology, reference data and samples on first start",
    )
    serve.add_argument("--reload", action="store_true", help="restart on code changes (dev)")
    serve.add_argument("--log-level", default="info", help="uvicorn log level")

    extract = sub.add_parser("extract", help="read facts out of articles (stores nothing)")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="article file or folder")
    extract.add_argument(
        "--out", help="write OUT/NAME.json per article (default: JSON Lines on stdout)"
    )
    extract.add_argument("--max-bytes", type=int, help="size limit of one article")

    ingest = sub.add_parser("ingest", help="extract, map and store articles")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="article file or folder")
    _add_store_flags(ingest)
    ingest.add_argument(
        "--no-preload",
        action="store_true",
        help="do not load the ontology and reference graphs into a store that lacks them",
    )
    ingest.add_argument("--max-bytes", type=int, help="size limit of one article")
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")

    load = sub.add_parser("load-reference", help="(re)load the ontology and reference graphs")
    _add_store_flags(load)
    load.add_argument("--samples", action="store_true", help="also ingest the sample articles")

    stats = sub.add_parser("stats", help="what the store holds")
    _add_store_flags(stats)
    stats.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _settings(args: argparse.Namespace, **extra: Any) -> Settings:
    """Settings from the environment, with the flags given on the command line on top."""
    from .settings import Settings

    flags = {
        "store": getattr(args, "store", None),
        "store_path": getattr(args, "store_path", None),
        "sparql_query_url": getattr(args, "sparql_query_url", None),
        "sparql_update_url": getattr(args, "sparql_update_url", None),
        **extra,
    }
    return Settings(**{k: v for k, v in flags.items() if v is not None})


def _open(settings: Settings) -> Store:
    from .deps import open_app_store

    return open_app_store(settings)


def _err(message: str) -> None:
    print(f"cmkg: error: {message}", file=sys.stderr)


# ---------------------------------------------------------------------------- commands


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .settings import get_settings

    flags = {
        "CMKG_HOST": args.host,
        "CMKG_PORT": None if args.port is None else str(args.port),
        "CMKG_STORE": args.store,
        "CMKG_STORE_PATH": args.store_path,
        "CMKG_SPARQL_QUERY_URL": args.sparql_query_url,
        "CMKG_SPARQL_UPDATE_URL": args.sparql_update_url,
        "CMKG_PRELOAD": "false" if args.no_preload else None,
    }
    # Flags go through the environment so that the app factory (and a --reload child
    # process) reads them like any other setting.
    os.environ.update({k: v for k, v in flags.items() if v is not None})
    get_settings.cache_clear()
    settings = get_settings()  # validates the settings now: a bad value is one clear line
    uvicorn.run(
        "cmkg.api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=1,  # RocksDB allows one writing process per store
        reload=args.reload,
        log_level=args.log_level,
        access_log=False,  # the app writes its own structured access log
    )
    return 0


def _write_atomically(outputs: dict[Path, str]) -> None:
    """Write every file to a temporary name first, then rename them all into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in outputs.items():
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(content)
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


def _read_inputs(paths: Sequence[str], max_bytes: int | None) -> list[tuple[str, Any]]:
    from cmkg.graph.articles import DEFAULT_MAX_BYTES, iter_named_inputs

    return list(iter_named_inputs(paths, max_bytes=max_bytes or DEFAULT_MAX_BYTES))


def _extract(args: argparse.Namespace) -> int:
    from cmkg.graph.extraction import extract_facts

    named = _read_inputs(args.paths, args.max_bytes)
    results = [(name, extract_facts(article).to_json()) for name, article in named]
    if args.out is None:
        for _, doc in results:
            print(json.dumps(doc, ensure_ascii=False))
        return 0
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out '{out}' exists and is not a folder")
    seen: dict[str, str] = {}
    for name, _ in results:
        if name in seen:
            raise InputError(f"two inputs would both write '{out / name}.json'")
        seen[name] = name
    out.mkdir(parents=True, exist_ok=True)
    _write_atomically(
        {
            out / f"{name}.json": json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
            for name, doc in results
        }
    )
    print(f"wrote {len(results)} file(s) to {out}", file=sys.stderr)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from cmkg.graph.bootstrap import ensure_default_content
    from cmkg.graph.ingest import ingest_articles

    settings = _settings(args)
    # Read and check every input before the store is opened: a bad file writes nothing.
    named = _read_inputs(args.paths, args.max_bytes or settings.max_article_bytes)
    with _open(settings) as store:
        if not args.no_preload:
            ensure_default_content(store, samples=False)
        bar = tqdm(
            total=len(named),
            unit="article",
            file=sys.stderr,
            disable=True if args.no_progress else None,
            desc="ingest",
        )
        with bar:
            report = ingest_articles(
                store,
                (a for _, a in named),
                progress=lambda _article, _outcome: bar.update(1),
            )
        size = store.count()
    names = {a.id: n for n, a in named}
    for article_id, reason in report.failed:
        print(f"cmkg: failed: {names.get(article_id, article_id)}: {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps({**report.to_json(), "store_quads": size}, ensure_ascii=False))
    else:
        print(f"{report.summary()}; the store holds {size} quads")
    return 1 if report.failed else 0


def _load_reference(args: argparse.Namespace) -> int:
    from cmkg.graph.bootstrap import ensure_default_content

    with _open(_settings(args)) as store:
        done = ensure_default_content(store, samples=args.samples, force=True)
    print(f"loaded {len(done['loaded'])} graphs ({done['triples']} triples)")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from cmkg.graph.ingest import count_articles

    with _open(_settings(args)) as store:
        graphs = store.graphs()
        info = {
            "quads": store.count(),
            "graphs": len(graphs),
            "articles": count_articles(store),
            "other_graphs": sorted(g for g in graphs if "/graph/article/" not in g),
        }
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        print(
            f"{info['quads']} quads in {info['graphs']} named graphs; {info['articles']} articles"
        )
        for g in info["other_graphs"]:
            print(f"  {g}")
    return 0


_COMMANDS = {
    "serve": _serve,
    "extract": _extract,
    "ingest": _ingest,
    "load-reference": _load_reference,
    "stats": _stats,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``cmkg``; return the exit status (the console script exits with it)."""
    from pydantic import ValidationError

    args = build_parser().parse_args(argv)
    try:
        status = _COMMANDS[args.command](args)
    except CmkgError as exc:
        _err(str(exc))
        status = 2
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        _err(f"bad setting: {problems}")
        status = 2
    except OSError as exc:
        _err(f"{exc.strerror or exc}" + (f": '{exc.filename}'" if exc.filename else ""))
        status = 2
    except KeyboardInterrupt:
        _err("interrupted")
        status = 130
    return status
