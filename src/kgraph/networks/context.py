"""What every projection shares: the actors (labels, classes, organizations,
polities, posts), folding an actor to the requested level, and the time slice.

The time slice
--------------
A record (a stance, a participation) has a date: a stance's is its
statement's own date, else its source's publication date, else the end of
the period its source covers; an event's is its own (its start, for a lasting
one), else its source's. The row says which (``dateBasis``). The slice keeps
a record when:

- ``start``/``end``: its date lies between them (a record without a date
  is left out; a statement dated only to a month or a year is in when the
  whole month or year is);
- ``as_of``: its date is on or before that day (for a month or a year, its
  last day); a person's posts (for
  folding into organizations and for labels) are those held on that day
  (a tenure with no dates counts as held, for nothing says otherwise);
- ``reported_by``: its source was published on or before that day (a
  source without a publication date is left out).

What is left out is counted (:attr:`ProjectionContext.left_out`), never
dropped silently; a month or a year that straddles a bound of the slice is
counted apart, as ``imprecise``.
"""

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
    tenures: set[tuple[str, str]] = field(default_factory=set)  # (start, end) of dated tenures; "" if open


class ProjectionContext:
    """The dataset, the actor registry and the folding map for one projection,
    and its time slice (see the module's description)."""

    def __init__(self, graph: ProjectGraph, level: str, start: str | None, end: str | None,
                 as_of: str | None = None, reported_by: str | None = None, *, _rows=None) -> None:
        self.graph = graph
        self.project = graph.project
        self.level = level
        self.start = start
        self.end = end
        self.as_of = as_of
        self.reported_by = reported_by
        #: Records the slice left out: {"undated": n, "outside": n, "unpublished": n, "imprecise": n}.
        self.left_out = {"undated": 0, "outside": 0, "unpublished": 0, "imprecise": 0}
        self._cache: dict[str, list[dict]] = _rows if _rows is not None else {}
        self.actors: dict[str, _Actor] = {}
        for row in self.rows("actors"):
            actor = self.actors.setdefault(row["actor"], _Actor(row["label"] or row["actor"]))
            actor.classes.add(row["class"])
            if row["organization"] and self._held(row.get("tenureStart"), row.get("tenureEnd")):
                actor.organizations.add(row["organization"])
            if row["polity"]:
                actor.polities.add(row["polity"])
        for row in self.rows("posts"):
            if row["person"] in self.actors and self._held(row.get("start"), row.get("end")):
                self.actors[row["person"]].posts.add(row["postLabel"])
                if row.get("start") or row.get("end"):
                    self.actors[row["person"]].tenures.add(((row.get("start") or "")[:10], (row.get("end") or "")[:10]))
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

    def sliced(self, start: str | None = None, end: str | None = None, as_of: str | None = None,
               reported_by: str | None = None) -> "ProjectionContext":
        """The same data in another time slice, without querying it again."""
        return ProjectionContext(self.graph, self.level, start, end, as_of, reported_by, _rows=self._cache)

    @property
    def slicing(self) -> bool:
        return any(v is not None for v in (self.start, self.end, self.as_of, self.reported_by))

    def keep(self, row: dict) -> bool:
        """Whether a record is in the slice; what is not is counted in :attr:`left_out`."""
        if not self.slicing:
            return True
        if self.reported_by is not None:
            published = row.get("published")
            if not published or published[:10] > self.reported_by:
                self.left_out["unpublished" if not published else "outside"] += 1
                return False
        if self.start is None and self.end is None and self.as_of is None:
            return True
        date = row.get("date")
        if not date:
            self.left_out["undated"] += 1
            return False
        first, last = _days(date)
        inside = (self.start is None or first >= self.start) and (self.end is None or last <= self.end) \
            and (self.as_of is None or last <= self.as_of)
        if inside:
            return True
        # a month or a year that straddles a bound is neither in nor out: say so
        straddles = (self.start is not None and first < self.start <= last) \
            or (self.end is not None and first <= self.end < last) \
            or (self.as_of is not None and first <= self.as_of < last)
        self.left_out["imprecise" if straddles else "outside"] += 1
        return False

    def _held(self, start: str | None, end: str | None) -> bool:
        """Whether a tenure with these dates is held on the ``as_of`` day."""
        if self.as_of is None:
            return True
        return (not start or start[:10] <= self.as_of) and (not end or end[:10] >= self.as_of)

    def rows(self, name: str) -> list[dict[str, str | None]]:
        """The rows of ``queries/networks/NAME.rq`` with terms as plain strings
        (queried once for a context and the slices made from it)."""
        if name not in self._cache:
            self._cache[name] = self._query(name)
        return self._cache[name]

    def _query(self, name: str) -> list[dict[str, str | None]]:
        from ..sparql.guard import refuse_service

        saved = read_query(self.project.networks_dir / f"{name}.rq")
        refuse_service(saved.text, f"the network query {saved.path}")
        solutions = self.graph.query(saved.text)
        names = [v.value for v in solutions.variables]
        positions = range(len(names))
        values = [tuple(None if (term := solution[i]) is None else term.value for i in positions)
                  for solution in solutions]
        # in one order whatever the store returns them in (engines, and one
        # engine in memory or on disk, differ), so that node order, and with it
        # communities and sampled measures, repeat exactly
        values.sort(key=lambda row: tuple(v or "" for v in row))
        return [dict(zip(names, row)) for row in values]

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
            **({"spells": sorted(info.tenures)} if info and info.tenures else {}),
            **extra,
        )


def _days(date: str) -> tuple[str, str]:
    """The first and last day a date may mean: a day itself, a month's or a year's.

    >>> _days("2023-02"), _days("2024"), _days("2023-03-01")
    (('2023-02-01', '2023-02-28'), ('2024-01-01', '2024-12-31'), ('2023-03-01', '2023-03-01'))
    """
    import calendar

    if len(date) == 4:
        return f"{date}-01-01", f"{date}-12-31"
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:])
        return f"{date}-01", f"{date}-{calendar.monthrange(year, month)[1]:02d}"
    return date[:10], date[:10]


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
