"""The API docs work offline: /docs loads Swagger UI from the app itself, never a CDN."""

from __future__ import annotations

import re
import warnings

from cmkg.api.app import create_app
from cmkg.api.settings import Settings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


def test_docs_page_loads_only_assets_the_app_serves() -> None:
    client = TestClient(create_app(Settings(store="memory", preload=False)))
    page = client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets, "the docs page names no assets"
    for url in assets:
        assert url.startswith("/"), f"/docs loads {url} from another host"
        assert client.get(url).status_code == 200, url
    assert "cdn" not in page.text.lower()
    assert client.get("/openapi.json").json()["info"]["title"] == "cmkg"
