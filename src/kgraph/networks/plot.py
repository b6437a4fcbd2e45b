"""Drawing a projected network with matplotlib, for a report or a slide:
colours by kind, node size by a measure (the legend says which), ties by
polarity (green supports, orange opposes, grey neither), labels that neither
overlap (adjustText moves them apart) nor break off mid-word (a long label is
shortened with an ellipsis, its full text kept as the SVG element's title, so
that a browser shows it on hover), a legend only for what is drawn, and, for a
large network, its top nodes by the measure with a note of how many were left
out."""

from __future__ import annotations

import textwrap
from pathlib import Path

import networkx as nx

from .._util.text import xml_safe
from .style import DASHED, edge_colour, kind_colour

__all__ = ["plot", "short_label"]

#: Sign of a tie -> (colour, legend text).
_SIGNS = {1: ("#1B9E77", "supports (+)"), -1: ("#D95F02", "opposes (−)"), 0: ("#666666", "neither (0)")}


def short_label(text: str, width: int = 20, lines: int = 2) -> str:
    """A label on at most ``lines`` lines of ``width``, ended with an ellipsis
    when it is longer (never cut mid-word).

    >>> short_label("Foreign Ministry of the Nagorno-Karabakh Republic")
    'Foreign Ministry of\\nthe Nagorno-Karabakh…'
    >>> short_label("Russia")
    'Russia'
    """
    wrapped = textwrap.wrap(" ".join(xml_safe(text).split()), width) or [""]
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    kept = wrapped[:lines]
    kept[-1] = kept[-1].rstrip(" ,;:.-") + "…"
    return "\n".join(kept)


def plot(G: nx.Graph, path: str | Path, *, title: str | None = None, seed: int = 3, dpi: int = 150,
         size_by: str = "degree", top: int = 60) -> Path:
    """Draw ``G`` to ``path`` (``.png`` or ``.svg``), written atomically.

    Nodes are sized by ``size_by`` (``degree``, or any numeric node
    attribute, such as a measure :func:`kgraph.export` adds); above ``top``
    nodes only the ``top`` highest by it are drawn, and the title says how
    many were left out.

    >>> import tempfile, pathlib
    >>> path = plot(nx.Graph([("a", "b")]), pathlib.Path(tempfile.mkdtemp()) / "ab.svg")
    >>> path.read_text().count("<svg") >= 1
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"cannot draw to {path.name}: use .png or .svg")
    # SVG keeps its labels as text, so they can be searched and edited.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        return _draw(G, path, fmt, title, seed, dpi, size_by, top, plt)


def _measure(G: nx.Graph, size_by: str) -> dict:
    if size_by == "degree":
        return dict(G.degree())
    values = {}
    for n, d in G.nodes(data=True):
        value = d.get(size_by, 0)
        values[n] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0
    return values


def _draw(G, path, fmt, title, seed, dpi, size_by, top, plt) -> Path:
    import io

    from matplotlib.lines import Line2D

    from .._util.atomic import write_bytes_atomic

    measure = _measure(G, size_by)
    shown = G
    left_out = 0
    if len(G) > top:
        kept = sorted(G, key=lambda n: (-measure[n], str(n)))[:top]
        shown = G.subgraph(kept)
        left_out = len(G) - top
    figure, axes = plt.subplots(figsize=(12, 8.5))
    titles: dict[str, str] = {}
    try:
        axes.set_axis_off()
        handles = []
        if len(shown):
            layout = nx.spring_layout(shown, seed=seed, k=2.2 / max(len(shown), 1) ** 0.5, weight=None)
            kinds = [shown.nodes[n].get("kind", "") for n in shown]
            most = max((measure[n] for n in shown), default=1) or 1
            sizes = [250 + 2200 * measure[n] / most for n in shown]
            weights = {(u, v): float(d.get("weight", 1) or 1) for u, v, d in shown.edges(data=True)}
            heaviest = max(weights.values(), default=1.0) or 1.0
            styles = sorted({DASHED.get(str(d.get("relation", "")), "solid") for _, _, d in shown.edges(data=True)})
            for style in styles:
                edges = [(u, v, d) for u, v, d in shown.edges(data=True)
                         if DASHED.get(str(d.get("relation", "")), "solid") == style]
                nx.draw_networkx_edges(
                    shown, layout, ax=axes, edgelist=[(u, v) for u, v, _ in edges],
                    width=[1.2 + 3.5 * weights[(u, v)] / heaviest for u, v, _ in edges],
                    edge_color=[edge_colour(d) for _, _, d in edges], style=style, alpha=0.7,
                    node_size=sizes,
                    **({"arrows": True, "arrowsize": 14, "connectionstyle": "arc3,rad=0.08"} if shown.is_directed() else {}),
                )
            nx.draw_networkx_nodes(shown, layout, ax=axes, node_color=[kind_colour(k) for k in kinds],
                                   node_size=sizes, edgecolors="#333333", linewidths=0.8)
            texts = []
            for i, node in enumerate(shown):
                full = " ".join(str(shown.nodes[node].get("label", node)).split())
                label = short_label(full)
                x, y = layout[node]
                text = axes.text(x, y, label, fontsize=8.5, ha="center", va="center", zorder=5,
                                 bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.7,
                                       "edgecolor": "none"})
                if label.replace("\n", " ") != full:
                    text.set_gid(f"kgraph-label-{i}")
                    titles[f"kgraph-label-{i}"] = xml_safe(full)
                texts.append(text)
            if len(texts) > 1:
                from adjustText import adjust_text

                adjust_text(texts, ax=axes, expand=(1.1, 1.3), max_move=(40, 40))
            for kind in sorted(set(kinds)):
                handles.append(Line2D([0], [0], marker="o", linestyle="", markersize=9, markerfacecolor=kind_colour(kind),
                                      markeredgecolor="#333333", label=xml_safe(kind or "other")))
            signs = {d.get("sign") for _, _, d in shown.edges(data=True)}
            for sign, (colour, text) in _SIGNS.items():
                if sign in signs:
                    handles.append(Line2D([0], [0], color=colour, linewidth=2.5, label=text))
            if None in signs and shown.number_of_edges():
                handles.append(Line2D([0], [0], color="#666666", linewidth=2.5, label="tie (unsigned)"))
            for relation, style in DASHED.items():
                if any(str(d.get("relation", "")) == relation for _, _, d in shown.edges(data=True)):
                    handles.append(Line2D([0], [0], color="#666666", linestyle=style, linewidth=2, label=relation))
            handles.append(Line2D([0], [0], marker="o", linestyle="", markersize=5, markerfacecolor="white",
                                  markeredgecolor="#333333",
                                  label=f"node size: {size_by} (largest {most:g})"))
            handles.append(Line2D([0], [0], color="#666666", linewidth=3.5, label="tie width: weight"))
            axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
            axes.margins(0.12)
        name = title or f"{G.graph.get('name', 'network')} network ({G.graph.get('level', 'person')} level)"
        heading = f"{name}: {len(G)} nodes, {G.number_of_edges()} ties"
        if left_out:
            heading += f"\nthe {top} nodes with the highest {size_by} are drawn; {left_out} more are left out"
        axes.set_title(xml_safe(heading), fontsize=11)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=dpi, bbox_inches="tight", metadata=_metadata(fmt))
    finally:
        plt.close(figure)
    data = buffer.getvalue()
    if fmt == "svg" and titles:
        data = _with_titles(data, titles)
    write_bytes_atomic(path, data)
    return path


def _with_titles(svg: bytes, titles: dict[str, str]) -> bytes:
    """The SVG with a ``<title>`` (the full label, shown on hover) in each shortened label."""
    from lxml import etree

    root = etree.fromstring(svg)
    namespace = "http://www.w3.org/2000/svg"
    for element in root.iter(f"{{{namespace}}}g"):
        full = titles.get(element.get("id", ""))
        if full is not None:
            title = etree.Element(f"{{{namespace}}}title")
            title.text = full
            element.insert(0, title)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _metadata(fmt: str) -> dict:
    # No creation date or software version, so the same graph gives the same file.
    return {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
