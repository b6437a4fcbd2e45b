"""Strict loading: formats, graph names, errors with file/line/column, atomicity."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph import (
    Dataset,
    EmptyInputError,
    EncodingError,
    GraphConflictError,
    InputError,
    RDFSyntaxError,
    load,
)
from kgraph.rdf.dataset import graph_key
from kgraph.rdf.parse import graph_name_for, parse_file

TRIPLE = "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"

SAMPLES = {
    "a.ttl": "@prefix ex: <http://example.org/> .\nex:s ex:p ex:o .\n",
    "a.nt": TRIPLE,
    "a.trig": "GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> <http://example.org/o> }\n",
    "a.nq": "<http://example.org/s> <http://example.org/p> <http://example.org/o> <http://example.org/g> .\n",
    "a.jsonld": '{"@id": "http://example.org/s", "http://example.org/p": {"@id": "http://example.org/o"}}',
    "a.rdf": (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/s"><ex:p rdf:resource="http://example.org/o"/>'
        "</rdf:Description></rdf:RDF>"
    ),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_format_is_read_by_extension(write, name):
    path = write(name, SAMPLES[name])
    dataset = load([path])
    assert len(dataset) == 1
    quad = next(dataset.quads())
    assert quad.subject == ox.NamedNode("http://example.org/s")
    assert quad.object == ox.NamedNode("http://example.org/o")
    assert isinstance(quad.graph_name, ox.NamedNode)


def test_file_without_graph_gets_one_derived_from_its_path(write, tmp_path):
    path = write("data/articles/one.ttl", TRIPLE)
    dataset = load([path], data_dir=tmp_path / "data")
    assert dataset.graphs == ["https://w3id.org/kgraph/graph/articles/one"]
    outside = write("elsewhere.nt", TRIPLE)
    assert load([outside]).graphs == [outside.resolve().as_uri()]


def test_trig_keeps_declared_graph_and_names_its_default_graph(write, tmp_path):
    path = write(
        "data/mixed.trig",
        TRIPLE + "GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 }\n",
    )
    dataset = load([path], data_dir=tmp_path / "data")
    assert set(dataset.graphs) == {"https://w3id.org/kgraph/graph/mixed", "http://example.org/g"}
    assert graph_name_for(path, tmp_path / "data") == "https://w3id.org/kgraph/graph/mixed"


def test_each_file_is_its_own_graph_and_blank_nodes_stay_apart(write):
    one = write("one.ttl", "_:b <http://example.org/p> 1 .\n")
    two = write("two.ttl", "_:b <http://example.org/p> 2 .\n")
    dataset = load([one, two])
    subjects = {q.subject for q in dataset.quads()}
    assert len(dataset.graphs) == 2
    assert len(subjects) == 2, "the same blank node label in two files must be two nodes"


def test_folders_are_searched_recursively_and_non_rdf_files_ignored(write, tmp_path):
    write("d/x.ttl", TRIPLE)
    write("d/sub/y.nt", TRIPLE.replace("/s>", "/t>"))
    write("d/notes.txt", "not RDF")
    write("d/.hidden/z.ttl", "this would not parse")
    dataset = load([tmp_path / "d"])
    assert sorted(f.path.name for f in dataset.files) == ["x.ttl", "y.nt"]


def test_two_files_filling_one_graph_is_an_error(write):
    g = "GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 }\n"
    one, two = write("one.trig", g), write("two.trig", g)
    with pytest.raises(GraphConflictError, match="already filled by"):
        load([one, two])


def test_syntax_error_reports_file_line_and_column(write):
    path = write("bad.ttl", '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n')
    with pytest.raises(RDFSyntaxError) as caught:
        parse_file(path)
    error = caught.value
    assert (error.line, error.column) == (3, 11)
    assert str(error).startswith(f"{path}:3:11: ")
    assert "Parser error" not in str(error)


def test_invalid_iri_is_rejected_not_repaired(write):
    path = write("bad.nt", "<http://example.org/a b> <http://example.org/p> 1 .\n")
    with pytest.raises(RDFSyntaxError) as caught:
        parse_file(path)
    assert caught.value.line == 1


def test_non_utf8_bytes_are_reported_with_position(write):
    path = write("latin1.ttl", b'<http://example.org/s> <http://example.org/p> "ok" .\n<http://example.org/s> <http://example.org/p> "caf\xe9" .\n')
    with pytest.raises(EncodingError, match=r":2:51: not UTF-8 \(byte 0xe9\)"):
        parse_file(path)


def test_byte_order_mark_is_rejected(write):
    path = write("bom.ttl", b"\xef\xbb\xbf" + TRIPLE.encode())
    with pytest.raises(RDFSyntaxError, match="byte-order mark"):
        parse_file(path)


@pytest.mark.parametrize("content, words", [("", "empty file"), ("  \n", "empty file"), ("# only a comment\n", "no RDF statements")])
def test_file_without_triples_is_an_error_unless_allowed(write, content, words):
    path = write("empty.ttl", content)
    with pytest.raises(EmptyInputError, match=words):
        parse_file(path)
    assert parse_file(path, allow_empty=True).quads == []


def test_missing_path_folder_without_rdf_and_unknown_extension(write, tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        load([tmp_path / "nope.ttl"])
    (tmp_path / "empty-dir").mkdir()
    write("empty-dir/readme.md", "# nothing")
    with pytest.raises(InputError, match="directory holds no RDF file"):
        load([tmp_path / "empty-dir"])
    with pytest.raises(InputError, match="unknown RDF format '.csv'"):
        load([write("table.csv", "a,b")])


def test_a_failing_file_leaves_the_dataset_untouched(write):
    dataset = load([write("good.ttl", TRIPLE)])
    before = (len(dataset), list(dataset.graphs), list(dataset.files))
    fine = write("fine.nt", TRIPLE.replace("/o>", "/other>"))
    broken = write("broken.ttl", "<http://example.org/s> <http://example.org/p> .\n")
    with pytest.raises(RDFSyntaxError):
        load([fine, broken], dataset=dataset)
    assert (len(dataset), list(dataset.graphs), list(dataset.files)) == before


def test_locate_finds_the_line_where_a_node_is_described(write):
    path = write(
        "described.ttl",
        "@prefix ex: <http://example.org/> .\n\nex:other ex:p ex:thing .\n\nex:thing\n    ex:p 1 .\n",
    )
    dataset = load([path])
    where = dataset.locate(ox.NamedNode("http://example.org/thing"))
    assert (where.path, where.line) == (path, 5)
    assert dataset.locate(ox.NamedNode("http://example.org/nowhere")) is None


def test_dataset_is_queryable_as_a_union_of_its_graphs(write):
    dataset = Dataset()
    load([write("a.ttl", TRIPLE), write("b.nt", TRIPLE.replace("/s>", "/t>"))], dataset=dataset)
    rows = list(dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(rows[0]["n"].value) == 2


def test_blank_node_graphs_are_registered_as_stored_and_rolled_back(write):
    dataset = load([write("named.trig", "_:g { <http://example.org/a> <http://example.org/p> <http://example.org/b> }\n")])
    stored = {q.graph_name for q in dataset.quads()}
    assert {graph_key(g) for g in stored} == set(dataset.graphs)  # the registered name is the stored one
    before = set(dataset.quads())
    more = write("more.trig", "_:h { <http://example.org/c> <http://example.org/p> <http://example.org/d> }\n")
    broken = write("z-broken.ttl", "<http://example.org/s> <http://example.org/p> .\n")
    with pytest.raises(RDFSyntaxError):
        load([more, broken], dataset=dataset)
    assert set(dataset.quads()) == before


def test_a_graph_already_in_the_store_is_never_merged_into(write):
    import pyoxigraph as ox

    from kgraph.rdf.dataset import Dataset

    path = write("b.ttl", TRIPLE)
    store = ox.Store()
    existing = ox.Quad(ox.NamedNode("http://example.org/kept"), ox.NamedNode("http://example.org/p"),
                       ox.Literal("existing"), ox.NamedNode(path.resolve().as_uri()))
    store.add(existing)
    with pytest.raises(GraphConflictError, match="already filled"):
        load([path], dataset=Dataset(store))
    assert list(store) == [existing]
