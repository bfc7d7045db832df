"""Typed facts: the Python form of ``facts.schema.json``.

The article pipeline produces :class:`ArticleFacts`; the mapping turns it into RDF. The JSON
form (``to_json`` / ``from_json``) is exactly the contract's, plus two optional keys per fact
that the contract allows and the mapping uses when present: ``evidence_start`` and
``evidence_end``, character offsets of the evidence in the article's normalised text.

Examples
--------
>>> doc = ArticleFacts.from_json({
...     "article": {"id": "a1", "language": "en"},
...     "mentions": {"countries": ["US", "JP"], "minerals": ["rare-earths"]},
...     "facts": [{"type": "agreement", "parties": ["US", "JP"], "minerals": ["rare-earths"],
...                "kind": "framework", "evidence": "They signed."}]})
>>> doc.facts[0].parties
('US', 'JP')
>>> doc.to_json()["facts"][0]["type"]
'agreement'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, ClassVar, Literal

from .errors import InvalidFacts

__all__ = [
    "AgreementFact",
    "Article",
    "ArticleFacts",
    "ExportControlFact",
    "Fact",
    "InvestmentFact",
    "Mentions",
    "ShareFact",
    "facts_schema",
    "validate_facts_json",
]

Stage = Literal["mining", "processing", "manufacturing", "recycling", "reserves"]
Comparator = Literal["=", ">", ">=", "<", "<=", "~"]


@dataclass(frozen=True, slots=True)
class Article:
    """An article's identity and metadata.

    ``text`` is the normalised text (title, a blank line, then the body) that evidence offsets
    point into; it is optional in the JSON form.
    """

    id: str
    language: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "published": self.published,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Mentions:
    """Country codes and mineral ids that the article names."""

    countries: tuple[str, ...] = ()
    minerals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class _FactBase:
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None

    type: ClassVar[str]

    def _evidence_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"evidence": self.evidence}
        if self.evidence_start is not None and self.evidence_end is not None:
            out["evidence_start"] = self.evidence_start
            out["evidence_end"] = self.evidence_end
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class AgreementFact(_FactBase):
    """Two or more governments sign or announce an agreement on minerals."""

    type: ClassVar[str] = "agreement"
    parties: tuple[str, ...]
    minerals: tuple[str, ...] = ()
    date: str | None = None
    kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "parties": list(self.parties),
            "minerals": list(self.minerals),
            "date": self.date,
            "kind": self.kind,
            **self._evidence_json(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportControlFact(_FactBase):
    """A government restricts (or lifts restrictions on) exports of minerals."""

    type: ClassVar[str] = "export_control"
    country: str
    minerals: tuple[str, ...] = ()
    measure: str | None = None
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "country": self.country,
            "minerals": list(self.minerals),
            "measure": self.measure,
            "date": self.date,
            **self._evidence_json(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ShareFact(_FactBase):
    """A country's share of world mining, processing... of one mineral, as a fraction."""

    type: ClassVar[str] = "share"
    country: str
    mineral: str
    stage: str
    value: float
    comparator: str = "="
    year: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "country": self.country,
            "mineral": self.mineral,
            "stage": self.stage,
            "value": self.value,
            "comparator": self.comparator,
            "year": self.year,
            **self._evidence_json(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class InvestmentFact(_FactBase):
    """A government, company or fund invests in a mine, refinery or plant for minerals."""

    type: ClassVar[str] = "investment"
    investor: str
    host: str
    minerals: tuple[str, ...] = ()
    stage: str | None = None
    amount_usd: float | None = None
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "investor": self.investor,
            "host": self.host,
            "minerals": list(self.minerals),
            "stage": self.stage,
            "amount_usd": self.amount_usd,
            "date": self.date,
            **self._evidence_json(),
        }


Fact = AgreementFact | ExportControlFact | ShareFact | InvestmentFact


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """Everything read out of one article: its identity, its mentions and its facts."""

    article: Article
    mentions: Mentions = field(default_factory=Mentions)
    facts: tuple[Fact, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON form (``facts.schema.json``)."""
        return {
            "article": self.article.to_json(),
            "mentions": {
                "countries": list(self.mentions.countries),
                "minerals": list(self.mentions.minerals),
            },
            "facts": [f.to_json() for f in self.facts],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, text: str | None = None) -> ArticleFacts:
        """Read the contract's JSON form; raise :class:`InvalidFacts` if it does not conform."""
        validate_facts_json(data)
        a = data["article"]
        article = Article(
            id=a["id"],
            language=a["language"],
            title=a.get("title"),
            published=a.get("published"),
            source=a.get("source"),
            text=text,
        )
        m = data["mentions"]
        mentions = Mentions(tuple(m["countries"]), tuple(m["minerals"]))
        return cls(article, mentions, tuple(_fact_from_json(f) for f in data["facts"]))


def _ev(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "evidence": f.get("evidence"),
        "evidence_start": f.get("evidence_start"),
        "evidence_end": f.get("evidence_end"),
    }


def _fact_from_json(f: dict[str, Any]) -> Fact:
    kind = f["type"]
    if kind == "agreement":
        return AgreementFact(
            parties=tuple(f["parties"]),
            minerals=tuple(f.get("minerals") or ()),
            date=f.get("date"),
            kind=f.get("kind"),
            **_ev(f),
        )
    if kind == "export_control":
        return ExportControlFact(
            country=f["country"],
            minerals=tuple(f.get("minerals") or ()),
            measure=f.get("measure"),
            date=f.get("date"),
            **_ev(f),
        )
    if kind == "share":
        return ShareFact(
            country=f["country"],
            mineral=f["mineral"],
            stage=f["stage"],
            value=float(f["value"]),
            comparator=f.get("comparator") or "=",
            year=f.get("year"),
            **_ev(f),
        )
    if kind == "investment":
        amount = f.get("amount_usd")
        return InvestmentFact(
            investor=f["investor"],
            host=f["host"],
            minerals=tuple(f.get("minerals") or ()),
            stage=f.get("stage"),
            amount_usd=None if amount is None else float(amount),
            date=f.get("date"),
            **_ev(f),
        )
    raise InvalidFacts(f"unknown fact type {kind!r}")


@cache
def facts_schema() -> dict[str, Any]:
    """The contract's JSON Schema (``facts.schema.json``), shipped with the package."""
    text = (
        resources.files("cmkg.graph.data")
        .joinpath("contracts/facts.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def validate_facts_json(data: Any) -> None:
    """Raise :class:`InvalidFacts` naming the first violation if ``data`` is not conformant.

    >>> validate_facts_json({"article": {"id": "x"}, "mentions": {"countries": [], "minerals": []},
    ...                      "facts": []})
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InvalidFacts: facts do not follow facts.schema.json at article: ...
    """
    import jsonschema

    validator = jsonschema.Draft202012Validator(facts_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "<root>"
        raise InvalidFacts(f"facts do not follow facts.schema.json at {where}: {error.message}")
