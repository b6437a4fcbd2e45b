"""Analysis measures on small hand-made graphs, with values worked out by hand,
and on the article's networks."""

from __future__ import annotations

import json
import math
import random
from collections import Counter

import networkx as nx
import pytest

from kgraph.networks.analysis import analyze, balance, summarize_graph
from kgraph.networks.brokerage import BROKERAGE_ROLES, _flow_graph, _role, brokerage
from kgraph.networks.projections import network

A = "https://w3id.org/kgraph/actor/"


def path_graph() -> nx.Graph:
    G = nx.Graph()
    G.add_edges_from([("a", "b"), ("b", "c")])
    return G


def test_centralities_on_a_path():
    result = analyze(path_graph())
    a, b = result.node("a"), result.node("b")
    assert (a.degree, b.degree) == (1, 2)
    assert (a.degree_centrality, b.degree_centrality) == (0.5, 1.0)
    assert (a.betweenness, b.betweenness) == (0.0, 1.0)
    assert a.closeness == pytest.approx(2 / 3) and b.closeness == 1.0
    # the path's leading eigenvector is (1/2, 1/sqrt 2, 1/2)
    assert a.eigenvector == pytest.approx(0.5, abs=1e-6) and b.eigenvector == pytest.approx(1 / math.sqrt(2), abs=1e-6)
    assert result.approximate is False and result.k is None


def test_summary_density_and_components():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "e")])
    summary = summarize_graph(G)
    assert (summary.nodes, summary.edges, summary.components, summary.directed) == (5, 3, 2, True)
    assert summary.density == pytest.approx(3 / 20)


@pytest.mark.parametrize("groups, role", [
    ({"a": "x", "b": "x", "c": "x"}, "coordinator"),
    ({"a": "x", "b": "y", "c": "x"}, "itinerant"),
    ({"a": "x", "b": "x", "c": "y"}, "representative"),
    ({"a": "x", "b": "y", "c": "y"}, "gatekeeper"),
    ({"a": "x", "b": "y", "c": "z"}, "liaison"),
])
def test_each_brokerage_role(groups, role):
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    counts = brokerage(G, groups)
    assert counts["b"] == Counter({r: (1 if r == role else 0) for r in BROKERAGE_ROLES})
    assert sum(counts["a"].values()) == sum(counts["c"].values()) == 0
    G.add_edge("a", "c")  # a closed triad is no brokerage
    assert sum(brokerage(G, groups)["b"].values()) == 0


def test_undirected_paths_count_both_ways():
    counts = brokerage(path_graph(), {"a": "x", "b": "x", "c": "y"})
    # a-b-c counts as representative (a->b->c) and gatekeeper (c->b->a)
    assert (counts["b"]["representative"], counts["b"]["gatekeeper"]) == (1, 1)


def _naive(G, groups):
    D = _flow_graph(G)
    counts = {n: Counter({r: 0 for r in BROKERAGE_ROLES}) for n in D}
    for b in D:
        for a in D.predecessors(b):
            for c in D.successors(b):
                if len({a, b, c}) == 3 and not D.has_edge(a, c):
                    counts[b][_role(groups[a], groups[b], groups[c])] += 1
    return counts


@pytest.mark.parametrize("seed", range(12))
def test_matrix_brokerage_matches_enumeration(seed):
    rng = random.Random(seed)
    G = nx.gnp_random_graph(30, 0.15, seed=seed, directed=seed % 2 == 0)
    groups = {n: rng.choice("wxyz") for n in G}
    assert brokerage(G, groups) == _naive(G, groups)


def test_flow_relation_limits_brokerage_to_mediation_ties():
    G = nx.DiGraph(flow_relation="mediates")
    G.add_edge("m", "p", relation="mediates")
    G.add_edge("m", "q", relation="mediates")
    G.add_edge("p", "q", relation="counterpart")
    G.add_edge("q", "p", relation="counterpart")
    counts = brokerage(G, {"m": "r", "p": "s", "q": "t"})
    assert counts["m"]["liaison"] == 2  # p -> m -> q and q -> m -> p


def test_balance_counts_signed_triangles():
    G = nx.Graph()
    signs = {("a", "b", "c"): (1, 1, 1), ("d", "e", "f"): (1, 1, -1), ("g", "h", "i"): (1, -1, -1), ("j", "k", "l"): (-1, -1, -1)}
    for (x, y, z), (s1, s2, s3) in signs.items():
        G.add_edge(x, y, sign=s1)
        G.add_edge(y, z, sign=s2)
        G.add_edge(x, z, sign=s3)
    result = balance(G)
    assert (result.triads, result.balanced, result.share) == (4, 2, 0.5)
    assert balance(path_graph()) is None
    unsigned_triangle = nx.Graph([("a", "b"), ("b", "c")])
    unsigned_triangle.add_edge("a", "c", sign=1)
    assert balance(unsigned_triangle).triads == 0


def test_coalitions_split_two_cliques():
    G = nx.Graph()
    G.add_edges_from((u, v) for group in ("abcd", "efgh") for i, u in enumerate(group) for v in group[i + 1:])
    G.add_edge("d", "e")
    result = analyze(G)
    assert result.communities == [["a", "b", "c", "d"], ["e", "f", "g", "h"]]
    assert result.node("a").community == result.node("d").community != result.node("e").community


def test_negative_ties_do_not_make_coalitions():
    G = nx.Graph()
    G.add_edge("a", "b", sign=1)
    G.add_edge("b", "c", sign=-1)
    assert analyze(G).communities == [["a", "b"], ["c"]]


def test_sampled_estimates_equal_exact_values_when_every_source_is_sampled():
    G = nx.Graph([(0, 1), (1, 2), (2, 3), (1, 4), (5, 6)])
    exact = analyze(G)
    sampled = analyze(G, exact_limit=2, k=len(G))
    assert sampled.approximate and sampled.k == 7 and "sampled" in sampled.notes[0]
    for node in G:
        assert sampled.node(node).betweenness == pytest.approx(exact.node(node).betweenness)
        assert sampled.node(node).closeness == pytest.approx(exact.node(node).closeness)


def test_eigenvector_of_a_directed_acyclic_graph_uses_the_undirected_one():
    result = analyze(nx.DiGraph([("a", "b"), ("a", "c")]))
    assert result.node("a").eigenvector > result.node("b").eigenvector > 0
    assert "undirected" in result.notes[0]


def test_the_peacekeepers_are_liaison_brokers(project):
    result = analyze(network("mediation", project=project))
    contingent = result.node(A + "russian-peacekeeping-contingent")
    assert contingent.liaison == 2 and contingent.brokerage == 2
    for party in ("azerbaijan", "nagorno-karabakh"):
        assert result.node(A + party).brokerage == 0
    polity = analyze(network("mediation", project=project, level="polity"))
    assert polity.node(A + "russia").liaison == 2


def test_the_signed_article_network_is_balanced(project):
    result = analyze(network("signed", project=project))
    assert (result.balance.triads, result.balance.balanced) == (1, 1)


def test_analyze_json_and_csv(run):
    out = run("analyze", "mediation", "--format", "json")
    assert out.exit_code == 0, out.output
    document = json.loads(out.stdout)
    node = next(n for n in document["nodes"] if n["id"] == A + "russian-peacekeeping-contingent")
    assert (node["label"], node["kind"], node["liaison"]) == ("Russian peacekeeping contingent", "PeacekeepingContingent", 2)
    for metric in ("degree", "betweenness", "closeness", "eigenvector", "community"):
        assert metric in node
    assert document["summary"] == {"nodes": 3, "edges": 4, "density": pytest.approx(4 / 6), "components": 1, "directed": True}
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("analyze", "mediation", "--level", "polity", "--format", "csv").stdout)))
    assert {r["label"]: r["liaison"] for r in rows}["Russia"] == "2"
    table = run("analyze", "signed")
    assert "balance: 1 of 1 signed triads balanced" in table.stdout


def test_networks_lists_the_projections(run):
    out = run("networks", "--format", "json")
    names = [p["name"] for p in json.loads(out.stdout)]
    assert names == ["mediation", "interaction", "stance", "congruence", "conflict", "signed", "claims"]


@pytest.mark.parametrize("args, message", [
    (["analyze", "friendship"], "unknown network"),
    (["analyze", "mediation", "--level", "village"], "Invalid value for '--level'"),
    (["analyze", "stance", "--start", "March"], "not a date"),
    (["plot", "mediation", "-o", "out.jpg"], "use a .png or .svg file"),
])
def test_network_command_errors_exit_2(run, args, message):
    out = run(*args)
    assert out.exit_code == 2
    assert message in out.stderr


def test_plot_png_and_svg(run, tmp_path):
    import xml.etree.ElementTree as ET

    import matplotlib.image

    png = tmp_path / "mediation.png"
    assert run("plot", "mediation", "-o", png).exit_code == 0
    image = matplotlib.image.imread(png)
    assert image.shape[0] > 400 and image.shape[1] > 400
    svg = tmp_path / "stance.svg"
    assert run("plot", "stance", "--level", "polity", "-o", svg).exit_code == 0
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = svg.read_text()
    assert "United States" in text and "Ned Price" not in text  # Price folds into the United States
    assert run("plot", "mediation", "-o", tmp_path / "missing" / "x.png").exit_code == 2


def test_eigenvector_of_a_large_directed_graph_that_is_not_strongly_connected():
    """Above the exact limit, eigenvector centrality is computed on the largest
    strongly connected component (networkx refuses a graph that is not one)."""
    import networkx as nx

    G = nx.DiGraph()
    nx.add_cycle(G, ["a", "b", "c", "d"])
    nx.add_cycle(G, ["x", "y", "z"])
    G.add_edge("d", "x")
    result = analyze(G, exact_limit=3)
    assert result.node("a").eigenvector > 0 and result.node("x").eigenvector == 0
    assert any("largest strongly connected component (4 of 7 nodes)" in note for note in result.notes)


def test_a_plot_an_analyst_can_read(tmp_path):
    """Shortened labels keep their full text as the SVG title; the legend
    names only what is drawn, polarity by colour and what sizes the nodes; a
    large network is drawn as its top nodes, saying how many were left out."""
    import re

    import networkx as nx

    from kgraph.networks.plot import plot

    G = nx.DiGraph(name="stance")
    long_name = "The Foreign Ministry of the unrecognized Nagorno-Karabakh Republic said so"
    G.add_node("a", label=long_name, kind="ForeignMinistry")
    G.add_node("b", label="Peace talks", kind="Issue")
    G.add_edge("a", "b", sign=-1, relation="rejects", weight=1)
    svg = plot(G, tmp_path / "small.svg").read_text(encoding="utf-8")
    assert f"<title>{long_name}</title>" in svg
    assert "opposes (−)" in svg and "supports (+)" not in svg, "only the signs drawn are in the legend"
    assert "node size: degree" in svg and "ForeignMinistry" in svg and "Claim" not in svg
    assert "rejects" not in svg, "stance types are not listed as identical grey lines"
    big = nx.gnm_random_graph(200, 400, seed=1)
    nx.set_node_attributes(big, {n: f"node {n}" for n in big}, "label")
    svg = plot(big, tmp_path / "big.svg", top=25).read_text(encoding="utf-8")
    assert "the 25 nodes with the highest degree are drawn; 175 more are left out" in svg
    assert len(re.findall(r">node \d+<", svg)) == 25


def test_node_measures_only_skip_communities_and_balance_and_keep_the_measures():
    G = nx.karate_club_graph()
    full, measures = analyze(G), analyze(G, communities=False)
    assert full.communities and measures.communities == [] and measures.balance is None
    assert {n.community for n in measures.nodes} == {-1}
    assert [(n.id, n.betweenness, n.closeness, n.eigenvector, n.brokerage) for n in measures.nodes] \
        == [(n.id, n.betweenness, n.closeness, n.eigenvector, n.brokerage) for n in full.nodes]
