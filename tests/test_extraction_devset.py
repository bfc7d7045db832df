"""The extractor against annotated articles, scored by the contract's scorer.

Two sets: the dev set (``tests/data/dev-set``, issue #3's floors: fact F1 >= 0.80, country and
mineral mention F1 >= 0.90) and the project's own held-out articles
(``tests/data/extraction``: news-style texts written for these tests about public events, in
en, id, zh, ja, es, fr, de, pt, it and ko, with gold written by hand per ANNOTATION.md). The
floors pinned for the held-out set are lower than the figures it reaches today, so that a
regression fails but small wording changes in rules do not.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from cmkg.graph.extraction import extract_facts
from cmkg.graph.facts import Article, ArticleFacts, validate_facts_json

DATA = Path(__file__).parent / "data"
SETS = {"dev": DATA / "dev-set", "held-out": DATA / "extraction"}
FLOORS = {
    "dev": {"fact_f1": 0.80, "mentions.countries": 0.90, "mentions.minerals": 0.90},
    "held-out": {"fact_f1": 0.80, "mentions.countries": 0.90, "mentions.minerals": 0.90},
}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cmkg_score", DATA / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_article(path: Path) -> Article:
    """A test article: a ``source:/title:/published:/language:`` header block and a blank line,
    then the body; or (the seed article) no header, the first line being the title.

    The text handed to the extractor is the title, a blank line, then the body. Notes that the
    dev set appends to titles ("(from URL slug)") and publication dates are left out.
    """
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    if not re.match(r"^source: ", raw):
        return Article(id=path.stem, language="", source=path.name, text=raw)
    head, body = raw.split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    title = re.sub(r"\s*\((?:from|not captured)[^)]*\)\s*", " ", meta.get("title", "")).strip()
    text = f"{title}\n\n{body}" if title else body
    return Article(
        id=path.stem,
        language=meta.get("language", "").split(" ")[0],
        title=title or None,
        published=meta.get("published"),
        source=meta.get("source"),
        text=text,
    )


@pytest.fixture(scope="module", params=sorted(SETS))
def scored(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    name = request.param
    root = SETS[name]
    out = tmp_path_factory.mktemp(f"pred-{name}")
    results: dict[str, ArticleFacts] = {}
    for path in sorted((root / "articles").glob("*.txt")):
        result = extract_facts(read_article(path))
        results[path.stem] = result
        (out / f"{path.stem}.json").write_text(
            json.dumps(result.to_json(), ensure_ascii=False), encoding="utf-8"
        )
    return name, root, out, results


def test_every_article_has_gold(scored: tuple) -> None:
    _, root, _, results = scored
    gold = {p.stem for p in (root / "gold").glob("*.json")}
    assert set(results) == gold


def test_scores_meet_the_floors(scored: tuple) -> None:
    name, root, out, _ = scored
    scorer = _scorer()
    counts = scorer.score(str(root / "gold"), str(out))
    f1 = {key: scorer.prf(*c)[2] for key, c in counts.items()}
    facts = [c for key, c in counts.items() if key.startswith("facts.")]
    f1["fact_f1"] = scorer.prf(*(sum(c[i] for c in facts) for i in range(3)))[2]
    report = {k: round(v, 3) for k, v in sorted(f1.items())}
    for key, floor in FLOORS[name].items():
        assert f1[key] >= floor, f"{name}: {key} {f1[key]:.3f} < {floor} ({report})"


def test_output_follows_the_contract(scored: tuple) -> None:
    _, _, _, results = scored
    for article_id, result in results.items():
        validate_facts_json(result.to_json())
        text = result.article.text or ""
        for fact in result.facts:
            assert fact.evidence_start is not None and fact.evidence_end is not None
            assert text[fact.evidence_start : fact.evidence_end] == fact.evidence, article_id


def test_articles_without_a_declared_language_are_detected(scored: tuple) -> None:
    _, _, _, results = scored
    for result in results.values():
        assert re.fullmatch(r"[a-z]{2}", result.article.language)
    seed = results.get("us-japan-framework-id")
    if seed is not None:  # the seed article has no header: its language is detected
        assert seed.article.language == "id"
