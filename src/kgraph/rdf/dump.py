"""Dumping a loaded graph as RDF, for Gephi's Semantic Web Importer and other RDF tools."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .._util.atomic import write_bytes_atomic
from ..errors import OutputError
from ..namespaces import PREFIXES

__all__ = ["dump", "DUMP_FORMATS"]

#: Extensions and formats: TriG and N-Quads keep one named graph per file
#: loaded; Turtle and N-Triples merge them.
DUMP_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}


def dump(graph, path: str | Path) -> int:
    """Write every quad of ``graph`` (a :class:`~kgraph.project.ProjectGraph`
    or a :class:`~kgraph.rdf.dataset.Dataset`) to ``path`` atomically, in the
    format its extension names; return how many quads (or triples) were written.

    Raises
    ------
    OutputError
        The extension is not one of :data:`DUMP_FORMATS`, or the folder does not exist.

    Examples
    --------
    >>> import kgraph, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> dump(kgraph.load_project(), folder / "kgraph.nq") > 1000
    True
    """
    path = Path(path)
    fmt = DUMP_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OutputError(f"cannot dump RDF as '{path.suffix}': use {', '.join(DUMP_FORMATS)}", path)
    if not path.parent.is_dir():
        raise OutputError("folder does not exist", path.parent)
    quads = list(graph.quads())
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        items = quads
    else:
        items = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE) else None
    write_bytes_atomic(path, ox.serialize(items, format=fmt, prefixes=prefixes))
    return len(items)
