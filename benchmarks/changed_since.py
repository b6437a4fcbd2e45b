"""`kgraph validate --changed-since` on a large corpus: one article changed.

Generates (or reuses) a synthetic corpus, commits it to a git repository,
changes one article, and times `kgraph validate --changed-since HEAD` as a
user runs it (a fresh process), against two baselines measured in the same
run: the interpreter's start-up, and raw pyoxigraph parsing the whole corpus.

Usage: python -m benchmarks.changed_since [--triples 1000000] [--corpus DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@localhost", *args],
                   check=True, capture_output=True)


def _time(command: list[str], cwd: Path, runs: int) -> tuple[float, int]:
    samples, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(command, cwd=cwd, capture_output=True).returncode
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import pyoxigraph as ox

    from benchmarks.generate import generate

    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="kgraph-corpus-"))
    if not (corpus / "data").is_dir():
        generate(corpus, args.triples)
    for folder in ("ontology", "queries"):
        if (corpus / folder).exists():
            shutil.rmtree(corpus / folder)
        shutil.copytree(ROOT / folder, corpus / folder)
    if not (corpus / ".git").exists():
        _git(corpus, "init", "-q")
    _git(corpus, "add", "-A")
    _git(corpus, "commit", "-qm", "corpus", "--allow-empty")
    article = sorted((corpus / "data" / "articles").glob("*.trig"))[len(list((corpus / "data" / "articles").glob("*.trig"))) // 2]
    original = article.read_bytes()
    article.write_bytes(original.replace(b"We say that", b"We said that", 1))
    try:
        startup, _ = _time([sys.executable, "-c", "pass"], corpus, args.runs)
        start = time.perf_counter()
        quads = sum(1 for p in (corpus / "data").rglob("*") if p.suffix in (".ttl", ".trig") for _ in ox.parse(path=str(p)))
        parse = time.perf_counter() - start
        changed, code = _time([sys.executable, "-m", "kgraph.cli", "validate", "--changed-since", "HEAD"], corpus, args.runs)
    finally:
        article.write_bytes(original)
    print(f"corpus: {quads} quads, changed {article.name} (a quote no longer in its text: exit code {code})")
    print(f"{'what':48} {'median s':>9} {'ratio':>8}")
    print(f"{'python -c pass':48} {startup:9.3f} {startup / parse:8.3f}")
    print(f"{'raw pyoxigraph: parse the whole corpus':48} {parse:9.3f} {1.0:8.3f}")
    print(f"{'kgraph validate --changed-since HEAD':48} {changed:9.3f} {changed / parse:8.3f}")


if __name__ == "__main__":
    main()
