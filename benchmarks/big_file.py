"""One very large file: kgraph's strict load against the raw engine's.

Writes an N-Triples file of about ``--mb`` megabytes (articles' worth of
statements with long literals), then, each in a fresh process so that peak
memory is its own, loads it with raw pyoxigraph (``Store.load(path=...)``)
and with kgraph (``kgraph.load``), and prints time and peak RSS of each and
their ratios.

Usage: python -m benchmarks.big_file [--mb 300] [--file PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

RAW = """
import json, resource, sys, time
import pyoxigraph as ox
start = time.perf_counter()
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)
print(json.dumps({"seconds": time.perf_counter() - start, "quads": len(store),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""

OURS = """
import json, resource, sys, time
from kgraph.rdf.load import load
start = time.perf_counter()
dataset = load([sys.argv[1]])
print(json.dumps({"seconds": time.perf_counter() - start, "quads": len(dataset),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def write_file(path: Path, megabytes: int) -> None:
    """Statements with quotes of a few hundred characters, as articles have."""
    target = megabytes * 1024 * 1024
    words = "the sides met at the headquarters of the peacekeepers and discussed humanitarian issues ".split()
    with path.open("w", encoding="utf-8") as out:
        n = 0
        while out.tell() < target:
            quote = " ".join(words[(n + k) % len(words)] for k in range(40))
            s = f"<https://w3id.org/kgraph/statement/big-{n}>"
            out.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kgraph/ontology#Statement> .\n")
            out.write(f"{s} <https://w3id.org/kgraph/ontology#speaker> <https://w3id.org/kgraph/actor/a{n % 500}> .\n")
            out.write(f'{s} <https://w3id.org/kgraph/ontology#quote> "{quote} ({n})"@en .\n')
            out.write(f'{s} <https://w3id.org/kgraph/ontology#date> "2023-03-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n')
            n += 1


def measure(script: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=300)
    parser.add_argument("--file", type=Path, help="reuse or create this file")
    args = parser.parse_args()
    path = args.file or Path(tempfile.mkdtemp(prefix="kgraph-big-")) / "big.nt"
    if not path.exists():
        write_file(path, args.mb)
    size = path.stat().st_size
    raw, ours = measure(RAW, path), measure(OURS, path)
    assert raw["quads"] == ours["quads"]
    print(f"file: {path} ({size / 2**20:.0f} MiB, {raw['quads']} triples)")
    print(f"{'':22} {'seconds':>8} {'peak RSS MiB':>13} {'RSS / file':>11}")
    for name, row in (("raw pyoxigraph", raw), ("kgraph load", ours)):
        print(f"{name:22} {row['seconds']:8.2f} {row['rss'] / 2**20:13.0f} {row['rss'] / size:11.2f}")
    print(f"{'ratio kgraph / raw':22} {ours['seconds'] / raw['seconds']:8.2f} {ours['rss'] / raw['rss']:13.2f}")


if __name__ == "__main__":
    main()
