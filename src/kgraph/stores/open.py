"""Choosing a store from its spec."""

from __future__ import annotations

import os

from ..project import Project, find_project
from .base import Backend

__all__ = ["open_store"]


def open_store(spec: str | None = None, project: Project | None = None, timeout: float | None = None,
               lock_wait: float | None = None, *, cache: bool = False) -> Backend:
    """The store named by ``spec``: ``None`` or ``"memory"`` (read the files
    on each run; the default, also from ``$KGRAPH_STORE``), a folder (an
    on-disk pyoxigraph store), or an ``http(s)://`` SPARQL query URL
    (``timeout`` and ``lock_wait``, in seconds, apply to a server only).
    ``cache``: the memory store reads the files through the project cache
    (:mod:`kgraph.stores.cache`), as the command line does.

    Examples
    --------
    >>> store = open_store("memory")
    >>> store.name, store.persistent
    ('memory', False)
    >>> len(store.graph().data_graphs)
    5
    """
    project = project or find_project()
    spec = spec or os.environ.get("KGRAPH_STORE") or "memory"
    if spec == "memory":
        from .memory import MemoryBackend

        return MemoryBackend(project, cache=cache)
    if spec.startswith(("http://", "https://")):  # user:password@ in the URL is taken out of it
        from .remote import RemoteBackend

        return RemoteBackend(project, spec, timeout=timeout, lock_wait=lock_wait)
    from .disk import DiskBackend

    return DiskBackend(project, spec)
