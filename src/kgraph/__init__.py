"""kgraph: a knowledge graph of political actors and their positions, built
from news articles.

The public API is re-exported here; submodules load on first use so that
``import kgraph`` and ``kgraph --help`` stay fast.

>>> import kgraph
>>> report = kgraph.validate()
>>> report.conforms
True
>>> G = kgraph.network("mediation", level="polity")
>>> kgraph.analyze(G).node("https://w3id.org/kgraph/actor/russia").liaison
2

The parts: :mod:`kgraph.rdf` (parsing, loading), :mod:`kgraph.sparql`
(saved queries), :mod:`kgraph.validation`, :mod:`kgraph.networks`,
:mod:`kgraph.stores`, :mod:`kgraph.authoring`, :mod:`kgraph.render`; every
exception is in :mod:`kgraph.errors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._util.lazy import lazy_exports
from ._version import __version__

_EXPORTS = {
    # the project and its loaded graph
    "Project": "project",
    "ProjectGraph": "project",
    "find_project": "project",
    "load_project": "project",
    "stats": "counts",
    "Summary": "counts",
    # validation
    "validate": "validation.run",
    "check": "validation.run",
    "ValidationReport": "validation.report",
    "Violation": "validation.report",
    # SPARQL
    "query": "sparql.run",
    "run_query": "sparql.run",
    "find_query": "sparql.saved",
    "SavedQuery": "sparql.saved",
    "QueryResult": "sparql.results",
    # networks
    "network": "networks.projections",
    "PROJECTIONS": "networks.projections",
    "analyze": "networks.analysis",
    "Analysis": "networks.analysis",
    "METRICS": "networks.analysis",
    "export": "networks.export",
    "plot": "networks.plot",
    "view": "view",
    # identity
    "find_actors": "identity.registry",
    "name_index": "identity.registry",
    "NameIndex": "identity.resolver",
    "Candidate": "identity.resolver",
    "merge_actors": "identity.merge",
    # RDF and stores
    "load": "rdf.load",
    "Dataset": "rdf.dataset",
    "dump": "rdf.dump",
    "open_store": "stores.open",
    # authoring
    "new_article": "authoring.scaffold",
    "draft": "drafting.draft",
    "accept_draft": "drafting.draft",
    "Draft": "drafting.draft",
    # errors
    "KGraphError": "errors",
    "InputError": "errors",
    "RDFSyntaxError": "errors",
    "EncodingError": "errors",
    "EmptyInputError": "errors",
    "GraphConflictError": "errors",
    "QueryError": "errors",
    "ParameterError": "errors",
    "NetworkError": "errors",
    "ScaffoldError": "errors",
    "MergeError": "errors",
    "OutputError": "errors",
    "ExportError": "errors",
    "StoreError": "errors",
    "RemoteError": "errors",
    "LimitError": "errors",
    "TimeLimitError": "errors",
    "MemoryLimitError": "errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]

__getattr__, _dir = lazy_exports(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from .authoring.scaffold import new_article
    from .drafting.draft import Draft, accept_draft, draft
    from .errors import (
        EmptyInputError, EncodingError, ExportError, GraphConflictError, InputError, KGraphError, LimitError,
        MemoryLimitError, MergeError, NetworkError, OutputError, ParameterError, QueryError, RDFSyntaxError,
        RemoteError,
        ScaffoldError, StoreError, TimeLimitError,
    )
    from .networks.analysis import METRICS, Analysis, analyze
    from .networks.export import export
    from .networks.plot import plot
    from .networks.projections import PROJECTIONS, network
    from .project import Project, ProjectGraph, find_project, load_project
    from .rdf.dataset import Dataset
    from .rdf.dump import dump
    from .rdf.load import load
    from .sparql.results import QueryResult
    from .sparql.run import query, run_query
    from .sparql.saved import SavedQuery, find_query
    from .counts import Summary, stats
    from .stores.open import open_store
    from .validation.report import ValidationReport, Violation
    from .validation.run import check, validate
