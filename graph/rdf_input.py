"""Parse RDF sent by callers, safely: no entity expansion, no remote fetch, bounded time.

Uploads (Graph Store Protocol bodies, SPARQL endpoints' clients) are untrusted bytes. This
module parses them with pyoxigraph, which never fetches anything (remote JSON-LD contexts are
an error), and adds what a parser cannot decide for us:

- RDF/XML with a ``DOCTYPE`` or ``ENTITY`` declaration is refused **before** parsing, so that
  entity-expansion bombs ("billion laughs") and external entities never reach the XML parser;
- the text must be UTF-8;
- parsing stops with an error past ``max_seconds`` (checked as triples stream out);
- only triples formats are accepted (named graphs in an upload are an error).

Every refusal is an :class:`~cmkg.graph.errors.InputError` whose message says what is wrong.

Examples
--------
>>> triples = parse_rdf(b'<http://example.org/a> <http://example.org/b> "c" .', "text/turtle")
>>> len(triples), triples[0].object.value
(1, 'c')
>>> parse_rdf(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', "application/rdf+xml")
Traceback (most recent call last):
...
cmkg.graph.errors.InputError: RDF/XML with a DOCTYPE or ENTITY declaration is refused ...
"""

from __future__ import annotations

import re
import time

import pyoxigraph as ox

from .errors import InputError

__all__ = ["RDF_INPUT_FORMATS", "parse_rdf", "rdf_input_format"]

#: Media types accepted for uploads, and the parser each one selects.
RDF_INPUT_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}

_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def rdf_input_format(content_type: str | None) -> ox.RdfFormat:
    """The parser for a ``Content-Type`` header value; refuse other types and charsets.

    >>> rdf_input_format("text/turtle; charset=utf-8").name
    'Turtle'
    >>> rdf_input_format("text/turtle; charset=utf-16")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.InputError: charset utf-16 is not supported: send RDF as UTF-8
    """
    if not content_type:
        raise InputError("a Content-Type is required (text/turtle, application/n-triples...)")
    media_type, *params = (part.strip() for part in content_type.split(";"))
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            raise InputError(f"charset {value.strip()} is not supported: send RDF as UTF-8")
    fmt = RDF_INPUT_FORMATS.get(media_type.lower())
    if fmt is None:
        offered = ", ".join(RDF_INPUT_FORMATS)
        raise InputError(f"unsupported RDF media type {media_type!r}; use one of {offered}")
    return fmt


def parse_rdf(
    data: bytes,
    content_type: str,
    *,
    base_iri: str | None = None,
    max_seconds: float = 30.0,
) -> list[ox.Triple]:
    """Parse an upload into triples.

    Parameters
    ----------
    data
        The body, as sent.
    content_type
        Its ``Content-Type`` (see :data:`RDF_INPUT_FORMATS`).
    base_iri
        The IRI relative IRIs resolve against (for an upload: the target graph).
    max_seconds
        A bound on parsing time.

    Raises
    ------
    InputError
        Unsupported type or charset, non-UTF-8 bytes, a DOCTYPE/ENTITY in RDF/XML, a syntax
        error (the message carries the parser's position), named graphs, or a parse past
        ``max_seconds``.
    """
    fmt = rdf_input_format(content_type)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the body is not UTF-8 (byte {exc.start})") from None
    if fmt is ox.RdfFormat.RDF_XML and _DOCTYPE.search(data):
        raise InputError(
            "RDF/XML with a DOCTYPE or ENTITY declaration is refused "
            "(entity expansion is not supported)"
        )
    started = time.monotonic()
    triples: list[ox.Triple] = []
    try:
        for i, quad in enumerate(
            ox.parse(data, format=fmt, base_iri=base_iri, without_named_graphs=True)
        ):
            triples.append(quad.triple)
            if i % 4096 == 4095 and time.monotonic() - started > max_seconds:
                raise InputError(f"parsing took longer than {max_seconds:g} s and was stopped")
    except SyntaxError as exc:
        raise InputError(f"invalid {fmt.name}: {exc}") from None
    except ValueError as exc:
        raise InputError(f"invalid {fmt.name}: {exc}") from None
    return triples
