"""Excerpts with Web Annotation text positions (oa:start, oa:end in code
points): the text between them must be the excerpt's words."""

from __future__ import annotations

import shutil

import pytest

from kgraph.project import find_project
from kgraph.validation.run import validate

from conftest import ROOT

ARTICLE = "data/articles/baku-stepanakert-contacts-opinion.trig"
TEXT = "data/sources/baku-stepanakert-contacts-opinion.txt"
EXACT = ("It is reported from NK that on March 1, issues relating to “not the political status of Artsakh, "
         "but exclusively of a humanitarian nature” were discussed.")


@pytest.fixture
def project(tmp_path):
    for part in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def _positions(root, positions: str):
    article = root / ARTICLE
    text = article.read_text(encoding="utf-8")
    old = f'    oa:exact "{EXACT}" .'
    assert text.count(old) == 1
    article.write_text(text.replace(old, f'    oa:exact "{EXACT}" ;\n    {positions} .'), encoding="utf-8")
    return validate(project=find_project(root))


def _start(root) -> int:
    body = (root / TEXT).read_text(encoding="utf-8")
    assert body.count(EXACT) == 1
    return body.index(EXACT)


def test_right_positions_conform(project):
    start = _start(project)  # code points: the curly quotes before it count as one each
    report = _positions(project, f"oa:start {start} ; oa:end {start + len(EXACT)}")
    assert report.conforms, [v.message for v in report.violations]


def test_positions_off_by_one_name_what_they_hold(project):
    start = _start(project)
    report = _positions(project, f"oa:start {start + 1} ; oa:end {start + len(EXACT)}")
    [violation] = report.violations
    assert violation.source.endswith("excerpt-position")
    assert violation.message.startswith(f"Characters {start + 1} to {start + len(EXACT)} of {TEXT} are \"t is reported")
    assert violation.line is not None


@pytest.mark.parametrize("positions,message", [
    ("oa:start 10", "An excerpt gives both oa:start and oa:end, or neither."),
    ("oa:start 50 ; oa:end 40", "are not within"),
    ("oa:start 0 ; oa:end 999999", "are not within"),
    ("oa:start -1 ; oa:end 10", "oa:start, where the excerpt begins in the text"),
    ('oa:start "5" ; oa:end 10', "oa:start, where the excerpt begins in the text"),
])
def test_bad_positions_are_violations(project, positions, message):
    report = _positions(project, positions)
    assert not report.conforms
    assert any(message in v.message for v in report.violations), [v.message for v in report.violations]
