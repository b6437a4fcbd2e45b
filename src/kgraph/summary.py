"""What a loaded graph holds: its named graphs and how many of each kind of thing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import Dataset, graph_key
from .loader import load
from .project import Project, find_project

__all__ = ["Summary", "GraphCount", "ClassCount", "summarize", "load_project"]

_CLASS_COUNTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?g ?class ?thing WHERE { GRAPH ?g { ?thing a ?class } }
"""

_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

_CLASS_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
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


def load_project(
    paths: Sequence[str | Path] | None = None, project: Project | None = None
) -> tuple[Dataset, list[str]]:
    """Load ``paths`` (default: the project's ``data/``) and the ontology into
    one dataset; return it and the names of the data graphs."""
    project = project or find_project()
    dataset = load(list(paths) if paths else [project.data_dir], data_dir=project.data_dir)
    data_graphs = dataset.graphs
    if project.ontology_files():
        load(project.ontology_files(), data_dir=project.root, dataset=dataset)
    return dataset, data_graphs


def summarize(dataset: Dataset, data_graphs: Sequence[str] | None = None) -> Summary:
    """Count the triples of each data graph and the instances of each class in them."""
    graphs = list(data_graphs) if data_graphs is not None else dataset.graphs
    summary = Summary()
    sizes = {graph_key(row["g"]): int(row["n"].value) for row in dataset.query(_GRAPH_SIZES, use_default_graph_as_union=False)}
    for graph in graphs:
        source = dataset.file_of_graph(graph)
        summary.graphs.append(GraphCount(graph, source.path if source else Path("-"), sizes.get(graph, 0)))
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
