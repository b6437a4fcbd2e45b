"""Measures on the projected networks, with networkx.

:func:`analyze` returns one typed :class:`Analysis`: per node degree,
betweenness, closeness and eigenvector centrality, Gould-Fernandez brokerage
roles and community; for the whole graph a summary, the structural balance of
its signed ties, and the coalitions (communities) found.

Large graphs: betweenness is estimated from ``k`` sampled sources and
closeness from ``k`` sampled BFS sources when the graph has more than
``exact_limit`` nodes; the result says so (``approximate``, ``k``).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

import networkx as nx

from .._util.gc import without_gc_pauses
from .brokerage import BROKERAGE_ROLES, brokerage

__all__ = [
    "Analysis",
    "NodeMetrics",
    "GraphSummary",
    "Balance",
    "BROKERAGE_ROLES",
    "METRICS",
    "analyze",
    "brokerage",
    "balance",
    "summarize_graph",
]

#: Every per-node measure, by name, with the title people read (in exports,
#: tables and listings). The one list of metric names.
METRICS: dict[str, str] = {
    "degree": "Degree",
    "degree_centrality": "Degree centrality",
    "betweenness": "Betweenness centrality",
    "closeness": "Closeness centrality",
    "eigenvector": "Eigenvector centrality",
    "coordinator": "Brokerage: coordinator",
    "itinerant": "Brokerage: itinerant",
    "representative": "Brokerage: representative",
    "gatekeeper": "Brokerage: gatekeeper",
    "liaison": "Brokerage: liaison",
    "brokerage": "Brokerage: total",
    "community": "Coalition",
}


@dataclass
class NodeMetrics:
    """The measures of one node. Centralities are networkx's normalised values."""

    id: str
    label: str
    kind: str
    group: str
    degree: int
    degree_centrality: float
    betweenness: float
    closeness: float
    eigenvector: float | None
    coordinator: int = 0
    itinerant: int = 0
    representative: int = 0
    gatekeeper: int = 0
    liaison: int = 0
    brokerage: int = 0
    community: int = 0


@dataclass
class GraphSummary:
    nodes: int
    edges: int
    density: float
    components: int
    directed: bool


@dataclass
class Balance:
    """Structural balance: signed triangles whose sign product is positive."""

    triads: int
    balanced: int

    @property
    def share(self) -> float | None:
        return self.balanced / self.triads if self.triads else None


@dataclass
class Analysis:
    """Everything :func:`analyze` measured."""

    network: str
    summary: GraphSummary
    nodes: list[NodeMetrics]
    communities: list[list[str]]
    balance: Balance | None
    approximate: bool = False
    k: int | None = None
    notes: list[str] = field(default_factory=list)

    def metrics(self, node: NodeMetrics) -> dict[str, object]:
        """One node's measures, by the names in :data:`METRICS`."""
        return {name: getattr(node, name) for name in METRICS}

    def node(self, node_id: str) -> NodeMetrics:
        for metrics in self.nodes:
            if metrics.id == node_id:
                return metrics
        raise KeyError(node_id)

    def to_dict(self) -> dict:
        balance = None
        if self.balance is not None:
            balance = {"triads": self.balance.triads, "balanced": self.balance.balanced, "share": self.balance.share}
        return {
            "network": self.network,
            "summary": asdict(self.summary),
            "approximate": self.approximate,
            "k": self.k,
            "balance": balance,
            "communities": self.communities,
            "notes": self.notes,
            "nodes": [asdict(n) for n in self.nodes],
        }


def summarize_graph(G: nx.Graph) -> GraphSummary:
    """Nodes, edges, density and (weakly) connected components."""
    components = (
        nx.number_weakly_connected_components(G) if G.is_directed() else nx.number_connected_components(G)
    ) if len(G) else 0
    return GraphSummary(len(G), G.number_of_edges(), nx.density(G) if len(G) > 1 else 0.0, components, G.is_directed())


def balance(G: nx.Graph) -> Balance | None:
    """Structural balance of the signed ties (edge attribute ``sign``).

    Every triangle whose three ties carry a non-zero sign is counted; it is
    balanced when the product of its signs is positive. Returns ``None`` when
    the graph has no signed ties. A directed graph is read as undirected, a
    pair of opposite ties taking the sign of their sum.

    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", sign=1); G.add_edge("b", "c", sign=-1); G.add_edge("a", "c", sign=-1)
    >>> balance(G)
    Balance(triads=1, balanced=1)
    """
    signs: dict[frozenset, int] = {}
    for u, v, data in G.edges(data=True):
        if "sign" not in data or u == v:
            continue
        key = frozenset((u, v))
        signs[key] = signs.get(key, 0) + int(data["sign"])
    if not signs:
        return None
    U = nx.Graph()
    for key, sign in signs.items():
        if sign != 0:
            U.add_edge(*tuple(key), sign=1 if sign > 0 else -1)
    if U.number_of_edges() == 0:
        return Balance(0, 0)
    # Each triangle's sign product summed is trace(S^3)/6; the triangles
    # themselves are trace(|S|^3)/6. Sparse matrix products keep it fast.
    nodes = list(U)
    S = nx.to_scipy_sparse_array(U, nodelist=nodes, weight="sign", format="csr")
    A = abs(S)
    triads = int(round((A @ A).multiply(A).sum() / 6))
    signed_sum = int(round((S @ S).multiply(S).sum() / 6))
    return Balance(triads, (triads + signed_sum) // 2)


def _communities(G: nx.Graph, seed: int) -> list[list[str]]:
    """Louvain communities on the positive (or unsigned) ties, largest first."""
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, data in G.edges(data=True):
        if data.get("sign", 1) > 0 and u != v:
            weight = float(data.get("weight", 1) or 1)
            if U.has_edge(u, v):
                U[u][v]["weight"] += weight
            else:
                U.add_edge(u, v, weight=weight)
    if not len(U):
        return []
    found = nx.community.louvain_communities(U, weight="weight", seed=seed, threshold=1e-5)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def _sampled_closeness(G: nx.Graph, k: int, seed: int) -> dict[str, float]:
    """Closeness estimated from k sampled BFS sources (Eppstein-Wang).

    For each node, the sum of distances to the nodes it reaches and the size
    of its component are scaled up from the sampled sources, then combined
    as networkx does for disconnected graphs (Wasserman-Faust). With k equal
    to the number of nodes the result is exact. Distances are undirected;
    the searches run in scipy's compiled breadth-first search.
    """
    import numpy as np
    from scipy.sparse.csgraph import shortest_path

    nodes = list(G)
    n = len(nodes)
    matrix = nx.to_scipy_sparse_array(G.to_undirected(as_view=True), nodelist=nodes, weight=None, format="csr")
    sources = sorted(random.Random(seed).sample(range(n), k))
    distances = shortest_path(matrix, directed=False, unweighted=True, indices=sources)
    reachable = np.isfinite(distances)
    component = reachable.sum(axis=0) * n / k
    total = np.where(reachable, distances, 0).sum(axis=0) * n / k
    with np.errstate(divide="ignore", invalid="ignore"):
        values = ((component - 1) / max(n - 1, 1)) * ((component - 1) / total)
    values = np.where((total > 0) & (component > 1), values, 0.0)
    return {node: float(v) for node, v in zip(nodes, values)}


@without_gc_pauses
def analyze(
    G: nx.Graph,
    *,
    group_attributes: tuple[str, ...] = ("polity", "organization"),
    exact_limit: int = 2000,
    k: int | None = None,
    seed: int = 7,
    communities: bool = True,
) -> Analysis:
    """Measure a network.

    Parameters
    ----------
    G
        A graph from :func:`kgraph.network` (or any networkx graph whose nodes
        may carry ``label``, ``kind`` and a group attribute).
    group_attributes
        Node attributes giving each node's group for brokerage, the first one
        set wins (a person of no polity is grouped with their organization);
        a node with none is a group of its own.
    exact_limit, k
        Above ``exact_limit`` nodes, betweenness and closeness are estimated
        from ``k`` sampled sources. By default ``k`` keeps the work within a
        fixed budget: 2.5 million node and edge visits, between 32 and 256
        sources. Set ``exact_limit`` above the graph's size for exact values.
    seed
        Seed for the sampling and for community detection, so results repeat.
    communities
        Detect communities (Louvain) and measure structural balance; False
        gives the node measures only (every node's ``community`` is -1),
        as the web view needs.

    Returns
    -------
    Analysis

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> result = analyze(G)
    >>> result.node("b").betweenness, result.summary.components
    (1.0, 1)
    """
    notes: list[str] = []
    n = len(G)
    approximate = n > exact_limit
    if k is None:
        k = max(32, min(256, 2_500_000 // max(n + G.number_of_edges(), 1)))
    k_used = min(k, n) if approximate else None
    if approximate:
        betweenness = nx.betweenness_centrality(G, k=k_used, seed=seed)
        closeness = _sampled_closeness(G, k_used, seed)
        notes.append(f"betweenness and closeness estimated from {k_used} sampled sources ({n} nodes)")
    else:
        betweenness = nx.betweenness_centrality(G)
        closeness = nx.closeness_centrality(G)
    eigenvector = _eigenvector(G, notes, exact_limit)
    degree_centrality = nx.degree_centrality(G) if n > 1 else dict.fromkeys(G, 0.0)
    groups = {
        node: next((G.nodes[node][a] for a in group_attributes if G.nodes[node].get(a)), node) for node in G
    }
    roles = brokerage(G, groups)
    found = _communities(G, seed) if communities else []
    community_of = {node: i for i, members in enumerate(found) for node in members}
    nodes = []
    for node in sorted(G, key=lambda x: (G.nodes[x].get("label", x), x)):
        data = G.nodes[node]
        counts = roles[node]
        nodes.append(NodeMetrics(
            id=node,
            label=str(data.get("label", node)),
            kind=str(data.get("kind", "")),
            group=groups[node],
            degree=G.degree(node),
            degree_centrality=degree_centrality[node],
            betweenness=betweenness[node],
            closeness=closeness[node],
            # rounded to the solver's precision, so that zeros read as zeros
            eigenvector=round(eigenvector[node], 6) if eigenvector is not None else None,
            **{role: counts[role] for role in BROKERAGE_ROLES},
            brokerage=sum(counts.values()),
            community=community_of.get(node, -1),
        ))
    signed = balance(G) if communities else None
    return Analysis(
        network=str(G.graph.get("name", "")),
        summary=summarize_graph(G),
        nodes=nodes,
        communities=found,
        balance=signed,
        approximate=approximate,
        k=k_used,
        notes=notes,
    )


def _eigenvector(G: nx.Graph, notes: list[str], exact_limit: int = 2000) -> dict[str, float] | None:
    if G.number_of_edges() == 0:
        notes.append("eigenvector centrality is undefined on a graph without ties")
        return None
    acyclic = G.is_directed() and nx.is_directed_acyclic_graph(G)
    graph = G.to_undirected(as_view=True) if acyclic else G
    if acyclic:
        notes.append("eigenvector centrality measured on the undirected graph (a directed acyclic graph has none)")
    if len(G) <= exact_limit:
        try:
            return _power_iteration(graph, max_iter=1000, tol=1e-8)
        except (nx.PowerIterationFailedConvergence, nx.NetworkXError, ZeroDivisionError):
            notes.append("eigenvector centrality did not converge")
            return None
    # Large graphs: ARPACK (scipy) on the largest component (strongly connected
    # for a directed graph: elsewhere the measure is not defined); 0 elsewhere.
    components = nx.strongly_connected_components(graph) if graph.is_directed() else nx.connected_components(graph)
    largest = max(components, key=len)
    values = dict.fromkeys(G, 0.0)
    kind = "strongly connected component" if graph.is_directed() else "component"
    if len(largest) > 2:
        try:
            values.update(nx.eigenvector_centrality_numpy(graph.subgraph(largest), max_iter=1000, tol=1e-6))
        except (nx.AmbiguousSolution, nx.NetworkXError, ArithmeticError) as exc:
            notes.append(f"eigenvector centrality could not be computed: {exc}")
            return None
        except Exception as exc:  # scipy's ARPACK raises its own errors when it does not converge
            if type(exc).__name__ not in ("ArpackNoConvergence", "ArpackError"):
                raise
            notes.append("eigenvector centrality did not converge")
            return None
    notes.append(f"eigenvector centrality computed on the largest {kind} ({len(largest)} of {len(G)} nodes); "
                 "0 elsewhere")
    return values


def _power_iteration(G: nx.Graph, max_iter: int, tol: float) -> dict[str, float]:
    """Eigenvector centrality by networkx's power iteration (the same start,
    steps with A + I, normalisation and stopping rule as
    ``nx.eigenvector_centrality`` with the ``weight`` attribute), each step a
    sparse matrix product: on a bipartite network, which needs hundreds of
    steps, networkx's loop over neighbour views took seconds. The values are
    networkx's up to rounding; where the iteration converges slowly (two
    components of nearly the same spectral radius, or negative weights) the
    different order of the sums can make the two stop at slightly different
    vectors, as a different node order would in networkx itself."""
    import numpy as np

    nodes = list(G)
    n = len(nodes)
    if n == 0:
        raise nx.NetworkXPointlessConcept("cannot compute centrality for the null graph")
    # x_new[v] = x[v] + sum of x[u] * w(u, v) over the ties u -> v: the transpose of the adjacency
    step = nx.to_scipy_sparse_array(G, nodelist=nodes, weight="weight", format="csr").T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + step @ last
        norm = float(np.sqrt(np.dot(x, x))) or 1.0
        x = x / norm
        if float(np.abs(x - last).sum()) < n * tol:
            return dict(zip(nodes, x.tolist()))
    raise nx.PowerIterationFailedConvergence(max_iter)
