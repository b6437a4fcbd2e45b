"""A persistent pyoxigraph (RocksDB) store in a folder.

Every replacement of stored graphs is one transaction: a ``kill -9`` midway
leaves the old graphs or the new ones, never a mix.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..project import Project, ProjectGraph
from ..rdf.dataset import Dataset
from ..rdf.parse import ScannedFile
from ..rdf.dataset import graph_term
from .base import StoredGraphs, meta_update, serialize_block

__all__ = ["DiskBackend"]


#: RocksDB lets a process hold one handle per store folder: share it.
_OPEN: dict[Path, ox.Store] = {}


class DiskBackend(StoredGraphs):
    """A persistent pyoxigraph store in a folder."""

    name = "disk"
    atomic_replacements = True

    def __init__(self, project: Project, path: str | Path) -> None:
        super().__init__(project)
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError("is a file, not a store folder", self.path)
        key = self.path.resolve()
        if key not in _OPEN:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _OPEN[key] = ox.Store(str(self.path))
            except OSError as exc:
                raise StoreError(f"cannot open the store: {exc}", self.path) from None
        self.store = _OPEN[key]

    def close(self) -> None:
        """Release the store (other processes may then open it)."""
        _OPEN.pop(self.path.resolve(), None)
        self.store = None

    def _select(self, query: str):
        return self.store.query(query)

    def update(self, text: str) -> None:
        self.store.update(text)

    def _holds_any(self, graphs: Sequence[str], meta: dict[str, tuple[str, str]]) -> bool:
        return any(g in meta or self.store.contains_named_graph(graph_term(g)) for g in graphs)

    def _store_new(self, item: ScannedFile) -> None:
        # The engine's load is one transaction: the file's graphs are stored
        # whole or not at all. A crash before the record below leaves whole
        # graphs without a record, which the next load replaces.
        item.load_into(self.store)
        self.store.update(" ;\n".join(meta_update(g, item.path, item.sha256, self.project.root) for g in item.graphs))

    def _store_replacements(self, replacements: list[ScannedFile]) -> None:
        # one update request is one transaction: every replaced graph is old or
        # every one is new, whatever stops the load
        parts = [
            f"DROP SILENT GRAPH {graph_term(graph)} ;\n"
            f"INSERT DATA {{ GRAPH {graph_term(graph)} {{\n{serialize_block(quads)}\n}} }} ;\n"
            + meta_update(graph, item.path, item.sha256, self.project.root)
            for item in replacements
            for graph, quads in item.quads_by_graph().items()
        ]
        if parts:
            self.store.update(" ;\n".join(parts))

    def _graph_quads(self, graph: str) -> list[ox.Quad]:
        return list(self.store.quads_for_pattern(None, None, None, graph_term(graph)))

    def graph(self, *, scans: bool = False) -> ProjectGraph:
        return self._stored_graph(Dataset(self.store))
