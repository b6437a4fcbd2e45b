"""The README's query examples are real: each is run and its output compared.

Run ``python tests/test_readme.py --update`` to refresh the outputs after a
change to the data or the queries.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (kgraph (?:query|analyze) [^\n]*)\n(.*?)```", re.S)
WIDTH = "150"


def _run(command: str) -> str:
    from kgraph.cli import cli

    args = shlex.split(command)[1:]
    result = CliRunner(env={"COLUMNS": WIDTH}).invoke(cli, ["--project", str(ROOT), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n"


def test_readme_query_examples_are_current():
    text = README.read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 9, "the README shows one example per saved query"
    for command, shown in blocks:
        assert _run(command) == shown, f"README output of `{command}` is stale; run python tests/test_readme.py --update"


if __name__ == "__main__" and "--update" in sys.argv:
    text = README.read_text(encoding="utf-8")
    README.write_text(BLOCK.sub(lambda m: f"```console\n$ {m.group(1)}\n{_run(m.group(1))}```", text), encoding="utf-8")


def test_every_test_named_in_the_reliability_table_exists():
    """Each row of the README's Reliability table names the tests that prove it;
    a renamed or deleted test must not leave the table pointing at nothing."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Reliability"):text.index("## Python API")]
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
