"""Word lists the fact extractors share: hedges, negations, anaphora, government nouns.

Every pattern runs on folded text (:func:`cmkg.graph.extraction.lexicon.fold`). The lists are
per language and merged: a word of one language rarely means something else in another, and
articles quote each other.

Examples
--------
>>> bool(HEDGE.search("china could ban exports"))
True
>>> bool(COUNTRY_ANAPHOR.search("the asian country also refines"))
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import is_cjk

__all__ = [
    "COUNTRY_ANAPHOR",
    "GOVERNMENT_NOUN",
    "HEDGE",
    "HOME_COUNTRY",
    "MINERAL_ANAPHOR",
    "NEGATION",
    "PLURAL_PARTIES",
    "REGION_COUNTRIES",
    "STAGE_CUES",
    "WORLD",
    "Cue",
    "compile_cue",
    "stage_cues",
    "word_tail",
]


def _top_level_split(pattern: str) -> list[str]:
    """Split a regex at its top-level ``|`` (outside groups and character classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


class Cue:
    """A word list compiled as two expressions: the word-bounded (Latin-script) alternatives
    and the rest (CJK). One alternation of both would stop the regex engine from skipping
    ahead on the first character, which makes it many times slower on long lists."""

    def __init__(self, pattern: str) -> None:
        parts = _top_level_split(pattern)
        bounded = [p for p in parts if p.startswith("(?<!")]
        other = [p for p in parts if not p.startswith("(?<!")]
        self._rx = [re.compile("|".join(g)) for g in (bounded, other) if g]
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        found = [m for rx in self._rx if (m := rx.search(text))]
        return min(found, key=lambda m: m.start()) if found else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        ms = sorted((m for rx in self._rx for m in rx.finditer(text)), key=lambda m: m.start())
        end = -1
        for m in ms:
            if m.start() >= end:
                end = m.end()
                yield m

    def match(self, text: str) -> re.Match[str] | None:
        return next((m for rx in self._rx if (m := rx.match(text))), None)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return next((m for rx in self._rx if (m := rx.fullmatch(text))), None)


def compile_cue(pattern: str) -> Cue:
    r"""Compile a word list that mixes word-bounded alternatives and CJK ones (see :class:`Cue`).

    >>> cue = compile_cue(r"(?<![\w])(?:export ban)(?![\w])|出口管制")
    >>> [m.group() for m in cue.finditer("an export ban; 出口管制")]
    ['export ban', '出口管制']
    """
    return Cue(pattern)


_B = r"(?<![\w])"
_E = r"(?![\w])"

HEDGE = compile_cue(
    _B + r"(?:could|may|might|would|considering|consider|considers|mulls?|mulling|weighs?|weighing|"
    r"threaten\w*|propos\w+|plans? to|planning to|planned|aims? to|intends? to|intention|seeks? to|"
    r"seeking|likely|possible|possibly|potential|potentially|expected to|hopes?|hoping|whether|"
    r"if|talks?|negotiat\w+|discuss\w*|explor\w+|ready to|prepared to|set to|poised to|"
    r"bisa|dapat|mungkin|berencana|rencana|wacana|mempertimbangkan|berpotensi|kemungkinan|"
    r"diharapkan|direncanakan|menjajaki|negosiasi|perundingan|membahas|apakah|jika|"
    r"podría|podrían|puede|pueden|planea|prevé|considera|estudia|amenaz\w+|posible|posibles|"
    r"negocia\w*|busca|espera|si|"
    r"pourrait|pourraient|peut|envisage\w*|prévoit|menace\w*|éventuel\w*|négoci\w+|"
    r"könnte|könnten|kann|erwägt|prüft|plant|droht|möglich\w*|erwogen|verhandl\w+|verhandel\w+|ob|"
    r"poderia|poderiam|pode|podem|planeja|pretende|estuda|ameaça\w*|possível|possíveis|"
    r"potrebbe|potrebbero|può|valuta|minaccia|possibile)"
    + _E
    + r"|可能|或将|拟|考虑|有望|威胁|是否|磋商|谈判|可能性|検討|方針|予定|見通し|"
    r"かもしれ|公算|交渉|"
    r"目指|가능성|검토"
)
NEGATION = compile_cue(
    _B + r"(?:not|no|never|denied|denies|deny|without|n't|refrain\w*|tidak|bukan|belum|tak|"
    r"nicht|kein\w*|"
    r"nie|ne|pas|jamais|não|nunca|nem|non)" + _E + r"|不|未|没有|沒有|ない|なかった|せず|않|없"
)
GOVERNMENT_NOUN = compile_cue(
    _B + r"(?:government|ministry|commerce ministry|cabinet|authorities|pemerintah|kementerian|"
    r"menteri|gobierno|ministerio|gouvernement|ministère|regierung|bundesregierung|ministerium|"
    r"governo|ministério|ministero)"
    + _E
    + r"|商务部|国务院|政府|海关总署|工信部|自然资源部|商務部|経済産業省|経産省|정부|산업통상자원부"
)
COUNTRY_ANAPHOR = compile_cue(
    _B + r"(?:(?:the|this|that)\s+(?:(?:asian|african|european|south american|latin american|"
    r"southeast asian|central african|central asian|gulf|andean|southern african|west african|"
    r"east african|north african|pacific|nordic|resource-rich|mineral-rich|island|"
    r"south-east asian)\s+)?(?:country|nation)|"
    r"negara (?:ini|itu|tersebut)|negeri (?:ini|itu|tersebut)|"
    r"(?:el|este|dicho) país(?:\s+(?:asiático|africano|andino|sudamericano|europeo))?|"
    r"(?:le|ce) pays(?:\s+(?:africain|asiatique|andin|sud-américain|européen|"
    r"d'afrique centrale|d'asie du sud-est))?|"
    r"(?:das|dieses) (?:\w+(?:ische|ländische) )?land|(?:o|este|esse) país|(?:il|questo) paese)"
    + _E
    + r"|该国|該國|这个国家|這個國家|同国|同國|이 나라"
    + r"|(?:东南亚|中部非洲|非洲|南美|拉美)国家"
    + r"|(?:東南アジア|中部アフリカ|アフリカ|南米)の(?:同国|国)"
    # a sentence that opens with "It" and a verb: "It also mined nearly half of ..."
    + r"|^\W*it(?= (?:also |alone |now |still )?[a-z]+(?:s|ed)\b)"
)
PLURAL_PARTIES = compile_cue(
    _B + r"(?:both (?:nations|countries|sides|governments|leaders)|the two (?:countries|nations|"
    r"governments|sides|leaders)|kedua negara|kedua belah pihak|kedua pemimpin|"
    r"ambos países|los dos países|ambos gobiernos|les deux pays|deux pays|beide länder|"
    r"beiden länder|beiden staaten|beide staaten|os dois países|ambos os países|"
    r"i due paesi|entrambi i paesi)" + _E + r"|两国|兩國|双方|雙方|両国|両首脳|両政府|양국"
)
MINERAL_ANAPHOR = compile_cue(
    _B + r"(?:(?:the|this|these|that|those) (?:material|materials|metal|metals|mineral|minerals|"
    r"commodity|element|elements|ore|resource)|(?:mineral|logam|bahan|komoditas) (?:jenis )?"
    r"(?:ini|itu|tersebut)|(?:este|ese|dicho|el) (?:metal|mineral|material)|"
    r"(?:ce|le) (?:métal|minerai|matériau)|(?:dieses|das|der|diesen) (?:metall|rohstoff|material)|"
    r"(?:este|esse|o) (?:metal|mineral|material))"
    + _E
    + r"|(?:该|这种|此类|這種|該)(?:矿产|金属|材料|资源|礦產|金屬)"
    r"|(?:同|この)(?:鉱物|金属|資源|素材)"
)
WORLD = compile_cue(
    _B + r"(?:world|world's|worldwide|global|globally|dunia|mundial|mundiales|mundiais|mundo|"
    r"mondial\w*|"
    r"monde|weltweit\w*|welt|mondo|international)"
    + _E
    + r"|世界|全球|全世界|세계|weltmarkt|weltproduktion|weltweit"
)

_AFRICA = (
    "DZ AO BJ BW BF BI CV CM CF TD KM CD CG CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG "
    "MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW"
)
_ASIA_SE = "ID MY PH TH VN MM KH LA SG BN TL"
_ASIA = _ASIA_SE + " CN JP KR KP MN IN PK BD LK NP KZ UZ KG TJ TM AF IR IQ SA AE QA KW OM TR"
_S_AMERICA = "AR BO BR CL CO EC PE PY UY VE GY SR"
_EUROPE = (
    "EU AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE GB NO "
    "CH UA RS IS AL BA ME MK MD BY RU"
)
# The region an anaphor names ("the Central African nation", "das südostasiatische Land",
# "该东南亚国家"), with the countries it can stand for: most specific first.
REGION_COUNTRIES: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (re.compile(rx), frozenset(codes.split()))
    for rx, codes in (
        (
            r"central african|central-african|zentralafrikanisch|centroafricano|centro-africano|"
            r"d'afrique centrale|中部非洲|中部アフリカ|중부 아프리카",
            "CD CG CF CM GA TD GQ RW BI ST",
        ),
        (r"southern african|d'afrique australe", "ZA ZW ZM NA BW MZ MW AO LS SZ MG"),
        (
            r"west african|westafrikanisch|d'afrique de l'ouest",
            "GH NG CI SN ML GN BF NE SL LR TG BJ",
        ),
        (
            r"south-?east asian|südostasiatisch|del sudeste asiático|d'asie du sud-est|"
            r"do sudeste asiático|东南亚|東南アジア|동남아",
            _ASIA_SE,
        ),
        (r"central asian|zentralasiatisch", "KZ UZ KG TJ TM MN"),
        (r"gulf", "SA AE QA KW OM BH"),
        (
            r"south american|latin american|andean|andin|sudamericano|latinoamericano|"
            r"sud-américain|südamerikanisch|sul-americano|南美|拉美|南米|남미",
            _S_AMERICA + " MX",
        ),
        (r"african|africano|africain|afrikanisch|非洲|アフリカ|아프리카", _AFRICA),
        (r"asian|asiático|asiatique|asiatisch|亚洲|アジア|아시아", _ASIA),
        (r"european|europeo|européen|europäisch|europeu", _EUROPE),
    )
]

# Language defaults for "the government" when the article does not name it.
HOME_COUNTRY = {"id": "ID", "ja": "JP", "ko": "KR", "zh": "CN", "de": "DE", "fr": "FR"}
HOME_COUNTRY.update({"it": "IT", "pt": "BR", "ms": "MY", "vi": "VN", "th": "TH"})

# Words that give the stage of a supply chain, with the stage they give. "product" words name
# a manufactured good made from the mineral (a share of magnets is a manufacturing share).
STAGE_CUES: list[tuple[str, str]] = [
    (
        "processing",
        r"refin\w*|process\w*|smelt\w*|separation|separat\w+|recovery|pengolahan|pemurnian|olahan|"
        r"smelter|pemrosesan|refinación|refinado\w*|refina\w*|procesamiento|procesa\w*|raffin\w+|"
        r"transformation|traitement|verarbeit\w*|raffination|raffiniert\w*|weiterverarbeitung|"
        r"refino|processamento|processa\w*|raffinazione|lavorazione|加工|精炼|冶炼|提炼|分离|精製|"
        r"製錬|精錬|分離|제련|정제",
    ),
    (
        "reserves",
        r"reserves|reserve|reservas|reserva|réserves|réserve|reserven|cadangan|riserve|储量|资源|"
        r"埋蔵量|매장량",
    ),
    (
        "recycling",
        r"recycl\w*|daur ulang|reciclaje|reciclagem|recyclage|riciclo|回收|再生|リサイクル|재활용",
    ),
    (
        "mining",
        r"produc\w*|output|mine|mines|mined|mining|extract\w*|suppl\w+|miner|"
        r"produksi|memproduksi|produsen|penambangan|tambang|pasokan|menambang|memasok|"
        r"producción|produce\w*|productor\w*|extracción|minería|suministr\w+|"
        r"production|produit|producteur\w*|extraction|extrait|fournit|fournisseur|"
        r"produktion|produziert\w*|förder\w*|abbau|abgebaut\w*|bergbau|liefert|"
        r"produção|produz\w*|produtor\w*|extração|extrai|mineração|fornece\w*|"
        r"produzione|estrazione|产量|生产|开采|供应|产出|生産|産出|採掘|供給|생산|채굴",
    ),
]


def _stage_rx(stage: str, words: str) -> re.Pattern[str]:
    latin = [w for w in words.split("|") if not is_cjk(w[0])]
    cjk = [w for w in words.split("|") if is_cjk(w[0])]
    end = "" if stage == "mining" else _E  # "produc" starts production, producer, produces
    return re.compile(rf"{_B}(?:{'|'.join(latin)}){end}|" + "|".join(cjk))


_STAGE_RX = [(stage, _stage_rx(stage, words)) for stage, words in STAGE_CUES]
PRODUCT_CUE = compile_cue(
    _B + r"(?:magnets?|aimants?|imanes|imán|ímãs|ímanes|magnete[n]?|magneti|cathodes?|cátodos?|"
    r"catodos?|kathoden?|anodes?|ánodos?|anodos?|battery cells|permanent magnets)"
    + _E
    + r"|磁铁|磁体|永磁|磁石|正极|负极|正極|負極|자석"
)
MAGNET = compile_cue(
    _B
    + r"(?:magnets?|aimants?|imanes|imán|ímãs|ímanes|magnete[n]?|magneti)"
    + _E
    + r"|磁铁|磁体|永磁|磁石|자석"
)


def stage_cues(folded: str) -> list[tuple[int, int, str]]:
    """Stage words in ``folded`` text as ``(start, end, stage)``, left to right.

    >>> [s for _, _, s in stage_cues("the country refines 99% of graphite and mines cobalt")]
    ['processing', 'mining']
    """
    out = []
    for stage, rx in _STAGE_RX:
        for m in rx.finditer(folded):
            out.append((m.start(), m.end(), stage))
    out.sort()
    # a "processing" word also matches inside "production": keep the first at each place
    kept: list[tuple[int, int, str]] = []
    for c in out:
        if kept and c[0] < kept[-1][1]:
            continue
        kept.append(c)
    return kept


def word_tail(text: str, n: int) -> str:
    """The last ``n`` characters of ``text`` without a word cut in two at their start (so that
    "européenne" cut to "ne" is not read as the negation "ne").

    >>> word_tail("l'union européenne et l'ukraine ont ", 20)
    " et l'ukraine ont "
    """
    if len(text) <= n:
        return text
    tail = text[-n:]
    if text[-n - 1].isalnum() and tail[:1].isalnum():
        return re.sub(r"^\w+", "", tail)
    return tail
