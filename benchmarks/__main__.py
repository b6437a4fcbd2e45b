"""One command for every benchmark: `python -m benchmarks [--sizes 10000 100000 1000000]`.

For each size it generates a synthetic corpus (benchmarks.generate), then, in
a fresh process per size (so peak memory is that size's), measures kgraph and
the raw engine on the same files in the same run, and writes
benchmarks/RESULTS.md: machine, versions, medians, ratios and peak RSS.

`--quick` (used by CI's smoke run) measures only the 10k corpus, once each,
and writes nowhere.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "load": "<= 1.5x raw pyoxigraph",
    "query": "<= 1 s warm and <= 1.5x raw pyoxigraph",
    "validate": ">= 10x faster than plain pyshacl, identical violations",
    "changed": "<= 2 s",
    "network": "<= 10 s each",
    "memory": "<= 2 GiB",
    "help": "<= 0.3 s",
}


def median_time(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(corpus: Path, runs: int, pyshacl_too: bool) -> dict:
    """Every measurement on one corpus, in this process."""
    import pyoxigraph as ox

    from kgraph.networks.analysis import analyze
    from kgraph.networks.export import export
    from kgraph.rdf.load import load
    from kgraph.networks.projections import PROJECTIONS, network
    from kgraph.project import find_project
    from kgraph.sparql.saved import read_queries
    from kgraph.sparql.run import run_query
    from kgraph.stores.disk import DiskBackend
    from kgraph.project import load_project
    from kgraph.validation.run import validate

    project = find_project(corpus)
    files = sorted(p for p in (corpus / "data").rglob("*") if p.suffix in (".ttl", ".trig"))
    rows: dict[str, dict] = {}

    def raw_load():
        store = ox.Store()
        for f in files:
            store.load(path=str(f))
        return store

    raw = median_time(raw_load, runs)
    ours = median_time(lambda: load([corpus / "data"], data_dir=corpus / "data"), runs)
    rows["load into memory"] = {"kgraph": ours, "raw": raw, "target": "load"}

    def raw_disk():
        folder = tempfile.mkdtemp(dir=corpus)
        store = ox.Store(folder)
        for f in files:
            store.load(path=str(f))
        del store
        shutil.rmtree(folder)

    def our_disk():
        folder = tempfile.mkdtemp(dir=corpus)
        backend = DiskBackend(project, folder)
        backend.load()
        backend.close()
        shutil.rmtree(folder)

    rows["load into the on-disk store"] = {"kgraph": median_time(our_disk, 1), "raw": median_time(raw_disk, 1), "target": "load"}

    dataset = load_project(None, project)
    params = {"actor-profile": {"actor": "Polity 0"}}
    for saved in read_queries(project.queries_dir):
        run_query(dataset, saved, params.get(saved.name))  # warm up
        ours = median_time(lambda: run_query(dataset, saved, params.get(saved.name)), runs)
        from kgraph.sparql.params import bind_parameters
        from kgraph.sparql.params import prepare

        text = prepare(saved.text, bind_parameters(saved, params.get(saved.name), dataset))
        raw = median_time(lambda: list(dataset.dataset.store.query(text, use_default_graph_as_union=True)), runs)
        rows[f"query {saved.name}"] = {"kgraph": ours, "raw": raw, "target": "query"}

    planted = {(p["focus"], p["source"]) for p in json.loads((corpus / "planted.json").read_text())}
    start = time.perf_counter()
    report = validate(project=project)
    ours = time.perf_counter() - start
    found = {(v.focus.strip("<>"), v.source.strip("<>").rsplit("#", 1)[-1].removeprefix("check:")) for v in report.violations}
    row = {"kgraph": ours, "target": "validate", "note": f"{len(found)} results, planted {len(planted)}, equal: {found == planted}"}
    rows["_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kgraph's own peak, before pySHACL runs
    if pyshacl_too:
        row["raw"] = _plain_pyshacl(corpus)
        reference = validate(project=project, engine="pyshacl")
        same = sorted((v.focus, v.source, v.path, v.value) for v in reference.violations if not (v.source or "").startswith("check:")) == \
            sorted((v.focus, v.source, v.path, v.value) for v in report.violations if not (v.source or "").startswith("check:"))
        row["note"] += f"; SHACL results identical to pySHACL: {same}"
    rows["full validation"] = row

    rows["validate --changed-since (one article)"] = {"kgraph": _changed_since(corpus, runs), "target": "changed"}

    for name in PROJECTIONS:
        def build_and_measure():
            analyze(network(name, dataset, project=project))

        rows[f"network {name} + analysis"] = {"kgraph": median_time(build_and_measure, 1), "target": "network"}
    out = Path(tempfile.mkdtemp(dir=corpus))
    for name, suffix in (("mediation", ".gexf"), ("stance", ".gexf"), ("stance", ".graphml"), ("claims", ".csv")):
        G = network(name, dataset, project=project)
        rows[f"export {name}{suffix}"] = {"kgraph": median_time(lambda: export(G, out / f"{name}{suffix}"), 1), "target": "network"}
    rows["kgraph --help"] = {"kgraph": median_time(lambda: subprocess.run([sys.executable, "-m", "kgraph.cli", "--help"], capture_output=True), max(runs, 3)),
                             "raw": median_time(lambda: subprocess.run([sys.executable, "-c", "pass"]), max(runs, 3)), "target": "help"}
    peak = rows.pop("_peak")
    return {"quads": len(dataset), "rows": rows, "peak_rss": peak}


def _plain_pyshacl(corpus: Path) -> float:
    """pySHACL on its own: rdflib parses the same files, then validates with the same shapes."""
    import pyshacl
    import rdflib

    start = time.perf_counter()
    graph = rdflib.Graph()
    for f in sorted((corpus / "data").rglob("*")):
        if f.suffix == ".trig":
            dataset = rdflib.Dataset()
            dataset.parse(f, format="trig")
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        elif f.suffix == ".ttl":
            graph.parse(f, format="turtle")
    for f in sorted((corpus / "ontology").glob("*.ttl")):
        if f.name != "shapes.ttl":
            graph.parse(f, format="turtle")
    shapes = rdflib.Graph().parse(corpus / "ontology" / "shapes.ttl", format="turtle")
    pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    return time.perf_counter() - start


def _changed_since(corpus: Path, runs: int) -> float:
    def git(*args):
        subprocess.run(["git", "-C", str(corpus), "-c", "user.name=b", "-c", "user.email=b@localhost", *args],
                       check=True, capture_output=True)

    if not (corpus / ".git").exists():
        git("init", "-q")
        git("add", "-A")
        git("commit", "-qm", "corpus")
    articles = sorted((corpus / "data" / "articles").glob("*.trig"))
    article = articles[len(articles) // 2]
    original = article.read_bytes()
    article.write_bytes(original.replace(b"We say that", b"We said that", 1))
    try:
        return median_time(lambda: subprocess.run([sys.executable, "-m", "kgraph.cli", "--project", str(corpus), "validate",
                                                   "--changed-since", "HEAD"], capture_output=True), runs)
    finally:
        article.write_bytes(original)


def prepare_corpus(size: int, workdir: Path) -> Path:
    from benchmarks.generate import generate

    corpus = workdir / f"corpus-{size}"
    if not (corpus / "data").is_dir():
        generate(corpus, size)
    for folder in ("ontology", "queries"):
        if (corpus / folder).exists():
            shutil.rmtree(corpus / folder)
        shutil.copytree(ROOT / folder, corpus / folder)
    return corpus


def _ratio(row: dict) -> str:
    if "raw" not in row or not row["raw"]:
        return ""
    if row["target"] == "validate":
        return f"{row['raw'] / row['kgraph']:.1f}x faster"
    return f"{row['kgraph'] / row['raw']:.2f}"


def write_results(results: dict[int, dict], path: Path, big_file: str = "", whole: str = "") -> None:
    import networkx
    import pyoxigraph
    import pyshacl
    import shacl

    lines = [
        "# Benchmark results",
        "",
        "Produced by `python -m benchmarks` (see `benchmarks/__main__.py`). Medians; `raw` is the engine under",
        "kgraph on the same files in the same run (pyoxigraph `Store.load` / `Store.query`; plain pySHACL with",
        "rdflib parsing for validation; `python -c pass` for start-up). Ratio = kgraph / raw, except validation",
        "(raw / kgraph: how many times faster).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; pyoxigraph {pyoxigraph.__version__}, pyshacl {pyshacl.__version__}, "
        f"shacl {getattr(shacl, '__version__', '?')}, networkx {networkx.__version__}.",
        "",
    ]
    for size, result in results.items():
        lines += [f"## {size:,} triples ({result['quads']:,} quads with the ontology)", "",
                  f"Peak RSS of kgraph's work (measured before the pySHACL reference runs): "
                  f"{result['peak_rss'] / 2**30:.2f} GiB (target {TARGETS['memory']})", "",
                  "| work | kgraph s | raw s | ratio | target | note |", "|---|---|---|---|---|---|"]
        for name, row in result["rows"].items():
            raw = f"{row['raw']:.3f}" if row.get("raw") else ""
            lines.append(f"| {name} | {row['kgraph']:.3f} | {raw} | {_ratio(row)} | {TARGETS[row['target']]} | {row.get('note', '')} |")
        lines.append("")
    if big_file:
        lines += ["## One file of 300 MiB (`python -m benchmarks.big_file`)", "",
                  "Each load in a fresh process; peak RSS is the whole process's.", "", "```", big_file.rstrip(), "```", ""]
    if whole:
        lines += ["## Whole process", "", whole.rstrip(), ""]
    analysis = ROOT / "benchmarks" / "analysis.md"
    if analysis.exists():
        lines += [analysis.read_text(encoding="utf-8").rstrip(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--workdir", type=Path, help="where corpora are generated (and reused)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10k only, one run, no file written (CI smoke run)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kgraph-bench-"))
    if args.one:
        corpus = prepare_corpus(args.one, workdir)
        print(json.dumps(measure(corpus, args.runs, pyshacl_too=True)))
        return
    sizes = [10_000] if args.quick else args.sizes
    results = {}
    for size in sizes:
        done = subprocess.run([sys.executable, "-m", "benchmarks", "--one", str(size), "--workdir", str(workdir),
                               "--runs", str(1 if args.quick else args.runs)], capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        results[size] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{size}: done", file=sys.stderr)
    if args.quick:
        for name, row in results[10_000]["rows"].items():
            print(f"{name}: {row['kgraph']:.3f} s {row.get('note', '')}")
        return
    big = subprocess.run([sys.executable, "-m", "benchmarks.big_file", "--mb", "300", "--file", str(workdir / "big.nt")],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    # whole commands as a user runs them, each a fresh process (benchmarks.whole_process)
    whole = "".join(subprocess.run([sys.executable, "-m", "benchmarks.whole_process", "--corpus",
                                    str(workdir / f"corpus-{size}"), "--repeat", str(args.runs)],
                                   capture_output=True, text=True, cwd=ROOT, check=True).stdout
                    for size in sizes)
    write_results(results, ROOT / "benchmarks" / "RESULTS.md", big, whole)
    print(f"wrote {ROOT / 'benchmarks' / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
