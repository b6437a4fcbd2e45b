"""The W3C RDF 1.1 and 1.2 Turtle/TriG syntax tests, run through ``kgraph validate``.

Each ``reject`` case must exit 2 (the input could not be parsed); each
``accept`` case must exit 0 or 1 (parsed, then validated). The suite and its
index are copied from w3c/rdf-tests (see data/w3c-rdf-tests/SOURCE.txt).

The W3C suite counts an empty document as valid Turtle, while kgraph refuses
an empty data file by default; the cases therefore run with --allow-empty,
and the last test checks the default on those same empty documents.
"""

from __future__ import annotations

import csv

import pytest

from conftest import TEST_DATA

SUITE = TEST_DATA / "w3c-rdf-tests"


def _cases() -> list[dict[str, str]]:
    with (SUITE / "syntax-tests.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


CASES = _cases()


def test_the_index_lists_all_381_rdf11_cases():
    rdf11 = [c for c in CASES if c["file"].startswith("rdf/rdf11/")]
    assert len(rdf11) == 381
    assert {c["expect"] for c in CASES} == {"accept", "reject"}


@pytest.mark.parametrize("case", CASES, ids=[c["file"].removeprefix("rdf/") for c in CASES])
def test_syntax_case(case, run):
    result = run("validate", "--allow-empty", SUITE / case["file"])
    if case["expect"] == "reject":
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("Error: ")
    else:
        assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize("name", ["turtle-syntax-file-01.ttl", "turtle-syntax-file-02.ttl"])
def test_empty_documents_are_refused_by_default(name, run):
    result = run("validate", SUITE / "rdf" / "rdf11" / "rdf-turtle" / name)
    assert result.exit_code == 2
    assert "nothing to validate" in result.stderr
