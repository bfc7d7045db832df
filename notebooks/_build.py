"""Write the analyst notebooks from the Python source below, so that they are reviewed as code.

Each notebook is a string in the "percent" format of Jupytext and VS Code: a line
``# %% [markdown]`` starts a markdown cell, whose lines are commented out (``# ``), and a line
``# %%`` starts a code cell, whose lines are the code as it appears in Jupyter.
The written ``.ipynb`` files carry no outputs (CI executes them) and stable cell ids, so a
change here is a small diff there. ``tests/test_notebooks.py`` checks that the committed files
are what this script writes.

Run from the repository root after editing::

    .venv/bin/python notebooks/_build.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
_MARKER = re.compile(r"^# %%(?: \[(markdown)\])?\s*$", re.MULTILINE)

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}

NOTEBOOKS: dict[str, str] = {}

# ------------------------------------------------------------------------------------------
NOTEBOOKS["01-quickstart"] = r'''
# %% [markdown]
# # Quickstart: who mines, and who processes, the minerals of the energy transition?
#
# **The question.** For rare earths, lithium, cobalt, nickel, graphite and gallium: which
# countries hold the largest share of world **mining**, and which of **processing** (refining,
# separation, smelting)? Is processing more concentrated than mining?
#
# **What you will do.** Open a store, fill it with the default content (the ontology, the USGS
# and IEA reference statistics, and the sample news articles), ask it questions in SPARQL,
# read the answers into pandas, and chart them. Everything runs offline, in under a minute.

# %%
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from cmkg.graph.analytics import build_supply_network, concentration
from cmkg.graph.bootstrap import ensure_default_content
from cmkg.graph.store import EmbeddedStore, open_store

pd.set_option("display.max_colwidth", 80)
MINERALS = ["rare-earths", "lithium", "cobalt", "nickel", "graphite", "gallium"]
STAGES = ["mining", "processing"]

# %% [markdown]
# ## 1. Open a store and load the default content
#
# `EmbeddedStore` keeps the graph on disk (Oxigraph on RocksDB); here it lives in a temporary
# folder that is removed at the end. `MemoryStore()` works the same and keeps nothing.
# `ensure_default_content` loads what is missing, each source into its own named graph, and runs
# the sample articles through the extraction pipeline. Run it again and it does nothing.
#
# On a team's SPARQL server instead: start Jupyter with the service's settings
# (`CMKG_SPARQL_QUERY_URL`, and `CMKG_SPARQL_UPDATE_URL`, `CMKG_SPARQL_GSP_URL`,
# `CMKG_SPARQL_USER`, `CMKG_SPARQL_PASSWORD` as the server needs), and every cell below runs
# on it unchanged.

# %%
server = {
    name: os.environ.get(f"CMKG_SPARQL_{name.upper()}")
    for name in ("query_url", "update_url", "gsp_url", "user", "password")
}
workdir = None
if server["query_url"]:
    store = open_store("remote", **server)
else:
    workdir = tempfile.TemporaryDirectory(prefix="cmkg-quickstart-")
    store = EmbeddedStore(Path(workdir.name) / "store")
print(store)
report = ensure_default_content(store)
pd.Series(
    {
        "named graphs loaded": len(report["loaded"]),
        "triples loaded": report["triples"],
        "sample articles ingested": report["samples"]["ingested"],
    }
).to_frame("count")

# %% [markdown]
# ## 2. What the store holds
#
# Every source is a named graph: the ontology and vocabularies, one graph per reference release
# (`cmkgg:reference/usgs-mcs-2026`, `.../iea-reported`, `.../critical-mineral-lists`) and one per
# article. `store.select` runs a SPARQL SELECT over the union of the graphs and returns rows of
# plain Python values (strings, numbers, dates), ready for pandas.

# %%
graphs = pd.DataFrame(
    store.select("""
        SELECT ?graph (COUNT(*) AS ?triples)
        WHERE { GRAPH ?graph { ?s ?p ?o } }
        GROUP BY ?graph
        ORDER BY DESC(?triples)
    """)
)
graphs["kind"] = graphs["graph"].str.extract(r"/graph/([^/]+)/", expand=False).fillna("ontology")
graphs.groupby("kind")["triples"].agg(["count", "sum"]).rename(
    columns={"count": "named graphs", "sum": "triples"}
)

# %% [markdown]
# ## 3. Observations: one figure, one country, one mineral, one stage, one year
#
# Each figure is a `cmkg:SupplyObservation` (a Data Cube `qb:Observation`) with its dimensions
# (`cmkg:country`, `cmkg:mineral`, `cmkg:stage`, `cmkg:measure`, `cmkg:year`), its value
# (`cmkg:value`, an `xsd:decimal`), its unit (`qudt:unit`) and its dataset (`qb:dataSet`).
# The measure `share` holds fractions of the world; `production` holds volumes.
#
# First, the **volumes**: the USGS production figures of the six minerals for 2025 (USGS
# estimates), the three largest producers of each.

# %%
PREFIXES = """
PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX mineral: <https://w3id.org/cmkg/id/mineral/>
PREFIX measure: <https://w3id.org/cmkg/id/measure/>
"""
production = pd.DataFrame(
    store.select(
        PREFIXES
        + """
        SELECT ?mineral ?stage ?country ?year ?value ?unit ?basis
        WHERE {
          VALUES ?m { mineral:rare-earths mineral:lithium mineral:cobalt
                      mineral:nickel mineral:graphite mineral:gallium }
          ?o a cmkg:SupplyObservation ; cmkg:mineral ?m ; cmkg:stage ?s ;
             cmkg:measure measure:production ; cmkg:country ?c ; cmkg:year ?year ;
             cmkg:value ?value ; qudt:unit ?u .
          OPTIONAL { ?o cmkg:basis ?basis }
          ?c rdfs:label ?country . FILTER(LANGMATCHES(LANG(?country), "en"))
          BIND(STRAFTER(STR(?m), "mineral/") AS ?mineral)
          BIND(STRAFTER(STR(?s), "stage/") AS ?stage)
          BIND(STRAFTER(STR(?u), "unit/") AS ?unit)
          FILTER(?year = 2025)
        }
        ORDER BY ?mineral DESC(?value)
    """
    )
)
production["value"] = production["value"].astype(float)
production.groupby("mineral").head(3).reset_index(drop=True)

# %% [markdown]
# Units differ from mineral to mineral (tonnes of contained metal, tonnes of rare-earth oxide,
# kilograms of gallium): never add volumes across minerals. Shares are comparable.
#
# Now the **shares** at mining and processing. Several sources speak to the same country and
# stage: the shares derived from USGS volumes (`usgs-mcs-2026-shares`) and the shares stated by
# the IEA and others (`iea-reported`), for different years, some as bounds ("more than 90%").

# %%
shares = pd.DataFrame(
    store.select(
        PREFIXES
        + """
        SELECT ?mineral ?stage ?country ?year ?share ?comparator ?dataset
        WHERE {
          VALUES ?m { mineral:rare-earths mineral:lithium mineral:cobalt
                      mineral:nickel mineral:graphite mineral:gallium }
          ?o a cmkg:SupplyObservation ; cmkg:mineral ?m ; cmkg:stage ?s ;
             cmkg:measure measure:share ; cmkg:country ?c ; cmkg:value ?share ;
             qb:dataSet ?ds .
          OPTIONAL { ?o cmkg:year ?year }
          OPTIONAL { ?o cmkg:comparator ?comparator }
          BIND(STRAFTER(STR(?m), "mineral/") AS ?mineral)
          BIND(STRAFTER(STR(?s), "stage/") AS ?stage)
          BIND(STRAFTER(STR(?c), "country/") AS ?country)
          BIND(STRAFTER(STR(?ds), "dataset/") AS ?dataset)
          FILTER(?s IN (<https://w3id.org/cmkg/id/stage/mining>,
                        <https://w3id.org/cmkg/id/stage/processing>))
        }
    """
    )
)
shares["share"] = shares["share"].astype(float)
shares["year"] = shares["year"].astype("Int64")
shares.sort_values(["mineral", "stage", "share"], ascending=[True, True, False]).groupby(
    ["mineral", "stage"]
).head(2).reset_index(drop=True)

# %%
shares.pivot_table(
    index="mineral", columns=["stage", "dataset"], values="share", aggfunc="count"
).fillna(0).astype(int)

# %% [markdown]
# ## 4. One market at a time: the top suppliers at each stage
#
# To compare countries the figures must describe one market: one dataset, one measure and one
# year. `concentration(G, mineral, stage)` from `cmkg.graph.analytics` makes that choice (the
# latest year; production before a reported share before capacity) on the supply network
# projected from the store, and says which dataset and year it used.

# %%
G = build_supply_network(store)
rows = []
for mineral in MINERALS:
    for stage in STAGES:
        c = concentration(G, mineral, stage, top=3).to_dict(G)
        if not c["top"]:
            print(f"no statistics for {c['mineral_label']} at {stage}: {c['note']}")
            continue
        named = sum(t["share"] for t in c["top"])
        row = {
            "mineral": c["mineral_label"],
            "stage": stage,
            "year": c["year"],
            "measure": c["measure"],
            "dataset": c["sources"][0]["iri"].rsplit("/", 1)[-1],
            "HHI": c["hhi"],
        }
        for i, t in enumerate(c["top"], start=1):
            row[f"#{i}"] = f"{t['country_label']} {100 * t['share']:.0f}%"
            row[f"share {i}"] = t["share"]
        row["rest"] = max(0.0, 1.0 - named)
        rows.append(row)
top = pd.DataFrame(rows).astype({"year": "Int64"})
top[["mineral", "stage", "year", "dataset", "measure", "HHI", "#1", "#2", "#3"]]

# %% [markdown]
# Each bar is one mineral at one stage, labelled with the dataset and year of its figures; its
# segments are the three largest suppliers and everyone else.

# %%
fig, ax = plt.subplots(figsize=(9, 5.5))


def source_tag(r):
    year = r.year if pd.notna(r.year) else "n.d."
    return f"{r.dataset.split('-')[0].upper()} {year}"


labels = [f"{r.mineral} · {r.stage} ({source_tag(r)})" for r in top.itertuples()]
left = pd.Series(0.0, index=top.index)
colors = ["#1f4e79", "#2e86c1", "#85c1e9", "#d5d8dc"]
for i, color in zip([1, 2, 3], colors, strict=False):
    width = top[f"share {i}"].fillna(0.0) * 100
    ax.barh(labels, width, left=left, color=color, edgecolor="white")
    for y, (w, x, name) in enumerate(zip(width, left, top[f"#{i}"], strict=True)):
        if isinstance(name, str) and w >= 8:
            ax.text(
                x + w / 2,
                y,
                name.rsplit(" ", 1)[0],
                ha="center",
                va="center",
                fontsize=7,
                color="white" if i < 3 else "black",
            )
    left += width
ax.barh(
    labels,
    top["rest"] * 100,
    left=left,
    color=colors[3],
    edgecolor="white",
    label="other countries",
)
ax.invert_yaxis()
ax.set_xlim(0, 100)
ax.set_title("Top three suppliers' share of world supply, mining vs processing (latest year)")
ax.set_xlabel("share of world supply (%)")
ax.set_ylabel("mineral · stage")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Reading it.** Only lithium mining is spread over several large producers (Australia,
# China, Chile); every other bar has one supplier with more than half of the world. Processing
# is more concentrated than mining for rare earths, lithium and graphite, and sits in China for
# all but nickel, where Indonesia leads both stages; gallium has effectively one producer.
#
# Mind the labels: USGS publishes no processing table for these minerals (gallium aside), so
# processing rests on shares the IEA reported, some of 2019 and some undated ("n.d."). Where a
# source names only the leader, the grey segment is everything it did not name, not
# necessarily many small suppliers.

# %%
store.close()
if workdir is not None:
    workdir.cleanup()

# %% [markdown]
# ## What to try next
#
# - Change `MINERALS` to `["tungsten", "antimony", "magnesium"]` and re-run section 4.
# - Ask for reserves: the stage `reserves` with the measure `reserves` (volumes) or `share`.
# - Use `MemoryStore()` instead of `EmbeddedStore(...)`: same results, nothing on disk.
# - Run the same SPARQL against the HTTP service: `cmkg serve`, then
#   `GET /sparql?query=...` (notebook 02 shows how to start it from Python).
# - Continue with **02-dependency-paths**: how these shares chain into Japan's and the EU's
#   supply of rare earths and gallium.
'''


# ------------------------------------------------------------------------------------------
NOTEBOOKS["02-dependency-paths"] = r"""
# %% [markdown]
# # Dependency paths: through whom do Japan and the EU get their rare earths and gallium?
#
# **The question.** Stage by stage, which countries stand between Japan (and the EU) and a
# supply of rare earths and of gallium? How much of that supply runs through each path, and
# what is the evidence (statistic, year, source, news sentence) behind every hop?
#
# **The model, in one paragraph.** The graph holds *world shares* (who mines and who processes
# what fraction of the world's supply), not bilateral trade. A consumer is taken to buy at each
# stage from every supplier in proportion to its world share, and each supplier to source its
# input the same way from the stage before. A path *Japan ← processing in X ← mining in Y*
# then carries the fraction `share(X) × share(Y)` of Japan's supply, and the paths add up to
# about one. Each stage's figure is the latest statistic, or a newer news claim that the
# statistics do not contradict. See `cmkg.graph.analytics.paths` for the details.
#
# This notebook asks the question twice: **in-process** with `cmkg.graph.analytics`, and **over
# HTTP** against a running `cmkg serve`, and checks that both give the same answer.

# %%
import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import matplotlib.pyplot as plt
import pandas as pd

from cmkg.graph.analytics import build_supply_network, dependency_paths, dependency_to_dict
from cmkg.graph.bootstrap import ensure_default_content
from cmkg.graph.store import MemoryStore
from cmkg.graph.viz import draw_dependency_paths

pd.set_option("display.max_colwidth", 100)

# %% [markdown]
# ## 1. In-process: Japan and rare earths
#
# Fill an in-memory store with the default content and project it onto the supply network (a
# `networkx.MultiDiGraph`); every analysis takes that graph.

# %%
store = MemoryStore()
ensure_default_content(store)
G = build_supply_network(store)
japan_ree = dependency_to_dict(G, dependency_paths(G, "JP", "rare-earths", limit=8))


def path_table(dep):
    # One row per path: the suppliers upstream to downstream, its share and weakest hop.
    rows = []
    for rank, p in enumerate(dep["paths"], start=1):
        chain = " → ".join(f"{h['supplier_label']} ({h['stage']})" for h in reversed(p["hops"]))
        rows.append(
            {
                "rank": rank,
                "path (upstream → consumer)": f"{chain} → {dep['country_label']}",
                "share of supply": round(p["share"], 3),
                "weakest hop": round(p["bottleneck"], 3),
            }
        )
    return pd.DataFrame(rows).set_index("rank")


print("stages:", " ← ".join(japan_ree["stages"]))
print(f"{len(japan_ree['paths'])} of {japan_ree['paths_total']} possible paths shown")
path_table(japan_ree)

# %% [markdown]
# Drawn as a graph: one column per stage, upstream on the left; an arrow's width is the share of
# Japan's supply on it; a red ring marks a supplier with an export control in force on the
# mineral; a green arrow a hop covered by an agreement between its two countries.

# %%
fig, ax = plt.subplots(figsize=(8, 4.5))
draw_dependency_paths(japan_ree, ax=ax)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. The evidence behind each hop
#
# Every hop carries the figure that stands for its supplier (its share, year, measure, dataset
# and source document), the news claims about the same supplier and stage (with the sentence
# they were read from), the supplier's export controls on the mineral, and the agreements between
# the two countries that cover it.

# %%
def hop_table(dep):
    rows, seen = [], set()
    for p in dep["paths"]:
        for h in p["hops"]:
            key = (h["stage"], h["supplier"], h["consumer"])
            if key in seen:
                continue
            seen.add(key)
            f = h["figure"]
            quotes = [e["quote"] for c in h["claims"] for e in c["evidence"] if e.get("quote")]
            bound = f["comparator"] if f["comparator"] != "=" else ""
            derived = " (derived from volume)" if f.get("share_derived") else ""
            rows.append(
                {
                    "stage": h["stage"],
                    "supplier → consumer": f"{h['supplier']} → {h['consumer']}",
                    "share": f"{bound}{100 * h['share']:.1f}%",
                    "year": f["year"],
                    "figure": f"{f['kind']}: {f['measure']}{derived}",
                    "dataset / article": (f["source"] or "").rsplit("/", 1)[-1],
                    "document": f.get("source_url"),
                    "news claims": h["claims_total"],
                    "a claim's sentence": quotes[0] if quotes else None,
                    "export controls": ", ".join(
                        x.get("measure") or "control" for x in h["export_controls"]
                    ),
                    "agreements": ", ".join(a.get("kind") or "agreement" for a in h["agreements"]),
                }
            )
    return pd.DataFrame(rows).astype({"year": "Int64"})


hop_table(japan_ree)

# %% [markdown]
# Read the `figure` column: a `reference` figure is a statistic (USGS volumes turned into world
# shares, or a share the IEA reported); a `claim` was read from a news article and stands for
# the supplier because it is newer than the statistics and not contradicted by them. The
# statistics have no manufacturing stage for rare earths (magnets): that hop rests on the
# article, and its sentence is right there.
#
# The notes say how the numbers were made (and where a group stood in for a mineral); the sources
# list every dataset and article behind them, with the years used.

# %%
for note in japan_ree["notes"]:
    print("-", note)
pd.DataFrame(japan_ree["sources"])[["kind", "label", "years", "iri"]]

# %% [markdown]
# Japan's own agreements that cover rare earths are its alternative supply links, whether or not
# a partner lies on a ranked path. With each partner's world share at each stage (one row per
# agreement: the reports of one deal by several articles are merged into one, which keeps the
# evidence and the source of each report):

# %%
pd.DataFrame(
    [
        {
            "agreement": a.get("kind") or "agreement",
            "date": a.get("date"),
            "partners": ", ".join(a["partners"]),
            "reported by": f"{len(a.get('sources', []))} article(s)",
            **{
                f"partners' {stage} share": round(sum(s.values()), 3)
                for stage, s in a.get("partner_shares", {}).items()
            },
            "source": a.get("source_url"),
        }
        for a in japan_ree["agreements"]
    ]
)

# %% [markdown]
# ## 3. Over HTTP: start `cmkg serve` and ask the same question
#
# The service is the same library behind a FastAPI app. Start it as a subprocess on a free
# loopback port, with its own temporary embedded store (it loads the default content on first
# start), and wait until `GET /health` says `ok`. An `ExitStack` stops it at the end of the
# notebook, or when the kernel exits, whatever happens in between.

# %%
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


stack = ExitStack()
atexit.register(stack.close)
server_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cmkg-serve-")))
port = free_port()
cmkg = shutil.which("cmkg", path=str(Path(sys.executable).parent)) or shutil.which("cmkg")
if cmkg is None:
    raise RuntimeError("no `cmkg` command: install the package (pip install -e '.[dev]')")
log = stack.enter_context(open(server_dir / "serve.log", "wb"))
env = {k: v for k, v in os.environ.items() if not k.startswith("CMKG_")}
server = subprocess.Popen(
    [
        cmkg,
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--store",
        "embedded",
        "--store-path",
        str(server_dir / "store"),
        "--log-level",
        "warning",
    ],
    stdout=log,
    stderr=subprocess.STDOUT,
    env=env,
)


def stop_server():
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


stack.callback(stop_server)
api = stack.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60))

started = time.monotonic()
while True:
    if server.poll() is not None:
        raise RuntimeError((server_dir / "serve.log").read_text()[-3000:])
    try:
        if api.get("/health").json().get("status") == "ok":
            break
    except httpx.HTTPError:
        pass
    if time.monotonic() - started > 180:
        raise TimeoutError("cmkg serve did not start in 180 s")
    time.sleep(0.25)
print(f"cmkg serve is up on port {port} after {time.monotonic() - started:.1f} s")

# %% [markdown]
# `GET /paths/dependency?country=JP&mineral=rare-earths` returns the same JSON as
# `dependency_to_dict` above: check that the two answers agree, path by path.

# %%
r = api.get("/paths/dependency", params={"country": "JP", "mineral": "rare-earths", "limit": 8})
r.raise_for_status()
over_http = r.json()
pd.DataFrame(
    {
        "in-process": [(tuple(p["suppliers"]), round(p["share"], 6)) for p in japan_ree["paths"]],
        "over HTTP": [(tuple(p["suppliers"]), round(p["share"], 6)) for p in over_http["paths"]],
    }
).assign(same=lambda df: df["in-process"] == df["over HTTP"])

# %%
assert [p["suppliers"] for p in over_http["paths"]] == [p["suppliers"] for p in japan_ree["paths"]]

# %% [markdown]
# ## 4. Japan and the EU, rare earths and gallium
#
# The four questions, over HTTP. Gallium has one stage with figures (primary production, a
# processing stage: it is recovered from alumina and zinc refining), so its paths have one hop.

# %%
answers = {}
for country in ["JP", "EU"]:
    for mineral in ["rare-earths", "gallium"]:
        query = {"country": country, "mineral": mineral, "limit": 6}
        r = api.get("/paths/dependency", params=query)
        r.raise_for_status()
        answers[country, mineral] = r.json()

fig, axes = plt.subplots(2, 2, figsize=(12, 8))
for ax, dep in zip(axes.flat, answers.values(), strict=True):
    draw_dependency_paths(dep, ax=ax, legend=ax is axes[0, 0])
fig.suptitle("Dependency paths, upstream → consumer (arrow width: share of supply)")
fig.tight_layout()
plt.show()

# %%
summary = pd.DataFrame(
    [
        {
            "consumer": dep["country_label"],
            "mineral": dep["mineral_label"],
            "stages": " ← ".join(dep["stages"]),
            "top path": " ← ".join(dep["paths"][0]["suppliers"]) if dep["paths"] else None,
            "its share": round(dep["paths"][0]["share"], 3) if dep["paths"] else None,
            "share through China (shown paths)": round(
                sum(p["share"] for p in dep["paths"] if "CN" in p["suppliers"]), 3
            ),
            "agreements covering it": len(dep["agreements"]),
        }
        for dep in answers.values()
    ]
)
summary

# %% [markdown]
# The evidence behind the EU's gallium hops:

# %%
hop_table(answers["EU", "gallium"])

# %% [markdown]
# **Reading it.** With world shares standing in for sourcing, Japan and the EU see the same
# paths: what tells them apart is their agreements (the last column of the summary). For
# rare earths most of the supply runs through China at every stage, whichever country mined the
# ore; the US, Australian and Myanmar ore on the other paths is still processed mostly in
# China. For gallium one producer holds nearly all of world primary output.
#
# Stop the service and free its store:

# %%
stack.close()
print("cmkg serve stopped:", server.poll() is not None)

# %% [markdown]
# ## What to try next
#
# - Other consumers and minerals: `dependency_paths(G, "KR", "cobalt")`, `("US", "graphite")`.
# - Only the paths through one supplier: `supplier="AU"` (or `&supplier=AU` over HTTP).
# - As of an earlier year: `year=2024`.
# - Follow one hop's `document` link to the USGS chapter or the article it came from.
# - Everything about one country or mineral: `country_profile(G, "JP")` and
#   `mineral_profile(G, "gallium")`, or `GET /countries/JP` and `GET /minerals/gallium`.
# - Continue with **03-concentration-and-chokepoints** (which hops are chokepoints) and
#   **04-disruption-scenario** (what happens when one is cut).
"""


# ------------------------------------------------------------------------------------------
NOTEBOOKS["03-concentration-and-chokepoints"] = r"""
# %% [markdown]
# # Concentration and chokepoints: where is supply most concentrated, and who could choke it?
#
# **The question.** For every mineral with statistics, how concentrated is world supply at
# mining and at processing (Herfindahl-Hirschman index, HHI)? Which (country, stage) pairs are
# *chokepoints* — suppliers whose loss would strand the most supply, with no alternative — and
# why?
#
# **The measures.**
# - **HHI**: the sum of squared market shares in percent, 0–10,000. Above 2,500 is *highly
#   concentrated* in the terms of the US merger guidelines; 10,000 is a single supplier. Where a
#   dataset's country figures add up to more than its rounded world total (USGS gallium, 2025:
#   909,000 kg against 900,000), the shares are taken of their sum, and the answer's note says
#   so. "Other countries" (an aggregate in the statistics) is left out.
# - **Chokepoint**: on the layered supply network of a mineral (mining → processing → consumer),
#   a supplier's **stranded** share is the fraction of supply that passes through it; it is an
#   **articulation point** when it is the only supplier of its stage above 1% of world supply
#   (no alternative); the **minimum cut** is the cheapest set of suppliers (by share) whose loss
#   cuts the consumer off. The share of a stage that its figures leave unnamed (one minus the
#   named shares) counts as one more supplier, "other countries": a country is no chokepoint
#   only because its source names no one else.

# %%
import matplotlib.pyplot as plt
import pandas as pd

from cmkg.graph.analytics import (
    build_supply_network,
    chokepoint_table,
    chokepoints,
    concentration_table,
    mineral_label,
    supply_flow_graph,
)
from cmkg.graph.bootstrap import ensure_default_content
from cmkg.graph.store import MemoryStore
from cmkg.graph.viz import draw_heatmap, draw_supply_flow

store = MemoryStore()
ensure_default_content(store)
G = build_supply_network(store)

# %% [markdown]
# ## 1. Concentration by mineral and stage
#
# `concentration_table(G)` computes the HHI of every mineral and stage that has statistics,
# each from one dataset, one measure and its latest year (so the shares describe one market).
# The same figures come from `GET /minerals/{id}/concentration` over HTTP.

# %%
table = pd.DataFrame(
    [
        {
            "mineral": d["mineral_label"],
            "stage": d["stage"],
            "year": d["year"],
            "measure": d["measure"],
            "HHI": d["hhi"],
            "normalised HHI": d["normalized_hhi"],
            "suppliers": d["suppliers"],
            "top supplier": d["top"][0]["country_label"] if d["top"] else None,
            "its share": round(d["top"][0]["share"], 3) if d["top"] else None,
            "other countries": d["other_share"],
            "dataset": d["sources"][0]["iri"].rsplit("/", 1)[-1] if d["sources"] else None,
        }
        for d in (c.to_dict(G) for c in concentration_table(G, stages=("mining", "processing")))
    ]
).astype({"year": "Int64"})
table.head(15)

# %%
heat = table.pivot_table(index="mineral", columns="stage", values="HHI", aggfunc="first")
heat = heat.reindex(columns=["mining", "processing"])
heat = heat.loc[heat.max(axis=1).sort_values(ascending=False).index]
fig, ax = plt.subplots(figsize=(6, 9))
draw_heatmap(
    heat,
    ax=ax,
    title="Market concentration (HHI) by mineral and stage, latest year",
    xlabel="supply stage",
    ylabel="mineral",
    colorbar_label="HHI (0–10,000; > 2,500 highly concentrated)",
    vmin=0,
    vmax=10_000,
)
fig.tight_layout()
plt.show()

# %%
highly = table[table["HHI"] > 2500]
print(f"{len(highly)} of {len(table)} mineral-stage markets are highly concentrated (HHI > 2,500)")
print(f"{(highly['top supplier'] == 'China').sum()} of them have China as the top supplier")

# %% [markdown]
# Blank cells ("n/a") are stages without statistics in the reference data: USGS publishes one
# world table per chapter (mine output for most minerals, refinery or metal output for
# gallium, bismuth, magnesium, titanium...), and the IEA's reported processing shares cover
# only some minerals. A blank is a gap in the data, not an unconcentrated market.

# %% [markdown]
# ## 2. Chokepoints across minerals
#
# `chokepoint_table(G)` gives each mineral's top chokepoint: articulation points first (no
# alternative above 1% at their stage), then by stranded share. The *why* column spells out the
# flags.

# %%
def why(c):
    reasons = []
    if c.articulation:
        reasons.append(f"only supplier above 1% at {c.stage}")
    reasons.append(f"{100 * c.stranded:.0f}% of supply passes through it")
    if c.in_min_cut:
        reasons.append("on the minimum cut")
    if c.export_controls:
        reasons.append(f"{len(c.export_controls)} export control(s) in force")
    return "; ".join(reasons)


top_points = pd.DataFrame(
    [
        {
            "mineral": mineral,
            "country": c.country,
            "stage": c.stage,
            "stranded": round(c.stranded, 3),
            "articulation": c.articulation,
            "in min cut": c.in_min_cut,
            "betweenness": round(c.betweenness, 3),
            "year": c.figure.year,
            "why": why(c),
        }
        for mineral, c in chokepoint_table(G, top=40)
    ]
)
top_points.head(20)

# %% [markdown]
# A chokepoint is only as good as the source behind its stage. Where the source names only the
# leader (a reported share, as for copper mining here: Chile's 23.5%, from the IEA), the rest of
# world supply is unnamed, and counts as one alternative: Chile is then no articulation point,
# and `coverage` in the answer of `chokepoints(G, "copper")` says that the figures name 23.5% of
# mining. Check the `year` and the stage's dataset (section 1) before reading much into a row.

# %%
shown = top_points.head(20).iloc[::-1]
fig, ax = plt.subplots(figsize=(8, 6.5))
colors = ["#c0392b" if a else "#5d6d7e" for a in shown["articulation"]]
names = [f"{r.mineral} · {r.country} ({r.stage})" for r in shown.itertuples()]
ax.barh(names, shown["stranded"] * 100, color=colors)
ax.set_title("Each mineral's top chokepoint: share of supply stranded by its loss")
ax.set_xlabel("stranded share of world supply (%)")
ax.set_ylabel("mineral · country (stage)")
ax.set_xlim(0, 100)
ax.legend(
    handles=[plt.Rectangle((0, 0), 1, 1, color=c) for c in ("#c0392b", "#5d6d7e")],
    labels=["articulation point (no alternative above 1%)", "other"],
    loc="upper center",
    bbox_to_anchor=(0.4, -0.09),
    ncol=2,
    frameon=False,
)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 3. Rare earths for Japan, in detail
#
# `chokepoints(G, "rare-earths", consumer="JP")` ranks every supplier of the rare-earth flow
# network that ends at Japan. The same answer comes from `GET /chokepoints?mineral=rare-earths`.

# %%
ree = chokepoints(G, "rare-earths", consumer="JP").to_dict(G)
columns = ["country_label", "stage", "stranded", "articulation", "in_min_cut", "betweenness"]
pd.DataFrame(ree["chokepoints"])[[*columns, "year", "kind"]]

# %%
def suppliers(rows):
    return ", ".join(f"{s['country']} ({s['stage']})" for s in rows)


print("minimum cut (value = share of supply):", ree["min_cut"]["value"])
print("  suppliers:", suppliers(ree["min_cut"]["suppliers"]))
print("fewest suppliers whose loss cuts Japan off:", suppliers(ree["min_node_cut"]))
for note in ree["notes"]:
    print("-", note)

# %% [markdown]
# The flow network drawn: node size is world share; the suppliers on the minimum node cut are
# ringed in red.

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 6))
for ax, mineral in zip(axes, ["rare-earths", "gallium"], strict=True):
    F = supply_flow_graph(G, mineral, consumer="JP", min_share=0.01)
    cut = chokepoints(G, mineral, consumer="JP").min_node_cut
    title = f"{mineral_label(G, mineral)}: supply flow to Japan (suppliers ≥ 1%)"
    draw_supply_flow(F, ax=ax, highlight=cut, title=title)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Reading it.** Concentration and chokepoints tell different stories: a stage can be highly
# concentrated (one dominant supplier) and still have alternatives above 1% — then it is not an
# articulation point, but its loss still strands most of the supply. Gallium is the extreme
# case: one producer and no alternative of any size.

# %% [markdown]
# ## What to try next
#
# - Concentration as of an earlier year: `concentration_table(G, year=2024)`.
# - Count news claims too: `concentration(G, "rare-earths", "processing", include_claims=True)`.
# - Lower the alternative threshold: `chokepoints(G, "rare-earths", min_share=0.0)` — do the
#   articulation points survive?
# - How much of each stage the figures name: `chokepoints(G, "copper").coverage`.
# - Over HTTP: `GET /minerals/cobalt/concentration`, `GET /chokepoints?mineral=cobalt`.
# - Continue with **04-disruption-scenario**: what a cut at the top chokepoint does.
"""


# ------------------------------------------------------------------------------------------
NOTEBOOKS["04-disruption-scenario"] = r"""
# %% [markdown]
# # Disruption scenario: if China cut its exports of processed rare earths, who would fall short?
#
# **The question.** China withholds 50%, then 100%, of its exports of processed (separated,
# refined) rare earths. Which countries are exposed, by how much, and how much of the gap could
# their agreement partners fill?
#
# **The model** (`cmkg.graph.analytics.scenarios`). With world shares and no bilateral trade
# data, every consumer is taken to buy from every supplier in proportion to its world share. A
# cut of `c` by a supplier with world share `s` at the cut stage costs every other consumer
# `c × s` of its supply at that stage (downstream stages lose less: the supplier's own plants
# keep their feed). **With agreement partners** counted as alternative suppliers, the world
# share of a consumer's partners at that stage (China excluded) is set against the loss:
# `shortfall = max(0, loss − partners' share)` — a cautious bound that assumes partners could
# redirect their output. The same scenario runs over HTTP with `POST /scenarios/disruption`.

# %%
import matplotlib.pyplot as plt
import pandas as pd

from cmkg.graph.analytics import build_supply_network, disruption, exposure
from cmkg.graph.bootstrap import ensure_default_content
from cmkg.graph.store import MemoryStore

store = MemoryStore()
ensure_default_content(store)
G = build_supply_network(store)

# %% [markdown]
# ## 1. Run the scenarios
#
# The two cuts at processing, and, for comparison, a full cut at mining. Each answer lists, per
# stage from the cut stage downstream, China's share, the world loss and every consumer
# country's shortfall with and without its agreement partners.

# %%
SCENARIOS = {
    "processing −50%": ("processing", 0.5),
    "processing −100%": ("processing", 1.0),
    "mining −100%": ("mining", 1.0),
}
answers = {
    name: disruption(G, "CN", ["rare-earths"], stage, cut).to_dict(G)
    for name, (stage, cut) in SCENARIOS.items()
}
pd.DataFrame(
    [
        {
            "scenario": name,
            "stage": s["stage"],
            "China's world share": s["supplier_share"],
            "world loss": s["world_loss"],
            "consumers listed": len(s["exposed"]),
        }
        for name, d in answers.items()
        for s in d["results"][0]["stages"]
    ]
).round(3)

# %%
for note in answers["processing −100%"]["notes"]:
    print("-", note)
sources = answers["processing −100%"]["sources"]
pd.DataFrame(sources)[["kind", "label", "years"]]

# %% [markdown]
# ## 2. Who is exposed, and what partners change
#
# The shortfall with partners at each scenario's cut stage. Without partners every consumer
# loses the same share (the model has no trade data to tell them apart): that is the last row.
# What separates countries is whom they have agreements with that cover rare earths.

# %%
rows = []
for name, d in answers.items():
    cut_stage = d["results"][0]["stages"][0]
    for e in cut_stage["exposed"]:
        rows.append(
            {
                "scenario": name,
                "country": e["country_label"],
                "partners": ", ".join(e["partners"]),
                "without partners": e["shortfall_without_partners"],
                "partner cover": e["partner_cover"],
                "with partners": e["shortfall"],
            }
        )
exposed = pd.DataFrame(rows)
alone = exposed[exposed["partners"] == ""]
assert alone.groupby("scenario")["with partners"].nunique().eq(1).all()
others = alone.groupby("scenario", sort=False).first().reset_index()
others["country"] = f"any of the {alone['country'].nunique()} others (no partners)"
table = pd.concat([exposed[exposed["partners"] != ""], others], ignore_index=True)
table.pivot_table(
    index=["country", "partners"], columns="scenario", values="with partners", sort=False
).round(3)

# %%
countries = list(dict.fromkeys(table["country"]))
fig, axes = plt.subplots(1, len(SCENARIOS), figsize=(13, 0.5 * len(countries) + 2), sharey=True)
for ax, name in zip(axes, SCENARIOS, strict=True):
    part = table[table["scenario"] == name].set_index("country").reindex(countries)
    ax.barh(countries, part["without partners"] * 100, color="#f5b7b1", label="without partners")
    ax.barh(
        countries, part["with partners"] * 100, color="#c0392b", height=0.5, label="with partners"
    )
    ax.set_title(name)
    ax.set_xlabel("shortfall (% of world supply)")
    ax.set_xlim(0, 100)
axes[0].set_ylabel("consumer country")
axes[0].invert_yaxis()
axes[0].legend(loc="lower right", fontsize=8)
fig.suptitle("China cuts its rare-earth exports: each consumer's shortfall at the cut stage")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 3. Why partners help at mining and not at processing
#
# `exposure(G, country, mineral)` splits world supply, stage by stage, into the country's own
# share, its partners' share and the rest (reachable only on the open market).

# %%
focus = ["JP", "US", "AU", "EU", "KR", "IN"]
rows = []
for code in focus:
    e = exposure(G, code, "rare-earths")
    for stage, s in e["stages"].items():
        rows.append(
            {
                "country": code,
                "stage": stage,
                "own": s["own"],
                "partners": s["partner_share"],
                "open market": s["outside"],
                "partner list": ", ".join(e["partners"]),
            }
        )
exp = pd.DataFrame(rows)
exp.round(3)

# %%
stages = list(dict.fromkeys(exp["stage"]))
fig, axes = plt.subplots(1, len(stages), figsize=(4 * len(stages), 3.8), sharey=True)
for ax, stage in zip(axes, stages, strict=True):
    part = exp[exp["stage"] == stage].set_index("country").reindex(focus)
    left = pd.Series(0.0, index=part.index)
    for column, color in [("own", "#1e8449"), ("partners", "#82e0aa"), ("open market", "#d5d8dc")]:
        ax.barh(part.index, part[column].fillna(0) * 100, left=left, color=color, label=column)
        left += part[column].fillna(0) * 100
    ax.set_title(f"Rare earths, {stage}")
    ax.set_xlabel("share of world supply (%)")
    ax.set_xlim(0, 100)
axes[0].set_ylabel("country")
axes[0].invert_yaxis()
axes[-1].legend(loc="lower right", fontsize=8)
fig.suptitle("Where each country's rare earths can come from: own, partners, open market")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Reading it.** A 100% cut removes China's whole share of world processing from every other
# consumer's reach, a 50% cut half of it. The agreements in the graph are with countries that
# *mine* rare earths (the US, Australia) but, in the reference data, process none: so partners
# fill part of the gap when the cut is at mining and nothing when it is at processing. Japan's
# framework with the US is worth the US's share of mining, not of refining. The bound is
# cautious: it treats each consumer as if it needed a world-sized supply.
#
# The processing figure for China is itself worth a look: the table of sources above says
# whether it is a statistic or a newer news claim (notebook 02 shows the sentence).

# %% [markdown]
# ## What to try next
#
# - Spare the partners:
#   `disruption(G, "CN", ["rare-earths"], "processing", 1.0, exempt=["JP", "US"])`.
# - Leave partners out of the headline: `count_agreement_partners=False`.
# - Only some consumers: `disruption(G, "CN", ["rare-earths"], "processing", 1.0,
#   consumers=["JP", "KR", "DE"])` (`"consumers"` in the body over HTTP).
# - Other minerals and suppliers: `disruption(G, "ID", ["nickel"], "mining", 0.5)`,
#   `disruption(G, "CN", ["gallium"], "processing", 1.0)`.
# - Over HTTP: `POST /scenarios/disruption` with
#   `{"supplier": "CN", "minerals": ["rare-earths"], "stage": "processing", "cut": 0.5}`.
# - Ingest an article about a new agreement (`cmkg ingest article.txt`) and re-run: the new
#   partner appears in the "with partners" figures.
"""


# ------------------------------------------------------------------------------------------
NOTEBOOKS["05-news-against-statistics"] = r'''
# %% [markdown]
# # News against statistics: do the shares that articles claim match the USGS and IEA figures?
#
# **The question.** News articles state shares ("China refines more than 90 percent of the
# world's rare earths"). The pipeline reads each such claim out of the article, with the
# sentence it came from, and checks it against the reference statistics for the same country,
# mineral and stage. Which claims are consistent, which are contradicted, and by how much?
#
# **How a claim is checked** (`cmkg.graph.consistency`). The claim's value with a tolerance of
# ±5 points (or the bound it states: "more than 90%") is compared with the reference figure:
# the IEA's reported shares first for processing, the USGS figures first for mining. It is
# *consistent* when the two overlap, *contradicted* when they do not, *unchecked* when there is
# no reference figure for that country, mineral and stage.

# %%
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from cmkg.graph.bootstrap import ensure_default_content
from cmkg.graph.store import MemoryStore

pd.set_option("display.max_colwidth", 160)
store = MemoryStore()
report = ensure_default_content(store)
print(f"{report['samples']['ingested']} sample articles read into the store")

# %% [markdown]
# ## 1. The claims, with their verdicts and sentences
#
# A claim is a `cmkg:ShareClaim` in its article's named graph, with its verdict
# (`cmkg:consistency`), the reference value and observation it was checked against
# (`cmkg:referenceValue`, `cmkg:checkedAgainst`) and its evidence: a W3C Web Annotation whose
# target's `oa:TextQuoteSelector` holds the exact sentence.

# %%
claims = pd.DataFrame(
    store.select("""
        PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX schema: <https://schema.org/>
        PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?claim ?country ?mineral ?stage ?comparator ?value ?year ?verdict
               ?reference ?dataset ?referenceYear ?sentence ?article ?url
        WHERE {
          ?claim a cmkg:ShareClaim ; cmkg:country ?c ; cmkg:mineral ?m ; cmkg:stage ?s ;
                 cmkg:value ?value ; cmkg:consistency ?v ; cmkg:fromArticle ?a .
          OPTIONAL { ?claim cmkg:comparator ?comparator }
          OPTIONAL { ?claim cmkg:year ?year }
          OPTIONAL {
            ?claim cmkg:referenceValue ?reference ; cmkg:checkedAgainst ?ref .
            ?ref qb:dataSet ?ds .
            OPTIONAL { ?ref cmkg:year ?referenceYear }
          }
          OPTIONAL {
            ?claim cmkg:evidence ?annotation .
            ?annotation oa:hasTarget ?target .
            ?target oa:hasSelector ?selector .
            ?selector a oa:TextQuoteSelector ; oa:exact ?sentence .
          }
          OPTIONAL { ?a schema:url ?url }
          BIND(STRAFTER(STR(?c), "country/") AS ?country)
          BIND(STRAFTER(STR(?m), "mineral/") AS ?mineral)
          BIND(STRAFTER(STR(?s), "stage/") AS ?stage)
          BIND(STRAFTER(STR(?v), "consistency/") AS ?verdict)
          BIND(STRAFTER(STR(?ds), "dataset/") AS ?dataset)
          BIND(STRAFTER(STR(?a), "article/") AS ?article)
        }
        ORDER BY ?verdict ?mineral ?country
    """)
)
for column in ("value", "reference"):
    claims[column] = claims[column].astype(float)
claims["year"] = claims["year"].astype("Int64")
claims["referenceYear"] = claims["referenceYear"].astype("Int64")
print(f"{len(claims)} share claims in {claims['article'].nunique()} articles")
claims["verdict"].value_counts().to_frame("claims")

# %%
def percent(x):
    return "–" if pd.isna(x) else f"{100 * x:.1f}%"


view = claims.assign(
    claimed=claims["comparator"].fillna("=").replace("=", "") + claims["value"].map(percent),
    statistic=claims["reference"].map(percent),
)
view[
    [
        "verdict",
        "country",
        "mineral",
        "stage",
        "claimed",
        "year",
        "statistic",
        "dataset",
        "referenceYear",
        "sentence",
    ]
]

# %% [markdown]
# ## 2. Claimed against reported, side by side
#
# Each point is one checked claim: its stated share against the reference figure it was
# checked against. On the diagonal the two agree; the band is the ±5-point tolerance. A claim
# stated as a bound ("more than 90%") is marked ▲ (or ▼ for "less than").

# %%
checked = claims.dropna(subset=["reference"])
fig, ax = plt.subplots(figsize=(6.5, 6))
ax.fill_between([0, 100], [-5, 95], [5, 105], color="#d5f5e3", label="±5 points")
ax.plot([0, 100], [0, 100], color="#1e8449", linewidth=1)
colors = {"consistent": "#1e8449", "contradicted": "#c0392b"}
markers = {">": "^", ">=": "^", "<": "v", "<=": "v"}
for (verdict, comparator), part in checked.groupby(["verdict", checked["comparator"].fillna("=")]):
    ax.scatter(
        part["reference"] * 100,
        part["value"] * 100,
        s=60,
        color=colors.get(verdict, "#5d6d7e"),
        marker=markers.get(comparator, "o"),
        label=f"{verdict} ({comparator})",
        edgecolors="white",
    )
for r in checked.itertuples():
    ax.annotate(
        f"{r.country} {r.mineral} {r.stage}",
        (r.reference * 100, r.value * 100),
        fontsize=6,
        xytext=(4, -3),
        textcoords="offset points",
    )
ax.set_xlim(0, 105)
ax.set_ylim(0, 105)
ax.set_title("Share claims in the news vs the reference statistics")
ax.set_xlabel("reference share, USGS / IEA (% of world)")
ax.set_ylabel("share claimed in the article (% of world)")
ax.legend(loc="lower right", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 3. The contradicted claims, sentence by sentence
#
# A contradiction is not necessarily an error in the article: the two figures may be of
# different years (many of the IEA's processing shares are of 2019, or undated), of a different
# measure (capacity against output), or of a narrower product ("battery-grade graphite"). The
# sentence and the years side by side are where an analyst starts.

# %%
contradicted = claims[claims["verdict"] == "contradicted"]
for r in contradicted.itertuples():
    bound = "" if r.comparator in (None, "=") else r.comparator
    print(
        f"{r.country} · {r.mineral} · {r.stage}: claimed {bound}{r.value:.0%}"
        f" ({r.year if pd.notna(r.year) else 'no year'}) vs {r.dataset} {r.reference:.0%}"
        f" ({r.referenceYear if pd.notna(r.referenceYear) else 'no year'})"
    )
    print(f"   “{r.sentence}”")
    print(f"   {r.url or r.article}")
if contradicted.empty:
    print("no contradicted claims in the sample articles")

# %%
counts = pd.crosstab(claims["mineral"], claims["verdict"])
fig, ax = plt.subplots(figsize=(7, 4))
palette = {"consistent": "#1e8449", "contradicted": "#c0392b", "unchecked": "#aab7b8"}
counts.plot.barh(stacked=True, ax=ax, color=[palette.get(c, "#5d6d7e") for c in counts.columns])
ax.set_title("Share claims per mineral, by verdict")
ax.xaxis.set_major_locator(MaxNLocator(integer=True))
ax.set_xlabel("number of claims")
ax.set_ylabel("mineral")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Reading it.** Unchecked claims are about a country, mineral or stage the reference data does
# not cover (a manufacturing share such as magnets, or a country the tables leave in "other
# countries"). They are still kept, with their sentence, and feed the analytics as the most
# recent figure when they are newer than the statistics and not contradicted by them.

# %% [markdown]
# ## What to try next
#
# - Read your own article in: `cmkg ingest my-article.txt --store-path var/store` (or
#   `POST /articles`), then re-run this notebook against that store with `EmbeddedStore`.
# - Follow `checkedAgainst` to the reference observation itself: its `cmkg:note`, `dct:source`
#   (the USGS chapter PDF or the page the IEA figure was read on) and `cmkg:valueRaw`.
# - See how the claims enter the analytics: in notebook 02 the hops list the claims about their
#   supplier, and `concentration(..., include_claims=True)` counts them.
'''


def cells_of(source: str) -> list[tuple[str, str]]:
    """Split percent-format ``source`` into ``(kind, text)`` pairs, kind "markdown" or "code"."""
    parts = _MARKER.split(source)
    if parts[0].strip():
        raise ValueError("text before the first cell marker")
    out = []
    for kind, text in zip(parts[1::2], parts[2::2], strict=True):
        text = text.strip("\n")
        if kind:
            text = "\n".join(_uncomment(line) for line in text.splitlines())
        out.append(("markdown" if kind else "code", text))
    return out


def _uncomment(line: str) -> str:
    """A markdown line without its comment mark: ``# text`` -> ``text``, ``#`` -> ``""``."""
    if line == "#":
        return ""
    if not line.startswith("# "):
        raise ValueError(f"a markdown line must start with '# ': {line!r}")
    return line[2:]


def notebook_of(name: str, source: str) -> nbformat.NotebookNode:
    """The notebook ``name`` built from ``source``, with ids ``<n>-<index>``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    prefix = name.split("-", 1)[0]
    for i, (kind, text) in enumerate(cells_of(source)):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(text)
        cell.id = f"nb{prefix}-{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def build() -> dict[str, nbformat.NotebookNode]:
    """Every notebook, by file name."""
    return {f"{name}.ipynb": notebook_of(name, src) for name, src in NOTEBOOKS.items()}


def main() -> int:
    for filename, nb in build().items():
        path = HERE / filename
        text = nbformat.writes(nb)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
