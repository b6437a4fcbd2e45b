"""The W3C SHACL core test suite through kgraph's validation path: both
engines report the same results on all 98 validate tests, and those are the
results the suite expects.

The suite ships inside pySHACL's source distribution on PyPI
(``test/resources/sht_tests``); the tests take it from there, with pip, for
the pySHACL version installed (``$KGRAPH_SHACL_SUITE`` may point at an
unpacked copy instead). They skip, saying why, only if it cannot be had.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from decimal import Decimal, InvalidOperation
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph.project import ProjectGraph, find_project
from kgraph.rdf.load import load
from kgraph.rdf.parse import parse_file
from kgraph.validation.shacl import run_shacl

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _suite() -> Path:
    given = os.environ.get("KGRAPH_SHACL_SUITE")
    if given:
        return Path(given)
    release = version("pyshacl")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kgraph" / f"pyshacl-{release}-sht"
    suite = cache / f"pyshacl-{release}" / "test" / "resources" / "sht_tests"
    if suite.is_dir():
        return suite
    cache.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "pip", "download", f"pyshacl=={release}", "--no-binary", ":all:",
                           "--no-deps", "-q", "-d", str(cache)], capture_output=True, text=True, timeout=300)
    archives = sorted(cache.glob("pyshacl-*.tar.gz"))
    if done.returncode != 0 or not archives:
        pytest.skip(f"the W3C SHACL suite (pySHACL {release}'s source distribution) cannot be downloaded: "
                    f"{(done.stderr or done.stdout).strip()[-300:]}")
    with tarfile.open(archives[0]) as archive:
        members = [m for m in archive.getmembers() if "/test/resources/sht_tests/" in m.name and m.isfile()]
        archive.extractall(cache, members=members, filter="data")
    return suite


def _manifests(path: Path):
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    yield store
    for quad in store.quads_for_pattern(None, ox.NamedNode(MF + "include"), None):
        yield from _manifests(Path(quad.object.value.removeprefix("file://")))


def _one(store, subject, predicate):
    return next((q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)), None)


def _items(store, head):
    while head != ox.NamedNode(RDF + "nil"):
        yield _one(store, head, RDF + "first")
        head = _one(store, head, RDF + "rest")


def _term(text: str | None) -> str:
    """A result's node, comparable across engines: blank nodes as one marker,
    numbers by value ("4.0" and "4" are the same decimal)."""
    if text is None or text.startswith("_:"):
        return "_"
    if text.startswith('"') and "^^" in text:
        lexical = text[1:text.rindex('"')]
        try:
            return f"number:{Decimal(lexical).normalize()}"
        except InvalidOperation:
            return text
    return text


def _tests():
    suite = _suite()
    found = []
    for store in _manifests(suite / "core" / "manifest.ttl"):
        for entries in store.quads_for_pattern(None, ox.NamedNode(MF + "entries"), None):
            for entry in _items(store, entries.object):
                if _one(store, entry, RDF + "type") != ox.NamedNode(SHT + "Validate"):
                    continue
                action, result = _one(store, entry, MF + "action"), _one(store, entry, MF + "result")
                expected = set()
                for quad in store.quads_for_pattern(result, ox.NamedNode(SH + "result"), None):
                    focus = _one(store, quad.object, SH + "focusNode")
                    component = _one(store, quad.object, SH + "sourceConstraintComponent")
                    expected.add((_term(str(focus)), component.value.removeprefix(SH)))
                found.append((entry.value.rsplit("/", 1)[-1],
                              Path(_one(store, action, SHT + "dataGraph").value.removeprefix("file://")),
                              Path(_one(store, action, SHT + "shapesGraph").value.removeprefix("file://")),
                              expected))
    return found


@pytest.fixture(scope="module")
def cases():
    return _tests()


def _report(engine: str, data: Path, shapes: Path) -> set:
    dataset = load([data])
    graph = ProjectGraph(find_project(), dataset, dataset.graphs, ())
    outcome = run_shacl(graph, parse_file(shapes).quads, engine)
    return {(_term(v.focus), (v.component or "").removeprefix(SH)) for v in outcome.violations}


def test_both_engines_give_the_suites_results_on_all_98_validate_tests(cases):
    assert len(cases) == 98
    disagree, unexpected = [], []
    for name, data, shapes, expected in cases:
        fast, reference = _report("shacl", data, shapes), _report("pyshacl", data, shapes)
        if fast != reference:
            disagree.append((name, sorted(fast ^ reference)))
        if fast != expected:
            unexpected.append((name, sorted(fast ^ expected)))
    assert disagree == [], disagree
    assert unexpected == [], unexpected
