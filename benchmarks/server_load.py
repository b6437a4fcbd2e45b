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

It also times each server's own bulk paths. Over HTTP: for Oxigraph each
TriG file POSTed whole to ``/store`` (the server parses it); for Virtuoso
its Graph Store Protocol endpoint, which is what the raw run uses. Its bulk
loader, on the same quads written as N-Quads beforehand (not timed):
``oxigraph load`` into an empty store with the server stopped; Virtuoso's
``ld_dir`` + ``rdf_loader_run`` + ``checkpoint`` through ``isql``. Prints
medians and the ratios of kgraph to each, as a Markdown table.

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


def oxigraph_cli_load(nquads: Path, location: Path) -> float:
    """Seconds of Oxigraph's own bulk loader (``oxigraph load``, the server
    stopped) on the same quads as N-Quads, into an empty store."""
    import shutil
    import subprocess

    from servers import OXIGRAPH

    shutil.rmtree(location, ignore_errors=True)
    files = sorted(str(p) for p in nquads.glob("*.nq"))
    began = time.perf_counter()
    done = subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", *files],
                          capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"oxigraph load failed: {done.stderr[-2000:]}")
    return seconds


def kgraph_load(project: Path, query_url: str) -> int:
    from kgraph.project import find_project
    from kgraph.stores.remote import RemoteBackend

    report = RemoteBackend(find_project(project), query_url, timeout=600).load()
    return len(report.loaded)


def _gsp(server) -> str:
    return f"{server.url}/sparql-graph-crud" if server.engine == "virtuoso" else f"{server.url}/store"


def timed(engine: str, work, folder: Path) -> float:
    """Seconds of ``work(server)`` on a fresh server (start-up not counted):
    a database left in ``folder`` by an earlier run is removed first (the
    ``nquads`` folder the bulk loader reads stays)."""
    import shutil

    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.is_dir():
        for old in folder.iterdir():
            if old.name != "nquads":
                shutil.rmtree(old) if old.is_dir() else old.unlink()
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
        times: dict[str, list[float]] = {"kgraph": [], "raw": [], "bulk": [], "loader": []}
        for run in range(args.runs):
            base = workdir / f"{engine}-{run}"
            times["raw"].append(timed(engine, lambda s: raw_upload(project, _gsp(s)), base / "raw"))
            times["kgraph"].append(timed(engine, lambda s: kgraph_load(project, s.query_url), base / "kgraph"))
            if engine == "oxigraph":
                times["bulk"].append(timed(engine, lambda s: bulk_upload(project, s.url), base / "bulk"))
                nquads = write_nquads(project, base / "loader" / "nquads")
                times["loader"].append(oxigraph_cli_load(nquads, base / "loader" / "store"))
            else:  # the files must lie in a folder the server may read: its own
                # Virtuoso's HTTP bulk upload is its Graph Store Protocol endpoint: the raw run
                times["bulk"].append(times["raw"][-1])
                nquads = write_nquads(project, base / "loader" / "nquads")
                times["loader"].append(timed(engine, lambda s: virtuoso_bulk(s, nquads), base / "loader"))
            print(engine, run, {k: round(v[-1], 2) for k, v in times.items() if v}, file=sys.stderr)
        rows.append((engine, *(statistics.median(times[k]) for k in ("kgraph", "raw", "bulk", "loader"))))
    print(f"Corpus: {args.triples:,} triples, {len(_files(project))} files; median of {args.runs} runs, "
          "each on a fresh server.\n")
    print("| engine | kgraph load s | raw PUT per graph s | kgraph / raw | server's HTTP bulk upload s "
          "| kgraph / HTTP bulk | server's bulk loader s | kgraph / bulk loader |")
    print("|---|---|---|---|---|---|---|---|")
    for engine, kgraph, raw, bulk, loader in rows:
        print(f"| {engine} | {kgraph:.1f} | {raw:.1f} | {kgraph / raw:.2f} | {bulk:.1f} | {kgraph / bulk:.2f} "
              f"| {loader:.1f} | {kgraph / loader:.2f} |")


if __name__ == "__main__":
    main()
