"""Shares and money amounts as news writes them, in several languages.

:func:`find_shares` reads percentages ("90 per cent", "más del 60%", "près de 70 %",
"99 Prozent", "百分之九十", "9割", "七成"), fractions ("two-thirds", "三分之二", "dua pertiga")
and the comparator that goes with them ("more than" ``>``, "at least" ``>=``, "nearly" ``~``,
"less than" ``<``, "up to" ``<=``). :func:`find_amounts` reads sums of money with their
currency and scale ("USD $200 million", "US$ 565 milhões", "216 millions d'euros",
"20,8 miliar dolar AS", "5亿美元"); ``usd`` is set only where the currency is the US dollar.
Offsets are character offsets into the text given.

Examples
--------
>>> [(s.value, s.comparator) for s in find_shares("more than 90 per cent and two-thirds", "en")]
[(0.9, '>'), (0.667, '=')]
>>> [(a.value, a.usd) for a in find_amounts("216 millions d'euros et US$ 5 milhões", "fr")]
[(216000000.0, False), (5000000.0, True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import fold

__all__ = ["Amount", "Share", "find_amounts", "find_shares", "parse_number"]


@dataclass(frozen=True, slots=True)
class Share:
    """A fraction in [0, 1] read from the text, with its comparator and its offsets.

    ``start``/``end`` cover the whole expression, comparator included; ``number_start`` is
    where the figure itself begins.
    """

    value: float
    comparator: str
    start: int
    end: int
    number_start: int


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money: ``value`` in units of ``currency`` (ISO code where known)."""

    value: float
    currency: str | None
    start: int
    end: int

    @property
    def usd(self) -> bool:
        return self.currency == "USD"


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS.update({"七": 7, "八": 8, "九": 9})


def _cn_number(s: str) -> float | None:
    """Chinese numerals up to 99.9: 九十, 六十七, 十五, 三点五."""
    if not s:
        return None
    if "点" in s:
        a, b = s.split("点", 1)
        whole = _cn_number(a)
        if whole is None or not all(c in _CN_DIGITS for c in b):
            return None
        return whole + float("0." + "".join(str(_CN_DIGITS[c]) for c in b))
    if all(c in _CN_DIGITS for c in s):
        return float(_CN_DIGITS[s[-1]]) if len(s) == 1 else None
    if "十" in s:
        a, _, b = s.partition("十")
        tens = 1 if not a else _CN_DIGITS.get(a)
        ones = 0 if not b else _CN_DIGITS.get(b)
        if tens is None or ones is None:
            return None
        return float(tens * 10 + ones)
    return None


def parse_number(s: str, lang: str = "en") -> float | None:
    """Parse a figure as written in ``lang`` ("1,234.5" in English, "1.234,5" in German).

    >>> parse_number("458,39", "id"), parse_number("1,500", "en"), parse_number("九十", "zh")
    (458.39, 1500.0, 90.0)
    """
    s = s.strip().replace(" ", "").replace("\u202f", "").replace("'", "")
    if not s:
        return None
    if not any(c.isdigit() for c in s):
        return _cn_number(s)
    comma_decimal = lang not in {"en", "zh", "ja", "ko", "th", "he"}
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        head, _, tail = s.rpartition(",")
        if comma_decimal and len(tail) != 3:
            s = head.replace(",", "") + "." + tail
        elif len(tail) == 3 and s.count(",") >= 1 and not comma_decimal:
            s = s.replace(",", "")
        elif comma_decimal and len(tail) == 3:
            # "1,500" in Indonesian is 1.5 only in money contexts; treat as thousands
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif "." in s and comma_decimal:
        head, _, tail = s.rpartition(".")
        if len(tail) == 3:
            s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


_HAN = re.compile(r"[\u4e00-\u9fff\u3040-\u30ff]")
_NUM = r"\d{1,3}(?:[.,\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_PERCENT_UNIT = (
    r"(?:\s?-?\s?(?:%|per\s?cent|percent|pct\b|persen|por\s?ciento|pour\s?cent|prozent|"
    r"por\s?cento|per\s?cento|퍼센트|프로(?!그)))"
)
_PERCENT = re.compile(rf"(?<![\d.,])({_NUM}){_PERCENT_UNIT}")
_CN_PERCENT = re.compile(r"百分之([\d.]+|[零〇一二两三四五六七八九十点]+)")
_TENTHS = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九])\s?(割|成)(?!本|功|立|为|長|分)")
_FRACTIONS: dict[str, float] = {
    # en
    "two-thirds": 2 / 3,
    "two thirds": 2 / 3,
    "three-quarters": 0.75,
    "three quarters": 0.75,
    "three-fourths": 0.75,
    "one-third": 1 / 3,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "a quarter": 0.25,
    "one-quarter": 0.25,
    "one quarter": 0.25,
    "half": 0.5,
    "four-fifths": 0.8,
    "a fourth": 0.25,
    "one-fourth": 0.25,
    "one fourth": 0.25,
    # id
    "dua pertiga": 2 / 3,
    "tiga perempat": 0.75,
    "sepertiga": 1 / 3,
    "seperempat": 0.25,
    "separuh": 0.5,
    "setengah": 0.5,
    # zh / ja
    "三分之二": 2 / 3,
    "四分之三": 0.75,
    "三分之一": 1 / 3,
    "四分之一": 0.25,
    "五分之四": 0.8,
    "一半": 0.5,
    "3分の2": 2 / 3,
    "4分の3": 0.75,
    "3分の1": 1 / 3,
    "4分の1": 0.25,
    "半分": 0.5,
    "半数": 0.5,
    "过半": 0.5,
    # ko
    "절반": 0.5,
    "3분의 2": 2 / 3,
    "3분의 1": 1 / 3,
    "4분의 1": 0.25,
    "4분의 3": 0.75,
    # es / pt / it
    "dos tercios": 2 / 3,
    "tres cuartos": 0.75,
    "un tercio": 1 / 3,
    "la mitad": 0.5,
    "una cuarta parte": 0.25,
    "tres cuartas partes": 0.75,
    "una tercera parte": 1 / 3,
    "dos terceras partes": 2 / 3,
    "un cuarto": 0.25,
    "um quarto": 0.25,
    "uma terça parte": 1 / 3,
    "un quarto": 0.25,
    "dois terços": 2 / 3,
    "três quartos": 0.75,
    "um terço": 1 / 3,
    "metade": 0.5,
    "due terzi": 2 / 3,
    "tre quarti": 0.75,
    "un terzo": 1 / 3,
    "la metà": 0.5,
    # fr / de
    "deux tiers": 2 / 3,
    "trois quarts": 0.75,
    "un tiers": 1 / 3,
    "la moitié": 0.5,
    "un quart": 0.25,
    "zwei drittel": 2 / 3,
    "drei viertel": 0.75,
    "ein drittel": 1 / 3,
    "die hälfte": 0.5,
    "ein viertel": 0.25,
}
_HAN_OR_HANGUL = re.compile(r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]")
_FRACTION = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        re.escape(k)
        for k in sorted(_FRACTIONS, key=len, reverse=True)
        if not _HAN_OR_HANGUL.search(k)
    )
    + r")(?![\w-])"
)
# Chinese, Japanese and Korean fractions: no spaces around them (particles follow in ko)
_CJK_FRACTION = re.compile(
    "|".join(
        re.escape(k) for k in sorted(_FRACTIONS, key=len, reverse=True) if _HAN_OR_HANGUL.search(k)
    )
)

_LEFT_COMPARATORS: list[tuple[str, str]] = [
    (
        ">=",
        "at least|no less than|a minimum of|setidaknya|sedikitnya|paling sedikit|minimal|至少|"
        "少なくとも|al menos|por lo menos|au moins|mindestens|wenigstens|pelo menos|ao menos|"
        "almeno|최소",
    ),
    (
        ">",
        "more than|over|above|in excess of|upwards of|exceeding|greater than|lebih dari|di atas|"
        "melebihi|超过|超過|逾|高达|más del|más de|superior al|por encima del|plus de|plus du|"
        "mehr als|"
        "über|mais de|mais do que|acima de|più del|più di|oltre il|oltre|이상",
    ),
    (
        "~",
        "nearly|almost|about|around|approximately|roughly|some|close to|an estimated|estimated|"
        "hampir|sekitar|kurang lebih|sekira|近|约|大约|大約|将近|接近|近乎|約|ほぼ|およそ|casi|"
        "cerca del|"
        "cerca de|alrededor del|alrededor de|aproximadamente|unos|près de|presque|environ|quelque|"
        "quasiment|fast|knapp|nahezu|etwa|rund|circa|ungefähr|annähernd|quase|perto de|cerca de|"
        "quasi|circa|intorno al|약|거의",
    ),
    (
        "<",
        "less than|under|below|fewer than|kurang dari|di bawah|不到|不足|低于|少于|menos del|"
        "menos de|moins de|weniger als|unter|meno del|meno di|미만",
    ),
    (
        "<=",
        "up to|as much as|as many as|hingga|sampai|最多|最高|hasta|jusqu'à|jusqu'a|bis zu|até|"
        "fino al|fino a",
    ),
]
_LEFT_RE = [
    (
        cmp,
        re.compile(
            rf"(?:^|[\s(,])(?:{words})(?:\s+(?:the|of|el|la|le|les|de|du|des|a|o|os|as|il|lo|"
            rf"del|della|dei|der|die|den))*\s*$"
        ),
    )
    for cmp, words in _LEFT_COMPARATORS
]
_CJK_LEFT_RE = [
    (">=", re.compile(r"(?:至少|少なくとも|최소)\s*$")),
    (">", re.compile(r"(?:超过|超過|逾|高达|高達)\s*$")),
    ("~", re.compile(r"(?:约|大约|大約|将近|接近|近乎|約|ほぼ|およそ|近|약|거의)\s*$")),
    ("~", re.compile(r"(?:约|大约|大約|近)占[^，。,、]{0,8}$")),  # "约占全球的48%"
    (">", re.compile(r"(?:超过|超過)[^，。,、]{0,8}的$")),
    ("<", re.compile(r"(?:不到|不足|低于|少于)\s*$")),
    ("<=", re.compile(r"(?:最多|最高)\s*$")),
]
_RIGHT_RE = [
    (">=", re.compile(r"^\s*(?:以上|or more|or above|atau lebih)")),
    (">", re.compile(r"^\s*(?:超|多|强|強|余|あまり|を超え|以上を)")),
    ("~", re.compile(r"^\s*(?:左右|前後|程度|近く|ほど|弱)")),
    ("<", re.compile(r"^\s*(?:未満|以下(?!の))")),
]


def _comparator(folded: str, start: int, end: int) -> tuple[str, int]:
    left = folded[max(0, start - 32) : start]
    for cmp, rx in _LEFT_RE:
        m = rx.search(left)
        if m:
            phrase_start = start - (len(left) - m.start())
            return cmp, phrase_start + (
                1 if folded[phrase_start : phrase_start + 1] in " (," else 0
            )
    for cmp, rx in _CJK_LEFT_RE:
        m = rx.search(left)
        if m:
            return cmp, start - (len(left) - m.start())
    right = folded[end : end + 6]
    for cmp, rx in _RIGHT_RE:
        if rx.match(right):
            return cmp, start
    return "=", start


def find_shares(text: str, lang: str = "en") -> list[Share]:
    """Percentages and fractions in ``text`` as :class:`Share` values (fractions in [0, 1]).

    >>> [(s.value, s.comparator) for s in find_shares("lebih dari 90 persen", "id")]
    [(0.9, '>')]
    >>> [(s.value, s.comparator) for s in find_shares("中国占全球产量的百分之六十以上、七成", "zh")]
    [(0.6, '>='), (0.7, '=')]
    """
    folded = fold(text)
    out: list[Share] = []
    taken: list[tuple[int, int]] = []

    def add(value: float | None, start: int, end: int, num_start: int) -> None:
        if value is None or not 0 <= value <= 1:
            return
        if any(a < end and start < b for a, b in taken):
            return
        cmp, phrase_start = _comparator(folded, num_start, end)
        taken.append((start, end))
        out.append(
            Share(round(value, 4) if value % 0.001 else value, cmp, phrase_start, end, num_start)
        )

    for m in _PERCENT.finditer(folded):
        v = parse_number(m.group(1), lang)
        add(None if v is None else round(v / 100, 6), m.start(), m.end(), m.start())
    for m in _CN_PERCENT.finditer(folded):
        raw = m.group(1)
        v = parse_number(raw, "zh") if any(c.isdigit() for c in raw) else _cn_number(raw)
        add(None if v is None else round(v / 100, 6), m.start(), m.end(), m.start())
    if lang in {"zh", "ja"} or _HAN.search(text):
        for m in _TENTHS.finditer(folded):
            raw = m.group(1)
            v = parse_number(raw, "zh") if raw[0].isdigit() else _cn_number(raw)
            add(None if v is None else v / 10, m.start(), m.end(), m.start())
    for m in _FRACTION.finditer(folded):
        add(_FRACTIONS[m.group()], m.start(), m.end(), m.start())
    for m in _CJK_FRACTION.finditer(folded):
        add(_FRACTIONS[m.group()], m.start(), m.end(), m.start())
    out.sort(key=lambda s: s.number_start)
    return [Share(round(s.value, 3), s.comparator, s.start, s.end, s.number_start) for s in out]


# ---------------------------------------------------------------------------------- amounts

_SCALES: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "ribu": 1e3,
    "juta": 1e6,
    "miliar": 1e9,
    "milyar": 1e9,
    "triliun": 1e12,
    "mil": 1e3,
    "millón": 1e6,
    "millones": 1e6,
    "mil millones": 1e9,
    "billón": 1e12,
    "billones": 1e12,
    "milliard": 1e9,
    "milliards": 1e9,
    "mio": 1e6,
    "mio.": 1e6,
    "millionen": 1e6,
    "mrd": 1e9,
    "mrd.": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "milhão": 1e6,
    "milhões": 1e6,
    "mi": 1e6,
    "bilhão": 1e9,
    "bilhões": 1e9,
    "bi": 1e9,
    "mil milhões": 1e9,
    "milione": 1e6,
    "milioni": 1e6,
    "miliardo": 1e9,
    "miliardi": 1e9,
    "万": 1e4,
    "萬": 1e4,
    "亿": 1e8,
    "億": 1e8,
    "万亿": 1e12,
    "兆": 1e12,
    "千万": 1e7,
    "百万": 1e6,
    "m€": 1e6,
    "md€": 1e9,
}
_SCALE = (
    r"(?:mil millones|mil milhões|thousand|millions?|millones|millón|milliards?|milliarden?|"
    r"millionen|milhões|milhão|bilhões|bilhão|billions?|billones|billón|trillion|miliardi|"
    r"miliardo|milioni|milione|miliar|milyar|triliun|juta|ribu|mio\.?|mrd\.?|mln|mn|bn|tn|bi|"
    r"mi|万亿|千万|百万|万|萬|亿|億|兆|m(?![a-z])|b(?![a-z])|k(?![a-z]))"
)
_PREFIX_CUR = (
    r"(?P<pre>us\s?\$|u\.s\.\s?\$|usd\s?\$?|a\$|au\$|aud\s?\$?|c\$|ca\$|cad|hk\$|s\$|nz\$|r\$|"
    r"rp\.?|idr|€|eur|£|gbp|¥|jpy|cny|rmb|\$)"
)
_SUFFIX_CUR = (
    r"(?P<suf>us dollars?|u\.s\. dollars?|dollars? américains?|dólares estadounidenses|"
    r"dólares americanos|dólares|dólar|dollars?|dolar as|dolar amerika serikat|dolar|usd|"
    r"us-dollar|d'euros|d’euros|de euros|euros?|eur|€|美元|美金|ドル|元|人民币|円|ユーロ|欧元|"
    r"rupiah|reais|yen|yuan|renminbi|pounds?|libras?|livres?)"
)
_AMOUNT = re.compile(
    rf"{_PREFIX_CUR}\s?(?P<n1>{_NUM})(?:\s?(?P<s1>{_SCALE}))?(?:\s?{_SUFFIX_CUR})?"
    rf"|(?P<n2>{_NUM})\s?(?P<s2>{_SCALE})?\s?(?:de\s|d')?(?P<suf2>us dollars?|"
    r"u\.s\. dollars?|dollars? américains?|dólares estadounidenses|dólares americanos|dólares|"
    r"dólar|dollars?|dolar as|dolar amerika serikat|dolar|usd|us-dollar|euros?|eur|€|美元|美金|"
    r"ドル|人民币|元|円|ユーロ|欧元|rupiah|reais|yen|yuan|renminbi|pounds?|libras?|livres?)"
    r"(?![a-z])"
)
_CURRENCY = {
    "us$": "USD",
    "u.s.$": "USD",
    "usd": "USD",
    "usd$": "USD",
    "$": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "aud$": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "hk$": "HKD",
    "s$": "SGD",
    "nz$": "NZD",
    "r$": "BRL",
    "rp": "IDR",
    "rp.": "IDR",
    "idr": "IDR",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "cny": "CNY",
    "rmb": "CNY",
}


def _suffix_currency(s: str) -> str | None:
    s = s.strip()
    if any(w in s for w in ("euro", "€", "ユーロ", "欧元")) or s == "eur":
        return "EUR"
    if any(w in s for w in ("dollar", "dólar", "dolar", "usd", "美元", "美金", "ドル")):
        return "USD"
    if s in {"元", "人民币", "yuan", "renminbi"}:
        return "CNY"
    if s in {"円", "yen"}:
        return "JPY"
    if s == "rupiah":
        return "IDR"
    if s == "reais":
        return "BRL"
    if s.startswith(("pound", "libra", "livre")):
        return "GBP"
    return None


_CJK_AMOUNT = re.compile(
    r"(?P<a>\d+(?:\.\d+)?)\s?(?P<big>兆|億|亿|万亿)(?:(?P<b>\d+(?:\.\d+)?)\s?(?P<small>万|萬|千万))?"
    r"\s?(?P<cur>美元|美金|ドル|米ドル|元|人民币|円|ユーロ|欧元|豪ドル|澳元)"
)
_CJK_CURRENCY = {"美元": "USD", "美金": "USD", "ドル": "USD", "米ドル": "USD", "元": "CNY"}
_CJK_CURRENCY.update({"人民币": "CNY", "円": "JPY", "ユーロ": "EUR", "欧元": "EUR"})
_CJK_CURRENCY.update({"豪ドル": "AUD", "澳元": "AUD"})


def find_amounts(text: str, lang: str = "en") -> list[Amount]:
    """Sums of money in ``text``; ``currency`` is an ISO 4217 code where the text gives one.

    >>> text = "USD $200 million; 20,8 miliar dolar AS"
    >>> [(a.value, a.currency) for a in find_amounts(text, "en")]
    [(200000000.0, 'USD'), (20800000000.0, 'USD')]
    >>> [(a.value, a.currency) for a in find_amounts("投资5亿美元", "zh")]
    [(500000000.0, 'USD')]
    """
    folded = fold(text)
    out = []
    taken: list[tuple[int, int]] = []
    for m in _CJK_AMOUNT.finditer(folded):  # "2億5000万ドル": two scales in one figure
        v = float(m.group("a")) * _SCALES[m.group("big")]
        if m.group("b"):
            v += float(m.group("b")) * _SCALES[m.group("small")]
        out.append(Amount(v, _CJK_CURRENCY.get(m.group("cur")), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _AMOUNT.finditer(folded):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        if m.group("n1") is not None:
            num, scale = m.group("n1"), m.group("s1")
            cur = _CURRENCY.get(re.sub(r"\s", "", m.group("pre")))
            if m.group("suf") and cur in (None, "USD") and m.group("pre").strip() == "$":
                cur = _suffix_currency(m.group("suf")) or cur
        else:
            num, scale = m.group("n2"), m.group("s2")
            cur = _suffix_currency(m.group("suf2"))
        number_lang = "en" if lang in {"zh", "ja", "ko"} else lang
        v = parse_number(num, number_lang)
        if v is None:
            continue
        if scale:
            v *= _SCALES.get(
                scale.strip().rstrip(".") if scale.strip() not in _SCALES else scale.strip(), 1
            )
        out.append(Amount(float(v), cur, m.start(), m.end()))
    out.sort(key=lambda a: a.start)
    return out
