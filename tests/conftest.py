"""Shared fixtures: data paths, stores and apps."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """tests/data: the dev set, the scorer and the W3C manifests."""
    return DATA
