"""SHACL, with either engine: the Rust ``shacl`` (default) or pySHACL (the reference).

Both see the data and the ontology as one graph, so that class targets
follow ``rdfs:subClassOf`` and ``sh:class`` accepts the ontology's own
individuals (stance types, roles, ...). Both give the same results on every
shape (a test checks it); the Rust engine is far faster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import RDF_TYPE, SH
from .report import Violation

__all__ = ["ENGINES", "ShaclOutcome", "run_shacl", "count_shapes", "n3"]

#: SHACL engines kgraph can validate with.
ENGINES = ("shacl", "pyshacl")


@dataclass
class ShaclOutcome:
    """What the shapes found, how many shapes there were, and how many
    triples the engine could not read (RDF 1.2 terms, pySHACL only)."""

    violations: list[Violation] = field(default_factory=list)
    shapes: int = 0
    unchecked_triples: int = 0


def run_shacl(graph, shapes_quads: Sequence[ox.Quad], engine: str = "shacl") -> ShaclOutcome:
    """Check ``graph`` (a :class:`~kgraph.project.ProjectGraph`: its data and
    ontology graphs together) against the shapes in ``shapes_quads``.

    The Rust engine cannot read RDF 1.2 terms; for such data pySHACL takes over.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown SHACL engine {engine!r}; choose {' or '.join(ENGINES)}", option="engine")
    shapes = count_shapes(shapes_quads)
    if engine == "shacl":
        found = _rust_engine(graph, shapes_quads)
        if found is not None:
            return ShaclOutcome(found, shapes)
    found, unchecked = _pyshacl(graph, shapes_quads)
    return ShaclOutcome(found, shapes, unchecked)


_TRUE_ONLY = {SH + "uniqueLang"}
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _as_specified(quad: ox.Quad) -> bool:
    """Whether an engine may see this shapes triple. SHACL activates
    ``sh:uniqueLang`` only for the literal ``true``; pySHACL (through rdflib,
    which reads ``"1"^^xsd:boolean`` as True) takes ``"1"`` too (W3C test
    core/property/uniqueLang-002), so such a triple is left out for both
    engines, as the specification ignores it."""
    if quad.predicate.value in _TRUE_ONLY:
        value = quad.object
        return isinstance(value, ox.Literal) and value.value == "true" and value.datatype.value == _BOOLEAN
    return True


def _unwrap(path: str | None) -> str | None:
    """A path without the parentheses around the whole of it, so that both
    engines write it alike (``a/b``, ``a|b``).

    >>> _unwrap("(<a>|<b>)"), _unwrap("(<a>)*/(<b>)*")
    ('<a>|<b>', '(<a>)*/(<b>)*')
    """
    if not path or not (path.startswith("(") and path.endswith(")")):
        return path or None
    depth = 0
    for index, char in enumerate(path):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(path) - 1:
            return path  # the first parenthesis closes before the end
    return path[1:-1]


def _severity(name: str, message: str) -> tuple[str, str]:
    """A result's severity as kgraph names it: SHACL's own three, and any other
    (SHACL allows any IRI) counted as a violation, its name kept in the message."""
    level = name.lower()
    if level in ("violation", "warning", "info"):
        return level, message
    return "violation", f"[severity {name}] {message}"


def count_shapes(shapes_quads: Sequence[ox.Quad]) -> int:
    """Node and property shapes declared with ``rdf:type``."""
    kinds = {SH + "NodeShape", SH + "PropertyShape"}
    return len({q.subject for q in shapes_quads if q.predicate.value == RDF_TYPE and q.object.value in kinds})


def _rust_engine(graph, shapes_quads) -> list[Violation] | None:
    """The Rust engine (PyPI ``shacl``); None when it cannot read the data."""
    import shacl

    try:
        shapes = shacl.Shapes.from_text(
            ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in shapes_quads if _as_specified(q)],
                         format=ox.RdfFormat.N_TRIPLES).decode("utf-8"),
            format="ntriples",
        )
        outcome = shapes.validate_text(graph.dataset.store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    except (ValueError, SyntaxError, RuntimeError, OSError):
        return None
    violations = []
    for result in outcome.results:
        path = _unwrap(result.path)
        severity, message = _severity(str(result.severity), result.message or "constraint not met")
        violations.append(Violation(
            severity=severity,
            message=message,
            focus=result.focus_node,
            path=path or None,
            value=result.value,
            source=result.source_shape,
            component=result.component,
        ))
    return violations


def _pyshacl(graph, shapes_quads) -> tuple[list[Violation], int]:
    """pySHACL; also returns how many triples it could not be given."""
    import pyshacl
    import rdflib

    from ..rdf.convert import to_rdflib_graph

    converted = to_rdflib_graph(graph.quads([*graph.data_graphs, *graph.ontology_graphs]))
    shapes_graph = to_rdflib_graph([q for q in shapes_quads if _as_specified(q)]).graph
    sh = rdflib.Namespace(SH)
    _conforms, results_graph, _text = pyshacl.validate(
        converted.graph,
        shacl_graph=shapes_graph,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        advanced=True,
    )
    violations = []
    nested = set(results_graph.objects(None, sh.detail))  # reported through their parent result
    for result in results_graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        if result in nested:
            continue

        def one(prop):
            return results_graph.value(result, sh[prop])

        severity = one("resultSeverity")
        messages = sorted(str(m) for m in results_graph.objects(result, sh.resultMessage))
        path = one("resultPath")
        level, message = _severity(str(severity).removeprefix(SH).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                                   if severity else "Violation", messages[0] if messages else "constraint not met")
        violations.append(
            Violation(
                severity=level,
                message=message,
                focus=n3(one("focusNode")),
                path=_unwrap(_path_text(results_graph, path)) if path is not None else None,
                value=n3(one("value")),
                source=n3(one("sourceShape")),
                component=str(one("sourceConstraintComponent") or "").removeprefix(SH) or None,
            )
        )
    return violations, converted.skipped


def n3(term) -> str | None:
    """A term (pyoxigraph or rdflib) in N-Triples syntax."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return str(term)
    from ..rdf.convert import to_ox_term

    return str(to_ox_term(term))


def _path_text(graph, path) -> str:
    """A SHACL path as SPARQL property path text."""
    import rdflib

    sh = rdflib.Namespace(SH)
    if isinstance(path, rdflib.URIRef):
        return f"<{path}>"
    inverse = graph.value(path, sh.inversePath)
    if inverse is not None:
        return f"^{_path_text(graph, inverse)}"
    for prop, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = graph.value(path, sh[prop])
        if inner is not None:
            return f"({_path_text(graph, inner)}){suffix}"
    alternatives = graph.value(path, sh.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(graph, p) for p in rdflib.collection.Collection(graph, alternatives)) + ")"
    if (path, rdflib.RDF.first, None) in graph:
        return "/".join(_path_text(graph, p) for p in rdflib.collection.Collection(graph, path))
    return str(path)
