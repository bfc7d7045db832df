"""Agreement facts: two or more governments sign or announce an agreement about minerals.

A sentence states one when it has a signing verb ("signed", "menandatangani", "签署", "署名",
"firmó", "signé", "unterzeichnet", "assinou"...) and an agreement noun ("framework", "deal",
"MoU", "kesepakatan", "协议", "枠組み", "acuerdo", "accord", "Abkommen", "acordo"...), or a verb
that is both ("agreed", "sepakat", "合意した"); when the signing is not hedged ("plans to sign",
"could sign", "署名する予定") or denied; and when at least two governments are linked in it by
"and", "with", "between", a hyphen or a compound ("日米", "US-Japan"). Companies ("Japanese
firm"), places ("in Tokyo"), destinations and sources are not parties. "Both nations",
"kedua negara", "両国" refer back to the last agreement's parties. Sentences about the same
parties are one agreement: their minerals and dates are merged.

Examples
--------
>>> from cmkg.graph.extraction.document import Document, parse_published
>>> doc = Document("Australia and the United States signed a framework on rare earths on "
...                "Monday.", "en", parse_published("2025-10-22"))
>>> [(f.parties, f.minerals, f.kind, f.date) for f in extract_agreements(doc)]
[(('AU', 'US'), ('rare-earths',), 'framework', '2025-10-20')]
"""

from __future__ import annotations

import re

from ..facts import AgreementFact
from .cues import HEDGE, NEGATION, PLURAL_PARTIES, compile_cue, word_tail
from .document import Document, SentenceView
from .lexicon import is_cjk

__all__ = ["extract_agreements"]

_B = r"(?<![\w])"
_E = r"(?![\w])"

SIGN = compile_cue(
    _B + r"(?:sign(?:s|ed|ing)?|ink(?:s|ed)?|conclud(?:e|es|ed|ing)|struck|strikes?|seal(?:s|ed)?|"
    r"formali[sz](?:e|es|ed)|agreed|agree|agrees|reached|reach(?:es)?|announc(?:e|es|ed)|"
    r"unveil(?:s|ed)|finali[sz](?:e|es|ed)|launch(?:es|ed)|establish(?:es|ed)|entered into|"
    r"clinched|cemented|"
    r"menandatangani|tandatangani|ditandatangani|penandatanganan|meneken|diteken|teken|sepakat|"
    r"menyepakati|disepakati|bersepakat|meresmikan|mengumumkan|menjalin|"
    r"firm(?:ó|aron|an|a|ado|ada|ar)|suscribi(?:ó|eron)|suscrit[oa]|sell(?:ó|aron)|"
    r"cerr(?:ó|aron)|alcanz(?:ó|aron)|anunci(?:ó|aron|ou|aram|ado|ada)|acordaron|acordó|"
    r"concret(?:ó|aron)|formaliz(?:ó|aron|ou|aram)|establecieron|"
    r"sign(?:é|ée|és|ées|ent|ait|er|ant|era)|conclu(?:t|ent|)|scell(?:é|ée|ent)|"
    r"annonc(?:é|ée|ent|e)|paraph(?:é|ée)|noué|lanc(?:é|ée|ent|e)|lanz(?:ó|aron|an|a)|"
    r"lanç(?:ou|aram|am|a)|lanciat[oa]|gestartet|startete[n]?|"
    r"unterzeichne\w*|unterschrieb\w*|unterschrieben|unterschreiben|geschlossen|abgeschlossen|"
    r"schließen|schließt|"
    r"schlossen|vereinbart\w*|besiegelt\w*|verkündet\w*|unterzeichnung|geeinigt|einigten|"
    r"assin(?:ou|aram|a|am|ado|ada|atura)|firm(?:ou|aram)|fech(?:ou|aram|ado)|celebr(?:ou|aram)|"
    r"acordaram|concluí(?:ram|do)|"
    r"firmat[oaie]|firma(?:no|to)|firmò|sottoscritt[oaie]|siglat[oaie])"
    + _E
    + r"|签署|签订|签约|达成|缔结|订立|簽署|簽訂|達成|締結|署名|調印|結んだ|交わした|"
    r"合意|서명|체결|합의"
)
NOUN = compile_cue(
    _B + r"(?:agreements?|framework|frameworks|deals?|memorand(?:um|a)|mou|mous|pacts?|accords?|"
    r"partnerships?|treat(?:y|ies)|understanding|arrangements?|"
    r"kesepakatan|perjanjian|kerangka kerja|nota kesepahaman|kemitraan|kerja ?sama|pakta|"
    r"acuerdos?|marco|memorando|memorándum|tratados?|asociación|alianza|pacto|convenios?|"
    r"accords?|cadre|protocole|partenariats?|traités?|pacte|"
    r"acordos?|quadro|parcerias?|pactos?|convênios?|"
    r"accord[oi]|partenariato|trattat[oi]|intesa)"
    + _E
    + r"|abkommen|vereinbarung|rahmenwerk|rahmenabkommen|absichtserklärung|partnerschaft|vertrag|"
    r"verträge|协议|协定|框架|谅解备忘录|备忘录|伙伴关系|条约|協議|協定|備忘錄|夥伴關係|條約|"
    r"合意文書|枠組み|覚書|文書|パートナーシップ|条約|협정|협약|양해각서|파트너십"
)
# an agreement "on raw materials" names no mineral: it covers critical minerals
RAW_MATERIALS = compile_cue(
    _B + r"(?:raw materials|materias primas|matières premières|materie prime|matérias-primas|"
    r"matérias primas|bahan baku mineral)" + _E + r"|rohstoff|原材料|原料|원자재"
)
# verbs that state an agreement on their own ("the two countries agreed to ...")
STANDALONE = compile_cue(
    _B + r"(?:agreed|sepakat|menyepakati|bersepakat|acordaron|convinieron|vereinbarten|"
    r"einigten|acordaram|concordaram)" + _E + r"|合意|达成共识|합의"
)
_KINDS = [
    (
        "mou",
        r"memorand|\bmous?\b|nota kesepahaman|备忘录|備忘錄|覚書|memorando|absichtserklärung|"
        r"protocole d'accord|양해각서",
    ),
    ("framework", r"framework|kerangka|框架|枠組み|\bmarco\b|\bcadre\b|rahmen|\bquadro\b"),
    ("treaty", r"treat(?:y|ies)|traktat|条约|條約|条約|tratado|traité|vertrag|trattato"),
    (
        "trade_deal",
        r"trade (?:deal|agreement)|free trade|perdagangan bebas|贸易协定|貿易協定|"
        r"acuerdo comercial|accord commercial|handelsabkommen|acordo comercial",
    ),
    ("offtake", r"offtake|off-take"),
    (
        "partnership",
        r"partnership|kemitraan|伙伴关系|パートナーシップ|asociación|alianza|"
        r"partenariat|partnerschaft|parceria|partenariato|파트너십",
    ),
    ("investment", r"investment (?:deal|agreement|fund)|fondo de inversión|fonds d'investissement"),
]
_KIND_RX = [(k, re.compile(p)) for k, p in _KINDS]
_CONNECTOR = compile_cue(
    _B + r"(?:and|with|between|together with|dan|dengan|bersama|antara|serta|y|e|con|entre|"
    r"et|avec|und|mit|zwischen|com|ed|tra|fra)" + _E + r"|&|/|-|和|与|與|同|及|跟|と|および|"
    r"及び|・|、|및|과|와"
)
_FUTURE_BEFORE = re.compile(
    r"(?:will|to|would|shall|akan|untuk|va|vont|wird|werden|vai|vão|irá|irán|va a)\s+"
    r"(?:\w+\s+)?$"
)
_AGREEMENT_REF = re.compile(
    r"^\W*(?:(?:the|this|that) (?:agreement|deal|framework|accord|pact|memorandum|mou|"
    r"partnership)|(?:kesepakatan|perjanjian|kerangka kerja) (?:ini|tersebut)|(?:该|此|这一|該)"
    r"(?:协议|协定|框架)|(?:この|同)(?:枠組み|協定|合意)|(?:el|este) (?:acuerdo|marco)|"
    r"(?:l'|cet )accord|(?:das|dieses) abkommen|(?:o|este) acordo|"
    # a pronoun that opens the next sentence stands for the agreement just named
    r"(?:it|they|sie|es|elle|il|ella|él|ela|ele|essa|esso|ia)\s)"
)
_HOME_PM = re.compile(r"(?<![米中英仏独露韓豪印国])(?:首相|総理)")
_NOT_PARTY = frozenset({"location", "target", "source", "company", "org"})


def _hedged(s: SentenceView, m: re.Match[str]) -> bool:
    """Whether the signing verb ``m`` (offsets within the sentence) is hedged or denied."""
    f = s.folded
    if is_cjk(f[m.start()]):
        after = f[m.end() : m.end() + 10]
        before = f[max(0, m.start() - 4) : m.start()]
        return bool(
            HEDGE.search(after)
            or re.search(r"未|没有|沒有|不|しない|せず|しなかった", after[:6] + before)
        )
    before = f[max(0, m.start() - 60) : m.start()]
    clause = re.split(r"[.;:]", before)[-1]
    if _FUTURE_BEFORE.search(word_tail(clause, 24)):
        return True
    if re.search(
        r"(?:expected|poised|set|ready|due|plans?|aims?|hopes?|wants?) to\s+(?:\w+\s+)?$", clause
    ):
        return True
    return bool(HEDGE.search(word_tail(clause, 40)) or NEGATION.search(word_tail(clause, 20)))


def _parties(doc: Document, s: SentenceView) -> list[str]:
    """The largest set of governments linked to each other in the sentence."""
    ms = [m for m in s.countries if not (m.roles & _NOT_PARTY)]
    if not ms:
        return []
    # Japanese news calls its own prime minister 首相 without naming the country
    home_pm = doc.lang == "ja" and doc.home and _HOME_PM.search(s.text)
    parent = list(range(len(ms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(ms)):
        for j in range(i + 1, len(ms)):
            gap = s.local(ms[i].end, ms[j].start)
            if ms[j].start - ms[i].end > 130 or ";" in gap:
                break
            if ms[i].codes == ms[j].codes or _CONNECTOR.search(gap) or not gap.strip():
                parent[find(j)] = find(i)
    groups: dict[int, list[str]] = {}
    for i, m in enumerate(ms):
        codes = groups.setdefault(find(i), [])
        for c in m.codes:
            if c not in codes:
                codes.append(c)
    best = max(groups.values(), key=len)
    if home_pm and doc.home not in best and len(best) == 1:
        best = [*best, doc.home]
    return best


def _kind(text: str) -> str:
    for kind, rx in _KIND_RX:
        if rx.search(text):
            return kind
    return "other"


def _is_agreement_sentence(s: SentenceView) -> bool:
    f = s.folded
    verbs = [m for m in SIGN.finditer(f) if not _hedged(s, m)]
    if not verbs:
        return False
    return bool(NOUN.search(f) or any(STANDALONE.fullmatch(m.group()) for m in verbs))


def _recent_parties(doc: Document, s: SentenceView, found: list[tuple]) -> list[str]:
    if found:
        return list(found[-1][0])
    out: list[str] = []
    for v in doc.before(s, 4):
        for c in v.country_codes(exclude=_NOT_PARTY):
            if c not in out:
                out.append(c)
        if len(out) >= 2:
            break
    return out[:2] if len(out) >= 2 else []


def extract_agreements(doc: Document) -> list[AgreementFact]:
    """The agreements stated in ``doc`` (one fact per set of parties)."""
    found: list[tuple[tuple[str, ...], list[str], SentenceView, list[SentenceView]]] = []
    title = doc.title
    title_has_agreement = bool(title and (NOUN.search(title.folded) or SIGN.search(title.folded)))
    for s in doc.sentences:
        if not _is_agreement_sentence(s):
            continue
        parties = _parties(doc, s)
        if PLURAL_PARTIES.search(s.folded):
            for c in _recent_parties(doc, s, found):
                if c not in parties:
                    parties.append(c)
        if len(parties) < 2:
            continue
        support = [s]
        minerals = s.mineral_ids()
        if not minerals:
            nxt = doc.after(s)
            if nxt is not None and not nxt.is_title and _AGREEMENT_REF.search(nxt.folded):
                minerals = nxt.mineral_ids()
                if minerals:
                    support.append(nxt)
        if not minerals and title_has_agreement and title is not None:
            minerals = title.mineral_ids()
        if not minerals and not s.is_title and RAW_MATERIALS.search(s.folded):
            minerals = ["critical-minerals"]  # "a strategic partnership on raw materials"
        if not minerals:
            continue
        found.append((tuple(parties), minerals, s, support))
    merged: dict[frozenset[str], dict] = {}
    for parties, minerals, s, support in found:
        key = frozenset(parties)
        date = next((d.value for d in s.dates if d.relation is None), None)
        entry = merged.get(key)
        if entry is None:
            merged[key] = {
                "parties": parties,
                "minerals": list(minerals),
                "date": date,
                "kind": _kind(s.folded),
                "support": support,
                "weight": _evidence_weight(s),
            }
            continue
        for m in minerals:
            if m not in entry["minerals"]:
                entry["minerals"].append(m)
        entry["date"] = entry["date"] or date
        if entry["kind"] == "other":
            entry["kind"] = _kind(s.folded)
        if _evidence_weight(s) > entry["weight"]:
            entry["support"], entry["weight"] = support, _evidence_weight(s)
    facts = []
    for e in merged.values():
        evidence, start, end = doc.evidence(e["support"])
        facts.append(
            AgreementFact(
                parties=e["parties"],
                minerals=tuple(e["minerals"]),
                date=e["date"],
                kind=e["kind"],
                evidence=evidence,
                evidence_start=start,
                evidence_end=end,
            )
        )
    return facts


def _evidence_weight(s: SentenceView) -> int:
    """Prefer body sentences over titles and bullets as evidence."""
    return 0 if s.is_title else 1 if s.sentence.is_bullet else 2
