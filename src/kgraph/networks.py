"""Projections of the knowledge graph into networkx graphs.

Each projection is driven by a saved SPARQL query in ``queries/networks/``;
Python only folds actors to the requested level and aggregates the rows into
nodes and edges. RDF terms become plain strings here: node ids are IRIs, and
every node has a ``label`` and a ``kind``.

Projections
-----------
``mediation``
    Directed: mediator -> party for each mediated event (``relation``
    ``"mediates"``), plus party <-> party ties between the sides that met under
    that mediation (``relation`` ``"counterpart"``, both directions).
``interaction``
    Undirected: actors who took part in the same event, or of whom one
    addressed the other (a stance on the other actor or on their statement).
``stance``
    Directed and bipartite: actor -> target (issue, claim, event, actor,
    statement), signed by the stance's polarity, with the quoted words.
``congruence`` / ``conflict``
    Undirected one-mode actor networks in the manner of Discourse Network
    Analyzer: two actors are tied by the targets on which they take the same
    (congruence) or opposed (conflict) non-neutral stance, normalised with
    ``none``, ``average``, ``jaccard`` or ``cosine``.
``signed``
    Undirected signed actor network: congruence minus conflict counts.
``claims``
    Directed and bipartite: who reports (asserts, predicts) which claim and
    who denies it.

Levels: ``person`` keeps every actor; ``organization`` folds a person into the
organization of a post they hold; ``polity`` folds persons and organizations
into the polity they belong to. An actor with nothing to fold into stays itself.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .dataset import Dataset
from ._gc import without_gc_pauses
from .errors import InputError
from .project import Project, find_project
from .queries import read_query

__all__ = ["PROJECTIONS", "LEVELS", "NORMALIZATIONS", "Projection", "network", "NetworkError"]

from .choices import LEVELS, NORMALIZATIONS  # noqa: E402  (re-exported)

_KG = "https://w3id.org/kgraph/ontology#"


class NetworkError(InputError):
    """An unknown projection or option."""


@dataclass(frozen=True)
class Projection:
    """A network kgraph can build: its name, what it shows, and its options."""

    name: str
    description: str
    directed: bool
    options: tuple[str, ...] = ("level",)


PROJECTIONS: dict[str, Projection] = {
    p.name: p
    for p in (
        Projection("mediation", "mediator -> party per mediated event, plus party <-> party ties", True),
        Projection("interaction", "actors in the same event, or addressing each other", False, ("level", "start", "end")),
        Projection("stance", "bipartite actor -> target, signed by stance polarity, with quotes", True, ("level", "start", "end")),
        Projection("congruence", "actors sharing stances on the same targets (DNA)", False, ("level", "normalization", "start", "end")),
        Projection("conflict", "actors taking opposed stances on the same targets (DNA)", False, ("level", "normalization", "start", "end")),
        Projection("signed", "actors tied by congruence (+) minus conflict (-)", False, ("level", "start", "end")),
        Projection("claims", "bipartite actor -> claim: who reports and who denies it", True, ("level", "start", "end")),
    )
}


@without_gc_pauses
def network(
    name: str,
    dataset: Dataset | None = None,
    *,
    project: Project | None = None,
    level: str = "person",
    normalization: str = "none",
    start: str | None = None,
    end: str | None = None,
    party_ties: bool = True,
) -> nx.Graph:
    """Build the projection ``name`` (a key of :data:`PROJECTIONS`).

    Parameters
    ----------
    name
        ``mediation``, ``interaction``, ``stance``, ``congruence``,
        ``conflict``, ``signed`` or ``claims``.
    dataset
        The data (default: the project's ``data/`` and ontology).
    level
        ``person``, ``organization`` or ``polity``.
    normalization
        For ``congruence`` and ``conflict``: ``none``, ``average``,
        ``jaccard`` or ``cosine``.
    start, end
        ISO dates: keep only stances made in this window (undated stances are
        left out when a window is given) and events dated in it.
    party_ties
        For ``mediation``: add the party <-> party ties.

    Returns
    -------
    networkx.DiGraph or networkx.Graph
        Node ids are IRIs; nodes carry ``label``, ``kind``, ``polity``,
        ``polity_label``, ``organization`` (empty when unknown) and ``posts``
        (the labels of the posts a person holds);
        ``G.graph`` records the projection and its options.

    Examples
    --------
    >>> G = network("mediation", level="polity")
    >>> sorted(G.successors("https://w3id.org/kgraph/actor/russia"))
    ['https://w3id.org/kgraph/actor/azerbaijan', 'https://w3id.org/kgraph/actor/nagorno-karabakh']
    """
    if name not in PROJECTIONS:
        raise NetworkError(f"unknown network {name!r}; choose one of {', '.join(PROJECTIONS)}")
    if level not in LEVELS:
        raise NetworkError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    if normalization not in NORMALIZATIONS:
        raise NetworkError(f"unknown normalization {normalization!r}; choose one of {', '.join(NORMALIZATIONS)}")
    for value in (start, end):
        if value is not None:
            _check_date(value)
    project = project or find_project()
    if dataset is None:
        from .summary import load_project

        dataset = load_project(None, project)[0]
    context = _Context(dataset, project, level, start, end)
    builder = {
        "mediation": lambda: _mediation(context, party_ties),
        "interaction": lambda: _interaction(context),
        "stance": lambda: _stance(context),
        "congruence": lambda: _dna(context, "congruence", normalization),
        "conflict": lambda: _dna(context, "conflict", normalization),
        "signed": lambda: _signed(context),
        "claims": lambda: _claims(context),
    }[name]
    G = builder()
    G.graph.update(
        {"name": name, "level": level, "start": start or "", "end": end or ""}
        | ({"normalization": normalization} if name in ("congruence", "conflict") else {})
    )
    return G


def _check_date(value: str) -> None:
    import datetime

    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise NetworkError(f"{value!r} is not a date (YYYY-MM-DD)") from None


# -- shared plumbing -----------------------------------------------------------------


@dataclass
class _Actor:
    label: str
    classes: set[str] = field(default_factory=set)
    organizations: set[str] = field(default_factory=set)
    polities: set[str] = field(default_factory=set)
    posts: set[str] = field(default_factory=set)


class _Context:
    """The dataset, the actor registry and the folding map for one projection."""

    def __init__(self, dataset: Dataset, project: Project, level: str, start: str | None, end: str | None) -> None:
        self.dataset = dataset
        self.project = project
        self.level = level
        self.start = start
        self.end = end
        self.actors: dict[str, _Actor] = {}
        for row in self.rows("actors"):
            actor = self.actors.setdefault(row["actor"], _Actor(row["label"] or row["actor"]))
            actor.classes.add(row["class"])
            if row["organization"]:
                actor.organizations.add(row["organization"])
            if row["polity"]:
                actor.polities.add(row["polity"])
        for row in self.rows("posts"):
            if row["person"] in self.actors:
                self.actors[row["person"]].posts.add(row["postLabel"])
        self._superclasses: dict[str, set[str]] = defaultdict(set)
        query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?c ?s WHERE { ?c rdfs:subClassOf+ ?s }"
        for row in dataset.query(query):
            self._superclasses[row["c"].value].add(row["s"].value)

    def rows(self, name: str) -> list[dict[str, str | None]]:
        """The rows of ``queries/networks/NAME.rq`` with terms as plain strings."""
        saved = read_query(self.project.queries_dir / "networks" / f"{name}.rq")
        solutions = self.dataset.query(saved.text)
        names = [v.value for v in solutions.variables]
        positions = range(len(names))
        rows = []
        for solution in solutions:
            values = [solution[i] for i in positions]
            rows.append(dict(zip(names, [v.value if v is not None else None for v in values])))
        return rows

    def fold(self, actor: str) -> str:
        """The node an actor becomes at this level."""
        info = self.actors.get(actor)
        if info is None or self.level == "person":
            return actor
        if self.level == "polity" and info.polities:
            return sorted(info.polities)[0]
        if info.organizations and _KG + "Person" in self._with_superclasses(info.classes):
            organization = sorted(info.organizations)[0]
            if self.level == "polity":
                return self.fold(organization)
            return organization
        return actor

    def _with_superclasses(self, classes: Iterable[str]) -> set[str]:
        found = set(classes)
        for cls in classes:
            found |= self._superclasses.get(cls, set())
        return found

    def kind(self, node: str) -> str:
        """The most specific class of an actor, as its local name."""
        info = self.actors.get(node)
        if info is None or not info.classes:
            return "Actor"
        specific = [c for c in info.classes if not any(c in self._superclasses.get(o, ()) for o in info.classes)]
        return sorted(specific)[0].rsplit("#", 1)[-1]

    def add_actor(self, G: nx.Graph, node: str, **extra) -> None:
        if node in G:
            G.nodes[node].update(extra)
            return
        info = self.actors.get(node)
        polity = sorted(info.polities)[0] if info and info.polities else ""
        organization = sorted(info.organizations)[0] if info and info.organizations else ""
        G.add_node(
            node,
            label=info.label if info else node,
            kind=self.kind(node),
            polity=polity,
            polity_label=self.actors[polity].label if polity in self.actors else "",
            organization=organization,
            posts=sorted(info.posts) if info else [],
            **extra,
        )

    def in_window(self, date: str | None) -> bool:
        if self.start is None and self.end is None:
            return True
        if not date:
            return False
        return (self.start is None or date >= self.start) and (self.end is None or date[: len(self.end)] <= self.end)


def _edge_attrs(events: dict[str, tuple[str, str]], relation: str) -> dict:
    """Attributes of a tie made of events: {event: (label, date)}."""
    ordered = sorted(events)
    dates = sorted({d for _, d in events.values() if d})
    return {
        "relation": relation,
        "weight": len(ordered),
        "events": ordered,
        "event_labels": [events[e][0] for e in ordered],
        "dates": dates,
        "start": dates[0] if dates else "",
        "end": dates[-1] if dates else "",
    }


# -- projections ------------------------------------------------------------------------


def _mediation(ctx: _Context, party_ties: bool) -> nx.DiGraph:
    G = nx.DiGraph(flow_relation="mediates")
    mediated: dict[tuple[str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
    parties: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for row in ctx.rows("mediation"):
        if not ctx.in_window(row["date"]):
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
        G.add_edge(mediator, party, **_edge_attrs(events, "mediates"))
    if party_ties:
        counterparts: dict[tuple[str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
        for event, sides in parties.items():
            for a in sides:
                for b in sides:
                    if a != b:
                        counterparts[(a, b)][event] = sides[a]
        for (a, b), events in counterparts.items():
            if not G.has_edge(a, b):
                G.add_edge(a, b, **_edge_attrs(events, "counterpart"))
    for node in G:
        G.nodes[node].setdefault("mediator", False)
        G.nodes[node].setdefault("party", False)
    return G


def _interaction(ctx: _Context) -> nx.Graph:
    G = nx.Graph()
    events: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for row in ctx.rows("participation"):
        if not ctx.in_window(row["date"]):
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
    for row in ctx.rows("stances"):
        if not ctx.in_window(row["date"]):
            continue
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
        attrs = _edge_attrs(tie["events"], "co-participation")
        relations = (["co-participation"] if tie["events"] else []) + (["addresses"] if tie["stances"] else [])
        attrs.update(relation="+".join(relations), weight=len(tie["events"]) + len(tie["stances"]),
                     stances=sorted(tie["stances"]))
        G.add_edge(a, b, **attrs)
    return G


def _stance_rows(ctx: _Context) -> list[dict]:
    """One row per stance (the first words found), within the time window."""
    seen: dict[str, dict] = {}
    for row in sorted(ctx.rows("stances"), key=lambda r: (r["stance"], r["words"] or "")):
        if row["stance"] in seen or not ctx.in_window(row["date"]):
            continue
        seen[row["stance"]] = row
    return list(seen.values())


def _add_target(G: nx.Graph, row: dict, ctx: _Context) -> str:
    target = ctx.fold(row["target"]) if row["targetKind"] == "Actor" else row["target"]
    if row["targetKind"] == "Actor":
        ctx.add_actor(G, target, bipartite=1)
    elif target not in G:
        G.add_node(target, label=row["targetLabel"] or target, kind=row["targetKind"] or "Resource",
                   polity="", polity_label="", organization="", posts=[], bipartite=1)
    return target


def _stance(ctx: _Context) -> nx.DiGraph:
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


def _claims(ctx: _Context) -> nx.DiGraph:
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


def _positions(ctx: _Context) -> tuple[nx.Graph, dict[str, set[tuple[str, int]]]]:
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


def _dna(ctx: _Context, kind: str, normalization: str) -> nx.Graph:
    G, positions = _positions(ctx)
    for a, b in sorted(_pairs(positions, kind)):
        weight, shared = dna_weight(kind, normalization, positions[a], positions[b])
        if shared:
            G.add_edge(a, b, weight=weight, count=len(shared), targets=shared,
                       sign=1 if kind == "congruence" else -1, relation=kind)
    return G


def _signed(ctx: _Context) -> nx.Graph:
    G, positions = _positions(ctx)
    for a, b in sorted(_pairs(positions, "congruence") | _pairs(positions, "conflict")):
        agree, agreed = dna_weight("congruence", "none", positions[a], positions[b])
        disagree, opposed = dna_weight("conflict", "none", positions[a], positions[b])
        net = agree - disagree
        if net:
            G.add_edge(a, b, weight=abs(net), sign=1 if net > 0 else -1, congruence=agree, conflict=disagree,
                       targets=sorted(set(agreed) | set(opposed)), relation="signed")
    return G


def describe_projections() -> list[dict[str, object]]:
    """The projections with their options, for listings."""
    return [
        {"name": p.name, "directed": p.directed, "description": p.description, "options": list(p.options)}
        for p in PROJECTIONS.values()
    ]
