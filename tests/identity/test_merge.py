"""kgraph actors merge: one IRI for an actor described twice, in every file,
validated before anything is written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kgraph.errors import OutputError
from kgraph._util import atomic
from kgraph.identity.merge import MergeError, merge_actors, rewrite_text
from kgraph.project import find_project
from kgraph.validation.run import validate

from conftest import ROOT

ACTOR = "https://w3id.org/kgraph/actor/"
KEEP, OTHER = ACTOR + "ramin-mammadov", ACTOR + "ramin-mamedov"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
HEAD = ("@prefix kg: <https://w3id.org/kgraph/ontology#> .\n@prefix actor: <https://w3id.org/kgraph/actor/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n")


def _kgraph(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kgraph.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=os.environ | {"KGRAPH_STORE": ""})


def _parse(text: str, fmt=ox.RdfFormat.TURTLE) -> set:
    return set(ox.parse(text.encode(), format=fmt))


# -- the rewrite, token by token ----------------------------------------------------

def test_every_use_is_renamed_and_nothing_else_changes():
    text = HEAD + (
        "# actor:ramin-mamedov in a comment stays\n"
        "actor:ramin-mamedov a kg:Person ;\n"
        "    rdfs:label \"Ramin Mamedov\" ;\n"
        "    rdfs:comment \"see actor:ramin-mamedov and <https://w3id.org/kgraph/actor/ramin-mamedov>\" ;\n"
        "    skos:altLabel \"R. Mamedov\" ;\n"
        "    kg:note [ rdfs:label \"a note\" ] .\n"
        "actor:x kg:knows actor:ramin-mamedov, <https://w3id.org/kgraph/actor/ramin-mamedov> , actor:ramin-mamedov-2 .\n"
    )
    change = rewrite_text(text, OTHER, KEEP)
    assert change.described and change.renamed == 3 and change.demoted == 1
    after = change.after
    assert "# actor:ramin-mamedov in a comment stays" in after
    assert "see actor:ramin-mamedov and <https://w3id.org/kgraph/actor/ramin-mamedov>" in after
    assert "actor:ramin-mamedov-2" in after
    triples = {(t.subject.value, t.predicate.value, t.object.value) for t in _parse(after)}
    assert (KEEP, OWL_SAME_AS, OTHER) in triples
    assert (KEEP, "http://www.w3.org/2004/02/skos/core#altLabel", "Ramin Mamedov") in triples
    assert not any(OTHER in (s, o) for s, p, o in triples if p != OWL_SAME_AS)
    # the blank node's own label is not OTHER's
    assert any(p == "http://www.w3.org/2000/01/rdf-schema#label" and o == "a note" for s, p, o in triples)
    assert re.search(r"^@prefix owl: +<http://www\.w3\.org/2002/07/owl#> \.$", after, re.M)
    # every triple not about OTHER is as it was
    before = {(t.subject.value, t.predicate.value, t.object.value) for t in _parse(text)
              if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}
    untouched = {t for t in before if OTHER not in (t[0], t[2])}
    assert untouched <= triples


def test_judgements_and_same_as_links_keep_naming_the_old_iri():
    text = HEAD + ("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                   "<https://w3id.org/kgraph/judgement/j> kg:judged actor:ramin-mammadov, actor:ramin-mamedov .\n"
                   "actor:y owl:sameAs actor:ramin-mamedov .\n")
    change = rewrite_text(text, OTHER, KEEP)
    assert change.renamed == 0 and change.after == text


def test_trig_graphs_sparql_prefixes_and_full_iris():
    text = ("PREFIX actor: <https://w3id.org/kgraph/actor/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "GRAPH <https://w3id.org/kgraph/graph/articles/a> {\n"
            "  <https://w3id.org/kgraph/actor/ramin-mamedov> rdfs:label \"Ramin Mamedov\"@en .\n"
            "  actor:z <http://example.org/p> ( actor:ramin-mamedov ) .\n}\n")
    change = rewrite_text(text, OTHER, KEEP)
    assert change.renamed == 2 and change.demoted == 1
    # added in the file's own style, its IRI in the column of the directive before it
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX owl:  <http://www.w3.org/2002/07/owl#>\n" \
        in change.after
    quads = _parse(change.after, ox.RdfFormat.TRIG)
    assert {q.graph_name.value for q in quads} == {"https://w3id.org/kgraph/graph/articles/a"}
    assert any(q.subject.value == KEEP and q.predicate.value == OWL_SAME_AS for q in quads)
    assert not any(q.object.value == OTHER for q in quads if q.predicate.value != OWL_SAME_AS)
    assert "<https://w3id.org/kgraph/actor/ramin-mammadov> owl:sameAs <https://w3id.org/kgraph/actor/ramin-mamedov>" \
        in change.after


def test_n_triples_get_full_iris():
    text = f'<{OTHER}> <http://www.w3.org/2000/01/rdf-schema#label> "Ramin Mamedov" .\n<{ACTOR}a> <{ACTOR}p> <{OTHER}> .\n'
    change = rewrite_text(text, OTHER, KEEP)
    quads = _parse(change.after, ox.RdfFormat.TURTLE)
    assert f"<{KEEP}> <{OWL_SAME_AS}> <{OTHER}>" in change.after
    assert {(q.subject.value, q.object.value) for q in quads if q.predicate.value == ACTOR + "p"} == {(ACTOR + "a", KEEP)}


# -- the command, on a copy of the project ----------------------------------------

@pytest.fixture
def twice(tmp_path):
    """The project, with Ramin Mammadov described a second time under another spelling."""
    for part in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / part, tmp_path / part)
    actors = tmp_path / "data" / "registry" / "actors.ttl"
    text = actors.read_text(encoding="utf-8").replace('"Ramin Mamedov", ', "", 1)
    text = text.replace('[ a skosxl:Label ; skosxl:literalForm "Ramin Mamedov" ; kg:nameKind kg:Transliteration ]',
                        '[ a skosxl:Label ; skosxl:literalForm "Ramin Məmmədov"@az-Latn ; kg:nameKind kg:NativeName ]')
    text += ('\nactor:ramin-mamedov a kg:Person ;\n    rdfs:label "Ramin Mamedov" ;\n'
             '    skos:altLabel "Рамин Мамедов"@ru-Cyrl .\n')
    actors.write_text(text, encoding="utf-8")
    article = next((tmp_path / "data" / "articles").glob("*.trig"))
    article.write_text(article.read_text(encoding="utf-8").replace(
        "kg:holder actor:ramin-mammadov ;", "kg:holder actor:ramin-mamedov ;"), encoding="utf-8")
    return tmp_path


def _files(root):
    return {p: p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def test_the_merge_leaves_one_actor_and_the_data_valid(twice):
    report = validate(project=find_project(twice))
    assert any(v.source in ("check:duplicate-actor", "check:near-duplicate-actor") and "actor:ramin-mamedov" in v.message and "actor:ramin-mammadov" in v.message
               for v in report.violations)
    out = _kgraph("--project", str(twice), "actors", "merge", "actor:ramin-mammadov", "actor:ramin-mamedov")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith('merged actor:ramin-mamedov "Ramin Mamedov" into actor:ramin-mammadov "Ramin Mammadov": '
                                 "2 uses in 2 files")
    report = validate(project=find_project(twice))
    assert report.conforms and not report.violations, [v.message for v in report.violations]
    graph = find_project(twice).load()
    used = list(graph.query(f"SELECT * WHERE {{ {{ <{OTHER}> ?p ?o }} UNION {{ ?s ?p <{OTHER}> FILTER(?p != <{OWL_SAME_AS}>) }} }}"))
    assert used == []
    names = {row["n"].value for row in graph.query(
        f"SELECT ?n WHERE {{ <{KEEP}> <http://www.w3.org/2004/02/skos/core#altLabel> ?n }}")}
    assert {"Ramin Mamedov", "Рамин Мамедов"} <= names
    labels = [row["n"].value for row in graph.query(f"SELECT ?n WHERE {{ <{KEEP}> <http://www.w3.org/2000/01/rdf-schema#label> ?n }}")]
    assert labels == ["Ramin Mammadov"]
    assert graph.query(f"ASK {{ <{KEEP}> <{OWL_SAME_AS}> <{OTHER}> }}")
    # merged once: a second merge says so
    again = _kgraph("--project", str(twice), "actors", "merge", "actor:ramin-mammadov", "actor:ramin-mamedov")
    assert again.returncode == 2 and "was merged into actor:ramin-mammadov" in again.stderr


def test_a_file_still_using_the_old_iri_is_told_which_to_use(twice):
    assert _kgraph("--project", str(twice), "actors", "merge", "actor:ramin-mammadov", "actor:ramin-mamedov").returncode == 0
    article = next((twice / "data" / "articles").glob("*.trig"))
    article.write_text(article.read_text(encoding="utf-8").replace(
        "kg:holder actor:ramin-mammadov ;", "kg:holder actor:ramin-mamedov ;"), encoding="utf-8")
    out = _kgraph("--project", str(twice), "validate")
    assert out.returncode == 1
    assert f"violation: {OTHER} was merged into {KEEP}: use {KEEP} instead." in out.stdout


def test_a_dry_run_shows_the_diff_and_writes_nothing(twice):
    before = _files(twice)
    out = _kgraph("--project", str(twice), "actors", "merge", "--dry-run", "actor:ramin-mammadov", "actor:ramin-mamedov")
    assert out.returncode == 0, out.stderr
    assert "--- a/data/registry/actors.ttl" in out.stdout and "+actor:ramin-mammadov owl:sameAs actor:ramin-mamedov ;" in out.stdout
    assert "-    kg:holder actor:ramin-mamedov ;" in out.stdout and "would merge" in out.stdout
    assert _files(twice) == before


def test_merged_data_with_a_violation_is_refused_and_nothing_is_written(twice):
    actors = twice / "data" / "registry" / "actors.ttl"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        'actor:ramin-mamedov a kg:Person ;', 'actor:ramin-mamedov a kg:Person ;\n    kg:ofPolity actor:armenia ;')
        .replace("actor:ramin-mammadov a kg:Person ;", "actor:ramin-mammadov a kg:Person ;\n    kg:ofPolity actor:azerbaijan ;"),
        encoding="utf-8")
    before = _files(twice)
    out = _kgraph("--project", str(twice), "actors", "merge", "actor:ramin-mammadov", "actor:ramin-mamedov")
    assert out.returncode == 1
    assert "data/registry/actors.ttl:" in out.stdout and "kg:ofPolity must name one polity" in out.stdout
    assert "nothing was changed" in out.stderr
    assert _files(twice) == before


def test_a_file_that_cannot_be_written_puts_back_the_others(twice, monkeypatch):
    before = _files(twice)

    calls = []

    def failing(path, text):
        calls.append(path)
        if len(calls) == 2:
            raise OutputError("cannot be written: No space left on device", path)
        atomic.write_bytes_atomic(path, text.encode("utf-8"))

    monkeypatch.setattr(atomic, "write_text_atomic", failing)
    with pytest.raises(OutputError, match="put back"):
        merge_actors(KEEP, OTHER, project=find_project(twice))
    assert len(calls) == 3  # the first written, the second failed, the first put back
    assert _files(twice) == before


@pytest.mark.parametrize("keep, other, message", [
    ("actor:ramin-mammadov", "actor:ramin-mammadov", "are the same IRI"),
    ("actor:ramin-mammadov", "actor:ramin-mammadoff", "is not an actor or place described in the data"),
    ("actor:ramin-mammadov", "actor:azerbaijan", "is a person and actor:azerbaijan a polity"),
    ("actor:ramin-mammadov", "not an iri", "give an IRI or a prefixed name"),
])
def test_what_cannot_be_merged_exits_2(twice, keep, other, message):
    before = _files(twice)
    out = _kgraph("--project", str(twice), "actors", "merge", keep, other)
    assert out.returncode == 2 and message in out.stderr, out.stderr
    assert _files(twice) == before


def test_a_json_ld_file_naming_the_old_iri_stops_the_merge(twice):
    extra = twice / "data" / "registry" / "extra.jsonld"
    extra.write_text('{"@id": "%s", "http://www.w3.org/2004/02/skos/core#note": "x"}' % OTHER, encoding="utf-8")
    with pytest.raises(MergeError, match="rewrites only Turtle") as caught:
        merge_actors(KEEP, OTHER, project=find_project(twice))
    assert caught.value.path == extra


def test_a_missing_prefix_is_declared_in_the_files_style():
    """A file without skos: or owl: gets both, aligned with its own prefixes,
    and the result parses to the expected triples."""
    import pyoxigraph as ox

    text = ("@prefix actor: <https://w3id.org/kgraph/actor/> .\n"
            "@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
            'actor:b rdfs:label "B"@en .\n')
    change = rewrite_text(text, "https://w3id.org/kgraph/actor/b", "https://w3id.org/kgraph/actor/a")
    assert "@prefix owl:   <http://www.w3.org/2002/07/owl#> .\n@prefix skos:  <" in change.after
    triples = {(t.subject.value, t.predicate.value, t.object.value)
               for t in ox.parse(change.after.encode(), format=ox.RdfFormat.TURTLE)}
    assert triples == {("https://w3id.org/kgraph/actor/a", "http://www.w3.org/2002/07/owl#sameAs",
                        "https://w3id.org/kgraph/actor/b"),
                       ("https://w3id.org/kgraph/actor/a", "http://www.w3.org/2004/02/skos/core#altLabel", "B")}
