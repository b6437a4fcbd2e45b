"""Documentation of the model, generated from the ontology, the shapes and the data.

:func:`ontology_markdown` writes ``docs/ontology.md``: every class with its
definition, superclasses, alignments, the constraints that the shapes put on
it and an example from the data; every property; every controlled list; every
SPARQL check. A test keeps the committed file equal to what this produces.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from ..namespaces import PREFIXES, RDF, RDF_TYPE, SH, XSD_STRING, compact, sparql_prefixes
from ..project import Project, find_project
from ..rdf.parse import parse_file
from ..sparql.saved import read_queries

__all__ = ["ontology_markdown", "cli_markdown"]

_P = sparql_prefixes()

_CLASSES = _P + """
SELECT ?c ?label ?definition WHERE {
  GRAPH ?g { ?c a owl:Class ; rdfs:label ?label . OPTIONAL { ?c skos:definition ?definition } }
  FILTER(STRSTARTS(STR(?c), STR(kg:)))
} ORDER BY ?label
"""

_RELATED = _P + """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { rdfs:subClassOf owl:equivalentClass skos:closeMatch rdfs:subPropertyOf rdfs:domain rdfs:range }
  ?s ?p ?o FILTER(STRSTARTS(STR(?s), STR(kg:)))
}
"""

_PROPERTIES = _P + """
SELECT ?p ?kind ?label ?definition WHERE {
  VALUES ?kind { owl:ObjectProperty owl:DatatypeProperty }
  ?p a ?kind ; rdfs:label ?label . OPTIONAL { ?p skos:definition ?definition }
  FILTER(STRSTARTS(STR(?p), STR(kg:)))
} ORDER BY ?label
"""

_SCHEMES = _P + """
SELECT ?scheme ?schemeLabel ?concept ?label ?definition (GROUP_CONCAT(?match; separator=" ") AS ?matches) WHERE {
  GRAPH ?g { ?scheme a skos:ConceptScheme ; skos:prefLabel ?schemeLabel . }
  FILTER(STRSTARTS(STR(?scheme), STR(kg:)))
  ?concept skos:inScheme ?scheme ; skos:prefLabel ?label .
  OPTIONAL { ?concept skos:definition ?definition }
  OPTIONAL { ?concept skos:closeMatch ?match }
} GROUP BY ?scheme ?schemeLabel ?concept ?label ?definition ORDER BY ?schemeLabel ?label
"""

_SHAPES = _P + """
SELECT ?target ?shape ?path ?message ?severity WHERE {
  { ?node sh:targetClass ?target ; sh:property ?shape . ?shape sh:path ?path . }
  UNION
  { ?shape sh:targetClass ?target ; sh:or ?alternatives . }
  ?shape sh:message ?message .
  OPTIONAL { ?shape sh:severity ?severity }
} ORDER BY ?target ?shape
"""

_EXAMPLE = _P + """
SELECT ?thing WHERE { GRAPH ?g { ?thing a ?class } } ORDER BY ?thing LIMIT 1
"""


def _term(term) -> str:
    """A term as Turtle that can be copied as it is: prefixed names, and
    literals with their datatype or language."""
    if isinstance(term, ox.NamedNode):
        return _turtle_name(term.value)
    if isinstance(term, ox.Literal):
        text = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype.value not in (XSD_STRING,):
            return f'"{text}"^^{compact(term.datatype.value)}'
        return f'"{text}"'
    return str(term)


def _turtle_name(iri: str) -> str:
    """A prefixed name where Turtle allows one (no ``/`` in the local part), else ``<iri>``."""
    name = compact(iri)
    return name if not name.startswith("<") and "/" not in name.split(":", 1)[1] else f"<{iri}>"


def _shape_path(store: ox.Store, path) -> str:
    if isinstance(path, ox.NamedNode):
        return compact(path.value)
    rows = list(store.quads_for_pattern(path, ox.NamedNode(SH + "inversePath"), None))
    if rows:
        return "^" + _shape_path(store, rows[0].object)
    items = []
    node = path
    rdf = RDF
    while node != ox.NamedNode(rdf + "nil"):
        first = list(store.quads_for_pattern(node, ox.NamedNode(rdf + "first"), None))
        rest = list(store.quads_for_pattern(node, ox.NamedNode(rdf + "rest"), None))
        if not first or not rest:
            break
        items.append(_shape_path(store, first[0].object))
        node = rest[0].object
    return "/".join(items) or "(path)"


def ontology_markdown(project: Project | None = None) -> str:
    """Markdown documentation of the project's ontology, shapes, checks and data."""
    project = project or find_project()
    graph = project.load() if project.data_dir.is_dir() else project.load_ontology()
    dataset = graph.dataset
    data_graphs = set(graph.data_graphs)
    shapes = ox.Store()
    shapes.extend(parse_file(project.shapes_file, data_dir=project.root).quads)

    related: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in dataset.query(_RELATED):
        related[(row["s"].value, row["p"].value.rsplit("#", 1)[-1])].append(_term(row["o"]))

    constraints: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in shapes.query(_SHAPES, use_default_graph_as_union=True):
        path = _shape_path(shapes, row["path"]) if row["path"] is not None else "(node)"
        severity = row["severity"].value.rsplit("#", 1)[-1].lower() if row["severity"] is not None else "violation"
        constraints[row["target"].value].append((compact(row["shape"].value), path, f"{severity}: {row['message'].value}"))

    out = ["# The kgraph ontology", ""]
    out.append(
        "Generated by `kgraph docs` from `ontology/kgraph.ttl`, `ontology/shapes.ttl`, "
        "`queries/checks/` and the data in `data/`. Do not edit by hand."
    )
    out += ["", "## Namespaces", "", "| prefix | namespace |", "|---|---|"]
    out += [f"| `{p}:` | `{ns}` |" for p, ns in PREFIXES.items()]

    out += ["", "## Classes", ""]
    for row in dataset.query(_CLASSES):
        iri = row["c"].value
        name = compact(iri)
        out += [f"### {row['label'].value} (`{name}`)", ""]
        if row["definition"] is not None:
            out += [row["definition"].value, ""]
        for key, title in (("subClassOf", "Subclass of"), ("equivalentClass", "Equivalent to"), ("closeMatch", "Close match")):
            if related.get((iri, key)):
                out.append(f"- {title}: " + ", ".join(f"`{t}`" for t in sorted(related[(iri, key)])))
        props = sorted(p for (s, k), objs in related.items() if k == "domain" and f"`{name}`" in {f"`{o}`" for o in objs} for p in [compact(s)])
        if props:
            out.append("- Properties: " + ", ".join(f"`{p}`" for p in props))
        if constraints.get(iri):
            out += ["", "| shape | path | rule |", "|---|---|---|"]
            out += [f"| `{s}` | `{p}` | {m} |" for s, p, m in constraints[iri]]
        example = _example(dataset, iri, data_graphs)
        if example:
            out += ["", "Example from the data:", "", "```turtle", example, "```"]
        out.append("")

    out += ["## Properties", "", "| property | kind | domain | range | definition |", "|---|---|---|---|---|"]
    for row in dataset.query(_PROPERTIES):
        iri = row["p"].value
        kind = "object" if row["kind"].value.endswith("ObjectProperty") else "datatype"
        domain = ", ".join(f"`{t}`" for t in sorted(related.get((iri, "domain"), []))) or "-"
        rng = ", ".join(f"`{t}`" for t in sorted(related.get((iri, "range"), []))) or "-"
        definition = row["definition"].value if row["definition"] is not None else ""
        out.append(f"| `{compact(iri)}` ({row['label'].value}) | {kind} | {domain} | {rng} | {definition} |")

    out += ["", "## Controlled lists", ""]
    current = None
    for row in dataset.query(_SCHEMES):
        scheme = row["scheme"].value
        if scheme != current:
            current = scheme
            out += ["", f"### {row['schemeLabel'].value} (`{compact(scheme)}`)", "", "| concept | label | definition | close match |", "|---|---|---|---|"]
        listed = row["matches"].value.split() if row["matches"] is not None else []
        matches = " ".join(f"`{compact(m)}`" for m in sorted(listed))
        definition = row["definition"].value if row["definition"] is not None else ""
        out.append(f"| `{compact(row['concept'].value)}` | {row['label'].value} | {definition} | {matches} |")

    out += ["", "## SPARQL checks (`queries/checks/`)", "", "| check | severity | what it finds |", "|---|---|---|"]
    for check in read_queries(project.checks_dir):
        severity = check.header.get("severity", "violation")
        out.append(f"| `{check.name}` | {severity} | {check.description or check.title} |")
    from ..identity.review import IDENTITY_CHECKS

    out += ["", "## Identity checks (`kgraph.identity.review`)", "", "| check | severity | what it finds |", "|---|---|---|"]
    for name, (severity, description) in IDENTITY_CHECKS.items():
        out.append(f"| `{name}` | {severity} | {description} |")
    return "\n".join(out).rstrip() + "\n"


def _example(dataset, cls: str, data_graphs: set[str]) -> str | None:
    """The triples of the first instance of ``cls`` found in the data, as Turtle-like lines."""
    store = dataset.store
    thing = None
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls)):
        key = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        if key in data_graphs and isinstance(quad.subject, ox.NamedNode):
            if thing is None or quad.subject.value < thing.value:
                thing = quad.subject
    if thing is None:
        return None
    def in_data(quad) -> bool:
        return (quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None) in data_graphs

    def shown(term) -> str:
        """A term; a blank node as its description in brackets (its label is not stable)."""
        if not isinstance(term, ox.BlankNode):
            return _term(term)
        inner = sorted(((q.predicate.value, shown(q.object)) for q in store.quads_for_pattern(term, None, None)
                        if in_data(q)), key=lambda t: (t[0] != RDF_TYPE, t[0], t[1]))
        return "[ " + " ; ".join(f"{'a' if p == RDF_TYPE else _turtle_name(p)} {o}" for p, o in inner) + " ]"

    triples = sorted(
        {(q.predicate.value, shown(q.object)) for q in store.quads_for_pattern(thing, None, None) if in_data(q)},
        key=lambda t: (t[0] != RDF_TYPE, t[0], t[1]),
    )
    lines = [_turtle_name(thing.value)]
    for i, (p, o) in enumerate(triples):
        name = "a" if p == RDF_TYPE else _turtle_name(p)
        lines.append(f"    {name} {o}" + (" ." if i == len(triples) - 1 else " ;"))
    return "\n".join(lines)


def cli_markdown(group) -> str:
    """Markdown reference of a click command group: every command's ``--help``,
    as ``kgraph docs cli`` writes ``docs/cli.md``."""
    import click

    out = ["# Command-line reference", "",
           "Generated by `kgraph docs cli` from every command's `--help`. Do not edit by hand; "
           "a test keeps it current.", ""]

    def walk(command, name: str, parent) -> None:
        settings = {"terminal_width": 100, "max_content_width": 100, **command.context_settings}
        ctx = click.Context(command, info_name=name, parent=parent, **settings)
        title = ctx.command_path
        out.extend([f"## `{title}`", "", "```text", command.get_help(ctx).rstrip(), "```", ""])
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                walk(command.get_command(ctx, sub), sub, ctx)

    walk(group, "kgraph", None)
    return "\n".join(out).rstrip() + "\n"
