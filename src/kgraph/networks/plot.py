"""Drawing a projected network with matplotlib: colours by kind, labels, a
legend, edge widths by weight, signed ties in green (+) and red (-)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .._util.text import xml_safe
from .style import DASHED, edge_colour, kind_colour

__all__ = ["plot"]

def _wrap(text: str, width: int = 22) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(xml_safe(text), width)[:3])


def plot(G: nx.Graph, path: str | Path, *, title: str | None = None, seed: int = 3, dpi: int = 150) -> Path:
    """Draw ``G`` to ``path`` (``.png`` or ``.svg``), written atomically.

    >>> import tempfile, pathlib
    >>> path = plot(nx.Graph([("a", "b")]), pathlib.Path(tempfile.mkdtemp()) / "ab.svg")
    >>> path.read_text().count("<svg") >= 1
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"cannot draw to {path.name}: use .png or .svg")
    # SVG keeps its labels as text, so they can be searched and edited.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        return _draw(G, path, fmt, title, seed, dpi, plt, Line2D)


def _draw(G, path, fmt, title, seed, dpi, plt, Line2D) -> Path:
    import io

    from .._util.atomic import write_bytes_atomic

    figure, axes = plt.subplots(figsize=(11, 8))
    try:
        axes.set_axis_off()
        if len(G):
            layout = nx.spring_layout(G, seed=seed, k=1.8 / max(len(G), 1) ** 0.5, weight=None)
            kinds = [G.nodes[n].get("kind", "") for n in G]
            colours = [kind_colour(kind) for kind in kinds]
            degrees = dict(G.degree())
            most = max(degrees.values(), default=1) or 1
            sizes = [300 + 2400 * degrees[n] / most for n in G]
            # On a crowded graph, label only the best-connected nodes.
            labelled = set(sorted(G, key=lambda n: (-degrees[n], n))[:30]) if len(G) > 60 else set(G)
            weights = {(u, v): float(d.get("weight", 1) or 1) for u, v, d in G.edges(data=True)}
            top = max(weights.values(), default=1.0) or 1.0
            relations = sorted({str(d.get("relation", "")) for _, _, d in G.edges(data=True)})
            for relation in relations:
                edges = [(u, v, d) for u, v, d in G.edges(data=True) if str(d.get("relation", "")) == relation]
                nx.draw_networkx_edges(
                    G, layout, ax=axes, edgelist=[(u, v) for u, v, _ in edges],
                    width=[1.5 + 4 * weights[(u, v)] / top for u, v, _ in edges],
                    edge_color=[edge_colour(d) for _, _, d in edges],
                    style=DASHED.get(relation, "solid"), alpha=0.75, node_size=sizes,
                    **({"arrows": True, "arrowsize": 18, "connectionstyle": "arc3,rad=0.08"} if G.is_directed() else {}),
                )
            nx.draw_networkx_nodes(G, layout, ax=axes, node_color=colours, node_size=sizes,
                                   edgecolors="#333333", linewidths=0.8)
            nx.draw_networkx_labels(G, layout, ax=axes, labels={n: _wrap(str(G.nodes[n].get("label", n))) for n in labelled},
                                    font_size=9)
            handles = [
                Line2D([0], [0], marker="o", linestyle="", markersize=10, markerfacecolor=kind_colour(kind),
                       markeredgecolor="#333333", label=xml_safe(kind))
                for kind in sorted(set(kinds))
            ]
            handles += [
                Line2D([0], [0], color="#666666", linestyle=DASHED.get(r, "solid"), linewidth=2, label=xml_safe(r))
                for r in relations if r
            ]
            if any("sign" in d for _, _, d in G.edges(data=True)):
                handles += [Line2D([0], [0], color=c, linewidth=2, label=f"sign {s}")
                            for s, c in (("+", "#1B9E77"), ("-", "#D95F02"))]
            axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
            axes.margins(0.18)
        name = title or f"{G.graph.get('name', 'network')} network ({G.graph.get('level', 'person')} level)"
        axes.set_title(xml_safe(f"{name}: {len(G)} nodes, {G.number_of_edges()} ties; edge width = weight"))
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=dpi, bbox_inches="tight", metadata=_metadata(fmt))
    finally:
        plt.close(figure)
    write_bytes_atomic(path, buffer.getvalue())
    return path


def _metadata(fmt: str) -> dict:
    # No creation date or software version, so the same graph gives the same file.
    return {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
