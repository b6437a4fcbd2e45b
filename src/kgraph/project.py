"""Where a kgraph project keeps its ontology, shapes, data and queries.

A project is a folder with ``ontology/kgraph.ttl`` and ``ontology/shapes.ttl``
(and usually ``data/`` and ``queries/``). :func:`find_project` looks for one
from a starting folder upwards; when none is found, the ontology, shapes and
queries that ship inside the installed package are used, with ``data/`` taken
from the starting folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Project", "find_project"]

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
    def registry_dir(self) -> Path:
        return self.data_dir / "registry"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    def ontology_files(self) -> list[Path]:
        """Every schema file: the ontology, without the shapes."""
        return sorted(p for p in self.ontology_dir.glob("*.ttl") if p != self.shapes_file)


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
