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

__all__ = ["PROJECTIONS", "LEVELS", "NORMALIZATIONS", "Projection", "network", "series", "windows",
           "describe_projections", "left_out_note"]


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
    as_of: str | None = None,
    reported_by: str | None = None,
    party_ties: bool = True,
    context: ProjectionContext | None = None,
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
        ISO dates: keep only stances made in this window and events dated in
        it (see :mod:`kgraph.networks.context` for what a record's date is).
    as_of
        An ISO date: the network as it stood that day: stances taken and
        events held by then, persons folded by the posts they held then.
    reported_by
        An ISO date: only what sources published by then said.
    party_ties
        For ``mediation``: add the party <-> party ties.

    Returns
    -------
    networkx.DiGraph or networkx.Graph
        Node ids are IRIs; nodes carry ``label``, ``kind``, ``polity``,
        ``polity_label``, ``organization`` (empty when unknown) and ``posts``
        (the labels of the posts a person holds);
        ``G.graph`` records the projection, its options and, with a time
        slice, how many records it left out: ``left_out_undated`` (no date),
        ``left_out_outside`` (dated outside the slice) and
        ``left_out_unpublished`` (``reported_by``: no publication date) and
        ``left_out_imprecise`` (dated only to a month or a year that
        straddles a bound of the slice).

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
    for value in (start, end, as_of, reported_by):
        if value is not None:
            _check_date(value)
    projection = PROJECTIONS[name]
    if context is not None:
        context = context.sliced(start, end, as_of, reported_by)
    else:
        if graph is None:
            graph = (project or find_project()).load()
        context = ProjectionContext(graph, level, start, end, as_of, reported_by)
    extra = {"normalization": normalization, "party_ties": party_ties}
    G = projection(context, **{option: extra[option] for option in projection.options + projection.extras
                               if option in extra})
    G.graph.update({"name": name, "level": level, "start": start or "", "end": end or "",
                    "as_of": as_of or "", "reported_by": reported_by or ""})
    if context.slicing:
        G.graph.update({f"left_out_{why}": n for why, n in context.left_out.items()})
    if "normalization" in projection.options:
        G.graph["normalization"] = normalization
    return G


def left_out_note(G: nx.Graph) -> str | None:
    """What a time slice left out of ``G``, in words (None without a slice)."""
    if not any(G.graph.get(k) for k in ("start", "end", "as_of", "reported_by")):
        return None
    undated, outside, unpublished, imprecise = (G.graph.get(f"left_out_{w}", 0)
                                                for w in ("undated", "outside", "unpublished", "imprecise"))
    parts = [f"{undated} record{'s' if undated != 1 else ''} without a date",
             f"{outside} dated outside the slice"]
    if imprecise:
        parts.append(f"{imprecise} dated only to a month or year that straddles its bounds")
    if G.graph.get("reported_by"):
        parts.append(f"{unpublished} from sources without a publication date")
    return (f"time slice: {len(G)} nodes and {G.number_of_edges()} ties kept; left out: " + ", ".join(parts)
            + " (a stance is dated by its statement, else by its source's publication)")


def windows(first: str, last: str, window: str, step: str) -> list[tuple[str, str]]:
    """Time windows ``(start, end)``, both days included, of length ``window``
    moved by ``step`` from ``first`` until a window starts after ``last``.
    Lengths are a number and a unit: ``D`` days, ``W`` weeks, ``M`` months,
    ``Y`` years (``1M``, ``2W``, ``90D``).

    >>> windows("2023-01-15", "2023-03-01", "1M", "1M")
    [('2023-01-15', '2023-02-14'), ('2023-02-15', '2023-03-14')]
    >>> windows("2023-01-01", "2023-01-10", "1W", "3D")[:2]
    [('2023-01-01', '2023-01-07'), ('2023-01-04', '2023-01-10')]
    """
    import datetime

    length, move = _period(window, "window"), _period(step, "step")
    day = datetime.timedelta(days=1)
    begin, stop = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    out = []
    at = begin
    while at <= stop:
        out.append((at.isoformat(), (at + length - day).isoformat()))
        at = at + move
        if len(out) > 100_000:
            raise NetworkError("more than 100,000 windows: choose a longer step")
    return out


def _aligned(day: str, window: str) -> str:
    """The start of the calendar unit ``day`` is in: its week's Monday, its
    month's first day, its year's, for windows counted in weeks, months, years.

    >>> _aligned("2023-02-24", "1M"), _aligned("2023-02-24", "1Y"), _aligned("2023-02-24", "2W")
    ('2023-02-01', '2023-01-01', '2023-02-20')
    """
    import datetime

    _period(window, "window")
    unit = window.strip()[-1].upper()
    date = datetime.date.fromisoformat(day)
    if unit == "M":
        date = date.replace(day=1)
    elif unit == "Y":
        date = date.replace(month=1, day=1)
    elif unit == "W":
        date -= datetime.timedelta(days=date.weekday())
    return date.isoformat()


def _period(text: str, what: str):
    import re

    from dateutil.relativedelta import relativedelta

    found = re.fullmatch(r"\s*([1-9][0-9]*)\s*([DWMYdwmy])\s*", text or "")
    if not found:
        raise NetworkError(f"{what} {text!r} is not a length such as 30D, 2W, 1M or 1Y")
    n, unit = int(found.group(1)), found.group(2).upper()
    return {"D": relativedelta(days=n), "W": relativedelta(weeks=n), "M": relativedelta(months=n),
            "Y": relativedelta(years=n)}[unit]


def series(name: str, graph: ProjectGraph | None = None, *, window: str, step: str | None = None,
           start: str | None = None, end: str | None = None, project: Project | None = None,
           level: str = "person", normalization: str = "none", reported_by: str | None = None,
           party_ties: bool = True) -> list[nx.Graph]:
    """The network ``name`` in each time window, in the manner of Discourse
    Network Analyzer's time windows: windows of length ``window`` moved by
    ``step`` (default: ``window``), from ``start`` (default: the earliest
    dated record, moved back to the start of its week, month or year for
    windows counted in those) to ``end`` (default: the latest). The data is queried once.
    Each graph's ``G.graph`` holds its window (``start``, ``end``) and what
    it left out."""
    if name not in PROJECTIONS:
        raise NetworkError(f"unknown network {name!r}; choose one of {', '.join(PROJECTIONS)}")
    if level not in LEVELS:
        raise NetworkError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    for value in (start, end, reported_by):
        if value is not None:
            _check_date(value)
    if graph is None:
        graph = (project or find_project()).load()
    context = ProjectionContext(graph, level, None, None)
    from .context import _days

    spans = [_days(row["date"]) for query in ("stances", "participation", "mediation")
             for row in context.rows(query) if row.get("date")]
    if not spans and (start is None or end is None):
        raise NetworkError("no record has a date: give --start and --end for the windows, or date the data")
    spans = windows(start or _aligned(min(a for a, _ in spans), window), end or max(b for _, b in spans), window,
                    step or window)
    return [network(name, graph, level=level, normalization=normalization, start=a, end=b,
                    reported_by=reported_by, party_ties=party_ties, context=context) for a, b in spans]


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
