"""Moving terms and triples between pyoxigraph and rdflib.

kgraph parses and queries with pyoxigraph; pyshacl (and the ``rdflib``
query engine) need rdflib graphs. RDF 1.2 triple terms have no rdflib
counterpart: triples that use them are left out and counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from ..namespaces import XSD_STRING

__all__ = ["to_rdflib_graph", "to_rdflib_term", "to_ox_term", "Converted"]



@dataclass
class Converted:
    """An rdflib graph and the number of triples that could not be converted."""

    graph: rdflib.Graph
    skipped: int = 0


def to_rdflib_term(term) -> Node | None:
    """The rdflib term for a pyoxigraph term, or ``None`` for a triple term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    return None


def to_ox_term(term: Node):
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def _convert_or_none(term) -> Node | None:
    try:
        return to_rdflib_term(term)
    except ValueError:  # e.g. a language tag with an RDF 1.2 base direction
        return None


def to_rdflib_graph(quads: Iterable[ox.Quad], graph: rdflib.Graph | None = None) -> Converted:
    """Copy the triples of ``quads`` (graph names dropped) into an rdflib graph."""
    target = graph if graph is not None else rdflib.Graph()
    cache: dict[object, Node | None] = {}
    skipped = 0

    def convert(term):
        try:
            return cache[term]
        except KeyError:
            converted = cache[term] = _convert_or_none(term)
            return converted

    triples = []
    for quad in quads:
        s, p, o = convert(quad.subject), convert(quad.predicate), convert(quad.object)
        if s is None or o is None:
            skipped += 1
            continue
        triples.append((s, p, o, target))
    target.addN(triples)
    return Converted(target, skipped)
