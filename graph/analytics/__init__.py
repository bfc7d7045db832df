"""Supply-chain analytics on a networkx projection of the graph.

:func:`build_supply_network` reads the store once into a :class:`networkx.MultiDiGraph` (a
:class:`ProjectionCache` keeps it, and rebuilds it in the background when the store changes);
every analysis takes that graph, never the store:

- :func:`dependency_paths`: by which suppliers, stage by stage, a country depends on a mineral;
- :func:`hhi`, :func:`concentration`, :func:`concentration_table`: market concentration;
- :func:`chokepoints`: the suppliers whose loss strands the most supply;
- :func:`disruption`: who falls short when a supplier cuts exports;
- :func:`exposure`, :func:`country_profile`, :func:`mineral_profile`;
- :func:`country_label`, :func:`mineral_label`: names for codes and ids.

The model behind the numbers (world shares, proportional sourcing, which figure stands for a
supplier, which agreements count) is written down in :mod:`.supply`, :mod:`.paths` and
:mod:`.scenarios`.

Examples
--------
>>> G = new_network()
>>> _ = add_supply(G, "CN", "gallium", "processing", share=0.99, year=2024)
>>> _ = add_supply(G, "RU", "gallium", "processing", share=0.01, year=2024)
>>> dependency_paths(G, "US", "gallium").paths[0].hops[0].supplier
'CN'
>>> round(concentration(G, "gallium", "processing").hhi)
9802
"""

from .chokepoints import Chokepoint, Chokepoints, chokepoint_table, chokepoints, supply_flow_graph
from .concentration import Concentration, concentration, concentration_table, hhi, normalized_hhi
from .exposure import exposure, exposure_table
from .network import (
    FLOW_STAGES,
    OTHER_COUNTRIES,
    STAGES,
    add_agreement,
    add_country,
    add_export_control,
    add_investment,
    add_mineral,
    add_reserves,
    add_source,
    add_supply,
    country_label,
    country_node,
    mineral_family,
    mineral_label,
    new_network,
    resolve_country,
    resolve_mineral,
    supply_node,
)
from .paths import Dependency, DependencyPath, Hop, dependency_paths, dependency_to_dict
from .profiles import country_profile, mineral_profile
from .projection import ProjectionCache, build_supply_network
from .relations import agreements_covering, agreements_of, export_controls_covering
from .scenarios import Disruption, disruption
from .supply import Figure, StageSupply, stage_supply, supply_stages

__all__ = [
    "FLOW_STAGES",
    "OTHER_COUNTRIES",
    "STAGES",
    "Chokepoint",
    "Chokepoints",
    "Concentration",
    "Dependency",
    "DependencyPath",
    "Disruption",
    "Figure",
    "Hop",
    "ProjectionCache",
    "StageSupply",
    "add_agreement",
    "add_country",
    "add_export_control",
    "add_investment",
    "add_mineral",
    "add_reserves",
    "add_source",
    "add_supply",
    "agreements_covering",
    "agreements_of",
    "build_supply_network",
    "chokepoint_table",
    "chokepoints",
    "concentration",
    "concentration_table",
    "country_label",
    "country_node",
    "country_profile",
    "dependency_paths",
    "dependency_to_dict",
    "disruption",
    "export_controls_covering",
    "exposure",
    "exposure_table",
    "hhi",
    "mineral_family",
    "mineral_label",
    "mineral_profile",
    "new_network",
    "normalized_hhi",
    "resolve_country",
    "resolve_mineral",
    "stage_supply",
    "supply_flow_graph",
    "supply_node",
    "supply_stages",
]
