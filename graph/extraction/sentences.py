"""Sentence splitting for news text in Latin and CJK scripts.

Each line of the normalised text is a paragraph (or a bullet, or the title); a paragraph splits
into sentences at ``. ! ?`` followed by space and a sentence start, and at ``。！？`` anywhere,
keeping closing quotes and brackets with the sentence they close. A period does not end a
sentence after a known abbreviation ("U.S.", "Dec.", "Gen."), an initial ("J.D. Vance"), a
one- or two-digit number ("am 4. April") or before a lower-case word or a digit.

Examples
--------
>>> [s.text for s in split_sentences("The U.S. gets access. Prices rose 4.5% on Dec. 1.")]
['The U.S. gets access.', 'Prices rose 4.5% on Dec. 1.']
>>> [s.text for s in split_sentences("中国宣布管制。日本表示关注！")]
['中国宣布管制。', '日本表示关注！']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import _MONTHS

__all__ = ["Sentence", "split_sentences"]

_ABBREVIATIONS_TEXT = """
    mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep pres st sr jr sra sres srta dña
    inc corp ltd co plc bros no nos nr art vol pp p ed eds est approx ca cf vs etc al fig
    jan feb mar apr jun jul aug sep sept oct nov dec
    janv févr avr juil déc ene abr ago dic fev out dez
    mio mrd bzw ggf usw vgl evtl ca. z.b u.a m mme mm dott sig av avda tel
    u.s u.k u.n e.u u.s.a p.m a.m i.e e.g
    """
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())
_BULLET = re.compile(r"^\s*(?:[•·▪►◦●○■□✓✔\-*–—]|\d{1,2}[.)])\s+")
# candidate ends: runs of terminal punctuation, then closing quotes/brackets
_END = re.compile(r"[.!?…]+[\"'”’»」』)\]）]*(?=\s|$)|[。！？]+[\"'”’»」』)\]）]*")
_WORD_BEFORE = re.compile(r"([\w.\-]+)$")
_SENTENCE_START = re.compile(r"[\"'“‘«(\[]?[A-Z0-9À-ÞĀ-ſ\u0370-\u03FF\u0400-\u04FF\u3000-\u9FFF•]")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the text: ``text == article_text[start:end]``.

    ``paragraph`` counts lines; ``is_title`` marks the title line; ``is_bullet`` a bullet line.
    """

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    is_title: bool = False
    is_bullet: bool = False


def _is_boundary(line: str, end_pos: int, punct: str, lead: int = 0) -> bool:
    """Whether the terminal punctuation ending at ``end_pos`` in ``line`` ends a sentence."""
    if punct[0] in "。！？":
        return True
    rest = line[end_pos : end_pos + 80].lstrip()
    if not rest:
        return True
    if punct[0] != ".":
        return bool(_SENTENCE_START.match(rest)) or not rest[0].isalpha()
    if punct.startswith("..."):
        return bool(_SENTENCE_START.match(rest))
    dot = line.find(".", end_pos - len(punct))
    before = line[max(0, dot - 60) : dot]  # a bounded window: long lines stay linear
    m = _WORD_BEFORE.search(before)
    word = m.group(1) if m else ""
    if "\u3040" <= rest[0] <= "\u9fff" or "\uac00" <= rest[0] <= "\ud7af":
        return True  # Korean (and CJK) sentences end with "." and have no capitals: "다. 한국"
    if not _SENTENCE_START.match(rest):
        return False  # a lower-case word or a digit follows: "U.S. gets", "Dec. 1"
    w = word.lower().strip("-")
    if w in _ABBREVIATIONS or w.rstrip(".") in _ABBREVIATIONS:
        # "in the U.S. The next" is a boundary when a common sentence opener follows
        return w in {"u.s", "u.k", "etc", "u.n", "e.u"} and bool(
            re.match(r"(?:The|A|An|In|It|This|That|But|And|He|She|They|We|On|At|For)\b", rest)
        )
    if re.fullmatch(r"[A-Z]", word) or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word):
        return False  # initials: "Donald J. Trump", "J.D. Vance"
    if re.fullmatch(r"\d{1,2}", word):
        head_at = dot - len(word)
        head = line[max(0, head_at - 12) : head_at]
        if head_at <= lead or re.search(r"\b(?:am|vom|zum|bis|dem|den|ab|seit)\s+$", head):
            return False  # "1. Penandatanganan" (a numbered line), "am 4. April"
        nxt = re.match(r"[^\W\d_]+", rest)
        return not (nxt and nxt.group().lower() in _MONTHS)
    return True


def _split_line(line: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    lead = len(line) - len(line.lstrip())
    for m in _END.finditer(line):
        if m.end() <= start:
            continue
        if _is_boundary(line, m.end(), m.group(), lead):
            spans.append((start, m.end()))
            start = m.end()
    if start < len(line):
        spans.append((start, len(line)))
    out = []
    for a, b in spans:
        seg = line[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if b - trail > a + lead:
            out.append((a + lead, b - trail))
    return out


def split_sentences(text: str, *, title: bool = False) -> list[Sentence]:
    """Split ``text`` into sentences; ``title=True`` marks the first line as the title.

    >>> s = split_sentences("Title\\n\\n• First. Second\\n", title=True)
    >>> [(x.text, x.is_title, x.is_bullet) for x in s]
    [('Title', True, False), ('• First.', False, True), ('Second', False, True)]
    """
    sentences: list[Sentence] = []
    offset = 0
    paragraph = 0
    first = True
    for raw in text.split("\n"):
        line_start = offset
        offset += len(raw) + 1
        if not raw.strip():
            continue
        is_title = title and first
        first = False
        bullet = bool(_BULLET.match(raw))
        for a, b in _split_line(raw):
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=line_start + a,
                    end=line_start + b,
                    text=raw[a:b],
                    paragraph=paragraph,
                    is_title=is_title,
                    is_bullet=bullet,
                )
            )
        paragraph += 1
    return sentences
