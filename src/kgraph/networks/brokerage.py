"""Gould-Fernandez brokerage: who stands between whom, by the groups of the
three actors on each open two-path."""

from __future__ import annotations

from collections import Counter

import networkx as nx

__all__ = ["BROKERAGE_ROLES", "brokerage"]

#: Gould-Fernandez brokerage roles, for a two-path a -> b -> c with no tie a -> c.
BROKERAGE_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def _flow_graph(G: nx.Graph) -> nx.DiGraph:
    """The directed ties that brokerage is measured on.

    A graph may name the relation that carries flows (``G.graph["flow_relation"]``,
    e.g. ``"mediates"``); only those edges count, in both directions, since a
    mediator passes messages both ways. Otherwise every edge counts as it is
    (an undirected edge in both directions).
    """
    relation = G.graph.get("flow_relation")
    D = nx.DiGraph()
    D.add_nodes_from(G)
    for u, v, data in G.edges(data=True):
        if relation and data.get("relation") != relation:
            continue
        D.add_edge(u, v)
        if relation or not G.is_directed():
            D.add_edge(v, u)
    return D


def brokerage(G: nx.Graph, groups: dict[str, str]) -> dict[str, Counter]:
    """Gould-Fernandez brokerage role counts for every node.

    For every two-path a -> b -> c (a, b, c distinct) with no tie a -> c, the
    broker b gets one count of the role given by the groups of a, b and c:
    coordinator (all one group), itinerant (a and c share a group that b is
    not in), representative (a and b share a group, c is outside),
    gatekeeper (b and c share a group, a is outside), liaison (three groups).
    Undirected ties count in both directions, so each open two-path of an
    undirected graph is counted twice (once each way).

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> brokerage(G, {"a": "x", "b": "y", "c": "z"})["b"]["liaison"]
    2
    """
    import numpy as np
    from scipy import sparse

    D = _flow_graph(G)
    nodes = list(D)
    counts = {node: Counter({role: 0 for role in BROKERAGE_ROLES}) for node in nodes}
    if D.number_of_edges() == 0:
        return counts
    # Counted with sparse matrices. All two-paths a -> b -> c through broker
    # b, by role, follow in closed form from b's in- and out-ties per group;
    # from them go the closed ones (a -> c exists) and the returns a -> b -> a.
    index = {node: i for i, node in enumerate(nodes)}
    group_ids = {g: i for i, g in enumerate(sorted(set(groups[n] for n in nodes)))}
    gid = np.array([group_ids[groups[n]] for n in nodes])
    rows = np.array([index[u] for u, v in D.edges()])
    cols = np.array([index[v] for u, v in D.edges()])
    n = len(nodes)
    within = gid[rows] == gid[cols]

    def matrix(mask):
        return sparse.csr_array((np.ones(int(mask.sum())), (rows[mask], cols[mask])), shape=(n, n))

    A, A_s, A_n = matrix(np.ones(len(rows), bool)), matrix(within), matrix(~within)
    one_hot = sparse.csr_array((np.ones(n), (np.arange(n), gid)), shape=(n, len(group_ids)))
    in_total, out_total = A.sum(axis=0), A.sum(axis=1)
    in_same, out_same = A_s.sum(axis=0), A_s.sum(axis=1)
    per_group = ((A.T @ one_hot).multiply(A @ one_hot)).sum(axis=1)
    itinerant = per_group - in_same * out_same
    totals = {
        "coordinator": in_same * out_same,
        "representative": in_same * (out_total - out_same),
        "gatekeeper": (in_total - in_same) * out_same,
        "itinerant": itinerant,
        "liaison": (in_total - in_same) * (out_total - out_same) - itinerant,
    }

    def closed(into_b, a_to_c, b_to_c):
        # sum over a, c of into_b[a, b] * a_to_c[a, c] * b_to_c[b, c], for every b
        return into_b.multiply(a_to_c @ b_to_c.T).sum(axis=0)

    totals["coordinator"] = totals["coordinator"] - closed(A_s, A, A_s) - A_s.multiply(A_s.T).sum(axis=0)
    totals["representative"] = totals["representative"] - closed(A_s, A, A_n)
    totals["gatekeeper"] = totals["gatekeeper"] - closed(A_n, A, A_s)
    totals["itinerant"] = totals["itinerant"] - closed(A_n, A_s, A_n) - A_n.multiply(A_n.T).sum(axis=0)
    totals["liaison"] = totals["liaison"] - closed(A_n, A_n, A_n)
    for role, values in totals.items():
        for node, value in zip(nodes, np.asarray(values).ravel()):
            counts[node][role] = int(round(value))
    return counts


def _role(ga: str, gb: str, gc: str) -> str:
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if ga == gb:
        return "representative"
    if gb == gc:
        return "gatekeeper"
    return "liaison"
