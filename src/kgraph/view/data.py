"""What the web view shows, gathered from the project graph as plain data:
each network's nodes (with a deterministic layout and their measures) and
ties (with their dates), every actor's profile (names, posts with tenures,
statements with the quoted words and the source excerpt, claims reported
and denied) and the timeline of events and statements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["NetworkData", "ViewData", "gather", "layout"]

#: Above this many nodes the layout is spectral, refined by a few spring steps.
SPRING_LIMIT = 600


@dataclass
class NetworkData:
    """One network as columns: nodes and ties, ready for the page."""

    name: str
    directed: bool
    nodes: dict[str, list] = field(default_factory=dict)
    edges: dict[str, list] = field(default_factory=dict)
    measures: list[str] = field(default_factory=list)
    undated: int = 0


@dataclass
class ViewData:
    networks: list[NetworkData]
    profiles: dict[str, dict]
    names: dict[str, str]  # a name or alias -> node id
    timeline: dict[str, list]
    dates: list[str]


def layout(G: nx.Graph, seed: int = 7) -> dict:
    """Positions in [-1, 1]², the same for the same graph: networkx's spring
    layout; above :data:`SPRING_LIMIT` nodes igraph's Fruchterman-Reingold
    with a grid when igraph is installed (``pip install kgraph[layout]``),
    else a spectral layout refined by two spring steps."""
    if len(G) == 0:
        return {}
    H = G.to_undirected(as_view=True) if G.is_directed() else G
    if len(G) <= SPRING_LIMIT:
        positions = nx.spring_layout(H, seed=seed, k=1.8 / max(len(G), 1) ** 0.5, weight=None)
        return nx.rescale_layout_dict(positions, scale=1.0)
    try:  # igraph's Fruchterman-Reingold with a grid: about half a second at 5,000 nodes
        import random

        import igraph
    except ImportError:
        igraph = None
    order = list(G)
    if igraph is not None:
        index = {n: i for i, n in enumerate(order)}
        g = igraph.Graph(n=len(order), edges=[(index[u], index[v]) for u, v in H.edges()])
        igraph.set_random_number_generator(random.Random(seed))
        try:
            coords = g.layout_fruchterman_reingold(grid=True, niter=300).coords
        finally:
            igraph.set_random_number_generator(random)
        positions = {n: tuple(coords[i]) for i, n in enumerate(order)}
    else:  # networkx's spring layout costs seconds a step here: a spectral start and two steps
        try:
            start = nx.spectral_layout(H)
        except Exception:  # a graph scipy cannot decompose: start from random positions
            start = None
        positions = nx.spring_layout(H, pos=start, seed=seed, iterations=2, weight=None, k=1.8 / len(G) ** 0.5)
    return nx.rescale_layout_dict(positions, scale=1.0)


def gather(graph, networks: list[tuple[str, nx.Graph]]) -> ViewData:
    """The page's data: each ``(name, G)`` (``G`` from :func:`kgraph.network`)
    with layout and measures, and the profiles of every node in any of them."""
    from ..identity.registry import name_index
    from ..networks.analysis import METRICS, analyze
    from ..networks.context import ProjectionContext
    from ..networks.style import edge_colour, kind_colour

    out: list[NetworkData] = []
    ids: set[str] = set()
    for name, G in networks:
        result = analyze(G)
        positions = layout(G)
        data = NetworkData(name, G.is_directed())
        order = list(G)
        ids.update(order)
        metrics = {m.id: result.metrics(m) for m in result.nodes}
        data.measures = [m for m in ("degree", "betweenness", "closeness", "eigenvector", "brokerage")
                         if m in METRICS]
        data.nodes = {
            "id": order,
            "label": [str(G.nodes[n].get("label", n)) for n in order],
            "kind": [str(G.nodes[n].get("kind", "")) for n in order],
            "colour": [kind_colour(str(G.nodes[n].get("kind", ""))) for n in order],
            "x": [float(positions[n][0]) for n in order],
            "y": [float(positions[n][1]) for n in order],
        }
        for measure in data.measures:
            data.nodes[measure] = [float(metrics.get(n, {}).get(measure) or 0.0) for n in order]
        xs, ys, colours, relations, signs, firsts, labels, dashes, weights = [], [], [], [], [], [], [], [], []
        for u, v, d in G.edges(data=True):
            xs.append([float(positions[u][0]), float(positions[v][0])])
            ys.append([float(positions[u][1]), float(positions[v][1])])
            colours.append(edge_colour(d))
            relations.append(str(d.get("relation", "")))
            sign = d.get("sign")
            signs.append("+" if sign == 1 else "-" if sign == -1 else "0" if sign == 0 else "")
            dates = sorted(d.get("dates") or [])
            firsts.append(dates[0][:10] if dates else "")
            labels.append(f"{G.nodes[u].get('label', u)} → {G.nodes[v].get('label', v)}")
            weights.append(float(d.get("weight", 1) or 1))
            dashes.append("dashed" if d.get("relation") == "counterpart" else "solid")
        data.edges = {"xs": xs, "ys": ys, "colour": colours, "relation": relations, "sign": signs,
                      "first": firsts, "label": labels, "weight": weights, "dash": dashes}
        data.undated = sum(1 for f in firsts if not f)
        out.append(data)

    context = ProjectionContext(graph, "person", None, None)
    profiles = _profiles(context, ids)
    index = name_index(graph)
    names: dict[str, str] = {}
    for iri in sorted(ids):
        named = index.things.get(iri)
        label = profiles.get(iri, {}).get("label") or iri
        names.setdefault(label, iri)
        if named is not None:
            for form, _language in named.names:
                names.setdefault(form, iri)
        profiles.setdefault(iri, {"label": label})
        profiles[iri]["aliases"] = sorted({form for form, _ in named.names} - {label}) if named else []
    timeline = _timeline(graph)
    from ..networks.context import _days

    dates = sorted({d for n in out for d in n.edges["first"] if d}
                   | {day for d in timeline["date"] if d for day in _days(d[:10])})
    return ViewData(out, profiles, names, timeline, dates)


def _profiles(context, ids: set[str]) -> dict[str, dict]:
    """Per actor: its label and kind, posts with tenures, statements (type,
    target, words, excerpt, source, date), claims it reported and denied."""
    profiles: dict[str, dict] = defaultdict(lambda: {"posts": [], "statements": [], "reported": [], "denied": []})
    for iri, actor in context.actors.items():
        if iri in ids:
            profiles[iri]["label"] = actor.label
            profiles[iri]["kind"] = context.kind(iri)
    for row in context.rows("posts"):
        if row["person"] in ids:
            span = " to ".join(x for x in ((row.get("start") or "")[:10], (row.get("end") or "")[:10]) if x)
            profiles[row["person"]]["posts"].append({"post": row["postLabel"], "tenure": span})
    by_stance: dict[str, dict] = {}
    for row in context.rows("statements"):
        if row["actor"] not in ids:
            continue
        entry = by_stance.setdefault(row["stance"], {
            "actor": row["actor"], "type": row["stanceType"], "polarity": int(row["polarity"]),
            "target": row["targetLabel"] or row["target"], "kind": row["targetKind"] or "",
            "words": set(), "excerpts": set(), "source": row["sourceTitle"] or "", "date": (row["date"] or "")[:10]})
        if row["excerpt"]:
            entry["excerpts"].add(row["excerpt"])
        if row["words"] and (not row["excerpt"] or row["words"] in row["excerpt"] or not row["quoted"]):
            entry["words"].add((row["words"], bool(row["quoted"])))
    for stance in sorted(by_stance, key=lambda s: (by_stance[s]["date"], s)):
        entry = by_stance[stance]
        item = {"type": entry["type"], "target": entry["target"], "kind": entry["kind"],
                "quotes": sorted(w for w, quoted in entry["words"] if quoted),
                "paraphrase": next((w for w, quoted in sorted(entry["words"]) if not quoted), ""),
                "excerpts": sorted(entry["excerpts"]), "source": entry["source"], "date": entry["date"]}
        profile = profiles[entry["actor"]]
        profile["statements"].append(item)
        if entry["kind"] == "Claim":
            (profile["denied"] if entry["polarity"] < 0 else profile["reported"]).append(entry["target"])
    return {iri: dict(p) for iri, p in profiles.items()}


def _timeline(graph) -> dict[str, list]:
    from ..sparql.run import query

    rows = query("timeline", graph=graph).records()
    return {"date": [str(r["date"] or "") for r in rows], "what": [str(r["what"] or "") for r in rows],
            "item": [str(r["itemLabel"] or r["item"] or "") for r in rows],
            "kind": [str(r["kindLabel"] or "") for r in rows],
            "written": [str(r["dateAsWritten"] or "") for r in rows]}
