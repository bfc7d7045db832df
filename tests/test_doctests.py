"""Run the docstring examples of every public module as tests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cmkg.api
import cmkg.graph


def _modules() -> list[str]:
    names = []
    for pkg in (cmkg.graph, cmkg.api):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
