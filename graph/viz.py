"""Static, offline pictures of the supply network for notebooks and reports (matplotlib).

Display only: every number drawn here was computed by :mod:`cmkg.graph.analytics` (or came
back from the HTTP API in the same JSON form). Nothing fetches anything: no JavaScript, no
CDN, no tiles. matplotlib is imported when a function draws (it ships with the ``dev``
extra), so importing this module costs nothing.

- :func:`draw_dependency_paths` draws the answer of
  :func:`~cmkg.graph.analytics.paths.dependency_paths` (in the JSON form of
  :func:`~cmkg.graph.analytics.paths.dependency_to_dict`, which ``GET /paths/dependency``
  returns): one column per stage, upstream on the left, the consumer on the right; an arrow's
  width is the fraction of the consumer's supply on it; suppliers under export controls are
  ringed in red, hops covered by an agreement are drawn green.
- :func:`draw_supply_flow` draws the layered flow network of
  :func:`~cmkg.graph.analytics.chokepoints.supply_flow_graph`, chokepoints ringed.
- :func:`draw_heatmap` draws an annotated table of numbers (HHI by mineral and stage...).
- :func:`layered_positions` is the layout the two graph drawings share.

Examples
--------
>>> from matplotlib.figure import Figure
>>> ax = Figure().subplots()
>>> dep = {"country": "JP", "country_label": "Japan", "mineral_label": "gallium",
...        "stages": ["processing"], "paths": [{"share": 0.99, "hops": [
...            {"supplier": "CN", "supplier_label": "China", "consumer": "JP",
...             "stage": "processing", "share": 0.99, "agreements": [],
...             "export_controls": [{"id": "x1"}]}]}]}
>>> G = draw_dependency_paths(dep, ax=ax)
>>> sorted(G.nodes)
[('consumer', 'JP'), ('processing', 'CN')]
>>> ax.get_title()
'Dependency paths of Japan for gallium'
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "dependency_path_graph",
    "draw_dependency_paths",
    "draw_heatmap",
    "draw_supply_flow",
    "layered_positions",
]

_CONTROL = "#c0392b"  # export control in force
_AGREEMENT = "#1e8449"  # hop covered by an agreement
_PLAIN = "#5d6d7e"
_CONSUMER = "#f5b041"
_SUPPLIER = "#aed6f1"


def layered_positions(
    layers: Sequence[Sequence[Hashable]], *, width: float = 1.0, height: float = 1.0
) -> dict[Hashable, tuple[float, float]]:
    """Positions for nodes laid out in columns: layer ``i`` at x = i, its nodes top down.

    Each column is centred on y = 0; nodes keep their order within a layer.

    Examples
    --------
    >>> layered_positions([["a"], ["b", "c"]])
    {'a': (0.0, 0.0), 'b': (1.0, 0.5), 'c': (1.0, -0.5)}
    """
    pos: dict[Hashable, tuple[float, float]] = {}
    for i, layer in enumerate(layers):
        n = len(layer)
        for j, node in enumerate(layer):
            pos[node] = (i * width, ((n - 1) / 2 - j) * height)
    return pos


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.gca()


def _pct(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{100 * x:.0f}%" if x >= 0.01 else f"{100 * x:.1f}%"


def dependency_path_graph(dependency: Mapping[str, Any]) -> nx.DiGraph:
    """The paths of a dependency answer as one directed graph, upstream to consumer.

    Nodes are ``(stage, supplier)`` pairs and ``("consumer", country)``; node attributes
    ``label``, ``share`` (world share at its stage), ``controls`` (export-control ids);
    edge attributes ``flow`` (the summed share of the paths on it) and ``agreements`` (ids).

    Examples
    --------
    >>> dep = {"country": "JP", "stages": ["processing", "mining"], "paths": [
    ...     {"share": 0.63, "hops": [
    ...         {"supplier": "CN", "stage": "processing", "share": 0.9},
    ...         {"supplier": "CN", "stage": "mining", "share": 0.7}]},
    ...     {"share": 0.27, "hops": [
    ...         {"supplier": "CN", "stage": "processing", "share": 0.9},
    ...         {"supplier": "US", "stage": "mining", "share": 0.3}]}]}
    >>> G = dependency_path_graph(dep)
    >>> round(G.edges[("processing", "CN"), ("consumer", "JP")]["flow"], 2)
    0.9
    """
    country = dependency["country"]
    G = nx.DiGraph(stages=tuple(dependency.get("stages", ())))
    consumer = ("consumer", country)
    G.add_node(consumer, label=dependency.get("country_label") or country, share=None, controls=())
    for path in dependency.get("paths", ()):
        downstream = consumer
        for hop in path["hops"]:
            node = (hop["stage"], hop["supplier"])
            if node not in G:
                G.add_node(
                    node,
                    label=hop.get("supplier_label") or hop["supplier"],
                    share=hop.get("share"),
                    controls=tuple(x.get("id", "") for x in hop.get("export_controls", ())),
                )
            if G.has_edge(node, downstream):
                G.edges[node, downstream]["flow"] += path["share"]
            else:
                G.add_edge(
                    node,
                    downstream,
                    flow=path["share"],
                    agreements=tuple(a.get("id", "") for a in hop.get("agreements", ())),
                )
            downstream = node
    return G


def draw_dependency_paths(
    dependency: Mapping[str, Any],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    legend: bool = True,
) -> nx.DiGraph:
    """Draw a dependency answer (the JSON form): stages left to right, the consumer last.

    Each supplier is labelled with its world share at its stage; ``legend`` adds a key to
    the red rings (export controls) and green arrows (agreements). Returns the graph drawn
    (:func:`dependency_path_graph`).
    """
    ax = _axes(ax)
    G = dependency_path_graph(dependency)
    stages = list(reversed(G.graph["stages"]))  # upstream first
    layers: list[list[Hashable]] = []
    for stage in stages:
        nodes = [n for n in G if n[0] == stage]
        nodes.sort(key=lambda n: -(G.nodes[n]["share"] or 0.0))
        layers.append(nodes)
    layers.append([("consumer", dependency["country"])])
    pos = layered_positions(layers)
    top = max((sum(G.edges[e]["flow"] for e in G.in_edges(n)) for n in G), default=1.0) or 1.0
    widths = [0.5 + 8.0 * G.edges[e]["flow"] / top for e in G.edges]
    colors = [_AGREEMENT if G.edges[e]["agreements"] else _PLAIN for e in G.edges]
    nx.draw_networkx_edges(
        G,
        pos,
        ax=ax,
        width=widths,
        edge_color=colors,
        alpha=0.7,
        arrows=True,
        arrowsize=12,
        node_size=1400,
        connectionstyle="arc3,rad=0.05",
    )
    node_colors = [_CONSUMER if n[0] == "consumer" else _SUPPLIER for n in G]
    edge_colors = [_CONTROL if G.nodes[n]["controls"] else "white" for n in G]
    nx.draw_networkx_nodes(
        G,
        pos,
        ax=ax,
        node_size=1400,
        node_color=node_colors,
        edgecolors=edge_colors,
        linewidths=[3.0 if G.nodes[n]["controls"] else 1.0 for n in G],
    )
    labels = {
        n: _wrap(G.nodes[n]["label"])
        if n[0] == "consumer"
        else f"{_wrap(G.nodes[n]['label'])}\n{_pct(G.nodes[n]['share'])}"
        for n in G
    }
    nx.draw_networkx_labels(G, pos, labels=labels, ax=ax, font_size=8)
    for i, stage in enumerate([*stages, "consumer"]):
        ax.annotate(
            stage,
            (i, 0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -2),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=9,
            style="italic",
        )
    ax.set_title(
        title
        or f"Dependency paths of {dependency.get('country_label') or dependency['country']}"
        f" for {dependency.get('mineral_label') or dependency.get('mineral', '')}"
    )
    if legend:
        _legend(ax)
    ax.set_axis_off()
    ax.margins(0.15)
    return G


def _wrap(label: str, width: int = 10) -> str:
    """A long node label on two lines, split at the space nearest the middle."""
    if len(label) <= width or " " not in label:
        return label
    middle = len(label) // 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return f"{label[:cut]}\n{label[cut + 1 :]}"


def _legend(ax: Axes) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=9,
            markerfacecolor=_SUPPLIER,
            markeredgecolor=_CONTROL,
            markeredgewidth=2,
            label="export control in force",
        ),
        Line2D([], [], color=_AGREEMENT, linewidth=3, label="hop covered by an agreement"),
        Line2D([], [], color=_PLAIN, linewidth=3, label="other hop (width: share)"),
    ]
    ax.legend(handles=handles, loc="upper right", fontsize=7, frameon=False)


def draw_supply_flow(
    F: nx.DiGraph,
    *,
    ax: Axes | None = None,
    highlight: Sequence[tuple[str, str]] = (),
    title: str | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Draw a layered flow network (:func:`~cmkg.graph.analytics.chokepoints.supply_flow_graph`).

    Supplier nodes are sized by world share; ``highlight`` lists ``(country, stage)`` pairs to
    ring in red (chokepoints). Returns the positions used.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> F = nx.DiGraph(mineral="gallium", stages=("processing",))
    >>> F.add_node("processing:CN", country="CN", stage="processing", share=0.99)
    >>> F.add_edge("source", "processing:CN"); F.add_edge("processing:CN", "world")
    >>> pos = draw_supply_flow(F, ax=Figure().subplots(), highlight=[("CN", "processing")])
    >>> pos["processing:CN"], pos["world"]
    ((1.0, 0.0), (2.0, 0.0))
    """
    ax = _axes(ax)
    stages = list(F.graph.get("stages", ()))
    sink = next(n for n in F if F.out_degree(n) == 0 and n != "source")
    layers: list[list[Hashable]] = [["source"]]
    for stage in stages:
        nodes = [n for n, d in F.nodes(data=True) if d.get("stage") == stage]
        nodes.sort(key=lambda n: -F.nodes[n]["share"])
        layers.append(nodes)
    layers.append([sink])
    pos = layered_positions(layers, height=0.6)
    marked = set(highlight)
    suppliers = [n for n in F if "share" in F.nodes[n]]
    nx.draw_networkx_edges(
        F,
        pos,
        ax=ax,
        width=[0.3 + 4.0 * F.edges[e].get("flow", 0.0) for e in F.edges],
        edge_color=_PLAIN,
        alpha=0.35,
        arrows=False,
    )
    nx.draw_networkx_nodes(
        F,
        pos,
        nodelist=suppliers,
        ax=ax,
        node_color=_SUPPLIER,
        node_size=[200 + 2400 * F.nodes[n]["share"] for n in suppliers],
        edgecolors=[
            _CONTROL if (F.nodes[n]["country"], F.nodes[n]["stage"]) in marked else "white"
            for n in suppliers
        ],
        linewidths=[
            3.0 if (F.nodes[n]["country"], F.nodes[n]["stage"]) in marked else 1.0
            for n in suppliers
        ],
    )
    ends = ["source", sink]
    nx.draw_networkx_nodes(F, pos, nodelist=ends, ax=ax, node_color=_CONSUMER, node_size=500)
    labels = {n: f"{F.nodes[n]['country']}\n{_pct(F.nodes[n]['share'])}" for n in suppliers}
    labels.update({"source": "source", sink: str(sink).replace("consumer:", "")})
    nx.draw_networkx_labels(F, pos, labels=labels, ax=ax, font_size=7)
    for i, stage in enumerate(stages, start=1):
        ax.annotate(
            stage,
            (i, 0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -2),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=9,
            style="italic",
        )
    ax.set_title(title or f"Supply flow of {F.graph.get('mineral', '')}")
    ax.set_axis_off()
    ax.margins(0.1)
    return pos


def draw_heatmap(
    frame: Any,
    *,
    ax: Axes | None = None,
    title: str,
    xlabel: str,
    ylabel: str,
    colorbar_label: str,
    fmt: str = "{:,.0f}",
    cmap: str = "Reds",
    vmin: float | None = None,
    vmax: float | None = None,
) -> Any:
    """Draw a table of numbers (a pandas DataFrame: rows x columns) as an annotated heatmap.

    Missing values (NaN) are left blank and marked "n/a". Returns the image.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"mining": [6900.0, None]}, index=["rare earths", "gallium"])
    >>> ax = Figure().subplots()
    >>> im = draw_heatmap(frame, ax=ax, title="HHI", xlabel="stage", ylabel="mineral",
    ...                   colorbar_label="HHI (0-10,000)")
    >>> [t.get_text() for t in ax.texts]
    ['6,900', 'n/a']
    """
    import numpy as np

    ax = _axes(ax)
    values = np.asarray(frame, dtype=float)
    masked = np.ma.masked_invalid(values)
    im = ax.imshow(masked, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.set_xticks(range(values.shape[1]), [str(c) for c in frame.columns])
    ax.set_yticks(range(values.shape[0]), [str(r) for r in frame.index])
    hi = np.nanmax(values) if np.isfinite(values).any() else 1.0
    for (i, j), v in np.ndenumerate(values):
        text = "n/a" if np.isnan(v) else fmt.format(v)
        color = "white" if not np.isnan(v) and v > 0.6 * hi else "black"
        ax.text(j, i, text, ha="center", va="center", fontsize=8, color=color)
    bar = ax.figure.colorbar(im, ax=ax)
    bar.set_label(colorbar_label)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return im
