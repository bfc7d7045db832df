"""Unit tests for text -> facts: numbers, dates, sentences, mentions and each fact type, in
each language the pipeline handles, and the public API of ``cmkg.graph.extraction``."""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources

import pytest

import cmkg.graph.extraction as extraction
from cmkg.graph.errors import EmptyArticleError, InputError
from cmkg.graph.extraction import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract_facts
from cmkg.graph.extraction.dates import find_dates, parse_published
from cmkg.graph.extraction.language import detect_language
from cmkg.graph.extraction.lexicon import mineral_ids, sovereign_codes
from cmkg.graph.extraction.numbers import find_amounts, find_shares
from cmkg.graph.extraction.sentences import split_sentences
from cmkg.graph.facts import (
    AgreementFact,
    Article,
    ArticleFacts,
    ExportControlFact,
    InvestmentFact,
    ShareFact,
    validate_facts_json,
)


def run(text: str, lang: str = "", published: str | None = None) -> ArticleFacts:
    return extract_facts(Article(id="t", language=lang, published=published, text=text))


def of_type(result: ArticleFacts, kind: type) -> list:
    return [f for f in result.facts if isinstance(f, kind)]


# ------------------------------------------------------------------------------ public API


def test_public_api() -> None:
    assert extraction.__all__ == ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "extract_facts"]
    assert EXTRACTOR_NAME == "cmkg-extractor"
    assert EXTRACTOR_VERSION.count(".") == 2


def test_language_is_filled_in_and_the_article_kept() -> None:
    art = Article(
        id="a",
        language="und",
        title="T",
        published="2024-01-02",
        source="s",
        text="China mines gallium.",
    )
    out = extract_facts(art)
    assert out.article.language == "en"
    assert (out.article.id, out.article.title, out.article.published) == ("a", "T", "2024-01-02")
    assert out.article.text == art.text


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_an_article_without_text_is_refused(text: str) -> None:
    with pytest.raises(EmptyArticleError, match="'empty'"):
        extract_facts(Article(id="empty", language="en", text=text))


def test_an_article_with_no_text_field_is_refused() -> None:
    with pytest.raises(EmptyArticleError):
        extract_facts(Article(id="none", language="en"))


def test_anything_but_an_article_is_refused() -> None:
    with pytest.raises(InputError, match="Article"):
        extract_facts("China bans gallium exports")  # type: ignore[arg-type]


def test_output_is_deterministic_and_follows_the_schema() -> None:
    text = (
        "China bans gallium exports\n\nBEIJING – China on Tuesday banned exports of gallium to "
        "the United States. China produces about 98% of the world's gallium."
    )
    a, b = run(text, "en", "2024-12-03"), run(text, "en", "2024-12-03")
    assert a == b
    validate_facts_json(a.to_json())


# ---------------------------------------------------------------------------- lexicon files


def test_mineral_lexicon_uses_the_contract_ids() -> None:
    text = resources.files("cmkg.ontology").joinpath("mineral_lexicon.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    ids = set(mineral_ids())
    assert rows and {r["mineral"] for r in rows if r["mineral"]} <= ids
    assert {r["case"] for r in rows} <= {"fold", "exact"}
    assert {r["scope"] for r in rows} <= {"any", "lang"}


def test_country_aliases_use_sovereign_codes() -> None:
    text = resources.files("cmkg.ontology").joinpath("country_aliases.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    codes = {c for r in rows for c in r["code"].split("|") if c}
    assert codes <= sovereign_codes()
    assert all(r["code"] == "" for r in rows if r["kind"] == "blocker")


# -------------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Presiden Amerika Serikat menandatangani kesepakatan mineral kritis dengan Jepang.", "id"),
        ("中国商务部宣布对镓、锗相关物项实施出口管制。", "zh"),
        ("中國商務部宣布對鎵、鍺實施出口管制。", "zh"),
        ("日米両国はレアアースの供給確保で合意した。", "ja"),
        ("중국은 갈륨과 게르마늄 수출을 통제한다고 발표했다.", "ko"),
        ("China deckt 99 Prozent des weltweiten Bedarfs an schweren seltenen Erden.", "de"),
        ("La Chine fournit actuellement 98 % des terres rares utilisées en Europe.", "fr"),
        ("Chile tiene las mayores reservas mundiales de litio y es el segundo productor.", "es"),
        ("O governo dos Estados Unidos fechou um acordo de financiamento com a mineradora.", "pt"),
        ("La Cina ha vietato le esportazioni di gallio e germanio verso gli Stati Uniti.", "it"),
        ("China banned exports of gallium and germanium to the United States on Tuesday.", "en"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(("declared", "lang"), [("pt-BR", "pt"), ("zh-Hant", "zh"), ("EN", "en")])
def test_declared_language_wins(declared: str, lang: str) -> None:
    assert detect_language("Text in some language.", declared) == lang


# --------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "lang", "value", "comparator"),
    [
        ("lebih dari 90 persen kapasitas", "id", 0.9, ">"),
        ("about 90 per cent of supply", "en", 0.9, "~"),
        ("more than 90% of graphite", "en", 0.9, ">"),
        ("over 80 percent of global output", "en", 0.8, ">"),
        ("two-thirds of the world's cobalt", "en", 0.667, "="),
        ("at least 40% of refined copper", "en", 0.4, ">="),
        ("less than 5% of supply", "en", 0.05, "<"),
        ("中国占全球产量的三分之二", "zh", 0.667, "="),
        ("百分之七十", "zh", 0.7, "="),
        ("约占全球的48%", "zh", 0.48, "~"),
        ("世界のレアアース生産の約6割", "ja", 0.6, "~"),
        ("約4分の1を占める", "ja", 0.25, "~"),
        ("más del 60% del litio", "es", 0.6, ">"),
        ("cerca del 24% de la producción", "es", 0.24, "~"),
        ("près de 70 % de la production", "fr", 0.7, "~"),
        ("plus de la moitié de la production", "fr", 0.5, ">"),
        ("99 Prozent des Bedarfs", "de", 0.99, "="),
        ("rund 94 Prozent", "de", 0.94, "~"),
        ("cerca de 23% das reservas", "pt", 0.23, "~"),
        ("mais de 90% do refino", "pt", 0.9, ">"),
        ("circa il 98% del gallio", "it", 0.98, "~"),
        ("세계 흑연 생산의 약 65%", "ko", 0.65, "~"),
        ("reservas mundiales de litio (41%)", "es", 0.41, "="),
    ],
)
def test_shares_in_each_language(text: str, lang: str, value: float, comparator: str) -> None:
    shares = find_shares(text, lang)
    assert [(s.value, s.comparator) for s in shares] == [(value, comparator)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("ほぼ独占している", "ja"), ("volume ekspor melonjak 458,39 persen", "id")],
)
def test_no_share_without_a_fraction_of_a_whole(text: str, lang: str) -> None:
    assert find_shares(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "value", "currency"),
    [
        ("USD $200 million in equity finance", "en", 200e6, "USD"),
        ("a $550 billion deal", "en", 550e9, "USD"),
        ("US$ 565 milhões", "pt", 565e6, "USD"),
        ("216 millions d'euros", "fr", 216e6, "EUR"),
        ("20,8 miliar dolar AS", "id", 20.8e9, "USD"),
        ("más de 1.000 millones de dólares", "es", 1e9, "USD"),
        ("2 Milliarden Euro", "de", 2e9, "EUR"),
        ("总投资12.8亿美元", "zh", 1.28e9, "USD"),
        ("2億5000万ドルを出融資", "ja", 2.5e8, "USD"),
        ("A$5.8 million each", "en", 5.8e6, "AUD"),
    ],
)
def test_amounts(text: str, lang: str, value: float, currency: str) -> None:
    amounts = find_amounts(text, lang)
    assert [(a.value, a.currency) for a in amounts][:1] == [(pytest.approx(value), currency)]


# ----------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "lang", "published", "value"),
    [
        ("pada Selasa (28/10/2025)", "id", "2025-10-28", "2025-10-28"),
        ("the White House said on Monday", "en", "2025-10-28", "2025-10-27"),
        ("the ministry said on Friday", "en", "2023-10-20", "2023-10-20"),
        ("on April 4, 2025, issued Announcement 18", "en", "2025-04-10", "2025-04-04"),
        ("KINSHASA, Feb. 24 (Xinhua)", "en", "2025-02-25", "2025-02-24"),
        ("2025年4月4日,商务部", "zh", None, "2025-04-04"),
        ("高市早苗首相は２８日、", "ja", "2025-10-28 (event date)", "2025-10-28"),
        ("informou nesta quinta-feira (5)", "pt", "2026-02-05", "2026-02-05"),
        ("anunciado na última quarta-feira (4)", "pt", "2026-02-05", "2026-02-04"),
        ("em abril", "pt", "2025-06", "2025-04"),
        ("Im April hatte die Regierung", "de", "2025-06", "2025-04"),
        ("am 4. April 2025", "de", None, "2025-04-04"),
        ("este miércoles en Bruselas", "es", "2023-12-13", "2023-12-13"),
        ("a annoncé samedi qu'elle", "fr", "2025-10-11", "2025-10-11"),
        ("le 17 mars 2025", "fr", None, "2025-03-17"),
    ],
)
def test_dates_resolve_against_the_publication_date(
    text: str, lang: str, published: str | None, value: str
) -> None:
    dates = find_dates(text, lang, parse_published(published))
    assert dates and dates[0].value == value


def test_effective_dates_are_marked() -> None:
    dates = find_dates("will require permits from Dec 1", "en", dt.date(2023, 10, 20))
    assert [(d.value, d.relation) for d in dates] == [("2023-12-01", "from")]


def test_incomplete_dates_need_a_publication_date() -> None:
    assert find_dates("said on Monday", "en", None) == []


# ------------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "In doing so, the U.S. gets access. Washington has stated it.",
            ["In doing so, the U.S. gets access.", "Washington has stated it."],
        ),
        (
            "Prices rose 4.5% on Dec. 1. Gen. Smith said so.",
            ["Prices rose 4.5% on Dec. 1.", "Gen. Smith said so."],
        ),
        (
            "Vice President J.D. Vance spoke. Donald J. Trump signed.",
            ["Vice President J.D. Vance spoke.", "Donald J. Trump signed."],
        ),
        (
            "商务部发布公告。出口经营者应当申请许可！",
            ["商务部发布公告。", "出口经营者应当申请许可！"],
        ),
        ("両首脳は合意した。重要鉱物を確保する。", ["両首脳は合意した。", "重要鉱物を確保する。"]),
        (
            "Die Regelung gilt ab dem 1. August. Sie betrifft Gallium.",
            ["Die Regelung gilt ab dem 1. August.", "Sie betrifft Gallium."],
        ),
        (
            '"This is a deal," he said. It covers nickel.',
            ['"This is a deal," he said.', "It covers nickel."],
        ),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_bullets_and_lines_are_their_own_sentences() -> None:
    text = "Title line\n\nThe items:\n  • Samarium. These include alloys.\n  • Terbium.\n"
    sents = split_sentences(text, title=True)
    assert [s.text for s in sents] == [
        "Title line",
        "The items:",
        "• Samarium.",
        "These include alloys.",
        "• Terbium.",
    ]
    assert sents[0].is_title and sents[2].is_bullet and not sents[1].is_bullet
    assert all(text[s.start : s.end] == s.text for s in sents)


# -------------------------------------------------------------------------------- mentions


@pytest.mark.parametrize(
    ("text", "lang", "countries", "minerals"),
    [
        (
            "AS-Jepang Tandatangani Kesepakatan Mineral Kritis dan Tanah Jarang",
            "id",
            ["US", "JP"],
            ["critical-minerals", "rare-earths"],
        ),
        (
            "Ekspor nikel mencapai 20,8 miliar dolar AS; Uni Eropa menggugat ke WTO soal bauksit.",
            "id",
            ["EU"],
            ["nickel", "bauxite"],
        ),
        (
            "トランプ米大統領と高市首相は東京で会談し、レアアースで合意した。",
            "ja",
            ["US"],
            ["rare-earths"],
        ),
        (
            "中国は世界の希土類を独占し、日米は重要鉱物で協力する。",
            "ja",
            ["CN", "JP", "US"],
            ["rare-earths", "critical-minerals"],
        ),
        (
            "中美两国就稀土和钐、镝出口管制进行磋商，美元走强。",
            "zh",
            ["CN", "US"],
            ["rare-earths", "samarium", "dysprosium"],
        ),
        ("中國對鎵、鍺實施出口管制，台灣業者關注。", "zh", ["CN", "TW"], ["gallium", "germanium"]),
        (
            "La autorización china se suma a las de Brasil, Corea del Sur y la Unión Europea "
            "sobre el litio y el cobre.",
            "es",
            ["CN", "BR", "KR", "EU"],
            ["lithium", "copper"],
        ),
        (
            "EE.UU. y la RDC firmaron un acuerdo sobre minerales críticos y cobalto.",
            "es",
            ["US", "CD"],
            ["critical-minerals", "cobalt"],
        ),
        (
            "L'État français et des partenaires japonais financent le recyclage de terres rares "
            "et d'aimants, face à la Chine.",
            "fr",
            ["FR", "JP", "CN"],
            ["rare-earths"],
        ),
        (
            "Halte Peking an den Ausfuhrbeschränkungen für seltene Erden fest, leidet die "
            "deutsche Industrie; die USA reagieren.",
            "de",
            ["CN", "DE", "US"],
            ["rare-earths"],
        ),
        (
            "Os EUA fecharam um empréstimo com a mineradora brasileira de terras raras; "
            "Washington quer reduzir o controle da China sobre disprósio e minerais críticos.",
            "pt",
            ["US", "BR", "CN"],
            ["rare-earths", "dysprosium", "critical-minerals"],
        ),
        (
            "La Cina ha vietato l'export di gallio verso gli Stati Uniti.",
            "it",
            ["CN", "US"],
            ["gallium"],
        ),
        ("중국은 한국과 미국에 대한 흑연 수출을 통제했다.", "ko", ["CN", "KR", "US"], ["graphite"]),
        (
            "Naija government don sign deal wit China for lithium mining.",
            "pcm",
            ["CN"],
            ["lithium"],
        ),
    ],
)
def test_mentions_in_each_language(
    text: str, lang: str, countries: list[str], minerals: list[str]
) -> None:
    result = run(text, lang)
    assert sorted(result.mentions.countries) == sorted(countries)
    assert sorted(result.mentions.minerals) == sorted(minerals)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("JAKARTA – Indonesia banned nickel ore exports.", "US"),  # control: no US at all
        ("BEIJING – Indonesia banned nickel ore exports.", "CN"),  # a dateline
        ("KINSHASA, Feb. 24 (Xinhua) -- Indonesia banned nickel exports.", "CD"),
        ("Indonesia banned nickel exports, the Washington Post reported.", "US"),  # an outlet
        ("Indonesia banned nickel exports, the Japan Times said.", "JP"),
        ("Indonesia earned US$ 20 billion from nickel.", "US"),  # a currency
        ("A London-based analyst said nickel prices fell.", "GB"),  # a place, not an actor
        ("Ships crossed the South China Sea carrying nickel.", "CN"),  # a region
        ("Prime Minister Sanae Takaichi met officials in Tokyo about nickel.", "JP"),
    ],
)
def test_names_that_are_not_country_mentions(text: str, absent: str) -> None:
    assert absent not in run(text, "en").mentions.countries


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Disruptions could lead to soaring prices for cobalt.", "lead"),
        ("Zhejiang Huayou Cobalt bought the Arcadia lithium mine.", "cobalt"),
        ("The company listed in Silicon Valley makes nickel parts.", "silicon"),
        ("The Critical Raw Materials Act covers nickel.", "critical-minerals"),
    ],
)
def test_words_that_are_not_mineral_mentions(text: str, absent: str) -> None:
    assert absent not in run(text, "en").mentions.minerals


@pytest.mark.parametrize(
    ("text", "mineral"),
    [
        ("rare-earth magnets are scarce", "rare-earths"),
        ("lithium carbonate prices", "lithium"),
        ("nickel pig iron output", "nickel"),
        ("coltan is mined in Kivu", "tantalum"),
        ("alumina refineries", "aluminium"),
        ("Lead and zinc mines reopened.", "lead"),
    ],
)
def test_products_and_forms_name_their_mineral(text: str, mineral: str) -> None:
    assert mineral in run(text, "en").mentions.minerals


# ------------------------------------------------------------------------------ agreements


@pytest.mark.parametrize(
    ("text", "lang", "published", "parties", "mineral"),
    [
        (
            "Australia and the United States have signed a framework on critical minerals.",
            "en",
            None,
            {"AU", "US"},
            "critical-minerals",
        ),
        (
            "Trump dan Takaichi menandatangani dokumen kerangka kerja yang menjamin pasokan "
            "mineral "
            "kritis antara AS dan Jepang.",
            "id",
            None,
            {"US", "JP"},
            "critical-minerals",
        ),
        ("中国与巴西签署了关于锂和稀土合作的谅解备忘录。", "zh", None, {"CN", "BR"}, "lithium"),
        (
            "日本とオーストラリア両政府は重要鉱物のパートナーシップに署名した。",
            "ja",
            None,
            {"JP", "AU"},
            "critical-minerals",
        ),
        (
            "La Unión Europea y Chile firmaron un acuerdo sobre litio.",
            "es",
            None,
            {"EU", "CL"},
            "lithium",
        ),
        (
            "La France et l'Australie ont signé un accord sur les minerais critiques.",
            "fr",
            None,
            {"FR", "AU"},
            "critical-minerals",
        ),
        (
            "Deutschland und Kanada haben ein Abkommen über Lithium unterzeichnet.",
            "de",
            None,
            {"DE", "CA"},
            "lithium",
        ),
        (
            "O Brasil e a China assinaram um acordo sobre terras raras.",
            "pt",
            None,
            {"BR", "CN"},
            "rare-earths",
        ),
    ],
)
def test_agreements(
    text: str, lang: str, published: str | None, parties: set, mineral: str
) -> None:
    facts = of_type(run(text, lang, published), AgreementFact)
    assert [set(f.parties) for f in facts] == [parties]
    assert mineral in facts[0].minerals


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "The European Union is in talks with Washington on a similar minerals deal on lithium.",
            "en",
        ),
        ("Japan and India may sign a rare earths agreement next year.", "en"),
        ("Japan and India plan to sign a deal on rare earths.", "en"),
        ("The deal came as Japan and the United States discussed rare earths.", "en"),
        ("Codelco and SQM, two Chilean companies, signed a lithium deal.", "en"),
        ("Kedua negara akan menandatangani perjanjian nikel dengan Korea Selatan.", "id"),
        ("日米は重要鉱物の協定に署名する予定だ。", "ja"),
    ],
)
def test_no_agreement_when_hedged_or_between_companies(text: str, lang: str) -> None:
    assert of_type(run(text, lang), AgreementFact) == []


def test_both_nations_refer_back_to_the_parties() -> None:
    text = (
        "Japan and Australia signed a partnership on lithium. Both nations agreed to "
        "cooperate on rare earths too."
    )
    facts = of_type(run(text, "en"), AgreementFact)
    assert len(facts) == 1 and set(facts[0].parties) == {"JP", "AU"}
    assert set(facts[0].minerals) >= {"lithium", "rare-earths"}


# ------------------------------------------------------------------------- export controls


@pytest.mark.parametrize(
    ("text", "lang", "published", "country", "minerals", "measure"),
    [
        (
            "China on Tuesday banned exports of gallium, germanium and antimony to the United "
            "States.",
            "en",
            "2024-12-03",
            "CN",
            {"gallium", "germanium", "antimony"},
            "ban",
        ),
        (
            "The Democratic Republic of the Congo has announced a four-month suspension of cobalt "
            "exports.",
            "en",
            None,
            "CD",
            {"cobalt"},
            "ban",
        ),
        (
            "Pemerintah resmi melarang ekspor bijih nikel mulai 1 Januari 2020.",
            "id",
            "2019-09-03",
            "ID",
            {"nickel"},
            "ban",
        ),
        (
            "商务部宣布对锑相关物项实施出口管制，出口经营者应当申请许可。",
            "zh",
            "2024-08-15",
            "CN",
            {"antimony"},
            "licensing",
        ),
        ("中国政府はガリウムの輸出規制を導入した。", "ja", None, "CN", {"gallium"}, None),
        (
            "Bolivia impuso restricciones a la exportación de litio.",
            "es",
            None,
            "BO",
            {"lithium"},
            "tightening",
        ),
        (
            "L'Indonésie a levé l'interdiction des exportations de bauxite.",
            "fr",
            None,
            "ID",
            {"bauxite"},
            "lifting",
        ),
        (
            "Im April hatte die chinesische Regierung Exportkontrollen auf seltene Erden "
            "eingeführt, als Reaktion auf die Strafzölle der USA.",
            "de",
            "2025-06",
            "CN",
            {"rare-earths"},
            None,
        ),
        ("O Zimbábue proibiu as exportações de lítio bruto.", "pt", None, "ZW", {"lithium"}, "ban"),
    ],
)
def test_export_controls(
    text: str, lang: str, published: str | None, country: str, minerals: set, measure: str | None
) -> None:
    facts = of_type(run(text, lang, published), ExportControlFact)
    assert len(facts) == 1
    assert facts[0].country == country and set(facts[0].minerals) == minerals
    if measure is not None:
        assert facts[0].measure == measure


def test_the_acting_country_is_not_the_destination() -> None:
    text = "Exports of graphite to Japan were banned by China last week."
    facts = of_type(run(text, "en"), ExportControlFact)
    assert [f.country for f in facts] == ["CN"]


@pytest.mark.parametrize(
    "text",
    [
        "The Philippines could ban nickel ore exports, a minister said.",
        "Indonesia may also restrict tin exports, the president added.",
        "Both countries commit to refrain from imposing export duties on cobalt.",
        "China has export controls.",  # no mineral
    ],
)
def test_no_export_control_when_hedged_or_without_mineral(text: str) -> None:
    assert of_type(run(text, "en"), ExportControlFact) == []


def test_an_older_measure_is_a_separate_fact() -> None:
    text = (
        "China will require export permits for graphite from Dec 1. Three types of graphite "
        "items have already been under temporary controls, the ministry said."
    )
    facts = of_type(run(text, "en", "2023-10-20"), ExportControlFact)
    assert [f.country for f in facts] == ["CN", "CN"]


# ---------------------------------------------------------------------------------- shares


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "The DRC is the world's largest cobalt producer, supplying over 80 percent of global "
            "output.",
            "en",
            ("CD", "cobalt", "mining", 0.8, ">"),
        ),
        (
            "China saat ini menguasai lebih dari 90 persen kapasitas pengolahan grafit di dunia.",
            "id",
            ("CN", "graphite", "processing", 0.9, ">"),
        ),
        ("2023年中国锑矿产量约占全球的48%。", "zh", ("CN", "antimony", "mining", 0.48, "~")),
        (
            "中国は世界のレアアース生産の約6割を占める。",
            "ja",
            ("CN", "rare-earths", "mining", 0.6, "~"),
        ),
        (
            "Chile tiene las mayores reservas mundiales de litio (41%).",
            "es",
            ("CL", "lithium", "reserves", 0.41, "="),
        ),
        (
            "La RDC fournit près de 70 % de la production mondiale de cobalt.",
            "fr",
            ("CD", "cobalt", "mining", 0.7, "~"),
        ),
        (
            "China deckt 93 Prozent des weltweiten Bedarfs an Magneten ab.",
            "de",
            ("CN", "rare-earths", "manufacturing", 0.93, "="),
        ),
        (
            "O Brasil tem cerca de 23% das reservas mundiais de terras raras.",
            "pt",
            ("BR", "rare-earths", "reserves", 0.23, "~"),
        ),
        ("The country refines 99% of battery-grade graphite.", "en", None),  # whose country?
    ],
)
def test_shares(text: str, lang: str, expected: tuple | None) -> None:
    facts = of_type(run(text, lang), ShareFact)
    got = [(f.country, f.mineral, f.stage, f.value, f.comparator) for f in facts]
    assert got == ([expected] if expected else [])


def test_the_country_refers_back() -> None:
    text = (
        "China's control over critical minerals extends to refining. The country refines "
        "99% of battery-grade graphite, over 80% of refined magnet rare earths and 70% of "
        "refined cobalt."
    )
    got = {(f.country, f.mineral, f.stage, f.value) for f in of_type(run(text, "en"), ShareFact)}
    assert got == {
        ("CN", "graphite", "processing", 0.99),
        ("CN", "rare-earths", "processing", 0.8),
        ("CN", "cobalt", "processing", 0.7),
    }


@pytest.mark.parametrize(
    "text",
    [
        "China supplies 98% of the rare earths used in Europe.",  # a region's use
        "The top three producers accounted for 86% of the market for lithium.",
        "Nickel exports rose 458 percent, data from China showed.",  # a change
        "The CRMA targets meeting 10 percent of the EU's demand for lithium through extraction.",
        "Japan imports 60% of its cobalt from China.",
        "China has a 50% stake in the lithium mine.",
    ],
)
def test_not_a_world_share(text: str) -> None:
    assert of_type(run(text, "en"), ShareFact) == []


# ----------------------------------------------------------------------------- investments


@pytest.mark.parametrize(
    ("text", "lang", "host", "minerals", "amount"),
    [
        (
            "The gallium project in Wagerup, Western Australia, will receive USD $200 million in "
            "equity finance from the Australian government.",
            "en",
            "AU",
            {"gallium"},
            200e6,
        ),
        (
            "Tsingshan Holding Group telah membangun kompleks smelter nikel di Morowali, "
            "Sulawesi Tengah.",
            "id",
            "ID",
            {"nickel"},
            None,
        ),
        ("华友钴业在印度尼西亚投资建设镍钴冶炼项目。", "zh", "ID", {"nickel", "cobalt"}, None),
        (
            "双日は豪レアアース大手ライナスに2億5000万ドルを出資した。",
            "ja",
            "AU",
            {"rare-earths"},
            250e6,
        ),
        (
            "Uranium One Group invertirá 450 millones de dólares en una planta de litio en el "
            "salar de Uyuni.",
            "es",
            "BO",
            {"lithium"},
            450e6,
        ),
        (
            "Les sociétés japonaises JOGMEC et Iwatani ont investi 110 millions d'euros dans "
            "l'usine "
            "de recyclage de terres rares de Carester à Lacq.",
            "fr",
            "FR",
            {"rare-earths"},
            None,
        ),
        (
            "O governo dos Estados Unidos fechou um acordo de financiamento de US$ 565 milhões com "
            "a mineradora brasileira de terras raras Serra Verde.",
            "pt",
            "BR",
            {"rare-earths"},
            565e6,
        ),
    ],
)
def test_investments(text: str, lang: str, host: str, minerals: set, amount: float | None) -> None:
    facts = of_type(run(text, lang), InvestmentFact)
    assert facts and {f.host for f in facts} == {host}
    assert all(set(f.minerals) == minerals and f.amount_usd == amount for f in facts)


def test_a_government_investor_is_its_country_code() -> None:
    text = (
        "The U.S. International Development Finance Corporation (DFC) agreed to lend "
        "$150 million to expand the Balama graphite mine in Mozambique."
    )
    facts = of_type(run(text, "en"), InvestmentFact)
    assert [(f.investor, f.host) for f in facts] == [("US", "MZ")]


def test_the_buyer_of_a_stake_is_the_investor() -> None:
    text = (
        "A Vale vai vender uma participação de 10% em sua unidade de cobre e níquel para a "
        "Manara Minerals por US$ 2,5 bilhões."
    )
    facts = of_type(run(text, "pt"), InvestmentFact)
    assert [(f.investor, f.host) for f in facts] == [("Manara Minerals", "BR")]


@pytest.mark.parametrize(
    "text",
    [
        "The two countries aim to strengthen supply chains through coordinated investment.",
        "The company said it may consider selling a minority stake in its lithium mine.",
        "New investments in the US and Europe are designed to challenge China on graphite.",
        "The Philippines wants to encourage investment in nickel processing, its Finance "
        "Secretary said.",
    ],
)
def test_no_investment_without_a_concrete_one(text: str) -> None:
    assert of_type(run(text, "en"), InvestmentFact) == []


# ----------------------------------------------------------------------------- evidence


def test_evidence_is_the_sentences_with_their_offsets() -> None:
    text = (
        "Graphite deal\n\nThe Alcoa project in Wagerup, Western Australia, will receive "
        "USD $200 million in equity finance from the Australian government for gallium. "
        "The United States government will also take an equity stake."
    )
    result = run(text, "en")
    facts = of_type(result, InvestmentFact)
    assert len(facts) == 2
    for f in facts:
        assert text[f.evidence_start : f.evidence_end] == f.evidence
    assert facts[1].evidence.startswith("The Alcoa project")  # the stake continues it
    assert facts[1].investor == "US" and facts[1].host == "AU"


# ----------------------------------------------------- batch D: what an outside evaluation found


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("produce una cuarta parte del litio mundial", "es", 0.25),
        ("Chile aporta un tercio del cobre mundial", "es", 1 / 3),
        ("中国加工了全球七成以上的锂", "zh", 0.7),
        ("玻利维亚拥有世界约两成的锂资源", "zh", 0.2),
        ("世界のニッケル生産の半分を占める", "ja", 0.5),
        ("세계 니켈 채굴량의 약 절반을 차지한다", "ko", 0.5),
        ("fördert drei Viertel des weltweit abgebauten Kobalts", "de", 0.75),
        ("mines a quarter of the world's cobalt", "en", 0.25),
    ],
)
def test_fractions_in_words(text: str, lang: str, value: float) -> None:
    assert [round(s.value, 3) for s in find_shares(text, lang)] == [round(value, 3)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a descriptive anaphor: the last country mentioned that lies in the region
        (
            "The United States and the Democratic Republic of Congo announced a partnership. "
            "The Central African nation mines about 70 percent of the world's cobalt.",
            "en",
            ("CD", "cobalt", "mining", 0.7),
        ),
        (
            "Die Demokratische Republik Kongo hat die Ausfuhr von Kobalt ausgesetzt. Das "
            "zentralafrikanische Land fördert rund drei Viertel des weltweit abgebauten Kobalts.",
            "de",
            ("CD", "cobalt", "mining", 0.75),
        ),
        (
            "Japan and Indonesia met in Tokyo. The Southeast Asian country mines half of the "
            "world's nickel.",
            "en",
            ("ID", "nickel", "mining", 0.5),
        ),
        # Japanese and Korean: the country comes after the figure
        (
            "世界のレアアース磁石生産のおよそ9割を中国が占める。",
            "ja",
            ("CN", "rare-earths", "manufacturing", 0.9),
        ),
        (
            "세계 니켈 채굴량의 약 절반을 인도네시아가 차지한다.",
            "ko",
            ("ID", "nickel", "mining", 0.5),
        ),
        # an apposition between the subject and its verb
        (
            "Chile, otro socio de Bruselas, produce una cuarta parte del litio mundial.",
            "es",
            ("CL", "lithium", "mining", 0.25),
        ),
    ],
)
def test_share_countries_resolved(text: str, lang: str, expected: tuple) -> None:
    got = [
        (f.country, f.mineral, f.stage, round(f.value, 3))
        for f in of_type(run(text, lang), ShareFact)
    ]
    assert got == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "China refines two-thirds of the world's rare earths and supplies 45% of the EU's magnets.",
        "日本のレアアース輸入の約6割も中国からだ。",
    ],
)
def test_shares_of_a_region_or_of_imports_are_left_out(text: str) -> None:
    got = {(f.country, f.value) for f in of_type(run(text), ShareFact)}
    assert all(value < 0.4 or value > 0.6 for _, value in got)  # no 45% / 60% share


def test_korean_sentences_are_split() -> None:
    parts = split_sentences("니켈을 인도네시아가 차지한다. 한국 업체들은 의존한다.")
    assert [p.text for p in parts] == ["니켈을 인도네시아가 차지한다.", "한국 업체들은 의존한다."]


def test_two_measures_in_one_sentence_are_two_facts() -> None:
    out = run(
        "China will require export licences for gallium and will ban exports of graphite to "
        "the United States, the ministry said.",
        "en",
    )
    got = {(f.country, f.minerals, f.measure) for f in of_type(out, ExportControlFact)}
    assert got == {("CN", ("gallium",), "licensing"), ("CN", ("graphite",), "ban")}


def test_a_restated_measure_is_one_fact_and_keeps_its_government() -> None:
    out = run(
        "China will ban exports of graphite to the United States, the ministry said. Analysts "
        "said the graphite ban could cost US battery makers billions. Washington is considering "
        "restrictions of its own. The ministry said the graphite ban on shipments to the United "
        "States takes effect immediately.",
        "en",
    )
    got = [(f.country, f.minerals) for f in of_type(out, ExportControlFact)]
    assert got == [("CN", ("graphite",))]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "China said exporters of antimony will also face stricter end-use reviews.",
            "en",
            ("CN", ("antimony",), "tightening"),
        ),
        (
            "China's commerce ministry said exporters of germanium have needed a licence since "
            "August 2023.",
            "en",
            ("CN", ("germanium",), "licensing"),
        ),
        (
            "Die Demokratische Republik Kongo hat die Ausfuhr von Kobalt ausgesetzt.",
            "de",
            ("CD", ("cobalt",), "ban"),
        ),
        (
            "인도네시아 정부는 니켈 원광 수출을 허가제로 바꿨다고 밝혔다.",
            "ko",
            ("ID", ("nickel",), "licensing"),
        ),
    ],
)
def test_export_control_phrasings(text: str, lang: str, expected: tuple) -> None:
    got = [(f.country, f.minerals, f.measure) for f in of_type(run(text, lang), ExportControlFact)]
    assert got == [expected]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("정부는 보크사이트 수출 전면 금지도 검토하고 있다.", "ko"),
        ("Die Behörde droht mit einem Exportverbot für Kobalt.", "de"),
        ("分析人士称，玻利维亚政府可能限制锂原料出口。", "zh"),
    ],
)
def test_hedged_export_controls_are_left_out(text: str, lang: str) -> None:
    assert of_type(run(text, lang), ExportControlFact) == []


def test_a_word_cut_in_two_is_not_a_negation() -> None:
    # "européenne" must not read as "ne ... pas" before the signing verb
    out = run(
        "L'Union européenne et l'Ukraine ont lancé mardi un partenariat stratégique sur les "
        "matières premières, qui couvre notamment le lithium et le titane.",
        "fr",
    )
    got = [(set(f.parties), f.minerals) for f in of_type(out, AgreementFact)]
    assert got == [({"EU", "UA"}, ("lithium", "titanium"))]


def test_a_partnership_on_raw_materials_covers_critical_minerals() -> None:
    out = run(
        "La Unión Europea y Namibia anunciaron el martes una asociación estratégica sobre "
        "materias primas críticas e hidrógeno verde.",
        "es",
    )
    got = [(set(f.parties), f.minerals) for f in of_type(out, AgreementFact)]
    assert got == [({"EU", "NA"}, ("critical-minerals",))]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # the host is where the plant is, and a country's company is not its government
        (
            "Australia's Lynas Rare Earths will invest A$500 million to expand its processing "
            "plant in Kuantan, Malaysia.",
            "en",
            {("Lynas Rare Earths", "MY", ("rare-earths",))},
        ),
        # a defence department funding a plant: its country
        (
            "The US Department of Defense awarded Lynas US$258 million to build a heavy rare "
            "earths separation plant in Texas.",
            "en",
            {("US", "US", ("rare-earths",))},
        ),
        # the seller's side: the buyers invest
        (
            "Sumitomo Metal Mining menjual 10% saham di proyek smelter nikel Pomalaa, Sulawesi "
            "Tenggara, kepada Huayou dan Ford.",
            "id",
            {("Huayou", "ID", ("nickel",)), ("Ford", "ID", ("nickel",))},
        ),
        # an industrial park is a place, not an investor
        (
            "Tsingshan menanamkan US$ 2 miliar di Kawasan Industri Weda Bay untuk pabrik nikel.",
            "id",
            {("Tsingshan", "ID", ("nickel",))},
        ),
        # a consortium's leader
        (
            "由宁德时代牵头的财团将投资10亿美元在玻利维亚建设两座碳酸锂工厂。",
            "zh",
            {("宁德时代", "BO", ("lithium",))},
        ),
    ],
)
def test_investors_and_hosts(text: str, lang: str, expected: set) -> None:
    got = {(f.investor, f.host, f.minerals) for f in of_type(run(text, lang), InvestmentFact)}
    assert got == expected


def test_no_investment_from_an_export_ban() -> None:
    out = run(
        "O Zimbábue proibiu na terça-feira a exportação de minério de lítio bruto para obrigar "
        "as mineradoras a investir em refinarias locais.",
        "pt",
        "2022-12-21",
    )
    assert of_type(out, InvestmentFact) == []
    assert [f.country for f in of_type(out, ExportControlFact)] == ["ZW"]


@pytest.mark.parametrize(
    ("text", "lang", "present", "absent"),
    [
        ("Singapore-based trader Trafigura said it would cut purchases.", "en", "SG", None),
        ("Der Schweizer Konzern Glencore betreibt zwei Minen.", "de", "CH", None),
        ("한국 업체들은 호주산 리튬에 의존한다.", "ko", "AU", None),
        ("米国のキャサリン・タイ代表と日本の経済産業相が署名した。", "ja", "US", "TH"),
        ("タイ・ベトナム両国の政府", "ja", "TH", None),
    ],
)
def test_company_descriptors_and_names_of_persons(
    text: str, lang: str, present: str, absent: str | None
) -> None:
    countries = run(text, lang).mentions.countries
    assert present in countries
    if absent is not None:
        assert absent not in countries


def test_a_company_descriptor_is_not_an_actor() -> None:
    out = run(
        "Congo suspended cobalt exports in February. Singapore-based trader Trafigura said "
        "the ban could cut its purchases.",
        "en",
    )
    assert [f.country for f in of_type(out, ExportControlFact)] == ["CD"]
