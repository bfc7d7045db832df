"""The extraction pipeline: one article's text in, its mentions and facts out.

Pure and deterministic: no network, no clock (relative dates resolve against the article's
own ``published`` date), the same output for the same input. Lexicons and compiled patterns
are built once per language on first use and cached.

Examples
--------
>>> from cmkg.graph.facts import Article
>>> art = Article(id="a1", language="", published="2024-12-03",
...               text="China bans gallium exports to US\\n\\nChina on Tuesday banned exports "
...                    "of gallium and germanium to the United States.")
>>> out = extract_facts(art)
>>> out.article.language, out.mentions.countries, out.mentions.minerals
('en', ('CN', 'US'), ('gallium', 'germanium'))
>>> [(f.type, f.country, f.minerals, f.measure, f.date) for f in out.facts]
[('export_control', 'CN', ('gallium', 'germanium'), 'ban', '2024-12-03')]
>>> f = out.facts[0]; art.text[f.evidence_start:f.evidence_end] == f.evidence
True
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import CmkgError, EmptyArticleError, ExtractionError, InputError
from ..facts import Article, ArticleFacts, Fact, Mentions
from .agreements import extract_agreements
from .dates import parse_published
from .document import Document
from .export_controls import extract_export_controls
from .investments import extract_investments
from .language import detect_language
from .shares import extract_shares

__all__ = ["extract_facts"]

_TERMINAL = re.compile(r"[.!?。！？]['\"”’」』)]*\s*$")


def _has_title(text: str, title: str | None) -> bool:
    """Whether the text's first line is the title (a line followed by a blank line)."""
    first, sep, rest = text.partition("\n")
    if not sep or not rest.startswith("\n"):
        return False
    first = first.strip()
    if not first:
        return False
    if title and first == title.strip():
        return True
    return len(first) <= 250 and not _TERMINAL.search(first)


def extract_facts(article: Article) -> ArticleFacts:
    """Read ``article.text`` and return its country and mineral mentions and its facts.

    ``article.language`` may be empty or ``"und"``: the language is then detected and filled
    in. Raises :class:`~cmkg.graph.errors.EmptyArticleError` for an article without text and
    :class:`~cmkg.graph.errors.ExtractionError` if the pipeline fails on an accepted article.
    """
    if not isinstance(article, Article):
        raise InputError(f"extract_facts expects an Article, got {type(article).__name__}")
    text = article.text
    if text is None or not text.strip():
        raise EmptyArticleError(f"article {article.id!r} has no text to extract facts from")
    try:
        lang = detect_language(text, article.language)
        published = parse_published(article.published)
        doc = Document(text, lang, published, title=_has_title(text, article.title))
        facts: list[Fact] = [
            *extract_agreements(doc),
            *extract_export_controls(doc),
            *extract_shares(doc),
            *extract_investments(doc),
        ]
        mentions = Mentions(tuple(doc.mentioned_countries()), tuple(doc.mentioned_minerals()))
    except CmkgError:
        raise
    except Exception as exc:  # a bug, not bad input: name the article
        raise ExtractionError(f"extraction failed on article {article.id!r}: {exc!r}") from exc
    return ArticleFacts(dataclasses.replace(article, language=lang), mentions, tuple(facts))
