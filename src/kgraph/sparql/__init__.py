"""SPARQL: saved queries and their metadata, typed parameters bound as
terms, running on pyoxigraph, rdflib or a server, one result object, and the
extension functions the checks use."""

from .._util.lazy import lazy_exports

__all__ = [
    "SavedQuery", "Param", "PARAM_TYPES", "read_query", "read_queries", "find_query",
    "bind_parameters", "prepare", "run_query", "query", "ENGINES", "QueryResult",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "SavedQuery": "saved", "Param": "saved", "PARAM_TYPES": "saved", "read_query": "saved",
    "read_queries": "saved", "find_query": "saved", "bind_parameters": "params",
    "prepare": "params", "run_query": "run", "query": "run", "ENGINES": "run", "QueryResult": "results",
})
