"""The in-memory store's peak memory for kinds of data, next to kgraph's estimate.

    python -m benchmarks.memory [--triples 1000000] [--workdir DIR]

Writes N-Triples files of three shapes (short unique triples; long literals;
typical statements), loads each into pyoxigraph's in-memory store in a
process of its own, and prints the peak RSS it took, the file's size, the
ratio of the two, and what :func:`kgraph.rdf.fits.estimate` says beforehand.
The constants in ``kgraph/rdf/fits.py`` come from this measurement.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

KINDS = {
    "short unique": lambda i: f'<a:{i}> <b:{i % 7}> "{i}" .\n',
    "long literals": lambda i: f'<http://example.org/s{i}> <http://example.org/p> "{"x" * 200} {i}" .\n',
    "typical": lambda i: (f'<https://w3id.org/kgraph/statement/s{i}> <https://w3id.org/kgraph/ontology#quote> '
                          f'"Some words that a speaker said, number {i}" .\n'),
}

PEAK = """
import resource, sys
import pyoxigraph as ox
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024, len(store))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    from kgraph.rdf.fits import estimate

    folder = args.workdir or Path(tempfile.mkdtemp(prefix="kgraph-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'data':<15} {'file MiB':>9} {'peak MiB':>9} {'x file':>7} {'B/triple':>9} {'estimate MiB':>13} {'est/peak':>9}")
    for kind, line in KINDS.items():
        path = folder / f"{kind.replace(' ', '-')}.nt"
        with path.open("w") as out:
            out.writelines(line(i) for i in range(args.triples))
        done = subprocess.run([sys.executable, "-c", PEAK, str(path)], capture_output=True, text=True, check=True)
        peak, triples = map(int, done.stdout.split())
        size = path.stat().st_size
        guess = estimate([path])
        print(f"{kind:<15} {size / 2**20:>9.0f} {peak / 2**20:>9.0f} {peak / size:>7.2f} {peak / triples:>9.0f} "
              f"{guess / 2**20:>13.0f} {guess / peak:>9.2f}")


if __name__ == "__main__":
    main()
