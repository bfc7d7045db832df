"""An article read once: its sentences, and in each the countries, minerals, shares, amounts
and dates it names. The fact extractors work on this, never on the raw text again.

Examples
--------
>>> doc = Document("China bans gallium exports\\n\\nChina said on Monday it banned exports.",
...                "en", parse_published("2024-12-03"), title=True)
>>> [(s.country_codes(), s.mineral_ids()) for s in doc.sentences]
[(['CN'], ['gallium']), (['CN'], [])]
>>> doc.sentences[1].dates[0].value
'2024-12-02'
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from .cues import COUNTRY_ANAPHOR, HOME_COUNTRY, REGION_COUNTRIES
from .dates import DateMention, find_dates, parse_published
from .language import is_traditional_chinese
from .lexicon import fold
from .mentions import (
    CountryMention,
    MineralMention,
    RegionMention,
    find_country_mentions,
    find_mineral_mentions,
)
from .numbers import Amount, Share, find_amounts, find_shares
from .sentences import Sentence, split_sentences

__all__ = ["Document", "SentenceView", "parse_published"]


@dataclass(slots=True)
class SentenceView:
    """One sentence with everything found in it (offsets are into the article text)."""

    sentence: Sentence
    countries: list[CountryMention] = field(default_factory=list)
    minerals: list[MineralMention] = field(default_factory=list)
    regions: list[RegionMention] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    folded: str = ""

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def end(self) -> int:
        return self.sentence.end

    @property
    def index(self) -> int:
        return self.sentence.index

    @property
    def is_title(self) -> bool:
        return self.sentence.is_title

    def country_codes(self, *, exclude: frozenset[str] = frozenset()) -> list[str]:
        """Codes named in the sentence, in order, leaving out mentions with ``exclude`` roles."""
        out: list[str] = []
        for m in self.countries:
            if m.roles & exclude:
                continue
            for c in m.codes:
                if c not in out:
                    out.append(c)
        return out

    def mineral_ids(self, start: int | None = None, end: int | None = None) -> list[str]:
        """Mineral ids named in the sentence (or between ``start`` and ``end``), in order."""
        out: list[str] = []
        for m in self.minerals:
            if start is not None and m.start < start:
                continue
            if end is not None and m.end > end:
                continue
            for i in m.ids:
                if i not in out:
                    out.append(i)
        return out

    def local(self, start: int, end: int) -> str:
        """The folded text between two article offsets, clipped to the sentence."""
        a = max(start, self.start) - self.start
        b = min(end, self.end) - self.start
        return self.folded[a:b] if b > a else ""


class Document:
    """An article's text, language and date, split and annotated once."""

    def __init__(
        self, text: str, lang: str, published: dt.date | None, *, title: bool = False
    ) -> None:
        self.text = text
        self.lang = lang
        self.published = published
        self.folded = fold(text)
        sentences = split_sentences(text, title=title)
        bounds = [(s.start, s.end) for s in sentences]
        regions: list[RegionMention] = []
        countries = find_country_mentions(
            text, lang, folded=self.folded, sentence_bounds=bounds, regions=regions
        )
        minerals = find_mineral_mentions(text, lang, folded=self.folded, sentence_bounds=bounds)
        self.countries = countries
        self.minerals = minerals
        views = [SentenceView(s, folded=self.folded[s.start : s.end]) for s in sentences]
        self._assign(views, countries, "countries")
        self._assign(views, minerals, "minerals")
        self._assign(views, regions, "regions")
        # numbers and dates: one pass over the whole text, then shared out to the sentences
        self._assign(views, find_shares(text, lang), "shares")
        self._assign(views, find_amounts(text, lang), "amounts")
        self._assign(views, find_dates(text, lang, published), "dates")
        self.sentences = views

    @staticmethod
    def _assign(views: list[SentenceView], items: list, attr: str) -> None:
        i = 0
        for item in items:
            while i < len(views) and views[i].end <= item.start:
                i += 1
            if i < len(views) and views[i].start <= item.start and item.end <= views[i].end:
                getattr(views[i], attr).append(item)

    # ------------------------------------------------------------------ article-level views

    @cached_property
    def title(self) -> SentenceView | None:
        return self.sentences[0] if self.sentences and self.sentences[0].is_title else None

    def body(self) -> Iterator[SentenceView]:
        return (s for s in self.sentences if not s.is_title)

    def before(self, s: SentenceView, n: int = 3) -> list[SentenceView]:
        """Up to ``n`` body sentences before ``s``, nearest first (never the title)."""
        out = []
        for v in reversed(self.sentences[: s.index]):
            if v.is_title:
                break
            out.append(v)
            if len(out) == n:
                break
        return out

    def after(self, s: SentenceView) -> SentenceView | None:
        nxt = s.index + 1
        return self.sentences[nxt] if nxt < len(self.sentences) else None

    @cached_property
    def country_counts(self) -> Counter[str]:
        return Counter(c for m in self.countries for c in m.codes)

    @cached_property
    def home(self) -> str | None:
        """The country an unqualified "the government" refers to in this article.

        The language's country where the article names it (or names none); otherwise the
        country the article names most.
        """
        counts = self.country_counts
        default = HOME_COUNTRY.get(self.lang)
        if self.lang == "zh" and is_traditional_chinese(self.text) and counts.get("TW"):
            default = "TW"
        if default and (default in counts or not counts):
            return default
        if counts:
            return counts.most_common(1)[0][0]
        return default

    def mentioned_countries(self) -> list[str]:
        out: list[str] = []
        for m in self.countries:
            for c in m.codes:
                if c not in out:
                    out.append(c)
        return out

    def mentioned_minerals(self) -> list[str]:
        out: list[str] = []
        for m in self.minerals:
            for i in m.ids:
                if i not in out:
                    out.append(i)
        return out

    def anaphor_country(self, s: SentenceView, before: int | None = None) -> str | None:
        """The country that "the country" / "该国" / "negara ini" in ``s`` refers to.

        The first country named as an actor in the nearest earlier sentence that names one
        (or earlier in ``s`` itself, before offset ``before``). An anaphor that names a region
        ("the Central African nation", "das südostasiatische Land") refers to the last country
        mentioned before it that lies in that region.
        """
        limit = s.end if before is None else before
        m = COUNTRY_ANAPHOR.search(s.local(s.start, limit))
        if not m:
            return None
        anaphor_at = s.start + m.start()
        bad = frozenset({"target", "source", "org", "location"})
        region = next((codes for rx, codes in REGION_COUNTRIES if rx.search(m.group())), None)
        if region is not None:
            earlier = [c for c in s.countries if c.end <= anaphor_at]
            for v in self.before(s):
                earlier = [*v.countries, *earlier]
                if len(earlier) > 40:
                    break
            for c in reversed(earlier):
                if "org" not in c.roles and c.codes[0] in region:
                    return c.codes[0]
        for c in s.countries:
            if c.end <= anaphor_at and not (c.roles & bad):
                return c.codes[0]
        for v in self.before(s):
            codes = v.country_codes(exclude=bad)
            if codes:
                return codes[0]
        return None

    def evidence(self, sentences: list[SentenceView]) -> tuple[str, int, int]:
        """The evidence text and offsets covering ``sentences`` (contiguous span)."""
        start = min(s.start for s in sentences)
        end = max(s.end for s in sentences)
        return self.text[start:end], start, end
