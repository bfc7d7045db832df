"""The ingest pipeline and the store's default content, on real stores.

Includes the crash test: an ingest process killed with SIGKILL mid-run leaves every article
it acknowledged whole and no article graph half-written.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from cmkg.graph.articles import iter_inputs, iter_named_inputs, read_article, read_jsonl
from cmkg.graph.bootstrap import (
    default_graph_iris,
    default_graphs,
    ensure_default_content,
    prepare_store,
    sample_articles,
)
from cmkg.graph.consistency import ReferenceIndex
from cmkg.graph.errors import InputError, NotFound
from cmkg.graph.extraction import extract_facts
from cmkg.graph.facts import Article
from cmkg.graph.ingest import (
    count_articles,
    delete_article,
    get_article,
    ingest_article,
    ingest_articles,
    list_articles,
)
from cmkg.graph.namespaces import article_graph_iri, reference_graph_iri
from cmkg.graph.store import EmbeddedStore, MemoryStore, Store

DATA = Path(__file__).parent / "data"
DEV_ARTICLES = DATA / "dev-set" / "articles"
INPUTS = DATA / "inputs"


def _dev_set() -> list[Article]:
    return list(iter_inputs([DEV_ARTICLES]))


def _snapshot(store: Store) -> tuple[int, list[str]]:
    return store.count(), sorted(store.graphs())


@pytest.fixture(scope="module")
def dev_set() -> list[Article]:
    return _dev_set()


# ---------------------------------------------------------------------------- ingest


def test_ingesting_the_dev_set_twice_changes_nothing(dev_set: list[Article]) -> None:
    store = MemoryStore()
    first = ingest_articles(store, dev_set)
    assert (first.ingested, first.replaced, first.unchanged, first.failed) == (16, 0, 0, [])
    assert first.triples == store.count()
    before = _snapshot(store)
    ends = {a.id: get_article(store, a.id)["provenance"]["ended_at"] for a in dev_set}
    second = ingest_articles(store, dev_set)
    assert (second.ingested, second.replaced, second.unchanged, second.triples) == (0, 0, 16, 0)
    assert _snapshot(store) == before
    assert {a.id: get_article(store, a.id)["provenance"]["ended_at"] for a in dev_set} == ends
    # Forcing the rewrite replaces every graph and still leaves the count as it was.
    third = ingest_articles(store, dev_set, skip_unchanged=False)
    assert third.replaced == 16
    assert _snapshot(store) == before


def test_one_named_graph_per_article(dev_set: list[Article]) -> None:
    store = MemoryStore()
    report = ingest_articles(store, dev_set)
    assert sorted(store.graphs()) == sorted(str(article_graph_iri(a.id)) for a in dev_set)
    assert sum(o.triples for o in report.outcomes) == store.count()
    for outcome in report.outcomes:
        assert store.count(outcome.graph) == outcome.triples


def test_get_article_reads_back_the_extracted_facts(dev_set: list[Article]) -> None:
    store = MemoryStore()
    ingest_articles(store, dev_set)
    for article in dev_set:
        doc = extract_facts(article)
        stored = get_article(store, article.id)
        assert (stored["id"], stored["title"], stored["language"]) == (
            article.id,
            article.title,
            article.language,
        )
        assert stored["text"] == article.text
        assert stored["mentions"]["countries"] == sorted(doc.mentions.countries)
        assert stored["mentions"]["minerals"] == sorted(doc.mentions.minerals)
        assert [f["type"] for f in stored["facts"]] == [f.type for f in doc.facts]
        for fact, back in zip(doc.facts, stored["facts"], strict=True):
            fields = fact.to_json()
            for key in ("parties", "minerals"):
                if key in fields:
                    assert back[key] == sorted(fields[key])
            for key in ("country", "host", "mineral", "stage", "kind", "measure"):
                if fields.get(key) is not None:
                    assert back[key] == fields[key]
            evidence = back["evidence"]
            if fact.evidence:
                assert evidence["exact"] in article.text
                if "start" in evidence:
                    assert article.text[evidence["start"] : evidence["end"]] == evidence["exact"]
        provenance = stored["provenance"]
        assert provenance["triples"] == store.count(str(article_graph_iri(article.id)))
        assert provenance["extractor_version"]


def test_list_count_and_pages(dev_set: list[Article]) -> None:
    store = MemoryStore()
    ingest_articles(store, dev_set)
    assert count_articles(store) == 16
    everything = list_articles(store, limit=100)
    assert sorted(a["id"] for a in everything) == sorted(a.id for a in dev_set)
    pages = list_articles(store, limit=5) + list_articles(store, limit=5, offset=5)
    pages += list_articles(store, limit=10, offset=10)
    assert pages == everything
    published = [a["published"] or "" for a in everything]
    assert published == sorted(published, reverse=True)


def test_delete_article(dev_set: list[Article]) -> None:
    store = MemoryStore()
    ingest_articles(store, dev_set[:2])
    gone, kept = dev_set[0].id, dev_set[1].id
    delete_article(store, gone)
    assert count_articles(store) == 1
    with pytest.raises(NotFound, match=gone):
        get_article(store, gone)
    with pytest.raises(NotFound, match=gone):
        delete_article(store, gone)
    assert get_article(store, kept)["id"] == kept


@pytest.mark.parametrize("bad_id", ["nope", "a>b", "../x", "", "x" * 200])
def test_unknown_or_malformed_ids_are_not_found(bad_id: str) -> None:
    with pytest.raises(NotFound):
        get_article(MemoryStore(), bad_id)


def test_a_failing_article_is_reported_and_the_others_go_in(dev_set: list[Article]) -> None:
    store = MemoryStore()
    broken = replace(dev_set[0], id="not an id!")  # cannot go into an IRI: mapping refuses
    report = ingest_articles(store, [dev_set[1], broken, dev_set[2]])
    assert report.ingested == 2
    assert [i for i, _ in report.failed] == ["not an id!"]
    assert "cannot go into an IRI" in report.failed[0][1]
    assert count_articles(store) == 2


def test_new_reference_statistics_replace_a_graph() -> None:
    store = MemoryStore()
    article = read_article((DEV_ARTICLES / "014.txt").read_bytes())  # China graphite 67%
    assert ingest_article(store, article, reference=ReferenceIndex([])).outcome == "ingested"
    ensure_default_content(store, samples=False)
    outcome = ingest_article(store, article)  # now checked against USGS: a different graph
    assert outcome.outcome == "replaced"
    verdicts = {f.get("consistency") for f in get_article(store, article.id)["facts"]}
    assert verdicts - {None} and "unchecked" not in verdicts


@pytest.mark.parametrize(
    "bad",
    [
        "bad/binary.txt",
        "bad/scan.pdf",
        "bad/undecodable.txt",
        "bad/empty.txt",
        "bad/header-only.txt",
        "bad/feed-bad-line.jsonl",
        "bad/feed-no-text.jsonl",
    ],
)
def test_bad_input_leaves_the_store_unchanged(bad: str, dev_set: list[Article]) -> None:
    store = MemoryStore()
    ingest_articles(store, dev_set[:3])
    before = _snapshot(store)
    with pytest.raises(InputError):
        # Read everything first (as the CLI does): a bad file refuses the whole batch.
        ingest_articles(store, list(iter_inputs([INPUTS / "good", INPUTS / bad])))
    assert _snapshot(store) == before


def test_a_malformed_jsonl_line_refuses_the_file_before_any_ingest() -> None:
    store = MemoryStore()
    data = (INPUTS / "bad" / "feed-bad-line.jsonl").read_bytes()
    with pytest.raises(InputError, match="line 3"):
        ingest_articles(store, read_jsonl(data, name="feed-bad-line.jsonl"))
    assert _snapshot(store) == (0, [])


def test_every_good_input_kind_is_ingested() -> None:
    store = MemoryStore()
    named = list(iter_named_inputs([INPUTS / "good"]))
    report = ingest_articles(store, [a for _, a in named])
    assert report.failed == []
    ids = {a.id for _, a in named}
    # de-utf16 and de-cp1252 are the same text from two files: one article, whose graph the
    # second file replaces (its source differs).
    assert len(named) - len(ids) == 1
    assert (report.ingested, report.replaced) == (len(ids), 1)
    assert count_articles(store) == len(ids)


# ---------------------------------------------------------------------------- default content


def test_default_content_is_loaded_once() -> None:
    store = MemoryStore()
    first = ensure_default_content(store)
    samples = sample_articles()
    assert first["samples"]["ingested"] == len(samples)
    assert first["samples"]["failed"] == []
    for release in ("usgs-mcs-2026", "iea-reported", "critical-mineral-lists"):
        assert store.has_graph(str(reference_graph_iri(release)))
    before = _snapshot(store)
    second = ensure_default_content(store)
    assert second["loaded"] == [] and second["samples"]["ingested"] == 0
    assert _snapshot(store) == before
    # A missing graph is loaded again, and only that one.
    usgs = str(reference_graph_iri("usgs-mcs-2026"))
    store.drop_graph(usgs)
    third = ensure_default_content(store)
    assert third["loaded"] == [usgs]
    assert _snapshot(store) == before


def test_default_graph_iris_are_those_the_builders_make() -> None:
    builders = default_graphs()
    for kind, iris in default_graph_iris().items():
        assert sorted(map(str, iris)) == sorted(map(str, builders[kind]()))


def test_prepare_store_follows_the_preload_setting() -> None:
    from cmkg.api.settings import Settings

    store = MemoryStore()
    assert prepare_store(store, Settings(store="memory", preload=False)) == {}
    assert store.count() == 0
    done = prepare_store(store, Settings(store="memory", preload=True))
    assert done["samples"]["ingested"] == len(sample_articles())
    assert count_articles(store) == len(sample_articles())


# ---------------------------------------------------------------------------- kill -9

_INGEST_LOOP = textwrap.dedent(
    """
    import sys
    from cmkg.graph.articles import read_jsonl
    from cmkg.graph.ingest import ingest_articles
    from cmkg.graph.store import EmbeddedStore

    store = EmbeddedStore(sys.argv[1])
    articles = read_jsonl(open(sys.argv[2], "rb").read())

    def ack(article, outcome):
        print(outcome, article.id, flush=True)

    ingest_articles(store, articles, progress=ack)
    store.close()
    print("done", flush=True)
    """
)


def _variants(dev_set: list[Article], n: int) -> list[dict[str, str | None]]:
    out = []
    for i in range(n):
        a = dev_set[i % len(dev_set)]
        body = a.text.split("\n\n", 1)[-1] if a.title else a.text
        out.append(
            {
                "text": f"{body}\n\n(Variant {i} of the sample.)",
                "title": a.title,
                "language": a.language,
                "published": a.published,
                "url": a.source if a.source and "://" in a.source else None,
            }
        )
    return out


@pytest.mark.slow
def test_kill_9_mid_ingest_leaves_no_half_written_article(
    tmp_path: Path, dev_set: list[Article]
) -> None:
    records = _variants(dev_set, 300)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    articles = list(read_jsonl(feed.read_bytes()))
    assert len({a.id for a in articles}) == 300

    store_path = tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, "-c", _INGEST_LOOP, str(store_path), str(feed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acked: list[str] = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            outcome, _, article_id = line.strip().partition(" ")
            assert outcome == "ingested", line
            acked.append(article_id)
            if len(acked) == 120:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
        assert proc.stderr is not None
        stderr = proc.stderr.read()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, stderr
    assert len(acked) == 120

    # What a complete graph of each article holds: a fresh ingest into memory.
    expected = {}
    fresh = MemoryStore()
    ingest_articles(fresh, articles, reference=ReferenceIndex([]))
    for a in articles:
        expected[str(article_graph_iri(a.id))] = fresh.count(str(article_graph_iri(a.id)))

    with EmbeddedStore(store_path) as store:
        present = set(store.graphs())
        assert {str(article_graph_iri(i)) for i in acked} <= present
        assert present <= set(expected)
        assert len(present) <= len(acked) + 1  # at most the one in flight went in unacked
        for graph in present:
            assert store.count(graph) == expected[graph], graph
        # The store still works: the rest of the run goes in after the crash.
        report = ingest_articles(store, articles, reference=ReferenceIndex([]))
        assert report.ingested == 300 - len(present) and report.unchanged == len(present)
        assert report.failed == []
        assert store.count() == fresh.count()
