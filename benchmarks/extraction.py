"""Throughput and quality of ``extract_facts``.

Usage:
    python benchmarks/extraction.py [--articles 10000]     # speed
    python benchmarks/extraction.py --scores                # score tables, dev and held-out
    python benchmarks/extraction.py --predict dev OUTDIR    # predictions for tests/data/score.py

Speed: the warm-up time (lexicons built and cached on first use), then articles per second
(wall clock and CPU time of this process) over the dev set repeated to N articles, and the rate
per language. Target (issue #3): at least 200 articles/s on one core.

Scores: precision, recall and F1 by fact type and mention kind, overall and per language, for
the dev set (``tests/data/dev-set``) and the held-out set (``tests/data/extraction``), with the
contract's scorer (``tests/data/score.py``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from cmkg.graph.extraction import extract_facts
from cmkg.graph.facts import Article

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEV = DATA / "dev-set" / "articles"
SETS = {"dev": DATA / "dev-set", "held-out": DATA / "extraction"}


def read_article(path: Path) -> Article:
    """A dev-set file: an optional ``source:/title:/published:/language:`` header block."""
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    if re.match(r"^source: ", raw):
        head, body = raw.split("\n\n", 1)
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        title = re.sub(r"\s*\((?:from|not captured)[^)]*\)\s*", " ", meta.get("title", "")).strip()
        text = f"{title}\n\n{body}" if title else body
        lang = meta.get("language", "").split(" ")[0]
        return Article(
            path.stem, lang, title or None, meta.get("published"), meta.get("source"), text
        )
    return Article(path.stem, "", None, None, path.name, raw)


def predict(set_name: str, out: Path) -> dict[str, str]:
    """Write one prediction file per article of a set; return each article's language."""
    out.mkdir(parents=True, exist_ok=True)
    langs = {}
    for path in sorted((SETS[set_name] / "articles").glob("*.txt")):
        result = extract_facts(read_article(path))
        langs[path.stem] = result.article.language
        (out / f"{path.stem}.json").write_text(
            json.dumps(result.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return langs


def _scorer():  # the contract's scorer, loaded from its file
    spec = importlib.util.spec_from_file_location("cmkg_score", DATA / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def print_scores() -> None:
    scorer = _scorer()
    for set_name in SETS:
        with tempfile.TemporaryDirectory() as tmp:
            pred = Path(tmp) / "pred"
            langs = predict(set_name, pred)
            groups: dict[str, list[str]] = defaultdict(list)
            for stem, lang in langs.items():
                groups[lang].append(stem)
            rows = {"all": sorted(langs)} | {k: v for k, v in sorted(groups.items())}
            print(f"\n== {set_name} ({len(langs)} articles)")
            print(f"{'subset':8s} {'n':>3s}  " + "  ".join(f"{k:>14s}" for k in _COLUMNS))
            for label, stems in rows.items():
                gold = Path(tmp) / f"gold-{label}"
                gold.mkdir()
                for stem in stems:
                    src = SETS[set_name] / "gold" / f"{stem}.json"
                    (gold / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
                counts = scorer.score(str(gold), str(pred))
                cells = []
                for key in _COLUMNS:
                    if key == "fact_f1":
                        facts = [c for k, c in counts.items() if k.startswith("facts.")]
                        tp, fp, fn = (sum(c[i] for c in facts) for i in range(3))
                    else:
                        tp, fp, fn = counts.get(key, (0, 0, 0))
                    f1 = scorer.prf(tp, fp, fn)[2]
                    cells.append(f"{f1:5.3f} ({tp:>2d}/{tp + fn:<2d})")
                print(f"{label:8s} {len(stems):>3d}  " + "  ".join(f"{c:>14s}" for c in cells))
    print("\ncells: F1 (true positives / gold items)")


_COLUMNS = (
    "fact_f1",
    "facts.agreement",
    "facts.export_control",
    "facts.share",
    "facts.investment",
    "mentions.countries",
    "mentions.minerals",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--scores", action="store_true", help="print the score tables")
    parser.add_argument("--predict", nargs=2, metavar=("SET", "OUTDIR"), help="dev or held-out")
    args = parser.parse_args(argv)
    if args.scores:
        print_scores()
        return 0
    if args.predict:
        predict(args.predict[0], Path(args.predict[1]))
        return 0
    articles = [read_article(p) for p in sorted(DEV.glob("*.txt"))]
    t0 = time.perf_counter()
    for a in articles:
        extract_facts(a)
    warm = time.perf_counter() - t0
    print(f"warm-up (first pass over {len(articles)} articles, lexicons built): {warm:.2f} s")
    per_lang: dict[str, list[float]] = defaultdict(list)
    n = args.articles
    chars = 0
    facts = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(n):
        a = articles[i % len(articles)]
        t = time.perf_counter()
        out = extract_facts(a)
        per_lang[out.article.language].append(time.perf_counter() - t)
        chars += len(a.text or "")
        facts += len(out.facts)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(
        f"{n} articles in {elapsed:.2f} s wall, {cpu:.2f} s CPU: "
        f"{n / elapsed:.0f} articles/s wall, {n / cpu:.0f} articles/s CPU, "
        f"{chars / cpu / 1e6:.2f} M chars/s CPU, {facts} facts"
    )
    if cpu < 0.8 * elapsed:
        print("note: the process got less than 80% of a core; the CPU figure is the one to read")
    print("per language (articles/s):")
    for lang, times in sorted(per_lang.items()):
        print(
            f"  {lang}: {len(times) / sum(times):.0f}"
            f"  (mean {1000 * sum(times) / len(times):.2f} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
