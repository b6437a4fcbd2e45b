"""kgraph query writes SELECT and ASK results with the engine's own
serializers: the same results as kgraph's rows, in the W3C formats, read
back by real parsers; a table shows its first rows and counts the rest."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from kgraph.sparql.run import run_query
from kgraph.sparql.saved import read_queries

from conftest import ROOT

PARAMS = {"actor-profile": ["--param", "actor=Ned Price"]}
SPARQL = "{http://www.w3.org/2005/sparql-results#}"
QUERIES = [q.name for q in read_queries(ROOT / "queries")]


@pytest.fixture(scope="module")
def graph(project):
    return project.load()


def rows_of(result):
    return [{name: (term.value if term is not None else None) for name, term in zip(result.variables, row)}
            for row in result.rows]


@pytest.mark.parametrize("name", QUERIES)
def test_every_format_holds_the_rows_kgraph_finds(name, run, graph, project):
    saved = next(q for q in read_queries(project.queries_dir) if q.name == name)
    params = dict(p.split("=", 1) for p in PARAMS.get(name, [])[1::2])
    expected = rows_of(run_query(graph, saved, params))
    values = lambda rows: sorted(json.dumps(r, sort_keys=True) for r in rows)  # noqa: E731

    out = run("query", name, *PARAMS.get(name, []), "--format", "csv")
    assert out.exit_code == 0
    read = list(csv.DictReader(io.StringIO(out.output, newline="")))
    assert values({k: v or None for k, v in r.items()} for r in read) == \
        values({k: v for k, v in r.items()} for r in expected)

    data = json.loads(run("query", name, *PARAMS.get(name, []), "--format", "json").output)
    assert data["head"]["vars"] == list(expected[0]) if expected else True
    got = [{k: b[k]["value"] if k in b else None for k in data["head"]["vars"]} for b in data["results"]["bindings"]]
    assert values(got) == values(expected)

    tree = ET.fromstring(run("query", name, *PARAMS.get(name, []), "--format", "xml").output)
    results = tree.find(f"{SPARQL}results")
    got = []
    for result in results:
        row = dict.fromkeys(expected[0] if expected else ())
        for binding in result:
            row[binding.get("name")] = next(iter(binding)).text or ""
        got.append(row)
    assert values(got) == values({k: (v if v is not None else None) for k, v in r.items()} for r in expected)

    tsv = run("query", name, *PARAMS.get(name, []), "--format", "tsv").output.splitlines()
    assert tsv[0].split("\t") == [f"?{v}" for v in expected[0]] if expected else True
    assert len(tsv) == len(expected) + 1


def test_a_table_shows_its_first_rows_and_counts_the_rest(run, graph, project):
    total = len(run_query(graph, next(q for q in read_queries(project.queries_dir) if q.name == "timeline")).rows)
    shown = run("query", "timeline", "--format", "table", "--limit", "2")
    assert shown.exit_code == 0
    assert f"2 of {total} rows shown; {total - 2} more" in shown.output
    everything = run("query", "timeline", "--format", "table", "--limit", "0")
    assert f"{total} rows" in everything.output and "more" not in everything.output


def test_an_ask_query_has_no_csv_form_but_json(run, tmp_path):
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { ?s a <https://w3id.org/kgraph/ontology#Meeting> }", encoding="utf-8")
    assert json.loads(run("query", str(ask), "--format", "json").output)["boolean"] is True
    refused = run("query", str(ask), "--format", "csv")
    assert refused.exit_code == 2 and "no CSV form" in refused.output
