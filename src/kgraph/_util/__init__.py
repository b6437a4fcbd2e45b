"""Small helpers with no knowledge of RDF: atomic writes, time limits, the
garbage collector, lazy exports. Not part of the public API."""

__all__: list[str] = []
