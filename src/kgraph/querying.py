"""Running saved and ad-hoc SPARQL queries with safely bound parameters.

Parameters are typed (see :data:`~kgraph.queries.PARAM_TYPES`), turned into
RDF terms by pyoxigraph's own constructors (which reject anything that is not
a valid IRI, literal or language tag), and bound through an inline ``VALUES``
block at the top of the query's WHERE group. The query text around them is
never built from user input, and the same bound query runs unchanged on
pyoxigraph, on rdflib or on any SPARQL 1.1 server.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from .dataset import Dataset
from .errors import InputError
from .namespaces import PREFIXES
from .project import Project, find_project
from .queries import PARAM_TYPES, Param, SavedQuery, read_queries, read_query
from .results import QueryResult
from .sparql_text import uses_service, values_block, where_group_offset

__all__ = [
    "ENGINES",
    "ParameterError",
    "QueryError",
    "find_query",
    "bind_parameters",
    "prepare",
    "run_query",
]

#: Query engines kgraph can run a query on.
ENGINES = ("oxigraph", "rdflib")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)


class ParameterError(InputError):
    """A query parameter is unknown, missing, or not of its declared type."""


class QueryError(InputError):
    """A query cannot be found, parsed or run."""


def find_query(name_or_path: str | Path, project: Project | None = None) -> SavedQuery:
    """A saved query by name (``who-mediates-whom``) or a ``.rq`` file by path."""
    project = project or find_project()
    text = str(name_or_path)
    if text.endswith(".rq") or "/" in text or Path(text).is_file():
        return read_query(Path(text))
    path = project.queries_dir / f"{text}.rq"
    if not path.is_file():
        names = ", ".join(q.name for q in read_queries(project.queries_dir))
        raise QueryError(f"no saved query named {text!r}; saved queries: {names}")
    return read_query(path)


def _iri(value: str) -> ox.NamedNode:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    elif ":" in text:
        prefix, local = text.split(":", 1)
        if prefix in PREFIXES and not local.startswith("//"):
            text = PREFIXES[prefix] + local
    if ":" not in text:
        raise ValueError("not an IRI or known prefixed name")
    return ox.NamedNode(text)  # raises ValueError for an invalid IRI


_BY_LABEL = (
    "SELECT DISTINCT ?thing WHERE { ?thing <%s>|<%s>|<%s> ?name . FILTER(isIRI(?thing) && LCASE(STR(?name)) = LCASE(?wanted)) }"
    % _LABELS
)


def _by_label(value: str, dataset: Dataset) -> ox.NamedNode:
    text = prepare(_BY_LABEL, {"wanted": ox.Literal(value.strip())})
    found: dict[str, ox.NamedNode] = {}
    for row in dataset.query(text):
        found[row["thing"].value] = row["thing"]
    if not found:
        raise ValueError("no IRI, prefixed name or label of anything in the graph")
    if len(found) > 1:
        raise ValueError("label is ambiguous; use one of the IRIs " + ", ".join(sorted(found)))
    return next(iter(found.values()))


def _convert(param: Param, value: str, dataset: Dataset | None) -> ox.NamedNode | ox.Literal:
    if param.type == "iri":
        return _iri(value)
    if param.type == "resource":
        try:
            return _iri(value)
        except ValueError:
            if dataset is None:
                raise
            return _by_label(value, dataset)
    if param.type == "date":
        _dt.date.fromisoformat(value.strip())
        if len(value.strip()) != 10:
            raise ValueError("expected YYYY-MM-DD")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(_XSD + "date"))
    if param.type == "integer":
        return ox.Literal(int(value.strip(), 10))
    if param.type == "string":
        return ox.Literal(value)
    if param.type == "langstring":
        text, at, language = value.rpartition("@")
        if not at or not language:
            raise ValueError("expected text@language, e.g. Baku@en")
        return ox.Literal(text, language=language)
    raise ValueError(f"unknown parameter type {param.type!r}")


def bind_parameters(
    query: SavedQuery, values: Mapping[str, str] | None = None, dataset: Dataset | None = None
) -> dict[str, ox.NamedNode | ox.Literal | None]:
    """Check ``values`` against the query's declared parameters and turn each
    into an RDF term (``None`` for an optional parameter left unset), keyed
    by the query variable it binds.

    Raises
    ------
    ParameterError
        An unknown parameter, a missing required one, or a value that is not
        of the declared type.
    """
    values = dict(values or {})
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        accepted = ", ".join(str(p) for p in declared.values()) or "none"
        raise ParameterError(f"query {query.name!r} has no parameter {unknown[0]!r}; it takes: {accepted}")
    bound: dict[str, ox.NamedNode | ox.Literal | None] = {}
    for name, param in declared.items():
        raw = values.get(name, param.default)
        if raw is None:
            if param.required:
                raise ParameterError(f"query {query.name!r} needs --param {name}=VALUE ({param.type}: {_describe(param)})")
            bound[param.variable] = None
            continue
        try:
            bound[param.variable] = _convert(param, raw, dataset)
        except ValueError as exc:
            raise ParameterError(
                f"parameter {name}={raw!r} is not {_describe(param)}: {exc}"
            ) from None
    return bound


def _describe(param: Param) -> str:
    return PARAM_TYPES[param.type]


def prepare(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal | None], allow_service: bool = False) -> str:
    """The query text with ``bindings`` as inline data at the top of its
    WHERE group. Refuses ``SERVICE`` unless ``allow_service``."""
    if uses_service(text) and not allow_service:
        raise QueryError("the query calls SERVICE (a remote endpoint); kgraph refuses that unless --allow-service is given")
    if not bindings:
        return text
    try:
        offset = where_group_offset(text)
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    block = values_block({name: (str(term) if term is not None else None) for name, term in bindings.items()})
    return text[:offset] + block + text[offset:]


def run_query(
    dataset: Dataset,
    query: SavedQuery | str,
    params: Mapping[str, str] | None = None,
    *,
    engine: str = "oxigraph",
    allow_service: bool = False,
) -> QueryResult:
    """Run a saved query (or query text) over the union of the dataset's graphs.

    Parameters
    ----------
    dataset
        The data to query, e.g. from :func:`kgraph.load_project`.
    query
        A :class:`~kgraph.queries.SavedQuery` or SPARQL text (no parameters).
    params
        Parameter values as text, by name; typed by the query's header.
    engine
        ``"oxigraph"`` (default) or ``"rdflib"``; both return the same rows.
    allow_service
        Let the query call remote endpoints with ``SERVICE``.

    Returns
    -------
    QueryResult
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    if isinstance(query, str):
        query = SavedQuery("query", Path("<query>"), query, {})
    bindings = bind_parameters(query, params, dataset)
    text = prepare(query.text, bindings, allow_service)
    if engine == "oxigraph":
        return _run_oxigraph(dataset, text, query)
    return _run_rdflib(dataset, text, query)


def _where(query: SavedQuery) -> str:
    return str(query.path) if query.path.name != "<query>" else "query"


def _run_oxigraph(dataset: Dataset, text: str, query: SavedQuery) -> QueryResult:
    try:
        answer = dataset.query(text)
    except SyntaxError as exc:
        raise QueryError(f"{_where(query)}: not valid SPARQL: {exc}") from None
    except OSError as exc:
        raise QueryError(f"{_where(query)}: the query failed: {exc}") from None
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, (ox.QueryTriples, list)):
        return QueryResult("graph", triples=list(answer))
    variables = [v.value for v in answer.variables]
    rows = [tuple(solution) for solution in answer]  # values in the order of the variables
    return QueryResult("select", variables=variables, rows=rows)


def _rdflib_dataset(dataset: Dataset):
    cached = getattr(dataset, "_rdflib_dataset", None)
    if cached is not None and cached[0] == len(dataset):
        return cached[1]
    import rdflib

    from .convert import to_rdflib_graph

    union = rdflib.Dataset(default_union=True)
    for graph in dataset.graphs:
        term = rdflib.URIRef(graph) if not graph.startswith("_:") else rdflib.BNode(graph[2:])
        to_rdflib_graph(dataset.quads([graph]), union.graph(term))
    dataset._rdflib_dataset = (len(dataset), union)
    return union


def _run_rdflib(dataset: Dataset, text: str, query: SavedQuery) -> QueryResult:
    from pyparsing import ParseException

    from .convert import to_ox_term

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
