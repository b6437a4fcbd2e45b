"""What every projection shares: the actors (labels, classes, organizations,
polities, posts), folding an actor to the requested level, and the time window."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from ..namespaces import KG, RDFS
from ..project import ProjectGraph
from ..sparql.saved import read_query

__all__ = ["ProjectionContext", "edge_attrs"]


@dataclass
class _Actor:
    label: str
    classes: set[str] = field(default_factory=set)
    organizations: set[str] = field(default_factory=set)
    polities: set[str] = field(default_factory=set)
    posts: set[str] = field(default_factory=set)


class ProjectionContext:
    """The dataset, the actor registry and the folding map for one projection."""

    def __init__(self, graph: ProjectGraph, level: str, start: str | None, end: str | None) -> None:
        self.graph = graph
        self.project = graph.project
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
        # The direct subclass pairs, closed here: every engine answers this,
        # while an unbounded ``rdfs:subClassOf+`` is refused by some (Virtuoso
        # wants a bound start for a transitive path).
        direct: dict[str, set[str]] = defaultdict(set)
        for row in graph.query(f"SELECT ?c ?s WHERE {{ ?c <{RDFS}subClassOf> ?s }}"):
            direct[row["c"].value].add(row["s"].value)
        self._superclasses: dict[str, set[str]] = defaultdict(set)
        for cls in direct:
            seen, todo = set(), list(direct[cls])
            while todo:
                parent = todo.pop()
                if parent not in seen:
                    seen.add(parent)
                    todo.extend(direct.get(parent, ()))
            self._superclasses[cls] = seen

    def rows(self, name: str) -> list[dict[str, str | None]]:
        """The rows of ``queries/networks/NAME.rq`` with terms as plain strings."""
        from ..sparql.guard import refuse_service

        saved = read_query(self.project.networks_dir / f"{name}.rq")
        refuse_service(saved.text, f"the network query {saved.path}")
        solutions = self.graph.query(saved.text)
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
        if info.organizations and KG + "Person" in self._with_superclasses(info.classes):
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


def edge_attrs(events: dict[str, tuple[str, str]], relation: str) -> dict:
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
