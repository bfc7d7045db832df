"""Shared dependencies as ``Annotated`` aliases (``StoreDep``, ``SettingsDep``, ``RunnerDep``)."""

from __future__ import annotations

import threading
from typing import Annotated

import networkx as nx
from fastapi import Depends, Request

from cmkg.graph.analytics import ProjectionCache
from cmkg.graph.namespaces import PREFIXES
from cmkg.graph.query_runner import QueryRunner
from cmkg.graph.store import Store

from .observability import Metrics
from .settings import Settings

__all__ = [
    "MetricsDep",
    "NetworkDep",
    "RunnerDep",
    "SettingsDep",
    "StoreDep",
    "open_app_store",
    "open_query_runner",
]


def open_app_store(settings: Settings) -> Store:
    """Open the store the settings name (the embedded default is created on first start)."""
    from cmkg.graph.store import open_store

    password = settings.sparql_password
    return open_store(
        settings.store,
        path=settings.store_path,
        query_url=settings.sparql_query_url,
        update_url=settings.sparql_update_url,
        gsp_url=settings.sparql_gsp_url,
        user=settings.sparql_user,
        password=password.get_secret_value() if password is not None else None,
    )


def open_query_runner(store: Store, settings: Settings) -> QueryRunner:
    """Start the runner that evaluates read queries (worker processes for local stores)."""
    return QueryRunner(
        store,
        timeout=settings.query_timeout,
        row_cap=settings.result_row_cap,
        workers=settings.max_concurrent_queries,
        prefixes=PREFIXES,
    )


def _store(request: Request) -> Store:
    return request.app.state.store


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _runner(request: Request) -> QueryRunner:
    return request.app.state.query_runner


def _metrics(request: Request) -> Metrics:
    return request.app.state.metrics


_CACHE_LOCK = threading.Lock()


def supply_network(request: Request) -> nx.MultiDiGraph:
    """The supply network of the app's store, from one :class:`ProjectionCache` per app.

    The first request builds it and waits; after a write, requests are answered from the
    previous network while the new one is built in a background thread (a few seconds at a
    million triples), so no request waits on a rebuild.
    """
    state = request.app.state
    cache = getattr(state, "projection_cache", None)
    if cache is None:
        with _CACHE_LOCK:
            cache = getattr(state, "projection_cache", None)
            if cache is None:
                cache = state.projection_cache = ProjectionCache()
    return cache.get(state.store)


StoreDep = Annotated[Store, Depends(_store)]
NetworkDep = Annotated[nx.MultiDiGraph, Depends(supply_network)]
SettingsDep = Annotated[Settings, Depends(_settings)]
RunnerDep = Annotated[QueryRunner, Depends(_runner)]
MetricsDep = Annotated[Metrics, Depends(_metrics)]
