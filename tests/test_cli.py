"""The command line: exit codes and output, as a user sees them."""

from __future__ import annotations

import json
import re

from conftest import PREFIXES, ROOT

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<severity>violation|warning|info): (?P<message>.+?)(?: \[(?P<context>.*)\])?$")

GOOD = PREFIXES + """
actor:north a kg:State ; rdfs:label "North" .
"""

BAD = PREFIXES + """
actor:north a kg:State ; rdfs:label "North" .

stmt:orphan a kg:Statement ;
    kg:attribution kg:NamedPerson ;
    kg:quote "Words." .
"""


def test_help_documents_the_exit_codes(run):
    result = run("--help")
    assert result.exit_code == 0
    for line in ("0  success", "1  validate: the data does not conform", "2  an input could not be read"):
        assert line in result.output
    result = run("validate", "--help")
    assert result.exit_code == 0
    assert "2  an input could not be read or parsed, or a usage error" in result.output


def test_shipped_data_conforms(run):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("conforms: 5 files,")


def test_conforming_file(run, write):
    from kgraph.validation.shacl import count_shapes
    from kgraph.rdf.parse import parse_file

    shapes = count_shapes(parse_file(ROOT / "ontology" / "shapes.ttl").quads)
    from kgraph.identity.review import IDENTITY_CHECKS

    checks = len(list((ROOT / "queries" / "checks").glob("*.rq"))) + len(IDENTITY_CHECKS)
    result = run("validate", write("good.ttl", GOOD))
    assert result.exit_code == 0
    assert result.stdout == f"conforms: 1 file, 2 triples, {shapes} shapes, {checks} checks; 0 violations, 0 warnings, 0 infos\n"


def test_violations_are_listed_with_file_and_line_and_exit_1(run, write):
    path = write("bad.ttl", BAD)
    result = run("validate", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("does not conform: 1 file,")
    parsed = [LINE.match(line) for line in lines[:-1]]
    assert all(parsed), lines
    messages = {m["message"] for m in parsed}
    assert any(m.startswith("A statement needs kg:speaker") for m in messages)
    assert any(m.startswith("A statement needs a source") for m in messages)
    assert {m["line"] for m in parsed} == {"25"}, "the statement is described on line 25"
    assert {m["file"] for m in parsed} == {str(path)}
    speaker = next(m for m in parsed if m["message"].startswith("A statement needs kg:speaker"))
    assert speaker["context"] == "stmt:orphan kg:speaker"


def test_json_report(run, write):
    result = run("validate", "--format", "json", write("bad.ttl", BAD))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert report["counts"]["violation"] == len(report["violations"]) == 2
    first = report["violations"][0]
    assert set(first) == {"severity", "message", "focus", "path", "value", "source", "component", "file", "line",
                          "column", "hint"}
    assert first["focus"] == "<https://w3id.org/kgraph/statement/orphan>"
    assert first["line"] == 25


def test_syntax_error_shows_line_and_column_and_exits_2(run, write):
    path = write("broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n")
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == f"Error: {path}:3:11: Unexpected end of file"


def test_missing_path_exits_2(run, tmp_path):
    result = run("validate", tmp_path / "nope.ttl")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope.ttl'}: no such file or directory\n"


def test_an_empty_file_is_a_violation_unless_allowed(run, write):
    """An empty file is valid Turtle: not an error (exit 2) but a result (exit 1)."""
    for name, content in (("empty.ttl", ""), ("comments.ttl", "# nothing here\n"),
                          ("prefixes.ttl", "@prefix ex: <http://example.org/> .\n")):
        path = write(name, content)
        result = run("validate", path)
        assert result.exit_code == 1, result.output
        assert result.stdout.startswith(f"{path}:1: violation: This file adds no triples"), result.stdout
        assert run("validate", "--allow-empty", path).exit_code == 0


def test_non_utf8_exits_2(run, write):
    path = write("latin1.ttl", b'<http://example.org/s> <http://example.org/p> "caf\xe9" .\n')
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}:1:51: not UTF-8 (byte 0xe9); RDF files must be UTF-8\n"


def test_directory_without_rdf_exits_2(run, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "directory holds no RDF file" in result.stderr


def test_usage_error_exits_2(run):
    result = run("validate", "--format", "yaml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_single_article_is_validated_with_the_registries(run):
    article = ROOT / "data" / "articles" / "baku-stepanakert-contacts-opinion.trig"
    result = run("validate", article)
    assert result.exit_code == 0, result.output
    alone = run("validate", "--no-registry", article)
    assert alone.exit_code == 1
    assert "Nothing describes https://w3id.org/kgraph/actor/" in alone.stdout


def test_stats_shows_graphs_and_classes(run):
    result = run("stats", "--format", "json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    graphs = {g["graph"]: g["triples"] for g in summary["graphs"]}
    assert "https://w3id.org/kgraph/graph/articles/baku-stepanakert-contacts-opinion" in graphs
    assert summary["triples"] == sum(graphs.values())
    classes = {c["class"].rsplit("#", 1)[-1]: c["count"] for c in summary["classes"]}
    assert classes["Meeting"] == 2
    assert classes["Person"] == 6
    table = run("stats")
    assert table.exit_code == 0
    assert "graph:articles/baku-stepanakert-contacts-opinion" in table.stdout
    assert "kg:Meeting" in table.stdout


def test_the_command_line_starts_without_heavy_imports():
    import subprocess
    import sys

    code = "import sys, kgraph.cli; print(sorted(m for m in ('networkx', 'rdflib', 'pyshacl', 'matplotlib', 'pyoxigraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unreadable_file_is_in_every_report_format(run, tmp_path):
    """Not only syntax: a file that cannot be read at all is reported in the
    machine formats too (a link pointing nowhere), with exit 2."""
    import xml.etree.ElementTree as ET

    link = tmp_path / "gone.ttl"
    link.symlink_to(tmp_path / "nowhere.ttl")
    report = json.loads(run("validate", "--format", "json", link).stdout)
    assert report["errors"][0]["file"] == str(link) and "no such file" in report["errors"][0]["message"]
    github = run("validate", "--format", "github", link)
    assert github.exit_code == 2 and github.stdout.startswith(f"::error file={link},title=kgraph%3Ainput::")
    junit = ET.fromstring(run("validate", "--format", "junit", link).stdout)
    assert junit.get("errors") == "1"
    sarif = json.loads(run("validate", "--format", "sarif", link).stdout)
    assert sarif["runs"][0]["results"][0]["level"] == "error"
