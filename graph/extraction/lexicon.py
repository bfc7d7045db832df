"""Lexicons of country and mineral names in many languages, and the matcher over them.

Country names come from three places: the CLDR territory names that ``babel`` ships (every
locale's names for the article's language, plus the English, Chinese, Japanese and Korean names
for every article), the project's own aliases in ``ontology/country_aliases.csv``
(abbreviations, demonyms, capitals that stand for governments, regions that locate an asset,
and blockers: longer phrases such as "South China Sea" that contain a name but do not name a
country), and the ISO list in ``graph/data/reference/country-codes.csv`` that says which codes
are sovereign. Mineral names come from ``ontology/mineral_lexicon.csv``.

Matching runs on a folded copy of the text (:func:`fold`: same length, lower case, full-width
forms and typographic quotes and dashes mapped to ASCII) with one compiled regular expression
per language, built from a trie of the folded names: leftmost, longest match; word boundaries
for Latin-script names, none for Chinese, Japanese and Korean ones. Case rules are then checked
on the original text ("AS" is the United States in Indonesian only when written in capitals).

Examples
--------
>>> text = "China and the U.S. signed."
>>> [(m.surface, m.entry.codes) for m in country_gazetteer("en").find(text, fold(text))]
[('China', ('CN',)), ('U.S.', ('US',))]
>>> fold("ＥＵ’s") == "eu's"
True
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "Entry",
    "Gazetteer",
    "Match",
    "country_gazetteer",
    "fold",
    "is_cjk",
    "mineral_gazetteer",
    "mineral_ids",
    "mineral_parent",
    "normalise",
    "sovereign_codes",
]

# Length-preserving character map: full-width ASCII, typographic quotes and dashes, odd spaces.
_TABLE = {0xFF01 + i: 0x21 + i for i in range(94)}
_TABLE.update(
    {
        0x2018: "'",
        0x2019: "'",
        0x201B: "'",
        0x02BC: "'",
        0x201C: '"',
        0x201D: '"',
        0x201E: '"',
        0x00AB: '"',
        0x00BB: '"',
        0x2010: "-",
        0x2011: "-",
        0x2012: "-",
        0x2013: "-",
        0x2014: "-",
        0x2015: "-",
        0x2212: "-",
        0x00A0: " ",
        0x2007: " ",
        0x2009: " ",
        0x200A: " ",
        0x202F: " ",
        0x3000: " ",
        0x0009: " ",
        0x000A: " ",
        0x000D: " ",
        0xFF08: "(",
        0xFF09: ")",
        0xFF0C: ",",
        0xFF05: "%",
    }
)

# Letters and digits that make a word go on, in the scripts that separate words by spaces.
WORD_CHARS = r"0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u1E00-\u1EFF"
_NOT_AFTER = f"(?![{WORD_CHARS}])"
_NOT_BEFORE = f"(?<![{WORD_CHARS}])"


def normalise(text: str) -> str:
    """Map full-width forms, typographic quotes, dashes and odd spaces to ASCII; same length.

    >>> normalise("２８日 – “US”")
    '28日 - "US"'
    """
    return text.translate(_TABLE)


def fold(text: str) -> str:
    """The matching form of ``text``: :func:`normalise` then lower case, at the same length."""
    t = text.translate(_TABLE)
    low = t.lower()
    if len(low) != len(t):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in t)
    return low


def is_cjk(ch: str) -> bool:
    """True for Han, kana and Hangul characters (scripts without spaces between words).

    >>> is_cjk("中"), is_cjk("カ"), is_cjk("한"), is_cjk("a")
    (True, True, True, False)
    """
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xAC00 <= o <= 0xD7AF
        or 0x1100 <= o <= 0x11FF
        or 0x3130 <= o <= 0x318F
        or 0xFF66 <= o <= 0xFF9F
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """One name in a lexicon.

    ``codes`` are country codes (or mineral ids) the name stands for; empty for a blocker.
    ``kind`` says what sort of name it is (``name``, ``abbr``, ``demonym``, ``capital``,
    ``region``, ``blocker``, ``compound``, ``combining``, ``mineral``); ``case`` is ``fold``
    (any case), ``exact`` or ``cap`` (first letter as written in the lexicon, or all capitals).
    ``context`` is ``mineral`` for words that name a mineral only next to mining words.
    """

    label: str
    codes: tuple[str, ...]
    kind: str
    case: str = "fold"
    context: str = ""
    open_right: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon name found in a text: character offsets, the text as written and its entry."""

    start: int
    end: int
    surface: str
    entry: Entry


def _case_ok(entry: Entry, surface: str) -> bool:
    if entry.case == "fold":
        return True
    norm = normalise(surface)
    label = normalise(entry.label)
    if entry.case == "exact":
        return norm == label
    # "cap": a capital first letter where the lexicon has one (or the whole name in capitals)
    if not label[:1].isupper():
        return True
    return norm[:1].isupper()


def _trie_pattern(words: dict[str, bool]) -> str:
    """A regex alternation over ``words`` (folded), longest first, shared prefixes factored.

    ``words`` maps each word to True when it may be followed by more letters (open right).
    """
    root: dict = {}
    for word, open_right in words.items():
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        end = "" if open_right or not re.match(f"[{WORD_CHARS}]", word[-1]) else _NOT_AFTER
        if "\0" not in node or end == "":
            node["\0"] = end

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != "\0"]
        if "\0" in node:
            alts.append(node["\0"])
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return build(root)


class Gazetteer:
    """A set of names compiled into one regular expression; :meth:`find` yields matches."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._by_key: dict[str, list[Entry]] = {}
        for e in entries:
            key = fold(e.label)
            if key.strip():
                self._by_key.setdefault(key, []).append(e)
        latin: dict[str, bool] = {}
        other: dict[str, bool] = {}
        for key, es in self._by_key.items():
            target = other if is_cjk(key[0]) else latin
            target[key] = target.get(key, False) or any(e.open_right for e in es)
        # Two expressions, not one alternation: a leading alternation of the two would stop
        # the regex engine from skipping ahead on the first character (20 times slower).
        self._regexes = []
        if latin:
            self._regexes.append(re.compile(f"{_NOT_BEFORE}{_trie_pattern(latin)}"))
        if other:
            self._regexes.append(re.compile(_trie_pattern(other)))

    def __len__(self) -> int:
        return len(self._by_key)

    def _scan(self, rx: re.Pattern[str], text: str, folded: str) -> Iterator[Match]:
        pos = 0
        while True:
            m = rx.search(folded, pos)
            if m is None:
                return
            start, end = m.span()
            surface = text[start:end]
            entry = next((e for e in self._by_key.get(m.group(), ()) if _case_ok(e, surface)), None)
            if entry is None:
                pos = start + 1  # "salar de Uyuni": the longer name fails its case rule
                continue
            yield Match(start, end, surface, entry)
            pos = end

    def find(self, text: str, folded: str) -> Iterator[Match]:
        """Yield the names found in ``text`` (``folded`` is :func:`fold` of it), left to right:
        leftmost, then longest; a match whose case does not fit is skipped."""
        if len(self._regexes) == 1:
            yield from self._scan(self._regexes[0], text, folded)
            return
        found = [m for rx in self._regexes for m in self._scan(rx, text, folded)]
        found.sort(key=lambda m: (m.start, -m.end))
        last_end = -1
        for m in found:
            if m.start >= last_end:
                last_end = m.end
                yield m


# ------------------------------------------------------------------------------------- data


def _read_csv(package: str, name: str) -> list[dict[str, str]]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def sovereign_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of sovereign countries (per ``country-codes.csv``), and ``EU``.

    >>> {"CN", "EU", "TW"} <= sovereign_codes(), "HK" in sovereign_codes()
    (True, False)
    """
    rows = _read_csv("cmkg.graph.data", "reference/country-codes.csv")
    codes = {r["ISO3166-1-Alpha-2"] for r in rows if r["is_independent"] == "Yes"}
    codes.discard("")
    # Palestine is listed "In contention" but is a UN observer state that news treats as one
    return frozenset(codes | {"EU", "PS"})


@cache
def _all_territory_codes() -> frozenset[str]:
    rows = _read_csv("cmkg.graph.data", "reference/country-codes.csv")
    return frozenset(r["ISO3166-1-Alpha-2"] for r in rows if r["ISO3166-1-Alpha-2"])


_PAREN = re.compile(r"\s*[(（][^)）]*[)）]\s*")
_STRIP_ACCENT_LANGS = {"fr", "es", "pt", "it", "de", "id", "en"}


def _strip_accents(s: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn"
    ).replace("ß", "ss")


def _name_variants(name: str) -> set[str]:
    out = {name}
    base = _PAREN.sub(" ", name).strip()
    if base:
        out.add(base)
    for inner in re.findall(r"[(（]([^)）]*)[)）]", name):
        inner = inner.strip()
        if len(inner) >= 4 and not is_cjk(inner[0]) and "SAR" not in inner:
            out.add(inner)
    for v in list(out):
        if " - " in v:
            out.add(v.replace(" - ", "-"))
        if " & " in v:
            out.add(v.replace(" & ", " and "))
        if v.startswith("St. "):
            out.add("Saint " + v[4:])
    return {v for v in out if v}


def _cldr_locales(lang: str) -> list[str]:
    base = ["en", "zh", "zh_Hant", "ja", "ko"]
    if lang and lang not in base:
        base.append(lang)
    return base


@cache
def _cldr_names(locale_id: str) -> tuple[tuple[str, str], ...]:
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(locale_id)
    except (UnknownLocaleError, ValueError):
        return ()
    territories = _all_territory_codes() | {"EU"}
    out = []
    for code, name in loc.territories.items():
        if code in territories:
            out.append((code, name))
    return tuple(out)


@cache
def _alias_rows() -> tuple[dict[str, str], ...]:
    return tuple(_read_csv("cmkg.ontology", "country_aliases.csv"))


def _lang_ok(row_lang: str, lang: str) -> bool:
    return row_lang == "*" or lang in row_lang.split("|")


@cache
def country_gazetteer(lang: str) -> Gazetteer:
    """The country matcher for articles in ``lang`` (built once per language, then cached)."""
    sovereign = sovereign_codes()
    manual: dict[str, list[Entry]] = {}
    for row in _alias_rows():
        if not _lang_ok(row["lang"], lang):
            continue
        codes = tuple(c for c in row["code"].split("|") if c)
        entry = Entry(row["alias"], codes, row["kind"], row["case"])
        manual.setdefault(fold(entry.label), []).append(entry)
    cldr: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for loc in _cldr_locales(lang):
        strip = loc.split("_")[0] in _STRIP_ACCENT_LANGS
        for code, name in _cldr_names(loc):
            for v in _name_variants(name):
                variants = {v}
                if strip:
                    variants.add(_strip_accents(v))
                if loc == "de" and re.search(r"[a-z]$", v):
                    variants.add(v + "s")  # genitive: "Chinas", "Japans"
                for vv in variants:
                    key = fold(vv)
                    if len(key) < 3 and not is_cjk(key[:1] or "a"):
                        continue
                    cldr.setdefault(key, set()).add(code)
                    labels.setdefault(key, vv)
    entries: list[Entry] = [e for es in manual.values() for e in es]
    for key, codes in cldr.items():
        sov = {c for c in codes if c in sovereign}
        if key in manual:
            # the project's aliases settle conflicts; CLDR only adds its spelling of the same
            manual_codes = {c for e in manual[key] for c in e.codes}
            if not sov or manual_codes != sov:
                continue
        if len(sov) > 1:
            continue  # ambiguous across locales and not settled by the project's aliases
        label = labels[key]
        if sov:
            case = "fold" if is_cjk(key[0]) else "cap"
            entries.append(Entry(label, (sov.pop(),), "name", case))
        else:
            entries.append(Entry(label, (), "blocker", "cap"))
    return Gazetteer(entries)


@cache
def _mineral_rows() -> tuple[dict[str, str], ...]:
    return tuple(_read_csv("cmkg.ontology", "mineral_lexicon.csv"))


@cache
def mineral_gazetteer(lang: str) -> Gazetteer:
    """The mineral matcher for articles in ``lang`` (built once per language, then cached).

    >>> text = "Indonesia melarang ekspor bijih nikel dan bauksit."
    >>> [m.entry.codes for m in mineral_gazetteer("id").find(text, fold(text))]
    [('nickel',), ('bauxite',)]
    """
    merged: dict[tuple[str, str, str, str, bool], set[str]] = {}
    for row in _mineral_rows():
        if row["scope"] == "lang" and not _lang_ok(row["lang"], lang):
            continue
        key = (row["label"], row["case"], row["context"], "blocker" if not row["mineral"] else "")
        k2 = (*key, row["open"] == "right")
        merged.setdefault(k2, set())
        if row["mineral"]:
            merged[k2].add(row["mineral"])
    entries = []
    order = mineral_ids()
    for (label, case, context, blocker, open_right), ids in merged.items():
        codes = tuple(sorted(ids, key=order.index))
        entries.append(
            Entry(label, codes, "blocker" if blocker else "mineral", case, context, open_right)
        )
    return Gazetteer(entries)


@cache
def _minerals_table() -> tuple[dict[str, str], ...]:
    return tuple(_read_csv("cmkg.graph.data", "contracts/minerals.csv"))


@cache
def mineral_ids() -> tuple[str, ...]:
    """The ids of ``minerals.csv``, in its order.

    >>> mineral_ids()[:3]
    ('critical-minerals', 'rare-earths', 'lanthanum')
    """
    return tuple(r["id"] for r in _minerals_table())


def mineral_parent(mineral: str) -> str | None:
    """The broader group of ``mineral`` in ``minerals.csv`` (None for a top-level id).

    >>> mineral_parent("samarium"), mineral_parent("rare-earths")
    ('rare-earths', 'critical-minerals')
    >>> mineral_parent("critical-minerals") is None
    True
    """
    for r in _minerals_table():
        if r["id"] == mineral:
            return r["broader"] or None
    return None
