"""Reference statistics and lists -> RDF: one named graph per reference release.

:func:`reference_graphs` returns::

    cmkgg:reference/usgs-mcs-2026           USGS Mineral Commodity Summaries 2026: production,
                                            capacity and reserves by country (dataset
                                            id/dataset/usgs-mcs-2026) and the country shares
                                            derived from them (id/dataset/usgs-mcs-2026-shares)
    cmkgg:reference/iea-reported            shares stated in IEA and other reports
                                            (processing_shares_reported.csv), single countries
                                            and single minerals only
    cmkgg:reference/critical-mineral-lists  the US 2022 and 2025 lists and the EU CRMA lists

Every figure is a :data:`~cmkg.graph.namespaces.CMKG` ``SupplyObservation`` (a Data Cube
``qb:Observation``) with its dimensions (country, mineral, stage, measure, year), its value as
``xsd:decimal`` (absent when the source withholds it, 'W', or has none, 'NA': never zero), its
QUDT unit, the basis the source states ("contained metal", "rare-earth oxide"...), comparator,
status, the figure as printed, the source's footnotes and the source document. "World total"
rows are not observations of a country: they are ``cmkg:worldTotal`` on every observation of the
same commodity, stage, measure and year. "Other countries" rows are observations of
``id/country/ZZ``.

The caveats of ``graph/data/reference/SOURCES.md`` are applied, not only repeated: copper rows
are refinery output (stage processing); the production rows of the PGM chapter are palladium
while its reserves are for all platinum-group metals (mineral platinum-group-metals); vanadium
reserves are in thousand tonnes (units are read per row); the tin and zirconium unit caveats
and each chapter's note travel with the figures as ``cmkg:note``.

Examples
--------
>>> graphs = reference_graphs()
>>> usgs = graphs[reference_graph_iri("usgs-mcs-2026")]
>>> obs = observation_iri("usgs-mcs-2026", "cobalt", "mining", "production", "CD", 2024)
>>> str(usgs.value(obs, CMKG.value)), usgs.value(obs, QUDT.unit) == UNIT.TONNE
('226000', True)
>>> str(usgs.value(obs, CMKG.basis)), usgs.value(obs, CMKG.value).datatype == XSD.decimal
('contained metal', True)
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import NotFound
from .namespaces import (
    CMKG,
    DCTERMS,
    ID,
    PROV,
    QB,
    QUDT,
    RDF,
    RDFS,
    SDO,
    SKOS,
    UNIT,
    country_iri,
    measure_iri,
    mineral_iri,
    organization_iri,
    reference_graph_iri,
    stage_iri,
)
from .vocabularies import (
    OTHER_COUNTRIES,
    Triple,
    _graph,
    contract_mineral_ids,
    country_code,
    list_mineral_id,
    read_data_csv,
)

__all__ = [
    "COMMODITY_MINERALS",
    "RELEASES",
    "USGS_STAGES",
    "USGS_UNITS",
    "dataset_iri",
    "list_iri",
    "observation_iri",
    "reference_graphs",
]

#: The reference releases, each in its own named graph ``reference_graph_iri(release)``.
RELEASES: Final = ("usgs-mcs-2026", "iea-reported", "critical-mineral-lists")

#: USGS commodity names -> mineral ids. The PGM chapter's production column is palladium (see
#: SOURCES.md); its reserves are for all PGMs and go to platinum-group-metals (see ``_mineral``).
COMMODITY_MINERALS: Final[Mapping[str, str]] = {
    "Aluminum": "aluminium",
    "Antimony": "antimony",
    "Bismuth": "bismuth",
    "Chromium": "chromium",
    "Cobalt": "cobalt",
    "Copper": "copper",
    "Fluorspar": "fluorspar",
    "Gallium": "gallium",
    "Graphite (natural)": "graphite",
    "Indium": "indium",
    "Lithium": "lithium",
    "Magnesium metal": "magnesium",
    "Manganese": "manganese",
    "Nickel": "nickel",
    "Niobium": "niobium",
    "Palladium (PGM chapter)": "palladium",
    "Rare earths": "rare-earths",
    "Silicon": "silicon",
    "Tantalum": "tantalum",
    "Tin": "tin",
    "Titanium (sponge metal)": "titanium",
    "Tungsten": "tungsten",
    "Vanadium": "vanadium",
    "Zinc": "zinc",
    "Zirconium (mineral concentrates)": "zirconium",
}

#: USGS table columns -> (stage, measure). Copper's "refinery_production" really is refinery
#: output (SOURCES.md), so it is processing like the other refinery, smelter and metal columns.
USGS_STAGES: Final[Mapping[str, tuple[str, str]]] = {
    "mine_production": ("mining", "production"),
    "refinery_production": ("processing", "production"),
    "smelter_production": ("processing", "production"),
    "primary_low_purity_production": ("processing", "production"),
    "primary_metal_production": ("processing", "production"),
    "sponge_metal_production": ("processing", "production"),
    "ferrosilicon_and_silicon_metal_production": ("processing", "production"),
    "refinery_capacity": ("processing", "capacity"),
    "smelter_capacity": ("processing", "capacity"),
    "primary_low_purity_capacity": ("processing", "capacity"),
    "primary_metal_capacity": ("processing", "capacity"),
    "reserves": ("reserves", "reserves"),
}

#: USGS unit strings (as in the ``unit`` column) -> (QUDT unit, basis or ""). Each row carries its
#: own unit: vanadium reserves are thousand tonnes while its production is tonnes.
USGS_UNITS: Final[Mapping[str, tuple[URIRef, str]]] = {
    "metric tons": (UNIT.TONNE, ""),
    "thousand metric tons": (UNIT.KiloTONNE, ""),
    "kilograms, gallium content": (UNIT.KiloGM, "contained metal"),
    "kilograms, palladium": (UNIT.KiloGM, "contained metal"),
    "kilograms, platinum-group metals": (UNIT.KiloGM, "contained metal"),
    "metric tons, antimony content": (UNIT.TONNE, "contained metal"),
    "metric tons, cobalt content": (UNIT.TONNE, "contained metal"),
    "metric tons, lithium content": (UNIT.TONNE, "contained metal"),
    "metric tons, nickel content": (UNIT.TONNE, "contained metal"),
    "metric tons, niobium content": (UNIT.TONNE, "contained metal"),
    "metric tons, tantalum content": (UNIT.TONNE, "contained metal"),
    "metric tons, tin content": (UNIT.TONNE, "contained metal"),
    "metric tons, tin content (units note not captured by extractor; MCS tin chapter convention)": (
        UNIT.TONNE,
        "contained metal",
    ),
    "metric tons, tungsten content": (UNIT.TONNE, "contained metal"),
    "metric tons, vanadium content": (UNIT.TONNE, "contained metal"),
    "metric tons, rare-earth-oxide (REO) equivalent": (UNIT.TONNE, "rare-earth oxide"),
    "metric tons, REO equivalent": (UNIT.TONNE, "rare-earth oxide"),
    "thousand metric tons, copper content": (UNIT.KiloTONNE, "contained metal"),
    "thousand metric tons, manganese content": (UNIT.KiloTONNE, "contained metal"),
    "thousand metric tons, silicon content": (UNIT.KiloTONNE, "contained metal"),
    "thousand metric tons, vanadium content": (UNIT.KiloTONNE, "contained metal"),
    "thousand metric tons, zinc content": (UNIT.KiloTONNE, "contained metal"),
    "thousand metric tons, gross weight (chromite ore)": (UNIT.KiloTONNE, "gross weight"),
    "thousand metric tons, gross weight (shipping-grade chromite ore)": (
        UNIT.KiloTONNE,
        "gross weight",
    ),
    "thousand metric tons (measured as 100% CaF2)": (UNIT.KiloTONNE, "100% CaF2 equivalent"),
    "thousand metric tons, zirconium mineral concentrates (basis not captured by extractor; "
    "verify against PDF)": (UNIT.KiloTONNE, "mineral concentrates"),
}

_STATUS: Final = {
    "reported": "reported",
    "as reported in MCS 2026": "reported",
    "estimate": "estimate",
    "withheld": "withheld",
    "not available": "not-available",
}

_OTHER_NAMES: Final = frozenset({"Other countries", "Other"})
_WORLD_NAMES: Final = frozenset({"World total (rounded)"})

_PUBLIC_DOMAIN: Final = URIRef("https://creativecommons.org/publicdomain/mark/1.0/")
_CC_BY_4: Final = URIRef("https://creativecommons.org/licenses/by/4.0/")
#: Commission Decision 2011/833/EU on the reuse of Commission documents.
_EU_REUSE: Final = URIRef("http://data.europa.eu/eli/dec/2011/833/oj")

_USGS: Final = organization_iri("U.S. Geological Survey")
_CMKG_PROJECT: Final = organization_iri("cmkg")


def dataset_iri(release: str) -> URIRef:
    """The IRI of a reference dataset (one release).

    >>> str(dataset_iri("usgs-mcs-2026"))
    'https://w3id.org/cmkg/id/dataset/usgs-mcs-2026'
    """
    return ID[f"dataset/{release}"]


def list_iri(list_id: str) -> URIRef:
    """The IRI of a critical-mineral list by its ``list_id`` (``US-2025``, ``EU-CRMA-CRM``...).

    >>> str(list_iri("US-2025"))
    'https://w3id.org/cmkg/id/list/US-2025'
    """
    return ID[f"list/{list_id}"]


def observation_iri(
    release: str, mineral: str, stage: str, measure: str, country: str, year: int | str
) -> URIRef:
    """The IRI of an observation: ``id/obs/<release>/<mineral>/<stage>/<measure>/<ISO2>/<year>``.

    Shares derived from USGS figures use the measure segment ``share-of-<measure>`` (a share of
    production and a share of capacity are two observations); figures without a plain year use
    a key of their row in place of the year.

    >>> str(observation_iri("usgs-mcs-2026", "rare-earths", "mining", "production", "cn", 2024))
    'https://w3id.org/cmkg/id/obs/usgs-mcs-2026/rare-earths/mining/production/CN/2024'
    """
    return ID[f"obs/{release}/{mineral}/{stage}/{measure}/{country.upper()}/{year}"]


def _organization(iri: URIRef, name: str) -> list[Triple]:
    return [
        (iri, RDF.type, SDO.Organization),
        (iri, RDF.type, DCTERMS.Agent),
        (iri, RDFS.label, Literal(name, lang="en")),
    ]


def _dataset(
    release: str,
    *,
    title: str,
    publisher: URIRef,
    sources: Iterable[str],
    licenses: Iterable[URIRef],
    issued: Literal,
    description: str,
    structured: bool = True,
) -> list[Triple]:
    iri = dataset_iri(release)
    out: list[Triple] = [
        (iri, RDF.type, CMKG.ReferenceDataset),
        (iri, RDF.type, QB.DataSet),
        (iri, DCTERMS.title, Literal(title, lang="en")),
        (iri, RDFS.label, Literal(title, lang="en")),
        (iri, DCTERMS.description, Literal(description, lang="en")),
        (iri, DCTERMS.publisher, publisher),
        (iri, DCTERMS.issued, issued),
    ]
    out += [(iri, DCTERMS.source, URIRef(url)) for url in sorted(set(sources))]
    out += [(iri, DCTERMS.license, lic) for lic in licenses]
    if structured:
        out.append((iri, QB.structure, ID["dsd/supply"]))
    return out


def _observation(
    iri: URIRef,
    *,
    dataset: URIRef,
    country: str,
    mineral: str,
    stage: str,
    measure: str,
    year: int | None,
    value: Decimal | None,
    unit: URIRef,
    basis: str,
    comparator: str,
    status: str,
    value_raw: str,
    notes: Iterable[str],
    source: str,
) -> list[Triple]:
    out: list[Triple] = [
        (iri, RDF.type, CMKG.SupplyObservation),
        (iri, RDF.type, QB.Observation),
        (iri, QB.dataSet, dataset),
        (iri, CMKG.country, country_iri(country)),
        (iri, CMKG.mineral, mineral_iri(mineral)),
        (iri, CMKG.stage, stage_iri(stage)),
        (iri, CMKG.measure, measure_iri(measure)),
        (iri, QUDT.unit, unit),
        (iri, CMKG.comparator, Literal(comparator)),
        (iri, CMKG.status, Literal(status)),
        (iri, CMKG.valueRaw, Literal(value_raw)),
        (iri, DCTERMS.source, URIRef(source)),
    ]
    if year is not None:
        out.append((iri, CMKG.year, Literal(year, datatype=XSD.integer)))
    if value is not None:
        out.append((iri, CMKG.value, Literal(value, datatype=XSD.decimal)))
    if basis:
        out.append((iri, CMKG.basis, Literal(basis)))
    out += [(iri, CMKG.note, Literal(note)) for note in dict.fromkeys(notes) if note]
    return out


def _decimal(text: str) -> Decimal:
    """A figure of a CSV as a Decimal without trailing zeros after the point."""
    value = Decimal(text)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _country(name: str) -> str:
    return OTHER_COUNTRIES if name in _OTHER_NAMES else country_code(name)


def _mineral(commodity: str, raw_stage: str) -> str:
    try:
        mineral = COMMODITY_MINERALS[commodity]
    except KeyError:
        raise NotFound(f"usgs csv: no mineral id for commodity {commodity!r}") from None
    if commodity == "Palladium (PGM chapter)" and raw_stage == "reserves":
        return "platinum-group-metals"  # SOURCES.md: PGM reserves are for all PGMs
    return mineral


def _lookup(table: Mapping[str, object], key: str, what: str, where: str) -> object:
    try:
        return table[key]
    except KeyError:
        raise NotFound(f"{where}: unknown {what} {key!r}") from None


def _usgs() -> list[Triple]:
    release = "usgs-mcs-2026"
    shares_release = "usgs-mcs-2026-shares"
    rows = read_data_csv("reference/usgs_mcs2026_world_production_reserves.csv")
    world: dict[tuple[str, str, str], dict[str, str]] = {
        (r["commodity"], r["stage"], r["year"]): r for r in rows if r["country"] in _WORLD_NAMES
    }
    out: list[Triple] = []
    base: dict[tuple[str, str, str, str], URIRef] = {}
    status_of: dict[URIRef, str] = {}
    qualifier_of: dict[URIRef, str] = {}
    source_of: dict[URIRef, str] = {}
    for number, row in enumerate(rows, start=2):
        if row["country"] in _WORLD_NAMES:
            continue
        where = f"usgs_mcs2026_world_production_reserves.csv line {number}"
        stage, measure = _lookup(USGS_STAGES, row["stage"], "stage", where)  # type: ignore[misc]
        unit, basis = _lookup(USGS_UNITS, row["unit"], "unit", where)  # type: ignore[misc]
        status = str(_lookup(_STATUS, row["status"], "status", where))
        mineral = _mineral(row["commodity"], row["stage"])
        country = _country(row["country"])
        year = int(row["year"])
        iri = observation_iri(release, mineral, stage, measure, country, year)
        if iri in status_of:
            raise NotFound(f"{where}: a second row for {iri}")
        withheld = status in ("withheld", "not-available") or row["value"] == ""
        notes = [row["row_note"], row["commodity_note"]]
        if "(" in row["unit"]:  # the unit text carries a caveat (basis, units not captured)
            notes.append(f"unit as transcribed: {row['unit']}")
        if row["status"] != status:
            notes.append(f"status as transcribed: {row['status']}")
        total = world.get((row["commodity"], row["stage"], row["year"]))
        out += _observation(
            iri,
            dataset=dataset_iri(release),
            country=country,
            mineral=mineral,
            stage=stage,
            measure=measure,
            year=year,
            value=None if withheld else _decimal(row["value"]),
            unit=unit,
            basis=basis,
            comparator=row["qualifier"] or "=",
            status=status,
            value_raw=row["value_raw"],
            notes=[*notes, *_world_notes(total)],
            source=row["source_pdf"],
        )
        if total is not None and total["value"]:
            out.append(
                (iri, CMKG.worldTotal, Literal(_decimal(total["value"]), datatype=XSD.decimal))
            )
        base[(row["commodity"], row["country"], row["stage"], row["year"])] = iri
        status_of[iri] = status
        qualifier_of[iri] = row["qualifier"]
        source_of[iri] = row["source_pdf"]

    shares = read_data_csv("reference/usgs_mcs2026_country_shares.csv")
    for number, row in enumerate(shares, start=2):
        where = f"usgs_mcs2026_country_shares.csv line {number}"
        key = (row["commodity"], row["country"], row["stage"], row["year"])
        source_iri = base.get(key)
        if source_iri is None:
            raise NotFound(f"{where}: no production row for {key}")
        stage, measure = USGS_STAGES[row["stage"]]
        mineral = _mineral(row["commodity"], row["stage"])
        country = _country(row["country"])
        year = int(row["year"])
        iri = observation_iri(shares_release, mineral, stage, f"share-of-{measure}", country, year)
        comparator = _share_comparator(qualifier_of[source_iri], row["world_total_qualifier"])
        out += _observation(
            iri,
            dataset=dataset_iri(shares_release),
            country=country,
            mineral=mineral,
            stage=stage,
            measure="share",
            year=year,
            value=_decimal(row["share_of_world_pct"]) / 100,
            unit=UNIT.FRACTION,
            basis=f"share of world {measure}",
            comparator=comparator,
            status=status_of[source_iri],
            value_raw=f"{row['share_of_world_pct']}%",
            notes=[
                row["note"].lstrip("; "),
                "derived by cmkg: value / rounded USGS world total (approximate, ±1-3 points)",
            ],
            source=source_of[source_iri],
        )
        out += [
            (iri, CMKG.worldTotal, Literal(_decimal(row["world_total"]), datatype=XSD.decimal)),
            (iri, PROV.wasDerivedFrom, source_iri),
        ]

    pdfs = {r["source_pdf"] for r in rows}
    out += _organization(_USGS, "U.S. Geological Survey (National Minerals Information Center)")
    out += _organization(_CMKG_PROJECT, "cmkg project")
    out += _dataset(
        release,
        title="USGS Mineral Commodity Summaries 2026: world production, capacity and reserves",
        publisher=_USGS,
        sources=pdfs,
        licenses=[_PUBLIC_DOMAIN],
        issued=Literal("2026-02", datatype=XSD.gYearMonth),
        description=(
            "World production (and capacity, reserves) by country for 25 commodities, 2024 "
            "(reported) and 2025 (estimate), from the 'World production and reserves' tables of "
            "the chapters of MCS 2026, transcribed from the public repository "
            "pranava0x0/usgs-mineral-commodity-summaries. Copper rows are refinery output; the "
            "PGM chapter's production rows are palladium and its reserves all PGMs; units "
            "differ per row. US Government work, public domain."
        ),
    )
    out += _dataset(
        shares_release,
        title="Country shares of USGS MCS 2026 world totals (derived)",
        publisher=_CMKG_PROJECT,
        sources=pdfs,
        licenses=[_PUBLIC_DOMAIN],
        issued=Literal("2026-11", datatype=XSD.gYearMonth),
        description=(
            "For every country row of USGS MCS 2026 with a non-zero value, its share of the "
            "rounded USGS world total (value / world total), computed by cmkg. Shares against a "
            "lower-bound world total ('>') have comparator '<'."
        ),
    )
    out.append((dataset_iri(shares_release), PROV.wasDerivedFrom, dataset_iri(release)))
    return out


def _world_notes(total: dict[str, str] | None) -> list[str]:
    if total is None:
        return []
    notes = []
    if total["qualifier"] == ">":
        notes.append("world total is a lower bound ('>')")
    if not total["value"]:
        notes.append("world total not available")
    if total["row_note"]:
        notes.append(f"world total: {total['row_note']}")
    return notes


def _share_comparator(value_qualifier: str, total_qualifier: str) -> str:
    """How a share relates to the true share, given the qualifiers of value and world total."""
    if total_qualifier == ">":
        # value / a lower bound of the total: the true share is lower, unless the value is a
        # lower bound too (then nothing is known but the order of magnitude)
        return "~" if value_qualifier == ">" else "<"
    return value_qualifier or "="


# processing_shares_reported.csv: which rows become observations, and why others do not.
# Left out, each for a stated reason:
# - rows about a group of countries, not one country: "top-3 refining countries";
# - ownership-based figures, not a country's share of world supply: "Chinese-owned mines in
#   Congo (Kinshasa)";
# - averages over several minerals (no single mineral id): "copper+lithium+nickel+cobalt+
#   graphite+rare earths (average)", "20 energy-related strategic minerals (average)" (these
#   include China's conflicting ~70% / ~75% average);
# - projections (data_year says "projection": 2030 rare earths and graphite, 2023-2035 nickel);
# - shares of something other than world supply: Indonesia's share of expected refined nickel
#   supply *growth* 2023-2035.
_IEA_NOT_COUNTRIES: Final = frozenset(
    {"top-3 refining countries", "Chinese-owned mines in Congo (Kinshasa)"}
)
_IEA_MULTI_MINERAL: Final = frozenset(
    {
        "copper+lithium+nickel+cobalt+graphite+rare earths (average)",
        "20 energy-related strategic minerals (average)",
    }
)
_IEA_NOT_WORLD_SHARE: Final = frozenset({"share of expected refined supply growth 2023-2035"})
_IEA_MINERALS: Final[Mapping[str, str]] = {
    "rare earths": "rare-earths",
    "lithium": "lithium",
    "cobalt": "cobalt",
    "nickel": "nickel",
    "copper": "copper",
    "graphite (battery-grade)": "graphite",
    "graphite (natural)": "graphite",
}
_IEA_STAGES: Final[Mapping[str, str]] = {
    "mining": "mining",
    "processing": "processing",
    "refining": "processing",
    "refining/processing": "processing",
    "refining (capacity)": "processing",
    "processing (capacity)": "processing",
}
_IEA_COMPARATORS: Final = {"": "=", ">": ">", "around": "~", "approximately": "~"}
_YEAR = re.compile(r"\d{4}")


def _iea() -> list[Triple]:
    release = "iea-reported"
    rows = read_data_csv("reference/processing_shares_reported.csv")
    out: list[Triple] = []
    for number, row in enumerate(rows, start=2):
        where = f"processing_shares_reported.csv line {number}"
        if (
            row["country_or_group"] in _IEA_NOT_COUNTRIES
            or row["mineral"] in _IEA_MULTI_MINERAL
            or row["metric"] in _IEA_NOT_WORLD_SHARE
            or "projection" in row["data_year"]
        ):
            continue
        mineral = str(_lookup(_IEA_MINERALS, row["mineral"], "mineral", where))
        stage = str(_lookup(_IEA_STAGES, row["stage"], "stage", where))
        comparator = str(_lookup(_IEA_COMPARATORS, row["qualifier"], "qualifier", where))
        if row["unit"] != "%":
            raise NotFound(f"{where}: unknown unit {row['unit']!r}")
        country = country_code(row["country_or_group"])
        year = int(row["data_year"]) if _YEAR.fullmatch(row["data_year"]) else None
        key = hashlib.sha256("|".join(row.values()).encode("utf-8")).hexdigest()[:8]
        iri = observation_iri(
            release, mineral, stage, "share", country, f"{year or 'undated'}-{key}"
        )
        notes = [
            f"data year as stated: {row['data_year']}" if year is None else "",
            "share of capacity" if "capacity" in row["stage"] else "",
            f"reliability: {row['reliability']}",
            f"read on: {row['page_publisher']}",
            row["note"],
        ]
        out += _observation(
            iri,
            dataset=dataset_iri(release),
            country=country,
            mineral=mineral,
            stage=stage,
            measure="share",
            year=year,
            value=_decimal(row["value"]) / 100,
            unit=UNIT.FRACTION,
            basis=row["metric"],
            comparator=comparator,
            status="reported",
            value_raw=f"{row['qualifier']} {row['value']}%".strip(),
            notes=notes,
            source=row["retrieved_from_url"],
        )
        out.append((iri, DCTERMS.bibliographicCitation, Literal(row["original_source"])))
    out += _organization(_CMKG_PROJECT, "cmkg project")
    out += _dataset(
        release,
        title="Mineral processing and mining shares as reported (mostly IEA)",
        publisher=_CMKG_PROJECT,
        sources=[row["retrieved_from_url"] for row in rows],
        licenses=[_CC_BY_4],
        issued=Literal("2026-11", datatype=XSD.gYearMonth),
        description=(
            "Shares of world processing and mining stated in text by the IEA (and a few "
            "industry analysts), read on the pages in dct:source; reported statements, not a "
            "dataset. Only single-country, single-mineral, non-projected world shares are kept. "
            "IEA material is CC BY 4.0; the licences of third-party pages are unknown."
        ),
    )
    return out


_URL = re.compile(r"https?://\S+")
#: When each list was issued: the date where the sources give it, else the year.
_LIST_ISSUED: Final = {
    "US-2022": Literal("2022-02-24", datatype=XSD.date),  # 87 FR 10381
    "US-2025": Literal("2025-11-07", datatype=XSD.date),
    "EU-CRMA-CRM": Literal("2024", datatype=XSD.gYear),  # Regulation (EU) 2024/1252
    "EU-CRMA-SRM": Literal("2024", datatype=XSD.gYear),
}


def _lists() -> list[Triple]:
    release = "critical-mineral-lists"
    rows = read_data_csv("reference/critical_minerals_lists.csv")
    out: list[Triple] = []
    sources: set[str] = set()
    labels = {mid: mid.replace("-", " ") for mid in contract_mineral_ids()}
    for number, row in enumerate(rows, start=2):
        where = f"critical_minerals_lists.csv line {number}"
        iri = list_iri(row["list_id"])
        try:
            mineral = mineral_iri(list_mineral_id(row["material"]))
            jurisdiction = country_iri(country_code(row["jurisdiction"]))
        except NotFound as error:
            raise NotFound(f"{where}: {error}") from None
        urls = [row["source_url"], *_URL.findall(row["source_2"])]
        sources.update(urls)
        out += [
            (iri, RDF.type, CMKG.CriticalMineralList),
            (iri, RDFS.label, Literal(row["list_name"], lang="en")),
            (iri, DCTERMS.publisher, jurisdiction),
            (iri, DCTERMS.issued, _LIST_ISSUED[row["list_id"]]),
            (iri, SKOS.notation, Literal(row["list_id"])),
            (iri, SKOS.note, Literal(f"category: {row['category']}", lang="en")),
            (iri, SKOS.note, Literal(f"year as stated: {row['year']}", lang="en")),
            (iri, DCTERMS.isPartOf, dataset_iri(release)),
            (mineral, CMKG.onList, iri),
            (iri, SKOS.member, mineral),
        ]
        out += [(iri, DCTERMS.source, URIRef(url.rstrip(";,"))) for url in urls]
        mid = list_mineral_id(row["material"])
        if row["material"].casefold() != labels.get(mid, mid).casefold() or row["note"]:
            note = f"entry '{row['material']}' -> {mid}" + (
                f": {row['note']}" if row["note"] else ""
            )
            out.append((iri, SKOS.note, Literal(note, lang="en")))
    out += _organization(_CMKG_PROJECT, "cmkg project")
    out += _dataset(
        release,
        title="Official critical-mineral lists (US 2022, US 2025, EU CRMA)",
        publisher=_CMKG_PROJECT,
        sources=[url.rstrip(";,") for url in sources],
        licenses=[_PUBLIC_DOMAIN, _EU_REUSE],
        issued=Literal("2026-11", datatype=XSD.gYearMonth),
        description=(
            "Membership of the USGS 2022 list (50), the 2025 US list (60, assembled from the "
            "2022 list and the 10 additions), and the EU Critical Raw Materials Act's critical "
            "(34) and strategic (17) raw materials. US lists: public domain; EU: reuse "
            "authorised (Decision 2011/833/EU)."
        ),
        structured=False,
    )
    return out


@functools.cache
def _triples() -> dict[URIRef, tuple[Triple, ...]]:
    return {
        reference_graph_iri("usgs-mcs-2026"): tuple(_usgs()),
        reference_graph_iri("iea-reported"): tuple(_iea()),
        reference_graph_iri("critical-mineral-lists"): tuple(_lists()),
    }


def reference_graphs() -> dict[URIRef, Graph]:
    """The reference releases as RDF, by named-graph IRI (``reference_graph_iri(release)``).

    Built once from the shipped CSVs and cached; every call returns new graphs. A name, unit,
    stage or commodity the mapping tables do not know raises
    :class:`~cmkg.graph.errors.NotFound` naming the file and line: nothing is dropped silently.

    Examples
    --------
    >>> graphs = reference_graphs()
    >>> sorted(str(iri).rsplit("/", 1)[1] for iri in graphs)
    ['critical-mineral-lists', 'iea-reported', 'usgs-mcs-2026']
    >>> lists = graphs[reference_graph_iri("critical-mineral-lists")]
    >>> len(set(lists.subjects(CMKG.onList, list_iri("EU-CRMA-CRM"))))
    34
    """
    return {iri: _graph(triples) for iri, triples in _triples().items()}
