"""Loading files into a :class:`~kgraph.rdf.dataset.Dataset`, each into its
own named graph, all or nothing.

A file is parsed completely (strictly, see :mod:`kgraph.rdf.parse`) before
anything from it is stored, and a failure or an interruption drops every
graph the load added, so the dataset is left as it was.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path


from ..errors import GraphConflictError, InputError
from .dataset import Dataset, SourceFile, graph_term
from .fits import check_fits
from .parse import FORMATS, ScannedFile, collect_files, refuse_reserved, scan_file, streams, target_of

__all__ = ["load", "scanning", "scanned"]


#: How many files the scanning thread may read ahead of the engine.
_LOOKAHEAD = 16


def scanning(
    files: Sequence[Path],
    *,
    data_dir: Path | Callable[[Path], Path | None] | None = None,
    allow_empty: bool = False,
) -> Iterator[tuple[Path, Callable[[], ScannedFile]]]:
    """Scan ``files`` in a worker thread running a few files ahead; yield each
    file with a function that waits for its scan (and raises its error).

    The engine's own ``Store.load`` releases the GIL, so while the caller
    stores one file, the strict parse of the next (or of the same file, when
    it streams) runs on another core. ``data_dir`` may be a function giving
    each file's folder (see :func:`~kgraph.rdf.parse.graph_name_for`).
    """
    def scan(path: Path) -> ScannedFile:
        folder = data_dir(path) if callable(data_dir) else data_dir
        return scan_file(path, data_dir=folder, allow_empty=allow_empty)

    if len(files) < 2 and not any(streams(p) for p in files):
        for path in files:
            yield path, (lambda path=path: scan(path))
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kgraph-scan")
    pending: deque = deque()
    queue = iter(files)
    try:
        for path in islice(queue, _LOOKAHEAD):
            pending.append((path, pool.submit(scan, path)))
        while pending:
            path, future = pending.popleft()
            for more in islice(queue, 1):
                pending.append((more, pool.submit(scan, more)))
            yield path, future.result
    finally:
        # All futures are done when the loop ends normally; when it is cut short
        # (an error, Ctrl-C, a time limit) the caller's rollback must not wait
        # for a scan still running: it finishes on its own, reading only.
        pool.shutdown(wait=False, cancel_futures=True)


def scanned(files: Sequence[Path], **options) -> Iterator[ScannedFile]:
    """The scans of :func:`scanning`, in order."""
    for _, result in scanning(files, **options):
        yield result()


def load(
    paths: Sequence[str | Path],
    *,
    data_dir: Path | Callable[[Path], Path | None] | None = None,
    allow_empty: bool = False,
    dataset: Dataset | None = None,
) -> Dataset:
    """Load RDF files into a :class:`~kgraph.rdf.dataset.Dataset`, each file
    into its own named graph.

    ``data_dir`` is the folder graph names are taken relative to (see
    :func:`~kgraph.rdf.parse.graph_name_for`), or a function giving it for
    each file.

    Nothing is kept unless every file is valid: if one fails (or the load is
    interrupted), the error is raised and ``dataset`` (when given) is left
    exactly as it was.

    Raises
    ------
    InputError
        See :func:`collect_files` and :func:`parse_file`.
    GraphConflictError
        Two files fill the same named graph.
    """
    files = collect_files(paths)
    check_fits(files)  # running out of memory inside the engine aborts the process
    target = dataset if dataset is not None else Dataset()
    owners = {g: f.path for f in target.files for g in f.graphs}
    stored: list[str] = []  # graphs stored by this call

    def claim(graphs: Sequence[str], path: Path) -> None:
        for graph in graphs:
            if graph in owners or target.store.contains_named_graph(graph_term(graph)):
                raise GraphConflictError(
                    f"graph <{graph}> is already filled by {owners.get(graph, 'data already in the store')}; "
                    "each file must have a graph of its own",
                    path,
                )
            owners[graph] = path

    try:
        for path, result in scanning(files, data_dir=data_dir, allow_empty=allow_empty):
            if streams(path):
                # A large Turtle/N-Triples file fills one graph known in advance:
                # the engine loads it while the worker's strict parse checks it.
                graph, base_iri = target_of(path, data_dir(path) if callable(data_dir) else data_dir)
                refuse_reserved(path, (graph.value,))
                claim((graph.value,), path)
                stored.append(graph.value)
                try:
                    target.store.load(path=str(path), format=FORMATS[path.suffix.lower()],
                                      to_graph=graph, base_iri=base_iri)
                except (SyntaxError, ValueError, MemoryError, OSError) as exc:
                    result()  # the strict parse's error says it better
                    raise InputError(f"cannot be loaded: {exc}", path) from None
                item = result()
            else:
                # Other files are checked first: RDF/XML for entities before the
                # engine expands them, dataset formats for the graphs they declare.
                item = result()
                if item.blank_graphs:
                    item.settle_blank_graphs()
                claim(item.graphs, item.path)
                stored.extend(item.graphs)
                item.load_into(target.store)
            target.register(SourceFile(item.path, item.format.name, item.graphs, item.triples, item.prefixes))
    except BaseException:
        # every graph stored here was new (conflicts are refused): dropping
        # them restores the dataset as it was
        target.forget(stored)
        raise
    return target
