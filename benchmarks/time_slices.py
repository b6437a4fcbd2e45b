"""Many articles over time: time slices, windows, batch drafting and import.

On a synthetic corpus (benchmarks.generate: articles over three years,
dated statements, tenures that end), in one run:

- **as-of**: each network built and analysed as of the corpus's middle day,
  against the same without a slice (the baseline, same process);
- **windows**: the stance network in 12 monthly windows (one query, twelve
  slices), built, and built and analysed;
- **filter forms**: the saved ``stances`` query with ``asOf``, as shipped
  (one FILTER on the date the query has already bound), against the same
  text with the filter moved into the group that binds the statement's
  date, on the raw engine: Oxigraph evaluates a FILTER where it is written;
- **draft**: ``kgraph draft`` over 1,000 of the corpus's texts in one run of
  the command, whole process;
- **import**: ``kgraph import`` of 100,000 template rows (the corpus's own
  statements, by the registry's names) into a project holding the
  corpus's registry, whole process.

Usage: python -m benchmarks.time_slices [--triples 1000000] [--corpus DIR] [--texts 1000] [--rows 100000] [-o FILE]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(function):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def _kgraph(*args: str, cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kgraph", *args], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"kgraph {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def _import_rows(corpus: Path, rows: int, out: Path) -> int:
    """A template CSV of the corpus's own statements, by the registry's names."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in sorted((corpus / "data").rglob("*.t*")):
        if path.suffix in (".ttl", ".trig"):
            store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE,
                            to_graph=None if path.suffix == ".trig" else ox.NamedNode(f"file:{path.name}"))
    query = """
    PREFIX kg: <https://w3id.org/kgraph/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?date ?speaker ?quote ?type ?statement ?file ?published WHERE {
      ?stance kg:expressedIn ?statement ; kg:stanceType ?t .
      BIND(REPLACE(STRAFTER(STR(?t), "#"), "^Deny$", "Reject") AS ?type)  # a denial targets a claim, not an issue
      ?statement kg:speaker/rdfs:label ?speaker ; kg:quote ?quote ; kg:evidence/prov:wasQuotedFrom ?source .
      ?source kg:textFile ?file ; dcterms:issued ?published .
      OPTIONAL { ?statement kg:date ?date }
    }"""
    # every statement's stance is coded on an issue of the registry, as a DNA concept would be
    issues = sorted(row["label"].value for row in store.query(
        "SELECT ?label WHERE { ?i a <https://w3id.org/kgraph/ontology#Issue> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label }", use_default_graph_as_union=True))
    written = 0
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "speaker", "quote", "stance", "target", "source_url", "published", "text_file"])
        rounds = 0
        while written < rows:
            before = written
            rounds += 1
            for row in store.query(query, use_default_graph_as_union=True):
                file = row["file"].value
                writer.writerow([row["date"].value if row["date"] else "", row["speaker"].value, row["quote"].value,
                                 row["type"].value, issues[zlib.crc32(row["statement"].value.encode()) % len(issues)],
                                 f"https://news.example/{Path(file).stem}-{rounds}",
                                 row["published"].value, f"corpus/{file}"])
                written += 1
                if written >= rows:
                    break
            if written == before:
                raise SystemExit("the corpus has no statement on an issue to import")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path, help="a corpus folder to reuse or create")
    parser.add_argument("--texts", type=int, default=1000, help="texts for the batch draft")
    parser.add_argument("--rows", type=int, default=100_000, help="rows for the import")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each as-of pair (median)")
    parser.add_argument("--parts", default="asof,windows,filters,draft,import",
                        help="which measurements to make, comma-separated (default: all)")
    parser.add_argument("-o", "--output", type=Path, help="write the results (Markdown) here")
    args = parser.parse_args()

    import pyoxigraph as ox

    from benchmarks.generate import generate
    from kgraph.networks.analysis import analyze
    from kgraph.networks.projections import PROJECTIONS, network, series
    from kgraph.project import find_project, load_project
    from kgraph.sparql.params import prepare
    from kgraph.sparql.saved import find_query

    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="kgraph-dated-"))
    if not (corpus / "data").is_dir():
        generate(corpus, args.triples, violation_every=0)
    for folder in ("ontology", "queries"):
        if not (corpus / folder).exists():
            shutil.copytree(ROOT / folder, corpus / folder)
    project = find_project(corpus)
    graph = load_project(None, project)
    dates = sorted(row["d"].value for row in graph.query(
        "SELECT DISTINCT ?d WHERE { ?s <http://purl.org/dc/terms/issued> ?d }"))
    middle = dates[len(dates) // 2]
    lines = [f"# Time slices, windows, batch drafting and import ({time.strftime('%Y-%m-%d')})", "",
             f"Python {platform.python_version()}, {os.cpu_count()} CPUs. Corpus: {len(graph):,} quads "
             f"(`benchmarks.generate --triples {args.triples}`), published {dates[0]} to {dates[-1]}. "
             f"`python -m benchmarks.time_slices --triples {args.triples} --texts {args.texts} --rows {args.rows}`.",
             ""]
    parts = set(args.parts.split(","))
    if "asof" in parts:
        lines += [f"## As of {middle}: network and analysis, against the same without a slice", "",
                  f"Each projection built from the loaded graph and analysed, with and without `as_of`, "
                  f"interleaved, median of {args.repeat}.", "",
                  "| network | nodes (slice / all) | ties (slice / all) | all, s | as of, s | ratio | left out (undated / later) |",
                  "|---|---|---|---|---|---|---|"]
    for name in (PROJECTIONS if "asof" in parts else ()):
        wholes, slices = [], []
        for _ in range(args.repeat):  # interleaved, the median of each
            seconds, G = _timed(lambda: network(name, graph, project=project))
            # the slice is measured as the whole graph is (sampled above 2000 nodes), not exactly
            # because it is smaller: the same work on less data
            limit = 2000 if len(G) <= 2000 else 0
            seconds += _timed(lambda: analyze(G, exact_limit=limit))[0]
            wholes.append(seconds)
            seconds, H = _timed(lambda: network(name, graph, project=project, as_of=middle))
            seconds += _timed(lambda: analyze(H, exact_limit=limit))[0]
            slices.append(seconds)
        whole_s, slice_s = statistics.median(wholes), statistics.median(slices)
        lines.append(f"| {name} | {len(H):,} / {len(G):,} | {H.number_of_edges():,} / {G.number_of_edges():,} "
                     f"| {whole_s:.2f} | {slice_s:.2f} | {slice_s / whole_s:.2f}x "
                     f"| {H.graph['left_out_undated']:,} / {H.graph['left_out_outside']:,} |")
        print(lines[-1], flush=True)

    if "windows" in parts:
        first = dates[len(dates) // 3]
        built_s, graphs = _timed(lambda: series("stance", graph, window="1M", start=first, end=_months_later(first, 12)))
        measured_s, _ = _timed(lambda: [analyze(G) for G in graphs])
        lines += ["", "## Twelve monthly windows of the stance network", "",
                  f"From {graphs[0].graph['start']} to {graphs[-1].graph['end']}: built in {built_s:.2f} s "
                  f"(one query, {len(graphs)} slices), analysed in {measured_s:.2f} s more; "
                  f"{built_s + measured_s:.2f} s in all (target <= 30 s). Ties per window: "
                  + ", ".join(f"{G.number_of_edges():,}" for G in graphs) + "."]
        print(lines[-1], flush=True)

    if "filters" in parts:
        saved = find_query("stances")
        shipped = prepare(saved.text, {"asOf": ox.Literal(middle, datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#date"))})
        pushed_text = saved.text.replace(
            "  OPTIONAL { ?statement kg:date ?date }\n",
            "  OPTIONAL { ?statement kg:date ?date }\n"
            "  FILTER(!BOUND(?asOf) || !BOUND(?date) || STR(?date) <= STR(?asOf))\n", 1)
        pushed = prepare(pushed_text, {"asOf": ox.Literal(middle, datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#date"))})
        whole_q, rows_all = _timed(lambda: len(list(graph.query(saved.text))))
        shipped_q, rows_shipped = _timed(lambda: len(list(graph.query(shipped))))
        pushed_q, rows_pushed = _timed(lambda: len(list(graph.query(pushed))))
        lines += ["", "## The saved `stances` query with `asOf`: where the filter goes", "",
                  "| form | rows | s | x no filter |", "|---|---|---|---|",
                  f"| no `asOf` | {rows_all:,} | {whole_q:.2f} | 1.00x |",
                  f"| as shipped: one FILTER on the bound dates | {rows_shipped:,} | {shipped_q:.2f} | {shipped_q / whole_q:.2f}x |",
                  f"| plus a FILTER where the statement's date is bound | {rows_pushed:,} | {pushed_q:.2f} | {pushed_q / whole_q:.2f}x |"]
        print("\n".join(lines[-5:]), flush=True)

    scratch = Path(tempfile.mkdtemp(prefix="kgraph-batch-"))
    if "draft" in parts:
        texts = scratch / "texts"
        texts.mkdir()
        for path in sorted((corpus / "data" / "sources").glob("*.txt"))[: args.texts]:
            shutil.copy(path, texts / path.name)
        shutil.rmtree(corpus / "drafts", ignore_errors=True)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in texts.glob("*.txt"))
        draft_s = _kgraph("draft", str(texts), cwd=corpus)
        shutil.rmtree(corpus / "drafts", ignore_errors=True)
        lines += ["", "## `kgraph draft` over a folder", "",
                  f"{args.texts:,} texts ({chars:,} characters) in one run of the command: {draft_s:.1f} s "
                  f"({draft_s / args.texts * 1000:.0f} ms a text; target <= 10 minutes)."]
        print(lines[-1], flush=True)

    if "import" in parts:
        target = scratch / "import"
        for folder in ("ontology", "queries"):
            shutil.copytree(ROOT / folder, target / folder)
        shutil.copytree(corpus / "data" / "registry", target / "data" / "registry")
        (scratch / "corpus").symlink_to(corpus)
        sheet = scratch / "statements.csv"
        written = _import_rows(corpus, args.rows, sheet)
        import_s = _kgraph("--project", str(target), "import", str(sheet), cwd=scratch)
        articles = len(list((target / "data" / "articles").glob("*.trig")))
        lines += ["", "## `kgraph import` of a spreadsheet", "",
                  f"{written:,} template rows ({sheet.stat().st_size / 1e6:.1f} MB), {articles:,} articles written, "
                  f"validated first: {import_s:.1f} s whole process (target <= 60 s)."]
        print(lines[-1], flush=True)
    shutil.rmtree(scratch, ignore_errors=True)
    report = "\n".join(lines) + "\n"
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 0


def _months_later(day: str, months: int) -> str:
    import datetime

    from dateutil.relativedelta import relativedelta

    return (datetime.date.fromisoformat(day) + relativedelta(months=months, days=-1)).isoformat()


if __name__ == "__main__":
    raise SystemExit(main())
