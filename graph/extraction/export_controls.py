"""Export-control facts: a government bans, licenses, caps, taxes or tightens exports of
minerals, or lifts such a measure.

A sentence states one when it has an export-control cue ("export ban", "require export
permits", "suspend cobalt exports", "larangan ekspor", "出口管制", "輸出規制", "restricciones a
la exportación", "contrôles à l'exportation", "Ausfuhrbeschränkungen", "restrições às
exportações"...) and names a mineral (or introduces a list of bullets that do). In an article
that has such a cue, bare "curbs", "restrictions" or "controls" next to a mineral also count.
The measure is read from the words around the cue (``lifting`` before ``ban`` before ``quota``,
``tax``, ``licensing``, ``tightening``); generic "export controls" are ``licensing`` where the
article speaks of licences, else ``tightening``. Hedged cues ("could ban", "可能性") are left out.

The minerals are those of the cue's clause ("Indonesia will ban exports of bauxite ore,
extending a policy that drew investment into nickel smelting": bauxite only); a sentence with a
cue and no mineral that goes on about a measure stated in the last few sentences by the same
government ("the government will not extend export permits after May 2024") is that measure's
continuation, a new fact only if its measure differs. Where a sentence names several measures
("lift the suspension and replace it with quotas") each is a fact.

The acting country is the first country in the sentence that is not a destination ("exports to
the US") or a source of information; failing that, the next sentence when it goes on about the
measure, the earlier sentences, or, for "the government" / "商务部" left unnamed, the article's
home country. Statements by one country on overlapping minerals are one measure unless one is
said to be older ("already", "since Aug 1"), their dates differ, their specific measures differ
(a ban is not a licence), or one lifts the other.

Examples
--------
>>> from cmkg.graph.extraction.document import Document, parse_published
>>> doc = Document("China will require export permits for some graphite products from Dec 1.",
...                "en", parse_published("2023-10-20"))
>>> [(f.country, f.minerals, f.measure) for f in extract_export_controls(doc)]
[('CN', ('graphite',), 'licensing')]
"""

from __future__ import annotations

import re

from ..facts import ExportControlFact
from .cues import (
    GOVERNMENT_NOUN,
    HEDGE,
    NEGATION,
    Cue,
    _top_level_split,
    compile_cue,
    word_tail,
)
from .document import Document, SentenceView
from .lexicon import is_cjk, mineral_parent

__all__ = ["extract_export_controls"]

_B = r"(?<![\w])"
_E = r"(?![\w])"
_CONTROL_VERBS = (
    r"ban|bans|banned|banning|prohibit(?:s|ed|ing)?|restrict(?:s|ed|ing)?|curb(?:s|ed|ing)?|"
    r"halt(?:s|ed|ing)?|suspend(?:s|ed|ing)?|suspension of|stop(?:s|ped|ping)?|limit(?:s|ed|ing)?|"
    r"block(?:s|ed|ing)?|control(?:s|led|ling)?|tighten(?:s|ed|ing)?|lift(?:s|ed|ing)?|"
    r"ease[sd]?|easing|scrap(?:s|ped)?|resum(?:e|es|ed|ing)|impos(?:e|es|ed|ing)|license[sd]?|"
    r"licensing|cap(?:s|ped)?|freez(?:e|es|ing)|froze"
)
EXPORT_CUE = compile_cue(
    _B + r"(?:export (?:ban|bans|restrictions?|curbs?|controls?|licen[cs]es?|licensing|permits?|"
    r"quotas?|tax|taxes|dut(?:y|ies)|levy|levies|prohibition|embargo|suspension|halt|freeze|"
    r"limits?|rules?|regime|measures?)|"
    rf"(?:{_CONTROL_VERBS})(?:\s+[^\s.;]+){{0,6}}?\s+(?:exports?|shipments abroad)|"
    r"(?:exports?|shipments) of (?:[^\s.;]+\s+){0,6}?(?:banned|halted|suspended|restricted|"
    r"curbed|controlled|were banned)|"
    r"exporters (?:are|will be|must|have to|need to|would be) (?:required|obliged|asked|\w+ to)|"
    r"exporters (?:[^\s.;]+\s+){0,5}?(?:face|faced|will face) (?:stricter|tighter|tougher|new) "
    r"(?:[^\s.;]+\s+){0,2}?(?:reviews|checks|controls|scrutiny|rules)|"
    r"exporters (?:of (?:[^\s.;]+\s+){1,4}?)?(?:have|has|had) (?:needed|required|had to obtain) "
    r"(?:an? |export )*(?:licen[cs]es?|permits?)|"
    r"require[sd]? (?:[^\s.;]+\s+){0,3}?export (?:licen[cs]es|permits)|"
    r"(?:require[sd]?|requiring|introduc\w+|impos\w+)\s+(?:[^\s.;]+\s+){0,2}?"
    r"(?:licen[cs]es|permits)\s+for\s+(?:[^\s.;]+\s+){0,5}?(?:exports?|shipments?)|"
    r"(?:added to|included in|removed from|taken off) (?:the |its |a )?(?:export[- ])?"
    r"(?:control|licensing|licence|license) list|"
    r"(?:larangan|pelarangan|pembatasan|penghentian|kontrol|pengendalian|kuota|izin|bea|pajak|"
    r"moratorium|penangguhan|relaksasi)\s+(?:[^\s.;]+\s+){0,2}?ekspor|"
    r"(?:melarang|menghentikan|membatasi|mengendalikan|memperketat|menangguhkan|menyetop|stop|"
    r"setop|mencabut|melonggarkan|membuka kembali)\s+(?:[^\s.;]+\s+){0,3}?ekspor|"
    r"ekspor\s+(?:[^\s.;]+\s+){0,4}?(?:dilarang|dihentikan|dibatasi|distop)|bea keluar|"
    r"(?:restricci[oó]n(?:es)?|prohibici[oó]n(?:es)?|control(?:es)?|licencias?|permisos?|"
    r"cuotas?|impuestos?|aranceles?|suspensi[oó]n|veto|limitaci[oó]n(?:es)?)\s+(?:a|de|sobre|"
    r"para)\s+(?:la\s+|las\s+|los\s+|el\s+)?exportaci(?:ón|ones)|"
    r"(?:prohib\w+|restring\w+|suspend\w+|limit\w+|frena\w*|veta\w*|bloque\w+|levant\w+)\s+"
    r"(?:[^\s.;]+\s+){0,4}?(?:la\s+|las\s+)?exportaci(?:ón|ones)|"
    r"exportaci(?:ón|ones) de (?:[^\s.;]+\s+){0,4}?(?:prohibid|suspendid|restringid)\w*|"
    r"(?:restrictions?|interdictions?|contr[oô]les?|licences?|permis|quotas?|taxes?|suspension|"
    r"embargo|limitations?)\s+(?:à|aux|des|sur les|de l'|d')\s*export\w*|"
    r"(?:interdi\w+|restreint\w*|restreindre|suspend\w+|limit\w+|frein\w+|bloqu\w+|lev\w+)\s+"
    r"(?:[^\s.;]+\s+){0,4}?(?:les\s+|l'|d')?exportations?|"
    # "will not extend / renew export permits" is a ban from that date
    r"(?:tidak|not|won't|no|ne|nicht|não|no)\s+(?:akan\s+|will\s+|to\s+)?(?:memperpanjang|"
    r"perpanjang|extend|renew|prolonger|renouveler|verlängern|prorrogar|renovar)\s+"
    r"(?:[^\s.;]+\s+){0,2}?(?:izin|permits?|licen[cs]es?|licences?|lizenzen|licencias|"
    r"licenças)\s+(?:ekspor|export\w*|for exports?|de exportación|de exportação)|"
    r"(?:restriç(?:ão|ões)|proibiç(?:ão|ões)|controles?|controlos?|licenças?|cotas?|impostos?|"
    r"suspensão|embargo|limitaç(?:ão|ões))\s+(?:à|às|de|das|sobre as|para)\s+"
    r"(?:a\s+|as\s+)?exportaç(?:ão|ões)|"
    r"(?:proib\w+|restring\w+|suspend\w+|limit\w+|bloque\w+|interromp\w+)\s+"
    r"(?:[^\s.;]+\s+){0,4}?(?:as\s+|a\s+)?exportaç(?:ão|ões)|"
    r"(?:divieto|divieti|restrizioni|controlli|licenze|quote|sospensione|blocco)\s+"
    r"(?:all'|alle|sulle|di|delle)\s*esportazion\w+|"
    r"(?:vieta\w*|bloccat\w*|sospes\w*|limitat\w*)\s+(?:[^\s.;]+\s+){0,4}?(?:le\s+)?esportazion\w+)"
    + _E
    + r"|(?:export|ausfuhr)\w*\s+(?:[^\s.;]+\s+){0,6}?(?:ausgesetzt|gestoppt|verboten|"
    r"untersagt|eingeschränkt|beschränkt|begrenzt|eingestellt)\b|"
    r"(?:setzt|setzte|setzen|stoppt|stoppte)\s+(?:[^\s.;]+\s+){0,4}?(?:export|ausfuhr)\w*"
    r"(?:\s+[^\s.;]+){0,5}?\s+aus\b|"
    r"(?:genehmigung|lizenz|verbot|beschränkung|kontrolle|quote|zoll|zölle)\w*\s+"
    r"(?:für|auf|der|von|bei)\s+(?:die\s+|den\s+|der\s+)?(?:export|ausfuhr)\w*|"
    r"(?:export|ausfuhr)(?:verbot|kontroll|beschränkung|restriktion|lizenz|genehmigung|stopp|"
    r"quote|zoll|zölle|steuer|sperre|begrenzung|regel)\w*|"
    r"(?:verbiet\w*|verbot\w*|beschränk\w*|stopp\w*|begrenz\w*|kontrollier\w*)\s+"
    r"(?:[^\s.;]+\s+){0,4}?(?:den\s+|die\s+)?(?:export|ausfuhr)\w*|"
    r"出口管制|出口限制|出口禁令|禁止[^，。,]{0,12}出口|暂停[^，。,]{0,8}出口|限制[^，。,]{0,8}出口|"
    r"出口许可|出口配额|出口关税|出口税|停止出口|出口管控|出口管理|出口禁止|輸出規制|輸出管理|輸出禁止|"
    r"禁輸|輸出制限|輸出許可|輸出停止|輸出税|輸出枠|輸出を(?:禁止|停止|制限|規制)|輸出管制|"
    r"수출[을를]?\s?(?:통제|규제|금지|제한|허가)|수출[을를]? 허가제"
)
# bare measure nouns, counted only in articles that have an explicit export cue
BARE_CUE = compile_cue(
    _B + r"(?:curbs|restrictions|controls|ban|measures|pembatasan|larangan|restricciones|"
    r"restrictions|contrôles|beschränkungen|kontrollen|restrições|controles|controlli|"
    r"restrizioni|divieto|(?:stricter|tighter|tougher)\s+(?:[^\s.;]+\s+){0,2}?(?:controls|"
    r"reviews|checks|scrutiny|rules))" + _E + r"|管制|規制|통제|규제"
)
_MEASURES = [
    (
        "lifting",
        r"lift(?:s|ed|ing)?|ease[sd]?|easing|scrap(?:s|ped)?|resum\w+|remov\w+|"
        r"mencabut|melonggarkan|membuka kembali|relaksasi|解除|取消|暂停实施|停止实施|緩和|"
        r"levant\w+|"
        r"lev(?:é|ée|er|ant)|aufgehoben|aufheb\w*|gelockert|suspend\w* (?:the|la|a|le) "
        r"(?:ban|prohibi\w+|interdiction|proibição)|retir\w+",
    ),
    (
        "ban",
        r"bans?|banned|banning|prohibit\w*|halt\w*|stop\w*|suspen\w+|embargo|freez\w+|froze|"
        r"ausgesetzt|aussetz\w*|untersagt|not extend|tidak akan memperpanjang|larangan|melarang|"
        r"menghentikan|penghentian|setop|禁止|禁令|暂停|停止|禁輸|prohib\w+|"
        r"interdi\w+|verbot\w*|verbiet\w*|exportstopp|proib\w+|divieto|vieta\w*|금지",
    ),
    ("quota", r"quotas?|kuota|配额|輸出枠|cuotas?|quoten?|cotas?|\bcap(?:s|ped)?\b"),
    (
        "tax",
        r"tax|taxes|dut(?:y|ies)|levy|levies|bea keluar|pajak|关税|出口税|輸出税|impuesto\w*|"
        r"arancel\w*|taxe\w*|zoll|zölle|steuer\w*|imposto\w*|dazi",
    ),
    (
        "licensing",
        r"licen[cs]\w*|permits?|izin|perizinan|许可|許可|licencia\w*|lizenz\w*|"
        r"genehmigung\w*|licença\w*|licenze|허가",
    ),
    (
        "tightening",
        r"tighten\w*|expand\w*|widen\w*|strengthen\w*|restrict\w*|curb\w*|limit\w*|"
        r"strict\w*|tougher|tighter|"
        r"memperketat|pembatasan|membatasi|收紧|扩大|加强|限制|強化|制限|endurec\w+|restric\w+|"
        r"renforc\w+|restreint\w*|verschärf\w+|beschränk\w+|restriç\w+|inaspri\w+",
    ),
]


def _words(pattern: str) -> Cue:
    """An alternation of words, each Latin-script one starting at a word boundary
    ("easing" must not match inside "increasing")."""
    parts = _top_level_split(pattern)
    latin = [p for p in parts if not is_cjk(p[0])]
    cjk = [p for p in parts if is_cjk(p[0])]
    return compile_cue(rf"(?<![\w])(?:{'|'.join(latin)})" + ("|" + "|".join(cjk) if cjk else ""))


_MEASURE_RX = [(k, _words(p)) for k, p in _MEASURES]
_LICENCE_WORDS = re.compile(r"licen[cs]|permit|izin|许可|許可|licencia|lizenz|licença|licenze")
_PRIOR = compile_cue(
    _B + r"(?:already|since|previously|earlier|existing|in place|sudah|telah lama|sejak|ya|"
    r"desde|anteriormente|déjà|depuis|bereits|schon|seit|já|già)"
    + _E
    + r"|已经|此前|早已|既に|すでに|以前から|이미"
)
_MEASURE_REF = re.compile(
    r"^\W*(?:the|these|those|such) (?:restrictions|curbs|controls|measures|ban|rules)|"
    r"^\W*(?:pembatasan|larangan|kebijakan) (?:ini|tersebut)|^\W*(?:该|此|这些)(?:措施|管制)|"
    r"^\W*(?:las|estas) (?:restricciones|medidas)|^\W*(?:ces|les) (?:restrictions|mesures)|"
    r"^\W*(?:die|diese) (?:beschränkungen|kontrollen|maßnahmen)|"
    r"^\W*(?:as|essas) (?:restrições|medidas)"
)
_NOT_ACTOR = frozenset({"target", "source", "org", "company"})
# where the clause of a cue ends: "Indonesia will ban exports of bauxite ore, extending a
# policy that ... nickel smelting industry" (nickel is not what is banned)
_CLAUSE_END = compile_cue(
    r"(?<![\w]),\s+(?:extending|which|who|while|as|after|before|but|whereas|following|amid|"
    r"despite|citing|yang|sementara|setelah|que|qui|mais|alors|während|wobei|nachdem|enquanto|"
    r"mas|mentre|ma)(?![\w])|;|\s[-–—]\s|，(?:此前|随后|但|而)|、ただ"
)
_YEAR_CONTEXT = re.compile(
    r"(?:\b(?:in|since|pada|tahun|sejak|en|em|im|seit|depuis|desde|dal|nel)\s+|[自从])"
    r"((?:19|20)\d{2})(?!\d)|((?:19|20)\d{2})\s?年"
)


def _clause(s: SentenceView, start: int, end: int) -> tuple[int, int]:
    """Sentence-relative bounds of the clause around a cue at ``start:end``."""
    lo, hi = 0, len(s.folded)
    for m in _CLAUSE_END.finditer(s.folded):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return lo, hi


def _hedged(s: SentenceView, start: int, end: int) -> bool:
    f = s.folded
    if is_cjk(f[start]) or is_cjk(f[end - 1]):
        window = f[max(0, start - 10) : end + 10]
        return bool(HEDGE.search(window) or re.search(r"不会|未|没有|しない", window))
    clauses = re.split(r"[,;:]", f[max(0, start - 70) : start])
    before = word_tail(clauses[-1], 45)
    if len(clauses) > 1 and re.match(
        r"\s*(?:that|dass|daß|que|qu'|bahwa|che|whether|ob)\b", before
    ):
        before = word_tail(clauses[-2], 40) + before  # "it is possible that Beijing imposes ..."
    after = re.split(r"[,;:.]", f[end : end + 25])[0]
    return bool(
        HEDGE.search(before) or HEDGE.search(after) or NEGATION.search(word_tail(before, 20))
    )


def _measure(doc: Document, s: SentenceView, start: int, end: int) -> str:
    own = s.folded[start:end]
    for kind, rx in _MEASURE_RX:
        if kind != "lifting" and rx.search(own):
            break
    else:
        kind = ""
    window = s.folded[max(0, start - 30) : end + 30]
    lifting = dict(_MEASURE_RX)["lifting"].search(window)
    if kind and not lifting:
        return kind  # the cue's own words first: "require export licences for X and ban Y"
    for kind, rx in _MEASURE_RX:
        if rx.search(window):
            return kind
    return "licensing" if _LICENCE_WORDS.search(doc.folded) else "other"


_GENERIC = frozenset({"other", "tightening"})
_EXTRA_MEASURES = ("lifting", "quota")


def _compatible(a: dict, b: dict) -> bool:
    """Whether two statements may be the same measure."""
    if a["country"] != b["country"] or a["prior"] != b["prior"]:
        return False
    if a["measure"] != b["measure"] and not ({a["measure"], b["measure"]} & _GENERIC):
        return False
    if ("lifting" in (a["measure"], b["measure"])) and a["measure"] != b["measure"]:
        return False
    da, db = a["date"], b["date"]
    if da and db and not (da.startswith(db[:7]) or db.startswith(da[:7])):
        return False  # two dates: two measures ("since 2020" and "from June 2023")
    return _related(a["minerals"], b["minerals"])


def _actor(doc: Document, s: SentenceView) -> tuple[str | None, list[SentenceView]]:
    """The acting government's code and any neighbouring sentence used to find it."""
    ms = [m for m in s.countries if not (m.roles & _NOT_ACTOR)]
    plain = [m for m in ms if "official" not in m.roles]
    if plain:
        return plain[0].codes[0], []
    nxt = doc.after(s)
    if nxt is not None and not nxt.is_title and _MEASURE_REF.search(nxt.folded):
        codes = nxt.country_codes(exclude=_NOT_ACTOR)
        if codes:
            return codes[0], [nxt]
    for prev in doc.before(s, 3):
        codes = prev.country_codes(exclude=_NOT_ACTOR)
        if codes and (not ms or codes[0] not in {c for m in ms for c in m.codes}):
            return codes[0], [prev] if prev.index == s.index - 1 else []
        if codes:
            break
    if ms:
        return ms[0].codes[0], []
    if GOVERNMENT_NOUN.search(s.folded) and doc.home:
        return doc.home, []
    return None, []


def _bullet_minerals(doc: Document, s: SentenceView) -> list[str]:
    """Minerals of the bullet list that a sentence ending in ":" introduces."""
    if not s.text.rstrip().endswith((":", "：")):
        return []
    out: list[str] = []
    for v in doc.sentences[s.index + 1 : s.index + 40]:
        if not v.sentence.is_bullet:
            break
        ids = v.mineral_ids()
        if ids and ids[0] not in out and re.match(r"^\W*[\w\s-]{0,30}\W*$", v.text[:40]):
            out.append(ids[0])
    return out


def _related(a: list[str], b: list[str]) -> bool:
    sa, sb = set(a), set(b)
    if sa & sb:
        return True
    return any(mineral_parent(x) in sb for x in sa) or any(mineral_parent(x) in sa for x in sb)


def _units(
    doc: Document, s: SentenceView, cues: list[re.Match[str]]
) -> list[tuple[re.Match[str], int, int, str | None]]:
    """The measures a sentence states, each as (cue, clause start, clause end, measure).

    One unit per sentence (its measure ``None``: read from the cue), unless the clause names
    different measures each followed by its own minerals ("will require export licences for
    gallium and will ban exports of graphite"): then one unit per measure word, reaching from
    it to the next one.
    """
    lo, hi = _clause(s, cues[0].start(), cues[0].end())
    hits: list[tuple[int, str]] = []
    for kind, rx in _MEASURE_RX:
        if kind == "lifting":
            continue
        hits.extend((m.start() + lo, kind) for m in rx.finditer(s.folded[lo:hi]))
    hits.sort()
    steps = [h for i, h in enumerate(hits) if i == 0 or h[1] != hits[i - 1][1]]
    if len({k for _, k in steps}) > 1 and not dict(_MEASURE_RX)["lifting"].search(s.folded):
        units = []
        for i, (at, kind) in enumerate(steps):
            a = lo if i == 0 else at
            b = steps[i + 1][0] if i + 1 < len(steps) else hi
            if not s.mineral_ids(s.start + a, s.start + b):
                break
            units.append((cues[0], a, b, kind))
        else:
            return units
    return [(cues[0], lo, hi, None)]


def extract_export_controls(doc: Document) -> list[ExportControlFact]:
    """The export-control measures stated in ``doc`` (one fact per measure)."""
    explicit = any(EXPORT_CUE.search(s.folded) for s in doc.sentences)
    if not explicit:
        return []
    found: list[dict] = []
    for s in doc.sentences:
        cues = [m for m in EXPORT_CUE.finditer(s.folded) if not _hedged(s, m.start(), m.end())]
        if not cues:
            cues = [m for m in BARE_CUE.finditer(s.folded) if not _hedged(s, m.start(), m.end())]
        if not cues:
            continue
        for cue, lo, hi, split in _units(doc, s, cues):
            scoped = s.mineral_ids(s.start + lo, s.start + hi)
            if split is None:
                scoped = scoped or s.mineral_ids()
            minerals = [i for i in scoped if i != "critical-minerals"] or scoped
            minerals = minerals or _bullet_minerals(doc, s)
            continued = None
            if not minerals:
                # a sentence that goes on about the measure just stated: "the government will not
                # extend export permits after May 2024"
                continued = next(
                    (
                        f
                        for f in reversed(found)
                        if 0 < s.index - f["index"] <= 4 and not f["title"]
                    ),
                    None,
                )
                if continued is None:
                    continue
                minerals = list(continued["minerals"])
            country, extra = _actor(doc, s)
            if continued is None and not any(not (m.roles & _NOT_ACTOR) for m in s.countries):
                # no government named: a restatement of a measure already stated on these
                # minerals ("the graphite ban on shipments to the US takes effect") is that one
                earlier = next(
                    (f for f in reversed(found) if _related(f["minerals"], minerals)),
                    found[-1] if found else None,
                )
                if earlier is not None:
                    country, extra = earlier["country"], []
            if continued is not None:
                if country is not None and country != continued["country"] and s.countries:
                    continue  # another government's measures: "the US widened curbs on chips"
                country, extra = continued["country"], []
            if country is None:
                continue
            measure = split or _measure(doc, s, cue.start(), cue.end())
            date = next((d.value for d in s.dates if d.relation is None), None)
            prior = bool(_PRIOR.search(s.folded))
            if continued is not None:
                prior = continued["prior"]
                if measure in _GENERIC:
                    measure = continued["measure"]
            if date is None and s.dates and prior:
                date = s.dates[0].value
            if date is None:  # "halting nickel ore exports in 2020"
                ym = _YEAR_CONTEXT.search(s.folded[lo:hi])
                date = (ym.group(1) or ym.group(2)) if ym else None
            support = sorted([s, *extra], key=lambda v: v.index)
            measures = [measure]
            for kind in _EXTRA_MEASURES:  # "lift the suspension ... and replace it with quotas"
                near = s.folded[max(0, cue.start() - 60) : cue.end() + 90]
                if kind not in measures and dict(_MEASURE_RX)[kind].search(near):
                    measures.append(kind)
            for kind in measures:
                found.append(
                    {
                        "country": country,
                        "minerals": list(minerals),
                        "measure": kind,
                        "date": date,
                        "prior": prior and kind not in _EXTRA_MEASURES,
                        "support": support,
                        "weight": 0 if s.is_title else 2,
                        "index": s.index,
                        "title": s.is_title,
                    }
                )
            if "lifting" in measures and prior and _MEASURE_RX[1][1].search(s.folded):
                # the measure being lifted, in force since an earlier date
                since = next((d.value for d in s.dates if d.relation == "since"), None)
                found.append(
                    {
                        "country": country,
                        "minerals": list(minerals),
                        "measure": "ban",
                        "date": since,
                        "prior": True,
                        "support": support,
                        "weight": 0 if s.is_title else 2,
                        "index": s.index,
                        "title": s.is_title,
                    }
                )
    merged: list[dict] = []
    for f in found:
        for g in merged:
            if _compatible(g, f):
                if g["title"] and not f["title"]:
                    # the body states the measure more precisely than the title
                    g["minerals"], g["title"] = [], False
                for m in f["minerals"]:
                    if m not in g["minerals"]:
                        g["minerals"].append(m)
                g["date"] = g["date"] or f["date"]
                if g["measure"] in {"other", "tightening"} and f["measure"] not in {"other"}:
                    g["measure"] = f["measure"]
                if f["weight"] > g["weight"]:
                    g["support"], g["weight"] = f["support"], f["weight"]
                break
        else:
            merged.append(f)
    out = []
    for g in merged:
        evidence, start, end = doc.evidence(g["support"])
        out.append(
            ExportControlFact(
                country=g["country"],
                minerals=tuple(g["minerals"]),
                measure=g["measure"],
                date=g["date"],
                evidence=evidence,
                evidence_start=start,
                evidence_end=end,
            )
        )
    return out
