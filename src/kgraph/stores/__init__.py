"""Where the graph lives: in memory (default), in an on-disk store, or in any
SPARQL 1.1 server. :func:`open_store` picks the backend from a spec: ``memory``,
a folder path, or an ``http(s)://`` query URL."""

from .._util.lazy import lazy_exports

__all__ = ["open_store", "Backend", "LoadReport", "MemoryBackend", "DiskBackend", "RemoteBackend"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "open_store": "open", "Backend": "base", "LoadReport": "base", "MemoryBackend": "memory",
    "DiskBackend": "disk", "RemoteBackend": "remote",
})
