"""The identity checks of ``kgraph validate``, and the judgements that
settle a pair.

Three checks read every actor's and place's names
(:func:`~kgraph.identity.registry.name_index`):

``duplicate-actor`` (violation)
    Two IRIs of actors carry the same name once case, spaces, invisible and
    look-alike letters are set aside: describe each actor once.
``near-duplicate-actor`` (warning)
    Two IRIs of one kind carry names that look like one name in another
    spelling or script (the same romanisation, the same consonant skeleton,
    or close spellings word by word). Never merged automatically: a person
    looks and records a judgement.
``name-form`` (warning)
    A name with a space at either end, two spaces in a row, a space other
    than U+0020, an invisible character, a decomposed accent, or two
    scripts in one word.

A judgement (``kg:IdentityJudgement``, usually in
``data/registry/judgements.ttl``) about two IRIs settles their pair: a
verdict of ``kg:DifferentThings`` silences both duplicate checks for it;
``kg:Undecided`` keeps the warning and says who looked; ``kg:SameThing``
turns the pair into a violation until one IRI is kept (the other no longer
described as an actor or place; :func:`kgraph.identity.merge.merge_actors`
does it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..namespaces import DCTERMS, KG, RDF_TYPE, compact
from ..validation.report import Violation
from .normalize import name_problems
from .registry import name_index

__all__ = ["IDENTITY_CHECKS", "Judgement", "judgements", "identity_checks"]

#: name -> (severity, what it finds): the checks this module adds.
IDENTITY_CHECKS = {
    "duplicate-actor": ("violation", "Two actors carry the same name once case, spaces, invisible and look-alike "
                        "letters are set aside. Describe each actor once and reuse its IRI, or record that they "
                        "differ in data/registry/judgements.ttl."),
    "near-duplicate-actor": ("warning", "Two actors or places of one kind carry names that look like one name in "
                             "another spelling or script. Look, then merge them or record a judgement in "
                             "data/registry/judgements.ttl."),
    "name-form": ("warning", "A name with a stray, doubled, non-breaking or invisible space or character, a "
                  "decomposed accent, or two scripts in one word."),
}

_JUDGEMENTS = f"""
SELECT ?judgement ?a ?b ?verdict ?creator ?date WHERE {{
  ?judgement <{RDF_TYPE}> <{KG}IdentityJudgement> ; <{KG}judged> ?a, ?b ; <{KG}verdict> ?verdict .
  FILTER(STR(?a) < STR(?b))
  OPTIONAL {{ ?judgement <{DCTERMS}creator> ?creator }}
  OPTIONAL {{ ?judgement <{DCTERMS}date> ?date }}
}}"""


@dataclass(frozen=True)
class Judgement:
    iri: str
    pair: tuple[str, str]
    verdict: str  # same, different, unsure
    creator: str
    date: str

    def said(self) -> str:
        return f"judged {self.verdict} by {self.creator or 'someone'} on {self.date or 'an unknown date'} ({compact(self.iri)})"


_VERDICTS = {KG + "SameThing": "same", KG + "DifferentThings": "different", KG + "Undecided": "unsure"}


def judgements(graph) -> dict[tuple[str, str], Judgement]:
    """Every judgement in ``graph``, by its (sorted) pair of IRIs; where a
    pair was judged more than once, the latest date wins."""
    found: dict[tuple[str, str], Judgement] = {}
    for row in graph.query(_JUDGEMENTS):
        verdict = _VERDICTS.get(row["verdict"].value)
        if verdict is None:
            continue  # the shapes report it
        judged = Judgement(row["judgement"].value, (row["a"].value, row["b"].value), verdict,
                           row["creator"].value if row["creator"] is not None else "",
                           row["date"].value if row["date"] is not None else "")
        held = found.get(judged.pair)
        if held is None or judged.date > held.date:
            found[judged.pair] = judged
    return found


def _literal(name: str) -> str:
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _named(thing, name: str) -> str:
    """``actor:x "Label"``, and the name that matched where it is another."""
    said = f"{compact(thing.iri)} {_literal(thing.label)}"
    return said if name == thing.label else f"{said} (as {_literal(name)})"


def _uses(graph, iris) -> dict[str, int]:
    """How many triples name each of ``iris`` as their object."""
    counts: dict[str, int] = {}
    iris = sorted(set(iris))
    for start in range(0, len(iris), 500):
        values = " ".join(f"<{iri}>" for iri in iris[start:start + 500])
        for row in graph.query(f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ VALUES ?o {{ {values} }} ?s ?p ?o }} GROUP BY ?o"):
            counts[row["o"].value] = int(row["n"].value)
    return counts


def identity_checks(graph, *, index=None) -> list[Violation]:
    """The results of the three identity checks over ``graph``."""
    index = index if index is not None else name_index(graph)
    settled = judgements(graph)
    results: list[Violation] = []
    actor_kinds = {"person", "polity", "organization", "group", "actor"}
    pairs = index.likely_duplicates(any_actor_kind=True)
    uses = _uses(graph, [t.iri for a, b, *_ in pairs for t in (a, b)])
    for a, b, a_name, b_name, reason, rank in pairs:
        judged = settled.get((a.iri, b.iri))
        if judged is not None and judged.verdict == "different":
            continue
        exact = rank == 0 and a.kind in actor_kinds and b.kind in actor_kinds
        if rank == 0 and not exact and a.kind != b.kind:
            continue
        check = "duplicate-actor" if exact else "near-duplicate-actor"
        noun = "actor" if a.kind in actor_kinds else "place"
        if uses.get(a.iri, 0) < uses.get(b.iri, 0):  # the newcomer is the one used less
            a, b, a_name, b_name = b, a, b_name, a_name
        message = (f"{_named(b, b_name)} and {_named(a, a_name)} may be one {noun} ({reason}). ")
        if judged is not None:
            message += f"The pair was {judged.said()}. "
        message += ("If they are one, keep one IRI and give the other name as skos:altLabel; if not, record a "
                    "judgement with kg:verdict kg:DifferentThings in data/registry/judgements.ttl.")
        results.append(Violation(IDENTITY_CHECKS[check][0], message, focus=f"<{b.iri}>", value=_literal(b_name),
                                 source=f"check:{check}", component="IdentityCheck"))
    for pair, judged in sorted(settled.items()):
        if judged.verdict != "same" or not all(iri in index.things for iri in pair):
            continue
        a, b = (index.things[iri] for iri in pair)
        results.append(Violation(
            "violation", f"{compact(a.iri)} \"{a.label}\" and {compact(b.iri)} \"{b.label}\" were {judged.said()}: "
            f"keep one IRI (`kgraph actors merge {compact(a.iri)} {compact(b.iri)}` moves every use of the "
            "other to it, keeps its names as skos:altLabel and the old IRI as owl:sameAs), so that the registry "
            "describes the actor once.",
            focus=f"<{b.iri}>", source="check:duplicate-actor", component="IdentityCheck"))
    for named in index.things.values():
        for text, _language in named.names:
            for problem in name_problems(text):
                results.append(Violation(
                    "warning", f"The name {_literal(text)} of {compact(named.iri)} {problem.message}: retype it "
                    "(it will not match the same name typed plainly).", focus=f"<{named.iri}>", value=_literal(text),
                    source="check:name-form", component="IdentityCheck"))
    return results
