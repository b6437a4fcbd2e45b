"""Whole commands, as a user runs them, against minimal raw scripts on the same files.

    python -m benchmarks.whole_process --corpus DIR [--repeat 3] [-o benchmarks/RESULTS-process.md]

Each measurement is a fresh process, timed from outside (wall and CPU
seconds, peak RSS from ``wait4``); each kgraph command runs in turn with its
raw counterpart (interleaved pairs), and the table gives medians and the
ratio kgraph / raw.

* **cache, in memory** (``KGRAPH_CACHE=memory``, the default below 5M
  triples): the project cache is up to date, the files are loaded without a
  second parse. The raw script loads every file into an in-memory
  pyoxigraph store (``Store.load``) and runs the same query text (the saved
  query with its parameters bound as kgraph binds them), writing CSV with
  the engine's serializer.
* **cache, on disk** (``KGRAPH_CACHE=disk``): the raw script opens the same
  on-disk pyoxigraph store read-only and runs the same text.
* **--no-cache**: every file parsed strictly, then loaded; raw as in memory.
* **validate**: ``kgraph validate`` with and without the cache.
* **cache build**: ``kgraph cache update`` after ``kgraph cache clear``;
  raw: every file loaded into memory, then one ``Store.bulk_load`` of it
  into a new on-disk store (what the cache does, without the strict parse).
* **analyze**: ``kgraph analyze NETWORK --format csv``, whole process, warm.

DIR is a corpus from ``benchmarks.generate`` with the project's ontology and
queries copied in (``python -m benchmarks`` prepares one).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARAMS = {"actor-profile": {"actor": "Polity 0"}}

RAW_WARM = """
import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
result = store.query(open(sys.argv[2], encoding="utf-8").read(), use_default_graph_as_union=True)
sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.CSV))
"""

RAW_COLD = """
import os, sys, pyoxigraph as ox
store = ox.Store()
data = sys.argv[1]
for top, dirs, names in os.walk(data):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for name in sorted(names):
        path = os.path.join(top, name)
        if name.endswith(".trig"):
            store.load(path=path)
        elif name.endswith(".ttl"):
            store.load(path=path, to_graph=ox.NamedNode("file://" + path))
for name in os.listdir(sys.argv[3]):
    if name.endswith(".ttl") and name != "shapes.ttl":
        store.load(path=os.path.join(sys.argv[3], name), to_graph=ox.NamedNode("file://" + name))
result = store.query(open(sys.argv[2], encoding="utf-8").read(), use_default_graph_as_union=True)
sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.CSV))
"""

RAW_BUILD = """
import os, sys, pyoxigraph as ox
memory = ox.Store()
for top, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in names:
        path = os.path.join(top, name)
        if name.endswith(".trig"):
            memory.load(path=path)
        elif name.endswith(".ttl"):
            memory.load(path=path, to_graph=ox.NamedNode("file://" + path))
store = ox.Store(sys.argv[2])
store.bulk_load(memory.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
store.flush()
"""


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None) -> dict:
    """Run ``command`` to the end; wall and CPU seconds and peak RSS (bytes)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    err = child.stderr.read().decode() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}): {err[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024}


def pairs(ours: list[str], raw: list[str] | None, repeat: int, before=None, env: dict | None = None) -> dict:
    """Run ``ours`` (with ``env`` added) and ``raw`` in turn ``repeat`` times; medians of each."""
    runs: dict[str, list[dict]] = {"kgraph": [], "raw": []}
    for _ in range(repeat):
        for name, command in (("kgraph", ours), ("raw", raw)):
            if command is None:
                continue
            if before:
                before(name)
            runs[name].append(timed(command, env={**os.environ, **(env or {})} if name == "kgraph" else None))
    out = {}
    for name, samples in runs.items():
        if samples:
            out[name] = {key: statistics.median(s[key] for s in samples) for key in ("wall", "cpu")}
            out[name]["rss"] = max(s["rss"] for s in samples)
    return out


def query_texts(corpus: Path, folder: Path) -> dict[str, Path]:
    """Each saved query's text with its parameters bound, as kgraph binds them.

    Worked out in a child process: Linux keeps a process's peak RSS across
    fork and exec, so a graph loaded here would show in every command's peak."""
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from kgraph.project import find_project\n"
        "from kgraph.sparql.params import bind_parameters, prepare\n"
        "from kgraph.sparql.saved import read_queries\n"
        "project = find_project(sys.argv[1]); graph = project.load(cache=True)\n"
        "params = json.loads(sys.argv[3]); names = []\n"
        "for saved in read_queries(project.queries_dir):\n"
        "    text = prepare(saved.text, bind_parameters(saved, params.get(saved.name), graph))\n"
        "    (Path(sys.argv[2]) / f'{saved.name}.rq').write_text(text, encoding='utf-8'); names.append(saved.name)\n"
        "print(json.dumps(names))\n"
    )
    import json

    done = subprocess.run([sys.executable, "-c", script, str(corpus), str(folder), json.dumps(PARAMS)],
                          capture_output=True, text=True, check=True)
    return {name: folder / f"{name}.rq" for name in json.loads(done.stdout)}


def measure(corpus: Path, repeat: int, parts: set[str], only: set[str] | None = None) -> list[tuple]:
    kgraph = [sys.executable, "-m", "kgraph", "--project", str(corpus), "--time-limit", "0"]
    work = Path(tempfile.mkdtemp(prefix="kgraph-process-"))
    rows = _Rows()
    store = corpus / ".kgraph" / "cache" / "store"

    def clear(name):
        if name == "kgraph":
            subprocess.run(kgraph + ["cache", "clear"], check=True, capture_output=True)
        else:
            shutil.rmtree(work / "raw-store", ignore_errors=True)

    if "build" in parts:
        result = pairs(kgraph + ["cache", "update"],
                       [sys.executable, "-c", RAW_BUILD, str(corpus / "data"), str(work / "raw-store")], 1, clear)
        rows.append(("cache build (first command)", result))
    subprocess.run(kgraph + ["cache", "update"], check=True, capture_output=True)
    texts = query_texts(corpus, work)
    names = sorted(n for n in texts if not only or n in only)
    for name in names:
        args = ["query", name, "--format", "csv"] + [f"--param={k}={v}" for k, v in PARAMS.get(name, {}).items()]
        cold_raw = [sys.executable, "-c", RAW_COLD, str(corpus / "data"), str(texts[name]), str(corpus / "ontology")]
        if "warm" in parts:
            rows.append((f"query {name} (cache, in memory)", pairs(kgraph + args, cold_raw, repeat,
                                                                   env={"KGRAPH_CACHE": "memory"})))
        if "disk" in parts:
            rows.append((f"query {name} (cache, on disk)",
                         pairs(kgraph + args, [sys.executable, "-c", RAW_WARM, str(store), str(texts[name])], repeat,
                               env={"KGRAPH_CACHE": "disk"})))
        if "cold" in parts:
            rows.append((f"query {name} (--no-cache)", pairs(kgraph + ["--no-cache"] + args, cold_raw,
                                                            max(1, repeat // 2))))
    if "validate" in parts:
        rows.append(("validate (cache)", pairs(kgraph + ["validate", "--format", "json"], None, 1)))
        rows.append(("validate (--no-cache)", pairs(kgraph + ["--no-cache", "validate", "--format", "json"], None, 1)))
    if "analyze" in parts:
        from kgraph.networks.projections import PROJECTIONS

        for network in PROJECTIONS:
            rows.append((f"analyze {network} --format csv (warm)",
                         pairs(kgraph + ["analyze", network, "--format", "csv"], None, 1)))
    shutil.rmtree(work, ignore_errors=True)
    return rows


class _Rows(list):
    """The rows measured so far, each also printed to stderr as it comes."""

    def append(self, row) -> None:
        name, result = row
        raw = result.get("raw")
        print(f"{name}: kgraph {result['kgraph']['wall']:.2f} s" + (f", raw {raw['wall']:.2f} s" if raw else ""),
              file=sys.stderr, flush=True)
        super().append(row)


def table(rows: list[tuple], corpus: Path, repeat: int) -> str:
    import platform

    import pyoxigraph

    from kgraph.project import find_project

    graph = find_project(corpus).load(cache=True)
    triples = graph.data_triples
    lines = [
        f"### Whole process, {triples:,} data triples ({len(graph.data_graphs):,} graphs)", "",
        f"`python -m benchmarks.whole_process --corpus C --repeat {repeat}`; machine {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}. "
        "Medians of interleaved runs; ratio = kgraph / raw (wall).", "",
        "| command | kgraph wall s | kgraph CPU s | raw wall s | raw CPU s | ratio | peak RSS MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, result in rows:
        ours, raw = result["kgraph"], result.get("raw")
        ratio = f"{ours['wall'] / raw['wall']:.2f}x" if raw else ""
        raw_wall = f"{raw['wall']:.2f}" if raw else ""
        raw_cpu = f"{raw['cpu']:.2f}" if raw else ""
        lines.append(f"| {name} | {ours['wall']:.2f} | {ours['cpu']:.2f} | {raw_wall} | {raw_cpu} | {ratio} | "
                     f"{ours['rss'] / 2**20:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--parts", default="build,warm,disk,cold,validate,analyze",
                        help="comma-separated: build, warm, disk, cold, validate, analyze")
    parser.add_argument("--queries", help="comma-separated saved queries to measure (default: all)")
    parser.add_argument("-o", "--output", type=Path, help="append the table to this file")
    args = parser.parse_args()
    rows = measure(args.corpus.resolve(), args.repeat, set(args.parts.split(",")),
                   set(args.queries.split(",")) if args.queries else None)
    text = table(rows, args.corpus.resolve(), args.repeat)
    print(text)
    if args.output:
        with open(args.output, "a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
