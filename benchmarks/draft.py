"""How good and how fast ``kgraph draft`` is, against encodings made by hand.

Each text has a gold file in ``benchmarks/data/drafting/`` (the names and
dates it writes, listed by hand, and the path of its hand encoding): the
seed article, the documentation's example and the texts written for
testing in ``tests/data/drafting/``. Each text is drafted with the shipped
registry, and the draft is compared with the gold:

- **names**: the distinct forms the text writes. A registry name is
  *identified* when the draft gives it the gold IRI, *offered* when the gold
  IRI is among a possible variant's candidates (which the draft never takes
  on its own); a new name is found when the draft proposes it as new (or as
  a variant to settle). Precision is over the distinct forms the draft
  proposes: right when the gold lists the form with that IRI (or as new).
- **quotes**: the hand encoding's ``kg:quote`` values; found when the draft
  has the same words exactly (and, looser, when one holds the other);
  every draft excerpt is checked against the text at its positions.
  *Passages*: the same comparison over stretches of quoted text, each
  statement's quote values found in the text and joined where only white
  space separates them. A hand encoder may cut one passage into several
  values (one for each stance it supports); a passage is exact when the
  draft quotes the same characters, however it cuts them.
- **statements, speakers, stance types**: a hand statement is found when a
  draft statement's evidence overlaps its evidence in the text; its speaker
  is right when such a statement has the same ``kg:speaker``; each hand
  stance's type is right when such a statement has a stance of that type.
- **claims**: a hand claim is found when a draft claim's evidence overlaps
  its evidence; precision over the draft's claims likewise.
- **events**: likewise by evidence; *typed* when such a draft event has the
  hand event's class; participations held: the hand event's (participant,
  role) pairs that the overlapping draft events have.
- **dates**: found when the draft reads the gold's words (one holding the
  other) as the gold value, marked for review exactly when the gold says so.
- **triples held**: the share of the hand encoding's triples (other than
  ``rdf:type``) whose subject's type, predicate and object (a literal, or an
  IRI that is not one of the article's own nodes) the draft also has.

Speed: one draft of each text in one process (median of ``--repeat``), the
fixed cost inside it (loading the project and building the name index) as
the baseline, and a batch of ``--batch`` drafts (the texts in turn) in one
process.

Usage: python -m benchmarks.draft [--batch 1000] [--repeat 5] [-o FILE]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

from kgraph.drafting.draft import draft
from kgraph.identity.registry import name_index
from kgraph.namespaces import PREFIXES
from kgraph.project import find_project
from kgraph.sparql.params import parse_iri

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "data" / "drafting"
KG, OA, RDF = PREFIXES["kg"], PREFIXES["oa"], PREFIXES["rdf"] + "type"
#: The namespaces of an article's own nodes: compared by what they say, never by name.
OWN = tuple(PREFIXES[p] for p in ("stmt", "stance", "claim", "excerpt", "event", "part", "tenure", "src"))


@dataclass
class Gold:
    name: str
    text: Path
    encoding: Path
    published: str | None
    names: dict[str, str] = field(default_factory=dict)  # form -> IRI or "new"
    dates: list[tuple[str, str | None, bool]] = field(default_factory=list)  # words, value, review


def read_gold(path: Path) -> Gold:
    fields: dict[str, str] = {}
    names, dates = {}, []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        row = line.split("\t")
        if row[0] == "name":
            names[row[1]] = row[2] if row[2] == "new" else parse_iri(row[2]).value
        elif row[0] == "date":
            dates.append((row[1], None if row[2] == "-" else row[2], len(row) > 3 and row[3] == "review"))
        elif len(row) == 2:
            fields[row[0]] = row[1]
        else:
            raise SystemExit(f"{path}:{n}: not a gold row: {line!r}")
    published = fields.get("published")
    return Gold(path.stem, ROOT / fields["text"], ROOT / fields["encoding"],
                None if published in (None, "-") else published, names, dates)


# -- reading an encoding ------------------------------------------------------------


class Encoding:
    """What an encoding says, by node: types, values, evidence intervals."""

    def __init__(self, path: Path, text: str) -> None:
        quads = list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TRIG))
        self.triples = [(q.subject.value, q.predicate.value, q.object) for q in quads]
        self.values: dict[tuple[str, str], list] = {}
        for s, p, o in self.triples:
            self.values.setdefault((s, p), []).append(o)
        self.types = {s: o.value for s, p, o in self.triples if p == RDF}
        self.text = text

    def of(self, node: str, predicate: str) -> list[str]:
        return [o.value for o in self.values.get((node, predicate), [])]

    def nodes(self, cls: str) -> list[str]:
        return sorted(s for s, t in self.types.items() if t == KG + cls)

    def where(self, node: str) -> list[tuple[int, int]]:
        """The intervals of the text a node's evidence covers."""
        spans = []
        for excerpt in self.of(node, KG + "evidence"):
            start, end = self.of(excerpt, OA + "start"), self.of(excerpt, OA + "end")
            if start and end:
                spans.append((int(start[0]), int(end[0])))
                continue
            for exact in self.of(excerpt, OA + "exact"):
                at = self.text.find(exact)
                if at >= 0:
                    spans.append((at, at + len(exact)))
        return spans

    def passages(self) -> set[tuple[int, int]]:
        """Stretches of quoted text: each statement's quotes, joined across white space."""
        out = set()
        for s in self.nodes("Statement"):
            where = self.where(s)
            spans = []
            for quote in self.of(s, KG + "quote"):
                inside = [a + self.text[a:b].find(quote) for a, b in where if quote in self.text[a:b]]
                at = inside[0] if inside else self.text.find(quote)
                if at >= 0:
                    spans.append((at, at + len(quote)))
            merged: list[list[int]] = []
            for a, b in sorted(spans):
                if merged and not self.text[merged[-1][1]:a].strip():
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            out.update((a, b) for a, b in merged)
        return out

    def keys(self) -> set[tuple[str, str, str]]:
        out = set()
        for s, p, o in self.triples:
            if p == RDF or (isinstance(o, ox.NamedNode) and o.value.startswith(OWN)) or isinstance(o, ox.BlankNode):
                continue
            out.add((self.types.get(s, ""), p, str(o)))
        return out


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x < d and c < y for x, y in a for c, d in b)


def _ratio(n: int, d: int) -> float | None:
    return n / d if d else None


# -- scoring one text ------------------------------------------------------------------


def score(gold: Gold, made, text: str) -> dict:
    hand = Encoding(gold.encoding, text)
    ours = Encoding(made.article, text)
    out: dict = {}

    def form(words: str) -> str:
        return words[4:] if words.lower().startswith("the ") else words

    proposed: dict[tuple[str, str | None], list[str]] = {}
    for s in made.suggestions:
        if s.kind in ("actor", "variant", "new-name"):
            proposed.setdefault((form(s.spans[0].exact), s.iri), s.candidates)
    known = {w: i for w, i in gold.names.items() if i != "new"}
    new = [w for w, i in gold.names.items() if i == "new"]
    identified = sum((w, i) in proposed for w, i in known.items())
    offered = sum((w, i) in proposed or any(key[0] == w and i in cands for key, cands in proposed.items())
                  for w, i in known.items())
    new_found = sum(any(key[0] == w and key[1] is None for key in proposed) for w in new)
    right = sum((gold.names.get(w) == i) if i else (gold.names.get(w) == "new" or gold.names.get(w) in cands)
                for (w, i), cands in proposed.items())
    out["names"] = dict(gold=len(gold.names), known=len(known), identified=identified, offered=offered,
                        new=len(new), new_found=new_found, proposed=len(proposed), right=right,
                        missed=sorted(w for w, i in known.items() if (w, i) not in proposed)
                        + sorted(w for w in new if not any(k[0] == w and k[1] is None for k in proposed)),
                        wrong=sorted(f"{w}={i or 'new'}" for (w, i), c in proposed.items()
                                     if not ((gold.names.get(w) == i) if i else
                                             (gold.names.get(w) == "new" or gold.names.get(w) in c))))

    hand_quotes = {q for s in hand.nodes("Statement") for q in hand.of(s, KG + "quote")}
    our_quotes = {q for s in ours.nodes("Statement") for q in ours.of(s, KG + "quote")}
    loose = sum(any(h in o or o in h for o in our_quotes) for h in hand_quotes)
    verbatim = [text[int(ours.of(x, OA + "start")[0]):int(ours.of(x, OA + "end")[0])] == ours.of(x, OA + "exact")[0]
                for x in ours.nodes("Excerpt")]
    hand_passages, our_passages = hand.passages(), ours.passages()
    out["quotes"] = dict(gold=len(hand_quotes), exact=len(hand_quotes & our_quotes), loose=loose,
                         passages=len(hand_passages), passages_exact=len(hand_passages & our_passages),
                         drafted=len(our_quotes), right=len(hand_quotes & our_quotes),
                         excerpts=len(verbatim), verbatim=sum(verbatim),
                         missed=sorted(hand_quotes - our_quotes))

    statements = speakers = stances = stances_right = 0
    for s in hand.nodes("Statement"):
        where = hand.where(s)
        near = [d for d in ours.nodes("Statement") if _overlap(where, ours.where(d))]
        statements += bool(near)
        speakers += any(set(hand.of(s, KG + "speaker")) & set(ours.of(d, KG + "speaker")) for d in near)
        ours_types = {t for d in near for st in ours.of(d, KG + "stance") for t in ours.of(st, KG + "stanceType")}
        for st in hand.of(s, KG + "stance"):
            stances += 1
            stances_right += any(t in ours_types for t in hand.of(st, KG + "stanceType"))
    out["statements"] = dict(gold=len(hand.nodes("Statement")), found=statements, speakers=speakers,
                             stances=stances, stance_types=stances_right, drafted=len(ours.nodes("Statement")))

    hand_claims, our_claims = hand.nodes("Claim"), ours.nodes("Claim")
    out["claims"] = dict(gold=len(hand_claims), drafted=len(our_claims),
                         found=sum(any(_overlap(hand.where(c), ours.where(d)) for d in our_claims)
                                   for c in hand_claims),
                         right=sum(any(_overlap(hand.where(c), ours.where(d)) for c in hand_claims)
                                   for d in our_claims))

    event_kinds = {KG + k for k in ("Meeting", "ProposedMeeting", "Blockade", "Protest", "War", "Event", "ProposedEvent")}
    hand_events = [e for e, t in hand.types.items() if t in event_kinds]
    our_events = [e for e, t in ours.types.items() if t in event_kinds]

    def parts(enc: Encoding, event: str) -> set[tuple[str, str]]:
        return {(w, r) for p in enc.of(event, KG + "participation")
                for w in enc.of(p, KG + "participant") for r in enc.of(p, KG + "role")}

    found_events = typed = 0
    hand_parts = held_parts = 0
    for e in hand_events:
        near = [d for d in our_events if _overlap(hand.where(e), ours.where(d))]
        found_events += bool(near)
        typed += any(ours.types[d] == hand.types[e] for d in near)
        wanted = parts(hand, e)
        hand_parts += len(wanted)
        held_parts += len(wanted & set().union(*(parts(ours, d) for d in near))) if near else 0
    out["events"] = dict(gold=len(hand_events), drafted=len(our_events), found=found_events, typed=typed,
                         right=sum(any(_overlap(hand.where(e), ours.where(d)) for e in hand_events)
                                   for d in our_events),
                         participations=hand_parts, participations_held=held_parts)

    drafted_dates = [(s.spans[0].exact, s.value, bool(s.todo)) for s in made.suggestions if s.kind == "date"]
    found_dates = 0
    missed_dates = []
    for words, value, review in gold.dates:
        ok = any((words in w or w in words) and v == value and r == review for w, v, r in drafted_dates)
        found_dates += ok
        if not ok:
            missed_dates.append(words)
    right_dates = sum(any((words in w or w in words) and v == value and r == review
                          for words, value, review in gold.dates) for w, v, r in drafted_dates)
    out["dates"] = dict(gold=len(gold.dates), found=found_dates, drafted=len(drafted_dates), right=right_dates,
                        missed=missed_dates)

    gold_keys = hand.keys()
    out["triples"] = dict(gold=len(hand.triples), compared=len(gold_keys), held=len(gold_keys & ours.keys()))
    return out


# -- running ------------------------------------------------------------------------------


def _project(folder: Path):
    for part in ("ontology", "queries"):
        shutil.copytree(ROOT / part, folder / part)
    shutil.copytree(ROOT / "data" / "registry", folder / "data" / "registry")
    return find_project(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.draft", description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=1000, help="drafts in the batch run (default 1000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per text for the per-article time")
    parser.add_argument("-o", "--output", type=Path, help="also write the report (Markdown) here")
    args = parser.parse_args(argv)

    golds = [read_gold(p) for p in sorted(GOLD.glob("*.tsv"))]
    lines = [f"# kgraph draft against hand encodings ({datetime.date.today().isoformat()})", "",
             f"Python {platform.python_version()}, kgraph {version('kgraph')}, pyoxigraph {version('pyoxigraph')}, "
             f"{os.cpu_count()} CPUs. `python -m benchmarks.draft --batch {args.batch} --repeat {args.repeat}`.", ""]
    totals: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="kgraph-draft-bench-") as folder:
        project = _project(Path(folder))
        rows = []
        timings = []
        for gold in golds:
            text = gold.text.read_text(encoding="utf-8")
            times = []
            for n in range(args.repeat):
                started = time.perf_counter()
                made = draft(gold.text, project=project, published=gold.published, slug=f"{gold.name}-{n}")
                times.append(time.perf_counter() - started)
            result = score(gold, made, text)
            rows.append((gold, result))
            timings.append((gold, len(text), statistics.median(times)))
            for part, values in result.items():
                for key, value in values.items():
                    if isinstance(value, int):
                        totals.setdefault(part, {}).setdefault(key, 0)
                        totals[part][key] += value
        fixed = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            name_index(project.load())
            fixed.append(time.perf_counter() - started)
        started = time.perf_counter()
        for n in range(args.batch):
            gold = golds[n % len(golds)]
            draft(gold.text, project=project, published=gold.published, slug=f"batch-{n}")
        batch = time.perf_counter() - started
        batch_chars = sum(len(golds[n % len(golds)].text.read_text(encoding="utf-8")) for n in range(args.batch))

    def pct(n, d):
        r = _ratio(n, d)
        return "–" if r is None else f"{r:.2f}"

    lines += ["## Quality", "",
              "| text | names identified (offered) | names precision | new names | quotes exact (loose) | quoted passages exact | quotes precision "
              "| excerpts verbatim | statements found | speakers | stance types | claims recall / precision "
              "| events found (typed) / precision | participations | dates | triples held |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for gold, r in [*rows, (None, totals)]:
        n, q, s, c, d, t, e = (r[k] for k in ("names", "quotes", "statements", "claims", "dates", "triples", "events"))
        label = "**all**" if gold is None else f"`{gold.text.relative_to(ROOT).as_posix()}`"
        lines.append(
            f"| {label} | {n['identified']}/{n['known']} = {pct(n['identified'], n['known'])} "
            f"({pct(n['offered'], n['known'])}) | {pct(n['right'], n['proposed'])} | {n['new_found']}/{n['new']} "
            f"| {q['exact']}/{q['gold']} = {pct(q['exact'], q['gold'])} ({pct(q['loose'], q['gold'])}) "
            f"| {q['passages_exact']}/{q['passages']} = {pct(q['passages_exact'], q['passages'])} "
            f"| {pct(q['right'], q['drafted'])} | {q['verbatim']}/{q['excerpts']} "
            f"| {s['found']}/{s['gold']} = {pct(s['found'], s['gold'])} | {s['speakers']}/{s['gold']} = "
            f"{pct(s['speakers'], s['gold'])} | {s['stance_types']}/{s['stances']} = {pct(s['stance_types'], s['stances'])} "
            f"| {pct(c['found'], c['gold'])} / {pct(c['right'], c['drafted'])} "
            f"| {e['found']}/{e['gold']} ({e['typed']}) / {pct(e['right'], e['drafted'])} "
            f"| {e['participations_held']}/{e['participations']} "
            f"| {d['found']}/{d['gold']} | {t['held']}/{t['compared']} = {pct(t['held'], t['compared'])} |")
    lines += ["", "What each text's draft got wrong:", ""]
    for gold, r in rows:
        lines.append(f"- `{gold.name}`: names missed: {', '.join(r['names']['missed']) or 'none'}; names wrong: "
                     f"{', '.join(r['names']['wrong']) or 'none'}; quotes missed: "
                     f"{'; '.join(repr(q[:60]) for q in r['quotes']['missed']) or 'none'}; dates missed: "
                     f"{', '.join(r['dates']['missed']) or 'none'}")
    lines += ["", "## Speed", "", "| text | characters | one draft (median) | of which loading the project and names |",
              "|---|---|---|---|"]
    for gold, chars, seconds in timings:
        lines.append(f"| `{gold.name}` | {chars:,} | {seconds * 1000:.0f} ms | {statistics.median(fixed) * 1000:.0f} ms |")
    lines += ["", f"A batch of {args.batch:,} drafts ({batch_chars:,} characters, the texts in turn) in one process: "
                  f"{batch:.1f} s ({batch / args.batch * 1000:.0f} ms a draft).", ""]
    report = "\n".join(lines)
    print(report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
