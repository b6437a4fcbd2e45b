"""Shared fixtures. Paths are anchored on this file, never on the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.project import Project, find_project

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"

# Turtle prefixes for hand-written test data.
PREFIXES = """\
@prefix kg:     <https://w3id.org/kgraph/ontology#> .
@prefix actor:  <https://w3id.org/kgraph/actor/> .
@prefix post:   <https://w3id.org/kgraph/post/> .
@prefix place:  <https://w3id.org/kgraph/place/> .
@prefix issue:  <https://w3id.org/kgraph/issue/> .
@prefix event:  <https://w3id.org/kgraph/event/> .
@prefix stmt:   <https://w3id.org/kgraph/statement/> .
@prefix stance: <https://w3id.org/kgraph/stance/> .
@prefix claim:  <https://w3id.org/kgraph/claim/> .
@prefix part:   <https://w3id.org/kgraph/participation/> .
@prefix tenure: <https://w3id.org/kgraph/tenure/> .
@prefix src:    <https://w3id.org/kgraph/source/> .
@prefix x:      <https://w3id.org/kgraph/excerpt/test/> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix oa:     <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def registry_only(root: Path) -> Path:
    """A copy of the project at ``root`` without its articles: the real
    ontology, checks and registries."""
    import shutil

    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copytree(ROOT / "data" / "registry", root / "data" / "registry")
    return root


@pytest.fixture(scope="session")
def project() -> Project:
    """The repository's own project: its ontology, shapes, checks and data."""
    return find_project(ROOT)


@pytest.fixture(scope="session")
def world_project(tmp_path_factory) -> Project:
    """A project whose data/sources/ holds the text of tests/data/world.ttl's
    article, with the repository's ontology, shapes and checks."""
    import shutil

    root = tmp_path_factory.mktemp("world-project")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries")
    (root / "data" / "sources").mkdir(parents=True)
    shutil.copy(TEST_DATA / "world-sources" / "article.txt", root / "data" / "sources" / "article.txt")
    return find_project(root)


@pytest.fixture
def run():
    """Run the kgraph command line in-process; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--project", str(ROOT), *map(str, args)], catch_exceptions=False)

    return invoke


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path and return its path (text, or bytes as given)."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
