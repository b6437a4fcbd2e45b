"""The actors and places of a project graph, with every name they carry,
as a :class:`~kgraph.identity.resolver.NameIndex`.

Names come from ``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel`` and
SKOS-XL labels (``skosxl:prefLabel``/``skosxl:altLabel`` to a
``skosxl:Label`` whose ``skosxl:literalForm`` is the name), with their
language tags. A thing's kind comes from its classes, read up the class
hierarchy: ``person``, ``polity``, ``organization``, ``group``, ``place``,
else ``actor``.
"""

from __future__ import annotations

from collections import defaultdict

from ..namespaces import KG, RDFS, SKOS, SKOSXL
from .resolver import Named, NameIndex

__all__ = ["name_index", "find_actors", "resolve_name", "superclasses", "KINDS"]

#: Kinds, most specific first: a thing's kind is the first its classes reach.
KINDS = (("person", KG + "Person"), ("polity", KG + "Polity"), ("organization", KG + "Organization"),
         ("group", KG + "ActorGroup"), ("place", KG + "Place"), ("actor", KG + "Actor"))

_NAMES = f"""
SELECT ?thing ?class ?name ?property WHERE {{
  ?thing a ?class .
  {{ ?thing <{RDFS}label> ?name . BIND(1 AS ?property) }}
  UNION {{ ?thing <{SKOS}prefLabel> ?name . BIND(2 AS ?property) }}
  UNION {{ ?thing <{SKOSXL}prefLabel>/<{SKOSXL}literalForm> ?name . BIND(2 AS ?property) }}
  UNION {{ ?thing <{SKOS}altLabel> ?name . BIND(3 AS ?property) }}
  UNION {{ ?thing <{SKOSXL}altLabel>/<{SKOSXL}literalForm> ?name . BIND(3 AS ?property) }}
  FILTER(isIRI(?thing) && isLITERAL(?name))
}}"""


def superclasses(graph) -> dict[str, set[str]]:
    """Every class with all the classes above it (itself included)."""
    direct: dict[str, set[str]] = defaultdict(set)
    for row in graph.query(f"SELECT ?c ?s WHERE {{ ?c <{RDFS}subClassOf> ?s }}"):
        direct[row["c"].value].add(row["s"].value)
    closed: dict[str, set[str]] = {}
    for start in list(direct):
        seen, todo = {start}, list(direct[start])
        while todo:
            cls = todo.pop()
            if cls not in seen:
                seen.add(cls)
                todo.extend(direct.get(cls, ()))
        closed[start] = seen
    return closed


def kind_of(classes, hierarchy: dict[str, set[str]]) -> str | None:
    reached = set()
    for cls in classes:
        reached |= hierarchy.get(cls, {cls})
    for kind, cls in KINDS:
        if cls in reached:
            return kind
    return None


def name_index(graph) -> NameIndex:
    """The actors and places of ``graph`` (a ProjectGraph or a pyoxigraph
    store), indexed by name."""
    hierarchy = superclasses(graph)
    classes: dict[str, set[str]] = defaultdict(set)
    names: dict[str, dict[tuple[str, str | None], int]] = defaultdict(dict)
    for row in graph.query(_NAMES):
        thing = row["thing"].value
        classes[thing].add(row["class"].value)
        name = row["name"]
        key = (name.value, name.language)
        rank = int(row["property"].value)
        names[thing][key] = min(rank, names[thing].get(key, rank))
    things = []
    for thing, found in names.items():
        kind = kind_of(classes[thing], hierarchy)
        if kind is None:
            continue
        ordered = sorted(found, key=lambda k: (found[k], k[1] not in (None, "en"), k[1] or "", k[0]))
        things.append(Named(thing, kind, ordered[0][0], tuple(ordered), tuple(sorted(classes[thing]))))
    things.sort(key=lambda n: n.iri)
    return NameIndex(things)


def find_actors(name: str, graph, *, kinds=None, language: str | None = None, limit: int = 5,
                min_score: float = 0.8):
    """The actors and places of ``graph`` that ``name`` may mean, best first
    (:class:`~kgraph.identity.resolver.Candidate`, with score and reason)."""
    return name_index(graph).find(name, language=language, kinds=kinds, limit=limit, min_score=min_score)


def resolve_name(name: str, graph=None, *, kinds=None, index: NameIndex | None = None,
                 nothing: str = "no IRI, prefixed name or label of anything in the graph"):
    """The one actor or place called ``name`` (once case, spaces and
    look-alike letters are set aside), as a
    :class:`~kgraph.identity.resolver.Candidate`.

    Raises ``ValueError`` otherwise, naming the likeliest candidates ("did
    you mean ..."): a spelling variant is suggested, never taken silently.
    This is how every typed name is read (query parameters, the scaffold).
    """
    from ..namespaces import compact

    candidates = (index or name_index(graph)).find(name, kinds=kinds, limit=3)
    same = [c for c in candidates if c.score >= 1.0]
    if len(same) == 1:
        return same[0]
    if len(same) > 1:
        message = "more than one thing has this name: " + ", ".join(f'{compact(c.iri)} "{c.label}"' for c in same)
        raise ValueError(message + "; give the IRI")
    message = nothing
    if candidates:
        message += "; did you mean " + ", or ".join(
            f'{compact(c.iri)} "{c.label}" ('
            + (f'as "{c.matched}": ' if c.matched != c.label else "") + f"{c.reason})" for c in candidates) + "?"
    raise ValueError(message)
