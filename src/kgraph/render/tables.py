"""Tables for people: query results, the saved queries, the networks, what
the graph holds, and a network's measures.

Each function returns a rich renderable (or, for CSV, text); printing is
the command line's job. Labels stand in for IRIs wherever a query gives them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..namespaces import compact
from .terms import short_term

__all__ = ["candidate_table", "query_table", "query_list", "network_list", "stats_tables", "analysis_tables", "analysis_csv"]


def query_table(result, limit: int | None = None) -> Table | Text:
    """A :class:`~kgraph.sparql.results.QueryResult` as a table (its first
    ``limit`` rows, the others counted in the caption).

    An IRI column with a companion ``xLabel`` column shows as one column: the
    label, or the IRI (shortened) where there is none. ASK answers ``true``
    or ``false``.
    """
    import pyoxigraph

    if result.kind == "ask":
        return Text("true" if result.boolean else "false")
    if result.kind == "graph":
        return Text(result.serialize("turtle"))
    names = result.variables

    def companion(name: str) -> str | None:
        base = name[: -len("Label")]
        return base if name.endswith("Label") and base in names else None

    shown = [i for i, name in enumerate(names) if f"{name}Label" not in names]
    total = len(result.rows)
    rows = result.rows if limit is None else result.rows[:limit]
    caption = f"{total} row{'s' if total != 1 else ''}"
    if len(rows) < total:
        caption = f"{len(rows)} of {total} rows shown; {total - len(rows)} more (--limit 0 shows all, --format csv writes all)"
    table = Table(caption=caption)
    for i in shown:
        table.add_column(companion(names[i]) or names[i])
    for row in rows:
        cells = []
        for i in shown:
            term = row[i]
            base = companion(names[i])
            if term is None and base is not None:
                term = row[names.index(base)]
            if term is None:
                cells.append("")
            elif isinstance(term, pyoxigraph.Literal):
                cells.append(term.value)
            else:
                cells.append(short_term(str(term)))
        table.add_row(*cells)
    return table


def query_list(saved: Sequence) -> Table:
    """The saved queries with their titles and parameters."""
    table = Table(title="saved queries (kgraph query NAME)")
    for column in ("name", "title", "parameters"):
        table.add_column(column)
    for q in saved:
        table.add_row(q.name, q.title, "\n".join(str(p) for p in q.params) or "-")
    return table


def network_list(projections: Sequence[dict]) -> Table:
    """The network projections (from :func:`~kgraph.networks.projections.describe_projections`)."""
    table = Table(title="networks (kgraph analyze|plot|export NETWORK)")
    for column in ("name", "directed", "what it shows", "options"):
        table.add_column(column)
    for p in projections:
        table.add_row(p["name"], "yes" if p["directed"] else "no", p["description"], ", ".join(p["options"]))
    return table


def stats_tables(summary, relative_to: Path | None = None) -> Group:
    """The named graphs with their files and sizes, then the things of each kind."""
    graphs = Table(title=f"{len(summary.graphs)} named graphs, {summary.triples} triples")
    for column, justify in (("graph", "left"), ("file", "left"), ("triples", "right")):
        graphs.add_column(column, justify=justify)
    for g in summary.graphs:
        graphs.add_row(compact(g.graph), _relative(g.file, relative_to), str(g.triples))
    classes = Table(title="things of each kind")
    for column, justify in (("class", "left"), ("label", "left"), ("count", "right")):
        classes.add_column(column, justify=justify)
    for c in summary.classes:
        classes.add_row(compact(c.cls), c.label or "", str(c.count))
    return Group(graphs, classes)


def analysis_tables(result, level: str, limit: int | None = None) -> Group:
    """A network's summary lines, then one row per node, brokers first (the
    first ``limit`` nodes; the others counted in the caption)."""
    from ..networks.brokerage import BROKERAGE_ROLES

    s = result.summary
    lines = [f"{result.network} network ({level} level): {s.nodes} nodes, {s.edges} ties, "
             f"density {s.density:.3f}, {s.components} component{'s' if s.components != 1 else ''}"]
    if result.balance is not None:
        share = "n/a" if result.balance.share is None else f"{result.balance.share:.2f}"
        lines.append(f"balance: {result.balance.balanced} of {result.balance.triads} signed triads balanced "
                     f"(share {share})")
    lines.append(f"coalitions: {len(result.communities)}")
    lines += [f"note: {note}" for note in result.notes]
    ranked = sorted(result.nodes, key=lambda n: (-n.betweenness, -n.degree, n.label))
    shown = ranked if limit is None else ranked[:limit]
    caption = None
    if len(shown) < len(ranked):
        caption = (f"{len(shown)} of {len(ranked)} nodes shown; {len(ranked) - len(shown)} more "
                   "(--limit 0 shows all, --format csv writes all)")
    table = Table(caption=caption)
    for column in ("node", "kind", "group", "degree", "betweenness", "closeness", "eigenvector", "brokerage roles",
                   "coalition"):
        table.add_column(column)
    for n in shown:
        roles = ", ".join(f"{r} {getattr(n, r)}" for r in BROKERAGE_ROLES if getattr(n, r))
        table.add_row(n.label, n.kind, short_term(f"<{n.group}>"), str(n.degree), f"{n.betweenness:.3f}",
                      f"{n.closeness:.3f}", "" if n.eigenvector is None else f"{n.eigenvector:.3f}", roles,
                      str(n.community))
    return Group(*(Text(line) for line in lines), table)


def series_table(results) -> Table:
    """One row per time window: its size, density, coalitions, the node
    with the highest betweenness, and what it left out."""
    table = Table()
    for column in ("window", "nodes", "ties", "density", "coalitions", "top broker", "left out (outside)"):
        table.add_column(column)
    for G, result in results:
        s = result.summary
        top = max(result.nodes, key=lambda n: (n.betweenness, n.degree), default=None)
        table.add_row(f"{G.graph['start']} to {G.graph['end']}", str(s.nodes), str(s.edges), f"{s.density:.3f}",
                      str(len(result.communities)), top.label if top is not None and top.betweenness > 0 else "",
                      str(G.graph.get("left_out_outside", 0)))
    return table


def analysis_csv(result) -> str:
    """One row per node: ``id,label,kind,group`` and every metric by name."""
    from ..networks.analysis import METRICS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "label", "kind", "group", *METRICS])
    for node in result.nodes:
        writer.writerow([node.id, node.label, node.kind, node.group,
                         *(_number(value) for value in result.metrics(node).values())])
    return buffer.getvalue()


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _relative(path: Path, relative_to: Path | None) -> str:
    if relative_to is None:
        return str(path)
    try:
        return str(path.resolve().relative_to(relative_to.resolve()))
    except ValueError:
        return str(path)


def candidate_table(candidates) -> Table:
    """Candidates for a typed name (:meth:`kgraph.identity.NameIndex.find`)."""
    table = Table(show_lines=False)
    for title in ("score", "actor", "label", "kind", "matched name", "why"):
        table.add_column(title, overflow="fold")
    for c in candidates:
        table.add_row(f"{c.score:.2f}", compact(c.iri), c.label, c.kind, c.matched, c.reason)
    return table
