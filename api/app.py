"""The FastAPI application factory. The lifespan opens the store once; nothing at import time.

The factory composes: the routers (:data:`ROUTERS`), the error handlers (``api/errors.py``),
the middleware that makes the service safe to expose (``api/middleware.py``: body limits,
read-only CORS, request ids and access logs), the metrics registry and the static files of the
query UI (``/static``). The lifespan opens the store, gets it ready (default content) and
starts the query runner, whose worker processes evaluate read queries with real cancellation.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module
from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from .errors import install_error_handlers
from .middleware import AccessLogMiddleware, BodyLimitMiddleware, ReadOnlyCorsMiddleware
from .observability import Metrics, configure_logging
from .settings import Settings, get_settings

__all__ = ["QUERY_PATHS", "ROUTERS", "create_app"]

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

#: Routes whose bodies are SPARQL text, held to ``settings.max_query_bytes``.
QUERY_PATHS: frozenset[str] = frozenset({"/sparql", "/sparql/", "/sparql/update"})


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the store is opened in the lifespan, from ``settings``."""
    settings = settings or get_settings()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from cmkg.graph.bootstrap import prepare_store

        from .deps import open_app_store, open_query_runner

        store = open_app_store(settings)
        runner = None
        try:
            prepare_store(store, settings)
            runner = open_query_runner(store, settings)
            app.state.store = store
            app.state.query_runner = runner
            yield
        finally:
            if runner is not None:
                runner.close()
            store.close()

    app = FastAPI(
        title="cmkg",
        summary="Critical-minerals supply-chain knowledge graph",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below from vendored assets: the docs work offline, no CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.query_slots = threading.BoundedSemaphore(settings.max_concurrent_queries)
    install_error_handlers(app)
    for name in ROUTERS:
        module = import_module(f"{__package__}.routers.{name}")
        app.include_router(module.router)
    app.mount(
        "/static",
        StaticFiles(directory=str(files("cmkg.api").joinpath("static"))),
        name="static",
    )

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="cmkg API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    def limit_for(path: str) -> int:
        return settings.max_query_bytes if path in QUERY_PATHS else settings.max_upload_bytes

    # added innermost first: the access log sees every response, limits run before routing
    app.add_middleware(
        ReadOnlyCorsMiddleware, read_post_paths=("/sparql", "/sparql/", "/scenarios/disruption")
    )
    app.add_middleware(BodyLimitMiddleware, limit_for=limit_for)
    app.add_middleware(AccessLogMiddleware, metrics=app.state.metrics)
    return app
