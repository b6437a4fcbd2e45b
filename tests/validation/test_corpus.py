"""The synthetic benchmark corpus: validation reports exactly the mistakes the
generator planted, on every validation path."""

from __future__ import annotations

import json
import shutil

import pytest

from benchmarks.generate import generate
from kgraph.project import find_project
from kgraph.stores.disk import DiskBackend
from kgraph.validation.run import check, validate

from conftest import ROOT


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    stats = generate(root, 10_000, seed=3, violation_every=4)
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    planted = {(p["focus"], p["source"]) for p in json.loads((root / "planted.json").read_text())}
    assert stats["triples"] >= 10_000 and len(planted) >= 10
    return find_project(root), planted


def _found(report) -> set:
    return {(v.focus.strip("<>"), v.source.strip("<>").rsplit("#", 1)[-1].removeprefix("check:")) for v in report.violations}


@pytest.mark.parametrize("engine", ["shacl", "pyshacl"])
def test_planted_mistakes_are_exactly_what_validation_reports(corpus, engine):
    project, planted = corpus
    report = validate(project=project, engine=engine)
    assert _found(report) == planted
    assert {v.severity for v in report.violations} == {"violation"}
    assert all(v.file and v.line for v in report.violations)


def test_the_same_through_an_on_disk_store(corpus, tmp_path):
    project, planted = corpus
    backend = DiskBackend(project, tmp_path / "store")
    backend.load()
    assert _found(check(backend.validation_graph())) == planted
    backend.close()
