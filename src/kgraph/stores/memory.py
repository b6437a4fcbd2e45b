"""The default store: nothing persists, the files are read on each run."""

from __future__ import annotations

from ..project import ProjectGraph
from .base import Backend

__all__ = ["MemoryBackend"]


class MemoryBackend(Backend):
    """The default: everything is read from the files on each run."""

    name = "memory"
    persistent = False

    def graph(self) -> ProjectGraph:
        return self.project.load()

    def _meta(self) -> dict[str, tuple[str, str]]:
        return {}

    def _holds_any(self, graphs, meta) -> bool:
        return False

    def _store_new(self, item) -> None:
        pass  # nothing persists: loading only checks that the files parse

    def _drop_new(self, graphs) -> None:
        pass

    def validation_graph(self) -> ProjectGraph:
        return self.project.load()
