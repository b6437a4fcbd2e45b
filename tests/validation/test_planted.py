"""The synthetic corpus's planted mistakes are exactly what validation
reports, on every validation path: the default engine, pySHACL, single files
with their registry, --changed-since, and a dataset read back from the
on-disk store."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import MISTAKES, generate
from kgraph.project import find_project
from kgraph.stores.disk import DiskBackend
from kgraph.validation.run import check, validate

from conftest import ROOT

SLUG = re.compile(r"article-\d{5}")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@localhost", *args],
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    # one mistake every 4th article, so that every kind of mistake is planted at 10k triples
    generate(root, 10_000, violation_every=4)
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "corpus")
    return root


@pytest.fixture(scope="module")
def planted(corpus) -> set[tuple[str, str]]:
    return {(p["focus"], p["source"]) for p in json.loads((corpus / "planted.json").read_text())}


def found(report) -> set[tuple[str, str]]:
    return {(v.focus.strip("<>"), v.source.strip("<>").rsplit("#", 1)[-1].removeprefix("check:"))
            for v in report.violations}


def in_articles(pairs, slugs) -> set[tuple[str, str]]:
    return {pair for pair in pairs if SLUG.search(pair[0]).group(0) in slugs}


def test_every_kind_of_mistake_is_planted(planted):
    assert {source for _, source in planted} >= set(MISTAKES)
    assert len(planted) >= 10


@pytest.mark.parametrize("engine", ["shacl", "pyshacl"])
def test_full_validation_reports_exactly_the_planted_mistakes(corpus, planted, engine):
    report = validate(project=find_project(corpus), engine=engine)
    assert found(report) == planted
    assert not report.conforms


def test_single_files_with_their_registry_report_their_own_mistakes(corpus, planted):
    project = find_project(corpus)
    slugs = sorted({SLUG.search(focus).group(0) for focus, _ in planted})
    for slug in slugs[:3] + ["article-00000"]:  # article 0 carries no mistake
        report = validate([corpus / "data" / "articles" / f"{slug}.trig"], project=project)
        assert found(report) == in_articles(planted, {slug}), slug


def test_changed_since_reports_the_mistakes_of_the_changed_articles(corpus, planted):
    project = find_project(corpus)
    slugs = sorted({SLUG.search(focus).group(0) for focus, _ in planted})
    changed = slugs[::2] + ["article-00001"]
    files = [corpus / "data" / "articles" / f"{slug}.trig" for slug in changed]
    originals = [f.read_bytes() for f in files]
    try:
        for path in files:
            path.write_bytes(path.read_bytes() + b"\n# touched\n")
        assert found(validate(changed_since="HEAD", project=project)) == in_articles(planted, set(changed))
        assert found(validate(changed_since="HEAD", project=project, engine="pyshacl")) == in_articles(planted, set(changed))
    finally:
        for path, data in zip(files, originals):
            path.write_bytes(data)
    # nothing changed: nothing to report
    assert found(validate(changed_since="HEAD", project=project)) == set()


def test_the_on_disk_store_reports_the_planted_mistakes(corpus, planted, tmp_path):
    project = find_project(corpus)
    backend = DiskBackend(project, tmp_path / "store")
    backend.load()
    try:
        assert found(check(backend.validation_graph())) == planted
    finally:
        backend.close()


def test_the_command_line_reports_them_as_json(corpus, planted):
    done = subprocess.run([sys.executable, "-m", "kgraph.cli", "validate", "--format", "json"], cwd=corpus,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    results = json.loads(done.stdout)["violations"]
    reported = {(r["focus"].strip("<>"), r["source"].strip("<>").rsplit("#", 1)[-1].removeprefix("check:"))
                for r in results if r["severity"] == "violation"}
    assert reported == planted
