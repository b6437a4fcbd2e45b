"""Typed query parameters, turned into RDF terms and bound into the query text.

A saved query declares its parameters (see :mod:`kgraph.sparql.saved`); a
value given as text becomes a term of the declared type through pyoxigraph's
own constructors, which reject anything that is not a valid IRI, literal or
language tag. A ``resource`` may also be named by its label or any alias.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

import pyoxigraph as ox

from ..errors import ParameterError, QueryError
from ..namespaces import LABELS, PREFIXES, XSD_DATE
from .saved import PARAM_TYPES, Param, SavedQuery
from .guard import refuse_service
from .text import values_block, where_group_offset

__all__ = ["bind_parameters", "prepare", "parse_iri"]

_BY_LABEL = (
    "SELECT DISTINCT ?thing WHERE { ?thing <%s>|<%s>|<%s> ?name . FILTER(isIRI(?thing) && LCASE(STR(?name)) = LCASE(?wanted)) }"
    % LABELS
)


def parse_iri(value: str) -> ox.NamedNode:
    """``<IRI>``, an IRI or a prefixed name of kgraph's namespaces, as a term;
    ``ValueError`` for anything else."""
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


def _by_label(value: str, dataset) -> ox.NamedNode:
    text = prepare(_BY_LABEL, {"wanted": ox.Literal(value.strip())})
    found: dict[str, ox.NamedNode] = {}
    for row in dataset.query(text):
        found[row["thing"].value] = row["thing"]
    if not found:
        return _by_similar_name(value, dataset)
    if len(found) > 1:
        raise ValueError("label is ambiguous; use one of the IRIs " + ", ".join(sorted(found)))
    return next(iter(found.values()))


def _by_similar_name(value: str, dataset) -> ox.NamedNode:
    """The one actor or place whose name is ``value`` once case, spaces and
    look-alike letters are set aside; else an error naming the likeliest
    candidates (see :func:`kgraph.identity.registry.resolve_name`)."""
    from ..identity.registry import resolve_name

    return ox.NamedNode(resolve_name(value, dataset).iri)


def _convert(param: Param, value: str, dataset) -> ox.NamedNode | ox.Literal:
    if param.type == "iri":
        return parse_iri(value)
    if param.type == "resource":
        try:
            return parse_iri(value)
        except ValueError:
            if dataset is None:
                raise
            return _by_label(value, dataset)
    if param.type == "date":
        _dt.date.fromisoformat(value.strip())
        if len(value.strip()) != 10:
            raise ValueError("expected YYYY-MM-DD")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD_DATE))
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
    query: SavedQuery, values: Mapping[str, str] | None = None, dataset=None
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
        raise ParameterError(f"query {query.name!r} has no parameter {unknown[0]!r}; it takes: {accepted}",
                             option="params", parameter=unknown[0])
    bound: dict[str, ox.NamedNode | ox.Literal | None] = {}
    for name, param in declared.items():
        raw = values.get(name, param.default)
        if raw is None:
            if param.required:
                raise ParameterError(f"query {query.name!r} needs a value for parameter {name!r} "
                                     f"({param.type}: {_describe(param)})", option="params", parameter=name)
            bound[param.variable] = None
            continue
        try:
            bound[param.variable] = _convert(param, raw, dataset)
        except ValueError as exc:
            raise ParameterError(f"parameter {name}={raw!r} is not {_describe(param)}: {exc}",
                                 option="params", parameter=name) from None
    return bound


def _describe(param: Param) -> str:
    return PARAM_TYPES[param.type]


def prepare(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal | None], allow_service: bool = False) -> str:
    """The query text with ``bindings`` as inline data at the top of its
    WHERE group. Refuses ``SERVICE`` unless ``allow_service``."""
    refuse_service(text, allow=allow_service)
    if not bindings:
        return text
    try:
        offset = where_group_offset(text)
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    block = values_block({name: (str(term) if term is not None else None) for name, term in bindings.items()})
    return text[:offset] + block + text[offset:]
