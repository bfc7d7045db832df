"""Country and mineral mentions in a text, with what each country mention does in its sentence.

:func:`find_country_mentions` keeps the lexicon matches that name a country as an actor and
drops the rest: datelines ("JAKARTA –", "BRUSSELS, (WAM)"), outlets ("Washington Post",
"Japan Times"), currencies ("US$", "dolar AS", "美元"), capitals used as places ("in Tokyo",
"London-based") and combining forms without their hyphen ("Sino-"). Each kept mention gets the
roles it plays in its sentence (:data:`ROLES`), which the fact extractors use to tell a
signatory from a destination, a government from a company, a source from an actor.

:func:`find_mineral_mentions` keeps the mineral lexicon's matches, checking the words that
name a mineral only among other mining words ("lead", "gold", "silver").

Examples
--------
>>> text = "BEIJING – China banned exports to the US, according to the Japan Times."
>>> [(m.surface, m.codes, sorted(m.roles)) for m in find_country_mentions(text, "en")]
[('China', ('CN',), []), ('US', ('US',), ['target'])]
>>> [m.ids for m in find_mineral_mentions("Lead and zinc could lead to gains.", "en")]
[('lead',), ('zinc',)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import WORD_CHARS, country_gazetteer, fold, is_cjk, mineral_gazetteer

__all__ = [
    "ROLES",
    "CountryMention",
    "MineralMention",
    "RegionMention",
    "dateline_spans",
    "find_country_mentions",
    "find_mineral_mentions",
]

ROLES = frozenset(
    {"location", "target", "source", "official", "government", "company", "org", "possessive"}
)
"""location ("in Chile"), target ("exports to the US"), source ("according to the USGS"),
official ("US President", "Presiden AS"), government ("the Australian government"),
company ("Japanese firms", "mineradora brasileira"), org (in an organisation's name:
"US Geological Survey"), possessive ("China's")."""


@dataclass(frozen=True, slots=True)
class CountryMention:
    """A country named in the text: its code(s), offsets, surface, lexicon kind and roles."""

    codes: tuple[str, ...]
    start: int
    end: int
    surface: str
    kind: str
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class MineralMention:
    """A mineral named in the text: its ids (``minerals.csv``), offsets and surface."""

    ids: tuple[str, ...]
    start: int
    end: int
    surface: str


@dataclass(frozen=True, slots=True)
class RegionMention:
    """A region that locates an asset in a country ("Western Australia", "Goiás")."""

    code: str
    start: int
    end: int
    surface: str


# ------------------------------------------------------------------------------- datelines

_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<city>[A-Z][A-Za-zÀ-ÿ'’.\-]*(?:\s[A-Z][A-Za-zÀ-ÿ'’.\-]*){0,2})"
    r"(?P<rest>(?:\s*,\s*[^\n()\-–—]{0,40}?)?\s*(?:\([^)\n]{0,100}\))?)"
    r"\s*(?:--|[-–—:])\s"
)
_DATELINE_PAREN = re.compile(r"(?m)^[ \t]*(?P<city>[A-Z][A-Z .'\-]{2,30}),?\s*\([^)\n]{0,120}\)")
_CJK_DATELINE = re.compile(
    r"(?m)^[ \t]*(?:[【\[（(][^】\]）)\n]{1,40}[】\]）)]|新华社[^，,。\s]{1,12}电)"
)
_KNOWN_CITIES_TEXT = """washington beijing tokyo moscow brussels kinshasa jakarta canberra ottawa
    seoul pretoria
    london paris berlin kyiv kiev brasilia brasília manila hanoi harare lusaka riyadh ankara
    tehran islamabad taipei sydney melbourne perth singapore geneva frankfurt shanghai
    hong kong santiago lima toronto vancouver johannesburg lubumbashi abuja nairobi bangkok
    kuala lumpur new york madrid rome lisbon são paulo rio de janeiro buenos aires mexico city
    new delhi mumbai"""
_KNOWN_CITIES = frozenset(_KNOWN_CITIES_TEXT.split())


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Spans of datelines at the start of lines ("KINSHASA, Feb. 24 (Xinhua) --").

    >>> t = "Title\\n\\nJakarta, IDN Times - Presiden AS datang."
    >>> [t[a:b] for a, b in dateline_spans(t)]
    ['Jakarta, IDN Times - ']
    """
    spans = []
    for m in _DATELINE.finditer(text):
        city = m.group("city").strip()
        first = city.split()[0].rstrip(",").lower()
        if (
            (city.isupper() and len(city) >= 3)
            or city.lower() in _KNOWN_CITIES
            or first in _KNOWN_CITIES
            or (m.group("rest").strip() and "(" in m.group("rest"))
        ):
            spans.append((m.start("city"), m.end()))
    for m in _DATELINE_PAREN.finditer(text):
        spans.append((m.start("city"), m.end()))
    for m in _CJK_DATELINE.finditer(text):
        spans.append((m.start(), m.end()))
    return spans


# ---------------------------------------------------------------------------- role contexts

_OUTLET_WORDS = re.compile(
    r"\s+(?:Post|Times|Daily|Herald|Globe|Tribune|Journal|Gazette|News|Today|Independent|"
    r"Observer|Review|Insider|Examiner|Express|Mail|Telegraph|Standard|Chronicle|Inquirer|"
    r"Monitor|Weekly|Star|Sun|Reporter|Morning Post)\b"
)
_CURRENCY_RIGHT = re.compile(r"^\s?(?:\$|-?\s?dollars?\b|-?dólar|-?dolar\b|-dollar)")
_CURRENCY_LEFT = re.compile(r"(?:dolar|dollar|dollars|dólar|dólares|dollari|dollaro|us-dollar)\s+$")
_LOCATIVE_LEFT = re.compile(
    r"(?:^|[\s(,])(?:in|at|near|outside|inside|across|from|to|into|via|di|ke|dari|en|à|a|au|"
    r"aux|dans|de|depuis|vers|im|in der|nach|aus|bei|em|no|na|para|desde|nel|nella|da|"
    r"hacia|toward|towards)\s*$"
)
_CJK_LOCATIVE_LEFT = re.compile(r"(?:在|于|於|到|赴|前往|访问|來自|来自)$")
_CJK_LOCATIVE_RIGHT = re.compile(
    r"^(?:[北南東西中东][東西东]?部|北方|南方|国内|國內|全土|沖|近郊|郊外|各地)?"
    r"(?:で|に|にて|へ|から|市|都|时间|時間|大学|证券|証券|当地|郊外|入り)"
)
_PERSON_RISK = frozenset({"jordan", "chad", "georgia", "israel", "kenya", "chile"})

_LOCATION_LEFT = re.compile(
    r"(?:^|[\s(,])(?:in|at|inside|across|within|throughout|di|dalam|en|au|aux|dans|à|im|"
    r"em|no|na|nos|nas|nel|nella|negli|in der|in den|en el|en la)"
    r"(?:\s+(?:the|le|la|l'|el|der|dem|den|o|a|les))?\s*$"
)
_TARGET_LEFT = re.compile(
    r"(?:^|[\s(,])(?:to|towards|toward|against|into|ke|kepada|terhadap|hacia|contra|vers|"
    r"contre|nach|gegen|para|verso|contro|destined for|bound for|à destination de|"
    r"destinadas? a|destinad[oa]s? (?:a|para))(?:\s+(?:the|le|la|l'|les|el|los|o|os|a|as|"
    r"die|den|gli|i))?\s*$"
)
_CJK_TARGET_LEFT = re.compile(r"(?:对|對|向|対)$")
_CJK_TARGET_RIGHT = re.compile(r"^(?:への|向け|に対する|に対し|に向け)")
_SOURCE_CUE = re.compile(
    r"(?:according to|citing|menurut|berdasarkan data|berdasarkan|mengutip|dilansir|selon|"
    r"d'après|según|de acuerdo con|laut|nach angaben|segundo|de acordo com|secondo|据|根据)"
    r"\b[^,;:]*$"
)
_CJK_SOURCE_RIGHT = re.compile(r"^[^、。，,]{0,12}(?:によると|によれば|の調べ|の統計)")
_OFFICIAL_RIGHT = re.compile(
    r"^(?:'s)?\s*-?\s*(?:new\s+|former\s+|then\s+|top\s+|chief\s+|deputy\s+|acting\s+)?"
    r"(?:president|prime minister|pm\b|premier|minister|secretary|chancellor|vice president|"
    r"vice-president|ambassador|envoy|leader|trade representative|foreign minister|"
    r"commerce minister|treasury secretary|commerce secretary|präsident|kanzler|minister)"
)
_OFFICIAL_LEFT = re.compile(
    r"(?:presiden|perdana menteri|menteri|wakil presiden|duta besar|dubes|presidente|"
    r"primer ministro|primera ministra|ministro|ministra|vicepresidente|vice-presidente|"
    r"président|première ministre|premier ministre|ministre|präsident|präsidentin|kanzler|"
    r"kanzlerin|ministerin|minister|premierminister|primeiro-ministro|presidente del consiglio|"
    r"president of|prime minister of|leader of)"
    r"(?:\s+(?:de|del|dos|do|da|des|du|der|di|della|of|the|la|le|el|los))*\s*$"
)
_CJK_OFFICIAL_RIGHT = re.compile(
    r"^(?:の)?[^、。，,「」]{0,16}?(?:大統領|首相|国家主席|主席|総理|长官|長官|大臣|部长|部長|外相|"
    r"外长|财长|総督|总统|总理|大使|대통령|총리|장관)"
)
_GOVERNMENT_RIGHT = re.compile(
    r"^(?:'s)?\s*-?\s*(?:federal\s+|central\s+|national\s+|new\s+)?(?:government|administration|"
    r"authorities|cabinet|ministry|ministries|regulators?|officials|regierung|behörden|"
    r"ministerium)"
)
_GOVERNMENT_LEFT = re.compile(
    r"(?:government of|administration of|pemerintah|pemerintahan|gobierno de|gobierno|"
    r"gouvernement|governo de|governo dos|governo do|governo da|governo|regierung|regierung in|"
    r"l'état|el estado|o estado|lo stato|autoridades|autorités|behörden)"
    r"(?:\s+(?:the|de|del|dos|do|da|des|du|der|di|la|le|el|los|os|as))*\s*$"
)
_CJK_GOVERNMENT_RIGHT = re.compile(
    r"^(?:の)?(?:政府|当局|官方|政権|国务院|商务部|商務省|経済産業省|정부)"
)
_COMPANY_RIGHT = re.compile(
    r"^(?:'s)?\s*(?:[\w-]+\s+){0,2}?(?:companies|company|firms?|miners?|producers?|groups?|"
    r"giants?|conglomerates?|corporations?|enterprises?|smelters?|refiners?|manufacturers?|"
    r"automakers?|carmakers?|startups?|trading houses?|investors?|partners?|suppliers?|"
    r"makers?|unternehmen|firma|firmen|konzern|konzerne|hersteller|produzenten|investoren|"
    r"bergbaukonzern\w*|bergbauunternehmen)\b"
)
_COMPANY_LEFT = re.compile(
    r"(?:empresas?|compañías?|mineras?|productoras?|société|sociétés|entreprises?|groupes?|"
    r"miniers?|minières?|mineradoras?|companhias?|grupos?|aziende?|azienda|società|partenaires|"
    r"parceiros|socios|investisseurs|investidores|inversionistas|inversores|perusahaan|"
    r"korporasi|investor|raksasa|produsen|penambang|konglomerat)"
    r"(?:\s+(?:asal|de|du|des|da|do|di))?(?:\s+[\w-]+){0,2}?\s*$"
)
_CJK_COMPANY_RIGHT = re.compile(
    r"^(?:の)?(?:[^、。，]{0,4}大手|企业|公司|厂商|矿企|企業|会社|メーカー|商社|系|资本|資本|기업)"
)
_ORG_RIGHT = re.compile(
    r"^\s+(?:[A-Z][\w&.\-]*\s+){0,3}?(?:Survey|Department|Ministry|Agency|Bank|Corporation|"
    r"Company|Council|Institute|Association|Exchange|Organization|Organisation|Fund|Office|"
    r"Administration|Commission|Authority|Group|Inc|Ltd|Corp|University|Center|Centre|"
    r"Resources|Mining|Metals|Minerals|Holdings|Energy)\b"
)


def _roles(text: str, folded: str, start: int, end: int, lo: int, hi: int) -> frozenset[str]:
    roles = set()
    left = folded[max(lo, start - 60) : start]
    right = folded[end : min(hi, end + 60)]
    right_orig = text[end : min(hi, end + 60)]
    cjk = is_cjk(folded[start])
    if cjk:
        if _CJK_LOCATIVE_LEFT.search(left) or _CJK_LOCATIVE_RIGHT.match(right):
            roles.add("location")
        if _CJK_TARGET_LEFT.search(left) or _CJK_TARGET_RIGHT.match(right):
            roles.add("target")
        if _CJK_OFFICIAL_RIGHT.match(right) or re.search(
            r"(?:大統領|長官|首相|总统|总理|财长|大臣)$", folded[start:end]
        ):
            roles.add("official")
        if _CJK_GOVERNMENT_RIGHT.match(right):
            roles.add("government")
        if _CJK_COMPANY_RIGHT.match(right):
            roles.add("company")
        if _CJK_SOURCE_RIGHT.match(right) or re.search(r"(?:据|根据)[^，,。]{0,10}$", left):
            roles.add("source")
        return frozenset(roles)
    if _LOCATION_LEFT.search(left):
        roles.add("location")
    if _TARGET_LEFT.search(left):
        roles.add("target")
    clause_left = re.split(r"[,;:]", left)[-1] if left else ""
    if _SOURCE_CUE.search(clause_left):
        roles.add("source")
    if _OFFICIAL_RIGHT.match(right) or _OFFICIAL_LEFT.search(left):
        roles.add("official")
    if _GOVERNMENT_RIGHT.match(right) or _GOVERNMENT_LEFT.search(left):
        roles.add("government")
    if _COMPANY_RIGHT.match(right) or _COMPANY_LEFT.search(left):
        roles.add("company")
    if "official" not in roles and "government" not in roles and _ORG_RIGHT.match(right_orig):
        roles.add("org")
    if right.startswith(("'s", "'")):
        roles.add("possessive")
    return frozenset(roles)


_KATAKANA_NAME_BEFORE = re.compile(r"[\u30a0-\u30ff]{2,}[・･]$")
_PERSON_TITLE_AFTER = re.compile(r"(?:代表|氏|さん|大使|議員|長官|通商代表|委員長|社長|会長)")
_PERSON_SUFFIX = re.compile(r"(?:氏|さん|様)")


def _is_katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff"


def _keep_country(text: str, folded: str, start: int, end: int, kind: str) -> bool | str:
    """True to keep a match as a mention, False to drop it, "place" for a capital that names a
    place (a location for assets, not an actor)."""
    left = folded[max(0, start - 24) : start]
    right = folded[end : end + 24]
    if kind == "combining":
        return right[:1] == "-"
    if re.match(r"^-?\s?based\b", right):
        # "London-based": a place; "Singapore-based trader": the country's industry, a mention
        # (ANNOTATION.md) but never an actor of a fact
        return "place" if kind == "capital" else "descriptor"
    if (
        kind == "name"
        and _KATAKANA_NAME_BEFORE.search(text[max(0, start - 12) : start])
        and _PERSON_TITLE_AFTER.match(text[end : end + 6])
    ):
        return False  # "キャサリン・タイ代表": Katherine Tai, not Thailand
    if kind == "name" and _PERSON_SUFFIX.match(text[end : end + 3]) and _is_katakana(text[start]):
        return False  # "タイ氏"
    if kind in {"abbr", "name", "demonym"} and (
        _CURRENCY_RIGHT.match(right) or _CURRENCY_LEFT.search(left)
    ):
        return False
    if kind in {"name", "capital", "abbr"} and _OUTLET_WORDS.match(text[end : end + 24]):
        return False
    if kind == "capital":
        if is_cjk(folded[start]):
            if _CJK_LOCATIVE_LEFT.search(left) or _CJK_LOCATIVE_RIGHT.match(right):
                return "place"
            return True
        if _LOCATIVE_LEFT.search(left) or re.match(r"^\s?d\.?c\.?\b", right):
            return "place"
        if re.match(r"\s+[A-Z]", text[end : end + 2]) or re.match(r"[,]\s+D\.?C", text[end:]):
            return False  # "London Metal Exchange", "Tokyo Electron", "Washington, D.C."
        if re.match(r"\s*\(", right):
            return False  # "Berlin (dts)" style datelines not at a line start
    if kind == "name" and folded[start:end] in _PERSON_RISK:
        before = text[max(0, start - 20) : start]
        m = re.search(rf"([A-Z][{WORD_CHARS}]+)\s+$", before)
        if (
            m
            and not re.search(r"[.!?]\s+[A-Z]\w*\s+$", before)
            and m.group(1)
            not in {
                "In",
                "The",
                "And",
                "From",
                "To",
                "With",
                "Hashemite",
                "Republic",
            }
        ):
            return False  # "Michael Jordan"
    return True


_JA_ABBREV = {"米": "US", "豪": "AU", "英": "GB", "仏": "FR", "独": "DE", "韓": "KR", "露": "RU"}
_JA_ABBREV.update({"印": "IN", "加": "CA", "伊": "IT", "蘭": "NL", "比": "PH"})
_JA_ABBREV_RX = re.compile(
    r"(?<![\u4e00-\u9fff])([米豪英仏独韓露印加伊蘭比])(?=(?:大手|企業|社|政府|当局|資源|鉱山|鉱業|"
    r"メーカー|レアアース|リチウム|ニッケル|コバルト|銅|鉄鉱石|商社|ファンド|政府系|鉄鋼|化学))"
)
_ZH_ABBREV = {"美": "US", "澳": "AU", "日": "JP", "韩": "KR", "欧": "EU", "英": "GB", "德": "DE"}
_ZH_ABBREV_RX = re.compile(r"(?<![\u4e00-\u9fff])([美澳日韩欧英德])(?=(?:企|资企业|资|方企业))")


def _abbreviations(text: str, lang: str) -> list[tuple[int, str]]:
    if lang == "ja":
        return [(m.start(), _JA_ABBREV[m.group(1)]) for m in _JA_ABBREV_RX.finditer(text)]
    if lang == "zh":
        return [(m.start(), _ZH_ABBREV[m.group(1)]) for m in _ZH_ABBREV_RX.finditer(text)]
    return []


def find_country_mentions(
    text: str,
    lang: str,
    *,
    folded: str | None = None,
    sentence_bounds: list[tuple[int, int]] | None = None,
    regions: list[RegionMention] | None = None,
) -> list[CountryMention]:
    """Country mentions in ``text`` (an article in ``lang``), with their roles.

    ``sentence_bounds`` limits the context read for roles to each mention's sentence; a list
    passed as ``regions`` receives the regions found (they are not country mentions).
    """
    folded = fold(text) if folded is None else folded
    datelines = dateline_spans(text)
    bounds = sentence_bounds or [(0, len(text))]
    out = []
    bi = 0
    for m in country_gazetteer(lang).find(text, folded):
        e = m.entry
        if e.kind == "blocker" or not e.codes:
            continue
        if e.kind == "region":
            if regions is not None:
                regions.append(RegionMention(e.codes[0], m.start, m.end, m.surface))
            continue
        if any(a <= m.start < b for a, b in datelines):
            continue
        verdict = _keep_country(text, folded, m.start, m.end, e.kind)
        if verdict == "place":
            if regions is not None:
                regions.append(RegionMention(e.codes[0], m.start, m.end, m.surface))
            continue
        if not verdict:
            continue
        descriptor = verdict == "descriptor"
        while bi < len(bounds) - 1 and bounds[bi][1] <= m.start:
            bi += 1
        lo, hi = bounds[bi] if bounds[bi][0] <= m.start < bounds[bi][1] else (0, len(text))
        roles = _roles(text, folded, m.start, m.end, lo, hi)
        if descriptor:
            roles = roles | {"company", "org"}
        out.append(CountryMention(e.codes, m.start, m.end, m.surface, e.kind, roles))
    taken = {(c.start, c.end) for c in out}
    for pos, code in _abbreviations(text, lang):
        if any(a <= pos < b for a, b in taken):
            continue
        out.append(CountryMention((code,), pos, pos + 1, text[pos], "abbr", frozenset({"company"})))
    out.sort(key=lambda c: c.start)
    return out


_COMPANY_AFTER = re.compile(
    r"^(?:\s+[A-Z0-9][\w&.'’-]*){0,2}\s+(?:Group|Corp|Corporation|Inc|Ltd|Limited|Resources|"
    r"Holdings|Mining|Metals|Energy|plc|SA|S\.A\.|AG|GmbH|Company|Co|Minerals|Americas|Tbk)\b"
)
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w&.'’-]*|[A-Z]{2,})\s+$")
_ASSET_AFTER = re.compile(
    r"^(?:\s+[A-Z][\w-]*){0,3}\s+(?:Project|Mine|Mines|Plant|Refinery|Facility|Deposit|Operation|"
    r"Operations|Hub|Project's)\b"
)


def _in_company_name(
    text: str, start: int, end: int, lang: str, bounds: list[tuple[int, int]]
) -> bool:
    """A capitalised mineral word inside a company's name ("Zhejiang Huayou Cobalt"), in a
    language that writes mineral names in lower case. Project names ("Gallium Recovery
    Project") do name their mineral."""
    surface = text[start:end]
    if lang in {"de", "zh", "ja", "ko"} or not surface[:1].isupper() or surface.isupper():
        return False
    lo, hi = next(((a, b) for a, b in bounds if a <= start < b), (0, len(text)))
    sentence = text[lo:hi]
    words = re.findall(r"[^\W\d_][\w'-]*", sentence)
    if words and sum(w[0].isupper() for w in words) > 0.6 * len(words):
        return False  # a title in title case
    after = text[end : min(hi, end + 60)]
    if _ASSET_AFTER.match(after):
        return False
    if _COMPANY_AFTER.match(after):
        return True  # "Uranium One Group", "Lithium Americas Corp"
    before = text[max(lo, start - 40) : start]
    return bool(_NAME_BEFORE.search(before)) and not re.search(r"(?:^|[.!?:]\s+)\S+\s+$", before)


_MINING_CONTEXT = re.compile(
    r"mine|mining|miner|ore\b|metal|smelt|refin|ounce|bullion|tonnes|deposit|exploration|"
    r"tambang|bijih|logam|矿|鉱|金属|mina|minería|minier|minerai|mineração|minério|bergbau|"
    r"erz|metall|concentrate|konsentrat|reserves|cadangan|储量|埋蔵|reservas|réserves|reserven"
)


def find_mineral_mentions(
    text: str,
    lang: str,
    *,
    folded: str | None = None,
    sentence_bounds: list[tuple[int, int]] | None = None,
) -> list[MineralMention]:
    """Mineral mentions in ``text`` (an article in ``lang``)."""
    folded = fold(text) if folded is None else folded
    raw = [m for m in mineral_gazetteer(lang).find(text, folded) if m.entry.kind != "blocker"]
    bounds = sentence_bounds or [(0, len(text))]
    out = []
    for m in raw:
        e = m.entry
        if _in_company_name(text, m.start, m.end, lang, bounds):
            continue
        if "critical-minerals" in e.codes and re.match(r"\s+Acts?\b", text[m.end : m.end + 6]):
            continue  # the name of a law ("Critical Raw Materials Act")
        if e.context == "mineral":
            lo, hi = next(((a, b) for a, b in bounds if a <= m.start < b), (0, len(text)))
            others = any(
                o is not m and o.entry.context != "mineral" and lo <= o.start < hi for o in raw
            )
            if not others and not _MINING_CONTEXT.search(folded[lo:hi]):
                continue
        out.append(MineralMention(e.codes, m.start, m.end, m.surface))
    return out
