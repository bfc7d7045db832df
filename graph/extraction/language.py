"""The language of an article, as an ISO 639-1 code.

A declared language wins when it is given ("pt-BR" -> "pt", "zh-Hant" -> "zh"). Otherwise the
script decides for Japanese (kana), Korean (Hangul) and Chinese (Han without kana); for other
scripts ``py3langid`` (which ships its model) decides among a fixed set of languages. Malay is
left out of that set on purpose: news in Indonesian is the common case and the two are hard to
tell apart on short texts.

Examples
--------
>>> detect_language("Presiden Amerika Serikat menandatangani kesepakatan mineral kritis.")
'id'
>>> detect_language("中国宣布对镓、锗相关物项实施出口管制。")
'zh'
>>> detect_language("日米両国はレアアースの供給確保で合意した。")
'ja'
>>> normalise_language("pt-BR"), normalise_language("und"), normalise_language("")
('pt', '', '')
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["detect_language", "is_traditional_chinese", "normalise_language"]

_LANGID_LANGS_TEXT = (
    "en id zh ja ko es fr de pt it nl ru uk pl sv da no fi tr vi th ar fa hi ro hu cs el he sw"
)
_LANGID_LANGS = tuple(_LANGID_LANGS_TEXT.split())
_SIMPLIFIED = set("国这们来时说为对发经过还进业产动关开东车长门问题见实现")
_TRADITIONAL = set("國這們來時說為對發經過還進業產動關開東車長門問題見實現")


def normalise_language(code: str | None) -> str:
    """The ISO 639-1 part of a language tag; ``""`` for unknown (``None``, ``""``, ``und``)."""
    if not code:
        return ""
    base = code.strip().replace("_", "-").split("-")[0].split(" ")[0].lower()
    if base in {"und", "unknown", "xx", "zxx", "mul"}:
        return ""
    return base


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(_LANGID_LANGS))
    return ident


def _script_counts(text: str) -> tuple[int, int, int, int]:
    kana = hangul = han = letters = 0
    for ch in text:
        o = ord(ch)
        if 0x3040 <= o <= 0x30FF or 0xFF66 <= o <= 0xFF9F:
            kana += 1
        elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF:
            hangul += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            han += 1
        elif ch.isalpha():
            letters += 1
    return kana, hangul, han, letters


def detect_language(text: str, declared: str | None = None) -> str:
    """The ISO 639-1 code of ``text``'s language (``declared`` wins when it is known)."""
    lang = normalise_language(declared)
    if lang:
        return lang
    sample = text[:4000]
    kana, hangul, han, letters = _script_counts(sample)
    cjk = kana + hangul + han
    if cjk and cjk >= letters / 4:
        if hangul >= max(kana, han):
            return "ko"
        if kana >= 0.05 * (kana + han):
            return "ja"
        return "zh"
    if not letters:
        return "en"
    voted = _function_word_vote(sample)
    if voted:
        return voted
    code, prob = _identifier().classify(sample)
    if len(sample.split()) < 12 and (prob < 0.9 or code not in _FW):
        return "en"  # too short to tell; English is the common case
    return str(code)


_FUNCTION_WORDS = {
    "en": "the and of to in is on for with that said from by was were has have are",
    "id": "yang dan di ke dari untuk dengan ini itu tidak pada dalam akan juga adalah",
    "es": "el la los las del que y en por para con una es se al",
    "fr": "le la les des et du que une est dans pour sur au aux qui",
    "de": "der die das und den von mit ist nicht sich auf dem des ein eine",
    "pt": "o os as do da dos das que em com não uma por para no na",
    "it": "il lo gli di che del della dei per con non una nel sono",
}
_FW = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}


def _function_word_vote(text: str) -> str | None:
    """The language whose common words the text uses most, when that is clear (short texts)."""
    words = [w.lower() for w in text.split()[:400]]
    counts = {lang: sum(w in fw for w in words) for lang, fw in _FW.items()}
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    (best, n1), (_, n2) = ranked[0], ranked[1]
    if n1 >= 3 and n1 >= 2 * n2:
        return best
    return None


def is_traditional_chinese(text: str) -> bool:
    """True when ``text`` uses more traditional than simplified Chinese characters.

    >>> is_traditional_chinese("中國對美國"), is_traditional_chinese("中国对美国")
    (True, False)
    """
    simp = sum(1 for c in text if c in _SIMPLIFIED)
    trad = sum(1 for c in text if c in _TRADITIONAL)
    return trad > simp
