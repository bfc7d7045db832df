"""Investment facts: a government, state body, company or fund invests in, lends to, finances
or takes a stake in a mine, refinery, plant or project for minerals.

A sentence states one when it has a cue that is not hedged ("plans to invest", "may consider
selling a stake"): an investment word ("invested", "equity stake", "loan", "concessional
equity finance", "investasi", "投资", "出資", "financiamiento", "investi", "Beteiligung",
"empréstimo"...), an acquisition ("bought the Arcadia mine", "paid $180 million for", "收购"),
or building a plant ("membangun kompleks smelter", "construcción de dos plantas"). General
nouns ("coordinated investment", "new investments") count only next to a sum of money.

Investors, one per cue:

- governments: "the Australian government", "O governo dos Estados Unidos", "l'État français",
  a country as the subject ("Japan ... has provided"), or a state body that :data:`AGENCIES`
  knows (DFC, EXIM, JOGMEC, JBIC, KfW, BNDES...): their country code, as the contract asks;
- else the companies named as the subject of the cue (coordinated subjects give one fact each:
  "JOGMEC et Iwatani Corporation ont investi"; "双日と JOGMEC は"), or after "from"/"by";
- in "X sells a stake to Y", the buyer Y.

"Both companies" / "両社" / "该项目" refer to the investment just described: they add its sum.

The host is where the asset is: a place named in the sentence ("in Wagerup, Western
Australia", "salar de Uyuni", "チリ北部で", a capital used as a place), the nationality of the
company invested in ("mineradora brasileira", "豪レアアース大手"), the host of the investment
the previous sentences described (same project), the place named just before "the smelter" /
"smelter tersebut", the country "in the country" refers to, the one other country named, the
seller's (the article's) country for a sale, or, for a government investing with nothing said
of the place, its own country. Minerals are the sentence's (a mineral inside a company's name
does not count, see :mod:`.mentions`), else those of the investment it continues, else the
previous sentence's, else the title's. ``amount_usd`` is set only for sums in US dollars.
One fact per investor, host and set of minerals.

Examples
--------
>>> from cmkg.graph.extraction.document import Document, parse_published
>>> doc = Document("The project in Western Australia will receive USD $200 million in equity "
...                "finance from the Australian government for gallium.", "en", None)
>>> [(f.investor, f.host, f.minerals, f.amount_usd) for f in extract_investments(doc)]
[('AU', 'AU', ('gallium',), 200000000.0)]
"""

from __future__ import annotations

import re

from ..facts import InvestmentFact
from .cues import HEDGE, NEGATION, PLURAL_PARTIES, compile_cue, stage_cues, word_tail
from .document import Document, SentenceView
from .lexicon import fold, is_cjk
from .mentions import find_mineral_mentions

__all__ = ["AGENCIES", "extract_investments"]

_B = r"(?<![\w])"
_E = r"(?![\w])"
INVEST_CUE = compile_cue(
    _B + r"(?:invest(?:s|ed|ing)?|investments?|stakes?|equity|fund(?:ed|s|ing)|"
    r"financ(?:e|ed|es|ing)(?! (?:secretary|minister|ministry|chief|department|director))|"
    r"co-fund\w*|loans?|lend(?:s|ing)?|lent|credit facility|grants?|project costs|"
    r"acquir(?:e|ed|es|ing) (?:a |an )?(?:\d+\s?(?:%|per ?cent) )?(?:stake|interest)|"
    r"investasi|berinvestasi|menginvestasikan|diinvestasikan|menanamkan modal|"
    r"penanaman modal|pendanaan|mendanai|membiayai|saham|menanamkan|ditanamkan|award(?:s|ed)?|"
    r"pembiayaan|pinjaman|suntikan dana|kepemilikan saham|"
    r"inversi(?:ón|ones)|invertir|invirti(?:ó|eron)|invertirá|invierte\w*|financiamiento|"
    r"financiaci(?:ón|ones)|financiar|financi(?:ó|aron)|préstamos?|participación|"
    r"investi|investit|investissements?|investissent|financements?|financer|financé\w*|"
    r"prêts?|fonds propres|subventions?|"
    r"investiert\w*|investieren|investition\w*|beteiligung\w*|beteiligt|finanzierung\w*|"
    r"finanziert\w*|kredit\w*|darlehen|eigenkapital|"
    r"investimentos?|investir|investiu|investirá|investem|financiamentos?|financiar|"
    r"financiou|empréstimos?|participação|aporte|aportou|"
    r"investimento|investito|finanziamento|prestito|partecipazione)"
    + _E
    + r"|投资|投入|出资|入股|持股|股权|融资|贷款|注资|收购|资助|投資|出資|融資|資本参加|"
    r"買収|株式取得|"
    r"資金支援|貸款|투자|출자|지분|융자"
)
# nouns that name investment in general ("coordinated investment", "new investments"): they
# state an investment only with a sum of money in the sentence
_WEAK_CUE = re.compile(
    r"^(?:investments?|investasi|inversi(?:ón|ones)|investissements?|investition\w*|"
    r"investimentos?|financing|financements?|financiamiento|financiaci(?:ón|ones)|"
    r"financiamentos?|finanzierung\w*|funding|finanziamento|pendanaan|pembiayaan|"
    r"award(?:s|ed)?)$"
)
_INVESTOR_NOUN = re.compile(
    r"partners?|investors?|partenaires|investisseurs|parceiros|investidores|socios|inversores|"
    r"inversionistas|mitra|investor|投资者|投資家"
)
# acquisitions of mines and companies, and building a plant, are investments too
ACQUIRE_CUE = compile_cue(
    _B + r"(?:bought|buys|buy|acquired|acquires|acquiring|acquisition of|purchased|purchase of|"
    r"took over|takes over|(?:paid|pay|pays|paying) (?:[^\s.;]+\s+){1,3}for|membeli|"
    r"mengakuisisi|akuisisi|"
    r"compró|compraron|adquirió|adquirieron|adquisición de|racheté|rachète|acquis|rachat de|"
    r"übernommen|übernimmt|kaufte|gekauft|erworben|übernahme|comprou|compraram|adquiriu|"
    r"aquisição de|acquistato|acquisito|rilevato)"
    + _E
    + r"|收购|并购|买下|買収|取得した|権益|股权|权益"
)
BUILD_CUE = compile_cue(
    _B + r"(?:build|builds|building|built|membangun|dibangun|construir|construye|construyó|"
    r"construit|construire|construction of|construction d[e']|construcción de|construção de|"
    r"costruzione di|baut|gebaut|constrói|construiu|costruisce)"
    + r"(?:\s+[^\s.;,]+){0,3}?\s+(?:an?\s+)?(?:[^\s.;,]+\s+)?"
    + r"(?:plant|refinery|smelter|mine|factory|facility|complex|kompleks|smelter|pabrik|"
    r"planta|refinería|usine|raffinerie|werk|anlage|fábrica|usina|refinaria|impianto)"
    + _E
    + r"|(?:建设|建造|兴建|建設)[^，。、]{0,8}(?:工厂|冶炼厂|项目|工場|製錬所)"
)
_ASSET_REF = compile_cue(
    r"(?<![\w])(?:(?:the|this|that) (?:mine|project|plant|refinery|smelter|facility|factory)|"
    r"(?:tambang|proyek|pabrik|smelter) (?:ini|itu|tersebut)|(?:el|este|la|esta) (?:mina|"
    r"proyecto|planta|refinería)|(?:la|cette|le|ce) (?:mine|usine|raffinerie|projet)|(?:die|"
    r"diese|das|dieses) (?:mine|anlage|raffinerie|projekt|werk)|(?:a|esta|o|este) (?:mina|usina|"
    r"refinaria|projeto))(?![\w])|该项目|该厂|同鉱山|同工場|同プロジェクト"
)
_SELL = compile_cue(
    _B + r"(?:sell|sells|selling|sold|sale of|menjual|jual|dijual|vender|vende|vendeu|venta de|"
    r"venda de|"
    r"vendre|vend|cède|céder|cession de|verkauft|verkaufen|verkauf|vendere|venduto)"
    + _E
    + r"|出售|売却|譲渡"
)
_TO_BUYER = re.compile(
    r"\s(?:to|para|à|au|an|kepada|ke|a|al|alla)\s+(?:the\s+|a\s+|o\s+|la\s+|le\s+|l'|"
    r"die\s+|den\s+)?$"
)
_SAME_SUBJECT = re.compile(
    r"(?:^|\s)(?:and|y|e|et|und|dan|serta)\s+(?:(?:is|are|has|have|will|also|was|were|"
    r"sedang|telah|juga|a|ha|hat|está|vai)\s+){0,2}$"
)
_CJK_SUBJECT = re.compile(r"^(?:【[^】]*】)?([^。！？は が]{1,60}?)(?:は|が)")
_ASSET = compile_cue(
    _B + r"(?:mines?|mining|miners?|projects?|plants?|refiner(?:y|ies)|smelters?|facilit(?:y|ies)|"
    r"factor(?:y|ies)|deposits?|operations?|venture|company|companies|producer|processing|"
    r"tambang|proyek|pabrik|smelter|perusahaan|proyecto|planta|refinería|mina|minera|empresa|"
    r"projet|usine|raffinerie|mine|société|coentreprise|projekt|anlage|fabrik|werk|raffinerie|"
    r"mineradora|mina|usina|fábrica|refinaria|projeto|companhia|progetto|impianto|miniera)"
    + _E
    + r"|项目|矿山|工厂|冶炼厂|精炼厂|公司|企业|プロジェクト|鉱山|工場|製錬所|会社|企業|광산|공장"
)
_FUTURE_HEDGE = re.compile(
    r"(?:plans?|planning|aims?|intends?|seeks?|seeking|hopes?|expected|considering|could|may|"
    r"might|would|talks|negotiat\w+|wants?|wishes|berencana|rencana|akan mempertimbangkan|"
    r"planea|prevé|pretende|envisage|prévoit|plant|erwägt|planeja|prevede|拟|计划|予定|検討)\b"
)
AGENCIES: dict[str, str] = {
    "dfc": "US",
    "development finance corporation": "US",
    "corporação financeira dos estados unidos para o desenvolvimento internacional": "US",
    "exim": "US",
    "ex-im bank": "US",
    "export-import bank of the united states": "US",
    "department of defense": "US",
    "pentagon": "US",
    "department of energy": "US",
    "office of strategic capital": "US",
    "jogmec": "JP",
    "japan organization for metals and energy security": "JP",
    "jbic": "JP",
    "japan bank for international cooperation": "JP",
    "nexi": "JP",
    "kfw": "DE",
    "bpifrance": "FR",
    "export finance australia": "AU",
    "efa": "AU",
    "critical minerals facility": "AU",
    "northern australia infrastructure facility": "AU",
    "naif": "AU",
    "canada infrastructure bank": "CA",
    "komir": "KR",
    "kores": "KR",
    "danantara": "ID",
    "china development bank": "CN",
    "sinosure": "CN",
    "european investment bank": "EU",
    "eib": "EU",
    "bndes": "BR",
    "corfo": "CL",
}
_AGENCY_RX = re.compile(
    _B + "(?:" + "|".join(re.escape(k) for k in sorted(AGENCIES, key=len, reverse=True)) + ")" + _E
)
# capitalised names: "Iwatani Corporation", "Japan Organization for Metals and Energy Security"
_NAME = re.compile(
    r"(?<![\w])((?:[A-Z][\w&.'’\-]*|[A-Z]{2,})(?:\s+(?:(?:for|of|and|de|du|des|la|&|e|y|et|und|"
    r"dan|do|da|del|di)\s+)?"
    r"(?:[A-Z][\w&.'’\-]*|\d+))*)(?:\s*\(([A-Z][A-Za-z&\-]{1,12})\))?"
)
_NAME_STOP_TEXT = """The A An In On At For And But Also This That These Those It Its Their Le La
    Les Un Une
    Des El Los Las Un Una O Os As Um Uma Der Die Das Ein Eine Il Lo Gli I Parallèlement
    Additionally However Meanwhile Under According Once Two Three Japan China Australia France
    Mr Ms Dr President Prime Minister Government Governo Gobierno Pemerintah"""
_NAME_STOP = frozenset(_NAME_STOP_TEXT.split())
_FROM_NAME = re.compile(
    r"(?:from|by|with|dari|oleh|de|par|von|pela|pelo|por|da|del)\s+(?:the\s+|la\s+|le\s+|l'|"
    r"a\s+|o\s+|el\s+)?$"
)
_GOV_WORDS = re.compile(r"government|governo|gobierno|gouvernement|état|regierung|pemerintah|政府")
_INHERIT_WORDS = compile_cue(
    _B + r"(?:also|too|similar|same|juga|también|aussi|auch|também|anche|parallèlement|"
    r"additionally|as well)" + _E + r"|也|も|同様"
)


def _hedged(s: SentenceView, start: int, end: int) -> bool:
    f = s.folded
    if is_cjk(f[start]):
        window = f[max(0, start - 8) : end + 8]
        return bool(_FUTURE_HEDGE.search(window) or re.search(r"可能|或将|拟|計画|予定", window))
    before = re.split(r"[,;:]", f[max(0, start - 50) : start])[-1]
    return bool(
        _FUTURE_HEDGE.search(before)
        or (HEDGE.search(before) and not re.search(r"\bwill\b", before))
        or NEGATION.search(word_tail(before, 20))
    )


def _cues(s: SentenceView) -> list[tuple[int, int]]:
    """Investment cues in the sentence (article offsets), hedged ones left out; general nouns
    ("investment") only where the sentence gives a sum of money."""
    out = []
    for rx in (INVEST_CUE, ACQUIRE_CUE, BUILD_CUE):
        for m in rx.finditer(s.folded):
            if _hedged(s, m.start(), m.end()):
                continue
            if rx is INVEST_CUE and not s.amounts and _WEAK_CUE.match(m.group()):
                continue
            out.append((s.start + m.start(), s.start + m.end()))
    out.sort()
    kept: list[tuple[int, int]] = []
    for c in out:
        if kept and c[0] < kept[-1][1]:
            continue
        kept.append(c)
    return kept


_SUFFIX = re.compile(
    r"\b(?:Group|Corp|Corporation|Inc|Ltd|Limited|Resources|Holdings|Mining|Metals|Energy|plc|"
    r"SA|S\.A\.|AG|GmbH|Company|Co|Minerals|Bhd|Tbk|PT)\.?$"
)
_MONTH_NAME = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b"
)
# "the two companies" / "両社": the investors of the previous sentence, not new ones
_BOTH_INVESTORS = compile_cue(
    r"(?<![\w])(?:both companies|the two companies|the two groups|kedua perusahaan|"
    r"ambas empresas|las dos empresas|les deux groupes|les deux entreprises|beide unternehmen|"
    r"die beiden unternehmen|as duas empresas|ambas as empresas)(?![\w])|両社|两家公司|両者"
)
_ZH_SUBJECT = re.compile(
    r"^([\u4e00-\u9fff\w]{2,12}?)(?:\d{1,2}日)?(?:宣布|表示|称|说|透露|公告|发布|在|将|已|拟|"
    r"计划|投资|与|和|于)"
)


_PLACE_NAME = re.compile(
    r"\b(?:Kawasan|Industri|Industrial|Park|Estate|Zone|Zona|Parque|Province|Provinsi|Regency|"
    r"Kabupaten|Sulawesi|Kalimantan|Sumatra|Papua|Maluku|Island|Islands|Pulau)\b"
)
_PLACE_BEFORE = re.compile(r"(?:\bin|\bdi|\bdi kawasan|\bat)\s+$")
# "a CATL-led consortium", "由宁德时代牵头的财团": the consortium's leader is the investor
_LED_BY = re.compile(
    r"^(?:a |an |the )?(.+?)-led (?:consortium|group|joint venture)$|^由(.+?)牵头的"
)


_POSSESSOR = re.compile(r"^[A-Z][\w ]{1,30}?['’]s\s+(?=[A-Z])")


def _leader(name: str) -> str:
    """The investor's name without a consortium's wrapping or a country's possessive
    ("Australia's Lynas Rare Earths" -> "Lynas Rare Earths")."""
    m = _LED_BY.search(name)
    name = (m.group(1) or m.group(2)) if m else name
    return _POSSESSOR.sub("", name)


def _split_buyers(name: str) -> list[str]:
    """Buyers of a stake named together: "Huayou and Ford" -> ["Huayou", "Ford"]."""
    parts = re.split(r"\s+(?:and|dan|y|et|und|e|serta)\s+|,\s+", name)
    return [p for p in parts if p] if len(parts) > 1 else [name]


def _company_names(s: SentenceView, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """Capitalised names between two article offsets that may be companies."""
    out = []
    for m in _NAME.finditer(s.text):
        a = s.start + m.start()
        if not lo <= a < hi:
            continue
        raw = m.group(1)
        name = raw.strip(" .,'’")
        lead = len(raw) - len(raw.lstrip(" .,'’"))
        words = name.split()
        while words and words[0] in _NAME_STOP:
            words = words[1:]
        if not words:
            continue
        full = " ".join(words)
        a += lead + len(name) - len(full)  # "Huayou dan Ford." starts at "H", not at "u"
        name = m.group(2) or full
        if len(name) < 3 or name.lower() in {"usd", "us$", "eur"} or _MONTH_NAME.match(name):
            continue
        b = s.start + m.end()
        if any(
            c.start < b and a < c.end and c.end - c.start >= 0.6 * len(full) for c in s.countries
        ):
            continue  # a country's name, not a company's
        if any(c.end == b and c.start > a for c in s.countries) and not _SUFFIX.search(full):
            continue  # "Neighbouring Indonesia"
        if any(r.start <= a < r.end for r in s.regions):
            continue  # a place
        if _PLACE_NAME.search(full) or _PLACE_BEFORE.search(s.local(max(s.start, a - 4), a)):
            continue  # "Kawasan Industri Weda Bay", "Morowali Industrial Park", "in Kuantan"
        out.append((name, a, b))
    return out


def _cjk_subjects(s: SentenceView) -> list[str]:
    m = _CJK_SUBJECT.match(s.text) or _ZH_SUBJECT.match(s.text)
    if not m:
        return []
    if re.match(r"(?:该|此|这|這|本|同|その|この)", m.group(1)):
        return []  # "该项目位于...": the project already named
    parts = re.split(r"と|、|及び|および|和|与|及", m.group(1))
    return [p.strip() for p in parts if p.strip()]


def _agency(text: str) -> str | None:
    m = _AGENCY_RX.search(fold(text))
    return AGENCIES[m.group()] if m else None


def _governments(s: SentenceView, cue_start: int) -> list[str]:
    out: list[str] = []
    for m in s.countries:
        if m.roles & {"target", "source", "location", "org", "company"}:
            continue
        gov = "government" in m.roles or "official" in m.roles
        lead = s.local(s.start, m.start).strip(" \"'“(-")
        after = s.text[m.end - s.start : m.end - s.start + 4]
        subject = m.start < cue_start and (
            (not lead and not re.match(r"^'s?\s*[A-Z]", after.replace("’", "'")))
            or _GOV_WORDS.search(s.local(m.start - 25, m.end + 12))
        )
        if gov or subject:
            for c in m.codes:
                if c not in out:
                    out.append(c)
    return out


def _buyer(s: SentenceView, cue_end: int) -> tuple[str, int] | None:
    """In "X sells a stake to Y", the name or government after "to"."""
    for name, a, _ in _company_names(s, cue_end, s.end):
        if _TO_BUYER.search(s.local(max(s.start, a - 12), a)):
            code = _agency(name)
            return (code or name), a
    for m in s.countries:
        if m.start >= cue_end and _TO_BUYER.search(s.local(max(s.start, m.start - 12), m.start)):
            return m.codes[0], m.start
    return None


def _investors(s: SentenceView, cue: tuple[int, int], seg_start: int, first: bool) -> list[str]:
    """Investors of one cue: governments and state bodies (codes), else companies (names)."""
    cs, ce = cue
    if _SAME_SUBJECT.search(s.local(seg_start, cs)) and not first:
        return []  # "bought the mine ... and is building a plant": the same investor
    if is_cjk(s.folded[0] if s.folded else "a"):
        out: list[str] = []
        for part in _cjk_subjects(s):
            code = _agency(part)
            if code is None:
                c = next((m for m in s.countries if m.surface in part), None)
                code = c.codes[0] if c is not None and "company" not in c.roles else None
            name = code or part
            if name not in out:
                out.append(name)
        return out if first else []
    out = _governments(s, cs) if first else []
    agency_spans = []
    for m in _AGENCY_RX.finditer(s.folded):
        agency_spans.append((s.start + m.start(), s.start + m.end()))
        code = AGENCIES[m.group()]
        if first and code not in out:
            out.append(code)
    names = [
        (n, a)
        for n, a, b in _company_names(s, seg_start, cs)
        if n.lower() not in AGENCIES and not any(x < b and a < y for x, y in agency_spans)
    ]
    if not names:
        for n, a, b in _company_names(s, ce, s.end):
            if any(x < b and a < y for x, y in agency_spans) or n.lower() in AGENCIES:
                continue
            if _FROM_NAME.search(s.local(max(s.start, a - 12), a)):
                names = [(n, a)]
                break
    if names:
        if len(names) >= 2 and _coordinated(s, names[-2:]):
            picked = names[-2:]
        elif not out or any(
            _coordinated(s, [(n, a), ("", b)]) for n, a in names[-1:] for _, b in agency_spans
        ):
            picked = names[-1:]
        else:
            picked = []
        for n, _ in picked:
            if n not in out:
                out.append(n)
    return out


def _coordinated(s: SentenceView, names: list[tuple[str, int]]) -> bool:
    a, b = sorted((names[0][1], names[1][1]))
    gap = s.local(a, b)
    return bool(re.search(r"\b(?:and|et|y|e|und|dan|com|with)\b", gap)) and len(gap) < 90


def _host(
    doc: Document,
    s: SentenceView,
    investor: str,
    inherit: dict | None,
    cue_start: int,
    buyer_at: int | None,
) -> str | None:
    limit = buyer_at if buyer_at is not None else s.end
    for r in s.regions:
        if r.start < limit:
            return r.code
    for m in s.countries:
        if "location" in m.roles and m.start < limit:
            return m.codes[0]
    cjk = is_cjk(s.folded[0] if s.folded else "a")
    subject_end = s.start + (
        _CJK_SUBJECT.match(s.text).end() if cjk and _CJK_SUBJECT.match(s.text) else 0
    )
    for m in s.countries:
        after = m.start >= subject_end if cjk else m.start > cue_start
        if (
            "company" in m.roles
            and m.codes[0] != investor
            and after
            and m.start < limit
            and not _INVESTOR_NOUN.search(s.local(m.start - 30, m.end + 30))
        ):
            return m.codes[0]
    if inherit is not None:
        return inherit["host"]
    if _ASSET_REF.search(s.folded):  # "the smelter", "smelter tersebut": placed before
        for v in doc.before(s, 2):
            for r in v.regions:
                return r.code
            for m in v.countries:
                if "location" in m.roles and m.codes[0] != investor:
                    return m.codes[0]
    anaphor = doc.anaphor_country(s)
    if anaphor and anaphor != investor:
        return anaphor
    others = {
        c
        for m in s.countries
        if not (m.roles & {"source", "org", "official", "government", "company", "target"})
        and m.start < limit
        for c in m.codes
        if c != investor
    }
    if len(others) == 1:
        return others.pop()
    if buyer_at is not None and doc.home:
        return doc.home  # "X sells a stake to Y": the seller's, that is the article's, country
    if len(investor) == 2 and investor.isupper():
        return investor
    return None


def _stage(doc: Document, s: SentenceView, inherited: dict | None) -> str | None:
    """The stage of the asset: said in the sentence, else in the investment it continues, else
    where the article first presents a project (title or opening sentences)."""
    for _, _, st in stage_cues(s.folded):
        if st != "reserves":
            return st
    if inherited is not None and inherited["stage"]:
        return inherited["stage"]
    for v in doc.sentences[:4]:
        if _ASSET.search(v.folded):
            for _, _, st in stage_cues(v.folded):
                if st != "reserves":
                    return st
    return None


def _amount(s: SentenceView, cue: tuple[int, int], next_cue: int) -> float | None:
    usd = [a for a in s.amounts if a.usd]
    after = [a for a in usd if cue[0] <= a.start < next_cue]
    if after:
        return after[0].value
    before = [a for a in usd if a.end <= cue[0]]
    return (
        before[-1].value
        if before and is_cjk(s.folded[0] if s.folded else "a")
        else (usd[0].value if len(usd) == 1 else None)
    )


def extract_investments(doc: Document) -> list[InvestmentFact]:
    """The investments stated in ``doc`` (one fact per investor, host and minerals)."""
    facts: list[dict] = []
    title_minerals = doc.title.mineral_ids() if doc.title else []
    for s in doc.sentences:
        cues = _cues(s)
        if not cues or PLURAL_PARTIES.search(s.folded):
            continue
        if _BOTH_INVESTORS.search(s.folded):
            # "両社は計12億ドルを出資する": the sum of the investment just described
            usd = next((a.value for a in s.amounts if a.usd), None)
            for f in facts:
                if s.index - f["index"] <= 1 and f["amount"] is None:
                    f["amount"] = usd
            continue
        pairs: list[tuple[str, tuple[int, int], int, int | None]] = []
        seg_start = s.start
        for i, cue in enumerate(cues):
            next_cue = cues[i + 1][0] if i + 1 < len(cues) else s.end
            buyer = None
            if _SELL.search(s.local(seg_start, cue[1] + 2)):
                buyer = _buyer(s, cue[1])
                if buyer is None:
                    seg_start = cue[1]
                    continue  # a sale with no buyer named: the seller is not an investor
            invs = _split_buyers(buyer[0]) if buyer else _investors(s, cue, seg_start, not pairs)
            for inv in invs:
                if inv not in [p[0] for p in pairs]:
                    pairs.append((inv, cue, next_cue, buyer[1] if buyer else None))
            seg_start = cue[1]
        if not pairs:
            prev_fact = next((f for f in reversed(facts) if f["index"] == s.index - 1), None)
            usd = next((a.value for a in s.amounts if a.usd), None)
            if prev_fact is not None and prev_fact["amount"] is None and usd is not None:
                for f in facts:  # "该项目...总投资12.8亿美元": the sum of the one just named
                    if f["index"] == s.index - 1 and f["amount"] is None:
                        f["amount"] = usd
            continue
        previous = next(
            (f for f in reversed(facts) if s.index - f["index"] <= 2 and not f["title"]), None
        )
        new_place = bool(s.regions or any("location" in m.roles for m in s.countries))
        inherit = previous if not new_place else None
        minerals = [i for i in s.mineral_ids() if i != "critical-minerals"]
        if not minerals and inherit is not None:
            minerals = list(inherit["minerals"])
        if not minerals and not _ASSET.search(s.folded):
            continue
        if not minerals and s.index > 0 and not s.is_title:
            prev = doc.sentences[s.index - 1]
            if not prev.is_title:
                minerals = [i for i in prev.mineral_ids() if i != "critical-minerals"]
        if not minerals:
            minerals = [i for i in title_minerals if i != "critical-minerals"] or title_minerals
        if not minerals:  # "Lynas Rare Earths will invest ...": the company's own mineral
            named = find_mineral_mentions(" ".join(p[0] for p in pairs), doc.lang)
            minerals = [i for m in named for i in m.ids if i != "critical-minerals"]
        date = next((d.value for d in s.dates if d.relation is None), None)
        stage = _stage(doc, s, inherit)
        for investor, cue, next_cue, buyer_at in pairs:
            inv_code = investor if len(investor) == 2 and investor.isupper() else ""
            host = _host(doc, s, inv_code, inherit, cue[0], buyer_at)
            if host is None:
                continue
            support = [s]
            if inherit is not None and _INHERIT_WORDS.search(s.folded) and not s.mineral_ids():
                prev_s = doc.sentences[inherit["index"]]
                if s.index - prev_s.index == 1:
                    support = [prev_s, s]
            facts.append(
                {
                    "investor": investor,
                    "host": host,
                    "minerals": minerals,
                    "stage": stage,
                    "amount": _amount(s, cue, next_cue),
                    "date": date,
                    "index": s.index,
                    "title": s.is_title,
                    "support": support,
                }
            )
    merged: list[dict] = []
    for f in facts:
        for g in merged:
            if (
                g["investor"] == f["investor"]
                and g["host"] == f["host"]
                and set(g["minerals"]) == set(f["minerals"])
                and (g["amount"] is None or f["amount"] is None or g["amount"] == f["amount"])
            ):
                g["amount"] = g["amount"] or f["amount"]
                g["date"] = g["date"] or f["date"]
                if g["title"] and not f["title"]:
                    g["support"], g["title"] = f["support"], False
                break
        else:
            merged.append(f)
    out = []
    for g in merged:
        evidence, start, end = doc.evidence(g["support"])
        out.append(
            InvestmentFact(
                investor=_leader(g["investor"]),
                host=g["host"],
                minerals=tuple(g["minerals"]),
                stage=g["stage"],
                amount_usd=g["amount"],
                date=g["date"],
                evidence=evidence,
                evidence_start=start,
                evidence_end=end,
            )
        )
    return out
