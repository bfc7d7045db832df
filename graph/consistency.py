"""Share claims checked against reference statistics.

An article's share claim ("China refines more than 90 percent of the world's rare earths")
is compared with the reference share for the same country, mineral and stage, and gets a
verdict: ``consistent``, ``contradicted`` or ``unchecked`` (no reference share to compare
with). :func:`~cmkg.graph.mapping.facts_to_rdf` records the verdict on the claim
(``cmkg:consistency``, ``cmkg:checkedAgainst``, ``cmkg:referenceValue``, ``cmkg:tolerance``).

Which reference share
    The reference shares are the ``cmkg:SupplyObservation`` nodes with measure ``share`` and a
    ``qb:dataSet`` (``id:dataset/<release>``); article claims (``cmkg:ShareClaim``, no data
    set) are never references. For a claim, the candidates are the shares of the same
    country, mineral and stage. The data set is chosen first, by stage
    (:data:`STAGE_PREFERENCE`): processing prefers the IEA figures reported in the press
    (``iea-reported``), mining and reserves the USGS Mineral Commodity Summaries (the shares
    derived from them, ``usgs-mcs-2026-shares``, or ``usgs-mcs-2026`` itself); any other data
    set comes after those, by name. Within the data set, the row of the claim's year if there
    is one, else the latest year (rows without a year count as oldest); ties go to the
    smallest observation IRI.

The verdict rule
    A claim and a reference each stand for an interval of shares. The claim ``v`` with the
    tolerance ``tol`` (:data:`DEFAULT_TOLERANCE`, 0.05 absolute):

    ====================  ==========================
    ``=`` or ``~`` v      [v - tol, v + tol]
    ``>`` or ``>=`` v     [v - tol, 1]
    ``<`` or ``<=`` v     [0, v + tol]
    ====================  ==========================

    The reference ``r`` is the point [r, r], or [r, 1] / [0, r] when the source itself gives a
    bound (``>`` / ``<``). The claim is ``consistent`` when the two intervals meet, else
    ``contradicted``. For a point reference this is: ``=``/``~``: \\|r - v\\| <= tol;
    ``>``/``>=``: r >= v - tol; ``<``/``<=``: r <= v + tol. Strict and non-strict
    comparators are judged alike: the tolerance dwarfs the difference.

Examples
--------
>>> judge_share(Decimal("0.9"), ">", Decimal("0.87"))    # "more than 90%" vs IEA 87% (2019)
'consistent'
>>> judge_share(Decimal("0.5"), "=", Decimal("0.87"))
'contradicted'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final, Literal

from rdflib import Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral

from .namespaces import (
    CMKG,
    ID,
    QB,
    RDF,
    country_iri,
    measure_iri,
    mineral_iri,
    stage_iri,
)

if TYPE_CHECKING:
    from .facts import ShareFact
    from .store import Store

__all__ = [
    "DEFAULT_TOLERANCE",
    "STAGE_PREFERENCE",
    "Consistency",
    "ReferenceIndex",
    "ReferenceShare",
    "Verdict",
    "judge_share",
]

Consistency = Literal["consistent", "contradicted", "unchecked"]

#: Absolute tolerance on a share (a fraction): 0.05 is five percentage points.
DEFAULT_TOLERANCE: Final = Decimal("0.05")

#: Reference releases to prefer, by stage; other releases follow, sorted by name.
STAGE_PREFERENCE: Final[Mapping[str, tuple[str, ...]]] = {
    "processing": ("iea-reported", "usgs-mcs-2026-shares", "usgs-mcs-2026"),
    "mining": ("usgs-mcs-2026-shares", "usgs-mcs-2026", "iea-reported"),
    "reserves": ("usgs-mcs-2026-shares", "usgs-mcs-2026", "iea-reported"),
}

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_DATASET_PREFIX: Final = str(ID) + "dataset/"
_SHARE: Final = measure_iri("share")

_SHARES_QUERY: Final = f"""
PREFIX cmkg: <{CMKG}>
PREFIX qb: <{QB}>
SELECT ?obs ?dataset ?country ?mineral ?stage ?year ?value ?comparator WHERE {{
  ?obs a cmkg:SupplyObservation ;
       cmkg:measure <{_SHARE}> ;
       qb:dataSet ?dataset ;
       cmkg:country ?country ;
       cmkg:mineral ?mineral ;
       cmkg:stage ?stage ;
       cmkg:value ?value .
  OPTIONAL {{ ?obs cmkg:year ?year }}
  OPTIONAL {{ ?obs cmkg:comparator ?comparator }}
  FILTER NOT EXISTS {{ ?obs a cmkg:ShareClaim }}
}}
"""


@dataclass(frozen=True, slots=True)
class ReferenceShare:
    """One reference share: a country's fraction of a mineral's world stage in a year.

    ``country``, ``mineral`` and ``stage`` are IRIs; ``release`` is the data set's release
    name (``usgs-mcs-2026``) or, for a data set outside the ``id:dataset/`` scheme, its IRI.
    """

    observation: str
    release: str
    country: str
    mineral: str
    stage: str
    year: int | None
    value: Decimal
    comparator: str = "="


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of checking one claim: the verdict and the reference it was checked with."""

    consistency: Consistency
    reference: ReferenceShare | None
    tolerance: Decimal


def _as_decimal(value: float | int | Decimal | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def judge_share(
    value: float | Decimal,
    comparator: str,
    reference: float | Decimal,
    *,
    reference_comparator: str = "=",
    tolerance: float | Decimal = DEFAULT_TOLERANCE,
) -> Literal["consistent", "contradicted"]:
    """Whether a claimed share agrees with a reference share, within ``tolerance``.

    See the module's docstring for the rule.

    >>> [judge_share(0.9, c, 0.87) for c in ("=", "~", ">", ">=", "<", "<=")]
    ['consistent', 'consistent', 'consistent', 'consistent', 'consistent', 'consistent']
    >>> [judge_share(0.7, c, 0.87) for c in ("=", "~", ">", ">=", "<", "<=")]
    ['contradicted', 'contradicted', 'consistent', 'consistent', 'contradicted', 'contradicted']
    >>> judge_share(0.5, "=", 0.9, reference_comparator=">")  # the source says "over 90%"
    'contradicted'
    """
    v, r, tol = _as_decimal(value), _as_decimal(reference), _as_decimal(tolerance)
    if comparator in (">", ">="):
        claim_lo, claim_hi = v - tol, _ONE
    elif comparator in ("<", "<="):
        claim_lo, claim_hi = _ZERO, v + tol
    else:
        claim_lo, claim_hi = v - tol, v + tol
    if reference_comparator in (">", ">="):
        ref_lo, ref_hi = r, max(r, _ONE)
    elif reference_comparator in ("<", "<="):
        ref_lo, ref_hi = min(r, _ZERO), r
    else:
        ref_lo = ref_hi = r
    return "consistent" if max(claim_lo, ref_lo) <= min(claim_hi, ref_hi) else "contradicted"


def _release(dataset: str) -> str:
    return dataset[len(_DATASET_PREFIX) :] if dataset.startswith(_DATASET_PREFIX) else dataset


class ReferenceIndex:
    """Reference shares by (country, mineral, stage), ready to check share claims against.

    Parameters
    ----------
    shares
        The reference shares.
    tolerance
        Absolute tolerance of the verdict rule.

    Examples
    --------
    >>> from cmkg.graph.facts import ShareFact
    >>> ref = ReferenceShare(
    ...     observation="https://example.org/obs/1", release="iea-reported",
    ...     country=str(country_iri("CN")), mineral=str(mineral_iri("rare-earths")),
    ...     stage=str(stage_iri("processing")), year=2019, value=Decimal("0.87"))
    >>> index = ReferenceIndex([ref])
    >>> claim = ShareFact(country="CN", mineral="rare-earths", stage="processing",
    ...                   value=0.9, comparator=">")
    >>> index.check(claim).consistency
    'consistent'
    >>> index.check(ShareFact(country="CN", mineral="rare-earths", stage="mining",
    ...                       value=0.6)).consistency
    'unchecked'
    """

    __slots__ = ("_by_key", "tolerance")

    def __init__(
        self, shares: Iterable[ReferenceShare], *, tolerance: float | Decimal = DEFAULT_TOLERANCE
    ) -> None:
        self.tolerance = _as_decimal(tolerance)
        by_key: dict[tuple[str, str, str], list[ReferenceShare]] = defaultdict(list)
        seen: set[str] = set()
        for share in sorted(shares, key=_share_order):
            if share.observation in seen:
                continue  # one row per observation (several years or comparators: the first)
            seen.add(share.observation)
            by_key[share.country, share.mineral, share.stage].append(share)
        self._by_key = dict(by_key)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def __iter__(self) -> Iterator[ReferenceShare]:
        for key in sorted(self._by_key):
            yield from self._by_key[key]

    @classmethod
    def from_graph(
        cls, graph: Graph, *, tolerance: float | Decimal = DEFAULT_TOLERANCE
    ) -> ReferenceIndex:
        """Index the reference shares in an rdflib graph (a :class:`Dataset`: all its graphs)."""
        graphs = list(graph.graphs()) if isinstance(graph, Dataset) else [graph]
        shares: list[ReferenceShare] = []
        for g in graphs:
            for obs in set(g.subjects(CMKG.measure, _SHARE)):
                share = _share_from_graph(g, obs)
                if share is not None:
                    shares.append(share)
        return cls(shares, tolerance=tolerance)

    @classmethod
    def from_graphs(
        cls, graphs: Iterable[Graph], *, tolerance: float | Decimal = DEFAULT_TOLERANCE
    ) -> ReferenceIndex:
        """Index the reference shares of several graphs (``reference_graphs().values()``)."""
        shares = [share for g in graphs for share in cls.from_graph(g)]
        return cls(shares, tolerance=tolerance)

    @classmethod
    def from_store(
        cls, store: Store, *, tolerance: float | Decimal = DEFAULT_TOLERANCE
    ) -> ReferenceIndex:
        """Index the reference shares in a store (one SELECT over all graphs)."""
        shares = []
        for row in store.select(_SHARES_QUERY):
            share = _share_from_row(row)
            if share is not None:
                shares.append(share)
        return cls(shares, tolerance=tolerance)

    def lookup(
        self, country: str, mineral: str, stage: str, year: int | None = None
    ) -> ReferenceShare | None:
        """The reference share to check a claim on (country code, mineral id, stage) with."""
        key = (str(country_iri(country)), str(mineral_iri(mineral)), str(stage_iri(stage)))
        candidates = self._by_key.get(key)
        if not candidates:
            return None
        preferred = STAGE_PREFERENCE.get(stage, ())
        releases = sorted(
            {c.release for c in candidates},
            key=lambda r: (preferred.index(r) if r in preferred else len(preferred), r),
        )
        rows = [c for c in candidates if c.release == releases[0]]
        same_year = [c for c in rows if year is not None and c.year == year]
        if same_year:
            return same_year[0]
        latest = max(-1 if c.year is None else c.year for c in rows)
        return next(c for c in rows if (-1 if c.year is None else c.year) == latest)

    def check(self, claim: ShareFact) -> Verdict:
        """Check one share claim; ``unchecked`` when there is no reference share for it."""
        ref = self.lookup(claim.country, claim.mineral, claim.stage, claim.year)
        if ref is None:
            return Verdict("unchecked", None, self.tolerance)
        verdict = judge_share(
            _as_decimal(claim.value),
            claim.comparator,
            ref.value,
            reference_comparator=ref.comparator,
            tolerance=self.tolerance,
        )
        return Verdict(verdict, ref, self.tolerance)


def _share_order(share: ReferenceShare) -> tuple[str, int, str]:
    return (share.observation, -1 if share.year is None else share.year, share.comparator)


def _decimal_or_none(value: Any) -> Decimal | None:
    if isinstance(value, RDFLiteral):
        value = value.toPython()
    if isinstance(value, bool) or value is None:
        return None
    try:
        return _as_decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, RDFLiteral):
        value = value.toPython()
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _share_from_graph(g: Graph, obs: Any) -> ReferenceShare | None:
    if not isinstance(obs, URIRef):
        return None
    types = set(g.objects(obs, RDF.type))
    if CMKG.SupplyObservation not in types or CMKG.ShareClaim in types:
        return None
    row = {
        "obs": obs,
        "dataset": g.value(obs, QB.dataSet),
        "country": g.value(obs, CMKG.country),
        "mineral": g.value(obs, CMKG.mineral),
        "stage": g.value(obs, CMKG.stage),
        "value": g.value(obs, CMKG.value),
        "year": g.value(obs, CMKG.year),
        "comparator": g.value(obs, CMKG.comparator),
    }
    return _share_from_row(row)


def _share_from_row(row: Mapping[str, Any]) -> ReferenceShare | None:
    dataset, value = row.get("dataset"), _decimal_or_none(row.get("value"))
    country, mineral, stage = row.get("country"), row.get("mineral"), row.get("stage")
    if dataset is None or value is None or None in (country, mineral, stage):
        return None
    year = row.get("year")
    comparator = row.get("comparator")
    return ReferenceShare(
        observation=str(row["obs"]),
        release=_release(str(dataset)),
        country=str(country),
        mineral=str(mineral),
        stage=str(stage),
        year=None if year is None else _int_or_none(year),
        value=value,
        comparator="=" if comparator is None else str(comparator),
    )
