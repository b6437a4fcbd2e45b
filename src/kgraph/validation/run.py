"""Validation: strict parsing, SHACL shapes and SPARQL checks, in one report.

:func:`validate` loads what is to be validated (files, what changed since a
git revision, or a store's data) into a :class:`~kgraph.project.ProjectGraph`
and hands it to :func:`check`, which runs the shapes and, beside them in a
second thread, the SPARQL checks, then places every result at the file and
line where its focus node is described.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import KG, PROV
from ..project import Project, ProjectGraph, find_project
from ..rdf.parse import parse_file
from ..sparql.saved import SavedQuery, read_queries
from .checks import run_checks
from .report import SEVERITIES, SKIPPED_SOURCE, ValidationReport, Violation
from .shacl import run_shacl

__all__ = ["validate", "check"]


def validate(
    paths: Sequence[str | Path] | None = None,
    *,
    project: Project | None = None,
    store=None,
    changed_since: str | None = None,
    staged: bool = False,
    shapes: str | Path | None = None,
    checks: Sequence[SavedQuery] | None = None,
    allow_empty: bool = False,
    strict: bool = False,
    with_registry: bool = True,
    engine: str = "shacl",
    errors: str = "raise",
    sources: str | Path | None = None,
    require_sources: bool = False,
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
    staged
        Validate what the git index holds (what the next commit would hold):
        the data files it changes against HEAD, with the registry entries they
        use, as they are staged, not as they are in the working tree. The
        report's paths are those of the project.
    shapes
        A shapes file to use instead of ``ontology/shapes.ttl``.
    checks
        SPARQL checks to run instead of those in ``queries/checks/``.
    allow_empty
        Accept files that hold no triple; by default each is a violation
        ("this file adds no triples").
    strict
        Count warnings and infos against conformance too.
    with_registry
        When a path lies inside the project's ``data/`` folder, validate the
        shared registries (``data/registry/``) with it, since articles refer
        to the actors, places, posts and issues described there.
    engine
        ``"shacl"`` (default): the Rust SHACL engine from PyPI ``shacl``;
        ``"pyshacl"``: pySHACL, the reference.
    sources
        The *sources folder*: where the texts of sources kept outside the
        repository (``kg:textName``) are found (default: ``$KGRAPH_SOURCES``).
        A source whose text is not there has its quotes skipped, reported by
        the warning ``source-text-not-available`` and counted in
        :attr:`~kgraph.validation.report.ValidationReport.skipped_sources`.
    require_sources
        Make a source whose text is not available a violation, not a warning
        (for setups that hold every text).
    errors
        ``"raise"`` (default): an input that cannot be read raises its
        :class:`~kgraph.errors.InputError`. ``"report"``: every file is read,
        and every one that cannot be (syntax, encoding, graph conflicts,
        unreadable) becomes an entry of the report's ``errors``, for reports
        that must carry every problem (CI formats).

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
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', not {errors!r}")
    if staged:
        if paths or changed_since is not None:
            raise InputError("validate either what is staged, or paths, or changes since a revision", option="staged")
        return _validate_staged(project, shapes=shapes, checks=checks, strict=strict, engine=engine,
                                errors=errors, allow_empty=allow_empty, sources=sources,
                                require_sources=require_sources)
    files: list[Path] = []
    try:
        if changed_since is not None:
            if paths:
                raise InputError("give either paths or a revision to compare with, not both", option="changed_since")
            from .changes import changed_files, load_changes

            changes = changed_files(project, changed_since)
            files = changes.articles + changes.registries
            graph, changes = load_changes(project, changed_since, changes)
            if not changes:
                return ValidationReport(strict=strict, notes=[f"no data file changed since {changed_since}"])
        elif not paths and store is not None and store.persistent:
            graph = store.validation_graph()
        elif not paths and getattr(store, "cache", False):
            # the default store with the project cache: every file that passed
            # the strict parse with these bytes is loaded without a second one
            from ..rdf.parse import collect_files

            files = collect_files([project.data_dir])  # what an unreadable file's report scans
            graph = project.load(None, allow_empty=True, with_registry=with_registry, cache="memory")
        else:
            from ..rdf.parse import collect_files

            wanted = list(paths or ()) or [project.data_dir]
            if with_registry:
                wanted = project.with_registry(wanted)
            files = collect_files(wanted)
            graph = project.load(paths, allow_empty=True, with_registry=with_registry)
    except InputError as error:
        if errors == "raise":
            raise
        return _unreadable(error, files, project.ontology_files(), project, strict)
    return check(graph, shapes=shapes, checks=checks, strict=strict, engine=engine, allow_empty=allow_empty,
                 sources=sources, require_sources=require_sources)


def _validate_staged(project: Project, *, errors: str, **options) -> ValidationReport:
    """Validate the git index's changes in a snapshot of the index, and report
    them under the project's own paths."""
    from ..errors import InputError
    from .changes import index_snapshot, load_changes, staged_files

    with index_snapshot(project) as snapshot:
        changes = staged_files(project, snapshot)
        if not changes:
            return ValidationReport(strict=options["strict"], notes=["no data file is staged"])
        files = changes.articles + changes.registries
        try:
            graph, changes = load_changes(snapshot, "HEAD", changes, history=project)
        except InputError as error:
            if errors == "raise":
                raise _moved(error, snapshot.root, project.root) from None
            report = _unreadable(error, files, snapshot.ontology_files(), snapshot, options["strict"])
        else:
            allow_empty = options.pop("allow_empty")
            report = check(graph, allow_empty=allow_empty, **options)
        return _rebased(report, snapshot.root, project.root)


def _rebase(path: Path | None, old: Path, new: Path) -> Path | None:
    if path is None:
        return None
    try:
        return new / Path(path).resolve().relative_to(old.resolve())
    except ValueError:
        return path


def _rebased(report: ValidationReport, old: Path, new: Path) -> ValidationReport:
    """``report`` with its paths moved from the snapshot ``old`` to the project ``new``."""
    report.files = [_rebase(p, old, new) for p in report.files]
    report.errors = [replace(e, file=_rebase(e.file, old, new)) for e in report.errors]
    report.violations = [replace(v, file=_rebase(v.file, old, new),
                                 message=v.message.replace(f"{old.resolve()}/", "")) for v in report.violations]
    return report


def _moved(error, old: Path, new: Path):
    error.path = _rebase(error.path, old, new)
    return error


def check(
    graph: ProjectGraph,
    *,
    shapes: str | Path | None = None,
    checks: Sequence[SavedQuery] | None = None,
    strict: bool = False,
    engine: str = "shacl",
    allow_empty: bool = False,
    sources: str | Path | None = None,
    require_sources: bool = False,
) -> ValidationReport:
    """Validate a loaded project graph: its data graphs, read with its ontology.

    A data file that holds no triple is a violation unless ``allow_empty``.
    ``sources`` and ``require_sources`` are as for :func:`validate`.
    ``graph`` is not changed.
    """
    from ..sparql.functions import SourceTexts

    project = graph.project
    texts = SourceTexts(project.root, sources_folder(sources))
    shapes_path = Path(shapes) if shapes is not None else project.shapes_file
    shapes_quads = parse_file(shapes_path, data_dir=project.root).quads
    _refuse_services_in_shapes(shapes_quads, shapes_path)
    from ..identity.review import IDENTITY_CHECKS

    checks = list(checks) if checks is not None else read_queries(project.checks_dir)
    report = ValidationReport(files=[f.path for f in graph.data_files], strict=strict,
                              checks=len(checks) + len(IDENTITY_CHECKS))
    report.triples = graph.data_triples
    # The SPARQL checks run in a second thread while the shapes are checked:
    # both engines release the GIL.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kgraph-checks") as pool:
        checked = pool.submit(_checks, graph, checks, texts)
        try:
            outcome = run_shacl(graph, shapes_quads, engine)
        except BaseException:
            checked.cancel()
            raise
        results = outcome.violations + checked.result()
    results = _with_quote_hints(_one_per_dangling_reference(results), graph, texts)
    if require_sources:
        results = [replace(v, severity="violation") if v.source == SKIPPED_SOURCE else v for v in results]
    if not allow_empty:
        results += [Violation("violation", "This file adds no triples: it is empty, or holds only comments, prefixes "
                              "or empty graphs. Add its triples, or remove it.", source="kgraph:empty-file",
                              component="EmptyFile", file=f.path, line=1)
                    for f in graph.data_files if f.triples == 0 and f.format != "stored"]
    report.shapes = outcome.shapes
    report.unchecked_triples = outcome.unchecked_triples
    report.violations = sorted(
        (_locate(v, graph) for v in results),
        key=lambda v: (str(v.file or "~"), v.line or 0, SEVERITIES.index(v.severity), v.message),
    )
    return report


def sources_folder(sources: str | Path | None = None) -> Path | None:
    """The sources folder: ``sources``, else ``$KGRAPH_SOURCES``, else none."""
    if sources is None or str(sources) == "":
        sources = os.environ.get("KGRAPH_SOURCES") or None
    return Path(sources).expanduser() if sources is not None else None


def _checks(graph: ProjectGraph, checks: Sequence[SavedQuery], texts) -> list[Violation]:
    """The SPARQL checks, then the identity checks (names of actors and places)."""
    from ..identity.review import identity_checks

    return run_checks(graph, checks, texts.root, texts=texts) + identity_checks(graph)


def _one_per_dangling_reference(results: list[Violation]) -> list[Violation]:
    """A reference to something nothing describes is one mistake: the check
    that says so, not also every ``sh:class`` shape the missing node fails."""
    dangling = {(v.focus, v.path, v.value) for v in results if v.source == "check:dangling-reference"}
    return [v for v in results if not (v.component and v.component.endswith("ClassConstraintComponent")
                                       and (v.focus, v.path, v.value) in dangling)]


def _refuse_services_in_shapes(quads, path: Path) -> None:
    """SHACL-SPARQL constraints run queries too: none may call SERVICE."""
    from ..namespaces import SH, compact
    from ..sparql.guard import refuse_service

    for quad in quads:
        if quad.predicate.value in (SH + "select", SH + "ask", SH + "construct", SH + "update") \
                and isinstance(quad.object, ox.Literal):
            shape = compact(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else "a blank node"
            refuse_service(quad.object.value, f"the SPARQL constraint of {shape} in {path}")


def _locate(violation: Violation, graph: ProjectGraph) -> Violation:
    """The violation with the file and line where its focus node is described."""
    focus = violation.focus
    if focus is None or violation.file is not None:
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


#: Where an unreadable input's error comes from, by its class.
_KINDS = {"RDFSyntaxError": "syntax", "EncodingError": "encoding", "GraphConflictError": "conflict"}


def _unreadable(error, files: Sequence[Path], ontology: Sequence[Path], project: Project,
                strict: bool) -> ValidationReport:
    """A report of every input that cannot be read: each file is scanned on its
    own, so one broken file does not hide another; graphs two files fill are
    conflicts. ``error`` is what the load raised (reported if nothing else is found)."""
    from ..errors import GraphConflictError, InputError
    from ..rdf.parse import scan_file

    found: list[InputError] = []
    owners: dict[str, Path] = {}
    for path in dict.fromkeys([*files, *ontology]):
        try:
            scanned = scan_file(path, data_dir=project.graph_root(path), allow_empty=True)
        except InputError as problem:
            found.append(problem)
            continue
        for name in scanned.graphs:
            if name in owners:
                found.append(GraphConflictError(f"graph <{name}> is also filled by {owners[name]}; each file must "
                                                "have a graph of its own", path))
            owners.setdefault(name, path)
    if not found:
        found = [error]
    return ValidationReport(files=list(dict.fromkeys(files)), strict=strict, errors=[_as_result(e) for e in found])


def _as_result(error) -> Violation:
    """An input error as a report entry of severity ``error``, with a hint."""
    from .hints import syntax_hint

    kind = _KINDS.get(type(error).__name__, "input")
    hint = None
    if kind == "syntax" and error.path is not None:
        try:
            lines = error.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            lines = []
        hint = syntax_hint(error.message, lines, error.line, error.column)
    return Violation("error", error.message, source=f"kgraph:{kind}", component=type(error).__name__,
                     file=error.path, line=error.line, column=error.column, hint=hint)


_QUOTED_FROM = f"""SELECT ?file ?name ?sha WHERE {{
  {{ ?focus <{PROV}wasQuotedFrom> ?source }} UNION {{ ?focus <{KG}evidence>/<{PROV}wasQuotedFrom> ?source }}
  {{ ?source <{KG}textFile> ?file }} UNION {{ ?source <{KG}textName> ?name ; <{KG}sha256> ?sha }}
}} LIMIT 1"""


def _with_quote_hints(results: list[Violation], graph: ProjectGraph, texts) -> list[Violation]:
    """Quotes not found in their text get the closest passage and the first difference."""
    from ..sparql.functions import corpus_locator
    from ..sparql.params import prepare
    from .hints import quote_hint

    out = []
    for v in results:
        if v.source == "check:quote-not-in-source" and v.focus and v.value and v.focus.startswith("<"):
            words = _literal(v.value)
            rows = list(graph.query(prepare(_QUOTED_FROM, {"focus": ox.NamedNode(v.focus[1:-1])})))
            text = None
            if rows and rows[0]["file"] is not None:
                text = texts.text(rows[0]["file"].value)
            elif rows and rows[0]["name"] is not None:
                text = texts.text(corpus_locator(rows[0]["name"].value, rows[0]["sha"].value))
            if words is not None and text is not None:
                v = replace(v, hint=quote_hint(words, text))
        out.append(v)
    return out


def _literal(term: str) -> str | None:
    """The lexical form of a literal written in N-Triples syntax."""
    try:
        quads = list(ox.parse(f"<x:s> <x:p> {term} .".encode(), format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError:
        return None
    value = quads[0].object
    return value.value if isinstance(value, ox.Literal) else None
