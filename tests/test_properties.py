"""Property-based tests (hypothesis): exports read back equal, bound
parameters never change what a query means, and mutated input never crashes
the parser with anything but kgraph's own clean error."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from kgraph.rdf.dataset import Dataset
from kgraph.errors import InputError
from kgraph.networks.export import to_csv, to_gexf, to_graphml
from kgraph.rdf.parse import parse_file
from kgraph.sparql.saved import SavedQuery
from kgraph.sparql.run import run_query

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


# --- a bound parameter never changes a query's algebra ----------------------

from rdflib.plugins.sparql.algebra import translateQuery  # noqa: E402
from rdflib.plugins.sparql.parser import parseQuery  # noqa: E402
from rdflib.plugins.sparql.parserutils import CompValue  # noqa: E402
from rdflib.term import Identifier  # noqa: E402

from kgraph.errors import KGraphError  # noqa: E402
from kgraph.sparql.saved import read_queries  # noqa: E402
from kgraph.sparql.params import bind_parameters
from kgraph.sparql.params import prepare  # noqa: E402

SAVED = [q for q in read_queries(ROOT / "queries") if q.params] + [
    SavedQuery("typed", ROOT / "typed.rq",
               "SELECT ?s WHERE { ?s ?p ?text . OPTIONAL { ?s ?q ?name } FILTER(?n < 10) }",
               {"param": ["text string", "name langstring optional", "n integer optional"]}),
]
# hostile characters for every position a value can take
hostile = st.lists(st.sampled_from(list('ab <>{}"\'\\#?.;:,@^()|*+-/\n\t') + ["é", "\u2028", "}}", '"""', "} ; DROP ALL ; #"]),
                   max_size=12).map("".join)
iris = st.builds(lambda s: "http://example.org/" + s, st.text(st.sampled_from(list("az09-_~.!$&'()*+,;=:@/?#%")), max_size=20))
VALUES_FOR = {
    "iri": iris,
    "resource": iris,
    "date": st.dates().map(lambda d: d.isoformat()).filter(lambda s: len(s) == 10),
    "integer": st.integers(-10**12, 10**12).map(str),
    "string": hostile,
    "langstring": st.builds(lambda t, lang: f"{t}@{lang}", hostile, st.sampled_from(["en", "ru", "hy-AM", "az-Latn"])),
}


def _benign(param, index: int) -> str:
    """A plain value of the param's type, different for each parameter."""
    return {"iri": f"http://example.org/benign{index}", "resource": f"http://example.org/benign{index}",
            "date": f"2023-03-{index + 1:02d}", "integer": str(index), "string": f"benign {index}",
            "langstring": f"benign {index}@en"}[param.type]


def _shape(node, bound: dict):
    """The algebra as nested tuples, with the inline VALUES rows replaced by one
    marker per variable after checking that each row holds exactly the bound
    terms. Everything outside the VALUES block is compared as it is."""
    if (isinstance(node, CompValue) and node.name == "values"
            and all(str(v) in bound for row in node["res"] for v in row)):  # the block kgraph inserts
        rows = []
        for row in node["res"]:
            for variable, term in row.items():
                expected = bound[str(variable)]
                unbound = term is None or term == "UNDEF"  # how rdflib keeps UNDEF
                assert unbound if expected is None else _same(term, expected), (variable, term)
            rows.append(tuple(sorted(f"PARAM:{variable}" for variable, term in row.items()
                                     if bound[str(variable)] is not None)))
        return ("values", tuple(rows))
    if isinstance(node, CompValue):
        return (node.name, tuple((key, _shape(value, bound)) for key, value in node.items()))
    if isinstance(node, dict):
        return tuple(sorted(((str(key), _shape(value, bound)) for key, value in node.items()), key=repr))
    if isinstance(node, (list, tuple)):
        return tuple(_shape(item, bound) for item in node)
    if isinstance(node, (set, frozenset)):
        return frozenset(_shape(item, bound) for item in node)
    return node


def _same(node: Identifier, term) -> bool:
    """An rdflib term equals a pyoxigraph one (value, language and datatype)."""
    if isinstance(term, ox.NamedNode):
        return type(node).__name__ == "URIRef" and str(node) == term.value
    language = getattr(node, "language", None)
    datatype = getattr(node, "datatype", None)
    return (type(node).__name__ == "Literal" and str(node) == term.value and language == term.language
            and (language is not None or str(datatype or "http://www.w3.org/2001/XMLSchema#string") == term.datatype.value))


def _algebra(saved, values):
    bound = bind_parameters(saved, values)
    text = prepare(saved.text, bound)
    ox.Store().query(text)  # oxigraph parses the same text
    return _shape(translateQuery(parseQuery(text)).algebra, bound), bound


@st.composite
def bindings(draw):
    saved = draw(st.sampled_from(SAVED))
    chosen = draw(st.sets(st.sampled_from(saved.params), min_size=1))
    chosen |= {p for p in saved.params if p.required}
    return saved, {p.name: draw(VALUES_FOR[p.type]) for p in chosen}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bindings())
def test_a_bound_parameter_never_changes_the_algebra(case):
    saved, values = case
    try:
        found, bound = _algebra(saved, values)
    except KGraphError:
        return  # refused (not a valid term of the declared type): nothing runs
    declared = {p.name: p for p in saved.params}
    expected, _ = _algebra(saved, {name: _benign(declared[name], i) for i, name in enumerate(sorted(values))})
    assert found == expected
    # and each value reached the query as one term, whole
    flat = repr(found)
    for variable, term in bound.items():
        if term is not None:
            assert f"PARAM:{variable}" in flat


# --- any RDF kgraph writes reads back equal -----------------------------------

from kgraph.rdf.dump import dump as dump_rdf  # noqa: E402
from kgraph.rdf.load import load  # noqa: E402

awkward = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
iri_part = st.text(st.sampled_from(list("az09-_~.!$&'()*+,;=:@/")), min_size=1, max_size=12)


@st.composite
def quads(draw):
    graphs = [ox.NamedNode(f"https://w3id.org/kgraph/graph/g{n}") for n in range(draw(st.integers(1, 3)))]
    nodes = [ox.NamedNode("http://example.org/" + draw(iri_part)) for _ in range(draw(st.integers(1, 5)))]
    blanks = [ox.BlankNode() for _ in range(draw(st.integers(0, 2)))]
    objects = st.one_of(
        st.sampled_from(nodes + blanks),
        awkward.map(ox.Literal),
        st.tuples(awkward, st.sampled_from(["en", "ru", "hy-AM", "az-Latn"])).map(lambda t: ox.Literal(t[0], language=t[1])),
        st.integers(-10**9, 10**9).map(ox.Literal),
        st.dates().map(lambda d: ox.Literal(d.isoformat(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
    )
    return [ox.Quad(draw(st.sampled_from(nodes + blanks)), draw(st.sampled_from(nodes)), draw(objects), draw(st.sampled_from(graphs)))
            for _ in range(draw(st.integers(1, 12)))]


def _canonical(items) -> set:
    """Each named graph in canonical form (rdflib's), so blank nodes compare up to renaming."""
    import rdflib
    from rdflib.compare import to_isomorphic

    dataset = rdflib.Dataset()
    data = ox.serialize(list(items), format=ox.RdfFormat.N_QUADS)
    dataset.parse(data=data, format="nquads")
    return {(str(c.identifier), to_isomorphic(c)) for c in dataset.graphs() if len(c)}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quads(), st.sampled_from([".trig", ".nq"]))
def test_rdf_dumps_read_back_equal(tmp_path_factory, items, suffix):
    folder = tmp_path_factory.mktemp("dump")
    dataset = Dataset()
    dataset.store.extend(items)
    path = folder / f"out{suffix}"
    dump_rdf(dataset, path)
    back = load([path], allow_empty=True)
    assert _canonical(back.quads()) == _canonical(dataset.quads())


# --- every W3C result format carries every value --------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
xml_safe = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07"
                                 "\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
                                 "\ufffe\uffff\r"), max_size=20)
typed = st.one_of(
    st.integers(-10**6, 10**6).map(lambda n: ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))),
    st.sampled_from(["0", "1", "true", "false"]).map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "boolean"))
                                                     if v in ("true", "false") else ox.Literal(v, datatype=ox.NamedNode(XSD + "integer"))),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: ox.Literal(str(d), datatype=ox.NamedNode(XSD + "decimal"))),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: ox.Literal(repr(f), datatype=ox.NamedNode(XSD + "double"))),
    st.dates().map(lambda d: ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "date"))),
    st.integers(1000, 2100).map(lambda y: ox.Literal(str(y), datatype=ox.NamedNode(XSD + "gYear"))),
    xml_safe.map(ox.Literal),
    st.builds(lambda t, lang: ox.Literal(t, language=lang), xml_safe, st.sampled_from(["en", "ru", "hy-am", "az-latn"])),
    st.builds(lambda s: ox.NamedNode("http://example.org/" + s), st.text(st.sampled_from(list("az09-_~.!$&'()*+,;=:@/")), max_size=10)),
    st.integers(0, 50).map(lambda n: ox.BlankNode(f"b{n}")),
    st.none(),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(typed, min_size=3, max_size=3), max_size=6))
@example([[ox.Literal("\x85"), ox.Literal("a\u2028b"), None]])  # found by Hypothesis
def test_every_result_format_reads_back_every_value(rows):
    """Serialized as JSON, XML, TSV or CSV, every value reads back with
    rdflib's parsers: 0 and false included, datatypes and languages kept
    (CSV keeps lexical forms only, as the W3C format does)."""
    import io

    from rdflib.query import Result as RdflibResult

    from kgraph.sparql.results import QueryResult

    result = QueryResult("select", variables=["a", "b", "c"], rows=[tuple(row) for row in rows])

    def same(ours, theirs) -> bool:
        if ours is None:
            return theirs is None
        if isinstance(ours, ox.BlankNode):
            return type(theirs).__name__ == "BNode"
        if isinstance(ours, ox.NamedNode):
            return type(theirs).__name__ == "URIRef" and str(theirs) == ours.value
        language = getattr(theirs, "language", None)
        datatype = str(getattr(theirs, "datatype", None) or XSD + "string")
        return (str(theirs) == ours.value and (language or None) == ours.language
                and (ours.language is not None or datatype == ours.datatype.value))

    # rdflib's TSV and CSV readers split lines with str.splitlines, which also
    # breaks at U+0085, U+2028 and a few controls that TSV allows inside a
    # literal ("\x85".splitlines() is one line: look for the characters)
    splits = any(term is not None and not isinstance(term, ox.BlankNode)
                 and any(c in term.value for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\r\n")
                 for row in rows for term in row)
    for fmt in ("json", "xml") + (() if splits else ("tsv",)):
        parsed = RdflibResult.parse(io.BytesIO(result.serialize(fmt).encode("utf-8")), format=fmt)
        back = [tuple(binding.get(v) for v in parsed.vars) for binding in parsed.bindings]
        assert [str(v) for v in parsed.vars] == ["a", "b", "c"], fmt
        assert len(back) == len(rows), fmt
        for ours, theirs in zip(rows, back):
            assert all(same(o, t) for o, t in zip(ours, theirs)), (fmt, ours, theirs)
    text = result.serialize("csv")
    readers = [list(csv.reader(io.StringIO(text, newline="")))[1:]]
    if not splits:
        import rdflib

        parsed = RdflibResult.parse(io.BytesIO(text.encode("utf-8")), format="csv")
        readers.append([[str(b.get(rdflib.Variable(v)) or "") for v in "abc"] for b in parsed.bindings])
    for back in readers:
        assert len(back) == len(rows)
        for ours, values in zip(rows, back):
            for term, value in zip(ours, values):
                if term is None:
                    assert value == ""  # CSV cannot tell unbound from empty
                elif not isinstance(term, ox.BlankNode):
                    assert value == term.value


def test_xml_refuses_what_xml_cannot_carry():
    from kgraph.sparql.results import QueryResult

    result = QueryResult("select", variables=["a"], rows=[(ox.Literal("bell \x07"),)])
    with pytest.raises(ValueError, match="U\\+0007"):
        result.serialize("xml")
    assert "bell" in result.serialize("json")
