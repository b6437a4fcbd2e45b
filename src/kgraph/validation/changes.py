"""Validating only what changed since a git revision.

The changed article files are validated together with the part of the
shared registries they refer to (the actors, places, posts and issues they
name, and what those in turn name). A changed registry file is validated in
full, together with every article that refers to a resource whose
description changed, so a registry edit that breaks an untouched article is
still caught.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..project import Project, ProjectGraph
from ..rdf.dataset import Dataset, SourceFile, graph_key
from ..rdf.load import load
from ..rdf.parse import FORMATS, parse_file

__all__ = ["ChangeSet", "changed_files", "staged_files", "index_snapshot", "load_changes"]


@dataclass
class ChangeSet:
    """Files under ``data/`` that differ from a git revision."""

    ref: str
    articles: list[Path] = field(default_factory=list)
    registries: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.articles or self.registries)


def _git(project: Project, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(project.root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise InputError("comparing with a git revision needs git, which is not installed",
                         option="changed_since") from None
    if done.returncode != 0:
        raise InputError(f"git {' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def changed_files(project: Project, ref: str) -> ChangeSet:
    """The RDF files under ``data/`` added or modified since ``ref`` (committed,
    staged, unstaged or untracked), split into articles and registry files.
    A changed text in ``data/sources/SLUG.txt`` brings in ``data/articles/SLUG.*``."""
    try:
        _git(project, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except InputError:
        raise InputError(f"{ref!r} is not a git revision of {project.root}", option="changed_since") from None
    data = project.data_dir.resolve().relative_to(project.root.resolve()).as_posix()
    names = _git(project, "diff", "--name-only", "--diff-filter=d", "--no-renames", ref, "--", data).splitlines()
    names += _git(project, "ls-files", "--others", "--exclude-standard", "--", data).splitlines()
    return _change_set(project, ref, names)


def _change_set(project: Project, ref: str, names: list[str]) -> ChangeSet:
    """``names`` (paths from the project root) sorted into articles and registry files."""
    changes = ChangeSet(ref)
    registry = project.registry_dir.resolve()
    seen: set[Path] = set()
    for name in dict.fromkeys(names):
        path = (project.root / name).resolve()
        candidates = [path]
        if path.parent == project.sources_dir.resolve() and path.suffix == ".txt":
            candidates = sorted(project.articles_dir.glob(f"{path.stem}.*"))
        for candidate in candidates:
            candidate = Path(candidate).resolve()
            if candidate.suffix.lower() not in FORMATS or not candidate.is_file() or candidate in seen:
                continue
            seen.add(candidate)
            (changes.registries if registry in candidate.parents else changes.articles).append(candidate)
    return changes


def staged_files(project: Project, snapshot: Project | None = None) -> ChangeSet:
    """The RDF files under ``data/`` that the git index changes against HEAD
    (what the next commit would add or modify), split as :func:`changed_files`
    does, as paths inside ``snapshot`` (see :func:`index_snapshot`) when given."""
    data = project.data_dir.resolve().relative_to(project.root.resolve()).as_posix()
    try:
        _git(project, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        names = _git(project, "diff", "--cached", "--name-only", "--diff-filter=d", "--no-renames", "HEAD", "--",
                     data).splitlines()
    except InputError:  # no commit yet: everything staged is new
        names = _git(project, "ls-files", "--cached", "--", data).splitlines()
    return _change_set(snapshot or project, "HEAD", names)


@contextmanager
def index_snapshot(project: Project) -> Iterator[Project]:
    """The project as the git index holds it (what the next commit would
    hold), exported into a temporary folder: its ``data/``, ``ontology/`` and
    ``queries/`` (those git does not track are used from the working tree)."""
    top = Path(_git(project, "rev-parse", "--show-toplevel").strip())
    inside = _git(project, "rev-parse", "--show-prefix").strip()
    folder = Path(tempfile.mkdtemp(prefix="kgraph-staged-"))
    try:
        parts = [p.resolve().relative_to(project.root.resolve()).as_posix()
                 for p in (project.data_dir, project.ontology_dir, project.queries_dir)
                 if project.root.resolve() in p.resolve().parents]
        listed = _git(project, "ls-files", "--cached", "-z", "--", *parts) if parts else ""
        if listed:
            subprocess.run(["git", "-C", str(project.root), "checkout-index", f"--prefix={folder}/", "-z", "--stdin"],
                           input=listed, text=True, check=True, capture_output=True)
        root = folder / inside if inside else folder
        root.mkdir(parents=True, exist_ok=True)
        del top

        def here(own: Path, name: str) -> Path:
            return root / name if (root / name).is_dir() else own

        yield Project(root, here(project.ontology_dir, "ontology"), here(project.queries_dir, "queries"), root / "data")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _old_quads(project: Project, ref: str, path: Path, history: Project | None = None) -> set:
    relative = path.resolve().relative_to(project.root.resolve()).as_posix()
    try:
        text = _git(history or project, "show", f"{ref}:{relative}")
    except InputError:
        return set()  # the file is new
    try:
        return {
            (q.subject, q.predicate, q.object)
            for q in ox.parse(text.encode("utf-8"), format=FORMATS[path.suffix.lower()], base_iri=path.resolve().as_uri())
        }
    except SyntaxError:
        return set()


def _changed_subjects(project: Project, ref: str, paths: Iterable[Path], history: Project | None = None) -> set:
    """Subjects whose description differs between ``ref`` and now."""
    changed = set()
    for path in paths:
        old = _old_quads(project, ref, path, history)
        new = {(q.subject, q.predicate, q.object) for q in parse_file(path, data_dir=project.data_dir).quads}
        changed |= {s for s, _, _ in old ^ new}
    return changed


def _articles_referring_to(project: Project, subjects: set, skip: set[Path]) -> list[Path]:
    if not subjects:
        return []
    found = []
    for path in sorted(project.articles_dir.rglob("*")):
        if path.suffix.lower() not in FORMATS or path.resolve() in skip:
            continue
        store = ox.Store()
        try:
            store.load(path=str(path), format=FORMATS[path.suffix.lower()], base_iri=path.resolve().as_uri())
        except (SyntaxError, OSError):
            found.append(path.resolve())  # let validation report it
            continue
        if any(next(iter(store.quads_for_pattern(None, None, s, None)), None) is not None for s in subjects):
            found.append(path.resolve())
    return found


def load_changes(project: Project, ref: str, changes: ChangeSet | None = None,
                 history: Project | None = None) -> tuple[ProjectGraph, ChangeSet]:
    """A project graph holding what changed since ``ref``, the registry
    context it needs, and the ontology.

    ``changes`` are the changed files (default: :func:`changed_files`);
    ``history`` is the project whose git holds ``ref``, when ``project`` is a
    snapshot of it (see :func:`index_snapshot`).

    Returns the graph (every data graph in it is to be validated) and the
    change set. Raises :class:`~kgraph.errors.InputError` for a bad revision
    or a file that cannot be parsed.
    """
    changes = changes if changes is not None else changed_files(project, ref)
    if changes.registries:
        affected = _articles_referring_to(
            project, _changed_subjects(project, ref, changes.registries, history), set(changes.articles)
        )
        changes.articles.extend(a for a in affected if a not in changes.articles)
    dataset = Dataset()
    if not changes:
        return ProjectGraph(project, dataset, (), ()), changes
    load(changes.articles + changes.registries, data_dir=project.data_dir, dataset=dataset)
    # Add the unchanged registries' descriptions of what the data refers to, transitively.
    others = [p for p in sorted(project.registry_dir.rglob("*"))
              if p.suffix.lower() in FORMATS and p.resolve() not in set(changes.registries)] if project.registry_dir.is_dir() else []
    registry = [parse_file(p, data_dir=project.data_dir) for p in others]
    by_subject: dict = {}
    for parsed in registry:
        for quad in parsed.quads:
            by_subject.setdefault(quad.subject, []).append((parsed, quad))
    wanted = [q.object for q in dataset.quads() if isinstance(q.object, ox.NamedNode)]
    seen: set = set()
    picked: dict[Path, list] = {}
    while wanted:
        node = wanted.pop()
        if node in seen:
            continue
        seen.add(node)
        for parsed, quad in by_subject.get(node, ()):
            picked.setdefault(parsed.path, []).append(quad)
            if isinstance(quad.object, (ox.NamedNode, ox.BlankNode)):  # a blank node's triples are part of it
                wanted.append(quad.object)
    for parsed in registry:
        if parsed.path in picked:
            graphs = tuple(dict.fromkeys(graph_key(q.graph_name) for q in picked[parsed.path]))
            dataset.add(SourceFile(parsed.path, parsed.format.name, graphs, len(picked[parsed.path]), parsed.prefixes),
                        picked[parsed.path])
    data_graphs = dataset.graphs
    ontology = project.ontology_files()
    if ontology:
        load(ontology, data_dir=project.graph_root, dataset=dataset)  # a dataset of our own
    return ProjectGraph(project, dataset, data_graphs, dataset.graphs[len(data_graphs):]), changes
