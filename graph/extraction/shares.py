"""Share facts: a country's share of world mining, processing, manufacturing, recycling or
reserves of one mineral.

For each percentage or fraction in a sentence (see :mod:`.numbers`):

- it must be a share of the world: the sentence says "world", "global", "dunia", "世界",
  "mundial"... or a supply-chain verb governs "X% of <mineral>" ("The country refines 99% of
  battery-grade graphite"). Shares of imports, of a region ("used in Europe", "the EU's
  demand"), of "the top three producers", changes ("rose 20%"), targets and stakes are not.
- the mineral is the first one named after the figure in its part of the sentence, else a
  product made from it ("93 Prozent an Magneten": rare earths, manufacturing), else the nearest
  one before it, else the one the previous sentence names when this one says "the material" /
  "mineral jenis ini";
- the stage is the nearest stage word: one inside the figure's phrase first ("70% of refined
  cobalt"), then the verb before it ("refines", "menguasai ... pengolahan"), then one after;
  a share with no stage word is left out;
- the country is the nearest one before the figure that is not a source of information or a
  destination, else the one "the country" / "该国" / "negara ini" refers to, else one after the
  figure introduced by "in"/"from".

One fact per (country, mineral, stage): the first statement wins.

Examples
--------
>>> from cmkg.graph.extraction.document import Document, parse_published
>>> doc = Document("China refines more than 90 per cent of the world's graphite.", "en", None)
>>> [(f.country, f.mineral, f.stage, f.value, f.comparator) for f in extract_shares(doc)]
[('CN', 'graphite', 'processing', 0.9, '>')]
"""

from __future__ import annotations

import re

from ..facts import ShareFact
from .cues import (
    COUNTRY_ANAPHOR,
    MAGNET,
    MINERAL_ANAPHOR,
    PRODUCT_CUE,
    WORLD,
    compile_cue,
    stage_cues,
)
from .dates import find_years
from .document import Document, SentenceView
from .numbers import Share

__all__ = ["extract_shares"]

_B = r"(?<![\w])"
_E = r"(?![\w])"
_NOT_WORLD = compile_cue(
    _B + r"(?:imports?|imported|impor|importaciones|importations|importe|importações|importazioni|"
    r"domestic|dalam negeri|nacional|national|its own|their own|"
    r"europe|european|eu|eu's|asia|africa|africa's|americas|europa|europe's|"
    r"stake|stakes|interest|equity|shares|saham|participação|participación|participation|"
    r"beteiligung|ownership|owned|state-owned|tariff|tariffs|tarif|bea|arancel\w*|zoll|"
    r"target|targets|goal|objetivo|objectif|ziel|meta|target)"
    + _E
    + r"|进口|輸入|国内|欧洲|欧州|ヨーロッパ|股份|持股|股权|出資|関税|关税|目标|目標"
)
_CHANGE = compile_cue(
    _B + r"(?:up|down|rose|rise|rises|risen|fell|fall|falls|grew|grow|growth|increase[sd]?|"
    r"decrease[sd]?|jump\w*|surg\w*|drop\w*|declin\w*|climb\w*|gain\w*|slump\w*|by|naik|turun|"
    r"melonjak|meningkat|tumbuh|kenaikan|penurunan|subió|cayó|aumentó|creció|aumento|"
    r"hausse|baisse|augment\w*|stieg|sank|wuchs|gestiegen|gesunken|subiu|caiu|cresceu|"
    r"aumentou|year-on-year|yoy|y/y|higher|lower|shortfall)"
    + _E
    + r"|增长|下降|上涨|增加|减少|減少|増加|上昇|同比|前年比"
)
_TOP_N = compile_cue(
    _B + r"(?:top (?:three|two|five|3|5|2)|three largest|two largest|(?:los|las) (?:tres|dos) "
    r"(?:principales|mayores)|les trois premiers|die drei größten|os três maiores|"
    r"tiga (?:negara )?(?:teratas|terbesar))" + _E + r"|前三|前五|上位3|上位三"
)
_STAGE_VERB = compile_cue(
    _B + r"(?:refines?|refined|produces?|produced|mines?|mined|processes|processed|supplies|"
    r"supplied|accounts? for|accounted for|controls?|controlled|holds?|menguasai|memproduksi|"
    r"mengolah|produce|refina|controla|produit|raffine|contrôle|produziert|raffiniert|"
    r"kontrolliert|produz|refina|controla)" + _E + r"|占|控制|生产|加工|精炼|占据|占有|生産|精製"
)
_CLAUSE_SEP = re.compile(r";|\s(?:while|whereas|but|sedangkan|mientras|tandis|während|enquanto)\s")
_NOT_COUNTRY = frozenset({"target", "source", "org"})
# the end of the phrase a figure heads: "24% de la producción, y el segundo de litio"
_PHRASE_END = re.compile(
    r"[,;:)(]|\s(?:and|y|e|et|und|dan|serta|while|but|which|that|que|qui|die|der|yang)\s|、|，|。"
)
_ORIGIN_BEFORE = re.compile(
    r"(?:from|in|aus|in der|de|da|do|del|dari|desde|di|来自|从|自)\s*(?:the\s+|der\s+|la\s+|"
    r"le\s+|o\s+|a\s+)?$"
)


def _phrase_end(s: SentenceView, share: Share, seg_end: int) -> int:
    m = _PHRASE_END.search(s.local(share.end, seg_end))
    return share.end + m.start() if m else seg_end


def _segment_end(s: SentenceView, share: Share, shares: list[Share]) -> int:
    nxt = [o.start for o in shares if o.start > share.end]
    end = min(nxt) if nxt else s.end
    m = _CLAUSE_SEP.search(s.local(share.end, end))
    return share.end + m.start() if m else end


def _clause_start(s: SentenceView, share: Share, shares: list[Share]) -> int:
    prev = [o.end for o in shares if o.end <= share.start]
    start = max(prev) if prev else s.start
    text = s.local(start, share.start)
    seps = list(_CLAUSE_SEP.finditer(text))
    return start + seps[-1].end() if seps else start


def _mineral(
    doc: Document, s: SentenceView, share: Share, seg_end: int, clause_start: int, in_parens: bool
) -> tuple[str | None, str | None, list[SentenceView]]:
    """The mineral of a share, a stage implied by a product word, and supporting sentences."""
    if not in_parens:
        phrase_end = _phrase_end(s, share, seg_end)
        after = [m for m in s.minerals if share.end <= m.start < phrase_end]
        ids = [i for m in after for i in m.ids if i != "critical-minerals"]
        if ids:
            return ids[0], None, []
        seg = s.local(share.end, phrase_end)
        if MAGNET.search(seg):
            return "rare-earths", "manufacturing", []
    before = [m for m in s.minerals if m.end <= share.start]
    for m in reversed(before):
        ids = [i for i in m.ids if i != "critical-minerals"]
        if ids:
            # "レアアース磁石生産の9割", "rare-earth magnet output, 90%": a product of the mineral
            between = s.local(m.end, share.start)
            if MAGNET.search(between) and not re.search(r"[,;，、]", between):
                return ids[0], "manufacturing", []
            return ids[0], None, []
    if MINERAL_ANAPHOR.search(s.folded):
        for prev in doc.before(s, 2):
            ids = [i for i in prev.mineral_ids() if i != "critical-minerals"]
            if len(ids) == 1:
                return ids[0], None, [prev]
            if ids:
                break
    return None, None, []


def _stage(
    s: SentenceView,
    share: Share,
    seg_end: int,
    clause_start: int,
    in_parens: bool,
    mineral_at: int | None,
) -> str | None:
    cues = stage_cues(s.folded)
    if not cues:
        return None
    abs_cues = [(a + s.start, b + s.start, st) for a, b, st in cues]
    phrase_end = _phrase_end(s, share, seg_end)
    if not in_parens:
        stop = mineral_at if mineral_at is not None else phrase_end
        inside = [c for c in abs_cues if share.end <= c[0] < max(stop, share.end + 1)]
        if inside:
            return inside[0][2]
    lead = s.local(s.start, share.start)
    seps = list(_CLAUSE_SEP.finditer(lead))
    lead_start = s.start + (seps[-1].end() if seps else 0)
    before = [c for c in abs_cues if min(lead_start, clause_start) <= c[1] <= share.start]
    if before:
        return before[-1][2]
    if not in_parens:
        after = [c for c in abs_cues if share.end <= c[0] < phrase_end]
        if after:
            return after[0][2]
    return None


# Japanese and Korean put the subject after the figure: "9割を中国が占める", "절반을 인도네시아가"
_APPOSITION = re.compile(r"^\s*,[^,;]{3,60},\s*(?:\w+\s+){1,3}$")
_SUBJECT_PARTICLE = re.compile(r"^\s?(?:が|は|も|가|이|은|는)")


def _subject_after(s: SentenceView, share: Share) -> str | None:
    """The country marked as the subject after the figure, in Japanese or Korean word order."""
    for m in s.countries:
        if (
            m.start >= share.end
            and not (m.roles & _NOT_COUNTRY)
            and _SUBJECT_PARTICLE.match(s.local(m.end, m.end + 3))
        ):
            return m.codes[0]
    return None


def _country(doc: Document, s: SentenceView, share: Share) -> tuple[str | None, list[SentenceView]]:
    if doc.lang in {"ja", "ko"}:
        subject = _subject_after(s, share)
        if subject is not None:
            return subject, []
    before = [m for m in s.countries if m.end <= share.start and not (m.roles & _NOT_COUNTRY)]
    anaphor = doc.anaphor_country(s, before=share.start)
    if len(before) > 1 and _APPOSITION.match(s.local(before[-2].end, share.start)):
        before = before[:-1]  # "Chile, otro socio de Bruselas, produce ...": the subject
    if before:
        last = before[-1]
        ana_at = None
        am = COUNTRY_ANAPHOR.search(s.local(s.start, share.start))
        if am:
            ana_at = s.start + am.start()
        if anaphor and ana_at is not None and ana_at > last.end:
            return anaphor, []
        return last.codes[0], []
    if anaphor:
        prev = doc.before(s, 1)
        return anaphor, prev[:1]
    after = [
        m
        for m in s.countries
        if m.start >= share.end
        and not (m.roles & _NOT_COUNTRY)
        and ("location" in m.roles or _ORIGIN_BEFORE.search(s.local(m.start - 12, m.start)))
    ]
    if after:
        return after[0].codes[0], []
    return None, []


def _year(s: SentenceView, share: Share, seg_end: int, clause_start: int) -> int | None:
    years = [(y, a + s.start) for y, a, _ in find_years(s.text)]
    inside = [y for y, a in years if share.end <= a < seg_end]
    if inside:
        return inside[0]
    before = [y for y, a in years if clause_start <= a < share.start]
    return before[-1] if before else None


def extract_shares(doc: Document) -> list[ShareFact]:
    """The world shares stated in ``doc`` (one fact per country, mineral and stage)."""
    out: list[ShareFact] = []
    seen: set[tuple[str, str, str]] = set()
    for s in doc.sentences:
        if not s.shares:
            continue
        world = bool(WORLD.search(s.folded))
        for share in s.shares:
            clause_start = _clause_start(s, share, s.shares)
            seg_end = _segment_end(s, share, s.shares)
            in_parens = s.local(share.start - 1, share.start) == "(" or (
                s.local(share.start - 2, share.start).endswith("(")
            )
            left = s.local(max(clause_start, share.start - 25), share.start)
            seg = s.local(share.end, seg_end)
            if _CHANGE.search(left[-14:]) or _CHANGE.search(seg[:30]):
                continue
            if _TOP_N.search(s.local(s.start, share.start)):
                continue
            phrase_end = _phrase_end(s, share, seg_end)
            own = s.local(share.end, phrase_end)
            phrase = (
                own[:45]
                if not in_parens
                else s.local(max(clause_start, share.start - 45), share.start)
            )
            if _NOT_WORLD.search(phrase) or any(
                share.end <= m.start < min(share.end + 45, phrase_end)
                and not _ORIGIN_BEFORE.search(s.local(m.start - 12, m.start))
                and not (
                    doc.lang in {"ja", "ko"} and _SUBJECT_PARTICLE.match(s.local(m.end, m.end + 3))
                )
                for m in s.countries
            ):
                continue
            mineral, product_stage, support = _mineral(
                doc, s, share, seg_end, clause_start, in_parens
            )
            if mineral is None:
                continue
            if not world:
                of_mineral = re.match(r"^\s*(?:of|de|du|des|dari|von|der|da|do)\b", seg)
                lead = s.local(s.start, share.start)
                seps = list(_CLAUSE_SEP.finditer(lead))
                lead = lead[seps[-1].end() :] if seps else lead
                if not (of_mineral and _STAGE_VERB.search(lead)):
                    continue
            mineral_at = next(
                (
                    m.start
                    for m in s.minerals
                    if share.end <= m.start < seg_end and mineral in m.ids
                ),
                None,
            )
            stage = _stage(s, share, seg_end, clause_start, in_parens, mineral_at)
            seg_to_mineral = s.local(share.end, mineral_at) if mineral_at else seg
            if product_stage and not (stage == "processing" and mineral_at):
                stage = product_stage
            elif PRODUCT_CUE.search(seg_to_mineral) and stage != "processing":
                stage = "manufacturing"
            if stage is None:
                continue
            country, csupport = _country(doc, s, share)
            if country is None:
                continue
            key = (country, mineral, stage)
            if key in seen:
                continue
            seen.add(key)
            support_sents = sorted(
                {v.index: v for v in [s, *support, *csupport]}.values(), key=lambda v: v.index
            )
            if support_sents[-1].index - support_sents[0].index > 1:
                support_sents = [s]
            evidence, start, end = doc.evidence(support_sents)
            out.append(
                ShareFact(
                    country=country,
                    mineral=mineral,
                    stage=stage,
                    value=share.value,
                    comparator=share.comparator,
                    year=_year(s, share, seg_end, clause_start),
                    evidence=evidence,
                    evidence_start=start,
                    evidence_end=end,
                )
            )
    return out
