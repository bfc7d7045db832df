"""The articles routes through the real app (TestClient, in-memory store)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # starlette >= 0.49 asks for httpx2 in its test client; httpx is what the project ships
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from cmkg.api.app import create_app
from cmkg.api.settings import Settings
from cmkg.graph.facts import validate_facts_json

DATA = Path(__file__).parent / "data"
KEY = {"X-API-Key": "test-key"}
COBALT = (
    "DR Congo to suspend cobalt exports for 4 months\n\n"
    "KINSHASA -- The Democratic Republic of the Congo has announced a four-month suspension "
    "of cobalt exports to regulate supply amid concerns of overproduction."
)


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(store="memory", preload=False, api_key="test-key", max_article_bytes=50_000)
    with TestClient(create_app(settings)) as c:
        yield c


def _count(client: TestClient) -> int:
    return client.get("/articles").json()["total"]


def test_extract_returns_the_contract_and_stores_nothing(client: TestClient) -> None:
    r = client.post("/extract", content=COBALT.encode(), headers={"content-type": "text/plain"})
    assert r.status_code == 200, r.text
    doc = r.json()
    validate_facts_json(doc)
    assert doc["article"]["title"] == "DR Congo to suspend cobalt exports for 4 months"
    assert "CD" in doc["mentions"]["countries"]
    assert _count(client) == 0


def test_extract_reads_json_html_and_encodings(client: TestClient) -> None:
    record = {"text": COBALT, "url": "https://example.org/cobalt", "language": "en"}
    r = client.post("/extract", json=record)
    assert r.status_code == 200, r.text
    assert r.json()["article"]["source"] == "https://example.org/cobalt"
    page = (DATA / "inputs" / "good" / "news-page.html").read_bytes()
    r = client.post("/extract", content=page, headers={"content-type": "text/html"})
    assert r.status_code == 200, r.text
    assert r.json()["article"]["published"] == "2023-10-20"
    sjis = (DATA / "inputs" / "good" / "ja-shift-jis.txt").read_bytes()
    r = client.post(
        "/extract", content=sjis, headers={"content-type": "text/plain; charset=shift_jis"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["article"]["language"] == "ja"
    r = client.post(
        "/extract?title=Override&language=en",
        content=b"Cobalt exports halted.",
        headers={"content-type": "text/plain"},
    )
    assert r.json()["article"]["title"] == "Override"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"", "text/plain", 400, "empty_article"),
        (bytes(range(256)) * 4, "text/plain", 400, "decoding_error"),
        (b"{not json", "application/json", 400, "invalid_input"),
        (b'{"title": "no text"}', "application/json", 400, "invalid_input"),
        (b"\x89PNG\r\n\x1a\n", "image/png", 415, "unsupported_media_type"),
    ],
)
def test_bad_bodies_are_clear_errors(
    client: TestClient, body: bytes, content_type: str, status: int, code: str
) -> None:
    for path in ("/extract", "/articles"):
        r = client.post(path, content=body, headers={"content-type": content_type, **KEY})
        assert r.status_code == status, r.text
        assert r.json()["error"] == code
        assert r.json()["message"]
    assert _count(client) == 0


def test_a_body_over_the_limit_is_413(client: TestClient) -> None:
    big = b"Lithium output rose. " * 3000  # 63 kB > 50 kB
    for path in ("/extract", "/articles"):
        r = client.post(path, content=big, headers={"content-type": "text/plain", **KEY})
        assert r.status_code == 413, r.text
        assert r.json()["error"] == "article_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
        for _ in range(3000):
            yield b"Lithium output rose. "

    r = client.post("/articles", content=chunks(), headers={"content-type": "text/plain", **KEY})
    assert r.status_code == 413, r.text
    assert _count(client) == 0


def test_writes_need_the_api_key(client: TestClient) -> None:
    headers = {"content-type": "text/plain"}
    r = client.post("/articles", content=COBALT.encode(), headers=headers)
    assert r.status_code == 401
    r = client.post("/articles", content=COBALT.encode(), headers={**headers, "X-API-Key": "no"})
    assert r.status_code == 401
    assert _count(client) == 0


def test_create_read_list_delete(client: TestClient) -> None:
    headers = {"content-type": "text/plain", **KEY}
    r = client.post("/articles", content=COBALT.encode(), headers=headers)
    assert r.status_code == 201, r.text
    created = r.json()
    article_id = created["id"]
    assert created["outcome"] == "ingested" and created["triples"] > 0
    assert r.headers["location"] == f"/articles/{article_id}"
    again = client.post("/articles", content=COBALT.encode(), headers=headers)
    assert again.status_code == 201 and again.json()["outcome"] == "unchanged"

    r = client.get(f"/articles/{article_id}")
    assert r.status_code == 200
    stored = r.json()
    assert stored["title"] == "DR Congo to suspend cobalt exports for 4 months"
    assert stored["provenance"]["triples"] == created["triples"]
    extracted = client.post("/extract", content=COBALT.encode(), headers=headers).json()
    assert [f["type"] for f in stored["facts"]] == [f["type"] for f in extracted["facts"]]

    listing = client.get("/articles").json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == article_id

    assert client.delete(f"/articles/{article_id}").status_code == 401
    assert client.delete(f"/articles/{article_id}", headers=KEY).status_code == 204
    r = client.get(f"/articles/{article_id}")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert client.delete(f"/articles/{article_id}", headers=KEY).status_code == 404


def test_unknown_article_is_404_json(client: TestClient) -> None:
    for article_id in ("0123456789abcdef", "not-here", "a%3Eb"):
        r = client.get(f"/articles/{article_id}")
        assert r.status_code == 404
        assert r.json()["error"] == "not_found"


def test_list_is_paginated(client: TestClient) -> None:
    headers = {"content-type": "application/json", **KEY}
    for i in range(7):
        body = json.dumps({"text": f"Lithium deal number {i} signed.", "language": "en"})
        assert client.post("/articles", content=body, headers=headers).status_code == 201
    first = client.get("/articles?limit=3").json()
    rest = client.get("/articles?limit=3&offset=3").json()
    last = client.get("/articles?limit=3&offset=6").json()
    assert first["total"] == 7 and len(first["items"]) == 3 and len(last["items"]) == 1
    ids = [a["id"] for page in (first, rest, last) for a in page["items"]]
    assert len(set(ids)) == 7
    assert client.get("/articles?limit=0").status_code == 422


def test_writes_are_refused_without_a_configured_key() -> None:
    with TestClient(create_app(Settings(store="memory", preload=False))) as c:
        r = c.post("/articles", content=COBALT.encode(), headers={"content-type": "text/plain"})
        assert r.status_code == 403
