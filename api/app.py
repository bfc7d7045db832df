"""The FastAPI application factory. The lifespan opens the store once; nothing at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module

from fastapi import FastAPI

from .settings import Settings, get_settings

__all__ = ["ROUTERS", "create_app"]

#: One router per resource, by module under ``cmkg.api.routers`` (each exposes ``router``).
ROUTERS: tuple[str, ...] = (
    "health",
    "sparql",
    "articles",
    "paths",
    "minerals",
    "countries",
    "chokepoints",
    "scenarios",
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the store is opened in the lifespan, from ``settings``."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from .deps import open_app_store

        store = open_app_store(settings)
        app.state.store = store
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="cmkg",
        summary="Critical-minerals supply-chain knowledge graph",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    for name in ROUTERS:
        module = import_module(f"{__package__}.routers.{name}")
        app.include_router(module.router)
    return app
