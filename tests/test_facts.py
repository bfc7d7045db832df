"""The typed facts read and write the contract's JSON form without loss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmkg.graph.errors import InvalidFacts
from cmkg.graph.facts import ArticleFacts, validate_facts_json

GOLD = sorted((Path(__file__).parent / "data" / "dev-set" / "gold").glob("*.json"))


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_gold_facts_round_trip(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = ArticleFacts.from_json(data)
    again = doc.to_json()
    validate_facts_json(again)
    assert len(again["facts"]) == len(data["facts"])
    for ours, theirs in zip(again["facts"], data["facts"], strict=True):
        for key, value in theirs.items():
            assert ours[key] == value, (path.stem, key)


def test_bad_facts_name_the_place() -> None:
    bad = {
        "article": {"id": "a", "language": "en"},
        "mentions": {"countries": [], "minerals": []},
        "facts": [
            {"type": "share", "country": "CN", "mineral": "x", "stage": "mining", "value": 7}
        ],
    }
    with pytest.raises(InvalidFacts, match="facts/0"):
        ArticleFacts.from_json(bad)
