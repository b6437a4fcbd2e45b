"""The web view of a large network: 5,000 nodes and 20,000 ties of a network
from the synthetic corpus (its most connected nodes, and a seeded sample of
the ties among them; by default the signed actor network of a 1.1M-triple
corpus, the smallest whose actors number over 5,000).

Measured: the page's size, the time to write it (measures, layout, profiles,
HTML) against the time to build the network itself (the baseline, same
process), the first render in headless Chromium (from navigation to the
drawn figure), and how long a search takes to paint the profile, and then to
highlight the node as well. A screenshot of the page is written on request.

Usage: python -m benchmarks.view [--triples 1100000] [--corpus DIR] [--network signed] [--nodes 5000] [--edges 20000]
       [--chromium /usr/bin/chromium] [-o FILE] [--screenshot FILE]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_100_000)
    parser.add_argument("--network", default="signed")
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--chromium", default=os.environ.get("KGRAPH_CHROMIUM") or "/usr/bin/chromium")
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()

    import networkx as nx

    from benchmarks.generate import generate
    from kgraph.networks.context import ProjectionContext
    from kgraph.networks.projections import network
    from kgraph.project import find_project, load_project
    from kgraph.view.data import gather
    from kgraph.view.page import page_html

    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="kgraph-view-"))
    if not (corpus / "data").is_dir():
        generate(corpus, args.triples, violation_every=0)
    for folder in ("ontology", "queries"):
        if not (corpus / folder).exists():
            shutil.copytree(ROOT / folder, corpus / folder)
    graph = load_project(None, find_project(corpus))
    start = time.perf_counter()
    context = ProjectionContext(graph, "person", None, None)
    G = network(args.network, graph, context=context)
    built = time.perf_counter() - start
    top = sorted(G, key=lambda n: (-G.degree(n), n))[: args.nodes]
    H = G.subgraph(top).copy()
    ties = sorted(H.edges())
    if len(ties) > args.edges:  # a sample spread over the network, the same in every run
        kept = set(random.Random(7).sample(ties, args.edges))
        H.remove_edges_from([t for t in ties if t not in kept])
    H.graph.update(G.graph)
    start = time.perf_counter()
    data = gather(graph, [(args.network, H)], context=context)
    html = page_html(data, title=f"{args.network} network, {len(H):,} nodes")
    page = Path(tempfile.mkdtemp(prefix="kgraph-page-")) / "view.html"
    page.write_text(html, encoding="utf-8")
    written = time.perf_counter() - start

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-quic"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1300})
        requests = []
        tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                  else (requests.append(r.request.url), r.abort()))
        tab.goto(page.as_uri())
        tab.wait_for_function("() => window.Bokeh && Bokeh.documents.length > 0 && "
                              f"Bokeh.documents[0].get_model_by_name('nodes-{args.network}') !== null", timeout=60_000)
        # the figure is painted on the next animation frames once its models are in place
        tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        rendered = tab.evaluate("() => performance.now()") / 1000
        name = data.profiles[top[0]]["label"]
        # the time from setting the search box to the frame that paints the profile (callbacks run
        # asynchronously), then to the frame after the found node is highlighted in the figure
        searched, highlighted = tab.evaluate(f"""() => new Promise((resolve, reject) => {{
            const search = Bokeh.documents[0].get_model_by_name('search');
            const profile = Bokeh.documents[0].get_model_by_name('profile');
            const nodes = Bokeh.documents[0].get_model_by_name('nodes-{args.network}');
            const t = performance.now();
            let shown = null, asked = false;
            search.value = {name!r};
            const poll = () => {{
                if (!asked && profile.text.includes({name!r})) {{
                    asked = true;
                    requestAnimationFrame(() => {{ shown = performance.now() - t; }});
                }}
                if (shown !== null && nodes.selected.indices.length > 0)
                    return requestAnimationFrame(() => resolve([shown, performance.now() - t]));
                if (performance.now() - t > 10000) return reject(new Error('no profile'));
                setTimeout(poll, 1);
            }};
            poll(); }})""")
        if args.screenshot:
            tab.screenshot(path=str(args.screenshot))
        browser.close()
    size = page.stat().st_size
    lines = [f"# The web view of a large network ({time.strftime('%Y-%m-%d')})", "",
             f"Python {platform.python_version()}, {os.cpu_count()} CPUs, Chromium headless. "
             f"`python -m benchmarks.view --triples {args.triples} --network {args.network} --nodes {args.nodes} "
             f"--edges {args.edges}`.", "",
             "| measure | value | target |", "|---|---|---|",
             f"| network | {len(H):,} nodes, {H.number_of_edges():,} ties (of the {args.network} network's {len(G):,} nodes "
             f"and {G.number_of_edges():,} ties) | 5,000 / 20,000 |",
             f"| page | {size / 1e6:.1f} MB | <= 10 MB |",
             f"| written (measures, layout, profiles, HTML) | {written:.2f} s; building the network itself took {built:.2f} s | <= 5 s |",
             f"| first render in headless Chromium | {rendered:.2f} s from navigation | <= 3 s |",
             f"| search to profile | {searched:.0f} ms to the frame that paints it; {highlighted:.0f} ms until the "
             "node is highlighted in the figure too | <= 200 ms |",
             f"| network requests | {len(requests)} | 0 |", ""]
    report = "\n".join(lines)
    print(report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
