"""What every store does: load files into named graphs, all or nothing,
skipping unchanged files, and hand out the stored graph.

Hashes of loaded files live in kgraph's bookkeeping graph
(:data:`~kgraph.namespaces.META_GRAPH`): for each graph, the file that filled
it and that file's SHA-256.
"""

from __future__ import annotations

import hashlib
import signal
import threading
from contextlib import contextmanager, nullcontext
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import GraphConflictError, InputError, StoreError
from ..namespaces import META, META_GRAPH, RESERVED_GRAPHS, STAGING_GRAPHS
from ..project import Project, ProjectGraph
from ..rdf.dataset import Dataset, SourceFile, graph_term
from ..rdf.parse import ScannedFile, collect_files, graph_name_for, parse_file
from ..rdf.load import scanned

__all__ = ["Backend", "StoredGraphs", "LoadReport", "Staleness", "StoreCheck"]


@dataclass
class LoadReport:
    """What :meth:`Backend.load` did, file by file."""

    loaded: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    triples: int = 0


@dataclass
class StoreCheck:
    """What :meth:`StoredGraphs.check` finds wrong with a store."""

    staging: list[str] = field(default_factory=list)
    locks: list[tuple[str, str, str]] = field(default_factory=list)
    unrecorded: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stale: "Staleness | None" = None
    #: After :meth:`StoredGraphs.repair`: how many things it put right.
    repaired: int = 0

    def __bool__(self) -> bool:
        """True when something is wrong."""
        return bool(self.staging or self.locks or self.unrecorded or self.missing or self.stale)

    def lines(self, root: Path | None = None) -> list[str]:
        out = [f"staging graph left by an interrupted load: <{g}>" for g in self.staging]
        out += [f"load lock held by {owner} since {since}, expires {expires}" for owner, since, expires in self.locks]
        out += [f"graph without a record of the file that filled it: <{g}>" for g in self.unrecorded]
        out += [f"record of a graph the store does not hold: <{g}>" for g in self.missing]
        if self.stale:
            out.append(f"files changed since they were loaded: {self.stale.describe(root)}")
        return out


@dataclass
class Staleness:
    """Files that differ from what a store holds (see :meth:`StoredGraphs.stale`)."""

    changed: list[Path] = field(default_factory=list)
    new: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.new or self.removed)

    def describe(self, root: Path | None = None) -> str:
        from ..render.terms import display_path

        parts = [f"{len(files)} {what}" for what, files in (("changed", self.changed), ("new", self.new),
                                                             ("removed", self.removed)) if files]
        names = [display_path(p, root) for p in (self.changed + self.new + self.removed)[:3]]
        more = ", ..." if len(self.changed) + len(self.new) + len(self.removed) > 3 else ""
        return f"{', '.join(parts)} ({', '.join(names)}{more})"


def serialize_block(quads) -> str:
    """Quads' triples as N-Triples lines, for a SPARQL ``INSERT DATA`` block."""
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def record_path(source: Path, root: Path) -> str:
    """How a store records a file: relative to the project's root when inside
    it (so a store moves with its project), else absolute."""
    resolved = Path(source).resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(resolved)


def meta_update(graph: str, source: Path, digest: str, root: Path) -> str:
    """The update that records ``graph`` as filled by ``source`` with ``digest``."""
    g = f"<{graph}>"
    source = record_path(source, root)
    return (
        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {g} ?p ?o }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {g} <{META}sourceFile> {ox.Literal(str(source))} ; "
        f"<{META}sha256> {ox.Literal(digest)} . }} }}"
    )


class Backend:
    """A place the graph lives. Subclasses: memory, disk, remote."""

    name = "backend"

    def __init__(self, project: Project) -> None:
        self.project = project

    #: Whether the store keeps graphs between runs (disk, server) or not (memory).
    persistent = True
    #: Whether all replacements of a load are one transaction (then an
    #: interruption during it is held until it is recorded).
    atomic_replacements = False

    def files(self, paths: Sequence[str | Path] | None = None) -> list[Path]:
        """The files a :meth:`load` of ``paths`` reads: ``paths`` (default
        ``data/``) and the ontology."""
        files = collect_files(list(paths) if paths else [self.project.data_dir])
        return files + [f for f in self.project.ontology_files() if f.resolve() not in {p.resolve() for p in files}]

    def load(self, paths: Sequence[str | Path] | None = None, progress: Callable[[Path], None] | None = None) -> LoadReport:
        """Load files (default: ``data/``; the ontology always) each into its own graph.

        Every changed file is parsed strictly first. Graphs the store does not
        hold yet are stored as their file's scan passes (the next file's parse
        overlaps); graphs that replace stored ones only once every file has
        passed, on disk all in one transaction. If any file fails, or the load
        is interrupted before that transaction, the graphs new in this load are
        dropped again and no stored graph has been replaced. (On a server the
        replacements go file by file, each graph at once: an interruption
        there can leave some files replaced and others not.)
        """
        report = LoadReport()
        meta = self._meta()
        recorded: dict[Path, set[str]] = {}
        for _, (file, digest) in meta.items():
            recorded.setdefault(Path(file).resolve(), set()).add(digest)
        changed: list[Path] = []
        for path in self.files(paths):
            known = recorded.get(path.resolve())
            if known is not None and len(known) == 1:
                try:
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError as exc:
                    raise InputError(f"cannot read file: {exc.strerror or exc}", path) from None
                if known == {digest}:
                    report.unchanged.append(path)
                    if progress:
                        progress(path)
                    continue
            changed.append(path)
        # every graph the store records is owned by its file: another file
        # that names it is a conflict, in a full or a partial load alike
        owners: dict[str, Path] = {graph: Path(file) for graph, (file, _) in meta.items()}
        replacements: list[ScannedFile] = []
        added: list[str] = []
        committed = False
        try:
            for item in scanned(changed, data_dir=self.project.graph_root):
                if item.blank_graphs:
                    raise InputError("a graph named by a blank node cannot be kept in a store "
                                     "(it would get a new name on every load); name it with an IRI", item.path)
                for graph in item.graphs:
                    owner = owners.get(graph)
                    if owner is not None and owner.resolve() != item.path.resolve():
                        raise GraphConflictError(
                            f"graph <{graph}> is also filled by {owner}; each file must have a graph of its own "
                            "(to move a graph to another file, drop it from the store first)", item.path)
                    owners[graph] = item.path
                if self._holds_any(item.graphs, meta):
                    replacements.append(item)
                else:
                    added.extend(item.graphs)
                    self._store_new(item)
                    report.loaded.append(item.path)
                    report.triples += item.triples
                    if progress:
                        progress(item.path)
            # Every file has passed: now the replacements. An interruption that
            # arrives while the engine commits them is held until the commit is
            # recorded, so that it never undoes the new graphs of a load whose
            # replacements are already in (the load is then whole).
            with interruptions_held() if self.atomic_replacements else nullcontext():
                self._store_replacements(replacements)
                committed = True
        except BaseException as failure:
            if not committed:
                try:
                    self._drop_new(added)
                except (OSError, StoreError) as undo:
                    kept = len(report.loaded)
                    raise StoreError(
                        f"the load failed ({_reason(failure)}) and the {kept} new file{'s' if kept != 1 else ''} "
                        f"stored before could not be dropped again ({_reason(undo)}): each is stored whole, "
                        "no stored graph was replaced; fix the cause and load again (it completes them)") from None
            if isinstance(failure, OSError):
                raise StoreError(f"the store cannot be written: {_reason(failure)}; nothing of this load was kept "
                                 "and no stored graph was replaced") from None
            raise
        for item in replacements:
            report.loaded.append(item.path)
            report.triples += item.triples
            if progress:
                progress(item.path)
        return report

    def _store_replacements(self, replacements: list[ScannedFile]) -> None:
        """Replace the graphs of files the store already holds. Here: one file
        at a time, each graph at once (a server cannot do more); the on-disk
        store replaces them all in one transaction."""
        for item in replacements:
            for graph, quads in item.quads_by_graph().items():
                self._replace(graph, quads, item.path, item.sha256)

    def _holds_any(self, graphs: Sequence[str], meta: dict[str, tuple[str, str]]) -> bool:
        """Whether the store may already hold one of ``graphs`` (data or a
        record): such a file is stored only once every file has passed."""
        return True

    def _store_new(self, item: ScannedFile) -> None:
        """Store a file whose graphs the store does not hold yet."""
        self._store_replacements([item])

    def _drop_new(self, graphs: Sequence[str]) -> None:
        """Undo :meth:`_store_new` for ``graphs`` (and their records)."""
        for graph in graphs:
            self.update(f"DROP SILENT GRAPH {graph_term(graph)} ;\n"
                        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {graph_term(graph)} ?p ?o }} }}")

    # -- what each backend provides ---------------------------------------

    def _replace(self, graph: str, quads: list, source: Path, digest: str) -> None:
        raise NotImplementedError

    def _meta(self) -> dict[str, tuple[str, str]]:
        """``{graph: (source file, sha256)}`` as recorded in the store."""
        raise NotImplementedError

    def update(self, text: str) -> None:
        raise NotImplementedError

    def graph(self, *, scans: bool = False) -> ProjectGraph:
        """The stored data and ontology, ready to query (``scans``: the work
        reads most of the graph, which the memory store then loads into
        memory; the others ignore it)."""
        raise NotImplementedError

    def validation_graph(self) -> ProjectGraph:
        """A local copy of every stored data graph (not the ontology), with
        the files they came from, and the project's ontology read from its
        files: what validation checks."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the backend holds open."""


class StoredGraphs(Backend):
    """Shared logic of the backends that keep graphs between runs."""

    def _meta(self) -> dict[str, tuple[str, str]]:
        query = (f"SELECT ?g ?file ?hash WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{META}sourceFile> ?file ; "
                 f"<{META}sha256> ?hash }} }}")
        root = self.project.root
        return {row["g"].value: (str(root / row["file"].value) if not Path(row["file"].value).is_absolute()
                                 else row["file"].value, row["hash"].value) for row in self._select(query)}

    def _select(self, query: str):
        raise NotImplementedError

    def _lock_holders(self) -> list[tuple[str, str, str]]:
        return []

    def check(self) -> StoreCheck:
        """Everything that is not as a finished load leaves it: staging graphs
        of an interrupted load, a held lock, graphs without records, records
        without graphs, and files changed since they were loaded."""
        graphs = set(self._named_graphs())
        recorded = self._meta()
        ontology = self._ontology_graphs()
        found = StoreCheck()
        found.staging = sorted(g for g in graphs if g.startswith(STAGING_GRAPHS))
        found.locks = self._lock_holders()
        found.unrecorded = sorted(g for g in graphs if g not in recorded and not g.startswith(RESERVED_GRAPHS)
                                  and g not in ontology)
        found.missing = sorted(g for g in recorded if g not in graphs)
        stale = self.stale()
        found.stale = stale if stale else None
        return found

    def repair(self, *, break_lock: bool = False) -> StoreCheck:
        """Put right what :meth:`check` finds and can be put right without a
        load: drop staging graphs and records of graphs that are gone, and
        (``break_lock``) a load lock. Graphs without records are left (they may
        be someone's data); files that changed need ``load``. Returns what is
        left to do, with the number of things put right in ``repaired``."""
        found = self.check()
        for graph in found.staging:
            self.update(f"DROP SILENT GRAPH <{graph}>")
        for graph in found.missing:
            self.update(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> ?p ?o }} }}")
        broken = self._break_lock() if break_lock else 0
        left = self.check()
        left.repaired = len(found.staging) + len(found.missing) + broken
        return left

    def _break_lock(self) -> int:
        """Remove the load lock; how many live claims it held."""
        return 0

    def stale(self, paths: Sequence[str | Path] | None = None) -> "Staleness":
        """How the store differs from the files a :meth:`load` of ``paths``
        (default: ``data/`` and the ontology) would read: files changed since
        they were loaded, files never loaded, and recorded files that are gone."""
        recorded: dict[Path, set[str]] = {}
        for _, (file, digest) in self._meta().items():
            recorded.setdefault(Path(file).resolve(), set()).add(digest)
        try:
            files = self.files(paths)
        except InputError:
            files = []
        report = Staleness()
        for path in files:
            known = recorded.pop(path.resolve(), None)
            if known is None:
                report.new.append(path)
                continue
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                continue
            if known != {digest}:
                report.changed.append(path)
        report.removed = [p for p in recorded if not p.exists()]
        return report

    def _graph_quads(self, graph: str) -> list[ox.Quad]:
        raise NotImplementedError

    def _ontology_graphs(self) -> set[str]:
        return {graph_name_for(p, self.project.graph_root(p)) for p in self.project.ontology_files()}

    def _stored_graph(self, dataset: Dataset) -> ProjectGraph:
        """``dataset`` (over the store) as a project graph, its files from the records."""
        for graph, (file, _) in sorted(self._meta().items()):
            # no prefixes: they only serve line numbers, which validation_graph() provides
            dataset.add(SourceFile(Path(file), "stored", (graph,), 0), ())
        ontology = self._ontology_graphs()
        return ProjectGraph.of(self.project, dataset, lambda source: source.graphs[0] in ontology)

    def _named_graphs(self) -> list[str]:
        """Every named graph the store holds."""
        return [row["g"].value for row in self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
                if isinstance(row["g"], ox.NamedNode)]

    def validation_graph(self) -> ProjectGraph:
        """Every graph the store holds, but kgraph's own and the ontology's,
        whatever the records say (data could not write them, but a store may
        have been written by other tools too), with the project's ontology
        read from its files."""
        from ..rdf.load import load

        ontology = self._ontology_graphs()
        recorded = self._meta()
        dataset = Dataset()
        for graph in sorted(self._named_graphs()):
            if graph in ontology or graph.startswith(RESERVED_GRAPHS):
                continue
            quads = self._graph_quads(graph)
            file = recorded.get(graph, (None, None))[0]
            path = Path(file) if file else Path(f"<{graph}>")
            dataset.add(SourceFile(path, "stored", (graph,), len(quads), _prefixes(path) if file else {}), quads)
        data_graphs = dataset.graphs
        if self.project.ontology_files():
            load(self.project.ontology_files(), data_dir=self.project.graph_root, dataset=dataset)
        return ProjectGraph(self.project, dataset, data_graphs, dataset.graphs[len(data_graphs):])


@contextmanager
def interruptions_held():
    """Hold Ctrl-C and the time limit's alarm until the block ends, then act on
    them (only the main thread takes signals; elsewhere nothing is held)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {number: signal.signal(number, lambda signum, frame: held.append(signum))
                for number in (signal.SIGINT, signal.SIGALRM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(held):
            handler = previous[number]
            if callable(handler):
                handler(number, None)
            elif number == signal.SIGINT and handler == signal.default_int_handler:
                raise KeyboardInterrupt


def _reason(error: BaseException) -> str:
    return getattr(error, "message", None) or getattr(error, "strerror", None) or str(error) or type(error).__name__


def _prefixes(path: Path) -> dict[str, str]:
    """The prefixes of a source file that is still on disk (for line numbers)."""
    try:
        return dict(parse_file(path, allow_empty=True).prefixes)
    except (InputError, OSError):
        return {}
