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

from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from .._util.gc import without_gc_pauses
from ..errors import NetworkError
from ..project import Project, ProjectGraph, find_project
from . import builders
from .context import ProjectionContext
from .levels import LEVELS, NORMALIZATIONS

__all__ = ["PROJECTIONS", "LEVELS", "NORMALIZATIONS", "Projection", "network", "describe_projections"]


@dataclass(frozen=True)
class Projection:
    """A network kgraph can build: its name, what it shows, whether it is
    directed, the options it takes, and the function that builds it (called
    with the context and the options it takes beyond ``level``, ``start`` and
    ``end``, which the context holds)."""

    name: str
    description: str
    directed: bool
    options: tuple[str, ...]
    build: Callable[..., nx.Graph]
    #: Options of the library only (no command-line flag).
    extras: tuple[str, ...] = ()

    def __call__(self, context: ProjectionContext, **options) -> nx.Graph:
        return self.build(context, **options)


_WINDOW = ("level", "start", "end")

#: Every projection, by name: one table of names, options and builders.
PROJECTIONS: dict[str, Projection] = {
    p.name: p
    for p in (
        Projection("mediation", "mediator -> party per mediated event, plus party <-> party ties", True,
                   _WINDOW, builders.mediation, extras=("party_ties",)),
        Projection("interaction", "actors in the same event, or addressing each other", False, _WINDOW,
                   builders.interaction),
        Projection("stance", "bipartite actor -> target, signed by stance polarity, with quotes", True, _WINDOW,
                   builders.stance),
        Projection("congruence", "actors sharing stances on the same targets (DNA)", False, _WINDOW + ("normalization",),
                   lambda ctx, normalization="none": builders.dna(ctx, "congruence", normalization)),
        Projection("conflict", "actors taking opposed stances on the same targets (DNA)", False,
                   _WINDOW + ("normalization",),
                   lambda ctx, normalization="none": builders.dna(ctx, "conflict", normalization)),
        Projection("signed", "actors tied by congruence (+) minus conflict (-)", False, _WINDOW, builders.signed),
        Projection("claims", "bipartite actor -> claim: who reports and who denies it", True, _WINDOW,
                   builders.claims),
    )
}


@without_gc_pauses
def network(
    name: str,
    graph: ProjectGraph | None = None,
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
    graph
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
    projection = PROJECTIONS[name]
    if graph is None:
        graph = (project or find_project()).load()
    context = ProjectionContext(graph, level, start, end)
    extra = {"normalization": normalization, "party_ties": party_ties}
    G = projection(context, **{option: extra[option] for option in projection.options + projection.extras
                               if option in extra})
    G.graph.update({"name": name, "level": level, "start": start or "", "end": end or ""})
    if "normalization" in projection.options:
        G.graph["normalization"] = normalization
    return G


def _check_date(value: str) -> None:
    import datetime

    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise NetworkError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def describe_projections() -> list[dict[str, object]]:
    """The projections with their options, for listings."""
    return [
        {"name": p.name, "directed": p.directed, "description": p.description, "options": list(p.options)}
        for p in PROJECTIONS.values()
    ]
