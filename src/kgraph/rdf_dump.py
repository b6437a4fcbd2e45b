"""Dumping the loaded graph as RDF, for Gephi's Semantic Web Importer and other RDF tools."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .atomic import write_bytes_atomic
from .dataset import Dataset
from .errors import InputError
from .namespaces import PREFIXES

__all__ = ["dump_rdf", "RDF_DUMP_FORMATS"]

#: Extensions and formats: TriG and N-Quads keep one named graph per file
#: loaded; Turtle and N-Triples merge them.
RDF_DUMP_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}


def dump_rdf(dataset: Dataset, path: str | Path) -> int:
    """Write every quad of ``dataset`` to ``path`` atomically; return how many."""
    path = Path(path)
    fmt = RDF_DUMP_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot dump RDF as '{path.suffix}': use {', '.join(RDF_DUMP_FORMATS)}", path)
    if not path.parent.is_dir():
        raise InputError("folder does not exist", path.parent)
    quads = list(dataset.quads())
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        items = quads
    else:
        items = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE) else None
    write_bytes_atomic(path, ox.serialize(items, format=fmt, prefixes=prefixes))
    return len(items)
