"""Network projections and their analysis on a synthetic corpus.

For every projection: the time to build it from the loaded graph and the time
to analyze it, next to the time raw pyoxigraph takes to parse the same files
(the baseline, measured in the same run).

Usage: python -m benchmarks.networks [--triples 1000000] [--corpus DIR]
(the corpus is generated with benchmarks.generate unless DIR already holds one).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path, help="a corpus folder to reuse or create")
    args = parser.parse_args()

    import pyoxigraph as ox

    from benchmarks.generate import generate
    from kgraph.networks.analysis import analyze
    from kgraph.networks.projections import PROJECTIONS, network
    from kgraph.project import find_project
    from kgraph.project import load_project

    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="kgraph-corpus-"))
    if not (corpus / "data").is_dir():
        generate(corpus, args.triples)
    for folder in ("ontology", "queries"):
        if not (corpus / folder).exists():
            shutil.copytree(ROOT / folder, corpus / folder)
    project = find_project(corpus)

    start = time.perf_counter()
    raw = 0
    for path in sorted((corpus / "data").rglob("*")):
        if path.suffix in (".ttl", ".trig"):
            raw += sum(1 for _ in ox.parse(path=str(path)))
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    dataset = load_project(None, project)
    loaded = time.perf_counter() - start
    print(f"corpus: {len(dataset)} quads; raw pyoxigraph parse {baseline:.2f} s; kgraph load {loaded:.2f} s")
    print(f"{'network':12} {'nodes':>7} {'edges':>7} {'build s':>8} {'analyze s':>10} {'total s':>8} {'x parse':>8}  note")
    for name in PROJECTIONS:
        start = time.perf_counter()
        G = network(name, dataset, project=project)
        built = time.perf_counter() - start
        start = time.perf_counter()
        result = analyze(G)
        measured = time.perf_counter() - start
        total = built + measured
        note = result.notes[0] if result.notes else ""
        print(f"{name:12} {len(G):7} {G.number_of_edges():7} {built:8.2f} {measured:10.2f} {total:8.2f} {total / baseline:8.2f}  {note}")


if __name__ == "__main__":
    main()
