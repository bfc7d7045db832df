"""Article inputs: bytes or text in, one :class:`~cmkg.graph.facts.Article` out.

Pure and offline: nothing here touches the network or the clock. What it does, in order:

1. **Size.** Input over ``max_bytes`` (its UTF-8 size for ``str``) is refused with
   :class:`~cmkg.graph.errors.ArticleTooLarge` before anything else is done with it.
2. **Decoding** (``bytes`` only). A byte-order mark wins (UTF-8, UTF-16, UTF-32); then a
   charset declared in ``media_type`` (``text/html; charset=shift_jis``), in an HTML
   ``<meta charset>`` / ``http-equiv`` tag or in an XML declaration; then strict UTF-8; then
   detection (charset-normalizer, with a floor on the mess it tolerates, preferring
   windows-1252 when it reads as cleanly). Labels follow the WHATWG Encoding Standard's
   supersets (``iso-8859-1`` reads as windows-1252, ``gb2312``/``gbk`` as GB18030,
   ``shift_jis`` as windows-31j). Data with NUL bytes or many control bytes is refused as
   binary; bytes nothing decodes raise :class:`~cmkg.graph.errors.DecodingError` naming the input.
3. **Form.** HTML (by media type, or sniffed: ``<!doctype html``, ``<html``) goes through
   trafilatura's main-text extraction (comments, tables and page furniture such as menus,
   cookie banners and "read more" lists dropped; never any fetching); its title, date and
   canonical URL become metadata. Plain text may open with the dev set's header block::

       source: https://example.com/story
       title: Story title (from URL slug)
       published: 2025-04-30 (event date)
       language: zh (Simplified Chinese)
       <blank line>

   whose values are cleaned ("(not captured in excerpt)" -> ``None``, trailing
   annotations in parentheses dropped, "zh (Simplified Chinese)" -> ``"zh"``). Without a
   header, a first line of at most 300 characters followed by more text is the title.
4. **Normalisation** (:func:`normalise_text`): Unicode NFC; ``\\r\\n``, ``\\r`` and the other
   Unicode line breaks become ``\\n``; control characters other than tab and newline are
   removed; trailing white space is stripped from every line; every run of blank lines
   becomes exactly one blank line; the whole is stripped.
5. **The normalised text** (``Article.text``, the string that evidence offsets index) is
   ``title + "\\n\\n" + body`` when there is a title and the body's first line is not
   already that title (compared case-insensitively, white space collapsed); otherwise it is
   the body alone. A title is one line (its white space collapsed).
6. **Identity.** ``Article.id`` is the first 16 hex digits of the SHA-256 of the normalised
   text's UTF-8 bytes: the same text always gets the same id, whatever its encoding,
   line endings or metadata. An empty body raises :class:`~cmkg.graph.errors.EmptyArticleError`.
7. **Language.** Given, or from the header, HTML ``lang`` or JSON field; else identified
   from the text (:func:`cmkg.graph.extraction.language.detect_language`: the script, then
   py3langid). Always an ISO 639-1 style primary subtag in lower case.

Examples
--------
>>> a = read_article(b"title: Cobalt news\\nlanguage: en\\n\\nDR Congo halts cobalt exports.\\r\\n")
>>> a.title, a.language, a.text
('Cobalt news', 'en', 'Cobalt news\\n\\nDR Congo halts cobalt exports.')
>>> a.id == article_id(a.text) and len(a.id) == 16
True
>>> latin1 = "Caf\\u00e9 news\\n\\nBody.".encode("latin-1")
>>> read_article(latin1, media_type="text/plain; charset=latin-1").title
'Café news'
>>> read_article(b"", name="empty.txt")
Traceback (most recent call last):
...
cmkg.graph.errors.EmptyArticleError: article 'empty.txt' has no text
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from functools import cache
from os import PathLike
from pathlib import Path
from typing import Any

from .errors import ArticleTooLarge, DecodingError, EmptyArticleError, InputError
from .facts import Article

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "NamedArticle",
    "article_from_record",
    "article_id",
    "decode_bytes",
    "iter_inputs",
    "iter_named_inputs",
    "normalise_text",
    "read_article",
    "read_json",
    "read_jsonl",
]

#: The default size limit of one article, in bytes (``Settings.max_article_bytes``).
DEFAULT_MAX_BYTES = 5_000_000

#: File name endings that folder inputs pick up (anything else in a folder is skipped).
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".xhtml", ".jsonl", ".json")

#: A (name, article) pair: ``name`` is what the input is called in messages and outputs
#: (a file's stem; ``stem-<n>`` for the n-th record of a JSON Lines or JSON array file).
NamedArticle = tuple[str, Article]

_HEADER_KEYS = frozenset({"source", "title", "published", "language"})
_HEADER_LINE = re.compile(r"^([A-Za-z]+)[ \t]*:[ \t]*(.*)$")
_TITLE_MAX = 300
_SNIFF = 4096

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG Encoding Standard: labels whose decoder is a superset of the named charset.
_SUPERSETS = {
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "tis_620": "cp874",
    "iso8859_11": "cp874",
}

# Python codec names of the CJK multi-byte encodings.
_CJK = ("cp932", "shift_jis", "euc_j", "gb", "big5", "cp949", "euc_kr", "johab", "cp950", "hz")

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "an executable"),
)

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_HTML_SNIFF = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.I)
_MEDIA_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.I)

_LINE_BREAKS = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
)
# C0 controls and DEL other than tab and newline, and the BOM used as a zero-width space.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff]")
_BLANK_RUNS = re.compile(r"\n{3,}")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?![\d-])")
_LANG_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
_NONE_VALUES = frozenset({"", "-", "n/a", "na", "none", "null", "unknown", "not captured"})
_ANNOTATION_WORDS = re.compile(
    r"\b(?:from url|url slug|slug|not captured|excerpt|truncated|captured|dateline)\b", re.I
)


def normalise_text(text: str) -> str:
    """Return ``text`` normalised as articles are (see the module docstring, step 4).

    Examples
    --------
    >>> normalise_text("\\n A  \\r\\n  B\\r\\r\\r\\n\\nC\\u00a0 \\n")
    'A\\n  B\\n\\nC'
    >>> normalise_text("Cafe\\u0301") == "Caf\\u00e9"
    True
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(_LINE_BREAKS))
    text = _CONTROLS.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def article_id(text: str) -> str:
    """The stable id of an article: 16 hex digits of the SHA-256 of its normalised text.

    >>> article_id("hello")
    '2cf24dba5fb0a30e'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _label(name: str | None, source: str | None = None) -> str:
    if name:
        return repr(name)
    if source:
        return repr(source)
    return "(unnamed)"


def _codec(label: str) -> str | None:
    """The Python codec for a charset label (WHATWG supersets), or None if unknown."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    name = name.replace("-", "_")
    return _SUPERSETS.get(name, name)


def _media_charset(media_type: str | None) -> str | None:
    if not media_type:
        return None
    m = _MEDIA_CHARSET.search(media_type)
    return m.group(1) if m else None


def _is_html_media(media_type: str | None) -> bool | None:
    if not media_type:
        return None
    essence = media_type.split(";", 1)[0].strip().lower()
    if essence in ("text/html", "application/xhtml+xml"):
        return True
    if essence.startswith("text/") or essence in ("application/octet-stream",):
        return False if essence == "text/plain" else None
    return None


def _is_json_media(media_type: str | None) -> bool:
    if not media_type:
        return False
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def _binary_kind(data: bytes) -> str | None:
    """Say what ``data`` looks like if it looks like binary data, else None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (it has NUL bytes)"
    controls = sum(1 for b in head if b < 0x20 and b not in b"\t\n\r\x0b\x0c\x1b") + head.count(
        0x7F
    )
    if head and controls / len(head) > 0.05:
        return "binary data (it is full of control bytes)"
    return None


def _binary_text_kind(text: str) -> str | None:
    head = text[:8192]
    if "\x00" in head:
        return "binary data (it has NUL characters)"
    controls = sum(1 for c in head if (c < " " and c not in "\t\n\r\x0b\x0c\x1b") or c == "\x7f")
    if head and controls / len(head) > 0.05:
        return "binary data (it is full of control characters)"
    return None


def _mess(text: str) -> float:
    from charset_normalizer.md import mess_ratio

    return mess_ratio(text[:20_000], 1.0)


def _detect(data: bytes) -> str | None:
    """Decode ``data`` by detection, or return None when nothing reads cleanly enough.

    Candidates: windows-1252 (when it decodes) and charset-normalizer's best match when it
    recognises a language in the result (coherence above 0: a floor against garbage that
    some single-byte code page happens to decode) or is a CJK multi-byte encoding (whose
    strict byte structure random data rarely passes). The one with the least mess wins,
    windows-1252 on ties (undeclared Western text is most often that); over 10% mess, none.
    """
    from charset_normalizer import from_bytes

    candidates: list[str] = []
    with contextlib.suppress(UnicodeDecodeError):
        candidates.append(data.decode("cp1252"))
    best = from_bytes(data).best()
    if best is not None and (best.percent_coherence > 0 or best.encoding.startswith(_CJK)):
        candidates.append(str(best))
    if not candidates:
        return None
    scored = sorted(((_mess(c), i, c) for i, c in enumerate(candidates)), key=lambda t: t[:2])
    mess, _, text = scored[0]
    return text if mess <= 0.1 else None


def decode_bytes(
    data: bytes, *, name: str | None = None, media_type: str | None = None
) -> tuple[str, str]:
    """Decode an article's bytes; return ``(text, encoding)``.

    See the module docstring (step 2) for the order in which encodings are tried.

    Examples
    --------
    >>> decode_bytes("重要鉱物".encode("shift_jis"), media_type="text/plain; charset=Shift_JIS")
    ('重要鉱物', 'cp932')
    >>> decode_bytes(b"\\xff\\xfeh\\x00i\\x00")
    ('hi', 'utf-16-le')
    >>> decode_bytes(b"%PDF-1.7 ...", name="report.pdf")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.DecodingError: 'report.pdf' looks like a PDF file, not an article
    """
    label = _label(name)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodingError(
                    f"{label} starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {exc.start + len(bom)})"
                ) from None
    declared = _media_charset(media_type)
    head = data[:_SNIFF]
    if declared is None:
        m = _XML_DECL.match(head)
        if m is None and _is_html_media(media_type) is not False and b"<meta" in head.lower():
            m = _META_CHARSET.search(head)
        declared = m.group(1).decode("ascii") if m else None
    tried: list[str] = []
    codec = _codec(declared) if declared else None
    if codec is not None:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            if codec == "cp1252":  # the five bytes windows-1252 leaves undefined
                return data.decode("latin-1"), "latin-1"
            tried.append(f"declared {declared}")
    kind = _binary_kind(data)
    if kind is not None:
        raise DecodingError(f"{label} looks like {kind}, not an article")
    if codec != "utf_8":
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            tried.append("utf-8")
    else:
        tried[-1] = f"declared {declared} (utf-8)"
    text = _detect(data)
    if text is None:
        raise DecodingError(
            f"{label} is not text in any encoding cmkg can read: tried {', '.join(tried)} and "
            "detection; declare its charset (e.g. Content-Type: text/plain; charset=gbk)"
        )
    return text, "detected"


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return None if value.lower() in _NONE_VALUES else value


def _strip_annotations(value: str) -> str | None:
    """Drop the dev set's annotations: a leading "(not captured ...)" and trailing "(from URL)"."""
    value = value.strip()
    if value.startswith("("):
        close = value.find(")")
        if close != -1 and _ANNOTATION_WORDS.search(value[: close + 1]):
            value = value[close + 1 :].strip()
    if value.endswith(")"):
        open_ = value.rfind("(")
        if open_ > 0 and _ANNOTATION_WORDS.search(value[open_:]):
            value = value[:open_].strip()
    return _clean(value)


def _clean_title(value: str | None) -> str | None:
    value = _clean(value)
    return None if value is None else _strip_annotations(value)


def _clean_published(value: str | None) -> str | None:
    value = _clean(value)
    if value is None:
        return None
    m = _ISO_DATE.match(value)
    if m:
        return m.group(0)
    return _strip_annotations(value)


@cache
def _language_names() -> dict[str, str]:
    from babel import Locale

    names = {}
    for code, lang in Locale("en").languages.items():
        if "_" not in code and len(code) in (2, 3):
            names.setdefault(lang.lower(), code)
    return names


def _clean_language(value: str | None) -> str | None:
    """ "zh (Simplified Chinese)" -> "zh"; "pt-BR" -> "pt"; "Indonesian" -> "id"."""
    value = _clean(value)
    if value is None:
        return None
    first = value.split("(", 1)[0].strip()
    m = _LANG_CODE.match(first)
    if m and (len(m.group(1)) == 2 or first.lower() == first):
        return m.group(1).lower()
    return _language_names().get(first.lower())


def _clean_source(value: str | None) -> str | None:
    value = _clean(value)
    if value is None:
        return None
    first = value.split()[0]
    if "://" in first:
        return first
    return _strip_annotations(value)


def _split_header(text: str) -> tuple[dict[str, str], str] | None:
    """Split off the dev set's header block; None when the text has none.

    The block is the text's first paragraph when every one of its lines is ``key: value``
    with a known key (source, title, published, language).
    """
    head, _, rest = text.partition("\n\n")
    fields: dict[str, str] = {}
    for line in head.split("\n"):
        m = _HEADER_LINE.match(line.strip())
        if m is None or m.group(1).lower() not in _HEADER_KEYS:
            return None
        fields[m.group(1).lower()] = m.group(2)
    return fields, rest


def _identify_language(text: str) -> str:
    # The extraction's own rule (script first, then py3langid), so both agree.
    from .extraction.language import detect_language

    return detect_language(text) or "und"


def _one_line(title: str | None) -> str | None:
    return _clean(title) if title is not None else None


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


def _compose(title: str | None, body: str) -> str:
    if title is None:
        return body
    first = body.split("\n", 1)[0]
    return body if _key(first) == _key(title) else f"{title}\n\n{body}"


def _html_to_parts(html: str, label: str) -> tuple[str, dict[str, str | None]]:
    import trafilatura

    options: dict[str, Any] = {
        "include_comments": False,
        "include_tables": False,
        "with_metadata": True,
        # the page's own metadata only: no guessing a date from the text, no clock
        "date_extraction_params": {"extensive_search": False, "original_date": True},
    }
    doc = trafilatura.bare_extraction(html, favor_precision=True, **options)
    if doc is None or not (doc.text or "").strip():
        doc = trafilatura.bare_extraction(html, **options)
    if doc is None or not (doc.text or "").strip():
        raise EmptyArticleError(f"article {label} is an HTML page with no main text")
    m = _HTML_LANG.search(html[: _SNIFF * 4])
    meta = {
        "title": doc.title,
        "published": doc.date,
        "source": doc.url,
        "language": m.group(1) if m else doc.language,
    }
    return doc.text or "", meta


def read_article(
    data: bytes | str,
    *,
    name: str | None = None,
    media_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    language: str | None = None,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
) -> Article:
    """Read one article from bytes or text (plain text, HTML or a JSON object).

    Parameters
    ----------
    data
        The article: bytes in any encoding (see :func:`decode_bytes`) or text.
    name
        What to call the input in messages (a file name). Not the source: files read by
        :func:`iter_named_inputs` get their file name as source when they name none.
    media_type
        ``text/plain``, ``text/html`` or ``application/json``, optionally with ``charset=``.
        Without it, HTML is sniffed from the content; JSON is read only when declared.
    max_bytes
        The size limit: larger input raises :class:`~cmkg.graph.errors.ArticleTooLarge`.
    language, title, published, source
        Metadata that overrides what the input itself says.

    Returns
    -------
    Article
        With ``text`` set to the normalised text and ``id`` to its hash.

    Raises
    ------
    ArticleTooLarge, DecodingError, EmptyArticleError, InputError
        Each with a message naming the input.

    Examples
    --------
    >>> html = ("<html lang='en'><body><nav>Home | World</nav><article><h1>Cobalt halt</h1>"
    ...         "<p>DR Congo suspended cobalt exports for four months on Monday.</p>"
    ...         "</article></body></html>")
    >>> a = read_article(html)
    >>> a.language, a.title
    ('en', 'Cobalt halt')
    >>> a.text
    'Cobalt halt\\nDR Congo suspended cobalt exports for four months on Monday.'
    >>> read_article(b'{"text": "Body.", "title": "T", "language": "en"}',
    ...              media_type="application/json").text
    'T\\n\\nBody.'
    >>> read_article("x" * 20, max_bytes=10, name="big.txt")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.ArticleTooLarge: article 'big.txt' is 20 bytes, over the limit of 10 bytes
    """
    label = _label(name, source)
    size = len(data) if isinstance(data, bytes) else _utf8_size(data, max_bytes)
    if size > max_bytes:
        raise ArticleTooLarge(
            f"article {label} is {size} bytes, over the limit of {max_bytes} bytes"
        )
    if _is_json_media(media_type):
        record = _parse_json(data, label)
        if not isinstance(record, dict):
            raise InputError(f"article {label}: a JSON article must be an object with a 'text'")
        overrides = {"language": language, "title": title, "published": published, "source": source}
        record = {**record, **{k: v for k, v in overrides.items() if v is not None}}
        return article_from_record(record, name=name, max_bytes=max_bytes)
    if isinstance(data, bytes):
        text, _ = decode_bytes(data, name=name, media_type=media_type)
    else:
        kind = _binary_text_kind(data)
        if kind is not None:
            raise DecodingError(f"{label} looks like {kind}, not an article")
        text = data
    text = text.removeprefix("\ufeff")
    html_hint = _is_html_media(media_type)
    is_html = html_hint if html_hint is not None else bool(_HTML_SNIFF.match(text[:_SNIFF]))

    meta: dict[str, str | None] = {
        "title": None,
        "published": None,
        "source": None,
        "language": None,
    }
    if is_html:
        body, html_meta = _html_to_parts(text, label)
        body = normalise_text(body)
        meta["title"] = _one_line(html_meta["title"])
        meta["published"] = _clean_published(html_meta["published"])
        meta["source"] = _clean(html_meta["source"])
        meta["language"] = _clean_language(html_meta["language"])
    else:
        text = normalise_text(text)
        header = _split_header(text)
        if header is not None:
            fields, body = header
            meta["title"] = _clean_title(fields.get("title"))
            meta["published"] = _clean_published(fields.get("published"))
            meta["source"] = _clean_source(fields.get("source"))
            meta["language"] = _clean_language(fields.get("language"))
        else:
            body = text
            first, sep, rest = body.partition("\n")
            if sep and rest.strip() and len(first.strip()) <= _TITLE_MAX:
                meta["title"] = _one_line(first)
    return _build(
        body,
        meta,
        label=label,
        name=name,
        language=language,
        title=title,
        published=published,
        source=source,
    )


def _build(
    body: str,
    meta: Mapping[str, str | None],
    *,
    label: str,
    name: str | None,
    language: str | None,
    title: str | None,
    published: str | None,
    source: str | None,
) -> Article:
    if not body:
        raise EmptyArticleError(f"article {label} has no text")
    final_title = _one_line(title) if title is not None else meta.get("title")
    text = _compose(final_title, body)
    lang = _clean_language(language) if language is not None else meta.get("language")
    if language is not None and lang is None:
        raise InputError(f"article {label}: {language!r} is not a language code (e.g. 'en')")
    return Article(
        id=article_id(text),
        language=lang or _identify_language(body),
        title=final_title,
        published=_clean(published) if published is not None else meta.get("published"),
        source=_clean(source) if source is not None else meta.get("source"),
        text=text,
    )


def _utf8_size(text: str, limit: int) -> int:
    # A str has at least len(text) UTF-8 bytes and at most 4 per character.
    if len(text) > limit or len(text) * 4 <= limit:
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def _parse_json(data: bytes | str, label: str) -> Any:
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise DecodingError(f"article {label}: JSON must be UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"article {label} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None


_RECORD_FIELDS = ("text", "title", "url", "source", "published", "language", "media_type")


def article_from_record(
    record: Mapping[str, Any], *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Read an article from a JSON object ``{text, title, url, published, language}``.

    ``text`` is required (plain text, or HTML, which is sniffed); ``url`` (or ``source``)
    becomes the source. Other keys are ignored. Every value must be a string or null.

    >>> article_from_record({"text": "Cobalt exports halted.", "url": "https://x.example/1",
    ...                      "language": "en"}).source
    'https://x.example/1'
    >>> article_from_record({"title": "No body"}, name="feed.jsonl line 3")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: article 'feed.jsonl line 3' has no "text" field
    """
    label = _label(name)
    if not isinstance(record, Mapping):
        raise InputError(f"article {label} must be a JSON object, not {type(record).__name__}")
    for key in _RECORD_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(
                f"article {label}: field {key!r} must be a string or null, "
                f"not {type(value).__name__}"
            )
    if record.get("text") is None:
        raise InputError(f'article {label} has no "text" field')
    return read_article(
        record["text"],
        name=name,
        media_type=record.get("media_type"),
        max_bytes=max_bytes,
        language=record.get("language"),
        title=record.get("title"),
        published=record.get("published"),
        source=record.get("url") or record.get("source"),
    )


def _jsonl_records(data: bytes | str, label: str) -> list[tuple[int, Any]]:
    if isinstance(data, bytes):
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise DecodingError(f"{label} line {line}: JSON Lines must be UTF-8") from None
    records = []
    for number, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{label} line {number} is not valid JSON: {exc.msg} (column {exc.colno}); "
                "nothing from this file was read"
            ) from None
    return records


def _stem(name: str | None) -> str:
    return Path(name).stem if name else "input"


def read_jsonl(
    data: bytes | str, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article]:
    """Read JSON Lines, one ``{text, title, url, published, language}`` object per line.

    All-or-nothing: every line is read and checked before the first article is returned, so
    a bad line (named by its number) stops the whole file and nothing of it gets ingested.
    Blank lines are skipped. ``max_bytes`` limits each article.

    >>> data = b'{"text": "Lithium deal.", "language": "en"}\\n\\n{"text": "Cobalt ban."}\\n'
    >>> [a.text for a in read_jsonl(data)]
    ['Lithium deal.', 'Cobalt ban.']
    >>> list(read_jsonl(b'{"text": "ok"}\\n{"text": oops}\\n', name="feed.jsonl"))
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: 'feed.jsonl' line 2 is not valid JSON: ...
    """
    return iter([a for _, a in _read_jsonl_named(data, name=name, max_bytes=max_bytes)])


def _read_jsonl_named(data: bytes | str, *, name: str | None, max_bytes: int) -> list[NamedArticle]:
    label = _label(name)
    out = []
    for number, record in _jsonl_records(data, label):
        where = f"{name or 'input'} line {number}"
        if not isinstance(record, dict):
            raise InputError(
                f"{label} line {number} must be a JSON object, not {type(record).__name__}; "
                "nothing from this file was read"
            )
        try:
            article = article_from_record(record, name=where, max_bytes=max_bytes)
        except InputError as exc:
            raise type(exc)(f"{exc}; nothing from {label} was read") from None
        if article.source is None and name:
            article = replace(article, source=Path(name).name)
        out.append((f"{_stem(name)}-{number}", article))
    if not out:
        raise EmptyArticleError(f"{label} holds no articles")
    return out


def read_json(
    data: bytes | str, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article]:
    """Read a JSON file: one article object, or an array of them (all-or-nothing).

    >>> [a.text for a in read_json('[{"text": "One."}, {"text": "Two."}]')]
    ['One.', 'Two.']
    """
    return iter([a for _, a in _read_json_named(data, name=name, max_bytes=max_bytes)])


def _read_json_named(data: bytes | str, *, name: str | None, max_bytes: int) -> list[NamedArticle]:
    label = _label(name)
    if isinstance(data, bytes) and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    value = _parse_json(data, label)
    if isinstance(value, dict):
        article = article_from_record(value, name=name, max_bytes=max_bytes)
        if article.source is None and name:
            article = replace(article, source=Path(name).name)
        return [(_stem(name), article)]
    if isinstance(value, list):
        if not value:
            raise EmptyArticleError(f"{label} holds no articles")
        out = []
        for i, record in enumerate(value, start=1):
            try:
                article = article_from_record(
                    record, name=f"{name or 'input'} item {i}", max_bytes=max_bytes
                )
            except InputError as exc:
                raise type(exc)(f"{exc}; nothing from {label} was read") from None
            if article.source is None and name:
                article = replace(article, source=Path(name).name)
            out.append((f"{_stem(name)}-{i}", article))
        return out
    raise InputError(f"{label} must hold a JSON object or an array of objects")


def _files(paths: Iterable[str | PathLike[str]]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in ARTICLE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputError(
                    f"no article files ({', '.join(ARTICLE_SUFFIXES)}) under folder '{path}'"
                )
            yield from found
        elif path.is_file():
            yield path
        elif path.exists():
            raise InputError(f"'{path}' is neither a file nor a folder")
        else:
            raise InputError(f"no such file or folder: '{path}'")


def _read_file(path: Path, max_bytes: int) -> list[NamedArticle]:
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if suffix not in (".jsonl", ".json") and size > max_bytes:
            raise ArticleTooLarge(
                f"article '{path}' is {size} bytes, over the limit of {max_bytes} bytes"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read '{path}': {exc.strerror or exc}") from None
    if suffix == ".jsonl":
        return _read_jsonl_named(data, name=str(path), max_bytes=max_bytes)
    if suffix == ".json":
        return _read_json_named(data, name=str(path), max_bytes=max_bytes)
    media = "text/html" if suffix in (".html", ".htm", ".xhtml") else None
    article = read_article(data, name=str(path), media_type=media, max_bytes=max_bytes)
    if article.source is None:
        article = replace(article, source=path.name)
    return [(path.stem, article)]


def iter_named_inputs(
    paths: Iterable[str | PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[NamedArticle]:
    """Yield ``(name, article)`` for every article in files and folders.

    Folders are walked recursively (hidden entries skipped) for ``.txt``, ``.html``,
    ``.htm``, ``.xhtml``, ``.jsonl`` and ``.json`` files, in sorted order; a file named
    explicitly is read whatever its ending (HTML is then sniffed). ``name`` is the file's
    stem, or ``stem-<n>`` for the n-th line of a JSON Lines file (the n-th item of a JSON
    array). A missing path, an empty folder or a bad file raises an
    :class:`~cmkg.graph.errors.InputError` naming it; read everything first (``list(...)``)
    to refuse a batch before any of it is used.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "a.txt").write_text("Title\\n\\nBody.", encoding="utf-8")
    ...     [(n, a.title) for n, a in iter_named_inputs([tmp])]
    [('a', 'Title')]
    """
    for path in _files(paths):
        yield from _read_file(path, max_bytes)


def iter_inputs(
    paths: Iterable[str | PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article]:
    """Yield every article in files and folders (see :func:`iter_named_inputs`).

    >>> next(iter_inputs(["/no/such/file.txt"]))
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: no such file or folder: '/no/such/file.txt'
    """
    for _, article in iter_named_inputs(paths, max_bytes=max_bytes):
        yield article
