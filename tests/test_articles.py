"""Article inputs: decoding, HTML main text, the dev-set header, normalisation, ids, errors."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from cmkg.graph.articles import (
    article_id,
    decode_bytes,
    iter_inputs,
    iter_named_inputs,
    normalise_text,
    read_article,
    read_json,
    read_jsonl,
)
from cmkg.graph.errors import ArticleTooLarge, DecodingError, EmptyArticleError, InputError

INPUTS = Path(__file__).parent / "data" / "inputs"
DEV = Path(__file__).parent / "data" / "dev-set"

JA = "重要鉱物およびレアアース（希土類）の供給確保に関する合意文書に署名した。"
ZH = "宣布对钐、钆、铽、镝、镥、钪、钇相关物项实施出口管制"
FR = "Le financement global du projet atteint 216 millions d'euros, répartis entre l'État"
DE = "Die temporären Ausfuhrbeschränkungen von sogenannten schweren seltenen Erden"


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("text", "encoding", "media_type"),
    [
        (f"Titre\n\n{FR}.", "latin-1", "text/plain; charset=ISO-8859-1"),
        (f"Titre\n\n{FR}.", "cp1252", "text/plain; charset=windows-1252"),
        (f"見出し\n\n{JA}", "shift_jis", "text/plain; charset=Shift_JIS"),
        (f"标题\n\n{ZH}。", "gbk", "text/plain; charset=GBK"),
        (f"标题\n\n{ZH}。", "gb2312", 'text/plain; charset="gb2312"'),
        (f"Titel\n\n{DE}.", "utf-16", None),  # Python writes a BOM
        (f"Titel\n\n{DE}.", "utf-16-be", "text/plain; charset=utf-16be"),
        (f"Titel\n\n{DE}.", "utf-32", None),  # BOM
        (f"Titel\n\n{DE}.", "utf-8-sig", None),
        (f"Titel\n\n{DE}.", "utf-8", None),
    ],
)
def test_declared_and_bom_encodings_decode_to_the_original(
    text: str, encoding: str, media_type: str | None
) -> None:
    article = read_article(text.encode(encoding), media_type=media_type, name="x.txt")
    assert article.text == text
    assert article.id == article_id(text)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (f"見出しです\n\n{JA}", "shift_jis"),
        (f"中重稀土出口管制\n\n2025年4月4日,商务部 海关总署联合发布公告,{ZH}。", "gbk"),
        (f"BDI fürchtet Metallkrise\n\n{DE} „alarmierend“ für die deutsche Industrie.", "cp1252"),
        (f"Carester à Lacq\n\n{FR} français et des partenaires japonais.", "latin-1"),
    ],
)
def test_undeclared_encodings_are_detected(text: str, encoding: str) -> None:
    assert read_article(text.encode(encoding)).text == text


def test_charset_declared_in_html_meta_and_xml_declaration() -> None:
    meta = (
        "<html><head><meta charset='gbk'><title>中重稀土出口管制</title></head><body><article>"
        f"<h1>中重稀土出口管制</h1><p>2025年4月4日,商务部 海关总署联合发布公告,{ZH}。</p>"
        "</article></body></html>"
    ).encode("gbk")
    assert ZH in read_article(meta).text
    xml = (
        '<?xml version="1.0" encoding="iso-8859-1"?><html lang="fr"><body><article>'
        f"<h1>Carester</h1><p>{FR} français et des partenaires japonais.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    article = read_article(xml)
    assert FR in article.text
    assert article.language == "fr"


def test_the_same_text_in_any_encoding_or_line_ending_gets_the_same_id() -> None:
    text = f"BDI fürchtet Metallkrise\n\n{DE}."
    variants = [
        text.encode("utf-8"),
        text.encode("utf-16"),
        text.encode("cp1252"),
        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        (text.replace("\n\n", "  \n \n\n\n") + "\n\n").encode("utf-8"),
        unicodedata.normalize("NFD", text).encode("utf-8"),
    ]
    ids = {read_article(v).id for v in variants}
    assert ids == {article_id(text)}
    assert read_article(text + " Neu.").id not in ids


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (bytes(range(256)) * 4, "NUL"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) * 40 + b"text" * 10, "control"),
    ],
)
def test_binary_data_is_refused(data: bytes, needle: str) -> None:
    with pytest.raises(DecodingError, match=rf"'upload\.bin' looks like .*{needle}"):
        read_article(data, name="upload.bin")


def test_binary_text_is_refused() -> None:
    with pytest.raises(DecodingError, match="binary data"):
        read_article("abc\x00def" * 10, name="s")


def test_undecodable_bytes_name_the_file() -> None:
    path = INPUTS / "bad" / "undecodable.txt"
    with pytest.raises(DecodingError, match=r"undecodable\.txt' is not text in any encoding"):
        read_article(path.read_bytes(), name=path.name)


def test_a_lying_declaration_falls_back_to_what_decodes() -> None:
    # Declared UTF-8, actually Shift_JIS: strict UTF-8 fails, detection reads it.
    data = f"見出しです\n\n{JA}".encode("shift_jis")
    assert JA in read_article(data, media_type="text/plain; charset=utf-8").text


def test_decode_bytes_reports_the_encoding() -> None:
    assert decode_bytes("Zoë".encode("utf-16-le"), media_type="text/plain; charset=utf-16le") == (
        "Zoë",
        "utf_16_le",
    )
    assert decode_bytes(b"\x80 euro", media_type="text/plain; charset=latin1")[0] == "€ euro"


# ---------------------------------------------------------------------------- HTML


def test_html_main_text_drops_page_furniture() -> None:
    page = (INPUTS / "good" / "news-page.html").read_bytes()
    article = read_article(page, name="news-page.html")
    text = article.text
    assert text.startswith("China to curb exports of graphite, a key battery material\n")
    for sentence in (
        "China will require export permits for some graphite products from Dec 1",
        "providing 67 per cent of global supplies of the natural form",
        "gallium and germanium",
        "natural flake graphite",
    ):
        assert sentence in " ".join(text.split())
    for furniture in (
        "cookies",
        "Manage preferences",
        "Subscribe now",
        "Markets",
        "Share on",
        "newsletter",
        "Read more",
        "Cup final tickets",
        "best laptops",
        "Reader123",
        "Privacy policy",
        "All rights reserved",
        "dataLayer",
    ):
        assert furniture not in text, furniture
    assert article.title == "China to curb exports of graphite, a key battery material"
    assert article.published == "2023-10-20"
    assert article.source == "https://news.example.com/business/china-graphite-export-permits"
    assert article.language == "en"


def test_html_is_sniffed_without_a_media_type_and_declared_text_is_not() -> None:
    page = (
        "<!DOCTYPE html><html><body><nav>Home</nav><p>Cobalt exports halted in May.</p>"
        "</body></html>"
    )
    assert read_article(page).text == "Cobalt exports halted in May."
    assert read_article(page, media_type="text/plain").text.startswith("<!DOCTYPE html>")


def test_html_without_main_text_is_empty() -> None:
    with pytest.raises(EmptyArticleError, match="no main text"):
        read_article("<html><body><script>var x = 1;</script></body></html>", name="p.html")


# ---------------------------------------------------------------------------- header and text


def _gold(name: str) -> dict:
    return json.loads((DEV / "gold" / f"{name}.json").read_text(encoding="utf-8"))["article"]


DEV_NAMES = sorted(p.stem for p in (DEV / "articles").glob("*.txt"))


@pytest.mark.parametrize("name", [n for n in DEV_NAMES if n != "us-japan-framework-id"])
def test_dev_set_header_gives_the_gold_metadata(name: str) -> None:
    raw = (DEV / "articles" / f"{name}.txt").read_bytes()
    article = read_article(raw, name=f"{name}.txt")
    gold = _gold(name)
    assert (article.language, article.published, article.source) == (
        gold["language"],
        gold["published"],
        gold["source"],
    )
    header_title = raw.decode().split("\n")[1]
    if "(not captured" not in header_title:  # the annotator's reconstructions are kept
        assert article.title == gold["title"]
    assert "source:" not in article.text and "language:" not in article.text


def test_headerless_text_takes_its_first_line_as_title() -> None:
    raw = (DEV / "articles" / "us-japan-framework-id.txt").read_bytes()
    article = read_article(raw, name="us-japan-framework-id.txt")
    assert article.title == _gold("us-japan-framework-id")["title"]
    assert article.text == normalise_text(raw.decode())  # the title is already line one
    assert article.language == "id"
    assert article.source is None  # a name is for messages; files get theirs as source:
    path = DEV / "articles" / "us-japan-framework-id.txt"
    assert next(iter_inputs([path])).source == "us-japan-framework-id.txt"


@pytest.mark.parametrize("name", DEV_NAMES)
def test_gold_evidence_is_found_in_the_normalised_text(name: str) -> None:
    article = read_article((DEV / "articles" / f"{name}.txt").read_bytes())
    gold = json.loads((DEV / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    for fact in gold["facts"]:
        assert fact["evidence"] in article.text


def test_normalised_text_is_title_blank_line_body_unless_the_title_leads() -> None:
    body = "China will require export permits for graphite."
    assert read_article(body, title="Graphite curbs").text == f"Graphite curbs\n\n{body}"
    led = f"Graphite  curbs\n{body}"
    assert read_article(led, title="graphite curbs").text == led
    assert read_article(body).title is None  # one line: no title


def test_header_values_are_cleaned() -> None:
    raw = (
        "source: https://example.org/a extra words\n"
        "title: (not captured in excerpt)\n"
        "published: 2025-03 (first stone laid 17 March 2025)\n"
        "language: Indonesian\n\nIsi berita tentang nikel."
    )
    article = read_article(raw)
    assert (article.source, article.title, article.published, article.language) == (
        "https://example.org/a",
        None,
        "2025-03",
        "id",
    )
    assert article.text == "Isi berita tentang nikel."


def test_explicit_metadata_overrides_the_input() -> None:
    raw = "title: Old\nlanguage: en\n\nBody text about lithium."
    article = read_article(raw, title="New", language="pt-BR", published="2024-01-02", source="s")
    assert (article.title, article.language, article.published, article.source) == (
        "New",
        "pt",
        "2024-01-02",
        "s",
    )
    with pytest.raises(InputError, match="not a language code"):
        read_article(raw, language="12")


@pytest.mark.parametrize(
    "data", [b"", b"   \n\r\n\t ", "\ufeff\n", "source: x\ntitle: T\n\n   \n", b"\xef\xbb\xbf"]
)
def test_empty_text_is_refused(data: bytes | str) -> None:
    with pytest.raises(EmptyArticleError, match=r"'in\.txt' has no text"):
        read_article(data, name="in.txt")


def test_a_20_mb_text_is_refused_before_decoding() -> None:
    big = b"Lithium output rose again this year. " * 560_000  # about 20 MB
    assert len(big) > 20_000_000
    with pytest.raises(ArticleTooLarge, match=r"'big\.txt' is \d+ bytes, over the limit"):
        read_article(big, name="big.txt")
    with pytest.raises(ArticleTooLarge):
        read_article(big.decode("ascii"), name="big.txt")
    with pytest.raises(ArticleTooLarge):
        read_article("é" * 2_600_000)  # 2.6 M characters, 5.2 MB in UTF-8


# ---------------------------------------------------------------------------- JSON and files


def test_json_article_and_its_errors() -> None:
    record = {"text": "Chile signs a lithium deal.", "title": "Lithium", "url": "https://x.org/1"}
    article = read_article(json.dumps(record).encode(), media_type="application/json")
    assert (article.text, article.source) == (
        "Lithium\n\nChile signs a lithium deal.",
        record["url"],
    )
    with pytest.raises(InputError, match="not valid JSON"):
        read_article(b"{oops", media_type="application/json", name="body")
    with pytest.raises(InputError, match="must be an object"):
        read_article(b"[1, 2]", media_type="application/json", name="body")
    with pytest.raises(InputError, match="field 'title' must be a string or null, not int"):
        read_article(b'{"text": "x y", "title": 3}', media_type="application/json")


def test_jsonl_reads_every_line() -> None:
    articles = list(read_jsonl((INPUTS / "good" / "feed.jsonl").read_bytes(), name="feed.jsonl"))
    assert [a.title for a in articles] == ["Cobalt halt", None]
    assert articles[0].published == "2025-02-24"
    assert articles[1].source == "feed.jsonl"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("feed-bad-line.jsonl", r"line 3 is not valid JSON"),
        ("feed-no-text.jsonl", r"line 2' has no \"text\" field; nothing from"),
    ],
)
def test_malformed_jsonl_refuses_the_whole_file(file: str, message: str) -> None:
    data = (INPUTS / "bad" / file).read_bytes()
    with pytest.raises(InputError, match=message):
        read_jsonl(data, name=file)  # refused when called, before one article is returned


def test_jsonl_line_that_is_not_an_object() -> None:
    with pytest.raises(InputError, match="line 2 must be a JSON object, not list"):
        read_jsonl('{"text": "a b"}\n[1]\n', name="f.jsonl")


def test_json_array_file() -> None:
    assert [a.text for a in read_json('[{"text": "One."}, {"text": "Two."}]')] == ["One.", "Two."]
    with pytest.raises(EmptyArticleError):
        read_json("[]", name="f.json")


def test_iter_inputs_walks_folders(tmp_path: Path) -> None:
    (tmp_path / "sub" / ".hidden").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("Alpha\n\nLithium in Chile.", encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text(
        "<html><body><p>Cobalt exports from Congo were halted.</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "sub" / "c.jsonl").write_text('{"text": "x1"}\n{"text": "x2"}\n', encoding="utf-8")
    (tmp_path / "sub" / "notes.md").write_text("skipped", encoding="utf-8")
    (tmp_path / "sub" / ".hidden" / "d.txt").write_text("skipped", encoding="utf-8")
    names = [n for n, _ in iter_named_inputs([tmp_path])]
    assert names == ["a", "b", "c-1", "c-2"]
    explicit = tmp_path / "sub" / "notes.md"
    assert [a.text for a in iter_inputs([explicit])] == ["skipped"]


def test_iter_inputs_reads_every_good_fixture() -> None:
    named = dict(iter_named_inputs([INPUTS / "good"]))
    assert JA in named["ja-shift-jis"].text and JA in named["ja-shift-jis-page"].text
    assert ZH in named["zh-gbk"].text
    assert FR in named["fr-latin1"].text and FR in named["fr-utf8-bom-crlf"].text
    assert named["de-utf16"].id == named["de-cp1252"].id
    assert named["fr-latin1"].language == "fr"
    assert {named[n].language for n in ("ja-shift-jis", "zh-gbk", "de-utf16")} == {"ja", "zh", "de"}


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("bad/binary.txt", DecodingError, "binary data"),
        ("bad/scan.pdf", DecodingError, "a PDF file"),
        ("bad/undecodable.txt", DecodingError, "not text in any encoding"),
        ("bad/empty.txt", EmptyArticleError, "has no text"),
        ("bad/header-only.txt", EmptyArticleError, "has no text"),
        ("bad/feed-bad-line.jsonl", InputError, "line 3"),
        ("no-such-file.txt", InputError, "no such file or folder"),
    ],
)
def test_bad_inputs_give_clear_errors(path: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        list(iter_inputs([INPUTS / path]))


def test_an_empty_folder_and_an_oversized_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no article files"):
        list(iter_inputs([tmp_path]))
    (tmp_path / "big.txt").write_bytes(b"x" * 101)
    with pytest.raises(ArticleTooLarge, match="101 bytes, over the limit of 100"):
        list(iter_inputs([tmp_path], max_bytes=100))
