"""How well and how fast kgraph tells who is who.

Quality, on ``benchmarks/data/name-variants.tsv`` (pairs written from public
transliteration conventions: two forms of one name, and near misses, names
of different actors or places of one kind):

- the duplicate check: each pair is put in a registry of its own, and
  :meth:`NameIndex.likely_duplicates` says whether it is flagged; precision
  and recall over the pairs;
- ``kgraph actors find``: one registry holds every name on the left of a
  true pair (one thing each) and every name of the near misses; each name on
  the right of a true pair is looked up; top-1 and top-3 accuracy.

Cost, on a synthetic registry of ``--actors`` people (default 50,000) with
names from regional given and family names, each also under a Russian form
for a third of them:

- building the index and the duplicate check (``likely_duplicates``),
  against a baseline in the same process: grouping the same names by their
  case-folded text (what an exact check does);
- one lookup (median of ``--lookups``), against RapidFuzz's
  ``process.extractOne`` over the same names (a plain fuzzy scan).

Usage: python -m benchmarks.identity [--actors 50000] [--lookups 200] [--seed 1] [-o FILE]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from kgraph.identity import NameIndex, Named

VARIANTS = Path(__file__).resolve().parent / "data" / "name-variants.tsv"
BASE = "https://w3id.org/kgraph/actor/"

GIVEN = ("Anar Aydin Elchin Elmar Emil Farid Fuad Hikmet Ilgar Ilham Jeyhun Kamran Mahir Murad Nazim Orkhan Rashad "
         "Ramin Ramil Rauf Rovshan Samir Tural Vugar Zaur Aram Armen Arsen Artak Arthur Ashot Davit Gagik Gor Hayk "
         "Hrant Karen Levon Mher Narek Rafael Ruben Samvel Sergey Tigran Vahe Vardan Vazgen Andrei Alexei Boris "
         "Dmitry Igor Ivan Maxim Mikhail Nikolai Oleg Pavel Roman Viktor Yuri Aida Aynur Gunel Leyla Nigar Sevinj "
         "Ani Anna Arpi Gayane Lilit Lusine Mariam Nune Elena Irina Maria Natalia Olga Svetlana Tatiana").split()
FAMILY = ("Abbasov Abdullayev Agayev Ahmadov Alakbarov Aliyev Asadov Babayev Bayramov Guliyev Hajiyev Hasanov "
          "Huseynov Ibrahimov Ismayilov Jafarov Karimov Mammadov Mehdiyev Musayev Najafov Orujov Rahimov Rustamov "
          "Safarov Suleymanov Valiyev Zeynalov Abrahamyan Aghajanyan Avagyan Avanesyan Babayan Badalyan Danielyan "
          "Gasparyan Ghazaryan Grigoryan Hakobyan Harutyunyan Hovhannisyan Karapetyan Khachatryan Manukyan "
          "Martirosyan Mkrtchyan Petrosyan Poghosyan Sahakyan Sargsyan Simonyan Stepanyan Tonoyan Vardanyan "
          "Ivanov Petrov Smirnov Kuznetsov Popov Volkov Sokolov Lebedev Kozlov Novikov Morozov Pavlov Orlov "
          "Egorov Nikitin Zakharov Belov Frolov Gusev Titov Kiselev Makarov Andreev Kovalev Ilyin").split()


def _variants():
    rows = []
    for line in VARIANTS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        same, kind, a, a_lang, b, b_lang, _ = line.split("\t")
        rows.append((same == "1", kind, a, a_lang or None, b, b_lang or None))
    return rows


def _named(iri: str, kind: str, name: str, language: str | None) -> Named:
    return Named(iri, kind, name, ((name, language),))


def quality() -> dict:
    rows = _variants()
    tp = fp = fn = tn = 0
    missed, wrong = [], []
    for same, kind, a, a_lang, b, b_lang in rows:
        index = NameIndex([_named("urn:a", kind, a, a_lang), _named("urn:b", kind, b, b_lang)])
        flagged = bool(index.likely_duplicates())
        if same and flagged:
            tp += 1
        elif same:
            fn += 1
            missed.append(f"{a} / {b}")
        elif flagged:
            fp += 1
            wrong.append(f"{a} / {b}")
        else:
            tn += 1
    # lookup: one registry of the left names of true pairs and every near-miss name
    things: dict[tuple[str, str], Named] = {}
    for same, kind, a, a_lang, b, b_lang in rows:
        for name, lang, keep in ((a, a_lang, True), (b, b_lang, not same)):
            if keep and (kind, name) not in things:
                things[(kind, name)] = _named(f"urn:{len(things)}", kind, name, lang)
    index = NameIndex(things.values())
    top1 = top3 = 0
    asked = 0
    lost = []
    for same, kind, a, a_lang, b, b_lang in rows:
        if not same:
            continue
        asked += 1
        want = things[(kind, a)].iri
        found = [c.iri for c in index.find(b, language=b_lang, limit=3, min_score=0.5)]
        top1 += bool(found[:1] == [want])
        top3 += want in found
        if found[:1] != [want]:
            lost.append(f"{b} -> {a}")
    return {"true pairs": tp + fn, "near misses": fp + tn, "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn), "top-1": top1 / asked, "top-3": top3 / asked, "missed": missed,
            "flagged near misses": wrong, "not first": lost}


_RU = {"Aliyev": "Алиев", "Mammadov": "Мамедов", "Hasanov": "Гасанов", "Sargsyan": "Саргсян", "Petrosyan": "Петросян",
       "Ivanov": "Иванов", "Volkov": "Волков", "Grigoryan": "Григорян", "Huseynov": "Гусейнов", "Babayan": "Бабаян"}


def synthetic(count: int, seed: int) -> list[Named]:
    rng = random.Random(seed)
    combos = [(g, f) for g in GIVEN for f in FAMILY]
    rng.shuffle(combos)
    things = []
    n = 0
    while len(things) < count:
        given, family = combos[n % len(combos)]
        serial = n // len(combos)
        label = f"{given} {family}" + (f" {chr(65 + serial % 26)}." if serial else "")
        names = [(label, None)]
        if family in _RU and n % 3 == 0:
            names.append((f"{given} {_RU[family]}", "ru-Cyrl"))
        things.append(Named(f"{BASE}p{n}", "person", label, tuple(names)))
        n += 1
    return things


def cost(count: int, lookups: int, seed: int) -> dict:
    things = synthetic(count, seed)
    names = [text for t in things for text, _ in t.names]
    started = time.perf_counter()
    index = NameIndex(things)
    built = time.perf_counter() - started
    started = time.perf_counter()
    pairs = index.likely_duplicates()
    checked = time.perf_counter() - started
    started = time.perf_counter()
    groups = defaultdict(set)
    for t in things:
        for text, _ in t.names:
            groups[text.casefold()].add(t.iri)
    exact = [g for g in groups.values() if len(g) > 1]
    baseline_check = time.perf_counter() - started
    rng = random.Random(seed + 1)
    queries = []
    for t in rng.sample(things, lookups):
        word = list(t.label)
        i = rng.randrange(1, len(word))
        word[i] = rng.choice("aeioumnrst")  # a typing slip
        queries.append("".join(word))
    ours, theirs = [], []
    for q in queries:
        started = time.perf_counter()
        index.find(q)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        process.extractOne(q, names, scorer=JaroWinkler.similarity)
        theirs.append(time.perf_counter() - started)
    # the whole check as kgraph validate runs it: names read from a store
    # holding the ontology and the registry, index, pairs, results
    import pyoxigraph as ox

    from kgraph.identity.review import identity_checks

    store = ox.Store()
    root = Path(__file__).resolve().parents[1]
    store.load(path=str(root / "ontology" / "kgraph.ttl"), format=ox.RdfFormat.TURTLE)
    label, alt, kind = (ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                        ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
                        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))
    person = ox.NamedNode("https://w3id.org/kgraph/ontology#Person")
    quads = []
    for t in things:
        node = ox.NamedNode(t.iri)
        quads.append(ox.Quad(node, kind, person))
        for i, (text, lang) in enumerate(t.names):
            quads.append(ox.Quad(node, label if i == 0 else alt, ox.Literal(text, language=lang)))
    store.extend(quads)
    started = time.perf_counter()
    results = identity_checks(store)
    whole = time.perf_counter() - started
    return {"actors": count, "names": len(names), "index built s": built, "whole check s": whole,
            "results": len(results), "duplicate check s": checked,
            "pairs flagged": len(pairs), "exact grouping s": baseline_check, "exact groups": len(exact),
            "lookup ms": statistics.median(ours) * 1000, "extractOne ms": statistics.median(theirs) * 1000}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=50_000)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", help="Also write the tables to this file (benchmarks/RESULTS-identity.md).")
    parser.add_argument("--verbose", action="store_true", help="List the pairs missed and the near misses flagged.")
    args = parser.parse_args(argv)
    lines = ["# Identity benchmark", "",
             f"Produced by `python -m benchmarks.identity --actors {args.actors} --lookups {args.lookups} "
             f"--seed {args.seed}`.", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"rapidfuzz {version('rapidfuzz')}, anyascii {version('anyascii')}, pyoxigraph {version('pyoxigraph')}.", ""]
    q = quality()
    lines += [f"## Quality, on {q['true pairs']} true pairs and {q['near misses']} near misses", "",
              "| measure | value | target |", "|---|---|---|",
              f"| duplicate check recall | {q['recall']:.3f} | >= 0.95 |",
              f"| duplicate check precision | {q['precision']:.3f} | >= 0.9 |",
              f"| actors find top-1 | {q['top-1']:.3f} | >= 0.9 |",
              f"| actors find top-3 | {q['top-3']:.3f} | |"]
    if args.verbose:
        for title in ("missed", "flagged near misses", "not first"):
            lines += ["", f"{title}: " + "; ".join(q[title])]
    c = cost(args.actors, args.lookups, args.seed)
    lines += ["", f"## Cost, {c['actors']:,} actors ({c['names']:,} names)", "",
              "| step | kgraph | baseline | ratio | target |", "|---|---|---|---|---|",
              f"| index built | {c['index built s']:.2f} s | | | |",
              f"| duplicate check ({c['pairs flagged']} pairs) | {c['duplicate check s']:.2f} s | exact grouping "
              f"{c['exact grouping s']:.3f} s | {c['duplicate check s'] / c['exact grouping s']:.0f}x | |",
              f"| the identity checks as validate runs them: names read from a store, index, pairs, results "
              f"({c['results']} results) | {c['whole check s']:.2f} s | | | <= 5 s |",
              f"| one lookup (median of {args.lookups}) | {c['lookup ms']:.1f} ms | RapidFuzz extractOne "
              f"{c['extractOne ms']:.1f} ms | {c['lookup ms'] / c['extractOne ms']:.2f}x | <= 50 ms |", ""]
    text = "\n".join(lines)
    print(text)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")

if __name__ == "__main__":
    main()
