"""One error tree for cmkg.

Every error cmkg raises on purpose derives from :class:`CmkgError`; the HTTP layer maps
each branch to a status code in one place (``api/errors.py``)::

    CmkgError
    ├── InputError            bad input from a caller (maps to 400/422)
    │   ├── DecodingError     bytes that no declared or detected encoding decodes
    │   ├── EmptyArticleError an article with no text
    │   ├── ArticleTooLarge   an article over the size limit (maps to 413)
    │   └── InvalidFacts      facts that do not follow facts.schema.json
    ├── QueryError            a SPARQL query or update that is malformed or refused (400)
    │   ├── QueryRefused      a query that would make the server reach out (SERVICE, LOAD...)
    │   └── QueryTimeout      a query past its deadline (503)
    ├── NotFound              an unknown article, country, mineral or graph (404)
    ├── ExtractionError       the pipeline failed on an article it accepted
    └── StoreError            the store could not be opened, read or written (503)
        └── StoreUnavailable  a remote store that does not answer

Messages name the article id, IRI or parameter at fault.

Examples
--------
>>> issubclass(QueryTimeout, QueryError) and issubclass(QueryError, CmkgError)
True
"""

from __future__ import annotations

__all__ = [
    "ArticleTooLarge",
    "CmkgError",
    "DecodingError",
    "EmptyArticleError",
    "ExtractionError",
    "InputError",
    "InvalidFacts",
    "NotFound",
    "QueryError",
    "QueryRefused",
    "QueryTimeout",
    "StoreError",
    "StoreUnavailable",
]


class CmkgError(Exception):
    """The root of every error cmkg raises on purpose."""


class InputError(CmkgError):
    """Bad input from a caller: the message says what is wrong with it."""


class DecodingError(InputError):
    """Bytes that neither their declared encoding nor detection can decode."""


class EmptyArticleError(InputError):
    """An article with no text left after normalisation."""


class ArticleTooLarge(InputError):
    """An article larger than the configured limit."""


class InvalidFacts(InputError):
    """Facts that do not follow ``facts.schema.json``."""


class QueryError(CmkgError):
    """A SPARQL query or update that is malformed or refused."""


class QueryRefused(QueryError):
    """A query refused because it would make the server fetch something (SERVICE, LOAD...)."""


class QueryTimeout(QueryError):
    """A query that ran past its deadline; its work was cancelled."""


class NotFound(CmkgError):
    """An unknown article, country, mineral or graph."""


class ExtractionError(CmkgError):
    """The extraction pipeline failed on an article it had accepted."""


class StoreError(CmkgError):
    """The store could not be opened, read or written."""


class StoreUnavailable(StoreError):
    """A remote store that does not answer (after retries)."""
