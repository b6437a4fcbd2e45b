"""A kgraph project: its folders (:class:`Project`) and, loaded, its graph
(:class:`ProjectGraph`).

A project is a folder with ``ontology/kgraph.ttl`` and ``ontology/shapes.ttl``
(and usually ``data/`` and ``queries/``). :func:`find_project` looks for one
from a starting folder upwards; when none is found, the ontology, shapes and
queries that ship inside the installed package are used, with ``data/`` taken
from the starting folder.

:meth:`Project.load` reads the data and the ontology in one pass into one
store, and keeps which named graphs are data and which are the ontology, with
the file that filled each. Validation, queries, networks, statistics and
documentation all work on a :class:`ProjectGraph`; so do the stores, whose
:meth:`~kgraph.stores.Backend.graph` returns one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from .rdf.dataset import Dataset, Location, SourceFile

__all__ = ["Project", "ProjectGraph", "find_project", "load_project"]

_PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Project:
    """The folders and files of one kgraph project."""

    root: Path
    ontology_dir: Path
    queries_dir: Path
    data_dir: Path

    @property
    def ontology_file(self) -> Path:
        return self.ontology_dir / "kgraph.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    @property
    def checks_dir(self) -> Path:
        return self.queries_dir / "checks"

    @property
    def networks_dir(self) -> Path:
        return self.queries_dir / "networks"

    @property
    def registry_dir(self) -> Path:
        return self.data_dir / "registry"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    @property
    def articles_dir(self) -> Path:
        return self.data_dir / "articles"

    @property
    def drafts_dir(self) -> Path:
        """Where kgraph draft writes drafts: outside data/, so never read as data."""
        return self.root / "drafts"

    def ontology_files(self) -> list[Path]:
        """Every schema file: the ontology, without the shapes."""
        return sorted(p for p in self.ontology_dir.glob("*.ttl") if p != self.shapes_file)

    def graph_root(self, path: Path) -> Path:
        """The folder a file's graph name is taken relative to: the folder above
        ``ontology/`` for the ontology (``graph:ontology/kgraph``, wherever the
        ontology lives, in the project or in the installed package), ``data/``
        for everything else (a file outside ``data/`` gets its ``file:`` URI)."""
        resolved = Path(path).resolve()
        if resolved.parent == self.ontology_dir.resolve():
            return self.ontology_dir.parent
        return self.data_dir

    def with_registry(self, paths: Sequence[str | Path]) -> list[Path]:
        """``paths``, plus ``data/registry/`` when some path lies inside ``data/``
        (or ``drafts/``) and none covers the registry: articles refer to the
        actors, places, posts and issues described there."""
        paths = [Path(p) for p in paths]
        registry = self.registry_dir.resolve()
        if not self.registry_dir.is_dir():
            return paths
        data_dir = self.data_dir.resolve()
        resolved = [p.resolve() for p in paths]
        drafts = self.drafts_dir.resolve()
        inside = any(p == data_dir or data_dir in p.parents or drafts in p.parents for p in resolved)
        covered = any(p == registry or p in registry.parents for p in resolved)
        return paths + [self.registry_dir] if inside and not covered else paths

    def load(
        self,
        paths: Sequence[str | Path] | None = None,
        *,
        allow_empty: bool = False,
        with_registry: bool = False,
        cache: bool | str = False,
    ) -> "ProjectGraph":
        """Load ``paths`` (default: ``data/``) and the ontology, in one pass.

        Parameters
        ----------
        paths
            Data files and folders; by default the project's ``data/``.
        allow_empty
            Accept files that hold no triple.
        with_registry
            Add ``data/registry/`` when a path lies inside ``data/`` (see
            :meth:`with_registry`).
        cache
            For the default load (all of ``data/``): use the project cache
            (:mod:`kgraph.stores.cache`), parsing only the files that changed
            since it was written. ``"memory"`` loads the files into memory
            without parsing them twice (fast queries and scans); ``"disk"``
            opens the cache's on-disk store (nothing loaded, little memory,
            slower queries); ``True`` or ``"auto"``: memory up to
            :data:`~kgraph.stores.cache.MEMORY_LIMIT` triples, else disk.
            It is left alone when it cannot be used now (another command is
            updating it) or ``KGRAPH_CACHE=off``.

        Raises
        ------
        InputError
            A file cannot be found, read or parsed (see :func:`kgraph.rdf.load`);
            nothing is kept.

        Examples
        --------
        >>> graph = find_project().load()
        >>> len(graph.data_graphs), len(graph.ontology_graphs)
        (5, 2)
        """
        from .rdf.load import load
        from .rdf.parse import collect_files

        if cache and self._default_paths(paths):
            from .stores.cache import cache_enabled, ProjectCache

            if cache_enabled():
                in_memory = {"memory": True, "disk": False}.get(cache) if isinstance(cache, str) else None
                graph = ProjectCache(self).graph(allow_empty=allow_empty, in_memory=in_memory)
                if graph is not None:
                    return graph
        paths = list(paths) if paths else [self.data_dir]
        if with_registry:
            paths = self.with_registry(paths)
        data_files = collect_files(paths)
        given = {p.resolve() for p in data_files}
        ontology = [p for p in self.ontology_files() if p.resolve() not in given]
        dataset = load(data_files + ontology, data_dir=self.graph_root, allow_empty=allow_empty)
        roles = {p.resolve() for p in ontology}
        return ProjectGraph.of(self, dataset, lambda source: source.path.resolve() in roles)

    def _default_paths(self, paths) -> bool:
        """Whether ``paths`` are the default load's: none, or ``data/`` itself."""
        if not paths:
            return True
        return [Path(p).resolve() for p in paths] == [self.data_dir.resolve()]

    def load_registry(self) -> "ProjectGraph":
        """The registry (``data/registry/``, where every actor, place, post and
        issue is described) and the ontology, without the articles: what a
        name lookup needs, however large the corpus."""
        if not self.registry_dir.is_dir():
            return self.load_ontology()
        return self.load([self.registry_dir], allow_empty=True)

    def load_ontology(self) -> "ProjectGraph":
        """The ontology alone, as a project graph without data."""
        from .rdf.load import load

        dataset = load(self.ontology_files(), data_dir=self.graph_root)
        return ProjectGraph(self, dataset, (), dataset.graphs)


class ProjectGraph:
    """A project's data and ontology, loaded: one store, its named graphs kept
    apart by role, each with the file that filled it.

    Queries (:meth:`query`) see the union of every graph, data and ontology,
    as the saved queries and checks expect. Build one with
    :meth:`Project.load`, :func:`load_project` or a store's ``graph()``.
    """

    #: The project cache whose on-disk store this graph reads (it holds the
    #: cache's shared lock while the graph lives), or None.
    cache = None

    def __init__(self, project: Project, dataset: "Dataset", data_graphs: Iterable[str],
                 ontology_graphs: Iterable[str]) -> None:
        self.project = project
        self.dataset = dataset
        self.data_graphs: tuple[str, ...] = tuple(data_graphs)
        self.ontology_graphs: tuple[str, ...] = tuple(ontology_graphs)

    @classmethod
    def of(cls, project: Project, dataset: "Dataset", is_ontology) -> "ProjectGraph":
        """Split ``dataset``'s graphs by ``is_ontology(source_file)``."""
        data, ontology = [], []
        for source in dataset.files:
            (ontology if is_ontology(source) else data).extend(source.graphs)
        return cls(project, dataset, data, ontology)

    def __repr__(self) -> str:
        return f"<ProjectGraph {self.project.root}: {len(self.data_graphs)} data graphs, " \
               f"{len(self.ontology_graphs)} ontology graphs>"

    # -- what it holds ----------------------------------------------------

    @property
    def data_files(self) -> list["SourceFile"]:
        """The files that filled the data graphs, in load order."""
        return self._files(self.data_graphs)

    @property
    def ontology_files(self) -> list["SourceFile"]:
        return self._files(self.ontology_graphs)

    def _files(self, graphs: Sequence[str]) -> list["SourceFile"]:
        wanted = set(graphs)
        return [f for f in self.dataset.files if wanted.intersection(f.graphs)]

    @property
    def graphs(self) -> list[str]:
        """Every named graph, data and ontology, in load order."""
        return self.dataset.graphs

    def file_of_graph(self, graph: str) -> "SourceFile | None":
        return self.dataset.file_of_graph(graph)

    @cached_property
    def data_triples(self) -> int:
        """How many triples the data graphs hold (the ontology's left out)."""
        ontology = sum(sum(1 for _ in self.dataset.quads([g])) for g in self.ontology_graphs)
        return len(self.dataset) - ontology

    def __len__(self) -> int:
        return len(self.dataset)

    def quads(self, graphs: Iterable[str] | None = None) -> Iterator["ox.Quad"]:
        """Every quad (data and ontology), or only those in ``graphs``."""
        return self.dataset.quads(graphs)

    def data_quads(self) -> Iterator["ox.Quad"]:
        return self.dataset.quads(self.data_graphs)

    def query(self, sparql: str, **kwargs):
        """Run SPARQL over the union of every graph (pyoxigraph's ``Store.query``);
        ``SERVICE`` is refused unless ``allow_service=True``."""
        return self.dataset.query(sparql, **kwargs)

    def locate(self, term) -> "Location | None":
        """The file (and line) where ``term`` is described."""
        return self.dataset.locate(term)


def _is_project(folder: Path) -> bool:
    return (folder / "ontology" / "kgraph.ttl").is_file() and (folder / "ontology" / "shapes.ttl").is_file()


def find_project(start: str | Path | None = None) -> Project:
    """Find the project that ``start`` (default: ``$KGRAPH_PROJECT`` or the
    current folder) lies in.

    Examples
    --------
    >>> project = find_project()
    >>> project.shapes_file.name
    'shapes.ttl'
    """
    if start is None:
        start = os.environ.get("KGRAPH_PROJECT") or Path.cwd()
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return Project(folder, folder / "ontology", folder / "queries", folder / "data")
    # Not inside a project: use what ships with the package.
    for resources in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parents[1]):
        if _is_project(resources):
            return Project(here, resources / "ontology", resources / "queries", here / "data")
    return Project(here, here / "ontology", here / "queries", here / "data")


def load_project(paths: Sequence[str | Path] | None = None, project: Project | None = None,
                 **options) -> ProjectGraph:
    """Load a project's data (or ``paths``) and ontology: :meth:`Project.load`
    on ``project`` (default: :func:`find_project`).

    >>> graph = load_project()
    >>> graph.data_triples > 500
    True
    """
    return (project or find_project()).load(paths, **options)
