"""The W3C RDF 1.1 and 1.2 Turtle/TriG syntax tests, run through ``kgraph validate``.

Each ``reject`` case must exit 2 (the input could not be parsed); each
``accept`` case must exit 0 or 1 (parsed, then validated). The suite and its
index are copied from w3c/rdf-tests (see data/w3c-rdf-tests/SOURCE.txt).

An empty document is valid Turtle: kgraph reports such a file as a result
("this file adds no triples", exit 1) unless --allow-empty, never as a syntax
error, so the cases run with kgraph's defaults.
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
    result = run("validate", SUITE / case["file"])
    if case["expect"] == "reject":
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("Error: ")
    else:
        assert result.exit_code in (0, 1), result.output


def test_every_case_is_classified_as_the_w3c_says(run):
    """All 381 RDF 1.1 cases (and the RDF 1.2 ones) in one count."""
    wrong = [c["file"] for c in CASES
             if (run("validate", SUITE / c["file"]).exit_code == 2) != (c["expect"] == "reject")]
    assert wrong == []
    assert sum(1 for c in CASES if c["file"].startswith("rdf/rdf11/")) == 381


@pytest.mark.parametrize("name", ["turtle-syntax-file-01.ttl", "turtle-syntax-file-02.ttl", "turtle-syntax-file-03.ttl",
                                  "turtle-syntax-base-01.ttl", "turtle-syntax-prefix-01.ttl"])
def test_documents_without_triples_are_a_result_not_an_error(name, run):
    result = run("validate", SUITE / "rdf" / "rdf11" / "rdf-turtle" / name)
    assert result.exit_code == 1, result.output
    assert "This file adds no triples" in result.stdout
    assert run("validate", "--allow-empty", SUITE / "rdf" / "rdf11" / "rdf-turtle" / name).exit_code == 0
