"""What a loaded project graph holds (``kgraph stats``): its data graphs with
their files and sizes, and how many things of each class they describe."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .namespaces import sparql_prefixes
from .project import ProjectGraph, load_project

__all__ = ["Summary", "GraphCount", "ClassCount", "stats"]

_CLASS_COUNTS = "SELECT DISTINCT ?g ?class ?thing WHERE { GRAPH ?g { ?thing a ?class } }"

_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

_CLASS_LABELS = sparql_prefixes() + """
SELECT ?class (SAMPLE(?name) AS ?label) WHERE {
  VALUES ?kind { owl:Class rdfs:Class }
  ?class a ?kind ; rdfs:label ?name FILTER(LANG(?name) IN ("", "en"))
} GROUP BY ?class
"""


@dataclass(frozen=True)
class GraphCount:
    graph: str
    file: Path
    triples: int


@dataclass(frozen=True)
class ClassCount:
    cls: str
    label: str | None
    count: int


@dataclass
class Summary:
    """Named graphs with their files and sizes, and instances per class."""

    graphs: list[GraphCount] = field(default_factory=list)
    classes: list[ClassCount] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def to_dict(self) -> dict:
        return {
            "triples": self.triples,
            "graphs": [{"graph": g.graph, "file": str(g.file), "triples": g.triples} for g in self.graphs],
            "classes": [{"class": c.cls, "label": c.label, "count": c.count} for c in self.classes],
        }


def stats(graph: ProjectGraph | None = None) -> Summary:
    """Count the triples of each data graph and the instances of each class in
    them (default: the project's data).

    >>> summary = stats()
    >>> summary.triples > 500, summary.classes[0].count > 10
    (True, True)
    """
    from .rdf.dataset import graph_key

    graph = graph if graph is not None else load_project()
    dataset = graph.dataset
    graphs = list(graph.data_graphs)
    summary = Summary()
    sizes = {graph_key(row["g"]): int(row["n"].value) for row in dataset.query(_GRAPH_SIZES, use_default_graph_as_union=False)}
    for name in graphs:
        source = dataset.file_of_graph(name)
        summary.graphs.append(GraphCount(name, source.path if source else Path("-"), sizes.get(name, 0)))
    wanted = set(graphs)
    members: dict[str, set] = {}
    for row in dataset.query(_CLASS_COUNTS, use_default_graph_as_union=False):
        if graph_key(row["g"]) in wanted:
            members.setdefault(row["class"].value, set()).add(row["thing"])
    labels = {row["class"].value: row["label"].value for row in dataset.query(_CLASS_LABELS)}
    summary.classes = [
        ClassCount(cls, labels.get(cls), len(things))
        for cls, things in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    return summary
