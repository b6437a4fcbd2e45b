"""Sources whose text is kept outside the repository (kg:textName): checked
against the user's sources folder when it holds the text, reported as
skipped when it does not, never silently passed."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.project import find_project
from kgraph.validation.run import validate

from conftest import ROOT

SLUG = "baku-stepanakert-contacts-opinion"
ARTICLE = f"data/articles/{SLUG}.trig"
QUOTE = "any integration process with Azerbaijan is excluded."


@pytest.fixture
def outside(tmp_path, monkeypatch):
    """The project with the seed's text moved out of data/sources/ into a
    sources folder beside it (under another file name), the article pointing
    at it with kg:textName."""
    monkeypatch.delenv("KGRAPH_SOURCES", raising=False)
    root = tmp_path / "project"
    for part in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / part, root / part)
    corpus = tmp_path / "texts"
    corpus.mkdir()
    (root / "data" / "sources" / f"{SLUG}.txt").rename(corpus / "kept-elsewhere.txt")
    article = root / ARTICLE
    text = article.read_text(encoding="utf-8")
    old = f'kg:textFile "data/sources/{SLUG}.txt"'
    assert text.count(old) == 1
    article.write_text(text.replace(old, f'kg:textName "{SLUG}.txt"'), encoding="utf-8")
    return root, corpus


def _results(report, source):
    return [v for v in report.violations if v.source == source]


def test_without_the_text_the_quote_checks_are_reported_as_skipped(outside):
    root, _ = outside
    report = validate(project=find_project(root))
    skipped = _results(report, "check:source-text-not-available")
    assert report.conforms and report.skipped_sources == 1
    assert [v.severity for v in skipped] == ["warning"]
    assert "no sources folder was given" in skipped[0].message and "excerpts" in skipped[0].message
    assert skipped[0].file == root / ARTICLE and skipped[0].line  # located at the source's block
    assert not _results(report, "check:quote-not-in-source")


def test_the_sources_folder_finds_the_text_by_its_digest(outside):
    root, corpus = outside
    report = validate(project=find_project(root), sources=corpus)
    assert report.conforms and not report.violations, [v.message for v in report.violations]
    assert report.skipped_sources == 0


def test_a_wrong_quote_is_caught_against_the_text_outside(outside):
    root, corpus = outside
    article = root / ARTICLE
    text = article.read_text(encoding="utf-8")
    assert QUOTE in text
    article.write_text(text.replace(QUOTE, QUOTE.replace("excluded", "ruled out")), encoding="utf-8")
    without = validate(project=find_project(root))
    assert without.conforms and not _results(without, "check:quote-not-in-source")
    found = _results(validate(project=find_project(root), sources=corpus), "check:quote-not-in-source")
    assert found and all("in the sources folder" in v.message for v in found)
    assert any(v.hint and "excluded" in v.hint for v in found)  # the closest passage, from the text outside


def test_wrong_positions_are_caught_against_the_text_outside(outside):
    root, corpus = outside
    article = root / ARTICLE
    text = article.read_text(encoding="utf-8")
    exact = f'    oa:exact "In response, the president of the unrecognized NKR, Arayik Harutyunyan, stated that “{QUOTE}”" .'
    assert text.count(exact) == 1, "the seed's excerpt changed"
    article.write_text(text.replace(exact, exact[:-2] + ";\n    oa:start 0 ; oa:end 5 ."), encoding="utf-8")
    report = validate(project=find_project(root), sources=corpus)
    assert any("Characters 0 to 5 of" in v.message and "sources folder" in v.message
               for v in _results(report, "check:excerpt-position"))


def test_a_changed_copy_is_not_taken_for_the_text(outside):
    root, corpus = outside
    original = (corpus / "kept-elsewhere.txt").read_bytes()
    (corpus / "kept-elsewhere.txt").unlink()
    (corpus / f"{SLUG}.txt").write_bytes(original.replace(b"March 1", b"March 2", 1))
    report = validate(project=find_project(root), sources=corpus)
    [skipped] = _results(report, "check:source-text-not-available")
    actual = hashlib.sha256((corpus / f"{SLUG}.txt").read_bytes()).hexdigest()
    assert actual in skipped.message and "not the recorded one" in skipped.message


def test_require_sources_turns_the_warning_into_a_violation(outside, monkeypatch):
    root, corpus = outside
    runner = CliRunner()
    strict = runner.invoke(cli, ["--project", str(root), "validate", "--require-sources"])
    assert strict.exit_code == 1, strict.output
    assert "violation: Text not available, checks skipped" in strict.output
    assert "1 source without its text (quote checks skipped)" in strict.output
    monkeypatch.setenv("KGRAPH_SOURCES", str(corpus))
    held = runner.invoke(cli, ["--project", str(root), "validate", "--require-sources"])
    assert held.exit_code == 0, held.output
    assert "without its text" not in held.output


def test_a_source_gives_its_text_one_way(outside):
    root, _ = outside
    article = root / ARTICLE
    text = article.read_text(encoding="utf-8")
    both = text.replace(f'kg:textName "{SLUG}.txt"', f'kg:textName "{SLUG}.txt" ; kg:textFile "data/sources/{SLUG}.txt"')
    article.write_text(both, encoding="utf-8")
    report = validate(project=find_project(root))
    assert any("exactly one of kg:textFile" in v.message for v in report.violations)
    article.write_text(text.replace(f'kg:textName "{SLUG}.txt" ;', ""), encoding="utf-8")
    report = validate(project=find_project(root))
    assert any("exactly one of kg:textFile" in v.message for v in report.violations)
