"""The controlled vocabularies of cmkg, built from the shipped CSVs, and the ontology's graphs.

:func:`ontology_graphs` returns four named graphs::

    cmkgg:ontology                the ontology itself (ontology/cmkg.ttl)
    cmkgg:vocabulary/minerals     SKOS minerals (minerals.csv + mineral_lexicon.csv labels,
                                  Wikidata and checked CGI commodity-code links, and the
                                  materials of critical-mineral lists that minerals.csv lacks)
    cmkgg:vocabulary/countries    countries (country-codes.csv, CLDR names from babel),
                                  the EU with its 27 members, and ZZ "Other countries"
    cmkgg:vocabulary/concepts     stages, measures, agreement kinds, export measures and
                                  consistency verdicts

Everything is read from package data (``cmkg.graph.data``, ``cmkg.ontology``); nothing touches
the network. The tables that encode a human judgement are explicit and public:
:data:`CGI_LINKS` (each link to the CGI vocabulary was checked by hand: element name and
symbol), :data:`LIST_MATERIALS` (list material names to mineral ids), :data:`MINTED_MINERALS`
(list materials minerals.csv lacks), :data:`COUNTRY_ALIASES` (country names of the sources that
country-codes.csv does not carry) and :data:`EU_MEMBERS`.

Examples
--------
>>> graphs = ontology_graphs()
>>> sorted(str(iri).rsplit("/graph/", 1)[1] for iri in graphs)
['ontology', 'vocabulary/concepts', 'vocabulary/countries', 'vocabulary/minerals']
>>> minerals = graphs[GRAPH["vocabulary/minerals"]]
>>> str(minerals.value(mineral_iri("neodymium"), SKOS.prefLabel))
'neodymium'
>>> country_code("Congo (Kinshasa)"), country_code("Korea, Republic of")
('CD', 'KR')
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Mapping
from importlib.resources import files
from typing import Final

from babel import Locale
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .errors import NotFound
from .namespaces import (
    CGI,
    CMKG,
    GEONAMES,
    GRAPH,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SKOS,
    WD,
    agreement_kind_iri,
    consistency_iri,
    country_iri,
    measure_iri,
    measure_kind_iri,
    mineral_iri,
    stage_iri,
)

__all__ = [
    "CGI_LINKS",
    "COUNTRY_ALIASES",
    "EU_MEMBERS",
    "LABEL_LANGUAGES",
    "LIST_MATERIALS",
    "MINTED_MINERALS",
    "OTHER_COUNTRIES",
    "RARE_EARTH_SUBGROUPS",
    "contract_mineral_ids",
    "country_code",
    "list_mineral_id",
    "ontology_graphs",
    "read_data_csv",
]

Triple = tuple[Node, Node, Node]

#: Languages of the CLDR country names added next to English (babel locales).
LABEL_LANGUAGES: Final = ("id", "zh", "ja", "es", "fr", "de", "pt")

#: The code of the aggregate "Other countries" of statistical tables (ISO user-assigned ZZ).
OTHER_COUNTRIES: Final = "ZZ"

#: The 27 member states of the European Union (since 1 February 2020).
EU_MEMBERS: Final = frozenset(
    {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"}
    | {"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
)

#: Country names used by the sources (USGS, IEA reports, lists) that country-codes.csv lacks.
COUNTRY_ALIASES: Final[Mapping[str, str]] = {
    "Burma": "MM",
    "Congo (Kinshasa)": "CD",
    "Congo (Brazzaville)": "CG",
    "European Union": "EU",
    "Korea, North": "KP",
    "Korea, Republic of": "KR",
    "Turkey": "TR",
    "United Kingdom": "GB",
    "United States": "US",
}

#: Links from mineral ids to the CGI commodity-code vocabulary, each checked by hand: the CGI
#: concept's English label names the same element or commodity and, for elements, its
#: ``skos:notation`` is the element's symbol. ``exact`` -> skos:exactMatch, ``close`` ->
#: skos:closeMatch, ``broad`` -> skos:broadMatch. The CGI file's own links to INSPIRE are not
#: copied (one maps iridium to rubidium); minerals CGI lacks (helium, critical minerals) have none.
CGI_LINKS: Final[Mapping[str, tuple[str, str]]] = {
    # rare earths: the group and its elements
    "rare-earths": ("exact", "rare-earth-element"),
    "light-rare-earths": ("exact", "lree"),
    "heavy-rare-earths": ("exact", "hree"),
    "lanthanum": ("exact", "lanthanum"),
    "cerium": ("exact", "cerium"),
    "praseodymium": ("exact", "praseodymium"),
    "neodymium": ("exact", "neodymium"),
    "promethium": ("exact", "promethium"),
    "samarium": ("exact", "samarium"),
    "europium": ("exact", "europium"),
    "gadolinium": ("exact", "gadolinium"),
    "terbium": ("exact", "terbium"),
    "dysprosium": ("exact", "dysprosium"),
    "holmium": ("exact", "holmium"),
    "erbium": ("exact", "erbium"),
    "thulium": ("exact", "thulium"),
    "ytterbium": ("exact", "ytterbium"),
    "lutetium": ("exact", "lutetium"),
    "yttrium": ("exact", "yttrium"),
    "scandium": ("exact", "scandium"),
    # platinum-group metals
    "platinum-group-metals": ("exact", "platinum-group"),
    "platinum": ("exact", "platinum"),
    "palladium": ("exact", "palladium"),
    "rhodium": ("exact", "rhodium"),
    "ruthenium": ("exact", "ruthenium"),
    "iridium": ("exact", "iridium"),
    "osmium": ("exact", "osmium"),
    # other elements
    "lithium": ("exact", "lithium"),
    "nickel": ("exact", "nickel"),
    "cobalt": ("exact", "cobalt"),
    "manganese": ("exact", "manganese"),
    "copper": ("exact", "copper"),
    "gallium": ("exact", "gallium"),
    "germanium": ("exact", "germanium"),
    "antimony": ("exact", "antimony"),
    "tungsten": ("exact", "tungsten"),
    "tin": ("exact", "tin"),
    "tantalum": ("exact", "tantalum"),
    "niobium": ("exact", "niobium"),
    "vanadium": ("exact", "vanadium"),
    "titanium": ("exact", "titanium"),
    "aluminium": ("exact", "aluminium"),
    "silicon": ("exact", "silicon"),
    "magnesium": ("exact", "magnesium"),
    "uranium": ("exact", "uranium"),
    "zinc": ("exact", "zinc"),
    "lead": ("exact", "lead"),
    "chromium": ("exact", "chromium"),
    "molybdenum": ("exact", "molybdenum"),
    "indium": ("exact", "indium"),
    "tellurium": ("exact", "tellurium"),
    "bismuth": ("exact", "bismuth"),
    "hafnium": ("exact", "hafnium"),
    "zirconium": ("exact", "zirconium"),
    "beryllium": ("exact", "beryllium"),
    "boron": ("exact", "boron"),
    "silver": ("exact", "silver"),
    "arsenic": ("exact", "arsenic"),
    "caesium": ("exact", "cesium"),  # US spelling in CGI; symbol Cs checked
    "rubidium": ("exact", "rubidium"),
    "rhenium": ("exact", "rhenium"),
    "gold": ("exact", "gold"),
    "strontium": ("exact", "strontium"),
    "phosphorus": ("exact", "phosphorous"),  # CGI misspells the label; symbol P checked
    # commodities that are not elements
    "graphite": ("exact", "graphite"),
    "bauxite": ("exact", "bauxite"),
    "iron-ore": ("exact", "iron-ore"),
    "potash": ("exact", "potash"),  # CGI's ja/zh labels (potassium carbonate) are not copied
    "barite": ("exact", "baryte"),  # the same mineral, BaSO4
    "feldspar": ("exact", "feldspar"),
    "fluorspar": ("close", "fluorite"),  # fluorspar is the commodity name of fluorite
    "phosphate": ("close", "phosphate-rock"),
    "metallurgical-coal": ("broad", "coal"),
}

_MATCH = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch, "broad": SKOS.broadMatch}

#: Material names of critical_minerals_lists.csv -> mineral id. One id per list entry, so that
#: a list has as many members as entries. "Bauxite/alumina/aluminium" (EU) is one entry for the
#: whole chain and maps to aluminium; the entry's wording is kept in a note on the list.
LIST_MATERIALS: Final[Mapping[str, str]] = {
    "Aluminum": "aluminium",
    "Antimony": "antimony",
    "Arsenic": "arsenic",
    "Barite": "barite",
    "Baryte": "barite",
    "Bauxite/alumina/aluminium": "aluminium",
    "Beryllium": "beryllium",
    "Bismuth": "bismuth",
    "Boron": "boron",
    "Boron (metallurgy grade)": "boron",
    "Boron/borate": "boron",
    "Cerium": "cerium",
    "Cesium": "caesium",
    "Chromium": "chromium",
    "Cobalt": "cobalt",
    "Coking coal": "metallurgical-coal",
    "Copper": "copper",
    "Dysprosium": "dysprosium",
    "Erbium": "erbium",
    "Europium": "europium",
    "Feldspar": "feldspar",
    "Fluorspar": "fluorspar",
    "Gadolinium": "gadolinium",
    "Gallium": "gallium",
    "Germanium": "germanium",
    "Graphite": "graphite",
    "Graphite (battery grade)": "graphite",
    "Hafnium": "hafnium",
    "Heavy rare earth elements": "heavy-rare-earths",
    "Helium": "helium",
    "Holmium": "holmium",
    "Indium": "indium",
    "Iridium": "iridium",
    "Lanthanum": "lanthanum",
    "Lead": "lead",
    "Light rare earth elements": "light-rare-earths",
    "Lithium": "lithium",
    "Lithium (battery grade)": "lithium",
    "Lutetium": "lutetium",
    "Magnesium": "magnesium",
    "Magnesium metal": "magnesium",
    "Manganese": "manganese",
    "Manganese (battery grade)": "manganese",
    "Metallurgical coal": "metallurgical-coal",
    "Natural graphite": "graphite",
    "Neodymium": "neodymium",
    "Nickel": "nickel",
    "Nickel (battery grade)": "nickel",
    "Niobium": "niobium",
    "Palladium": "palladium",
    "Phosphate": "phosphate",
    "Phosphate rock": "phosphate",
    "Phosphorus": "phosphorus",
    "Platinum": "platinum",
    "Platinum group metals": "platinum-group-metals",
    "Potash": "potash",
    "Praseodymium": "praseodymium",
    "Rare earth elements for permanent magnets (Nd, Pr, Tb, Dy, Gd, Sm, Ce)": "rare-earths",
    "Rhenium": "rhenium",
    "Rhodium": "rhodium",
    "Rubidium": "rubidium",
    "Ruthenium": "ruthenium",
    "Samarium": "samarium",
    "Scandium": "scandium",
    "Silicon": "silicon",
    "Silicon metal": "silicon",
    "Silver": "silver",
    "Strontium": "strontium",
    "Tantalum": "tantalum",
    "Tellurium": "tellurium",
    "Terbium": "terbium",
    "Thulium": "thulium",
    "Tin": "tin",
    "Titanium": "titanium",
    "Titanium metal": "titanium",
    "Tungsten": "tungsten",
    "Uranium": "uranium",
    "Vanadium": "vanadium",
    "Ytterbium": "ytterbium",
    "Yttrium": "yttrium",
    "Zinc": "zinc",
    "Zirconium": "zirconium",
}

#: Minerals that critical-mineral lists name and minerals.csv lacks: id -> (English label,
#: broader id, chemical symbol or "", is a group). They join the scheme with a scope note.
MINTED_MINERALS: Final[Mapping[str, tuple[str, str, str, bool]]] = {
    "light-rare-earths": ("light rare earth elements", "rare-earths", "", True),
    "heavy-rare-earths": ("heavy rare earth elements", "rare-earths", "", True),
    "feldspar": ("feldspar", "critical-minerals", "", False),
    "phosphorus": ("phosphorus", "critical-minerals", "P", False),
    "strontium": ("strontium", "critical-minerals", "Sr", False),
}

#: Members of the minted rare-earth subgroups, as the CGI vocabulary groups them (its ``lree`` and
#: ``hree`` concepts; a test checks this against cgi-commodity-code.ttl). The elements keep
#: rare-earths as a broader concept too (SKOS allows several).
RARE_EARTH_SUBGROUPS: Final[Mapping[str, tuple[str, ...]]] = {
    "light-rare-earths": (
        "lanthanum",
        "cerium",
        "praseodymium",
        "neodymium",
        "promethium",
        "samarium",
    ),
    "heavy-rare-earths": (
        "europium",
        "gadolinium",
        "terbium",
        "dysprosium",
        "holmium",
        "erbium",
        "thulium",
        "ytterbium",
        "lutetium",
        "yttrium",
    ),
}

#: mineral_lexicon.csv ids whose canonical id is not the same words with hyphens.
_LEXICON_IDS: Final[Mapping[str, str]] = {
    "rare_earth_elements": "rare-earths",
    "platinum_group_metals": "platinum-group-metals",
    "phosphate_rock": "phosphate",
}

_STAGES: Final = {
    "mining": ("mining", "Extraction of ore or brine from the ground (mine production)."),
    "processing": (
        "processing",
        "Refining, smelting, separation and other conversion of ores and concentrates into "
        "chemicals and metals.",
    ),
    "manufacturing": (
        "manufacturing",
        "Making components from processed materials: magnets, cathodes, anodes, alloys.",
    ),
    "recycling": ("recycling", "Recovery of the mineral from scrap and end-of-life products."),
    "reserves": (
        "reserves",
        "The part of an identified resource that could be economically extracted at the "
        "time of determination (not a flow: a stock in the ground).",
    ),
}

_MEASURES: Final = {
    "production": ("production", "Output over a year."),
    "capacity": ("capacity", "The output a plant or country could reach in a year."),
    "reserves": ("reserves", "The stock of economically extractable reserves."),
    "share": ("share", "A share of the world total, as a fraction in [0, 1]."),
}

_AGREEMENT_KINDS: Final = {
    "framework": ("framework", "A framework agreement setting out areas of cooperation."),
    "mou": ("memorandum of understanding", "A memorandum of understanding or of cooperation."),
    "treaty": ("treaty", "A binding treaty or convention."),
    "trade_deal": ("trade deal", "A trade agreement or deal covering minerals."),
    "partnership": ("partnership", "A partnership (e.g. a strategic minerals partnership)."),
    "offtake": ("offtake", "An agreement to buy a share of future output."),
    "investment": ("investment", "An agreement about investing in mineral projects."),
    "other": ("other", "Another kind of agreement."),
}

_EXPORT_MEASURES: Final = {
    "ban": ("ban", "Exports are prohibited."),
    "licensing": ("licensing", "Exports need a licence or permit."),
    "quota": ("quota", "Exports are capped by a quota."),
    "tightening": ("tightening", "Existing controls are made stricter."),
    "tax": ("tax", "Exports are taxed (export duty or levy)."),
    "lifting": ("lifting", "A control is lifted or suspended."),
    "other": ("other", "Another kind of export control."),
}

_CONSISTENCY: Final = {
    "consistent": ("consistent", "The claim agrees with the reference value within tolerance."),
    "contradicted": ("contradicted", "The claim disagrees with the reference value."),
    "unchecked": ("unchecked", "No reference value to compare the claim with."),
}


def read_data_csv(path: str) -> list[dict[str, str]]:
    """Read a CSV of ``cmkg.graph.data`` (e.g. ``"reference/country-codes.csv"``) as rows.

    Examples
    --------
    >>> rows = read_data_csv("contracts/minerals.csv")
    >>> rows[1]["id"], rows[1]["broader"]
    ('rare-earths', 'critical-minerals')
    """
    resource = files("cmkg.graph.data").joinpath(*path.split("/"))
    if not resource.is_file():
        raise NotFound(f"no data file {path!r} in cmkg.graph.data")
    text = resource.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.cache
def contract_mineral_ids() -> tuple[str, ...]:
    """The mineral ids of the facts contract (``minerals.csv``), in file order.

    Examples
    --------
    >>> ids = contract_mineral_ids()
    >>> ids[:3], "palladium" in ids, "feldspar" in ids
    (('critical-minerals', 'rare-earths', 'lanthanum'), True, False)
    """
    return tuple(row["id"] for row in read_data_csv("contracts/minerals.csv"))


def list_mineral_id(material: str) -> str:
    """The mineral id of a material name as printed in ``critical_minerals_lists.csv``.

    Raises :class:`~cmkg.graph.errors.NotFound` for a name the table does not know.

    Examples
    --------
    >>> list_mineral_id("Platinum group metals"), list_mineral_id("Cesium")
    ('platinum-group-metals', 'caesium')
    """
    try:
        return LIST_MATERIALS[material.strip()]
    except KeyError:
        raise NotFound(f"no mineral id for list material {material!r}") from None


@functools.cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for row in read_data_csv("reference/country-codes.csv"):
        code = row["ISO3166-1-Alpha-2"]
        for column in ("CLDR display name", "official_name_en", "UNTERM English Short"):
            name = row[column].strip().removesuffix(" (the)")
            if name:
                names.setdefault(name.casefold(), code)
    for name, code in COUNTRY_ALIASES.items():
        names[name.casefold()] = code
    return names


def country_code(name: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country name (English names of country-codes.csv or
    :data:`COUNTRY_ALIASES`).

    Raises :class:`~cmkg.graph.errors.NotFound` for an unknown name: never a silent guess.

    Examples
    --------
    >>> country_code("Burma"), country_code("Russia"), country_code("Côte d’Ivoire")
    ('MM', 'RU', 'CI')
    >>> country_code("Atlantis")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.NotFound: unknown country name 'Atlantis'
    """
    code = _country_names().get(name.strip().casefold())
    if code is None:
        raise NotFound(f"unknown country name {name!r}")
    return code


def _graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("cgi", str(CGI))
    graph.bind("gn", str(GEONAMES))
    for triple in triples:
        graph.add(triple)
    return graph


def _concept_triples(
    scheme: URIRef,
    cls: URIRef,
    concepts: Mapping[str, tuple[str, str]],
    iri_of: Callable[[str], URIRef],
) -> list[Triple]:
    out: list[Triple] = []
    for notation, (label, definition) in concepts.items():
        iri = iri_of(notation)
        out += [
            (iri, RDF.type, SKOS.Concept),
            (iri, RDF.type, cls),
            (iri, SKOS.inScheme, scheme),
            (iri, SKOS.topConceptOf, scheme),
            (scheme, SKOS.hasTopConcept, iri),
            (iri, SKOS.prefLabel, Literal(label, lang="en")),
            (iri, SKOS.definition, Literal(definition, lang="en")),
            (iri, SKOS.notation, Literal(notation)),
        ]
    return out


def _concepts() -> list[Triple]:
    return (
        _concept_triples(CMKG.StageScheme, CMKG.SupplyStage, _STAGES, stage_iri)
        + _concept_triples(CMKG.MeasureScheme, CMKG.Measure, _MEASURES, measure_iri)
        + _concept_triples(
            CMKG.AgreementKindScheme, CMKG.AgreementKind, _AGREEMENT_KINDS, agreement_kind_iri
        )
        + _concept_triples(
            CMKG.ExportMeasureScheme, CMKG.ExportMeasure, _EXPORT_MEASURES, measure_kind_iri
        )
        + _concept_triples(CMKG.ConsistencyScheme, CMKG.Consistency, _CONSISTENCY, consistency_iri)
    )


def _lexicon_id(raw: str) -> str:
    return _LEXICON_IDS.get(raw, raw.replace("_", "-"))


def _minerals() -> list[Triple]:
    out: list[Triple] = []
    scheme = CMKG.MineralScheme
    contract = read_data_csv("contracts/minerals.csv")
    known = {row["id"] for row in contract}

    def concept(mid: str, label: str, broader: str, symbol: str, group: bool) -> None:
        iri = mineral_iri(mid)
        out.extend(
            [
                (iri, RDF.type, SKOS.Concept),
                (iri, RDF.type, CMKG.Mineral),
                (iri, SKOS.inScheme, scheme),
                (iri, SKOS.prefLabel, Literal(label, lang="en")),
            ]
        )
        if group:
            out.append((iri, RDF.type, CMKG.MineralGroup))
        if symbol:
            out.extend([(iri, CMKG.symbol, Literal(symbol)), (iri, SKOS.notation, Literal(symbol))])
        if broader:
            out.append((iri, SKOS.broader, mineral_iri(broader)))
            out.append((mineral_iri(broader), SKOS.narrower, iri))
        else:
            out.append((iri, SKOS.topConceptOf, scheme))
            out.append((scheme, SKOS.hasTopConcept, iri))
        if mid in CGI_LINKS:
            kind, local = CGI_LINKS[mid]
            out.append((iri, _MATCH[kind], CGI[local]))

    for row in contract:
        mid = row["id"]
        is_group = row["note"].startswith("group:")
        concept(mid, row["label"], row["broader"], row["symbol"], is_group)
        iri = mineral_iri(mid)
        out.append((iri, CMKG.mineralId, Literal(mid)))
        if row["wikidata"]:
            out.append((iri, SKOS.exactMatch, WD[row["wikidata"]]))
        if is_group:
            note = row["note"].removeprefix("group:").strip()
            out.append((iri, SKOS.scopeNote, Literal(note, lang="en")))

    for mid, (label, broader, symbol, group) in MINTED_MINERALS.items():
        concept(mid, label, broader, symbol, group)
        note = (
            "Not in the facts contract's minerals.csv: minted because a critical-mineral list "
            "(critical_minerals_lists.csv) names it."
        )
        out.append((mineral_iri(mid), SKOS.scopeNote, Literal(note, lang="en")))
    for group, members in RARE_EARTH_SUBGROUPS.items():
        for member in members:
            out.append((mineral_iri(member), SKOS.broader, mineral_iri(group)))
            out.append((mineral_iri(group), SKOS.narrower, mineral_iri(member)))

    # Labels of mineral_lexicon.csv: the first label per language is the preferred one
    # (English keeps the label of minerals.csv), the others are alternative labels.
    preferred: dict[tuple[str, str], str] = {
        (row["id"], "en"): row["label"] for row in contract
    } | {(mid, "en"): spec[0] for mid, spec in MINTED_MINERALS.items()}
    seen: set[tuple[str, str, str]] = set()
    for row in read_data_csv("reference/mineral_lexicon.csv"):
        mid = _lexicon_id(row["id"])
        if mid not in known:
            raise NotFound(f"mineral_lexicon.csv id {row['id']!r} maps to unknown mineral {mid!r}")
        lang, label = row["lang"], row["label"].strip()
        if (mid, lang, label) in seen:
            continue
        seen.add((mid, lang, label))
        iri = mineral_iri(mid)
        pref = preferred.setdefault((mid, lang), label)
        if pref == label:
            out.append((iri, SKOS.prefLabel, Literal(label, lang=lang)))
        else:
            out.append((iri, SKOS.altLabel, Literal(label, lang=lang)))
    return out


def _countries() -> list[Triple]:
    out: list[Triple] = []
    locales = {lang: Locale.parse(lang) for lang in LABEL_LANGUAGES}
    for row in read_data_csv("reference/country-codes.csv"):
        code = row["ISO3166-1-Alpha-2"]
        iri = country_iri(code)
        english = row["CLDR display name"]
        out += [
            (iri, RDF.type, CMKG.Country),
            (iri, RDF.type, CMKG.Jurisdiction),
            (iri, CMKG.isoAlpha2, Literal(code)),
            (iri, CMKG.isoAlpha3, Literal(row["ISO3166-1-Alpha-3"])),
            (iri, CMKG.isoNumeric, Literal(row["ISO3166-1-numeric"].zfill(3))),
            (iri, RDFS.label, Literal(english, lang="en")),
        ]
        official = row["official_name_en"].strip()
        if official and official != english:
            out.append((iri, SKOS.altLabel, Literal(official, lang="en")))
        for lang, locale in locales.items():
            name = locale.territories.get(code)
            if name:
                out.append((iri, RDFS.label, Literal(name, lang=lang)))
        for column in ("Region Name", "Sub-region Name", "Intermediate Region Name"):
            if row[column]:
                out.append((iri, CMKG.region, Literal(row[column])))
        if row["wikidata_id"]:
            qid = row["wikidata_id"].rstrip("/").rsplit("/", 1)[1]
            out.append((iri, OWL.sameAs, WD[qid]))
        if row["Geoname ID"]:
            out.append((iri, OWL.sameAs, GEONAMES[f"{row['Geoname ID']}/"]))
        if code in EU_MEMBERS:
            out.append((iri, CMKG.memberOf, country_iri("EU")))

    eu = country_iri("EU")
    out += [
        (eu, RDF.type, CMKG.EconomicUnion),
        (eu, RDF.type, CMKG.Jurisdiction),
        (eu, CMKG.isoAlpha2, Literal("EU")),
        (eu, RDFS.label, Literal("European Union", lang="en")),
        (eu, OWL.sameAs, WD["Q458"]),
    ]
    for lang, locale in locales.items():
        out.append((eu, RDFS.label, Literal(locale.territories["EU"], lang=lang)))

    zz = country_iri(OTHER_COUNTRIES)
    out += [
        (zz, RDF.type, CMKG.Jurisdiction),
        (zz, RDFS.label, Literal("Other countries", lang="en")),
        (
            zz,
            RDFS.comment,
            Literal(
                "The aggregate of the countries a statistical table does not list one by one "
                "(USGS 'Other countries'); not a country.",
                lang="en",
            ),
        ),
    ]
    return out


def _ontology() -> list[Triple]:
    text = files("cmkg.ontology").joinpath("cmkg.ttl").read_text(encoding="utf-8")
    return list(Graph().parse(data=text, format="turtle"))


@functools.cache
def _triples() -> dict[URIRef, tuple[Triple, ...]]:
    return {
        GRAPH["ontology"]: tuple(_ontology()),
        GRAPH["vocabulary/minerals"]: tuple(_minerals()),
        GRAPH["vocabulary/countries"]: tuple(_countries()),
        GRAPH["vocabulary/concepts"]: tuple(_concepts()),
    }


def ontology_graphs() -> dict[URIRef, Graph]:
    """The ontology and its controlled vocabularies, by named-graph IRI.

    The content is read once and cached; every call returns new :class:`rdflib.Graph` objects
    (callers may change them without changing what the next caller gets).

    Returns
    -------
    dict
        ``GRAPH["ontology"]``, ``GRAPH["vocabulary/minerals"]``,
        ``GRAPH["vocabulary/countries"]`` and ``GRAPH["vocabulary/concepts"]`` -> graph.

    Examples
    --------
    >>> graphs = ontology_graphs()
    >>> countries = graphs[GRAPH["vocabulary/countries"]]
    >>> from rdflib import Literal
    >>> Literal("日本", lang="ja") in set(countries.objects(country_iri("JP"), RDFS.label))
    True
    >>> (country_iri("FR"), CMKG.memberOf, country_iri("EU")) in countries
    True
    """
    return {iri: _graph(triples) for iri, triples in _triples().items()}
