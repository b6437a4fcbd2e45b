"""Every example in the README and docs/ runs, as a new user would run it.

A ``console`` block holds commands (``$ kgraph ...``, ``$ cat FILE`` or
``$ cp FROM TO``), each followed by the output it must print; a ``pycon`` block is a doctest; a
``python`` block must run without error. All of them run in a fresh copy of
the project (ontology, queries, data and docs/examples), one copy per page
so that what one page does (CONTRIBUTING adds an article) never changes another's
output, from its folder.

Run ``python tests/content/test_docs.py --update`` to refresh the outputs of
console blocks after a change to the data or the queries.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
#: Hand-written pages whose examples must run (the generated ones are checked by their generators).
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md",
         *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name not in {"ontology.md", "cli.md"})]
BLOCK = re.compile(r"^```(console|pycon|python)\n(.*?)^```", re.S | re.M)
WIDTH = "150"


def blocks(page: Path) -> list[tuple[str, str, int]]:
    text = page.read_text(encoding="utf-8")
    return [(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in BLOCK.finditer(text)]


def copy_project(target: Path) -> Path:
    for part in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / part, target / part)
    if (ROOT / "docs" / "examples").is_dir():
        shutil.copytree(ROOT / "docs" / "examples", target / "docs" / "examples")
    return target


def commands(block: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
    return [(command, "\n".join(lines) + "\n" if lines else "") for command, lines in pairs]


def run(command: str, cwd: Path) -> str:
    from kgraph.cli import cli

    args = shlex.split(command)
    if args[0] == "cat":
        return (cwd / args[1]).read_text(encoding="utf-8")
    if args[0] == "cp":
        shutil.copyfile(cwd / args[1], cwd / args[2])
        return ""
    assert args[0] == "kgraph", f"examples run kgraph, cat or cp, not {args[0]}"
    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner(env={"COLUMNS": WIDTH, "KGRAPH_STORE": None, "KGRAPH_PROJECT": None}).invoke(
            cli, args[1:], catch_exceptions=False)
    finally:
        os.chdir(here)
    output = "\n".join(line.rstrip() for line in result.output.splitlines()) + ("\n" if result.output else "")
    # an example that fails must show it: exit 2 only with an "Error:" line
    assert result.exit_code in (0, 1) or "Error: " in output, f"`{command}` exited {result.exit_code}:\n{output}"
    return output


CONSOLE = [(page, body, line) for page in PAGES for kind, body, line in blocks(page) if kind == "console"]
PYTHON = [page for page in PAGES if any(kind != "console" for kind, _, _ in blocks(page))]


@pytest.fixture(scope="module")
def workdirs(tmp_path_factory):
    """One copy of the project per page, made on first use."""
    made: dict[Path, Path] = {}

    def of(page: Path) -> Path:
        if page not in made:
            made[page] = copy_project(tmp_path_factory.mktemp(f"docs-{page.stem}"))
        return made[page]

    return of


@pytest.mark.parametrize("page,body,line", CONSOLE, ids=[f"{c[0].name}:{c[2]}" for c in CONSOLE])
def test_console_example(page, body, line, workdirs):
    where = f"{page.relative_to(ROOT)}:{line}"
    for command, shown in commands(body):
        assert run(command, workdirs(page)) == shown, f"{where}: output of `{command}` is stale; run " \
                                                      "python tests/content/test_docs.py --update"


@pytest.mark.parametrize("page", PYTHON, ids=[p.name for p in PYTHON])
def test_python_examples(page, tmp_path):
    """A page's Python blocks run in order, sharing their names, in a fresh
    copy of the project; ``pycon`` blocks are doctests."""
    work = copy_project(tmp_path)
    namespace = {"__name__": "__docs__"}
    here = os.getcwd()
    os.chdir(work)
    try:
        for kind, body, line in blocks(page):
            where = f"{page.relative_to(ROOT)}:{line}"
            if kind == "python":
                exec(compile(body, where, "exec"), namespace)
            elif kind == "pycon":
                test = doctest.DocTestParser().get_doctest(body, namespace, where, str(page), line)
                runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
                report: list[str] = []
                runner.run(test, out=report.append, clear_globs=False)
                namespace.update(test.globs)  # a DocTest works on a copy of its globals
                assert runner.failures == 0, f"{where}: a doctest example failed:\n" + "".join(report)
    finally:
        os.chdir(here)


def test_every_page_with_commands_has_examples():
    for name in ("README.md", "docs/queries.md", "docs/networks.md", "docs/validation.md", "docs/python-api.md"):
        assert blocks(ROOT / name), f"{name} shows no example"


def test_the_command_line_reference_is_current():
    from kgraph.authoring.docs import cli_markdown
    from kgraph.cli import cli

    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_markdown(cli), \
        "run: kgraph docs cli -o docs/cli.md"


def test_the_readme_is_a_landing_page():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move reference material to docs/"
    commands_ = [line for line in lines[:12] if line.startswith("python3 -m venv")]
    assert len(commands_) == 2, "the README begins with the two commands"


def test_every_test_named_in_the_reliability_table_exists():
    """Each row of the Reliability table names the tests that prove it; a
    renamed or deleted test must not leave the table pointing at nothing."""
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    section = text[text.index("## What kgraph does with broken or hostile input"):]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| input")]
    assert len(rows) >= 25
    for row in rows:
        cell = row.rstrip(" |").rsplit("|", 1)[-1]
        module = None
        named = 0
        for match in re.finditer(r"`(tests/[\w/]+\.py)::(\w+)`|`(test_\w+)`", cell):
            module = match.group(1) or module
            name = match.group(2) or match.group(3)
            assert module, row
            assert re.search(rf"^def {name}\(", (ROOT / module).read_text(encoding="utf-8"), re.M), f"{module}::{name}"
            named += 1
        assert named, f"no test named in: {row}"


if __name__ == "__main__" and "--update" in sys.argv:
    import tempfile

    for page in PAGES:
        work = copy_project(Path(tempfile.mkdtemp()))
        text = page.read_text(encoding="utf-8")

        def refresh(match):
            if match.group(1) != "console":
                return match.group(0)
            out = "".join(f"$ {command}\n{run(command, work)}" for command, _ in commands(match.group(2)))
            return f"```console\n{out}```"

        page.write_text(BLOCK.sub(refresh, text), encoding="utf-8")


TURTLE = re.compile(r"^```(turtle|trig)\n(.*?)^```", re.S | re.M)


def _turtle_blocks():
    pages = [*PAGES, ROOT / "docs" / "ontology.md"]
    return [(page, m.group(1), m.group(2), page.read_text(encoding="utf-8").count("\n", 0, m.start()) + 1)
            for page in pages for m in TURTLE.finditer(page.read_text(encoding="utf-8"))]


def test_every_turtle_example_parses_as_shown():
    """Copied as shown (with the prefixes a scaffold declares), every Turtle or TriG
    example parses, and the ontology reference's examples are triples the
    shipped data really holds, datatypes included."""
    import pyoxigraph as ox

    from kgraph.namespaces import PREFIXES
    from kgraph.project import load_project

    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    header += "@prefix x: <https://w3id.org/kgraph/excerpt/example/> .\n"  # as a scaffold declares it
    data = {(q.subject, q.predicate, q.object) for q in load_project(None).data_quads()}
    blocks = _turtle_blocks()
    assert len(blocks) > 20
    for page, kind, body, line in blocks:
        fmt = ox.RdfFormat.TRIG if kind == "trig" else ox.RdfFormat.TURTLE
        try:
            triples = [(q.subject, q.predicate, q.object) for q in ox.parse((header + body).encode(), format=fmt)]
        except SyntaxError as error:
            raise AssertionError(f"{page.relative_to(ROOT)}:{line}: the example does not parse: {error}") from None
        if page.name == "ontology.md":
            # a blank node of the example stands for some blank node of the data
            loose = {tuple(None if isinstance(t, ox.BlankNode) else t for t in triple) for triple in data}
            missing = [t for t in triples if t not in data
                       and tuple(None if isinstance(x, ox.BlankNode) else x for x in t) not in loose]
            assert not missing, f"{page.relative_to(ROOT)}:{line}: not in the data: {missing[:2]}"
