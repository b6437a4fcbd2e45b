"""Property-based tests (hypothesis): exports read back equal, bound
parameters never change what a query means, and mutated input never crashes
the parser with anything but kgraph's own clean error."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgraph.dataset import Dataset
from kgraph.errors import InputError
from kgraph.export import to_csv, to_gexf, to_graphml
from kgraph.loader import parse_file
from kgraph.queries import SavedQuery
from kgraph.querying import run_query

from conftest import ROOT

text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
value = st.one_of(text, st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
                  st.booleans(), st.lists(text, min_size=1, max_size=4))
names = st.sampled_from(["kind", "polity", "quotes", "betweenness", "count", "flag", "events"])


@st.composite
def graphs(draw):
    directed = draw(st.booleans())
    G = nx.DiGraph() if directed else nx.Graph()
    nodes = draw(st.lists(st.from_regex(r"https://w3id\.org/kgraph/actor/[a-z]{1,8}", fullmatch=True),
                          min_size=1, max_size=8, unique=True))
    # one type per attribute name across the graph, as the projections produce
    kinds = {name: draw(value) for name in ("kind", "polity", "quotes", "betweenness", "count", "flag", "events")}
    for node in nodes:
        attributes = {name: draw(st.from_type(type(kinds[name])) if False else _like(kinds[name]))
                      for name in draw(st.sets(names, max_size=3))}
        G.add_node(node, label=draw(text), **attributes)
    for u in nodes:
        for v in nodes:
            if u != v and draw(st.booleans()):
                G.add_edge(u, v, weight=draw(st.integers(1, 9)), relation=draw(st.sampled_from(["mediates", "reports"])))
    return G


def _like(example):
    if isinstance(example, bool):
        return st.booleans()
    if isinstance(example, int):
        return st.integers(-10**6, 10**6)
    if isinstance(example, float):
        return st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    if isinstance(example, list):
        return st.lists(text, min_size=1, max_size=4)
    return text


def _expected(value):
    return json.dumps([str(v) for v in value], ensure_ascii=False) if isinstance(value, list) else value


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(graphs())
def test_gexf_and_graphml_read_back_equal(G):
    read = nx.read_gexf(io.BytesIO(to_gexf(G)))
    assert set(read.nodes) == set(G.nodes) and read.number_of_edges() == G.number_of_edges()
    for node, data in G.nodes(data=True):
        assert read.nodes[node]["label"] == " ".join(data["label"].split()) or read.nodes[node]["label"] == data["label"]
    graphml = nx.read_graphml(io.BytesIO(to_graphml(G)))
    for node, data in G.nodes(data=True):
        for key, val in data.items():
            got = graphml.nodes[node][key]
            assert got == _expected(val) or (isinstance(val, float) and abs(got - val) < 1e-9 * max(1, abs(val)))


@SETTINGS
@given(graphs())
def test_csv_reads_back_equal(G):
    nodes, edges = to_csv(G)
    rows = {r["Id"]: r for r in csv.DictReader(io.StringIO(nodes.decode("utf-8")))}
    assert set(rows) == set(G.nodes)
    assert all(rows[n]["Label"] == d["label"] for n, d in G.nodes(data=True))
    ties = {(r["Source"], r["Target"]) for r in csv.DictReader(io.StringIO(edges.decode("utf-8")))}
    assert ties == set(G.edges)


LABELS = ["plain", 'with "quotes"', "back\\slash", "brace } and ; DROP ALL ; #", "new\nline", "tab\there", "ünïcödé ’“”", "x> } ."]


def _labelled() -> Dataset:
    dataset = Dataset()
    dataset.store.extend(
        ox.Quad(ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                ox.Literal(label), ox.NamedNode("http://example.org/g"))
        for i, label in enumerate(LABELS)
    )
    return dataset


BY_LABEL = SavedQuery("by-label", ROOT / "by-label.rq",
                      "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?text }",
                      {"param": ["text string"]})


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.sampled_from(LABELS), st.text(max_size=40)))
def test_a_bound_string_only_ever_selects_by_value(candidate):
    dataset = _labelled()
    before = len(dataset)
    rows = run_query(dataset, BY_LABEL, {"text": candidate}).rows
    expected = {f"http://example.org/{i}" for i, label in enumerate(LABELS) if label == candidate}
    assert {row[0].value for row in rows} == expected
    assert len(dataset) == before


VALID = (ROOT / "data" / "registry" / "places.ttl").read_bytes()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=6))
def test_mutated_bytes_never_crash_the_parser(tmp_path_factory, mutations):
    data = bytearray(VALID)
    for position, byte in mutations:
        data[position] = byte
    path = tmp_path_factory.mktemp("mutated") / "mutated.ttl"
    path.write_bytes(bytes(data))
    try:
        parse_file(path)
    except InputError:
        pass  # a clean, located error is the only acceptable failure
