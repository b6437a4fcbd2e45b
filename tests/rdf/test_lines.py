"""A node is reported on the line where it is the subject, in every layout
the data uses: multi-line object lists, blank-node property lists, several
subjects per line, graph blocks, prefixes redefined mid-file."""

from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest

from kgraph.rdf.lines import SubjectIndex, subject_line

from conftest import PREFIXES, ROOT, TEST_DATA

EX = "http://example.org/"

LAYOUTS = {
    # IRI -> expected line, in the text below
    "object list over lines": ('''@prefix ex: <http://example.org/> .
ex:meeting ex:participation
    ex:part-a,
    ex:part-b ;
  ex:label "m" .
ex:part-b ex:role ex:Party .
ex:part-a ex:role ex:Party .
''', {"meeting": 2, "part-a": 7, "part-b": 6}),
    "several subjects per line": ('''@prefix ex: <http://example.org/> .
ex:a ex:p ex:b . ex:b ex:p ex:c . ex:c ex:p "x" .
''', {"a": 2, "b": 2, "c": 2}),
    "blank-node property lists": ('''@prefix ex: <http://example.org/> .
ex:s ex:p [ ex:q ex:inner ; ex:r [ ex:q ex:deeper ] ] ;
    ex:t ex:u .
[] ex:q ex:v .
[ ex:q ex:w ] ex:r ex:x .
ex:inner ex:q "i" .
ex:deeper ex:q "d" .
''', {"s": 2, "inner": 6, "deeper": 7, "v": 4}),
    "collections": ('''@prefix ex: <http://example.org/> .
ex:s ex:p ( ex:one ex:two ( ex:three ) ) .
ex:two ex:q "2" .
''', {"s": 2, "two": 3, "one": 2}),
    "graph blocks": ('''@prefix ex: <http://example.org/> .
ex:g1 { ex:a ex:p ex:b . }
GRAPH ex:g2 {
  ex:b ex:p ex:c .
}
{ ex:c ex:p ex:d }
''', {"a": 2, "b": 4, "c": 6, "g1": 2, "g2": 3}),
    "prefix redefined, base, full IRIs": ('''@prefix ex: <http://example.org/> .
ex:a ex:p ex:b .
@prefix ex: <http://example.org/other/> .
ex:a ex:p ex:b .
BASE <http://example.org/>
<rel> ex:p "x" .
<http://example.org/b> <http://example.org/p> "y" .
''', {"a": 2, "other/a": 4, "rel": 6, "b": 7}),
    "literals that look like structure": ('''@prefix ex: <http://example.org/> .
ex:s ex:p "a . b ; c , [ ( {" , """multi
line . ex:fake ex:p ex:q .""" ;
  ex:q 'it''s' .
ex:t ex:p 1.5, 2 .
ex:u ex:p 3.
ex:v ex:p "x"@en, "y"^^ex:type .
''', {"s": 2, "t": 5, "u": 6, "v": 7}),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_subject_is_found_on_its_own_line(layout):
    text, expected = LAYOUTS[layout]
    index = SubjectIndex.of_text(text)
    assert {name: index.line(EX + name) for name in expected} == expected


def test_a_node_that_is_never_a_subject_is_found_where_first_mentioned():
    index = SubjectIndex.of_text('@prefix ex: <http://example.org/> .\nex:s ex:p\n   ex:only-object .\n')
    assert index.line(EX + "only-object") == 3
    assert EX + "only-object" not in index.subjects


def test_the_seed_participations_are_reported_on_their_own_lines():
    """The seed lists a meeting's participations as an indented object list;
    each participation is reported where it is described."""
    article = ROOT / "data" / "articles" / "baku-stepanakert-contacts-opinion.trig"
    lines = article.read_text(encoding="utf-8").splitlines()
    for quad in ox.parse(path=str(article), format=ox.RdfFormat.TRIG):
        if isinstance(quad.subject, ox.NamedNode):
            line = subject_line(article, quad.subject.value)
            assert lines[line - 1].lstrip() == lines[line - 1], (quad.subject, line, lines[line - 1])
            assert not lines[line - 1].startswith(("#", "@prefix")), (quad.subject, line)


def test_a_violation_on_a_participation_is_reported_on_the_participation(run, write):
    path = write("meeting.ttl", PREFIXES + """
event:m a kg:Meeting ;
    kg:participation
        part:m-a,
        part:m-b .
part:m-a a kg:Participation ; kg:participant actor:north ; kg:role kg:Party .
part:m-b a kg:Participation ; kg:role kg:Party .
""")
    out = run("validate", "--no-registry", path)
    lines = [line for line in out.stdout.splitlines() if "part:m-b" in line and "kg:participant" in line]
    assert lines and all(line.startswith(f"{path}:{PREFIXES.count(chr(10)) + 7}:") for line in lines), out.stdout


def _w3c_accepted():
    suite = TEST_DATA / "w3c-rdf-tests"
    with (suite / "syntax-tests.tsv").open(encoding="utf-8", newline="") as handle:
        cases = [suite / c["file"] for c in csv.DictReader(handle, delimiter="\t") if c["expect"] == "accept"]
    return [p for p in cases if p.suffix in (".ttl", ".trig", ".nt", ".nq")]


def test_every_subject_of_every_w3c_syntax_case_is_indexed():
    """The scanner follows the whole Turtle family grammar: for every file the
    W3C accepts, each named subject the parser sees is in the index."""
    formats = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
               ".nq": ox.RdfFormat.N_QUADS}
    checked = 0
    for path in _w3c_accepted():
        base = path.resolve().as_uri()
        try:
            quads = list(ox.parse(path=str(path), format=formats[path.suffix], base_iri=base))
        except SyntaxError:
            continue  # a case this pyoxigraph reads differently is covered by the syntax tests
        subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
        index = SubjectIndex.of_text(path.read_text(encoding="utf-8"), base)
        assert subjects - set(index.subjects) <= {"http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"}, path
        checked += 1
    assert checked > 200
