"""How long ``kgraph validate`` and ``kgraph --help`` take on the shipped data.

Each command runs as a fresh process, as a user runs it, several times; the
script reports medians and compares them with baselines measured in the same
run on the same files:

- ``python -c pass``: the interpreter's own start-up;
- raw pyoxigraph parsing the same files, and plain pyshacl validating the same
  data with the same shapes (one process each, imports included).

Usage: python -m benchmarks.validate_startup [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RAW_PARSE = """
import sys, pyoxigraph as ox
from pathlib import Path
n = 0
for f in sorted(Path(sys.argv[1]).rglob('*')):
    if f.suffix in ('.ttl', '.trig'):
        n += sum(1 for _ in ox.parse(path=str(f)))
"""

PLAIN_PYSHACL = """
import sys, rdflib, pyshacl
from pathlib import Path
root = Path(sys.argv[1])
data = rdflib.Dataset()
for f in sorted((root / 'data').rglob('*')):
    if f.suffix in ('.ttl', '.trig'):
        data.parse(f, format='trig' if f.suffix == '.trig' else 'turtle')
union = rdflib.Graph()
for s, p, o, g in data.quads((None, None, None, None)):
    union.add((s, p, o))
for f in sorted((root / 'ontology').glob('*.ttl')):
    if f.name != 'shapes.ttl':
        union.parse(f, format='turtle')
shapes = rdflib.Graph().parse(root / 'ontology' / 'shapes.ttl', format='turtle')
pyshacl.validate(union, shacl_graph=shapes, inference='none', allow_warnings=True)
"""


def _time(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, env=os.environ.copy())
        samples.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    kgraph = [sys.executable, "-m", "kgraph.cli"]
    rows = [
        ("python -c pass (interpreter start-up)", _time([sys.executable, "-c", "pass"], args.runs)),
        ("raw pyoxigraph: parse data/", _time([sys.executable, "-c", RAW_PARSE, str(ROOT / "data")], args.runs)),
        ("plain pyshacl: parse + validate data/", _time([sys.executable, "-c", PLAIN_PYSHACL, str(ROOT)], args.runs)),
        ("kgraph --help", _time([*kgraph, "--help"], args.runs)),
        ("kgraph validate", _time([*kgraph, "validate"], args.runs)),
    ]
    baseline = rows[0][1]
    pyshacl_time = rows[2][1]
    print(f"{'command':45} {'median s':>9} {'x start-up':>11} {'x pyshacl':>10}")
    for name, seconds in rows:
        print(f"{name:45} {seconds:9.3f} {seconds / baseline:11.1f} {seconds / pyshacl_time:10.2f}")


if __name__ == "__main__":
    main()
