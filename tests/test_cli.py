"""The ``cmkg`` command, run as a real subprocess (the installed console script)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from cmkg.graph.facts import validate_facts_json

DATA = Path(__file__).parent / "data"
DEV = DATA / "dev-set"
INPUTS = DATA / "inputs"
CMKG = Path(sys.executable).with_name("cmkg")


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CMKG), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_extract_writes_one_contract_file_per_article(tmp_path: Path) -> None:
    out = tmp_path / "pred"
    result = run("extract", DEV / "articles", "--out", out)
    assert result.returncode == 0, result.stderr
    gold = sorted(p.name for p in (DEV / "gold").glob("*.json"))
    assert sorted(p.name for p in out.iterdir()) == gold
    for path in out.iterdir():
        doc = json.loads(path.read_text(encoding="utf-8"))
        validate_facts_json(doc)
    # The contract's scorer reads the folder as it is.
    score = subprocess.run(
        [sys.executable, str(DATA / "score.py"), str(DEV / "gold"), str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert score.returncode == 0, score.stderr
    assert "fact_f1:" in score.stdout


def test_extract_names_jsonl_records_by_line(tmp_path: Path) -> None:
    result = run("extract", INPUTS / "good" / "feed.jsonl", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed-1.json", "feed-3.json"]


def test_extract_to_stdout_is_json_lines() -> None:
    result = run("extract", INPUTS / "good" / "news-page.html", INPUTS / "good" / "zh-gbk.txt")
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["article"]["language"] for d in docs] == ["en", "zh"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("bad/binary.txt", "binary data"),
        ("bad/undecodable.txt", "not text in any encoding"),
        ("bad/empty.txt", "has no text"),
        ("bad/feed-bad-line.jsonl", "line 3 is not valid JSON"),
        ("missing.txt", "no such file or folder"),
    ],
)
def test_extract_errors_are_one_line_and_write_nothing(
    tmp_path: Path, bad: str, message: str
) -> None:
    out = tmp_path / "out"
    result = run("extract", INPUTS / "good", INPUTS / bad, "--out", out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cmkg: error: ")
    assert message in lines[0]
    assert not out.exists() or list(out.iterdir()) == []


def _stats(store: Path) -> dict:
    result = run("stats", "--store-path", store, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_ingest_then_stats_then_ingest_again(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run("ingest", DEV / "articles", "--store-path", store, "--no-preload")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("16 articles: 16 ingested, 0 replaced, 0 unchanged, 0 failed")
    stats = _stats(store)
    assert stats["articles"] == 16 and stats["other_graphs"] == []
    again = run("ingest", DEV / "articles", "--store-path", store, "--no-preload", "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["ingested"], report["unchanged"], report["triples"]) == (0, 16, 0)
    assert report["store_quads"] == stats["quads"]
    assert _stats(store) == stats


def test_ingest_preloads_and_a_bad_file_writes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = run("ingest", DEV / "articles" / "014.txt", "--store-path", store)
    assert first.returncode == 0, first.stderr
    before = _stats(store)
    assert before["articles"] == 1
    assert any("/graph/reference/" in g for g in before["other_graphs"])
    assert any(g.endswith("/graph/ontology") for g in before["other_graphs"])
    folder = tmp_path / "batch"
    shutil.copytree(INPUTS / "good", folder)
    shutil.copy(INPUTS / "bad" / "feed-no-text.jsonl", folder)
    result = run("ingest", folder, "--store-path", store)
    assert result.returncode == 2
    assert result.stderr.startswith("cmkg: error: ") and 'no "text" field' in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _stats(store) == before


def test_a_bad_setting_is_one_line(tmp_path: Path) -> None:
    result = run("stats", env={"CMKG_STORE": "nowhere"})
    assert result.returncode == 2
    assert result.stderr.startswith("cmkg: error: bad setting: store")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_bootstraps_the_store_and_answers(tmp_path: Path) -> None:
    port = _free_port()
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [str(CMKG), "serve", "--port", str(port), "--store-path", str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CMKG_API_KEY": "secret"},
    )
    try:
        deadline = time.monotonic() + 120
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/articles", timeout=5)
                body = r.json()
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert body is not None, proc.stderr.read() if proc.poll() is not None else "timeout"
        assert body["total"] == 16  # the samples, ingested on first start
        text = "Chile signed a lithium deal with Japan on Monday."
        r = httpx.post(
            f"http://127.0.0.1:{port}/articles",
            content=text.encode(),
            headers={"content-type": "text/plain", "x-api-key": "secret"},
        )
        assert r.status_code == 201, r.text
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stderr is not None:
                proc.stderr.close()
    # The lock is released: the store opens again, with what the server wrote.
    assert _stats(store)["articles"] == 17
