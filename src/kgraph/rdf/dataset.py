"""The loaded graph: a pyoxigraph store plus the files it came from.

A :class:`Dataset` keeps, for every named graph, the file that filled it, so
that a report about a node can point at the file and line where that node is
described.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .lines import subject_line

__all__ = ["Dataset", "SourceFile", "Location", "graph_key", "graph_term"]


def graph_key(term: ox.NamedNode | ox.BlankNode) -> str:
    """A graph name as a string: the IRI, or ``_:label`` for a blank node (TriG allows both)."""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def graph_term(key: str) -> ox.NamedNode | ox.BlankNode:
    """The inverse of :func:`graph_key`."""
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)


@dataclass(frozen=True)
class SourceFile:
    """One file that was loaded, and the named graphs it filled."""

    path: Path
    format: str
    graphs: tuple[str, ...]
    triples: int
    prefixes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Location:
    """Where a node is described: a file and, when found, a 1-based line."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class Dataset:
    """RDF quads in a pyoxigraph store, with the files they came from.

    Build one with :func:`kgraph.rdf.load`; a project's is inside its
    :class:`~kgraph.project.ProjectGraph`.
    """

    def __init__(self, store: ox.Store | None = None) -> None:
        self.store = store if store is not None else ox.Store()
        self.files: list[SourceFile] = []
        self._graph_file: dict[str, SourceFile] = {}

    def add(self, source: SourceFile, quads: Iterable[ox.Quad]) -> None:
        """Store the quads parsed from ``source``."""
        self.store.extend(quads)
        self.register(source)

    def register(self, source: SourceFile) -> None:
        """Record a file whose graphs are already in the store."""
        self.files.append(source)
        for graph in source.graphs:
            self._graph_file[graph] = source

    def forget(self, graphs: Iterable[str]) -> None:
        """Drop ``graphs`` from the store and forget the files that filled them."""
        graphs = set(graphs)
        for graph in graphs:
            self.store.remove_graph(graph_term(graph))
            self._graph_file.pop(graph, None)
        self.files = [f for f in self.files if not graphs.intersection(f.graphs)]

    def __len__(self) -> int:
        return len(self.store)

    @property
    def graphs(self) -> list[str]:
        """Named graphs in load order."""
        return list(self._graph_file)

    def file_of_graph(self, graph: str) -> SourceFile | None:
        return self._graph_file.get(graph)

    def quads(self, graphs: Iterable[str] | None = None) -> Iterator[ox.Quad]:
        """Every quad, or only those in ``graphs``."""
        if graphs is None:
            yield from self.store.quads_for_pattern(None, None, None, None)
            return
        for graph in graphs:
            yield from self.store.quads_for_pattern(None, None, None, graph_term(graph))

    def query(self, sparql: str, *, allow_service: bool = False, **kwargs):
        """Run SPARQL over the union of all named graphs (pyoxigraph's
        ``Store.query``); a query that calls ``SERVICE`` is refused unless
        ``allow_service`` (see :mod:`kgraph.sparql.guard`)."""
        from ..sparql.guard import refuse_service

        refuse_service(sparql, allow=allow_service)
        kwargs.setdefault("use_default_graph_as_union", True)
        return self.store.query(sparql, **kwargs)

    # -- where is a node described? ---------------------------------------

    def locate(self, term: ox.NamedNode | ox.BlankNode | str) -> Location | None:
        """The file (and line, when it can be found) that describes ``term``.

        A node is described where it is the subject of a triple. A blank node
        is located through the node that refers to it.
        """
        node = ox.NamedNode(term) if isinstance(term, str) else term
        for _ in range(8):  # walk up at most a few blank-node levels
            if isinstance(node, ox.NamedNode):
                break
            parents = list(self.store.quads_for_pattern(None, None, node, None))
            if not parents:
                break
            node = parents[0].subject
        graphs = dict.fromkeys(
            graph_key(q.graph_name) for q in self.store.quads_for_pattern(node, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        )
        for graph in graphs:
            source = self._graph_file.get(graph)
            if source is None:
                continue
            line = None
            if isinstance(node, ox.NamedNode):
                line = subject_line(source.path, node.value, source.prefixes)
            return Location(source.path, line)
        return None
