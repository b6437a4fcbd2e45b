"""The ``kgraph`` command line: thin click commands over the library.

Each command resolves its inputs, calls one library function and formats the
result. Library errors become ``Error: ...`` on stderr with exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .choices import LEVELS, NORMALIZATIONS

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

#: Default --time-limit in seconds (every command but serve).
DEFAULT_TIME_LIMIT = 1800.0


class _KGraphGroup(click.Group):
    """Turns library errors into clean one-line messages and exit code 2."""

    def invoke(self, ctx: click.Context):
        from .errors import KGraphError

        try:
            return super().invoke(ctx)
        except KGraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            # loads have rolled back and atomic writes removed their temporary files
            click.echo("\nInterrupted: nothing was half-written.", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_KGraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kgraph")
@click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="KGRAPH_PROJECT",
    help="Project folder (with ontology/, data/, queries/). Default: found from the current folder.",
)
@click.option(
    "--store", envvar="KGRAPH_STORE", metavar="memory|FOLDER|URL",
    help="Where the graph lives: memory (default: read data/ on each run), an on-disk store folder, "
         "or a SPARQL 1.1 query URL. Credentials for a server come only from the environment.",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), envvar="KGRAPH_SPARQL_TIMEOUT",
              help="Seconds to wait for a SPARQL server (default 30).")
@click.option("--time-limit", type=click.FloatRange(min=0), envvar="KGRAPH_TIME_LIMIT", default=DEFAULT_TIME_LIMIT,
              show_default=True, metavar="SECONDS",
              help="Stop the command (exit 2) if it runs longer than this; 0: no limit. Not applied to serve.")
@click.pass_context
def cli(ctx: click.Context, project: Path | None, store: str | None, timeout: float | None, time_limit: float) -> None:
    """kgraph: a knowledge graph of political actors and their positions.

    \b
    Exit codes:
      0  success (validate: the data conforms)
      1  validate: the data does not conform (violations were found)
      2  an input could not be read or parsed, a query or parameter is
         wrong, a usage error, or the --time-limit ran out
      130  interrupted (Ctrl-C); nothing was half-written
    """
    from .project import find_project

    if time_limit and ctx.invoked_subcommand not in (None, "serve"):
        from .limits import time_limit as limit

        ctx.with_resource(limit(time_limit, f"kgraph {ctx.invoked_subcommand}"))

    ctx.obj = find_project(project)
    ctx.meta["kgraph.store"] = store
    ctx.meta["kgraph.timeout"] = timeout


def _backend(project):
    """The store chosen with --store (memory by default)."""
    from .store import open_store

    ctx = click.get_current_context()
    return open_store(ctx.meta.get("kgraph.store"), project, ctx.meta.get("kgraph.timeout"))


def _dataset(project, data_paths=()):
    """The data to work on: files given with --data, else the chosen store."""
    if data_paths:
        from .summary import load_project

        return load_project(list(data_paths), project)[0]
    return _backend(project).dataset()


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github", "junit", "sarif"]), default="text",
    show_default=True, help="Report format: text, json, github (Actions annotations), junit (XML), sarif.",
)
@click.option("--shapes", type=click.Path(path_type=Path), help="SHACL shapes file (default: ontology/shapes.ttl).")
@click.option("--strict", is_flag=True, help="Fail on warnings and infos too, not only on violations.")
@click.option(
    "--allow-empty", is_flag=True,
    help="Treat a file without triples as an empty graph instead of an error.",
)
@click.option(
    "--no-registry", is_flag=True,
    help="Do not add data/registry/ when validating single files from data/.",
)
@click.option(
    "--shacl-engine", type=click.Choice(["shacl", "pyshacl"]), default="shacl", show_default=True,
    help="SHACL engine: shacl (Rust, fast) or pyshacl (the reference); both report the same results.",
)
@click.option(
    "--changed-since", metavar="REF",
    help="Validate only the data files changed since this git revision (with the registry entries they use).",
)
@click.pass_obj
def validate(
    project, paths: tuple[Path, ...], fmt: str, shapes: Path | None, strict: bool, allow_empty: bool,
    no_registry: bool, shacl_engine: str, changed_since: str | None,
) -> None:
    """Validate RDF files: strict parsing, SHACL shapes, SPARQL checks.

    PATHS are files or folders (default: the project's data/). Each file is
    parsed strictly into its own named graph and checked, together with the
    ontology, against ontology/shapes.ttl and every query in queries/checks/.
    A file from data/ is validated with the shared registries (data/registry/)
    that it refers to, unless --no-registry is given. With --changed-since REF
    only the files changed since that git revision are validated, with the
    registry entries they use; a changed registry also brings in every
    article that uses an entry it changed.

    \b
    Exit codes:
      0  the data conforms (no result of severity violation)
      1  the data does not conform
      2  an input could not be read or parsed, or a usage error
    """
    from .reports import render
    from .validation import validate as run
    from .validation import validate_changes

    backend = _backend(project)
    if changed_since is not None:
        if paths:
            raise click.UsageError("give either PATHS or --changed-since, not both")
        report = validate_changes(changed_since, project=project, shapes=shapes, strict=strict, engine=shacl_engine)
    elif not paths and backend.name != "memory":
        from .validation import check_dataset

        report = check_dataset(backend.validation_dataset(), project=project, shapes=shapes, strict=strict,
                               engine=shacl_engine)
    else:
        report = run(
            list(paths), project=project, shapes=shapes, allow_empty=allow_empty, strict=strict,
            with_registry=not no_registry, engine=shacl_engine,
        )
    click.echo(render(report, fmt, relative_to=Path.cwd()), nl=False)
    sys.exit(EXIT_OK if report.conforms else EXIT_VIOLATIONS)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def stats(project, paths: tuple[Path, ...], fmt: str) -> None:
    """Show what the graph holds: named graphs, files, and things of each kind."""
    from .summary import load_project, summarize

    if paths or _backend(project).name == "memory":
        dataset, data_graphs = load_project(list(paths), project)
    else:
        dataset = _backend(project).dataset()
        ontology = {f.path.resolve() for f in dataset.files if f.path.resolve() in {p.resolve() for p in project.ontology_files()}}
        data_graphs = [g for g in dataset.graphs if dataset.file_of_graph(g).path.resolve() not in ontology]
    summary = summarize(dataset, data_graphs)
    if fmt == "json":
        import json

        click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    from .namespaces import compact

    console = _console()
    graphs = Table(title=f"{len(summary.graphs)} named graphs, {summary.triples} triples")
    graphs.add_column("graph")
    graphs.add_column("file")
    graphs.add_column("triples", justify="right")
    for g in summary.graphs:
        graphs.add_row(compact(g.graph), _relative(g.file), str(g.triples))
    console.print(graphs)
    classes = Table(title="things of each kind")
    classes.add_column("class")
    classes.add_column("label")
    classes.add_column("count", justify="right")
    for c in summary.classes:
        classes.add_row(compact(c.cls), c.label or "", str(c.count))
    console.print(classes)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        if key.strip() in params:
            raise click.BadParameter(f"{key.strip()!r} given twice", param_hint="--param")
        params[key.strip()] = value
    return params


_QUERY_FORMATS = ["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]


@cli.command()
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(_QUERY_FORMATS),
    help="Output format. Default: table on a terminal, else csv (turtle for CONSTRUCT/DESCRIBE).",
)
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True)
@click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path), help="Data to query (default: data/).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the result to this file.")
@click.option("--allow-service", is_flag=True, help="Let the query call remote endpoints with SERVICE.")
@click.option("--list", "list_queries", is_flag=True, help="List the saved queries with their parameters.")
@click.pass_obj
def query(
    project, query: str | None, params: tuple[str, ...], fmt: str | None, engine: str,
    data_paths: tuple[Path, ...], output: Path | None, allow_service: bool, list_queries: bool,
) -> None:
    """Run a saved query by NAME, or a SPARQL file (FILE.rq).

    Parameters are typed by the saved query's header and bound as RDF terms,
    never pasted into the query. Results: table, csv, tsv, json or xml (the
    W3C SPARQL 1.1 result formats) for SELECT and ASK; turtle or ntriples
    for CONSTRUCT and DESCRIBE.

    \b
    Examples:
      kgraph query --list
      kgraph query who-mediates-whom
      kgraph query actor-profile --param actor="Ned Price" --format json
      kgraph query stances -p stanceType=kg:Deny --format csv
    """
    from .queries import read_queries

    if list_queries:
        _print_query_list(read_queries(project.queries_dir))
        return
    if not query:
        raise click.UsageError("name a saved query or a .rq file (kgraph query --list shows them)")
    from .querying import find_query, run_query

    saved = find_query(query, project)
    dataset = _dataset(project, data_paths)
    result = run_query(dataset, saved, _parse_params(params), engine=engine, allow_service=allow_service)
    if fmt is None:
        fmt = "turtle" if result.kind == "graph" else ("table" if output is None and sys.stdout.isatty() else "csv")
    if fmt == "table":
        if output is not None:
            raise click.UsageError("--format table prints to the terminal; choose csv, tsv, json or xml with -o")
        _print_table(result)
        return
    try:
        text = result.serialize(fmt)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if output is None:
        click.echo(text, nl=False)
        return
    if not output.parent.is_dir():
        raise click.UsageError(f"folder {output.parent} does not exist")
    from .atomic import write_text_atomic

    write_text_atomic(output, text)


def _print_query_list(saved) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="saved queries (kgraph query NAME)")
    table.add_column("name")
    table.add_column("title")
    table.add_column("parameters")
    for q in saved:
        table.add_row(q.name, q.title, "\n".join(str(p) for p in q.params) or "-")
    _console().print(table)


def _print_table(result) -> None:
    from rich.console import Console
    from rich.table import Table

    from .reports import short_term

    console = _console()
    if result.kind == "ask":
        console.print("true" if result.boolean else "false")
        return
    if result.kind == "graph":
        click.echo(result.serialize("turtle"), nl=False)
        return
    # People read labels: an IRI column with a companion xLabel column shows
    # as one column, the label (or the IRI where there is none).
    names = result.variables
    shown = [i for i, name in enumerate(names) if not (f"{name}Label" in names)]
    table = Table(caption=f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}")
    for i in shown:
        name = names[i]
        table.add_column(name[: -len("Label")] if name.endswith("Label") and name[: -len("Label")] in names else name)
    for row in result.rows:
        cells = []
        for i in shown:
            term = row[i]
            name = names[i]
            if term is None and name.endswith("Label") and name[: -len("Label")] in names:
                term = row[names.index(name[: -len("Label")])]
            cells.append(_cell(term, short_term))
        table.add_row(*cells)
    console.print(table)


def _cell(term, short_term) -> str:
    import pyoxigraph

    if term is None:
        return ""
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    return short_term(str(term))


@cli.group()
def new() -> None:
    """Scaffold new content (kgraph new article ...)."""


@new.command("article")
@click.option("--title", required=True, help="The article's title, as published.")
@click.option("--text", "text_path", required=True, type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="The article's text (UTF-8), copied to data/sources/SLUG.txt; '-' reads standard input.")
@click.option("--url", help="Where the article was published (http or https).")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date.")
@click.option("--slug", help="File name stem (default: from the title): lower-case letters, digits, hyphens.")
@click.pass_obj
def new_article(project, title, text_path, url, published, slug) -> None:
    """Scaffold data/articles/SLUG.trig and data/sources/SLUG.txt for a new article.

    The scaffold describes the source (title, URL, date, text file and its
    SHA-256) in the article's own named graph and carries commented examples
    of an event, a statement with a quote, a claim and a denial. It passes
    kgraph validate as written. Existing files are never overwritten.
    """
    from .scaffold import new_article as scaffold

    if str(text_path) == "-":
        text = click.get_binary_stream("stdin").read()
    else:
        try:
            text = text_path.read_bytes()
        except OSError as exc:
            raise click.UsageError(f"cannot read --text {text_path}: {exc.strerror or exc}") from None
    created = scaffold(title, text, project=project, slug=slug, url=url, published=published)
    click.echo(f"wrote {_relative(created.text)} (sha256 {created.sha256})")
    click.echo(f"wrote {_relative(created.article)}")
    click.echo(f"next: encode the article, then run kgraph validate {_relative(created.article)}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def load(project, paths: tuple[Path, ...]) -> None:
    """Load files (default: data/, and always the ontology) into the store.

    Each file goes into its own named graph, replacing the graph atomically:
    on disk in one transaction, on a server through a staging graph that one
    update moves onto the target. A file whose content is unchanged since it
    was last loaded is skipped (its SHA-256 is kept in the store).
    """
    backend = _backend(project)
    from rich.progress import Progress

    files = backend._files(list(paths))
    with Progress(disable=not sys.stderr.isatty(), transient=True, console=_console_err()) as progress:
        task = progress.add_task(f"loading into {backend.name}", total=len(files))
        report = backend.load(list(paths), progress=lambda path: progress.advance(task))
    click.echo(f"{backend.name} store: loaded {len(report.loaded)} file{'s' if len(report.loaded) != 1 else ''} "
               f"({report.triples} triples), {len(report.unchanged)} unchanged")


def _console_err():
    from rich.console import Console

    return Console(stderr=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option("--writable", is_flag=True, help="Accept SPARQL updates (read-only by default).")
@click.pass_obj
def serve(project, host: str, port: int, writable: bool) -> None:
    """Serve the data as a SPARQL 1.1 endpoint (the Oxigraph server).

    Loads data/ and the ontology into the on-disk store given with --store
    (or a temporary one), then runs the oxigraph server on HOST:PORT with the
    default graph as the union of the named graphs. Stop it with Ctrl-C.
    """
    import shutil
    import subprocess
    import tempfile

    from .store import DiskBackend

    backend = _backend(project)
    if backend.name == "remote":
        raise click.UsageError("kgraph serve serves a local store; --store is a server already")
    location = Path(backend.path) if backend.name == "disk" else Path(tempfile.mkdtemp(prefix="kgraph-store-"))
    disk = backend if backend.name == "disk" else DiskBackend(project, location)
    report = disk.load()
    disk.close()
    del disk, backend
    import gc

    gc.collect()
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(binary).exists():
        raise click.UsageError("the oxigraph server is not installed (pip install oxigraph)")
    command = [binary, "serve" if writable else "serve-read-only", "--location", str(location),
               "--bind", f"{host}:{port}", "--union-default-graph"]
    click.echo(f"loaded {len(report.loaded)} files ({len(report.unchanged)} unchanged) into {location}")
    click.echo(f"SPARQL endpoint: http://{host}:{port}/query{' (updates: /update)' if writable else ' (read-only)'}")
    try:
        sys.exit(subprocess.call(command))
    except KeyboardInterrupt:
        sys.exit(0)


def projection_options(command):
    """The options every network command shares (name, level, normalisation, window, data)."""

    options = [
        click.argument("network"),
        click.option("--level", type=click.Choice(LEVELS), default="person", show_default=True,
                     help="Fold persons into their organization, or persons and organizations into their polity."),
        click.option("--normalization", type=click.Choice(NORMALIZATIONS), default="none", show_default=True,
                     help="Tie weights of congruence and conflict networks."),
        click.option("--start", metavar="YYYY-MM-DD", help="Only stances and events from this day on."),
        click.option("--end", metavar="YYYY-MM-DD", help="Only stances and events up to this day."),
        click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path),
                     help="Data to project (default: data/)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _build_network(project, network, level, normalization, start, end, data_paths):
    from .networks import network as build

    dataset = _dataset(project, data_paths)
    return build(network, dataset, project=project, level=level, normalization=normalization, start=start, end=end)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def networks(fmt: str) -> None:
    """List the network projections and their options."""
    from .networks import describe_projections

    projections = describe_projections()
    if fmt == "json":
        import json

        click.echo(json.dumps(projections, indent=2))
        return
    from rich.table import Table

    table = Table(title="networks (kgraph analyze|plot|export NETWORK)")
    for column in ("name", "directed", "what it shows", "options"):
        table.add_column(column)
    for p in projections:
        table.add_row(p["name"], "yes" if p["directed"] else "no", p["description"], ", ".join(p["options"]))
    _console().print(table)


_METRICS = ["degree", "degree_centrality", "betweenness", "closeness", "eigenvector",
            "coordinator", "itinerant", "representative", "gatekeeper", "liaison", "brokerage", "community"]


@cli.command()
@projection_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--samples", type=click.IntRange(min=2), help="Sampled sources for betweenness and closeness on large graphs (default: sized to a fixed budget).")
@click.option("--exact", is_flag=True, help="Exact betweenness and closeness however large the graph (slow).")
@click.pass_obj
def analyze(project, network, level, normalization, start, end, data_paths, fmt, samples, exact) -> None:
    """Measure a network: centralities, brokerage roles, balance, coalitions.

    Per node: degree, betweenness, closeness and eigenvector centrality,
    Gould-Fernandez brokerage roles (groups: each actor's polity), and the
    community (coalition) found by Louvain. For the graph: nodes, edges,
    density, components, and the share of balanced signed triads. Above
    2000 nodes, betweenness and closeness are estimated from sampled sources,
    and the output says so.
    """
    from .analysis import analyze as measure

    G = _build_network(project, network, level, normalization, start, end, data_paths)
    result = measure(G, k=samples, exact_limit=len(G) if exact else 2000)
    if fmt == "json":
        import json

        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "label", "kind", "group", *_METRICS])
        for n in result.nodes:
            writer.writerow([n.id, n.label, n.kind, n.group, *(_number(getattr(n, m)) for m in _METRICS)])
        click.echo(buffer.getvalue(), nl=False)
        return
    from rich.table import Table

    from .reports import short_term

    s = result.summary
    lines = [f"{result.network} network ({level} level): {s.nodes} nodes, {s.edges} ties, "
             f"density {s.density:.3f}, {s.components} component{'s' if s.components != 1 else ''}"]
    if result.balance is not None:
        share = "n/a" if result.balance.share is None else f"{result.balance.share:.2f}"
        lines.append(f"balance: {result.balance.balanced} of {result.balance.triads} signed triads balanced (share {share})")
    lines.append(f"coalitions: {len(result.communities)}")
    lines += [f"note: {note}" for note in result.notes]
    table = Table()
    for column in ("node", "kind", "group", "degree", "betweenness", "closeness", "eigenvector", "brokerage roles", "coalition"):
        table.add_column(column)
    for n in sorted(result.nodes, key=lambda n: (-n.betweenness, -n.degree, n.label)):
        roles = ", ".join(f"{r} {getattr(n, r)}" for r in ("coordinator", "itinerant", "representative", "gatekeeper", "liaison") if getattr(n, r))
        table.add_row(n.label, n.kind, short_term(f"<{n.group}>"), str(n.degree), f"{n.betweenness:.3f}", f"{n.closeness:.3f}",
                      "" if n.eigenvector is None else f"{n.eigenvector:.3f}", roles, str(n.community))
    console = _console()
    for line in lines:
        console.print(line, highlight=False)
    console.print(table)


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


@cli.command()
@projection_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The picture to write: FILE.png or FILE.svg.")
@click.option("--title", help="Title above the drawing.")
@click.pass_obj
def plot(project, network, level, normalization, start, end, data_paths, output, title) -> None:
    """Draw a network to a PNG or SVG file (colours by kind, widths by weight)."""
    if output.suffix.lower() not in (".png", ".svg"):
        raise click.UsageError(f"cannot draw to {output.name}: use a .png or .svg file")
    if not output.parent.is_dir():
        raise click.UsageError(f"folder {output.parent} does not exist")
    from .plot import plot as draw

    G = _build_network(project, network, level, normalization, start, end, data_paths)
    draw(G, output, title=title)
    click.echo(f"wrote {output} ({len(G)} nodes, {G.number_of_edges()} ties)")


@cli.command()
@click.argument("network", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: FILE.gexf, FILE.graphml or FILE.csv (then FILE-nodes.csv and FILE-edges.csv).")
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "csv"]), help="Default: from the extension.")
@click.option("--rdf", type=click.Path(dir_okay=False, path_type=Path),
              help="Dump the graph itself instead: FILE.trig or FILE.nq (one graph per article) or FILE.ttl (merged).")
@click.option("--level", type=click.Choice(LEVELS), default="person", show_default=True)
@click.option("--normalization", type=click.Choice(NORMALIZATIONS), default="none", show_default=True)
@click.option("--start", metavar="YYYY-MM-DD")
@click.option("--end", metavar="YYYY-MM-DD")
@click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path), help="Data to use (default: data/).")
@click.pass_obj
def export(project, network, output, fmt, rdf, level, normalization, start, end, data_paths) -> None:
    """Export a network for Gephi (GEXF 1.3, GraphML, CSV), or the RDF itself.

    \b
    Examples:
      kgraph export mediation -o mediation.gexf
      kgraph export stance --level polity -o stance.graphml
      kgraph export claims -o claims.csv        # claims-nodes.csv, claims-edges.csv
      kgraph export --rdf kgraph.trig
    """
    if rdf is not None:
        if network or output:
            raise click.UsageError("--rdf dumps the whole graph; give no NETWORK or -o with it")
        from .rdf_dump import dump_rdf

        written = dump_rdf(_dataset(project, data_paths), rdf)
        click.echo(f"wrote {rdf} ({written} quads)")
        return
    if not network or output is None:
        raise click.UsageError("give a NETWORK and -o FILE (or --rdf FILE)")
    from .export import export as write

    G = _build_network(project, network, level, normalization, start, end, data_paths)
    for path in write(G, output, fmt):
        click.echo(f"wrote {path}")


@cli.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: print). The project's copy is docs/ontology.md.",
)
@click.option("--check", is_flag=True, help="Exit 1 if OUTPUT differs from what would be generated.")
@click.pass_obj
def docs(project, output: Path | None, check: bool) -> None:
    """Generate the model's documentation from the ontology, shapes, checks and data."""
    from .docs import ontology_markdown

    text = ontology_markdown(project)
    if output is None:
        if check:
            raise click.UsageError("--check needs --output FILE")
        click.echo(text, nl=False)
        return
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            click.echo(f"{output} is out of date; run: kgraph docs -o {output}", err=True)
            sys.exit(EXIT_VIOLATIONS)
        click.echo(f"{output} is up to date")
        return
    if not output.parent.is_dir():
        raise click.UsageError(f"folder {output.parent} does not exist")
    from .atomic import write_text_atomic

    write_text_atomic(output, text)
    click.echo(f"wrote {output}")


def _console():
    """A rich console: the terminal's width, or $COLUMNS (default 200) when piped."""
    import os

    from rich.console import Console

    if sys.stdout.isatty():
        return Console()
    return Console(width=int(os.environ.get("COLUMNS") or 200))


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main() -> None:
    """Entry point of the ``kgraph`` console script."""
    cli(prog_name="kgraph")


if __name__ == "__main__":  # pragma: no cover
    main()
