"""The ``kgraph`` command line: thin click commands over the library.

Each command resolves its inputs (the project, the store or the files, the
options), calls one library function, and prints what a renderer from
:mod:`kgraph.render` makes of the result. Library errors become
``Error: ...`` on stderr with exit code 2; the flag an error is about is
named here, at the edge, never in the library.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .networks.levels import LEVELS, NORMALIZATIONS

__all__ = ["cli", "main", "EXIT_OK", "EXIT_VIOLATIONS", "EXIT_ERROR", "EXIT_INTERRUPTED"]

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

#: Default --time-limit in seconds (every command but serve).
DEFAULT_TIME_LIMIT = 1800.0

#: The flag that sets each library parameter an error may name.
FLAGS = {
    "params": "--param",
    "slug": "--slug",
    "title": "--title",
    "published": "--published",
    "url": "--url",
    "changed_since": "--changed-since",
    "staged": "--staged",
    "lock_wait": "--lock-wait",
    "allow_service": "--allow-service",
    "timeout": "--timeout (or KGRAPH_SPARQL_TIMEOUT)",
    "engine": "--engine",
}


def error_text(exc, root: Path | None = None) -> str:
    """A library error as the command line prints it: its place relative to the
    project's root, and the flag it is about named."""
    from .render.terms import display_path

    text = exc.message
    if exc.path is not None:
        where = display_path(exc.path, root)
        if exc.line is not None:
            where += f":{exc.line}" + (f":{exc.column}" if exc.column is not None else "")
        text = f"{where}: {text}"
    if root is not None:
        text = text.replace(f"{root.resolve()}/", "")
    flag = FLAGS.get(exc.option or "")
    return text + (f" (see {flag})" if flag else "")


#: Options of the whole command line, accepted before or after the command.
GLOBAL_OPTIONS = ("--project", "--store", "--timeout", "--time-limit")
GLOBAL_FLAGS = ("--no-cache",)


def _global_options_first(args: list[str], commands) -> list[str]:
    """``args`` with the global options that follow the command moved before it
    (``kgraph load --store X`` is ``kgraph --store X load``).

    >>> _global_options_first(["load", "--store", "s", "data"], {"load"})
    ['--store', 's', 'load', 'data']
    >>> _global_options_first(["--project", "p", "query", "x", "--time-limit=5"], {"query"})
    ['--project', 'p', '--time-limit=5', 'query', 'x']
    """
    index, taking = 0, False
    while index < len(args):  # find the command: the first word that is not an option or its value
        arg = args[index]
        if arg == "--":
            return args
        if taking:
            taking = False
        elif arg in GLOBAL_OPTIONS:
            taking = True
        elif not arg.startswith("-") and arg in commands:
            break
        index += 1
    else:
        return args
    before, command, rest = args[:index], args[index], args[index + 1:]
    moved, kept, position = [], [], 0
    while position < len(rest):
        arg = rest[position]
        if arg == "--":
            kept += rest[position:]
            break
        name = arg.split("=", 1)[0]
        if arg in GLOBAL_FLAGS:
            moved.append(arg)
            position += 1
            continue
        if name in GLOBAL_OPTIONS:
            if "=" in arg or position + 1 >= len(rest):
                moved.append(arg)
                position += 1
            else:
                moved += rest[position:position + 2]
                position += 2
            continue
        kept.append(arg)
        position += 1
    return before + moved + [command] + kept


class _KGraphGroup(click.Group):
    """Turns library errors into clean one-line messages and exit code 2, and
    takes the global options after the command too."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _global_options_first(list(args), self.commands))

    def invoke(self, ctx: click.Context):
        from .errors import KGraphError

        try:
            return super().invoke(ctx)
        except KGraphError as exc:
            project = ctx.obj
            click.echo(f"Error: {error_text(exc, getattr(project, 'root', None))}", err=True)
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
@click.option(
    "--no-cache", is_flag=True,
    help="Read every file of data/ instead of the project cache (.kgraph/cache/, which holds the parsed "
         "project and is updated file by file; also KGRAPH_CACHE=off).",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), envvar="KGRAPH_SPARQL_TIMEOUT",
              help="Seconds to wait for a SPARQL server (default 30).")
@click.option("--time-limit", type=click.FloatRange(min=0), envvar="KGRAPH_TIME_LIMIT", default=DEFAULT_TIME_LIMIT,
              show_default=True, metavar="SECONDS",
              help="Stop the command (exit 2) if it runs longer than this; 0: no limit. Not applied to serve.")
@click.pass_context
def cli(ctx: click.Context, project: Path | None, store: str | None, no_cache: bool, timeout: float | None,
        time_limit: float) -> None:
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
        from ._util.limits import time_limit as limit

        ctx.with_resource(limit(time_limit, f"kgraph {ctx.invoked_subcommand}"))

    ctx.obj = find_project(project)
    ctx.meta["kgraph.store"] = store
    ctx.meta["kgraph.timeout"] = timeout
    ctx.meta["kgraph.cache"] = not no_cache


# -- resolving inputs -------------------------------------------------------------


def _store(project, lock_wait: float | None = None):
    """The store chosen with --store (memory by default)."""
    from .stores.open import open_store

    ctx = click.get_current_context()
    return open_store(ctx.meta.get("kgraph.store"), project, ctx.meta.get("kgraph.timeout"), lock_wait,
                      cache=ctx.meta.get("kgraph.cache", False))


def _persistent_store(project, lock_wait: float | None = None):
    """The chosen store, which must be a folder or a server (for kgraph store ...)."""
    store = _store(project, lock_wait)
    if not store.persistent:
        raise click.UsageError("kgraph store works on a persistent store: give --store FOLDER or URL")
    return store


def _graph(project, data_paths=(), *, scans: bool = False):
    """The graph to work on: the files given with --data, else the chosen
    store's (with a note when the store is older than the files). ``scans``:
    the command reads most of the graph (networks, counts, indexes), so the
    default store loads it into memory from the cache rather than querying
    the cache's on-disk store."""
    if data_paths:
        return project.load(list(data_paths))
    store = _store(project)
    if store.persistent:
        stale = store.stale()
        if stale:
            click.echo(f"note: the store is older than the files: {stale.describe(project.root)}; "
                       f"kgraph load brings it up to date", err=True)
    return store.graph(scans=scans)


def _console(stderr: bool = False):
    """A rich console: the terminal's width, or $COLUMNS (default 200) when piped."""
    import os

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr)
    return Console(stderr=stderr, width=int(os.environ.get("COLUMNS") or 200))


def _show(renderable) -> None:
    _console().print(renderable, highlight=False)


def _write(output: Path, content: str | bytes) -> None:
    """Write a command's output (text, or bytes as given) atomically."""
    if not output.parent.is_dir():
        raise click.UsageError(f"folder {output.parent} does not exist")
    from ._util.atomic import write_bytes_atomic, write_text_atomic

    if isinstance(content, bytes):
        write_bytes_atomic(output, content)
    else:
        write_text_atomic(output, content)


def _json(data) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# -- validate, stats ---------------------------------------------------------------


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
@click.option(
    "--staged", is_flag=True,
    help="Validate what the git index holds (what the next commit would add), not the working tree: "
         "for a pre-commit hook.",
)
@click.option(
    "--sources", type=click.Path(path_type=Path, file_okay=False), envvar="KGRAPH_SOURCES", metavar="DIR",
    help="The sources folder: where the texts of sources kept outside the repository (kg:textName) are "
         "(env KGRAPH_SOURCES). A source whose text is not there is reported, its quotes skipped.",
)
@click.option(
    "--require-sources", is_flag=True,
    help="Make a source whose text is not in the sources folder a violation (for setups that hold every text).",
)
@click.pass_obj
def validate(
    project, paths: tuple[Path, ...], fmt: str, shapes: Path | None, strict: bool, allow_empty: bool,
    no_registry: bool, shacl_engine: str, changed_since: str | None, staged: bool, sources: Path | None,
    require_sources: bool,
) -> None:
    """Validate RDF files: strict parsing, SHACL shapes, SPARQL checks.

    PATHS are files or folders (default: the project's data/, or with a
    persistent --store the data stored there). Each file is parsed strictly
    into its own named graph and checked, together with the ontology, against
    ontology/shapes.ttl and every query in queries/checks/. A file from data/
    is validated with the shared registries (data/registry/) that it refers
    to, unless --no-registry is given. With --changed-since REF only the files
    changed since that git revision are validated, with the registry entries
    they use; a changed registry also brings in every article that uses an
    entry it changed. With --staged, the files the git index changes are
    validated as they are staged (untracked drafts are left alone). A source
    whose text is kept outside the repository (kg:textName) is checked
    against its copy in the sources folder (--sources or KGRAPH_SOURCES);
    without one, its quotes are skipped and a warning says so.

    \b
    Exit codes:
      0  the data conforms (no result of severity violation)
      1  the data does not conform
      2  an input could not be read or parsed, or a usage error
    """
    from .render.validation import render_errors, render_report
    from .validation.run import validate as run

    if sum((bool(paths), changed_since is not None, staged)) > 1:
        raise click.UsageError("give only one of PATHS, --changed-since and --staged")
    report = run(
        list(paths), project=project, store=_store(project), changed_since=changed_since, staged=staged, shapes=shapes,
        allow_empty=allow_empty, strict=strict, with_registry=not no_registry, engine=shacl_engine, errors="report",
        sources=sources, require_sources=require_sources,
    )
    if report.failed:
        # every format carries the errors; on a terminal they are the Error: lines
        if fmt != "text":
            click.echo(render_report(report, fmt, relative_to=project.root), nl=False)
        click.echo(render_errors(report, relative_to=project.root), err=True, nl=False)
        sys.exit(EXIT_ERROR)
    click.echo(render_report(report, fmt, relative_to=project.root), nl=False)
    sys.exit(EXIT_OK if report.conforms else EXIT_VIOLATIONS)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def stats(project, paths: tuple[Path, ...], fmt: str) -> None:
    """Show what the graph holds: named graphs, files, and things of each kind."""
    from .counts import stats as count

    summary = count(_graph(project, paths, scans=True))
    if fmt == "json":
        _json(summary.to_dict())
        return
    from .render.tables import stats_tables

    _show(stats_tables(summary, relative_to=Path.cwd()))


# -- queries ----------------------------------------------------------------------


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
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="Rows a table shows (the rest are counted under it); 0: all. Other formats write every row.")
@click.pass_obj
def query(
    project, query: str | None, params: tuple[str, ...], fmt: str | None, engine: str,
    data_paths: tuple[Path, ...], output: Path | None, allow_service: bool, list_queries: bool, limit: int,
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
    from .sparql.saved import find_query, read_queries

    if list_queries:
        from .render.tables import query_list

        _show(query_list(read_queries(project.queries_dir)))
        return
    if not query:
        raise click.UsageError("name a saved query or a .rq file (kgraph query --list shows them)")
    from .sparql.run import ENGINE_FORMATS, run_query, serialized

    saved = find_query(query, project)
    graph = _graph(project, data_paths, scans=saved.scans)
    given = fmt
    if fmt is None and not (output is None and sys.stdout.isatty()):
        fmt = "csv"  # turtle for CONSTRUCT and DESCRIBE, below
    if engine == "oxigraph" and fmt in ENGINE_FORMATS:
        try:
            data = serialized(graph, saved, _parse_params(params), fmt, allow_service=allow_service)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        if data is not None:  # the engine wrote the whole result, as it read it
            if output is None:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
            else:
                _write(output, data)
            return
        fmt = given  # CONSTRUCT or DESCRIBE: written below
    result = run_query(graph, saved, _parse_params(params), engine=engine, allow_service=allow_service)
    if fmt is None:
        fmt = "turtle" if result.kind == "graph" else ("table" if output is None and sys.stdout.isatty() else "csv")
    if fmt == "table":
        if output is not None:
            raise click.UsageError("--format table prints to the terminal; choose csv, tsv, json or xml with -o")
        from .render.tables import query_table

        _show(query_table(result, limit=limit or None))
        return
    try:
        text = result.serialize(fmt)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if output is None:
        click.echo(text, nl=False)
    else:
        _write(output, text)


# -- authoring ----------------------------------------------------------------------


def text_outside_options(what: str):
    """--keep-text-outside and --sources, for the commands that store a text."""

    def decorate(command):
        command = click.option("--sources", type=click.Path(path_type=Path, file_okay=False), envvar="KGRAPH_SOURCES",
                               metavar="DIR", help="The sources folder, for --keep-text-outside (env KGRAPH_SOURCES).")(command)
        return click.option("--keep-text-outside", is_flag=True,
                            help=f"{what} to the sources folder (--sources or KGRAPH_SOURCES), not data/sources/, "
                                 "and name it with kg:textName.")(command)

    return decorate


def _sources_needed(keep_text_outside: bool, sources) -> None:
    if keep_text_outside and sources is None:
        raise click.UsageError("--keep-text-outside needs the sources folder: --sources DIR or KGRAPH_SOURCES")


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
@click.option("--publisher", metavar="NAME", help="The outlet, by name, IRI or prefixed name (it must be in the registry).")
@click.option("--actor", "actors", multiple=True, metavar="NAME",
              help="A name the article uses (repeatable): the scaffold lists the registry's IRI for it, or its "
                   "likeliest candidates.")
@text_outside_options("The text may not be redistributed: write it")
@click.pass_obj
def new_article(project, title, text_path, url, published, slug, publisher, actors, keep_text_outside,
                sources) -> None:
    """Scaffold data/articles/SLUG.trig and data/sources/SLUG.txt for a new article.

    The scaffold describes the source (title, URL, date, text file and its
    SHA-256) in the article's own named graph and carries commented examples
    of an event, a statement with a quote, a claim and a denial. It passes
    kgraph validate as written. Existing files are never overwritten.
    Names given with --publisher and --actor are looked up as kgraph actors
    find does; a publisher that is not certain stops the scaffold (exit 2)
    with the candidates.
    """
    from .authoring.scaffold import new_article as scaffold

    if str(text_path) == "-":
        text = click.get_binary_stream("stdin").read()
    else:
        try:
            text = text_path.read_bytes()
        except OSError as exc:
            raise click.UsageError(f"cannot read --text {text_path}: {exc.strerror or exc}") from None
    _sources_needed(keep_text_outside, sources)
    created = scaffold(title, text, project=project, slug=slug, url=url, published=published, publisher=publisher,
                       sources=sources if keep_text_outside else None,
                       actors=actors)
    click.echo(f"wrote {_relative(created.text)} (sha256 {created.sha256})")
    click.echo(f"wrote {_relative(created.article)}")
    click.echo(f"next: encode the article, then run kgraph validate {_relative(created.article)}")


@cli.command()
@click.argument("texts", metavar="[TEXT]...", nargs=-1, type=click.Path(path_type=Path))
@click.option("--title", help="The article's title, as published (default: the text's first line).")
@click.option("--url", help="Where the article was published (http or https).")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date: dates without a year are read against it.")
@click.option("--slug", help="File name stem (default: from the title).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The draft's TriG file (default: drafts/SLUG.trig); its text and review page go beside it.")
@click.option("--publisher", metavar="NAME", help="The outlet, by name or IRI, looked up in the registry.")
@click.option("--metadata", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="CSV or JSON lines with file,title,url,published,publisher,slug for each text: draft them all "
                   "(the files named there, or only those given as TEXT).")
@click.option("--skip-existing", is_flag=True,
              help="In a batch, skip a text whose draft or article exists already (to resume a batch).")
@click.option("--accept", "accept_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Accept a reviewed draft: check it, then move it and its text into data/.")
@text_outside_options("With --accept: the text may not be redistributed; move it")
@click.pass_obj
def draft(project, texts, title, url, published, slug, output, publisher, metadata, skip_existing, accept_path,
          keep_text_outside, sources) -> None:
    """Draft the encoding of a news TEXT for a person to review.

    Writes drafts/SLUG.trig (the article's graph, marked unreviewed, every
    suggestion with a TODO), drafts/SLUG.txt (the text) and drafts/SLUG.html
    (the review page: the text with every suggestion highlighted). It finds
    the registry's actors and places under any of their names, issues, new
    names, events with their participants, quotes in every quote style with
    their speaker and speech verb, statements and stances typed from that
    verb, reported claims, and dates. Every literal is a piece of the text,
    with its position. Nothing lands in data/ until the draft is accepted
    (--accept refuses while a # TODO is left or validation fails):

    \b
      kgraph validate drafts/SLUG.trig      what is left to settle
      kgraph draft --accept drafts/SLUG.trig

    Several TEXTs, a folder (every *.txt under it) or --metadata FILE draft
    a batch, one draft per text, with a progress bar and a summary of what
    each needs reviewed; a text that cannot be drafted is reported and the
    others go on.

    \b
    Exit codes:
      0  drafted (or accepted)
      1  --accept: the draft still has violations; nothing moved
      2  bad input or usage (in a batch: some text could not be drafted)
    """
    from .drafting.draft import accept_draft, draft as make

    if keep_text_outside and accept_path is None:
        raise click.UsageError("--keep-text-outside goes with --accept DRAFT")
    if accept_path is not None:
        if texts or metadata is not None:
            raise click.UsageError("give either TEXT (to draft) or --accept DRAFT, not both")
        from .render.validation import render_report

        _sources_needed(keep_text_outside, sources)
        report = accept_draft(accept_path, project=project, sources=sources if keep_text_outside else None)
        if report.violations and all(v.source == "kgraph:draft" for v in report.violations):
            for v in report.violations:  # TODOs left: nothing was validated yet
                click.echo(f"{_relative(v.file)}:{v.line}: {v.severity}: {v.message}")
            click.echo(f"{len(report.violations)} TODO{'s' if len(report.violations) != 1 else ''} left")
            click.echo(f"Error: {_relative(accept_path)} is not ready: settle the TODOs above (nothing moved)",
                       err=True)
            sys.exit(EXIT_VIOLATIONS)
        if report.violations or report.errors:
            click.echo(render_report(report, "text", relative_to=project.root), nl=False)
            click.echo(f"Error: {_relative(accept_path)} is not ready: settle the violations above (nothing moved)",
                       err=True)
            sys.exit(EXIT_VIOLATIONS)
        click.echo(f"accepted {_relative(accept_path)} as {_relative(report.accepted)}")
        return
    if not texts and metadata is None:
        raise click.UsageError("give the TEXT to draft (or --accept DRAFT)")
    if metadata is not None or len(texts) > 1 or any(t.is_dir() for t in texts):
        given = [name for name, value in (("--title", title), ("--url", url), ("--published", published),
                                          ("--slug", slug), ("-o", output), ("--publisher", publisher))
                 if value is not None]
        if given:
            raise click.UsageError(f"{', '.join(given)} name one text; for a batch, give them per text in "
                                   "--metadata FILE")
        _draft_batch(project, texts, metadata, skip_existing)
        return
    made = make(texts[0], title=title, url=url, published=published, slug=slug, project=project, output=output,
                publisher=publisher)
    click.echo(f"wrote {_relative(made.article)}, {_relative(made.text)} and {_relative(made.review)}")
    click.echo(f"found {made.summary()}")
    click.echo(f"next: open {_relative(made.review)}, settle each TODO in {_relative(made.article)}, "
               f"check with kgraph validate {_relative(made.article)}, then kgraph draft --accept "
               f"{_relative(made.article)}")


def _draft_batch(project, texts, metadata, skip_existing: bool) -> None:
    """Draft many texts: a progress bar on a terminal, then a line for each
    text (its draft and what to review) and the totals."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .drafting.batch import batch_items, draft_many

    items = batch_items(texts, metadata)
    console = _console(stderr=True)
    with Progress(TextColumn("drafting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("drafting", total=len(items))
        batch = draft_many(items, project=project, skip_existing=skip_existing,
                           progress=lambda item: bar.advance(task))
    for item, made in batch.drafted:
        dates = sum(1 for s in made.suggestions if s.kind == "date" and s.todo)
        review = [f"{n} {one if n == 1 else many}"
                  for n, one, many in ((made.count("new-name"), "new name", "new names"),
                                       (made.count("variant"), "possible variant", "possible variants"),
                                       (dates, "date to read", "dates to read")) if n]
        click.echo(f"{_relative(made.article)}: {made.todos} TODO{'s' if made.todos != 1 else ''}"
                   + (f" ({', '.join(review)})" if review else ""))
    for item, why in batch.skipped:
        click.echo(f"skipped {item.label}: {why}")
    for item, why in batch.failed:
        click.echo(f"Error: {item.label}: {why}", err=True)
    click.echo(f"drafted {len(batch.drafted)} of {len(items)} texts, {batch.todos} TODOs to review"
               + (f"; {len(batch.skipped)} skipped" if batch.skipped else "")
               + (f"; {len(batch.failed)} could not be drafted" if batch.failed else ""))
    if batch.drafted:
        click.echo("next: open each draft's review page (drafts/SLUG.html), settle its TODOs, then "
                   "kgraph draft --accept drafts/SLUG.trig")
    if batch.failed:
        sys.exit(EXIT_ERROR)


DOCS = ("ontology", "cli")


@cli.command()
@click.argument("what", type=click.Choice(DOCS), default="ontology", required=False)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: print). The project's copies are docs/ontology.md and docs/cli.md.",
)
@click.option("--check", is_flag=True, help="Exit 1 if OUTPUT differs from what would be generated.")
@click.pass_obj
def docs(project, what: str, output: Path | None, check: bool) -> None:
    """Generate a reference: the model (ontology, default) or the command line (cli).

    The model's reference comes from the ontology, the shapes, the checks and
    examples from the data; the command line's from every command's --help.
    """
    if what == "cli":
        from .authoring.docs import cli_markdown

        text = cli_markdown(cli)
    else:
        from .authoring.docs import ontology_markdown

        text = ontology_markdown(project)
    if output is None:
        if check:
            raise click.UsageError("--check needs --output FILE")
        click.echo(text, nl=False)
        return
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            click.echo(f"{output} is out of date; run: kgraph docs {what} -o {output}", err=True)
            sys.exit(EXIT_VIOLATIONS)
        click.echo(f"{output} is up to date")
        return
    _write(output, text)
    click.echo(f"wrote {output}")


# -- stores -----------------------------------------------------------------------


@cli.command("import")
@click.argument("statements", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--documents", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="rDNA's documents export (id, title, text, ..., date), for its statements export.")
@text_outside_options("The texts may not be redistributed: write them")
@click.option("--dry-run", is_flag=True, help="Read, resolve and validate everything; write nothing.")
@click.pass_obj
def import_cmd(project, statements: Path, documents: Path | None, keep_text_outside: bool, sources: Path | None,
               dry_run: bool) -> None:
    """Import coded statements from a spreadsheet (CSV) as articles of data/.

    FILE is the kgraph template (date, speaker, organization, quote, stance,
    target, source_url, source_title, published, publisher, text_file) or
    rDNA's statements export (id, documentId, startCaret, endCaret, ...,
    person, organization, concept, agreement) with --documents. Rows with
    one source become one article, data/articles/SLUG.trig, with its text.
    Every name is resolved through the registry (a name it does not hold
    exactly is an error with its candidates), every quote is checked
    against its text, and the new articles are validated before anything
    is written. Every bad row is reported with its line; then nothing is
    stored.

    \b
    Exit codes:
      0  imported (or, with --dry-run, importable)
      1  the imported articles would not validate; nothing stored
      2  bad rows or unreadable input; nothing stored
    """
    from .authoring.importing import ImportError_, _Invalid, import_statements
    from .render.validation import render_report

    _sources_needed(keep_text_outside, sources)
    try:
        done = import_statements(statements, project=project, documents=documents,
                                 sources=sources if keep_text_outside else None, dry_run=dry_run)
    except ImportError_ as error:
        for path, line, message in error.problems:
            click.echo(f"Error: {_relative(path)}{f':{line}' if line else ''}: {message}", err=True)
        rows = len({(p, line) for p, line, _ in error.problems})
        click.echo(f"{rows} row{'s' if rows != 1 else ''} cannot be imported; nothing was stored", err=True)
        sys.exit(EXIT_ERROR)
    except _Invalid as error:
        click.echo(render_report(error.report, "text", relative_to=project.root), nl=False)
        click.echo("Error: the imported articles would not validate; nothing was stored", err=True)
        sys.exit(EXIT_VIOLATIONS)
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb} {done.statements} statement{'s' if done.statements != 1 else ''} from "
               f"{_relative(statements)} as {len(done.articles)} article{'s' if len(done.articles) != 1 else ''}:")
    shown = 10
    for article, text in list(zip(done.articles, done.texts))[:shown]:
        click.echo(f"  {_relative(article)} (text: {_relative(text)})")
    if len(done.articles) > shown:
        click.echo(f"  ... and {len(done.articles) - shown} more")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lock-wait", type=click.FloatRange(min=0), envvar="KGRAPH_LOCK_WAIT", metavar="SECONDS",
              help="On a server, wait this long for another load to finish (default: fail at once).")
@click.pass_obj
def load(project, paths: tuple[Path, ...], lock_wait: float | None) -> None:
    """Load files (default: data/, and always the ontology) into the store.

    Each file goes into its own named graph, replacing the graph whole: on
    disk all replacements in one transaction; on a server each graph in one
    request, under a lock so that two loads never write at once. A file whose
    content is unchanged since it was last loaded is skipped (its SHA-256 is
    kept in the store).
    """
    from rich.progress import Progress

    store = _store(project, lock_wait)
    files = store.files(list(paths))
    with Progress(disable=not sys.stderr.isatty(), transient=True, console=_console(stderr=True)) as progress:
        task = progress.add_task(f"loading into {store.name}", total=len(files))
        report = store.load(list(paths), progress=lambda path: progress.advance(task))
    click.echo(f"{store.name} store: loaded {len(report.loaded)} file{'s' if len(report.loaded) != 1 else ''} "
               f"({report.triples} triples), {len(report.unchanged)} unchanged")


@cli.group("store")
def store_group() -> None:
    """Look after a persistent store (kgraph store check|repair)."""


@store_group.command("check")
@click.pass_obj
def store_check(project) -> None:
    """Report what a finished load would not leave: staging graphs of an
    interrupted load, a held load lock, graphs without records, records
    without graphs, files changed since they were loaded. Exit 1 if any."""
    store = _persistent_store(project)
    found = store.check()
    for line in found.lines(project.root):
        click.echo(line)
    click.echo(f"{store.name} store: {'problems found' if found else 'in order'}")
    sys.exit(EXIT_VIOLATIONS if found else EXIT_OK)


@store_group.command("repair")
@click.option("--break-lock", is_flag=True, help="Also remove the load lock (only if its load is gone).")
@click.option("--lock-wait", type=click.FloatRange(min=0), envvar="KGRAPH_LOCK_WAIT", metavar="SECONDS",
              help="On a server, wait this long for a running load to finish (default: fail at once).")
@click.pass_obj
def store_repair(project, break_lock: bool, lock_wait: float | None) -> None:
    """Drop staging graphs an interrupted load left and records of graphs that
    are gone (and, with --break-lock, the load lock); report what is left.
    On a server the repair takes the load lock, so it never touches a
    running load's graphs."""
    left = _persistent_store(project, lock_wait).repair(break_lock=break_lock)
    click.echo(f"repaired {left.repaired} thing{'s' if left.repaired != 1 else ''}")
    for line in left.lines(project.root):
        click.echo(line)
    sys.exit(EXIT_VIOLATIONS if left else EXIT_OK)


@cli.group("cache")
def cache_group() -> None:
    """Look after the project cache (.kgraph/cache/): kgraph cache status|update|clear.

    The cache holds the parsed project (data/ and the ontology) so that a
    command on an unchanged corpus opens it instead of reading every file.
    Each command brings it up to date first, parsing only the files that
    changed, were added or removed; --no-cache (or KGRAPH_CACHE=off) reads
    the files instead.
    """


@cache_group.command("status")
@click.pass_obj
def cache_status(project) -> None:
    """Say where the cache is, how big, and which files changed since it was
    written (every file is hashed). Exit 1 if it is not up to date."""
    from .render.terms import display_path
    from .stores.cache import ProjectCache

    status = ProjectCache(project).status()
    click.echo(f"cache: {display_path(status.folder, project.root)}")
    if not status.exists:
        click.echo("not built yet (the next command that reads data/ builds it)")
        sys.exit(EXIT_VIOLATIONS)
    click.echo(f"{status.files} file{'s' if status.files != 1 else ''} cached")
    for what, paths in (("changed", status.changed), ("new", status.new), ("removed", status.removed)):
        for path in paths:
            click.echo(f"{what}: {display_path(path, project.root)}")
    if status.outdated:
        click.echo("written by another kgraph version, or its last update was interrupted: it is rebuilt next time")
    click.echo("up to date" if status.fresh else "out of date (the next command updates it)")
    sys.exit(EXIT_OK if status.fresh else EXIT_VIOLATIONS)


@cache_group.command("update")
@click.pass_obj
def cache_update(project) -> None:
    """Bring the cache up to date now (what any command does first)."""
    from .stores.cache import ProjectCache

    graph = ProjectCache(project).graph()
    if graph is None:
        raise click.ClickException("the cache is in use by another kgraph command; try again when it ends")
    click.echo(f"cache up to date: {len(graph.dataset.files)} files, {len(graph):,} triples")


@cache_group.command("clear")
@click.pass_obj
def cache_clear(project) -> None:
    """Delete the cache (the next command builds it again)."""
    from .stores.cache import ProjectCache

    click.echo("cache cleared" if ProjectCache(project).clear() else "no cache to clear")


# -- actors ------------------------------------------------------------------------


@cli.group()
def actors() -> None:
    """Find actors and places by any of their names."""


@actors.command("find")
@click.argument("name")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["person", "polity", "organization", "group", "place", "actor"]),
              help="Only things of this kind (repeatable).")
@click.option("--language", metavar="TAG", help="The name's language and script, e.g. ru-Cyrl, hy-Armn, az-Latn.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(min=1), help="At most this many candidates.")
@click.option("--min-score", default=0.8, show_default=True, type=click.FloatRange(0, 1),
              help="Leave out candidates scoring less.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path), help="Data to search (default: data/).")
@click.pass_obj
def actors_find(project, name: str, kinds, language, limit: int, min_score: float, fmt: str, data_paths) -> None:
    """The actors and places NAME may mean, best first, with a score and the
    reason each matched: the same name, the same name in another script or
    romanisation, a spelling variant, part of the name, or a close spelling.
    Exit 1 if nothing matches."""
    from .identity.registry import find_actors

    found = find_actors(name, _graph(project, data_paths, scans=True), kinds=kinds or None, language=language, limit=limit,
                        min_score=min_score)
    if fmt == "json":
        _json([c.to_dict() for c in found])
    elif found:
        from .render.tables import candidate_table

        _show(candidate_table(found))
    else:
        click.echo(f"no actor or place matches {name!r}", err=True)
    sys.exit(EXIT_OK if found else EXIT_VIOLATIONS)


@actors.command("merge")
@click.argument("keep")
@click.argument("other")
@click.option("--dry-run", is_flag=True, help="Show what would change (a unified diff) and write nothing.")
@click.pass_obj
def actors_merge(project, keep: str, other: str, dry_run: bool) -> None:
    """Merge OTHER into KEEP: one actor (or place) described twice.

    KEEP and OTHER are IRIs or prefixed names (actor:ramin-mammadov). Every
    use of OTHER in the data files becomes KEEP; OTHER's labels are kept as
    skos:altLabel; KEEP owl:sameAs OTHER records the old IRI. The merged
    data is validated first, in a copy: with a violation nothing is written.

    \b
    Exit codes:
      0  merged (or, with --dry-run, it would merge cleanly)
      1  the merged data would not conform: nothing written
      2  the IRIs cannot be merged, or a usage error
    """
    from .identity.merge import MergeError, merge_actors
    from .render.validation import render_report
    from .sparql.params import parse_iri

    try:
        iris = [parse_iri(value).value for value in (keep, other)]
    except ValueError as exc:
        raise click.BadParameter(f"{exc}: give an IRI or a prefixed name such as actor:ramin-mammadov") from None
    try:
        merge = merge_actors(*iris, project=project, dry_run=dry_run)
    except MergeError as exc:
        planned = getattr(exc, "merge", None)
        if planned is None:
            raise
        click.echo(render_report(planned.report, "text", relative_to=planned.trial_root), nl=False)
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(EXIT_VIOLATIONS)
    if dry_run:
        for change in merge.changes:
            click.echo(change.diff(project.root), nl=False)
    click.echo(merge.summary())
    warnings = merge.report.count("warning") if merge.report is not None else 0
    if warnings:
        click.echo(f"the merged data conforms, with {warnings} warning(s): run kgraph validate to see them")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path),
              help="Data whose actors and places to serve (default: data/, or the store's).")
@click.pass_obj
def reconcile(project, host: str, port: int, data_paths) -> None:
    """Serve the registry's actors and places to OpenRefine.

    A reconciliation service (W3C Reconciliation Service API 0.2) on
    HOST:PORT: in OpenRefine, choose Reconcile > Start reconciling > Add
    standard service and give the URL printed. Names are looked up with the
    resolver of kgraph actors find (every script and spelling); a candidate
    is marked as a match only when it is certain. Read-only; stop it with
    Ctrl-C or SIGTERM.
    """
    import signal

    from .identity.reconcile import ReconcileServer, ReconciliationService

    graph = _graph(project, data_paths, scans=True)
    try:
        server = ReconcileServer(lambda url: ReconciliationService.from_graph(graph, url=url), host, port)
    except OSError as error:
        raise click.UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"reconciliation service for {len(server.service.index)} actors and places: {server.url}")
    click.echo("in OpenRefine: Reconcile > Start reconciling > Add standard service; Ctrl-C stops it")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option("--writable", is_flag=True, help="Accept SPARQL updates (read-only by default).")
@click.pass_obj
def serve(project, host: str, port: int, writable: bool) -> None:
    """Serve the data as a SPARQL 1.1 endpoint (the Oxigraph server).

    Loads data/ and the ontology into the on-disk store given with --store
    (or a temporary one, removed when the server stops), then serves it on
    HOST:PORT with the default graph as the union of the named graphs. Queries
    and updates that call SERVICE are refused. Stop it with Ctrl-C or SIGTERM.
    """
    import gc
    import shutil
    import tempfile

    from .stores.disk import DiskBackend
    from .stores.serve import serve as run

    store = _store(project)
    if store.name == "remote":
        raise click.UsageError("kgraph serve serves a local store; --store is a server already")
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(binary).exists():
        raise click.UsageError("the oxigraph server is not installed (pip install oxigraph)")
    temporary = store.name != "disk"
    location = Path(store.path) if not temporary else Path(tempfile.mkdtemp(prefix="kgraph-store-"))
    try:
        disk = store if not temporary else DiskBackend(project, location)
        report = disk.load()
        disk.close()
        del disk, store
        gc.collect()
    except BaseException:
        if temporary:
            shutil.rmtree(location, ignore_errors=True)
        raise
    click.echo(f"loaded {len(report.loaded)} files ({len(report.unchanged)} unchanged) into {location}")

    def ready(url: str) -> None:
        click.echo(f"SPARQL endpoint: {url}{' (updates: /update)' if writable else ' (read-only)'}")

    sys.exit(run(binary, location, host, port, writable=writable, temporary=temporary, ready=ready))


@cli.command()
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path), help="Data to dump (default: data/).")
@click.pass_obj
def dump(project, output: Path, data_paths: tuple[Path, ...]) -> None:
    """Dump the graph itself (data and ontology) as RDF.

    OUTPUT.trig or OUTPUT.nq keep one named graph per file loaded; OUTPUT.ttl
    or OUTPUT.nt merge them. Use it with Gephi's Semantic Web Importer or any
    RDF tool.
    """
    from .rdf.dump import dump as write

    written = write(_graph(project, data_paths, scans=True), output)
    click.echo(f"wrote {output} ({written} quads)")


# -- networks ---------------------------------------------------------------------


def projection_options(command):
    """The options every network command shares (name, level, normalisation, window, data)."""

    options = [
        click.argument("network"),
        click.option("--level", type=click.Choice(LEVELS), default="person", show_default=True,
                     help="Fold persons into their organization, or persons and organizations into their polity."),
        click.option("--normalization", type=click.Choice(NORMALIZATIONS), default="none", show_default=True,
                     help="Tie weights of congruence and conflict networks."),
        *_time_options(),
        click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path),
                     help="Data to project (default: data/)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _time_options():
    return [
        click.option("--start", metavar="YYYY-MM-DD", help="Only stances and events from this day on."),
        click.option("--end", metavar="YYYY-MM-DD", help="Only stances and events up to this day."),
        click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
                     help="The network as it stood that day: stances and events by then, posts held then."),
        click.option("--reported-by", "reported_by", metavar="YYYY-MM-DD",
                     help="Only what sources published by that day said."),
    ]


def _network(project, network, level, normalization, start, end, data_paths, as_of=None, reported_by=None):
    from .networks.projections import left_out_note, network as build

    G = build(network, _graph(project, data_paths, scans=True), level=level, normalization=normalization,
              start=start, end=end, as_of=as_of, reported_by=reported_by)
    note = left_out_note(G)
    if note:
        click.echo(f"note: {note}", err=True)
    return G


def _series(project, network, level, normalization, start, end, data_paths, window, step, reported_by):
    from .networks.projections import series

    return series(network, _graph(project, data_paths, scans=True), window=window, step=step, start=start, end=end,
                  level=level, normalization=normalization, reported_by=reported_by)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def networks(fmt: str) -> None:
    """List the network projections and their options."""
    from .networks.projections import describe_projections

    projections = describe_projections()
    if fmt == "json":
        _json(projections)
        return
    from .render.tables import network_list

    _show(network_list(projections))


@cli.command()
@projection_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--samples", type=click.IntRange(min=2), help="Sampled sources for betweenness and closeness on large graphs (default: sized to a fixed budget).")
@click.option("--exact", is_flag=True, help="Exact betweenness and closeness however large the graph (slow).")
@click.option("--window", metavar="LENGTH",
              help="A series of networks, one per time window of this length (30D, 2W, 1M, 1Y), from --start "
                   "(default: the first dated record) to --end (default: the last); measures per window.")
@click.option("--step", metavar="LENGTH", help="How far each window moves (default: --window).")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="Nodes the table shows, brokers first (the rest are counted under it); 0: all. csv and json "
                   "write every node.")
@click.pass_obj
def analyze(project, network, level, normalization, start, end, as_of, reported_by, data_paths, fmt, samples, exact,
            window, step, limit) -> None:
    """Measure a network: centralities, brokerage roles, balance, coalitions.

    Per node: degree, betweenness, closeness and eigenvector centrality,
    Gould-Fernandez brokerage roles (groups: each actor's polity), and the
    community (coalition) found by Louvain. For the graph: nodes, edges,
    density, components, and the share of balanced signed triads. Above
    2000 nodes, betweenness and closeness are estimated from sampled sources,
    and the output says so.

    With --as-of, --reported-by, --start or --end, only a time slice is
    measured, and a note says how many records it left out for lack of a
    date and how many fell outside it. With --window (and --step), a series
    of windows is measured: a table of each window's size, or with --format
    csv one row per window and node with every measure.
    """
    from .networks.analysis import analyze as measure

    if window is not None:
        if as_of is not None:
            raise click.UsageError("--window makes a series of slices; give --start/--end, not --as-of")
        _analyze_series(project, network, level, normalization, start, end, data_paths, window, step,
                        reported_by, fmt, samples, exact)
        return
    if step is not None:
        raise click.UsageError("--step goes with --window")
    G = _network(project, network, level, normalization, start, end, data_paths, as_of, reported_by)
    result = measure(G, k=samples, exact_limit=len(G) if exact else 2000)
    if fmt == "json":
        _json(result.to_dict())
    elif fmt == "csv":
        from .render.tables import analysis_csv

        click.echo(analysis_csv(result), nl=False)
    else:
        from .render.tables import analysis_tables

        _show(analysis_tables(result, level, limit=limit or None))


def _analyze_series(project, network, level, normalization, start, end, data_paths, window, step, reported_by,
                    fmt, samples, exact) -> None:
    """kgraph analyze --window: the measures of each window."""
    import csv
    import io

    from .networks.analysis import METRICS, analyze as measure

    graphs = _series(project, network, level, normalization, start, end, data_paths, window, step, reported_by)
    results = [(G, measure(G, k=samples, exact_limit=len(G) if exact else 2000)) for G in graphs]
    if fmt == "json":
        _json([{"start": G.graph["start"], "end": G.graph["end"],
                "left_out": {w: G.graph.get(f"left_out_{w}", 0) for w in ("undated", "outside", "unpublished", "imprecise")},
                **r.to_dict()} for G, r in results])
        return
    if fmt == "csv":
        from .render.tables import _number

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["window_start", "window_end", "id", "label", "kind", "group", *METRICS])
        for G, r in results:
            for node in r.nodes:
                writer.writerow([G.graph["start"], G.graph["end"], node.id, node.label, node.kind, node.group,
                                 *(_number(v) for v in r.metrics(node).values())])
        click.echo(buffer.getvalue(), nl=False)
    else:
        from .render.tables import series_table

        _show(series_table(results))
    undated = graphs[0].graph.get("left_out_undated", 0) if graphs else 0
    click.echo(f"note: {len(graphs)} windows of {window}, moved by {step or window}; {undated} records without a "
               "date are in no window", err=True)


@cli.command()
@projection_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The picture to write: FILE.png or FILE.svg.")
@click.option("--title", help="Title above the drawing.")
@click.option("--size-by", default="degree", show_default=True, metavar="MEASURE",
              help="What sizes the nodes (and picks the top ones): degree, or a measure of kgraph analyze.")
@click.option("--top", default=60, show_default=True, type=click.IntRange(min=1),
              help="Draw at most this many nodes, the highest by --size-by; the title says how many are left out.")
@click.pass_obj
def plot(project, network, level, normalization, start, end, as_of, reported_by, data_paths, output, title,
         size_by, top) -> None:
    """Draw a network to a PNG or SVG file: colours by kind, node size by a
    measure, ties green (supports), orange (opposes) or grey, widths by
    weight, labels kept apart and shortened (in SVG the full label shows on
    hover), a legend of what is drawn."""
    if output.suffix.lower() not in (".png", ".svg"):
        raise click.UsageError(f"cannot draw to {output.name}: use a .png or .svg file")
    if not output.parent.is_dir():
        raise click.UsageError(f"folder {output.parent} does not exist")
    from .networks.plot import plot as draw

    from .networks.analysis import METRICS

    if size_by != "degree" and size_by not in METRICS:
        raise click.UsageError(f"--size-by {size_by!r}: choose degree or one of {', '.join(METRICS)}")
    G = _network(project, network, level, normalization, start, end, data_paths, as_of, reported_by)
    if size_by != "degree":
        from .networks.export import with_metrics

        G = with_metrics(G)
    draw(G, output, title=title, size_by=size_by, top=top)
    click.echo(f"wrote {output} ({len(G)} nodes, {G.number_of_edges()} ties)")


@cli.command()
@click.argument("network", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: FILE.gexf, FILE.graphml or FILE.csv (then FILE-nodes.csv and FILE-edges.csv).")
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "csv"]), help="Default: from the extension.")
@click.option("--rdf", type=click.Path(dir_okay=False, path_type=Path),
              help="Deprecated: use kgraph dump FILE. Dumps the graph itself as RDF.")
@click.option("--level", type=click.Choice(LEVELS), default="person", show_default=True)
@click.option("--normalization", type=click.Choice(NORMALIZATIONS), default="none", show_default=True)
@click.option("--start", metavar="YYYY-MM-DD", help="Only stances and events from this day on.")
@click.option("--end", metavar="YYYY-MM-DD", help="Only stances and events up to this day.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="The network as it stood that day: stances and events by then, posts held then.")
@click.option("--reported-by", "reported_by", metavar="YYYY-MM-DD", help="Only what sources published by that day said.")
@click.option("--window", metavar="LENGTH",
              help="One file per time window of this length (30D, 2W, 1M, 1Y): FILE-START.EXT for each.")
@click.option("--step", metavar="LENGTH", help="How far each window moves (default: --window).")
@click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path), help="Data to use (default: data/).")
@click.pass_context
def export(ctx, network, output, fmt, rdf, level, normalization, start, end, as_of, reported_by, window, step,
           data_paths) -> None:
    """Export a network for Gephi: GEXF 1.3, GraphML or CSV.

    \b
    Examples:
      kgraph export mediation -o mediation.gexf
      kgraph export stance --level polity -o stance.graphml
      kgraph export claims -o claims.csv        # claims-nodes.csv, claims-edges.csv
    """
    project = ctx.obj
    if rdf is not None:
        if network or output:
            raise click.UsageError("--rdf dumps the whole graph; give no NETWORK or -o with it")
        click.echo("note: kgraph export --rdf is deprecated and will be removed in the next release; "
                   f"use: kgraph dump {rdf}", err=True)
        ctx.invoke(dump, output=rdf, data_paths=data_paths)
        return
    if not network or output is None:
        raise click.UsageError("give a NETWORK and -o FILE")
    from .networks.export import export as write

    if window is not None:
        if as_of is not None:
            raise click.UsageError("--window makes a series of slices; give --start/--end, not --as-of")
        graphs = _series(project, network, level, normalization, start, end, data_paths, window, step, reported_by)
        for G in graphs:
            target = output.with_name(f"{output.stem}-{G.graph['start']}{output.suffix}")
            for path in write(G, target, fmt):
                click.echo(f"wrote {path} ({len(G)} nodes, {G.number_of_edges()} ties, "
                           f"{G.graph['start']} to {G.graph['end']})")
        return
    if step is not None:
        raise click.UsageError("--step goes with --window")
    G = _network(project, network, level, normalization, start, end, data_paths, as_of, reported_by)
    for path in write(G, output, fmt):
        click.echo(f"wrote {path}")


@cli.command("view")
@click.argument("networks", nargs=-1)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("kgraph-view.html"),
              show_default=True, help="The page to write (one self-contained HTML file).")
@click.option("--level", type=click.Choice(LEVELS), default="person", show_default=True,
              help="Fold persons into their organization, or persons and organizations into their polity.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The networks as they stood that day.")
@click.option("--title", help="The page's title.")
@click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path), help="Data to use (default: data/).")
@click.pass_obj
def view_cmd(project, networks, output, level, as_of, title, data_paths) -> None:
    """Write an interactive web page of NETWORKS (default: mediation,
    interaction, stance, claims), with every actor's profile and the timeline.

    One self-contained HTML file that works offline, opened from disk: its
    scripts come inlined from the installed bokeh package, and it asks the
    network for nothing. In the page: switch networks; nodes coloured by
    kind and sized by a measure you choose (the legend says which); ties by
    polarity; hover for a node's measures; click a node (or find it by any
    name or alias) for its profile: posts with tenures, every statement with
    the quoted words and the source's excerpt, claims reported and denied;
    move the date control to see the networks as they stood on a day; the
    timeline of events and statements below.
    """
    from .view import view as write

    if output.suffix.lower() not in (".html", ".htm"):
        raise click.UsageError(f"cannot write the view to {output.name}: use a .html file")
    if not output.parent.is_dir():
        raise click.UsageError(f"folder {output.parent} does not exist")
    path = write(list(networks), output, graph=_graph(project, data_paths, scans=True), level=level, as_of=as_of, title=title)
    click.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB): open it in a browser")


def main() -> None:
    """Entry point of the ``kgraph`` console script."""
    cli(prog_name="kgraph")


if __name__ == "__main__":  # pragma: no cover
    main()
