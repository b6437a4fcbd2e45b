"""Exports for Gephi: GEXF 1.3 validated against the schema and read back by
two independent readers, GraphML read back by networkx and igraph, the CSV
pair, atomic writes, and the RDF dump."""

from __future__ import annotations

import csv
import io
import json
import os

import networkx as nx
import pyoxigraph as ox
import pytest
from lxml import etree

from kgraph._util import atomic
from kgraph.networks.export import export, to_gexf, with_metrics
from kgraph.networks.projections import network

from conftest import TEST_DATA

GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
NETWORKS = ["mediation", "interaction", "stance", "signed", "conflict", "claims"]


@pytest.fixture(scope="module")
def graphs(project):
    from kgraph.project import load_project

    dataset = load_project(None, project)
    return {name: with_metrics(network(name, dataset, project=project)) for name in NETWORKS}


def _schema():
    return etree.XMLSchema(etree.parse(str(TEST_DATA / "gexf-1.3" / "gexf.xsd")))


def _without_viz(path):
    document = etree.parse(str(path))
    for element in list(document.getroot().iter(f"{VIZ}*")):
        element.getparent().remove(element)
    return document


def _expected(value):
    """How a value is written: lists as JSON text."""
    return json.dumps([str(v) for v in value], ensure_ascii=False) if isinstance(value, list) else value


def read_gexf_independently(path) -> dict:
    """A small GEXF reader of our own (lxml, not networkx): nodes and edges
    with their typed attribute values, spells and viz."""
    root = etree.parse(str(path)).getroot()
    graph = root.find(f"{GEXF}graph")
    types = {}
    for declaration in graph.findall(f"{GEXF}attributes"):
        for attribute in declaration.findall(f"{GEXF}attribute"):
            types[(declaration.get("class"), attribute.get("id"))] = attribute.get("type")
    cast = {"integer": int, "double": float, "boolean": lambda v: v == "true", "string": str, "liststring": str}

    def values(element, cls):
        found = {}
        for attvalue in element.iterfind(f"{GEXF}attvalues/{GEXF}attvalue"):
            found[attvalue.get("for")] = cast[types[(cls, attvalue.get("for"))]](attvalue.get("value"))
        return found

    def spells(element):
        return [(s.get("start"), s.get("end")) for s in element.iterfind(f"{GEXF}spells/{GEXF}spell")]

    nodes = {
        n.get("id"): {"label": n.get("label"), "values": values(n, "node"), "spells": spells(n),
                      "colour": n.find(f"{VIZ}color").attrib, "size": float(n.find(f"{VIZ}size").get("value"))}
        for n in graph.iterfind(f"{GEXF}nodes/{GEXF}node")
    }
    edges = {
        (e.get("source"), e.get("target")): {"weight": float(e.get("weight")), "label": e.get("label"),
                                             "values": values(e, "edge"), "spells": spells(e)}
        for e in graph.iterfind(f"{GEXF}edges/{GEXF}edge")
    }
    return {"graph": dict(graph.attrib), "types": types, "nodes": nodes, "edges": edges}


@pytest.mark.parametrize("name", NETWORKS)
def test_gexf_is_valid_and_reads_back_intact(graphs, name, tmp_path):
    G = graphs[name]
    path = tmp_path / f"{name}.gexf"
    export(G, path, metrics=False)
    schema = _schema()
    assert schema.validate(_without_viz(path)), schema.error_log

    mine = read_gexf_independently(path)
    assert mine["graph"]["defaultedgetype"] == ("directed" if G.is_directed() else "undirected")
    assert set(mine["nodes"]) == set(G.nodes)
    assert set(mine["edges"]) == set(G.edges) if G.is_directed() else {frozenset(e) for e in mine["edges"]} == {frozenset(e) for e in G.edges}
    for node, data in G.nodes(data=True):
        read = mine["nodes"][node]
        assert read["label"] == data["label"]
        for key, value in data.items():
            if key != "label" and value not in ("", [], None):
                assert read["values"][key] == pytest.approx(_expected(value)) if isinstance(value, float) else read["values"][key] == _expected(value), (node, key)
        assert read["size"] > 0 and set(read["colour"]) == {"r", "g", "b"}
    for u, v, data in G.edges(data=True):
        read = mine["edges"][(u, v)] if (u, v) in mine["edges"] else mine["edges"][(v, u)]
        assert read["weight"] == pytest.approx(float(data.get("weight", 1)))
        assert read["label"] == data.get("relation")
        assert read["spells"] == [(d, d) for d in sorted(set(data.get("dates", [])))]
        for key, value in data.items():
            if key not in ("weight", "relation", "dates", "start", "end") and value not in ("", [], None):
                assert read["values"][key] == _expected(value), (u, v, key)
    reserved = {key for cls, key in mine["types"]} & {"id", "label", "weight", "start", "end", "type"}
    assert not reserved

    # networkx reads the same file, attributes under their titles
    H = nx.read_gexf(path)
    assert set(H.nodes) == set(G.nodes) and H.number_of_edges() == G.number_of_edges()
    assert all(H.nodes[n]["label"] == G.nodes[n]["label"] for n in G)
    assert all(H.nodes[n]["Kind"] == G.nodes[n]["kind"] for n in G)


def test_mediation_gexf_is_dynamic_with_dates(graphs, tmp_path):
    path = tmp_path / "mediation.gexf"
    export(graphs["mediation"], path)
    mine = read_gexf_independently(path)
    assert (mine["graph"]["mode"], mine["graph"]["timeformat"]) == ("dynamic", "date")
    tie = mine["edges"][("https://w3id.org/kgraph/actor/russian-peacekeeping-contingent", "https://w3id.org/kgraph/actor/azerbaijan")]
    assert tie["spells"] == [("2023-03-01", "2023-03-01")]
    assert tie["label"] == "mediates"
    assert mine["types"][("node", "betweenness")] == "double"
    assert mine["types"][("edge", "events")] == "liststring"
    H = nx.read_gexf(path)
    assert H.nodes["https://w3id.org/kgraph/actor/azerbaijan"]["spells"] == [("2023-03-01", "2023-03-01")]


def test_export_adds_metrics(project, tmp_path):
    path = tmp_path / "m.gexf"
    export(network("mediation", project=project), path)
    node = read_gexf_independently(path)["nodes"]["https://w3id.org/kgraph/actor/russian-peacekeeping-contingent"]
    assert node["values"]["liaison"] == 2 and "betweenness" in node["values"]


@pytest.mark.parametrize("name", NETWORKS)
def test_graphml_reads_back_in_networkx_and_igraph(graphs, name, tmp_path):
    import igraph

    G = graphs[name]
    path = tmp_path / f"{name}.graphml"
    export(G, path, metrics=False)
    H = nx.read_graphml(path)
    assert set(H.nodes) == set(G.nodes) and H.number_of_edges() == G.number_of_edges()
    for node, data in G.nodes(data=True):
        for key, value in data.items():
            if value not in (None,):
                read = H.nodes[node][key]
                assert (json.loads(read) == [str(v) for v in value]) if isinstance(value, list) else read == pytest.approx(value) if isinstance(value, float) else read == value
    for u, v, data in G.edges(data=True):
        assert H.edges[u, v]["weight"] == pytest.approx(data["weight"])
    ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.vcount() == len(G) and ig.ecount() == G.number_of_edges()
    assert sorted(ig.vs["label"]) == sorted(d["label"] for _, d in G.nodes(data=True))
    assert ig.is_directed() == G.is_directed()


@pytest.mark.parametrize("name", NETWORKS)
def test_csv_pair_for_gephi(graphs, name, tmp_path):
    G = graphs[name]
    written = export(G, tmp_path / f"{name}.csv", metrics=False)
    assert [p.name for p in written] == [f"{name}-nodes.csv", f"{name}-edges.csv"]
    nodes = list(csv.DictReader(io.StringIO(written[0].read_text(encoding="utf-8"))))
    edges = list(csv.DictReader(io.StringIO(written[1].read_text(encoding="utf-8"))))
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:5] == ["Source", "Target", "Type", "Weight", "Label"]
    assert {r["Id"]: r["Label"] for r in nodes} == {n: d["label"] for n, d in G.nodes(data=True)}
    assert {(r["Source"], r["Target"]) for r in edges} == set(G.edges)
    assert {r["Type"] for r in edges} == {"Directed" if G.is_directed() else "Undirected"}
    for r in edges:
        assert float(r["Weight"]) == pytest.approx(G.edges[r["Source"], r["Target"]]["weight"])
    if name == "mediation":
        assert {r["Timeset"] for r in edges} == {"<[2023-03-01, 2023-03-01]>"}


def test_an_interrupted_write_leaves_the_previous_file(graphs, tmp_path, monkeypatch):
    path = tmp_path / "mediation.gexf"
    export(graphs["mediation"], path)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    from kgraph.errors import OutputError

    with pytest.raises(OutputError, match="disk full"):
        export(graphs["stance"], path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mediation.gexf"], "no temporary file is left behind"

    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        export(graphs["stance"], path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mediation.gexf"]


def test_new_files_get_ordinary_permissions(graphs, tmp_path):
    path = tmp_path / "m.gexf"
    export(graphs["mediation"], path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("args, message", [
    (["export", "mediation", "-o", "/no/such/folder/m.gexf"], "folder does not exist"),
    (["export", "mediation", "-o", "m.xlsx"], "use .gexf, .graphml or .csv"),
    (["export", "mediation"], "give a NETWORK and -o FILE"),
    (["export", "friendship", "-o", "f.gexf"], "unknown network"),
    (["export", "--rdf", "dump.xyz"], "cannot dump RDF"),
])
def test_export_errors_exit_2(run, args, message):
    out = run(*args)
    assert out.exit_code == 2
    assert message in out.stderr


@pytest.mark.parametrize("suffix, graphs_expected", [(".trig", True), (".nq", True), (".ttl", False), (".nt", False)])
def test_rdf_dump(run, tmp_path, suffix, graphs_expected):
    path = tmp_path / f"dump{suffix}"
    out = run("export", "--rdf", path)
    assert out.exit_code == 0, out.output
    quads = list(ox.parse(path=str(path)))
    named = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    if graphs_expected:
        assert ox.NamedNode("https://w3id.org/kgraph/graph/articles/baku-stepanakert-contacts-opinion") in named
    else:
        assert not named
    assert any(q.object == ox.Literal("encouraging") for q in quads)


def test_cli_export_formats(run, tmp_path):
    for suffix in (".gexf", ".graphml"):
        out = run("export", "stance", "--level", "polity", "-o", tmp_path / f"s{suffix}")
        assert out.exit_code == 0, out.output
    assert _schema().validate(_without_viz(tmp_path / "s.gexf"))
    out = run("export", "claims", "-o", tmp_path / "claims.csv")
    assert out.stdout.splitlines() == [f"wrote {tmp_path / 'claims-nodes.csv'}", f"wrote {tmp_path / 'claims-edges.csv'}"]
    gexf = to_gexf(network("mediation"))
    assert gexf.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


KILL_EXPORT = """
import sys
import networkx as nx
from kgraph.networks.export import export
G = nx.gnm_random_graph(40_000, 120_000, seed=1, directed=True)
nx.relabel_nodes(G, {n: f"https://w3id.org/kgraph/actor/n{n}" for n in G}, copy=False)
for n in G:
    G.nodes[n]["label"] = n.rsplit("/", 1)[-1]
print("ready", flush=True)
while True:
    export(G, sys.argv[1], metrics=False)
"""


def test_kill_9_during_an_export_leaves_the_old_or_a_whole_new_file(tmp_path):
    """kill -9 while the file is being written (its temporary file is there):
    the target is the old file or a whole new one, never a partial one."""
    import signal
    import subprocess
    import sys
    import time

    from lxml import etree

    path = tmp_path / "big.gexf"
    path.write_text("old\n")
    mid_write = 0
    for attempt in range(20):
        process = subprocess.Popen([sys.executable, "-c", KILL_EXPORT, str(path)], stdout=subprocess.PIPE)
        assert process.stdout.readline() == b"ready\n"
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".big.gexf.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        process.wait()
        leftovers = list(tmp_path.glob(".big.gexf.*.tmp"))
        mid_write += bool(leftovers)  # the kill landed while the temporary file was being written
        data = path.read_bytes()
        if data != b"old\n":
            root = etree.fromstring(data)  # a whole document, or this raises
            assert len(root.find("{*}graph/{*}nodes")) == 40_000
        assert all(p.name == "big.gexf" or p in leftovers for p in tmp_path.iterdir())
        for leftover in leftovers:
            leftover.unlink()
        if mid_write >= 3:
            break
    assert mid_write >= 3, "the kills never landed while a file was being written"
