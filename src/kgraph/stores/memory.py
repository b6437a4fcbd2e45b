"""The default store: nothing persists, the files are read on each run."""

from __future__ import annotations

from ..project import ProjectGraph
from .base import Backend

__all__ = ["MemoryBackend"]


class MemoryBackend(Backend):
    """The default: everything is read from the files on each run."""

    name = "memory"
    persistent = False

    def __init__(self, project, *, cache: bool = False) -> None:
        super().__init__(project)
        #: Read the files through the project cache (see :mod:`kgraph.stores.cache`).
        self.cache = cache

    def graph(self, *, scans: bool = False) -> ProjectGraph:
        """The project's graph, through the cache when it is on: loaded into
        memory without a second parse, or (a query on a corpus above the
        cache's memory limit) its on-disk store; ``scans``: the work reads
        most of the graph, so it is always loaded into memory."""
        if not self.cache:
            return self.project.load()
        from .cache import cache_mode

        return self.project.load(cache=cache_mode(scans))

    def _meta(self) -> dict[str, tuple[str, str]]:
        return {}

    def _holds_any(self, graphs, meta) -> bool:
        return False

    def _store_new(self, item) -> None:
        pass  # nothing persists: loading only checks that the files parse

    def _drop_new(self, graphs) -> None:
        pass

    def validation_graph(self) -> ProjectGraph:
        return self.graph(scans=True)
