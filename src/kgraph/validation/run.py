"""Validation: strict parsing, SHACL shapes and SPARQL checks, in one report.

:func:`validate` loads what is to be validated (files, what changed since a
git revision, or a store's data) into a :class:`~kgraph.project.ProjectGraph`
and hands it to :func:`check`, which runs the shapes and, beside them in a
second thread, the SPARQL checks, then places every result at the file and
line where its focus node is described.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from ..project import Project, ProjectGraph, find_project
from ..rdf.parse import parse_file
from ..sparql.saved import SavedQuery, read_queries
from .checks import run_checks
from .report import SEVERITIES, ValidationReport, Violation
from .shacl import run_shacl

__all__ = ["validate", "check"]


def validate(
    paths: Sequence[str | Path] | None = None,
    *,
    project: Project | None = None,
    store=None,
    changed_since: str | None = None,
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
        Files and folders to validate; by default the project's ``data/``
        (or, with a persistent ``store``, the data stored there).
    project
        The project whose ontology, shapes and checks apply (default:
        :func:`~kgraph.project.find_project`).
    store
        A store (:func:`kgraph.open_store`) whose stored data to validate
        when no ``paths`` are given.
    changed_since
        A git revision: validate only the data files changed since then, with
        the registry entries they use (see :mod:`kgraph.validation.changes`).
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
        ``"pyshacl"``: pySHACL, the reference.

    Returns
    -------
    ValidationReport

    Raises
    ------
    InputError
        A file could not be found, read or parsed (the shapes and ontology
        included), or ``paths`` and ``changed_since`` were both given.

    Examples
    --------
    >>> report = validate()
    >>> report.conforms, report.count("violation")
    (True, 0)
    """
    from ..errors import InputError

    project = project or find_project()
    if changed_since is not None:
        if paths:
            raise InputError("give either paths or a revision to compare with, not both", option="changed_since")
        from .changes import load_changes

        graph, changes = load_changes(project, changed_since)
        if not changes:
            return ValidationReport(strict=strict, notes=[f"no data file changed since {changed_since}"])
    elif not paths and store is not None and store.persistent:
        graph = store.validation_graph()
    else:
        graph = project.load(paths, allow_empty=allow_empty, with_registry=with_registry)
    return check(graph, shapes=shapes, checks=checks, strict=strict, engine=engine)


def check(
    graph: ProjectGraph,
    *,
    shapes: str | Path | None = None,
    checks: Sequence[SavedQuery] | None = None,
    strict: bool = False,
    engine: str = "shacl",
) -> ValidationReport:
    """Validate a loaded project graph: its data graphs, read with its ontology.

    ``graph`` is not changed.
    """
    project = graph.project
    shapes_path = Path(shapes) if shapes is not None else project.shapes_file
    shapes_quads = parse_file(shapes_path, data_dir=project.root).quads
    checks = list(checks) if checks is not None else read_queries(project.checks_dir)
    report = ValidationReport(files=[f.path for f in graph.data_files], strict=strict, checks=len(checks))
    report.triples = graph.data_triples
    # The SPARQL checks run in a second thread while the shapes are checked:
    # both engines release the GIL.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kgraph-checks") as pool:
        checked = pool.submit(run_checks, graph, checks, project.root)
        try:
            outcome = run_shacl(graph, shapes_quads, engine)
        except BaseException:
            checked.cancel()
            raise
        results = outcome.violations + checked.result()
    report.shapes = outcome.shapes
    report.unchecked_triples = outcome.unchecked_triples
    report.violations = sorted(
        (_locate(v, graph) for v in results),
        key=lambda v: (str(v.file or "~"), v.line or 0, SEVERITIES.index(v.severity), v.message),
    )
    return report


def _locate(violation: Violation, graph: ProjectGraph) -> Violation:
    """The violation with the file and line where its focus node is described."""
    focus = violation.focus
    if focus is None:
        return violation
    if focus.startswith("<") and focus.endswith(">"):
        term = ox.NamedNode(focus[1:-1])
    elif focus.startswith("_:"):
        term = ox.BlankNode(focus[2:])
    else:
        return violation
    where = graph.locate(term)
    if where is None:
        return violation
    return replace(violation, file=where.path, line=where.line)
