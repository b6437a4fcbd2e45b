"""Running saved and ad-hoc SPARQL queries with safely bound parameters.

Parameters are bound through an inline ``VALUES`` block at the top of the
query's WHERE group (see :mod:`kgraph.sparql.params`); the query text around
them is never built from user input, and the same bound query runs unchanged
on pyoxigraph, on rdflib or on any SPARQL 1.1 server.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from .params import bind_parameters, prepare
from .results import QueryResult
from .saved import SavedQuery, find_query

__all__ = ["ENGINES", "prepare", "run_query", "serialized", "query"]

#: The result formats the engine writes itself (SELECT and ASK).
ENGINE_FORMATS = {"csv": "CSV", "tsv": "TSV", "json": "JSON", "xml": "XML"}

#: Query engines kgraph can run a query on.
ENGINES = ("oxigraph", "rdflib")


def run_query(
    graph,
    query: SavedQuery | str,
    params: Mapping[str, str] | None = None,
    *,
    engine: str = "oxigraph",
    allow_service: bool = False,
) -> QueryResult:
    """Run a saved query (or query text) over the union of ``graph``'s named graphs.

    Parameters
    ----------
    graph
        The data to query: a :class:`~kgraph.project.ProjectGraph` (from
        :func:`kgraph.load_project` or a store), or a
        :class:`~kgraph.rdf.dataset.Dataset`.
    query
        A :class:`~kgraph.sparql.saved.SavedQuery` or SPARQL text (no parameters).
    params
        Parameter values as text, by name; typed by the query's header.
    engine
        ``"oxigraph"`` (default) or ``"rdflib"``; both return the same rows.
    allow_service
        Let the query call remote endpoints with ``SERVICE``.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryError
        The query is not valid SPARQL, calls ``SERVICE`` unasked, or fails.
    ParameterError
        A parameter is unknown, missing or not of its declared type.
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}", option="engine")
    query, text = _prepared(graph, query, params, allow_service)
    if engine == "oxigraph":
        return _run_oxigraph(graph, text, query, allow_service)
    return _run_rdflib(graph, text, query)


def serialized(
    graph,
    query: SavedQuery | str,
    params: Mapping[str, str] | None = None,
    fmt: str = "csv",
    *,
    allow_service: bool = False,
) -> bytes | None:
    """A SELECT or ASK query's result in ``fmt`` (csv, tsv, json, xml: the W3C
    SPARQL 1.1 result formats), written by the engine as it reads the
    solutions, without making a row of each first: what ``kgraph query``
    prints. None for a CONSTRUCT or DESCRIBE query (see :func:`run_query`).

    Raises
    ------
    QueryError, ParameterError
        As :func:`run_query`; ``ValueError`` for an ASK result in CSV, which
        has no CSV form.
    """
    if fmt not in ENGINE_FORMATS:
        raise ValueError(f"the engine writes {', '.join(ENGINE_FORMATS)}, not {fmt}")
    query, text = _prepared(graph, query, params, allow_service)
    answer = _answer(graph, text, query, allow_service)
    if isinstance(answer, (ox.QueryTriples, list)):
        return None
    if isinstance(answer, ox.QueryBoolean) and fmt == "csv":
        raise ValueError("an ASK result has no CSV form; use json, xml or tsv")
    try:
        return answer.serialize(format=getattr(ox.QueryResultsFormat, ENGINE_FORMATS[fmt]))
    except OSError as exc:  # solutions are computed as they are written
        raise QueryError(f"{_where(query)}: the query failed: {exc}") from None


def _prepared(graph, query: SavedQuery | str, params, allow_service: bool) -> tuple[SavedQuery, str]:
    """The saved query (SPARQL text becomes one without parameters) and its
    text with ``params`` bound."""
    if isinstance(query, str):
        query = SavedQuery("query", Path("<query>"), query, {})
    return query, prepare(query.text, bind_parameters(query, params, graph), allow_service)


def query(
    query: SavedQuery | str | Path,
    params: Mapping[str, str] | None = None,
    *,
    graph=None,
    project=None,
    engine: str = "oxigraph",
    allow_service: bool = False,
) -> QueryResult:
    """Run a saved query by name (or a ``.rq`` file, or SPARQL text) with
    ``params``, over ``graph`` (default: the project's data and ontology).

    Examples
    --------
    >>> result = query("who-mediates-whom", {"actor": "Azerbaijan"})
    >>> sorted({row["mediatorLabel"] for row in result.records()})
    ['Russian peacekeeping contingent']
    >>> query("ASK { ?s a <https://w3id.org/kgraph/ontology#Meeting> }").boolean
    True
    """
    from ..project import find_project

    if graph is not None and project is None:
        project = getattr(graph, "project", None)
    project = project or find_project()
    if isinstance(query, str) and ("{" in query or "\n" in query):
        saved: SavedQuery | str = query
    elif isinstance(query, SavedQuery):
        saved = query
    else:
        saved = find_query(query, project)
    if graph is None:
        graph = project.load()
    return run_query(graph, saved, params, engine=engine, allow_service=allow_service)


def _where(query: SavedQuery) -> str:
    return str(query.path) if query.path.name != "<query>" else "query"


def _answer(dataset, text: str, query: SavedQuery, allow_service: bool = False):
    """The engine's answer to ``text``, its errors as :class:`QueryError`."""
    try:
        return dataset.query(text, allow_service=allow_service)
    except SyntaxError as exc:
        raise QueryError(f"{_where(query)}: not valid SPARQL: {exc}") from None
    except OSError as exc:
        raise QueryError(f"{_where(query)}: the query failed: {exc}") from None


def _run_oxigraph(dataset, text: str, query: SavedQuery, allow_service: bool = False) -> QueryResult:
    answer = _answer(dataset, text, query, allow_service)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, (ox.QueryTriples, list)):
        return QueryResult("graph", triples=list(answer))
    variables = [v.value for v in answer.variables]
    rows = [tuple(solution) for solution in answer]  # values in the order of the variables
    return QueryResult("select", variables=variables, rows=rows)


def _rdflib_dataset(dataset):
    cached = getattr(dataset, "_rdflib_dataset", None)
    if cached is not None and cached[0] == len(dataset):
        return cached[1]
    import rdflib

    from ..rdf.convert import to_rdflib_graph

    union = rdflib.Dataset(default_union=True)
    for graph in dataset.graphs:
        term = rdflib.URIRef(graph) if not graph.startswith("_:") else rdflib.BNode(graph[2:])
        to_rdflib_graph(dataset.quads([graph]), union.graph(term))
    dataset._rdflib_dataset = (len(dataset), union)
    return union


def _run_rdflib(dataset, text: str, query: SavedQuery) -> QueryResult:
    from pyparsing import ParseException

    from ..rdf.convert import to_ox_term

    union = _rdflib_dataset(dataset)
    try:
        answer = union.query(text)
    except ParseException as exc:
        raise QueryError(f"{_where(query)}: not valid SPARQL for rdflib: {exc}") from None
    if answer.type == "ASK":
        return QueryResult("ask", boolean=bool(answer.askAnswer))
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        triples = [ox.Triple(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in answer.graph]
        return QueryResult("graph", triples=triples)
    variables = [str(v) for v in answer.vars]
    rows = [tuple(to_ox_term(t) if t is not None else None for t in row) for row in answer]
    return QueryResult("select", variables=variables, rows=rows)
