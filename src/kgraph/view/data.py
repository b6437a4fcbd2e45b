"""What the web view shows, gathered from the project graph as plain data:
each network's nodes (with a deterministic layout and their measures) and
ties (with their dates), every actor's profile (names, posts with tenures,
statements with the quoted words and the source excerpt, claims reported
and denied) and the timeline of events and statements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from ..namespaces import RDFS, SKOS, SKOSXL

__all__ = ["NetworkData", "ViewData", "gather", "layout"]

#: Above this many nodes the layout is spectral, refined by a few spring steps.
SPRING_LIMIT = 600


@dataclass
class NetworkData:
    """One network as columns: nodes and ties, ready for the page."""

    name: str
    directed: bool
    #: Columns ``id``, ``label``, ``kind``, ``colour``, ``x``, ``y`` and one per measure.
    nodes: dict[str, list] = field(default_factory=dict)
    #: Columns ``u`` and ``v`` (positions in ``nodes``), ``relation``, ``sign``
    #: (``+``, ``-``, ``0`` or empty), ``first`` (the first date, or empty) and ``weight``.
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
    else a spectral layout refined by two spring steps. There, nodes without
    ties are set apart on a ring around the others (a force layout would
    spread them over the whole drawing and crowd the tied nodes into its
    middle)."""
    if len(G) == 0:
        return {}
    H = G.to_undirected(as_view=True) if G.is_directed() else G
    if len(G) > SPRING_LIMIT:
        alone = sorted((n for n in H if H.degree(n) == 0), key=str)
        if alone and len(alone) < len(G):
            import math

            tied = H.subgraph([n for n in H if H.degree(n) > 0])
            positions = _force(tied, seed)
            widest = max(math.hypot(x, y) for x, y in positions.values()) or 1.0  # inside the unit circle
            ring = {n: (1.08 * math.cos(2 * math.pi * i / len(alone)), 1.08 * math.sin(2 * math.pi * i / len(alone)))
                    for i, n in enumerate(alone)}
            placed = {**ring, **{n: (x / widest, y / widest) for n, (x, y) in positions.items()}}
            return {n: placed[n] for n in G}
    return _force(H, seed)


def _force(H: nx.Graph, seed: int) -> dict:
    """A force-directed layout of ``H`` (undirected), in [-1, 1]²."""
    if len(H) <= SPRING_LIMIT:
        positions = nx.spring_layout(H, seed=seed, k=1.8 / max(len(H), 1) ** 0.5, weight=None)
        return nx.rescale_layout_dict(positions, scale=1.0)
    try:  # igraph's Fruchterman-Reingold with a grid: about half a second at 5,000 nodes
        import random

        import igraph
    except ImportError:
        igraph = None
    order = list(H)
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
        positions = nx.spring_layout(H, pos=start, seed=seed, iterations=2, weight=None, k=1.8 / len(H) ** 0.5)
    return nx.rescale_layout_dict(positions, scale=1.0)


def gather(graph, networks: list[tuple[str, nx.Graph]], *, context=None) -> ViewData:
    """The page's data: each ``(name, G)`` (``G`` from :func:`kgraph.network`)
    with layout and measures, and the profiles of every node in any of them.

    ``context`` (a :class:`~kgraph.networks.context.ProjectionContext`) is
    the one the networks were built with, whose query rows the profiles
    reuse (running the lookups on a second thread, while the networks are
    measured, was measured no faster: both halves hold the GIL most of the time)."""
    from ..networks.context import ProjectionContext, _days

    ids: set[str] = set()
    for _name, G in networks:
        ids.update(G)
    if context is None:
        context = ProjectionContext(graph, "person", None, None)
    out = [_network_data(name, G) for name, G in networks]
    profiles, names, timeline = _lookups(graph, context, ids)
    dates = sorted({d for n in out for d in n.edges["first"] if d}
                   | {day for d in timeline["date"] if d for day in _days(d[:10])})
    return ViewData(out, profiles, names, timeline, dates)


def _network_data(name: str, G: nx.Graph) -> NetworkData:
    """One network's columns: nodes with their layout and measures, ties."""
    from ..networks.analysis import METRICS, analyze
    from ..networks.style import kind_colour

    result = analyze(G, communities=False)
    positions = layout(G)
    data = NetworkData(name, G.is_directed())
    order = list(G)
    metrics = {m.id: result.metrics(m) for m in result.nodes}
    data.measures = [m for m in ("degree", "betweenness", "closeness", "eigenvector", "brokerage") if m in METRICS]
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
    index = {n: i for i, n in enumerate(order)}
    us, vs, relations, signs, firsts, weights = [], [], [], [], [], []
    for u, v, d in G.edges(data=True):
        us.append(index[u])
        vs.append(index[v])
        relations.append(str(d.get("relation", "")))
        sign = d.get("sign")
        signs.append("+" if sign == 1 else "-" if sign == -1 else "0" if sign == 0 else "")
        dates = sorted(d.get("dates") or [])
        firsts.append(dates[0][:10] if dates else "")
        weights.append(float(d.get("weight", 1) or 1))
    data.edges = {"u": us, "v": vs, "relation": relations, "sign": signs, "first": firsts, "weight": weights}
    data.undated = sum(1 for f in firsts if not f)
    return data


def _lookups(graph, context, ids: set[str]) -> tuple[dict, dict, dict]:
    """The profiles of ``ids``, their names and aliases (name -> id) and the timeline."""
    profiles = _profiles(context, ids)
    forms: dict[str, set[str]] = defaultdict(set)
    for row in graph.query(_NAMES):
        thing = row["thing"].value
        if thing in ids:
            forms[thing].add(row["name"].value)
    names: dict[str, str] = {}
    for iri in sorted(ids):
        label = profiles.get(iri, {}).get("label") or iri
        names.setdefault(label, iri)
        for form in sorted(forms.get(iri, ())):
            names.setdefault(form, iri)
        profiles.setdefault(iri, {"label": label})
        profiles[iri]["aliases"] = sorted(forms.get(iri, set()) - {label})
    return profiles, names, _timeline(graph)


#: Every name of everything named (as the identity resolver reads names: labels, SKOS and SKOS-XL
#: preferred and alternative labels), without the resolver's ranking and kinds, which a search box
#: does not need.
_NAMES = f"""
SELECT ?thing ?name WHERE {{
  ?thing <{RDFS}label>|<{SKOS}prefLabel>|<{SKOS}altLabel>|<{SKOSXL}prefLabel>/<{SKOSXL}literalForm>
         |<{SKOSXL}altLabel>/<{SKOSXL}literalForm> ?name .
  FILTER(isIRI(?thing) && isLITERAL(?name))
}}"""


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
