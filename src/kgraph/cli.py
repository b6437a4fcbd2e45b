"""The ``kgraph`` command line: thin click commands over the library.

Each command resolves its inputs, calls one library function and formats the
result. Library errors become ``Error: ...`` on stderr with exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


class _KGraphGroup(click.Group):
    """Turns library errors into clean one-line messages and exit code 2."""

    def invoke(self, ctx: click.Context):
        from .errors import KGraphError

        try:
            return super().invoke(ctx)
        except KGraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=_KGraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kgraph")
@click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="KGRAPH_PROJECT",
    help="Project folder (with ontology/, data/, queries/). Default: found from the current folder.",
)
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """kgraph: a knowledge graph of political actors and their positions.

    \b
    Exit codes:
      0  success (validate: the data conforms)
      1  validate: the data does not conform (violations were found)
      2  an input could not be read or parsed, or a usage error
    """
    from .project import find_project

    ctx.obj = find_project(project)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Report format.",
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
@click.pass_obj
def validate(
    project, paths: tuple[Path, ...], fmt: str, shapes: Path | None, strict: bool, allow_empty: bool,
    no_registry: bool,
) -> None:
    """Validate RDF files: strict parsing, SHACL shapes, SPARQL checks.

    PATHS are files or folders (default: the project's data/). Each file is
    parsed strictly into its own named graph and checked, together with the
    ontology, against ontology/shapes.ttl and every query in queries/checks/.
    A file from data/ is validated with the shared registries (data/registry/)
    that it refers to, unless --no-registry is given.

    \b
    Exit codes:
      0  the data conforms (no result of severity violation)
      1  the data does not conform
      2  an input could not be read or parsed, or a usage error
    """
    from .reports import render
    from .validation import validate as run

    report = run(
        list(paths), project=project, shapes=shapes, allow_empty=allow_empty, strict=strict,
        with_registry=not no_registry,
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

    dataset, data_graphs = load_project(list(paths), project)
    summary = summarize(dataset, data_graphs)
    if fmt == "json":
        import json

        click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    from .namespaces import compact

    console = Console(width=None if sys.stdout.isatty() else 200)
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
