"""Routes for articles: extract facts, ingest, list, read back and delete.

The request body of ``POST /extract`` and ``POST /articles`` is the article itself: plain
text (``text/plain``, optionally with a ``charset``), an HTML page (``text/html``) or a JSON
object ``{text, title, url, published, language}`` (``application/json``). Query parameters
``title``, ``language``, ``published`` and ``url`` override what the body says. A body over
``max_article_bytes`` is refused (413) before it is read in full.

Routes doing RDF work are plain ``def`` (they run in the threadpool); only the dependency
that reads the body is ``async``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status

from cmkg.graph.articles import read_article
from cmkg.graph.errors import ArticleTooLarge
from cmkg.graph.facts import Article
from cmkg.graph.ingest import (
    count_articles,
    delete_article,
    get_article,
    ingest_article,
    list_articles,
)

from ..deps import SettingsDep, StoreDep
from ..security import WriteAccess

__all__ = ["router"]

router = APIRouter(tags=["articles"])

_ACCEPTED = (
    "text/plain",
    "text/html",
    "application/xhtml+xml",
    "application/json",
    "application/octet-stream",
    "text/markdown",
)

_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The article: plain text, an HTML page, or a JSON object.",
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string"},
                        "title": {"type": ["string", "null"]},
                        "url": {"type": ["string", "null"]},
                        "published": {"type": ["string", "null"]},
                        "language": {"type": ["string", "null"]},
                    },
                }
            },
        },
    }
}


@dataclass(frozen=True, slots=True)
class RawArticle:
    """The request body as received: bytes and their media type."""

    body: bytes
    media_type: str | None


async def _raw_article(request: Request) -> RawArticle:
    """Read the body, refusing it (413) as soon as it passes the article size limit."""
    limit: int = request.app.state.settings.max_article_bytes
    media_type = request.headers.get("content-type")
    essence = (media_type or "").split(";", 1)[0].strip().lower()
    if essence and not (
        essence in _ACCEPTED or essence.startswith("text/") or essence.endswith("+json")
    ):
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            f"unsupported media type {essence!r}: send text/plain, text/html or application/json",
        )
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ArticleTooLarge(
            f"the request body is {declared} bytes, over the article limit of {limit} bytes"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ArticleTooLarge(f"the request body is over the article limit of {limit} bytes")
        chunks.append(chunk)
    return RawArticle(b"".join(chunks), media_type)


RawArticleDep = Annotated[RawArticle, Depends(_raw_article)]
TitleQ = Annotated[str | None, Query(description="the article's title (overrides the body)")]
LanguageQ = Annotated[str | None, Query(description="ISO 639-1 code (overrides detection)")]
PublishedQ = Annotated[str | None, Query(description="publication date, YYYY[-MM[-DD]]")]
UrlQ = Annotated[str | None, Query(description="the article's URL (its source)")]


def _article(
    raw: RawArticle,
    max_bytes: int,
    title: str | None,
    language: str | None,
    published: str | None,
    url: str | None,
) -> Article:
    return read_article(
        raw.body,
        name="request body",
        media_type=raw.media_type,
        max_bytes=max_bytes,
        title=title,
        language=language,
        published=published,
        source=url,
    )


@router.post("/extract", openapi_extra=_BODY_DOC, summary="Read facts out of an article")
def extract(
    raw: RawArticleDep,
    settings: SettingsDep,
    title: TitleQ = None,
    language: LanguageQ = None,
    published: PublishedQ = None,
    url: UrlQ = None,
) -> dict[str, Any]:
    """The article's facts in the contract's JSON form (``facts.schema.json``); stores nothing."""
    from cmkg.graph.extraction import extract_facts

    article = _article(raw, settings.max_article_bytes, title, language, published, url)
    return extract_facts(article).to_json()


@router.post(
    "/articles",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_BODY_DOC,
    summary="Ingest an article (API key)",
)
def create_article(
    _: WriteAccess,
    raw: RawArticleDep,
    store: StoreDep,
    settings: SettingsDep,
    response: Response,
    title: TitleQ = None,
    language: LanguageQ = None,
    published: PublishedQ = None,
    url: UrlQ = None,
) -> dict[str, Any]:
    """Extract, map and store the article as its own named graph (replacing it if present).

    Returns its id, graph, outcome (``ingested``, ``replaced`` or ``unchanged``) and the
    numbers of facts and of triples written.
    """
    article = _article(raw, settings.max_article_bytes, title, language, published, url)
    outcome = ingest_article(store, article)
    response.headers["Location"] = f"/articles/{outcome.id}"
    return outcome.to_json()


@router.get("/articles", summary="List the stored articles")
def read_articles(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="page size")] = 50,
    offset: Annotated[int, Query(ge=0, description="articles to skip")] = 0,
) -> dict[str, Any]:
    """The stored articles, newest first, one page at a time."""
    return {
        "total": count_articles(store),
        "limit": limit,
        "offset": offset,
        "items": list_articles(store, limit=limit, offset=offset),
    }


@router.get("/articles/{article_id}", summary="One article's facts, evidence and provenance")
def read_article_facts(article_id: str, store: StoreDep) -> dict[str, Any]:
    """The article as stored; 404 for an unknown id."""
    return get_article(store, article_id)


@router.delete(
    "/articles/{article_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an article (API key)",
)
def remove_article(_: WriteAccess, article_id: str, store: StoreDep) -> Response:
    """Drop the article's named graph; 404 for an unknown id."""
    delete_article(store, article_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
