"""The analyst notebooks: each runs top to bottom on a fresh store, reads as a narrative, and
labels its figures.

Each notebook is executed with nbclient on a kernel of this very interpreter (a kernelspec
written for the run, so that no other ``python3`` kernelspec on the machine can stand in), in a
temporary directory. Two cells are added around it for the run only (they are not in the
committed file): one first, which selects the Agg backend so that figures stay open, and one
last, which fails if any figure lacks a title or an axis label. Set ``CMKG_NOTEBOOK_OUT`` to a
directory to keep the executed notebooks (to upload them from CI, for instance).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))

#: Run first, before the notebook's own cells.
_SETUP = """\
import matplotlib
matplotlib.use("Agg")
"""

#: Run last: every axes of every open figure has a title (its own or the figure's) and, unless
#: it is a graph drawing with its axes turned off, both axis labels (an axis shared with a
#: labelled panel counts as labelled). Colorbars need one label.
_CHECK = """\
import matplotlib.pyplot as _plt


def _labelled(ax, which):
    shared = ax.get_shared_x_axes() if which == "x" else ax.get_shared_y_axes()
    return any(getattr(a, f"get_{which}label")() for a in shared.get_siblings(ax))


_problems = []
_numbers = _plt.get_fignums()
for _num in _numbers:
    _fig = _plt.figure(_num)
    _suptitle = _fig._suptitle.get_text() if _fig._suptitle is not None else ""
    for _i, _ax in enumerate(_fig.axes):
        _where = f"figure {_num} axes {_i}"
        if _ax.get_label() == "<colorbar>":
            if not (_ax.get_xlabel() or _ax.get_ylabel()):
                _problems.append(f"{_where}: colorbar without a label")
            continue
        if not (_ax.get_title() or _suptitle):
            _problems.append(f"{_where}: no title")
        if _ax.axison and not (_labelled(_ax, "x") and _labelled(_ax, "y")):
            _problems.append(f"{_where}: missing axis label")
assert _numbers, "the notebook drew no figure"
assert not _problems, _problems
print(f"{len(_numbers)} figures checked")
"""


@pytest.fixture(scope="session")
def kernel_name(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A kernelspec that runs ``sys.executable`` (the venv's python), first on JUPYTER_PATH."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "cmkg-notebooks"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.joinpath("kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "cmkg notebooks", "language": "python"}),
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", os.pathsep.join([str(root), os.environ.get("JUPYTER_PATH", "")]))
        yield "cmkg-notebooks"


def _load(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOKS / "_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_notebooks_exist() -> None:
    assert NAMES == [
        "01-quickstart.ipynb",
        "02-dependency-paths.ipynb",
        "03-concentration-and-chokepoints.ipynb",
        "04-disruption-scenario.ipynb",
        "05-news-against-statistics.ipynb",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_matches_its_source(name: str) -> None:
    """The committed .ipynb is what ``notebooks/_build.py`` writes (run it after editing)."""
    built = _build_module().build()[name]
    committed = _load(name)

    def cells(nb: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
        return [(c.cell_type, c.get("id", ""), c.source) for c in nb.cells]

    assert cells(committed) == cells(built), "run: .venv/bin/python notebooks/_build.py"
    assert committed.metadata == built.metadata


@pytest.mark.parametrize("name", NAMES)
def test_notebook_reads_as_a_narrative(name: str) -> None:
    nb = _load(name)
    nbformat.validate(nb)
    first, last = nb.cells[0], nb.cells[-1]
    assert first.cell_type == "markdown" and "?" in first.source, "must open with a question"
    assert last.cell_type == "markdown" and "try next" in last.source.lower()
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit notebooks without outputs (CI executes them)"
    )


def test_notebooks_use_only_the_public_api() -> None:
    """Notebooks import cmkg's public modules only: no private names, no bare ``graph``."""
    for name in NAMES:
        for cell in _load(name).cells:
            if cell.cell_type != "code":
                continue
            for line in cell.source.splitlines():
                words = line.split()
                if words[:1] in (["import"], ["from"]) and len(words) > 1:
                    module = words[1]
                    assert not module.startswith(("graph", "api")), f"{name}: {line}"
                    assert "._" not in module and not module.startswith("_"), f"{name}: {line}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_executes(name: str, tmp_path: Path, kernel_name: str) -> None:
    nb = _load(name)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_SETUP))
    nb.cells.append(nbformat.v4.new_code_cell(_CHECK))
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()  # raises CellExecutionError, naming the cell, on any error
    finally:
        out = os.environ.get("CMKG_NOTEBOOK_OUT")
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, Path(out) / name)
    streams = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream"]
    stderr = [o.text for o in streams if o.name == "stderr"]
    assert not stderr, f"the notebook wrote to stderr (warnings are errors): {stderr}"
    assert "figures checked" in streams[-1].text


def _execute(nb: nbformat.NotebookNode, tmp_path: Path, kernel_name: str) -> None:
    client = NotebookClient(
        nb, timeout=600, kernel_name=kernel_name, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error


@pytest.mark.slow
@pytest.mark.remote
def test_quickstart_runs_unchanged_on_a_sparql_server(
    tmp_path: Path, kernel_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the service's ``CMKG_SPARQL_*`` settings, the quickstart fills and queries a real
    SPARQL server (Oxigraph's, on loopback) instead of its temporary embedded store."""
    sys.path.insert(0, str(NOTEBOOKS.parent / "scripts"))
    import sparql_servers

    from cmkg.graph.ingest import count_articles

    try:
        server = sparql_servers.start_oxigraph(tmp_path / "oxigraph", query_timeout=60)
    except sparql_servers.ServerUnavailable as exc:
        if os.environ.get("CMKG_REQUIRE_SERVERS") == "1":
            pytest.fail(f"CMKG_REQUIRE_SERVERS=1 but Oxigraph's server cannot run: {exc}")
        pytest.skip(f"Oxigraph's server cannot run here: {exc}")
    try:
        monkeypatch.setenv("CMKG_SPARQL_QUERY_URL", server.query_url)
        monkeypatch.setenv("CMKG_SPARQL_UPDATE_URL", server.update_url)
        nb = _load("01-quickstart.ipynb")
        nb.cells.insert(0, nbformat.v4.new_code_cell(_SETUP))
        nb.cells.append(nbformat.v4.new_code_cell(_CHECK))
        _execute(nb, tmp_path, kernel_name)
        streams = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream"]
        assert f"RemoteStore({server.query_url!r})" in streams[0].text
        assert "figures checked" in streams[-1].text
        with server.store() as store:
            assert count_articles(store) == 16  # the samples, written by the notebook
            assert store.count() > 10_000
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("title", "xlabel", "ylabel", "problem"),
    [
        ("A title", "x (unit)", "y (unit)", None),
        ("", "x (unit)", "y (unit)", "no title"),
        ("A title", "x (unit)", "", "missing axis label"),
    ],
)
def test_figure_check_catches_unlabelled_figures(
    title: str, xlabel: str, ylabel: str, problem: str | None
) -> None:
    """The check cell appended to every notebook fails on a figure that lacks a label."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.close("all")
    _, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    try:
        if problem is None:
            exec(_CHECK, {})
        else:
            with pytest.raises(AssertionError, match=problem):
                exec(_CHECK, {})
    finally:
        plt.close("all")
