"""Refuse SPARQL that would make the server reach out, before any engine sees it.

A public endpoint must never fetch anything because of a request: SPARQL engines follow
``SERVICE`` clauses and ``LOAD`` operations over the network (pyoxigraph does), some fetch the
graphs named by ``FROM`` / ``USING``, and ``file:`` IRIs name the server's own files. This
module reads a query or update with a tokenizer that knows SPARQL's strings, comments, IRIs and
prefixed names (so ``"SERVICE"`` in a string or ``ex:service`` are not keywords), and refuses:

- ``SERVICE`` (federated query) and ``LOAD``, anywhere;
- ``FROM`` / ``FROM NAMED`` / ``USING`` / ``USING NAMED`` of a graph the store does not hold;
- any ``file:`` IRI (written out, through a prefix or through ``BASE``);
- text whose meaning depends on how an engine reads it: codepoint escapes (``\\u0053``) that
  change the structure, and ``<...>`` tokens that could be a less-than comparison hiding a
  keyword.

Refusals raise :class:`~cmkg.graph.errors.QueryRefused` (a :class:`QueryError`); text that
cannot be tokenized raises :class:`~cmkg.graph.errors.QueryError`. The guard is deliberately
conservative: a query it cannot read is refused rather than passed on.

Examples
--------
>>> check_query("SELECT ?s WHERE { ?s ?p 'SERVICE' }", known_graphs=()).kind
<QueryKind.SELECT: 'select'>
>>> check_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", known_graphs=())
Traceback (most recent call last):
...
cmkg.graph.errors.QueryRefused: SERVICE is not allowed: this endpoint never queries other endpoints
>>> check_update("LOAD <http://example.org/data.ttl>", known_graphs=())
Traceback (most recent call last):
...
cmkg.graph.errors.QueryRefused: LOAD is not allowed: this endpoint never fetches remote data
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from .errors import QueryError, QueryRefused
from .store import QueryKind

__all__ = [
    "QueryInfo",
    "UpdateInfo",
    "check_iri",
    "check_query",
    "check_update",
    "with_using_dataset",
]

# ---------------------------------------------------------------------------------------------
# tokens

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)

_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            r"(?P<iri><(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)",
            r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
            r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
            r"|'(?:[^'\\\n\r]|\\.)*'"
            r'|"(?:[^"\\\n\r]|\\.)*")',
            f"(?P<var>[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)",
            f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            f"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            r"(?P<number>[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)",
            r"(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
            r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!+\-*/|^?])",
        ]
    )
)

_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*$")
_HIDDEN_KEYWORD = re.compile(r"\)[\s\S]*?\b(service|load|from|using)\b", re.IGNORECASE)
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    start: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def _tokenize(text: str) -> list[_Token]:
    """Split SPARQL text into significant tokens (whitespace and comments dropped)."""
    tokens: list[_Token] = []
    pos = 0
    end = len(text)
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None:
            char = text[pos]
            if char in "'\"":
                raise QueryError(f"unterminated string starting at offset {pos}")
            raise QueryError(f"unexpected character {char!r} at offset {pos}")
        kind = match.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    return tokens


def _unescape_codepoints(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"invalid codepoint escape {match.group()!r}")
        return chr(code)

    return _CODEPOINT_ESCAPE.sub(repl, text)


# ---------------------------------------------------------------------------------------------
# IRIs


def check_iri(iri: str, *, what: str = "IRI") -> str:
    """Return ``iri`` if it is an absolute IRI the endpoint accepts; raise otherwise.

    ``file:`` IRIs are refused everywhere: they name files of the server.

    >>> check_iri("https://w3id.org/cmkg/graph/reference/usgs-mcs-2026")
    'https://w3id.org/cmkg/graph/reference/usgs-mcs-2026'
    >>> check_iri("file:///etc/passwd", what="default-graph-uri")
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.QueryRefused: default-graph-uri <file:///etc/passwd>: file: IRIs are ...
    """
    if not _ABSOLUTE_IRI.match(iri):
        raise QueryError(f"{what} {iri!r} is not an absolute IRI")
    if iri[:5].lower() == "file:":
        raise QueryRefused(f"{what} <{iri}>: file: IRIs are not allowed")
    return iri


class _Resolver:
    """Prefix and base bookkeeping while walking the tokens."""

    def __init__(self, base_iri: str | None) -> None:
        self.base = base_iri
        self.prefixes: dict[str, str] = {}

    def iri(self, token: _Token) -> str | None:
        """The absolute IRI a token denotes (None for an unresolvable one)."""
        if token.kind == "iri":
            raw = _unescape_codepoints(token.text[1:-1])
            if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", raw):
                return raw
            return urljoin(self.base, raw) if self.base else None
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            namespace = self.prefixes.get(prefix)
            if namespace is None:
                return None
            local = re.sub(r"\\(.)", r"\1", local)
            return namespace + local
        return None


def _check_iri_token(token: _Token, resolver: _Resolver) -> None:
    if token.kind == "iri" and _HIDDEN_KEYWORD.search(token.text):
        raise QueryRefused(
            f"ambiguous '<' at offset {token.start}: {token.text[:60]!r} could hide a keyword; "
            "put spaces around comparison operators"
        )
    iri = resolver.iri(token)
    if iri is not None and iri[:5].lower() == "file:":
        raise QueryRefused(f"<{iri}>: file: IRIs are not allowed")


# ---------------------------------------------------------------------------------------------
# the walk


KnownGraphs = Collection[str] | Callable[[str], bool]


def _is_known(known: KnownGraphs, iri: str) -> bool:
    return known(iri) if callable(known) else iri in known


@dataclass(frozen=True, slots=True)
class _Walk:
    tokens: list[_Token]
    #: (keyword, named, iri) of each FROM / USING clause, in order
    dataset_clauses: list[tuple[str, bool, str]]
    first_word: str | None


def _walk(text: str, *, base_iri: str | None, known_graphs: KnownGraphs) -> _Walk:
    tokens = _tokenize(text)
    resolver = _Resolver(base_iri)
    clauses: list[tuple[str, bool, str]] = []
    first_word: str | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        upper = token.upper if token.kind == "word" else ""
        if token.kind in ("iri", "pname"):
            _check_iri_token(token, resolver)
        if upper == "SERVICE":
            raise QueryRefused(
                "SERVICE is not allowed: this endpoint never queries other endpoints"
            )
        if upper == "LOAD":
            raise QueryRefused("LOAD is not allowed: this endpoint never fetches remote data")
        if upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
            _check_iri_token(tokens[i + 1], resolver)
            resolver.base = resolver.iri(tokens[i + 1]) or resolver.base
            i += 2
            continue
        if (
            upper == "PREFIX"
            and i + 2 < len(tokens)
            and tokens[i + 1].kind == "pname"
            and tokens[i + 1].text.endswith(":")
            and tokens[i + 2].kind == "iri"
        ):
            _check_iri_token(tokens[i + 2], resolver)
            namespace = resolver.iri(tokens[i + 2])
            if namespace is not None:
                resolver.prefixes[tokens[i + 1].text[:-1]] = namespace
            i += 3
            continue
        if first_word is None and upper and upper not in ("BASE", "PREFIX"):
            first_word = upper
        if upper in ("FROM", "USING"):
            named = i + 1 < len(tokens) and tokens[i + 1].upper == "NAMED"
            target_index = i + 2 if named else i + 1
            if target_index >= len(tokens):
                raise QueryError(f"{upper} at offset {token.start} names no graph")
            target = tokens[target_index]
            _check_iri_token(target, resolver)
            iri = resolver.iri(target)
            clause = f"{upper} NAMED" if named else upper
            if iri is None:
                raise QueryRefused(
                    f"{clause} {target.text}: cannot resolve this graph name "
                    "(unknown prefix or relative IRI without BASE)"
                )
            if not _is_known(known_graphs, iri):
                raise QueryRefused(
                    f"{clause} <{iri}>: no graph with this IRI in the store "
                    "(this endpoint never fetches graphs)"
                )
            clauses.append((upper, named, iri))
            i = target_index + 1
            continue
        i += 1
    return _Walk(tokens, clauses, first_word)


def _views(text: str) -> list[str]:
    """The text as written and, when it holds codepoint escapes, as an engine may unescape it."""
    if not _CODEPOINT_ESCAPE.search(text):
        return [text]
    return [text, _unescape_codepoints(text)]


# ---------------------------------------------------------------------------------------------
# queries


@dataclass(frozen=True, slots=True)
class QueryInfo:
    """What the guard learnt about a query it let through."""

    kind: QueryKind
    #: graphs of the query's own ``FROM`` clauses (absolute IRIs)
    from_graphs: tuple[str, ...]
    #: graphs of the query's own ``FROM NAMED`` clauses
    from_named_graphs: tuple[str, ...]

    @property
    def has_dataset(self) -> bool:
        """Whether the query text fixes its own dataset (``FROM`` / ``FROM NAMED``)."""
        return bool(self.from_graphs or self.from_named_graphs)


def check_query(query: str, *, known_graphs: KnownGraphs, base_iri: str | None = None) -> QueryInfo:
    """Refuse a query that would reach out; return its kind and its own dataset.

    Parameters
    ----------
    query
        The SPARQL 1.1 query text.
    known_graphs
        The IRIs of the store's named graphs, or a predicate answering "is this graph in the
        store". ``FROM`` / ``FROM NAMED`` of any other graph is refused.
    base_iri
        The base the engine resolves relative IRIs against (the endpoint's URL).

    Raises
    ------
    QueryRefused
        For ``SERVICE``, ``LOAD``, a ``file:`` IRI, a ``FROM`` of an unknown graph, or an
        update sent as a query.
    QueryError
        For text that is not a query (no query form, unterminated string...).

    Examples
    --------
    >>> info = check_query(
    ...     "PREFIX g: <https://w3id.org/cmkg/graph/reference/> ASK FROM g:x { ?s ?p ?o }",
    ...     known_graphs={"https://w3id.org/cmkg/graph/reference/x"},
    ... )
    >>> info.kind.name, info.from_graphs
    ('ASK', ('https://w3id.org/cmkg/graph/reference/x',))
    >>> check_query("ASK FROM <http://example.org/g> {}", known_graphs=())
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.QueryRefused: FROM <http://example.org/g>: no graph with this IRI ...
    """
    walks = [_walk(view, base_iri=base_iri, known_graphs=known_graphs) for view in _views(query)]
    walk = walks[0]
    for other in walks[1:]:
        if [t.kind for t in other.tokens] != [t.kind for t in walk.tokens]:
            raise QueryRefused(
                "codepoint escapes (\\u...) that change the query's structure are not allowed"
            )
    if walk.first_word in _UPDATE_WORDS:
        raise QueryRefused(
            f"{walk.first_word} is an update: this endpoint is read-only; "
            "send updates to POST /sparql/update with an API key"
        )
    if walk.first_word not in _QUERY_FORMS:
        found = walk.first_word or "nothing"
        raise QueryError(
            f"expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue, found {found}"
        )
    kind = QueryKind[walk.first_word]
    return QueryInfo(
        kind=kind,
        from_graphs=tuple(iri for word, named, iri in walk.dataset_clauses if not named),
        from_named_graphs=tuple(iri for word, named, iri in walk.dataset_clauses if named),
    )


# ---------------------------------------------------------------------------------------------
# updates


@dataclass(frozen=True, slots=True)
class _Operation:
    first: int  # index of the operation's first token (after its prologue)
    last: int  # index one past its last token
    words: tuple[str, ...]  # the upper-cased words at brace depth 0


@dataclass(frozen=True, slots=True)
class UpdateInfo:
    """What the guard learnt about an update it let through."""

    #: number of operations (separated by ``;``)
    operations: int
    #: whether an operation names its own dataset (``WITH`` / ``USING``)
    has_dataset: bool


def _operations(tokens: Sequence[_Token]) -> list[_Operation]:
    """Split an update's tokens into operations at top-level ``;``, skipping prologues."""
    operations: list[_Operation] = []
    depth = 0
    start = 0
    i = 0
    n = len(tokens)

    def close(end: int) -> None:
        first = start
        while first < end:
            word = tokens[first].upper if tokens[first].kind == "word" else ""
            if word == "BASE":
                first += 2
            elif word == "PREFIX":
                first += 3
            else:
                break
        if first < end:
            words = []
            inner = 0
            for token in tokens[first:end]:
                if token.text in "{[(":
                    inner += 1
                elif token.text in "}])":
                    inner -= 1
                elif inner == 0 and token.kind == "word":
                    words.append(token.upper)
            operations.append(_Operation(first, end, tuple(words)))

    while i < n:
        text = tokens[i].text
        if tokens[i].kind == "punct" and text in "{[(":
            depth += 1
        elif tokens[i].kind == "punct" and text in "}])":
            depth -= 1
        elif tokens[i].kind == "punct" and text == ";" and depth == 0:
            close(i)
            start = i + 1
        i += 1
    close(n)
    return operations


def check_update(
    update: str, *, known_graphs: KnownGraphs, base_iri: str | None = None
) -> UpdateInfo:
    """Refuse an update that would reach out (``LOAD``, ``SERVICE``, ``USING`` of unknown graphs).

    ``WITH`` names the graph an operation writes to, so any graph is accepted there.

    >>> check_update(
    ...     "INSERT DATA { GRAPH <http://example.org/g> { <http://a> <http://b> 1 } }",
    ...     known_graphs=(),
    ... ).operations
    1
    >>> check_update("CLEAR ALL ; SELECT * {}", known_graphs=())
    Traceback (most recent call last):
    ...
    cmkg.graph.errors.QueryError: SELECT is a query, not an update operation
    """
    walks = [_walk(view, base_iri=base_iri, known_graphs=known_graphs) for view in _views(update)]
    walk = walks[0]
    for other in walks[1:]:
        if [t.kind for t in other.tokens] != [t.kind for t in walk.tokens]:
            raise QueryRefused(
                "codepoint escapes (\\u...) that change the update's structure are not allowed"
            )
    operations = _operations(walk.tokens)
    for operation in operations:
        head = operation.words[0] if operation.words else "nothing"
        if head in _QUERY_FORMS:
            raise QueryError(f"{head} is a query, not an update operation")
        if head not in _UPDATE_WORDS:
            raise QueryError(f"expected an update operation, found {head}")
    return UpdateInfo(
        operations=len(operations),
        has_dataset=any({"WITH", "USING"} & set(op.words) for op in operations),
    )


def with_using_dataset(
    update: str,
    *,
    using_graphs: Sequence[str] = (),
    using_named_graphs: Sequence[str] = (),
) -> str:
    """Apply the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to an update.

    The graphs become ``USING`` / ``USING NAMED`` clauses of every ``INSERT``/``DELETE ...
    WHERE`` operation. An operation with its own ``USING`` or ``WITH`` conflicts with them
    (SPARQL 1.1 Protocol, 2.2.3) and is refused.

    >>> with_using_dataset(
    ...     "INSERT { ?s a <http://x/C> } WHERE { ?s ?p ?o }", using_graphs=["http://g/1"]
    ... )
    'INSERT { ?s a <http://x/C> } USING <http://g/1> WHERE { ?s ?p ?o }'
    """
    if not using_graphs and not using_named_graphs:
        return update
    for iri in (*using_graphs, *using_named_graphs):
        check_iri(iri, what="using-graph-uri")
    tokens = _tokenize(update)
    clauses = " ".join(
        [f"USING <{iri}>" for iri in using_graphs]
        + [f"USING NAMED <{iri}>" for iri in using_named_graphs]
    )
    insert_at: list[int] = []
    for operation in _operations(tokens):
        if {"WITH", "USING"} & set(operation.words):
            raise QueryError(
                "using-graph-uri / using-named-graph-uri conflict with the update's own "
                "WITH or USING clause"
            )
        if operation.words[:1] not in (("INSERT",), ("DELETE",)):
            continue
        if operation.first + 1 >= operation.last or tokens[operation.first + 1].text != "{":
            continue  # INSERT DATA, DELETE DATA, DELETE WHERE: no dataset to apply
        depth = 0
        for token in tokens[operation.first : operation.last]:
            if token.kind == "punct" and token.text in "{[(":
                depth += 1
            elif token.kind == "punct" and token.text in "}])":
                depth -= 1
            elif depth == 0 and token.kind == "word" and token.upper == "WHERE":
                insert_at.append(token.start)
                break
    for offset in sorted(insert_at, reverse=True):
        update = f"{update[:offset]}{clauses} {update[offset:]}"
    return update
