"""Validation: strict parsing, SHACL shapes (pyshacl) and SPARQL checks.

:func:`validate` returns one typed :class:`ValidationReport`. A SPARQL check
is a saved query in ``queries/checks/``: every row it returns is a result,
with the severity its header declares (``violation`` when it declares none).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from .dataset import Dataset
from .errors import InputError
from .loader import load, parse_file
from .project import Project, find_project
from .queries import SavedQuery, read_queries

__all__ = ["Violation", "ValidationReport", "validate", "validate_changes", "check_dataset", "SEVERITIES"]

#: Severities from most to least serious, named as SHACL names them (lower case).
SEVERITIES = ("violation", "warning", "info")

_SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    """One validation result.

    Terms (``focus``, ``path``, ``value``) are in N-Triples syntax
    (``<iri>``, ``_:b0``, ``"text"@en``); ``path`` may be a SPARQL property path.
    """

    severity: str
    message: str
    focus: str | None = None
    path: str | None = None
    value: str | None = None
    source: str | None = None
    component: str | None = None
    file: Path | None = None
    line: int | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["file"] = str(self.file) if self.file else None
        return data


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`.

    ``conforms`` is true when no result has severity ``violation`` (with
    ``strict``, when there is no result at all).
    """

    violations: list[Violation] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    triples: int = 0
    shapes: int = 0
    checks: int = 0
    unchecked_triples: int = 0
    strict: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        if self.strict:
            return not self.violations
        return not any(v.severity == "violation" for v in self.violations)

    def count(self, severity: str) -> int:
        return sum(1 for v in self.violations if v.severity == severity)

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "files": [str(p) for p in self.files],
            "triples": self.triples,
            "shapes": self.shapes,
            "checks": self.checks,
            "unchecked_triples": self.unchecked_triples,
            "counts": {s: self.count(s) for s in SEVERITIES},
            "notes": self.notes,
            "violations": [v.to_dict() for v in self.violations],
        }


def validate(
    paths: Sequence[str | Path] | None = None,
    *,
    project: Project | None = None,
    shapes: str | Path | None = None,
    checks: Sequence[SavedQuery] | None = None,
    allow_empty: bool = False,
    strict: bool = False,
    with_registry: bool = True,
    engine: str = "shacl",
) -> ValidationReport:
    """Validate RDF files against the project's shapes and checks.

    Parameters
    ----------
    paths
        Files and folders to validate; by default the project's ``data/``.
    project
        The project whose ontology, shapes and checks apply (default:
        :func:`~kgraph.project.find_project`).
    shapes
        A shapes file to use instead of ``ontology/shapes.ttl``.
    checks
        SPARQL checks to run instead of those in ``queries/checks/``.
    allow_empty
        Accept files that hold no triple instead of raising.
    strict
        Count warnings and infos against conformance too.
    with_registry
        When a path lies inside the project's ``data/`` folder, validate the
        shared registries (``data/registry/``) with it, since articles refer
        to the actors, places, posts and issues described there.
    engine
        ``"shacl"`` (default): the Rust SHACL engine from PyPI ``shacl``;
        ``"pyshacl"``: pySHACL, the reference. Both give the same results on
        every shape (a test checks it); the Rust engine is far faster.

    Returns
    -------
    ValidationReport

    Raises
    ------
    InputError
        A file could not be found, read or parsed (the shapes and ontology
        included).
    """
    project = project or find_project()
    paths = list(paths) if paths else [project.data_dir]
    if with_registry:
        paths = _with_registry(paths, project)
    dataset = load(paths, data_dir=project.data_dir, allow_empty=allow_empty)
    return check_dataset(dataset, project=project, shapes=shapes, checks=checks, strict=strict, engine=engine)


def validate_changes(
    ref: str,
    *,
    project: Project | None = None,
    shapes: str | Path | None = None,
    strict: bool = False,
    engine: str = "shacl",
) -> ValidationReport:
    """Validate only the data files changed since git revision ``ref``, with
    the registry context they need (see :mod:`kgraph.changes`)."""
    from .changes import load_changes

    project = project or find_project()
    dataset, changes = load_changes(project, ref)
    if not changes:
        return ValidationReport(strict=strict, notes=[f"no data file changed since {ref}"])
    return check_dataset(dataset, project=project, shapes=shapes, strict=strict, engine=engine)


def check_dataset(
    dataset: Dataset,
    *,
    project: Project | None = None,
    shapes: str | Path | None = None,
    checks: Sequence[SavedQuery] | None = None,
    strict: bool = False,
    engine: str = "shacl",
) -> ValidationReport:
    """Validate data already loaded into ``dataset`` (every graph in it is
    data); the project's ontology is added to it for the checks."""
    project = project or find_project()
    data_graphs = dataset.graphs
    data_triples = len(dataset)  # every graph in it is data, until the ontology joins
    ontology_files = project.ontology_files()
    if ontology_files:
        load(ontology_files, data_dir=project.root, dataset=dataset)
    schema_graphs = dataset.graphs[len(data_graphs):]
    shapes_path = Path(shapes) if shapes is not None else project.shapes_file
    shapes_quads = parse_file(shapes_path, data_dir=project.root).quads
    checks = list(checks) if checks is not None else read_queries(project.checks_dir)

    data_graph_set = set(data_graphs)
    data_sources = [f for f in dataset.files if f.graphs[0] in data_graph_set]
    report = ValidationReport(files=[f.path for f in data_sources], strict=strict, checks=len(checks))
    report.triples = data_triples
    if engine not in ENGINES:
        raise InputError(f"unknown SHACL engine {engine!r}; choose {' or '.join(ENGINES)}")
    # The SPARQL checks (which see the data and the ontology together) run in a
    # second thread while the shapes are checked: both engines release the GIL.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kgraph-checks") as pool:
        checked = pool.submit(_run_checks, dataset, checks, project)
        try:
            results = None
            if engine == "shacl":
                results = _run_shacl_fast(dataset, shapes_path, shapes_quads, report)
            if results is None:
                results = _run_shacl(dataset, data_graphs, schema_graphs, shapes_quads, report)
        except BaseException:
            checked.cancel()
            raise
        results += checked.result()
    report.violations = sorted(
        (_locate(v, dataset) for v in results),
        key=lambda v: (str(v.file or "~"), v.line or 0, SEVERITIES.index(v.severity), v.message),
    )
    return report


def _with_registry(paths: list, project: Project) -> list:
    """Add the registry folder when some path is in data/ and does not cover it."""
    data_dir = project.data_dir.resolve()
    registry = project.registry_dir
    if not registry.is_dir():
        return paths
    resolved = [Path(p).resolve() for p in paths]
    inside = any(p == data_dir or data_dir in p.parents for p in resolved)
    covered = any(p == registry.resolve() or p in registry.resolve().parents for p in resolved)
    return paths + [registry] if inside and not covered else paths


#: SHACL engines kgraph can validate with.
ENGINES = ("shacl", "pyshacl")


def _run_shacl_fast(dataset: Dataset, shapes_path: Path, shapes_quads, report: ValidationReport) -> list[Violation] | None:
    """SHACL with the Rust engine (PyPI ``shacl``) over the data and the
    ontology as one graph. Returns ``None`` when it cannot read the data
    (RDF 1.2 terms), so that pySHACL takes over."""
    import shacl

    report.shapes = _count_shapes(shapes_quads)
    try:
        shapes = shacl.Shapes.from_text(
            ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in shapes_quads],
                         format=ox.RdfFormat.N_TRIPLES).decode("utf-8"),
            format="ntriples",
        )
        outcome = shapes.validate_text(dataset.store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    except (ValueError, SyntaxError, RuntimeError, OSError):
        return None
    violations = []
    for result in outcome.results:
        path = result.path
        if path and path.startswith("(") and path.endswith(")") and "/" in path:
            path = path[1:-1]
        violations.append(Violation(
            severity=str(result.severity).lower(),
            message=result.message or "constraint not met",
            focus=result.focus_node,
            path=path or None,
            value=result.value,
            source=result.source_shape,
            component=result.component,
        ))
    return violations


def _count_shapes(shapes_quads) -> int:
    kinds = {_SH + "NodeShape", _SH + "PropertyShape"}
    return len({q.subject for q in shapes_quads
                if q.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and q.object.value in kinds})


def _run_shacl(
    dataset: Dataset, data_graphs, schema_graphs, shapes_quads, report: ValidationReport
) -> list[Violation]:
    import pyshacl
    import rdflib

    from .convert import to_rdflib_graph

    # The shapes see the data and the ontology as one graph, so that class
    # targets follow rdfs:subClassOf and sh:class accepts the ontology's own
    # individuals (stance types, roles, ...).
    converted = to_rdflib_graph(dataset.quads([*data_graphs, *schema_graphs]))
    report.unchecked_triples = converted.skipped
    shapes_graph = to_rdflib_graph(shapes_quads).graph
    sh = rdflib.Namespace(_SH)
    report.shapes = _count_shapes(shapes_quads)
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
    for result in results_graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        def one(prop):
            return results_graph.value(result, sh[prop])

        severity = one("resultSeverity")
        messages = sorted(str(m) for m in results_graph.objects(result, sh.resultMessage))
        path = one("resultPath")
        violations.append(
            Violation(
                severity=str(severity).removeprefix(_SH).lower() if severity else "violation",
                message=messages[0] if messages else "constraint not met",
                focus=_n3(one("focusNode")),
                path=_path_text(results_graph, path) if path is not None else None,
                value=_n3(one("value")),
                source=_n3(one("sourceShape")),
                component=str(one("sourceConstraintComponent") or "").removeprefix(_SH) or None,
            )
        )
    return violations


def _n3(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return str(term)
    from .convert import to_ox_term

    return str(to_ox_term(term))


def _path_text(graph, path) -> str:
    """A SHACL path as SPARQL property path text."""
    import rdflib

    sh = rdflib.Namespace(_SH)
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


def _run_checks(dataset: Dataset, checks: Sequence[SavedQuery], project: Project) -> list[Violation]:
    from .functions import check_functions

    functions = check_functions(project.root)
    violations = []
    for check in checks:
        severity = str(check.header.get("severity", "violation")).lower()
        if severity not in SEVERITIES:
            raise InputError(
                f"severity '{severity}' is not one of {', '.join(SEVERITIES)}", check.path
            )
        try:
            solutions = dataset.query(check.text, custom_functions=functions)
        except SyntaxError as exc:
            raise InputError(f"check is not valid SPARQL: {exc}", check.path) from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError("a check must be a SELECT query", check.path)
        names = {v.value for v in solutions.variables}
        if "focus" not in names:
            raise InputError("a check must select ?focus (and may select ?path ?value ?message)", check.path)
        for row in solutions:
            message = row["message"] if "message" in names else None
            path = row["path"] if "path" in names else None
            violations.append(
                Violation(
                    severity=severity,
                    message=message.value if message is not None else check.title,
                    focus=_n3(row["focus"]),
                    path=_n3(path) if path is not None else None,
                    value=_n3(row["value"]) if "value" in names else None,
                    source=f"check:{check.name}",
                    component="SPARQLCheck",
                )
            )
    return violations


def _locate(violation: Violation, dataset: Dataset) -> Violation:
    if violation.focus is None:
        return violation
    focus = violation.focus
    term = None
    if focus.startswith("<") and focus.endswith(">"):
        term = ox.NamedNode(focus[1:-1])
    elif focus.startswith("_:"):
        term = ox.BlankNode(focus[2:])
    if term is None:
        return violation
    where = dataset.locate(term)
    if where is None:
        return violation
    from dataclasses import replace

    return replace(violation, file=where.path, line=where.line)
