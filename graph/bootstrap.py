"""The default content of a store: the ontology, the vocabularies, the reference statistics and
the sample articles.

:func:`ensure_default_content` loads what is missing, each source into its own named graph
with one atomic :meth:`~cmkg.graph.store.Store.replace_graph`, then ingests the sample
articles (``graph/data/samples/``) through the article pipeline. It is idempotent and cheap on
a store that already has everything: it only asks which named graphs exist (it knows their
IRIs without building them, and computes the samples' ids without identifying their
languages). A graph that is
present is never reloaded unless ``force=True`` (``cmkg load-reference`` does that after an
upgrade). When a reference graph was (re)loaded, the samples are run through the pipeline
again so that their share claims are checked against it; an unchanged article is not
rewritten.

:func:`prepare_store` is what the service calls once at start-up (the app's lifespan), with
its settings: it loads the default content unless ``settings.preload`` is false.

Examples
--------
>>> from cmkg.graph.store import MemoryStore
>>> store = MemoryStore()
>>> first = ensure_default_content(store)
>>> first["samples"]["ingested"] == len(sample_names()) and first["loaded"] != []
True
>>> again = ensure_default_content(store)
>>> again["loaded"], again["samples"]["ingested"]
([], 0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from typing import Any, Protocol

from rdflib import Graph, URIRef

from .articles import read_article
from .facts import Article
from .ingest import ingest_articles
from .namespaces import GRAPH, article_graph_iri, reference_graph_iri
from .store import Store

__all__ = [
    "default_graph_iris",
    "default_graphs",
    "ensure_default_content",
    "prepare_store",
    "sample_articles",
    "sample_names",
]

_SAMPLE_SUFFIXES = (".txt", ".html", ".htm", ".json")

#: The graphs :func:`cmkg.graph.vocabularies.ontology_graphs` builds (a test pins the two).
_ONTOLOGY_GRAPHS: tuple[URIRef, ...] = (
    GRAPH["ontology"],
    GRAPH["vocabulary/minerals"],
    GRAPH["vocabulary/countries"],
    GRAPH["vocabulary/concepts"],
)


class _PreloadSettings(Protocol):
    preload: bool


def sample_names() -> list[str]:
    """File names of the sample articles shipped in ``cmkg.graph.data/samples``.

    >>> "001.txt" in sample_names()
    True
    """
    folder = resources.files("cmkg.graph.data").joinpath("samples")
    return sorted(
        p.name for p in folder.iterdir() if p.is_file() and p.name.endswith(_SAMPLE_SUFFIXES)
    )


def _sample_inputs() -> list[tuple[str, bytes, str | None]]:
    folder = resources.files("cmkg.graph.data").joinpath("samples")
    out = []
    for name in sample_names():
        media = "text/html" if name.endswith((".html", ".htm")) else None
        media = "application/json" if name.endswith(".json") else media
        out.append((name, folder.joinpath(name).read_bytes(), media))
    return out


def _read_sample(name: str, data: bytes, media: str | None) -> Article:
    article = read_article(data, name=name, media_type=media)
    # As for any file (``iter_named_inputs``): its name is the source when it gives none.
    return article if article.source else replace(article, source=name)


def sample_articles() -> list[Article]:
    """The sample articles, read like any other input (in file-name order).

    >>> sample_articles()[0].source
    'https://www.trtworld.com/article/ad6c3d1de17a'
    """
    return [_read_sample(name, data, media) for name, data, media in _sample_inputs()]


def _missing_samples(store: Store) -> list[Article]:
    """The samples whose graph is missing (their ids computed without identifying languages)."""
    out = []
    for name, data, media in _sample_inputs():
        # The language does not enter the id: skip its identification for present samples.
        quick = read_article(data, name=name, media_type=media, language="und")
        if not store.has_graph(str(article_graph_iri(quick.id))):
            out.append(_read_sample(name, data, media))
    return out


def default_graphs() -> dict[str, Callable[[], dict[URIRef, Graph]]]:
    """The default named graphs, by kind: ``ontology`` and ``reference`` builders.

    Each value returns ``{named-graph IRI: content}`` when called (building them parses the
    shipped Turtle and CSV files, so it is done only when something is missing).
    """
    from .reference import reference_graphs
    from .vocabularies import ontology_graphs

    return {"ontology": ontology_graphs, "reference": reference_graphs}


def default_graph_iris() -> dict[str, tuple[URIRef, ...]]:
    """The IRIs of the default named graphs, by kind, known without building them.

    >>> [str(i).rsplit("/", 1)[1] for i in default_graph_iris()["reference"]]
    ['usgs-mcs-2026', 'iea-reported', 'critical-mineral-lists']
    """
    from .reference import RELEASES

    return {
        "ontology": _ONTOLOGY_GRAPHS,
        "reference": tuple(reference_graph_iri(r) for r in RELEASES),
    }


def ensure_default_content(
    store: Store, *, samples: bool = True, force: bool = False
) -> dict[str, Any]:
    """Load the ontology, vocabularies, reference statistics and samples where missing.

    Parameters
    ----------
    store
        The store to fill.
    samples
        Also ingest the sample articles (those whose graph is missing).
    force
        Reload every ontology and reference graph even when present.

    Returns
    -------
    dict
        ``loaded``: the named graphs (re)loaded, ``triples``: their sizes in all,
        ``samples``: the ingest counts of the samples (see
        :meth:`~cmkg.graph.ingest.IngestReport.to_json`, without the per-article list).
    """
    loaded: list[str] = []
    triples = 0
    reference_loaded = False
    builders = default_graphs()
    for kind, iris in default_graph_iris().items():
        if not force and all(store.has_graph(str(iri)) for iri in iris):
            continue  # the cheap path of every start after the first
        graphs = builders[kind]()
        todo = list(graphs) if force else [i for i in graphs if not store.has_graph(str(i))]
        for iri in todo:
            triples += store.replace_graph(str(iri), graphs[iri])
            loaded.append(str(iri))
        reference_loaded = reference_loaded or (kind == "reference" and bool(todo))
    report: dict[str, Any] = {"ingested": 0, "replaced": 0, "unchanged": 0, "failed": []}
    if samples:
        # After new reference statistics every sample is run again (their share claims'
        # verdicts may change; unchanged graphs are not rewritten).
        articles = sample_articles() if reference_loaded else _missing_samples(store)
        if articles:
            result = ingest_articles(store, articles).to_json()
            result.pop("articles")
            report = result
    return {"loaded": loaded, "triples": triples, "samples": report}


def prepare_store(store: Store, settings: _PreloadSettings) -> dict[str, Any]:
    """Get a freshly opened store ready to serve; the app's lifespan calls this once.

    Loads the default content (:func:`ensure_default_content`, samples included) unless
    ``settings.preload`` is false; returns what was done (``{}`` when nothing was asked).

    >>> from types import SimpleNamespace
    >>> from cmkg.graph.store import MemoryStore
    >>> prepare_store(MemoryStore(), SimpleNamespace(preload=False))
    {}
    """
    if not getattr(settings, "preload", True):
        return {}
    return ensure_default_content(store, samples=True)
