"""Loading a corpus into real SPARQL servers: kgraph against a plain upload.

For each engine (an Oxigraph server, and Virtuoso where it is installed) a
fresh server is started on loopback for each run, then the generated corpus
is loaded, alternately:

- **kgraph**: ``RemoteBackend(project, url).load()``, all of it: strict
  parsing, the conflict checks, the load lock, one Graph Store Protocol PUT
  per graph, the records, the read-backs;
- **raw**: the least a client must do to put the same graphs on the same
  server: parse each file with pyoxigraph, group by graph, and PUT each
  graph as N-Triples to the same Graph Store Protocol endpoint (urllib,
  no checks, no records, no lock).

It also times each server's own bulk path: for Oxigraph each TriG file
POSTed whole to ``/store`` (the server parses it); for Virtuoso its bulk
loader (``ld_dir`` + ``rdf_loader_run`` + ``checkpoint`` through ``isql``)
on the same quads written as N-Quads beforehand (not timed). Prints medians
and the ratios kgraph / raw and kgraph / bulk, as a Markdown table.

Usage: python -m benchmarks.server_load [--triples 1000000] [--runs 3] [--workdir DIR] [--engines oxigraph virtuoso]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "stores"))  # the test suite's servers on loopback

from servers import start, virtuoso_available  # noqa: E402


def _files(project: Path) -> list[Path]:
    return sorted(p for p in (project / "ontology").rglob("*") if p.suffix in (".ttl", ".trig")) + \
        sorted(p for p in (project / "data").rglob("*") if p.suffix in (".ttl", ".trig"))


def _format(path: Path) -> ox.RdfFormat:
    return ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE


def _put(url: str, body: bytes, content_type: str, method: str = "PUT") -> None:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()


def raw_upload(project: Path, gsp: str) -> int:
    """Every graph PUT as N-Triples; returns the number of triples sent."""
    sent = 0
    for path in _files(project):
        graphs: dict[str, list[ox.Triple]] = {}
        default = f"file://{path}"
        for quad in ox.parse(path=str(path), format=_format(path)):
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else default
            graphs.setdefault(name, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
        for name, triples in graphs.items():
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            _put(f"{gsp}?{urllib.parse.urlencode({'graph': name})}", body, "application/n-triples")
            sent += len(triples)
    return sent


def bulk_upload(project: Path, server_url: str) -> None:
    """Oxigraph's own path: each file POSTed whole to /store, parsed by the server."""
    for path in _files(project):
        if path.suffix == ".trig":
            _put(f"{server_url}/store", path.read_bytes(), "application/trig", method="POST")
        else:
            name = urllib.parse.urlencode({"graph": f"file://{path}"})
            _put(f"{server_url}/store?{name}", path.read_bytes(), "text/turtle", method="POST")


def write_nquads(project: Path, folder: Path) -> Path:
    """The corpus as one N-Quads file per source file, for Virtuoso's bulk loader."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(_files(project)):
        default = ox.NamedNode(f"file://{path}")
        quads = [q if isinstance(q.graph_name, ox.NamedNode) else ox.Quad(q.subject, q.predicate, q.object, default)
                 for q in ox.parse(path=str(path), format=_format(path))]
        (folder / f"{n:05d}.nq").write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return folder


def virtuoso_bulk(server, folder: Path) -> None:
    """Virtuoso's own bulk loader, through isql: ld_dir, rdf_loader_run, checkpoint."""
    import subprocess

    from servers import ISQL

    script = f"ld_dir('{folder}', '*.nq', 'urn:kgraph:bulk-default'); rdf_loader_run(); checkpoint;"
    done = subprocess.run([ISQL, f"127.0.0.1:{server.sql_port}", "dba", "dba", f"exec={script}"],
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0 or "Error" in done.stdout:
        raise RuntimeError(f"Virtuoso's bulk loader failed: {done.stdout} {done.stderr}")


def kgraph_load(project: Path, query_url: str) -> int:
    from kgraph.project import find_project
    from kgraph.stores.remote import RemoteBackend

    report = RemoteBackend(find_project(project), query_url, timeout=600).load()
    return len(report.loaded)


def _gsp(server) -> str:
    return f"{server.url}/sparql-graph-crud" if server.engine == "virtuoso" else f"{server.url}/store"


def timed(engine: str, work, folder: Path) -> float:
    """Seconds of ``work(server)`` on a fresh server (start-up not counted)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    server = start(engine, folder)
    try:
        began = time.perf_counter()
        work(server)
        return time.perf_counter() - began
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="where the corpus is generated (and reused)")
    parser.add_argument("--engines", nargs="+", default=["oxigraph", "virtuoso"])
    args = parser.parse_args()

    from benchmarks.__main__ import prepare_corpus

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kgraph-server-bench-"))
    project = prepare_corpus(args.triples, workdir)
    rows = []
    for engine in args.engines:
        if engine == "virtuoso" and not virtuoso_available():
            print("virtuoso: not installed, skipped", file=sys.stderr)
            continue
        times: dict[str, list[float]] = {"kgraph": [], "raw": [], "bulk": []}
        for run in range(args.runs):
            base = workdir / f"{engine}-{run}"
            times["raw"].append(timed(engine, lambda s: raw_upload(project, _gsp(s)), base / "raw"))
            times["kgraph"].append(timed(engine, lambda s: kgraph_load(project, s.query_url), base / "kgraph"))
            if engine == "oxigraph":
                times["bulk"].append(timed(engine, lambda s: bulk_upload(project, s.url), base / "bulk"))
            else:  # the files must lie in a folder the server may read: its own
                nquads = write_nquads(project, base / "bulk" / "nquads")
                times["bulk"].append(timed(engine, lambda s: virtuoso_bulk(s, nquads), base / "bulk"))
            print(engine, run, {k: round(v[-1], 2) for k, v in times.items() if v}, file=sys.stderr)
        kgraph, raw = statistics.median(times["kgraph"]), statistics.median(times["raw"])
        bulk = statistics.median(times["bulk"]) if times["bulk"] else None
        rows.append((engine, kgraph, raw, bulk))
    print(f"Corpus: {args.triples:,} triples, {len(_files(project))} files; median of {args.runs} runs, "
          "each on a fresh server.\n")
    print("| engine | kgraph load s | raw PUT per graph s | kgraph / raw | server's bulk path s | kgraph / bulk |")
    print("|---|---|---|---|---|---|")
    for engine, kgraph, raw, bulk in rows:
        extra = f"{bulk:.1f} | {kgraph / bulk:.2f}" if bulk else " | "
        print(f"| {engine} | {kgraph:.1f} | {raw:.1f} | {kgraph / raw:.2f} | {extra} |")


if __name__ == "__main__":
    main()
