"""Where the time of the saved query `stances` goes, part by part.

Loads a corpus, then times (warm, median of 3, raw pyoxigraph over the union
of the named graphs) the query's required pattern alone and with each of its
optional parts added in turn, then the whole saved text, and that text with
the quote found by a containment join (as before stances named their quote
with kg:stanceQuote); then `reactions` and `disputed-claims` as shipped and
with the same join. The query misses the 1 s target at 1M triples on the
raw engine; this shows which parts cost what.

Usage: python -m benchmarks.profile_stances --corpus DIR
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

PREFIXES = """PREFIX kg: <https://w3id.org/kgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

REQUIRED = """?stance a kg:Stance ; kg:stanceType ?stanceType ; kg:target ?target ; kg:expressedIn ?statement .
  ?statement kg:speaker ?actor . ?stanceType kg:polarity ?polarity ."""

#: How the quote behind a stance was found before stances named it (kg:stanceQuote): the statement's
#: quotes that the stance's evidence holds, a join of every quote with every excerpt.
CONTAINMENT = """OPTIONAL { { SELECT ?stance ?quote WHERE { ?stance kg:expressedIn/kg:quote ?quote ;
        kg:evidence/oa:exact ?words . FILTER(CONTAINS(?words, ?quote)) } } }"""
LINK = "OPTIONAL { ?stance kg:stanceQuote ?quote }"

PARTS = [
    ("the quote the stance names (kg:stanceQuote)", LINK),
    ("paraphrase and date", "OPTIONAL { ?statement kg:paraphrase ?paraphrase } OPTIONAL { ?statement kg:date ?date }"),
    ("source and its title", """OPTIONAL { ?statement kg:evidence/prov:wasQuotedFrom ?source .
        OPTIONAL { ?source dcterms:title ?sourceTitle } }"""),
    ("the target's kind (a/rdfs:subClassOf* against five classes)",
     """OPTIONAL { VALUES (?kindClass ?targetKind) { (kg:Issue "Issue") (kg:Event "Event") (kg:Claim "Claim")
        (kg:Actor "Actor") (kg:Statement "Statement") } ?target a/rdfs:subClassOf* ?kindClass . }"""),
    ("three labels", """OPTIONAL { ?actor rdfs:label ?actorLabel } OPTIONAL { ?stanceType skos:prefLabel ?stanceTypeLabel }
        OPTIONAL { ?target rdfs:label|skos:prefLabel|kg:proposition ?targetLabel }"""),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    args = parser.parse_args()

    from kgraph.project import find_project
    from kgraph.project import load_project

    project = find_project(args.corpus)
    dataset = load_project(None, project)

    def timed(text: str) -> tuple[float, int]:
        rows = len(list(dataset.dataset.store.query(text, use_default_graph_as_union=True)))
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            list(dataset.dataset.store.query(text, use_default_graph_as_union=True))
            samples.append(time.perf_counter() - start)
        return statistics.median(samples), rows

    floor, rows = timed(PREFIXES + "SELECT * WHERE { ?stance kg:stanceType ?stanceType }")
    print(f"{'part':70} {'s':>6} {'+s':>6} {'rows':>7}")
    print(f"{'floor: one triple pattern with as many solutions':70} {floor:6.3f} {'':>6} {rows:7}")
    body = REQUIRED
    previous, rows = timed(PREFIXES + f"SELECT * WHERE {{ {body} }}")
    print(f"{'required pattern':70} {previous:6.3f} {'':>6} {rows:7}")
    for name, part in PARTS:
        body += "\n  " + part
        seconds, rows = timed(PREFIXES + f"SELECT * WHERE {{ {body} }}")
        print(f"{'+ ' + name:70} {seconds:6.3f} {seconds - previous:+6.3f} {rows:7}")
        previous = seconds
    saved = (project.queries_dir / "stances.rq").read_text(encoding="utf-8")
    seconds, rows = timed(saved)
    print(f"{'the saved query (adds SELECT DISTINCT and ORDER BY)':70} {seconds:6.3f} {seconds - previous:+6.3f} {rows:7}")
    if LINK in saved:
        before, rows = timed("PREFIX oa: <http://www.w3.org/ns/oa#>\n" + saved.replace(LINK, CONTAINMENT))
        print(f"{'the saved query with the containment join instead of kg:stanceQuote':70} {before:6.3f} "
              f"{before - seconds:+6.3f} {rows:7}")
    # the other saved queries that read a stance's quote, as shipped and with the join they replaced
    for name in ("reactions", "disputed-claims"):
        text = (project.queries_dir / f"{name}.rq").read_text(encoding="utf-8")
        joined = "PREFIX oa: <http://www.w3.org/ns/oa#>\n" + re.sub(
            r"OPTIONAL \{ \?(\w+) kg:stanceQuote \?(\w+) \}",
            lambda m: CONTAINMENT.replace("?stance", "?" + m.group(1)).replace("?quote", "?" + m.group(2))
            .replace("?words", f"?{m.group(2)}Words"), text)
        now, rows = timed(text)
        before, _ = timed(joined)
        print(f"{'saved query ' + name + ': with kg:stanceQuote / with the containment join':70} {now:6.3f} "
              f"{before:6.3f} {rows:7}")


if __name__ == "__main__":
    main()
