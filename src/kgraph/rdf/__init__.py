"""RDF in and out: strict parsing, loading into named graphs, the dataset
that remembers which file filled which graph, conversion to rdflib, dumps,
and the memory check that runs before a load. The loader is
:func:`kgraph.load` (module :mod:`.load`), the dump :func:`kgraph.dump`."""

from .._util.lazy import lazy_exports

__all__ = [
    "FORMATS", "collect_files", "graph_name_for", "parse_file", "scan_file",
    "Dataset", "SourceFile", "Location", "DUMP_FORMATS",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "FORMATS": "parse", "collect_files": "parse", "graph_name_for": "parse", "parse_file": "parse",
    "scan_file": "parse", "Dataset": "dataset", "SourceFile": "dataset",
    "Location": "dataset", "DUMP_FORMATS": "dump",
})
