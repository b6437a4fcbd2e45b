"""kgraph: a knowledge graph of political actors and their positions, built
from news articles.

The public API is re-exported here; submodules load on first use so that
``import kgraph`` and ``kgraph --help`` stay fast.

>>> import kgraph
>>> report = kgraph.validate()
>>> report.conforms
True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "load": "loader",
    "collect_files": "loader",
    "FORMATS": "loader",
    "Dataset": "dataset",
    "SourceFile": "dataset",
    "Location": "dataset",
    "validate": "validation",
    "ValidationReport": "validation",
    "Violation": "validation",
    "find_project": "project",
    "Project": "project",
    "summarize": "summary",
    "load_project": "summary",
    "Summary": "summary",
    "run_query": "querying",
    "find_query": "querying",
    "QueryResult": "results",
    "network": "networks",
    "PROJECTIONS": "networks",
    "analyze": "analysis",
    "Analysis": "analysis",
    "plot": "plot",
    "KGraphError": "errors",
    "InputError": "errors",
    "RDFSyntaxError": "errors",
    "EmptyInputError": "errors",
    "EncodingError": "errors",
    "GraphConflictError": "errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kgraph' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from .dataset import Dataset, Location, SourceFile
    from .errors import (
        EmptyInputError,
        EncodingError,
        GraphConflictError,
        InputError,
        KGraphError,
        RDFSyntaxError,
    )
    from .analysis import Analysis, analyze
    from .loader import FORMATS, collect_files, load
    from .networks import PROJECTIONS, network
    from .plot import plot
    from .querying import find_query, run_query
    from .results import QueryResult
    from .project import Project, find_project
    from .summary import Summary, load_project, summarize
    from .validation import ValidationReport, Violation, validate
