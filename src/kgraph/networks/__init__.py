"""Networks: projections of the graph into networkx (mediation, interaction,
stance, congruence, conflict, signed, claims), their analysis (centralities,
brokerage, balance, coalitions), exports for Gephi (:mod:`.export`) and
plots (:mod:`.plot`); ``kgraph.export`` and ``kgraph.plot`` are their functions."""

from .._util.lazy import lazy_exports

__all__ = [
    "network", "PROJECTIONS", "Projection", "LEVELS", "NORMALIZATIONS",
    "analyze", "Analysis", "NodeMetrics", "METRICS", "BROKERAGE_ROLES",
    "EXPORT_FORMATS",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "network": "projections", "PROJECTIONS": "projections", "Projection": "projections",
    "LEVELS": "levels", "NORMALIZATIONS": "levels",
    "analyze": "analysis", "Analysis": "analysis", "NodeMetrics": "analysis", "METRICS": "analysis",
    "BROKERAGE_ROLES": "brokerage", "EXPORT_FORMATS": "export",
})
