"""``kgraph view``: the networks, the actors' profiles and the timeline as one
self-contained, interactive web page that works offline.

:func:`view` builds the chosen networks (:func:`kgraph.network`), measures
them, lays them out deterministically, gathers each actor's profile and the
timeline (:mod:`.data`), and writes the page (:mod:`.page`): Bokeh's
figures and widgets with BokehJS inlined from the installed ``bokeh``
package, so that the file asks the network for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["view", "DEFAULT_NETWORKS"]

#: The networks a view shows when none is named.
DEFAULT_NETWORKS = ("mediation", "interaction", "stance", "claims")


def view(networks: Sequence[str] = DEFAULT_NETWORKS, output: str | Path = "kgraph-view.html", *, graph=None,
         project=None, level: str = "person", as_of: str | None = None, title: str | None = None) -> Path:
    """Write the web view of ``networks`` to ``output`` (atomically); return its path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = view(["mediation"], pathlib.Path(tempfile.mkdtemp()) / "view.html")
    >>> b"Bokeh" in path.read_bytes() and b'<script type="text/javascript" src=' not in path.read_bytes()
    True
    """
    from .._util.atomic import write_bytes_atomic
    from ..errors import NetworkError
    from ..networks.context import ProjectionContext
    from ..networks.projections import LEVELS, PROJECTIONS, network
    from ..project import find_project
    from .data import gather
    from .page import page_html

    names = list(dict.fromkeys(networks)) or list(DEFAULT_NETWORKS)
    unknown = [n for n in names if n not in PROJECTIONS]
    if unknown:
        raise NetworkError(f"unknown network {unknown[0]!r}; choose among {', '.join(PROJECTIONS)}")
    if level not in LEVELS:
        raise NetworkError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    if graph is None:
        graph = (project or find_project()).load()
    # one context: every network and the profiles share its query rows
    context = ProjectionContext(graph, level, None, None)
    built = [(name, network(name, graph, as_of=as_of, context=context)) for name in names]
    data = gather(graph, built, context=context)
    heading = title or f"kgraph: {', '.join(names)} ({level} level{', as of ' + as_of if as_of else ''})"
    path = Path(output)
    write_bytes_atomic(path, page_html(data, title=heading).encode("utf-8"))
    return path
