"""The projections themselves: how rows of the saved network queries become
nodes and ties. Each builder takes a :class:`~kgraph.networks.context.ProjectionContext`
and returns a networkx graph; :mod:`kgraph.networks.projections` lists them."""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from .context import ProjectionContext, edge_attrs

__all__ = ["mediation", "interaction", "stance", "claims", "dna", "signed", "dna_weight"]


def mediation(ctx: ProjectionContext, party_ties: bool = True) -> nx.DiGraph:
    G = nx.DiGraph(flow_relation="mediates")
    mediated: dict[tuple[str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
    parties: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for row in ctx.rows("mediation"):
        if not ctx.keep(row):
            continue
        mediator, party = ctx.fold(row["mediator"]), ctx.fold(row["party"])
        event = (row["eventLabel"] or row["event"], row["date"] or "")
        ctx.add_actor(G, mediator)
        ctx.add_actor(G, party)
        G.nodes[mediator]["mediator"] = True
        G.nodes[party]["party"] = True
        if mediator != party:
            mediated[(mediator, party)][row["event"]] = event
        parties[row["event"]][party] = event
    for (mediator, party), events in mediated.items():
        G.add_edge(mediator, party, **edge_attrs(events, "mediates"))
    if party_ties:
        counterparts: dict[tuple[str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
        for event, sides in parties.items():
            for a in sides:
                for b in sides:
                    if a != b:
                        counterparts[(a, b)][event] = sides[a]
        for (a, b), events in counterparts.items():
            if not G.has_edge(a, b):
                G.add_edge(a, b, **edge_attrs(events, "counterpart"))
    for node in G:
        G.nodes[node].setdefault("mediator", False)
        G.nodes[node].setdefault("party", False)
    return G


def interaction(ctx: ProjectionContext) -> nx.Graph:
    G = nx.Graph()
    events: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for row in ctx.rows("participation"):
        if not ctx.keep(row):
            continue
        actor = ctx.fold(row["actor"])
        ctx.add_actor(G, actor)
        events[row["event"]][actor] = (row["eventLabel"] or row["event"], row["date"] or "")
    ties: dict[tuple[str, str], dict] = defaultdict(lambda: {"events": {}, "stances": set()})
    for event, actors in events.items():
        ordered = sorted(actors)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                ties[(a, b)]["events"][event] = actors[a]
    for row in _stance_rows(ctx):
        other = row["target"] if row["targetKind"] == "Actor" else row["targetSpeaker"]
        if not other:
            continue
        a, b = sorted((ctx.fold(row["actor"]), ctx.fold(other)))
        if a == b:
            continue
        ctx.add_actor(G, a)
        ctx.add_actor(G, b)
        ties[(a, b)]["stances"].add(row["stance"])
    for (a, b), tie in ties.items():
        attrs = edge_attrs(tie["events"], "co-participation")
        relations = (["co-participation"] if tie["events"] else []) + (["addresses"] if tie["stances"] else [])
        attrs.update(relation="+".join(relations), weight=len(tie["events"]) + len(tie["stances"]),
                     stances=sorted(tie["stances"]))
        G.add_edge(a, b, **attrs)
    return G


def _stance_rows(ctx: ProjectionContext) -> list[dict]:
    """One row per stance (the first words found), within the time slice."""
    first: dict[str, dict] = {}
    for row in sorted(ctx.rows("stances"), key=lambda r: (r["stance"], r["words"] or "")):
        first.setdefault(row["stance"], row)
    return [row for row in first.values() if ctx.keep(row)]


def _add_target(G: nx.Graph, row: dict, ctx: ProjectionContext) -> str:
    target = ctx.fold(row["target"]) if row["targetKind"] == "Actor" else row["target"]
    if row["targetKind"] == "Actor":
        ctx.add_actor(G, target, bipartite=1)
    elif target not in G:
        G.add_node(target, label=row["targetLabel"] or target, kind=row["targetKind"] or "Resource",
                   polity="", polity_label="", organization="", posts=[], bipartite=1)
    return target


def stance(ctx: ProjectionContext) -> nx.DiGraph:
    G = nx.DiGraph()
    ties: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in _stance_rows(ctx):
        actor = ctx.fold(row["actor"])
        ctx.add_actor(G, actor, bipartite=0)
        target = _add_target(G, row, ctx)
        ties[(actor, target)].append(row)
    for (actor, target), rows in ties.items():
        polarity = sum(int(r["polarity"]) for r in rows)
        dates = sorted({r["date"] for r in rows if r["date"]})
        G.add_edge(
            actor, target,
            relation="+".join(sorted({r["stanceType"] for r in rows})),
            weight=len(rows),
            polarity=polarity,
            sign=(polarity > 0) - (polarity < 0),
            stance_types=[r["stanceType"] for r in rows],
            quotes=[r["words"] or "" for r in rows],
            stances=[r["stance"] for r in rows],
            dates=dates,
            start=dates[0] if dates else "",
            end=dates[-1] if dates else "",
        )
    return G


def claims(ctx: ProjectionContext) -> nx.DiGraph:
    G = nx.DiGraph()
    ties: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in _stance_rows(ctx):
        if row["targetKind"] != "Claim":
            continue
        actor = ctx.fold(row["actor"])
        ctx.add_actor(G, actor, bipartite=0)
        ties[(actor, _add_target(G, row, ctx))].append(row)
    for (actor, claim), rows in ties.items():
        polarity = sum(int(r["polarity"]) for r in rows)
        relation = "denies" if polarity < 0 else "reports"
        G.add_edge(actor, claim, relation=relation, weight=len(rows), sign=-1 if polarity < 0 else 1,
                   stance_types=[r["stanceType"] for r in rows], quotes=[r["words"] or "" for r in rows],
                   stances=[r["stance"] for r in rows])
    return G


def _positions(ctx: ProjectionContext) -> tuple[nx.Graph, dict[str, set[tuple[str, int]]]]:
    """Each actor's non-neutral (target, polarity) pairs, and a graph with the actors as nodes."""
    G = nx.Graph()
    positions: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for row in _stance_rows(ctx):
        polarity = int(row["polarity"])
        if polarity == 0:
            continue
        actor = ctx.fold(row["actor"])
        target = ctx.fold(row["target"]) if row["targetKind"] == "Actor" else row["target"]
        ctx.add_actor(G, actor)
        positions[actor].add((target, 1 if polarity > 0 else -1))
    return G, positions


def dna_weight(kind: str, normalization: str, mine: set, yours: set) -> tuple[float, list[str]]:
    """The DNA-style tie between two actors' (target, polarity) sets.

    ``congruence`` counts the (target, polarity) pairs both hold;
    ``conflict`` counts the targets on which they hold opposite polarities.
    Normalisation, with n = the count and A, B the two actors' sets (of
    (target, polarity) pairs for congruence, of targets for conflict):
    ``none`` n; ``average`` n / ((|A| + |B|) / 2); ``jaccard`` n / |A ∪ B|;
    ``cosine`` n / sqrt(|A| |B|).

    >>> dna_weight("congruence", "jaccard", {("x", 1), ("y", 1)}, {("x", 1), ("y", -1)})
    (0.3333333333333333, ['x'])
    >>> dna_weight("conflict", "none", {("x", 1), ("y", 1)}, {("x", 1), ("y", -1)})
    (1, ['y'])
    """
    if kind == "congruence":
        shared = sorted(t for t, _ in mine & yours)
        a, b = mine, yours
    else:
        shared = sorted({t for t, p in mine if (t, -p) in yours})
        a, b = {t for t, _ in mine}, {t for t, _ in yours}
    n = len(shared)
    if n == 0 or normalization == "none":
        return n, shared
    if normalization == "average":
        return n / ((len(a) + len(b)) / 2), shared
    if normalization == "jaccard":
        return n / len(a | b), shared
    return n / math.sqrt(len(a) * len(b)), shared


def _pairs(positions: dict[str, set[tuple[str, int]]], kind: str) -> set[tuple[str, str]]:
    """Actor pairs that share (congruence) or oppose (conflict) a position,
    found through an index of who holds what rather than by trying all pairs."""
    holders: dict[tuple[str, int], list[str]] = defaultdict(list)
    for actor, held in positions.items():
        for position in held:
            holders[position].append(actor)
    pairs: set[tuple[str, str]] = set()
    for (target, polarity), actors in holders.items():
        if kind == "congruence":
            ordered = sorted(actors)
            pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
        elif polarity > 0:
            pairs.update(tuple(sorted((a, b))) for a in actors for b in holders.get((target, -1), ()))
    return pairs


def dna(ctx: ProjectionContext, kind: str, normalization: str = "none") -> nx.Graph:
    G, positions = _positions(ctx)
    for a, b in sorted(_pairs(positions, kind)):
        weight, shared = dna_weight(kind, normalization, positions[a], positions[b])
        if shared:
            G.add_edge(a, b, weight=weight, count=len(shared), targets=shared,
                       sign=1 if kind == "congruence" else -1, relation=kind)
    return G


def signed(ctx: ProjectionContext) -> nx.Graph:
    G, positions = _positions(ctx)
    for a, b in sorted(_pairs(positions, "congruence") | _pairs(positions, "conflict")):
        agree, agreed = dna_weight("congruence", "none", positions[a], positions[b])
        disagree, opposed = dna_weight("conflict", "none", positions[a], positions[b])
        net = agree - disagree
        if net:
            G.add_edge(a, b, weight=abs(net), sign=1 if net > 0 else -1, congruence=agree, conflict=disagree,
                       targets=sorted(set(agreed) | set(opposed)), relation="signed")
    return G
