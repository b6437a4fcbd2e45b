"""Writing networks for Gephi and other tools: GEXF 1.3, GraphML and CSV.

GEXF is written by kgraph itself with lxml: typed attribute declarations
with readable titles, ``viz`` colours by kind and sizes by betweenness, edge
weights and kinds, and, when ties carry dates or persons dated tenures, a
dynamic graph with spells (a tie's days; a node's days and tenures, an open
tenure without an end) so that Gephi's timeline plays it. GraphML goes through networkx with typed
keys; CSV is Gephi's spreadsheet import format (a nodes file and an edges
file). Every file is written atomically: an error midway leaves any earlier
file as it was.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx

from .._util.atomic import write_bytes_atomic
from .._util.gc import without_gc_pauses
from .._util.text import xml_safe
from .._version import __version__
from ..errors import ExportError
from .analysis import METRICS
from .style import kind_colour, rgb

__all__ = ["export", "EXPORT_FORMATS", "to_gexf", "to_graphml", "to_csv", "encode_list", "with_metrics"]

#: Formats by file extension.
EXPORT_FORMATS = {".gexf": "gexf", ".graphml": "graphml", ".csv": "csv"}

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

#: Names GEXF (and Gephi's columns) reserve for their own meaning; never used
#: for data attributes. Edges also have GEXF's ``kind``, which kgraph fills
#: with the tie's relation.
RESERVED = {"id", "label", "weight", "start", "end", "type", "spells"}
EDGE_RESERVED = RESERVED | {"kind", "dates"}

#: Readable titles for the attributes kgraph writes.
TITLES = {
    "kind": "Kind",
    "polity": "Polity",
    "polity_label": "Polity name",
    "organization": "Organization",
    "posts": "Posts",
    "bipartite": "Bipartite side",
    "mediator": "Mediator",
    "party": "Party",
    **METRICS,
    "relation": "Relation",
    "events": "Events",
    "event_labels": "Event names",
    "dates": "Dates",
    "stance_types": "Stances",
    "quotes": "Quotes",
    "stances": "Stance IRIs",
    "polarity": "Polarity",
    "sign": "Sign",
    "count": "Shared targets",
    "targets": "Targets",
    "congruence": "Congruence",
    "conflict": "Conflict",
}


def encode_list(values: list) -> str:
    """A list as GEXF/CSV text: a JSON array, so items may hold commas and quotes.

    >>> encode_list(["a", 'b, "c"'])
    '["a", "b, \\\\"c\\\\""]'
    """
    return json.dumps([str(v) for v in values], ensure_ascii=False)


def _kinds_of(values: list) -> str:
    kinds = {type(v) for v in values if v is not None and v != ""}
    if not kinds:
        return "string"
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "integer"
    if kinds <= {int, float}:
        return "double"
    if kinds <= {list, tuple}:
        return "liststring"
    return "string"


def _columns(items: list[dict], skip: set[str]) -> list[tuple[str, str]]:
    """(name, GEXF type) for every attribute in use, in a stable order."""
    names: dict[str, list] = {}
    for data in items:
        for name, value in data.items():
            if name not in skip:
                names.setdefault(name, []).append(value)
    order = list(TITLES)
    ordered = sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))
    return [(name, _kinds_of(names[name])) for name in ordered]


def _text(value, kind: str) -> str:
    if kind == "liststring":
        return xml_safe(encode_list(list(value or [])))
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return xml_safe(str(value))


def _intervals(dates: list[str]) -> list[tuple[str, str]]:
    """One-day spells, one per distinct date."""
    return [(d, d) for d in sorted(set(d for d in dates if d))]


def _dated(G: nx.Graph) -> bool:
    return any(d.get("dates") for _, _, d in G.edges(data=True)) or any(d.get("spells") for _, d in G.nodes(data=True))


def to_gexf(G: nx.Graph) -> bytes:
    """The graph as a GEXF 1.3 document (bytes, UTF-8)."""
    from lxml import etree

    dynamic = _dated(G)
    nsmap = {None: GEXF_NS, "viz": VIZ_NS, "xsi": XSI_NS}
    root = etree.Element(f"{{{GEXF_NS}}}gexf", nsmap=nsmap, version="1.3")
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{GEXF_NS} http://gexf.net/1.3/gexf.xsd")
    meta = etree.SubElement(root, "meta")
    etree.SubElement(meta, "creator").text = f"kgraph {__version__}"
    description = f"{G.graph.get('name', 'network')} network, {G.graph.get('level', 'person')} level"
    etree.SubElement(meta, "description").text = xml_safe(description)
    graph = etree.SubElement(root, "graph", defaultedgetype="directed" if G.is_directed() else "undirected",
                             mode="dynamic" if dynamic else "static")
    if dynamic:
        graph.set("timeformat", "date")

    node_columns = _columns([d for _, d in G.nodes(data=True)], RESERVED)
    edge_columns = _columns([d for _, _, d in G.edges(data=True)], EDGE_RESERVED)
    for cls, columns in (("node", node_columns), ("edge", edge_columns)):
        declaration = etree.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
        for name, kind in columns:
            etree.SubElement(declaration, "attribute", id=name, title=TITLES.get(name, name.replace("_", " ")), type=kind)

    sizes = [_size(d) for _, d in G.nodes(data=True)]
    top = max(sizes, default=0.0) or 1.0
    node_dates: dict[str, list[str]] = {n: [] for n in G}
    for u, v, d in G.edges(data=True):
        node_dates[u] += d.get("dates", [])
        node_dates[v] += d.get("dates", [])

    nodes = etree.SubElement(graph, "nodes", count=str(len(G)))
    for node, data in G.nodes(data=True):
        element = etree.SubElement(nodes, "node", id=xml_safe(str(node)), label=xml_safe(str(data.get("label", node))))
        _attvalues(element, data, node_columns)
        spells = _intervals(node_dates[node]) + [tuple(s) for s in data.get("spells", ())]
        if dynamic and spells:
            _spells(element, sorted(set(spells)))
        r, g, b = rgb(kind_colour(str(data.get("kind", ""))))
        etree.SubElement(element, f"{{{VIZ_NS}}}color", r=str(r), g=str(g), b=str(b))
        size = 10 + 40 * _size(data) / top
        etree.SubElement(element, f"{{{VIZ_NS}}}size", value=f"{size:.2f}")

    edges = etree.SubElement(graph, "edges", count=str(G.number_of_edges()))
    for index, (u, v, data) in enumerate(G.edges(data=True)):
        attributes = {"id": str(index), "source": xml_safe(str(u)), "target": xml_safe(str(v)),
                      "weight": repr(float(data.get("weight", 1) or 0))}
        if data.get("relation"):
            attributes["label"] = xml_safe(str(data["relation"]))
            attributes["kind"] = xml_safe(str(data["relation"]))
        element = etree.SubElement(edges, "edge", attributes)
        _attvalues(element, data, edge_columns)
        if dynamic and data.get("dates"):
            _spells(element, _intervals(data["dates"]))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _size(data: dict) -> float:
    """A node's betweenness, if it has a numeric one, for viz:size."""
    value = data.get("betweenness", 0)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else 0.0


def _attvalues(element, data: dict, columns: list[tuple[str, str]]) -> None:
    from lxml import etree

    present = [(name, kind) for name, kind in columns if data.get(name) not in (None, "", [])]
    if not present:
        return
    container = etree.SubElement(element, "attvalues")
    for name, kind in present:
        etree.SubElement(container, "attvalue", {"for": name, "value": _text(data[name], kind)})


def _spells(element, intervals: list[tuple[str, str]]) -> None:
    from lxml import etree

    container = etree.SubElement(element, "spells")
    for start, end in intervals:  # an open end (a tenure still held) is left out, as GEXF allows
        etree.SubElement(container, "spell", {k: v for k, v in (("start", start), ("end", end)) if v})


def _plain(G: nx.Graph, xml: bool = False) -> nx.Graph:
    """A copy whose attribute values GraphML can hold: lists become JSON text
    (and, for ``xml``, text only holds characters XML can carry)."""
    H = G.__class__()
    H.graph.update({k: v for k, v in G.graph.items() if isinstance(v, (str, int, float, bool))})

    def text(value):
        return xml_safe(value) if xml and isinstance(value, str) else value

    def clean(data: dict) -> dict:
        out = {}
        for name, value in data.items():
            if value is None:
                continue
            out[name] = text(encode_list(value) if isinstance(value, (list, tuple)) else value)
        return out

    H.add_nodes_from((text(n), clean(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((text(u), text(v), clean(d)) for u, v, d in G.edges(data=True))
    return H


def to_graphml(G: nx.Graph) -> bytes:
    """The graph as GraphML with typed keys (lists written as JSON text)."""
    buffer = io.BytesIO()
    nx.write_graphml(_plain(G, xml=True), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()


def to_csv(G: nx.Graph) -> tuple[bytes, bytes]:
    """Gephi's spreadsheet import format: (nodes.csv, edges.csv) as bytes."""
    plain = _plain(G)
    node_columns = [name for name, _ in _columns([d for _, d in plain.nodes(data=True)], RESERVED)]
    edge_columns = [name for name, _ in _columns([d for _, _, d in plain.edges(data=True)], EDGE_RESERVED)]
    dynamic = _dated(G)

    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(["Id", "Label", *node_columns])
    for node, data in plain.nodes(data=True):
        writer.writerow([node, data.get("label", node), *(data.get(c, "") for c in node_columns)])

    edges = io.StringIO()
    writer = csv.writer(edges, lineterminator="\n")
    writer.writerow(["Source", "Target", "Type", "Weight", "Label", *edge_columns, *(["Timeset"] if dynamic else [])])
    kind = "Directed" if G.is_directed() else "Undirected"
    for (u, v, data), (_, _, original) in zip(plain.edges(data=True), G.edges(data=True)):
        row = [u, v, kind, data.get("weight", 1), data.get("relation", ""), *(data.get(c, "") for c in edge_columns)]
        if dynamic:
            spells = _intervals(original.get("dates", []))
            row.append("<" + "; ".join(f"[{s}, {e}]" for s, e in spells) + ">" if spells else "")
        writer.writerow(row)
    return nodes.getvalue().encode("utf-8"), edges.getvalue().encode("utf-8")


def csv_paths(path: Path) -> tuple[Path, Path]:
    """Where the CSV pair for ``path`` goes: STEM-nodes.csv and STEM-edges.csv."""
    return path.with_name(f"{path.stem}-nodes.csv"), path.with_name(f"{path.stem}-edges.csv")


@without_gc_pauses
def export(G: nx.Graph, path: str | Path, format: str | None = None, *, metrics: bool = True) -> list[Path]:
    """Write ``G`` to ``path`` as GEXF, GraphML or CSV; return the files written.

    Parameters
    ----------
    G
        A graph from :func:`kgraph.network`.
    path
        The output file; for CSV, ``STEM-nodes.csv`` and ``STEM-edges.csv``
        are written beside it.
    format
        ``gexf``, ``graphml`` or ``csv``; by default from the extension.
    metrics
        Add the measures of :func:`kgraph.analyze` (centralities, brokerage
        roles, coalition) to the nodes first.

    Raises
    ------
    ExportError
        Unknown format, or the folder does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in export(nx.DiGraph([("a", "b")]), folder / "tie.csv")]
    ['tie-nodes.csv', 'tie-edges.csv']
    """
    path = Path(path)
    fmt = format or EXPORT_FORMATS.get(path.suffix.lower())
    if fmt not in ("gexf", "graphml", "csv"):
        raise ExportError(f"cannot tell the format of {path.name}: use .gexf, .graphml or .csv, or give a format")
    if not path.parent.is_dir():
        raise ExportError("folder does not exist", path.parent)
    if metrics:
        G = with_metrics(G)
    if fmt == "gexf":
        write_bytes_atomic(path, to_gexf(G))
        return [path]
    if fmt == "graphml":
        write_bytes_atomic(path, to_graphml(G))
        return [path]
    nodes, edges = to_csv(G)
    node_path, edge_path = csv_paths(path)
    write_bytes_atomic(node_path, nodes)
    write_bytes_atomic(edge_path, edges)
    return [node_path, edge_path]


def with_metrics(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose nodes carry the measures of :func:`kgraph.analyze`
    (every one in :data:`~kgraph.networks.analysis.METRICS` that is defined)."""
    from .analysis import analyze

    H = G.copy()
    result = analyze(G)
    for node in result.nodes:
        H.nodes[node.id].update({name: value for name, value in result.metrics(node).items() if value is not None})
    return H
