"""A deterministic synthetic corpus shaped like kgraph's real data.

A shared registry (polities with their government bodies, peacekeeping
contingents and media; persons with posts; places; issues) and many
articles, each in its own named graph with its text in ``data/sources/``:
meetings with parties, representatives and a mediator, tenures, statements
with quotes found verbatim in the text, stances, claims that one side reports
and another denies. Every quote is copied into the article text, so the
corpus passes the same checks as hand-made data.

Time: the articles run over three years (2021 to 2023), each published the
day after the meeting it reports (``dcterms:issued``); most statements carry
the meeting's date, every fifth carries none (so that it is dated by its
source's publication); every third representative's tenure has dates, and
ends on the day of the meeting.

A share of the articles carry one planted mistake each (a statement without
speaker, a date typed as a plain string, a mediator who is also a party, a
reference to an actor nobody describes, a stance with two types ...). The
mistakes are listed in ``planted.json`` as (focus IRI, shape or check) pairs,
so tests can check that validation reports exactly them.

Usage: python -m benchmarks.generate OUT_DIR --triples 100000 [--seed 1] [--violation-every 25]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
from pathlib import Path

import pyoxigraph as ox

BASE = "https://w3id.org/kgraph/"
KG = BASE + "ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"

#: Mistakes a generated article can carry: the shape (or check) that must
#: report each, and the node it is reported on.
MISTAKES = (
    "StatementSpeaker",      # a statement without kg:speaker
    "EventDate",             # a meeting date as a plain string
    "mediator-is-party",     # the mediator is also a party
    "dangling-reference",    # a stance about an actor nobody describes (also StanceTargetKind)
    "StanceType",            # a stance with two stance types
    "ClaimProposition",      # a claim without its proposition
    "TenureOrder",           # a tenure that ends before it starts
    "undeclared-term",       # a typo in a class name
    "stance-quote",          # a stance that does not name the quote its evidence holds
)

_WORDS = (
    "talks ceasefire corridor border supply pipeline energy security humanitarian agreement "
    "negotiations status sanctions aid monitoring mission prisoners refugees elections reforms "
    "trade transit road railway water electricity gas mine troops withdrawal guarantees"
).split()


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(value, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=n(XSD + datatype))
    return ox.Literal(value)


class Corpus:
    """Builds the registry and the articles in memory, then writes them."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.registry: dict[str, list[ox.Quad]] = {"actors": [], "posts": [], "places": [], "issues": []}
        self.articles: list[tuple[str, list[ox.Quad], str]] = []
        self.planted: list[dict[str, str]] = []
        self.polities: list[str] = []
        self.bodies: dict[str, list[str]] = {}
        self.contingents: list[str] = []
        self.persons: list[tuple[str, str]] = []  # (person, post)
        self.staff: dict[str, list[tuple[str, str]]] = {}
        self.places: list[str] = []
        self.issues: list[str] = []

    # -- registry ------------------------------------------------------------------

    def _add(self, graph: str, s: str, p: str | ox.NamedNode, o) -> None:
        predicate = p if isinstance(p, ox.NamedNode) else n(p)
        self.registry[graph].append(ox.Quad(n(s), predicate, o, n(BASE + "graph/registry/" + graph)))

    def build_registry(self, polities: int, persons_per_polity: int, places: int, issues: int) -> None:
        for i in range(polities):
            polity = f"{BASE}actor/polity-{i:03d}"
            self.polities.append(polity)
            self._add("actors", polity, RDF_TYPE, n(KG + "State"))
            self._add("actors", polity, LABEL, lit(f"Polity {i}"))
            if i % 7 == 3:
                self._add("actors", polity, KG + "recognitionStatus", n(KG + "Unrecognized"))
            bodies = []
            for kind in ("Presidency", "ForeignMinistry", "Parliament"):
                body = f"{BASE}actor/polity-{i:03d}-{kind.lower()}"
                bodies.append(body)
                self._add("actors", body, RDF_TYPE, n(KG + kind))
                self._add("actors", body, LABEL, lit(f"{kind} of Polity {i}"))
                self._add("actors", body, KG + "ofPolity", n(polity))
                self._add("actors", body, ORG + "subOrganizationOf", n(polity))
            self.bodies[polity] = bodies
            media = f"{BASE}actor/polity-{i:03d}-media"
            self._add("actors", media, RDF_TYPE, n(KG + "MediaCollective"))
            self._add("actors", media, LABEL, lit(f"Media of Polity {i}"))
            self._add("actors", media, KG + "mediaOf", n(polity))
            if i % 5 == 0:
                contingent = f"{BASE}actor/polity-{i:03d}-peacekeepers"
                self.contingents.append(contingent)
                self._add("actors", contingent, RDF_TYPE, n(KG + "PeacekeepingContingent"))
                self._add("actors", contingent, LABEL, lit(f"Peacekeepers of Polity {i}"))
                self._add("actors", contingent, KG + "ofPolity", n(polity))
            for j in range(persons_per_polity):
                person = f"{BASE}actor/person-{i:03d}-{j:03d}"
                post = f"{BASE}post/polity-{i:03d}-post-{j:03d}"
                body = bodies[j % len(bodies)]
                self._add("actors", person, RDF_TYPE, n(KG + "Person"))
                self._add("actors", person, LABEL, lit(f"Person {i}-{j}"))
                self._add("posts", post, RDF_TYPE, n(ORG + "Post"))
                self._add("posts", post, LABEL, lit(f"Official {j} of Polity {i}"))
                self._add("posts", post, ORG + "postIn", n(body))
                self.persons.append((person, post))
                self.staff.setdefault(polity, []).append((person, post))
        for i in range(places):
            place = f"{BASE}place/town-{i:04d}"
            self.places.append(place)
            self._add("places", place, RDF_TYPE, n(KG + "Settlement"))
            self._add("places", place, LABEL, lit(f"Town {i}"))
        for i in range(issues):
            issue = f"{BASE}issue/issue-{i:04d}"
            self.issues.append(issue)
            self._add("issues", issue, RDF_TYPE, n(KG + "Issue"))
            self._add("issues", issue, n(SKOS + "inScheme"), n(KG + "Issues"))
            self._add("issues", issue, n(SKOS + "prefLabel"), lit(f"issue {i}: {self.random.choice(_WORDS)}"))
            self._add("issues", issue, n(SKOS + "definition"), lit(f"Synthetic issue number {i}."))

    # -- articles ------------------------------------------------------------------

    def build_article(self, index: int, mistake: str | None) -> None:
        r = self.random
        slug = f"article-{index:05d}"
        graph = n(f"{BASE}graph/articles/{slug}")
        quads: list[ox.Quad] = []
        sentences: list[str] = []

        def add(s, p, o):
            quads.append(ox.Quad(s if isinstance(s, ox.NamedNode) else n(s), p if isinstance(p, ox.NamedNode) else n(p), o, graph))

        source = f"{BASE}source/{slug}"
        day = datetime.date(2021, 1, 1) + datetime.timedelta(days=(index * 37) % 1095)
        date = day.isoformat()
        published = (day + datetime.timedelta(days=1)).isoformat()

        def excerpt(text: str) -> ox.NamedNode:
            node = n(f"{BASE}excerpt/{slug}/{len(sentences):03d}")
            sentences.append(text)
            add(node, RDF_TYPE, n(KG + "Excerpt"))
            add(node, PROV + "wasQuotedFrom", n(source))
            add(node, OA + "exact", lit(text))
            return node

        a, b = r.sample(self.polities, 2)
        mediator = r.choice(self.contingents)
        place = r.choice(self.places)
        meeting = n(f"{BASE}event/{slug}-meeting")
        met = excerpt(f"Representatives of Polity {a[-3:].lstrip('0') or '0'} and Polity {b[-3:].lstrip('0') or '0'} met on {date} in Town {place[-4:]} with the mediation of peacekeepers.")
        add(meeting, RDF_TYPE, n(KG + "Meeting"))
        add(meeting, LABEL, lit(f"Meeting in article {index}"))
        add(meeting, KG + "date", lit(date) if mistake == "EventDate" else lit(date, "date"))
        add(meeting, KG + "place", n(place))
        add(meeting, KG + "evidence", met)
        if mistake == "EventDate":
            self.planted.append({"focus": meeting.value, "source": "EventDate"})
        roles = [(a, "Party"), (b, "Party"), (mediator, "Mediator")]
        if mistake == "mediator-is-party":
            roles.append((a, "Mediator"))
            self.planted.append({"focus": meeting.value, "source": "mediator-is-party"})
        representatives = []
        for side in (a, b):
            person, post = r.choice(self.staff[side])
            representatives.append((person, post, side))
            roles.append((person, "Representative"))
        for k, (actor, role) in enumerate(roles):
            part = n(f"{BASE}participation/{slug}-{k}")
            add(meeting, KG + "participation", part)
            add(part, RDF_TYPE, n(KG + "Participation"))
            add(part, KG + "participant", n(actor))
            add(part, KG + "role", n(KG + role))
            add(part, KG + "evidence", met)
            if role == "Representative":
                add(part, KG + "onBehalfOf", n(next(side for p, _, side in representatives if p == actor)))
        for k, (person, post, side) in enumerate(representatives):
            tenure = n(f"{BASE}tenure/{slug}-{k}")
            add(tenure, RDF_TYPE, n(KG + "Tenure"))
            add(tenure, KG + "holder", n(person))
            add(tenure, KG + "post", n(post))
            add(tenure, KG + "attestedOn", lit(date, "date"))
            add(tenure, KG + "evidence", met)
            if mistake == "TenureOrder" and k == 0:
                add(tenure, KG + "startDate", lit("2023-06-01", "date"))
                add(tenure, KG + "endDate", lit("2022-06-01", "date"))
                self.planted.append({"focus": tenure.value, "source": "TenureOrder"})
            elif (index + k) % 3 == 0:  # a tenure that ends with the meeting
                add(tenure, KG + "startDate", lit((day - datetime.timedelta(days=400)).isoformat(), "date"))
                add(tenure, KG + "endDate", lit(date, "date"))

        claims = []
        for k in range(3):
            claim = n(f"{BASE}claim/{slug}-{k}")
            issue = r.choice(self.issues)
            claims.append(claim)
            add(claim, RDF_TYPE, n(KG + "Claim"))
            add(claim, KG + "claimKind", n(KG + "TopicDiscussed"))
            if not (mistake == "ClaimProposition" and k == 0):
                add(claim, KG + "proposition", lit(f"Issue {issue[-4:]} was discussed at the meeting of article {index}."))
            else:
                self.planted.append({"focus": claim.value, "source": "ClaimProposition"})
            add(claim, KG + "aboutEvent", meeting)
            add(claim, KG + "topic", n(issue))
            add(claim, KG + "evidence", met)

        speakers = [p for p, _, _ in representatives] + [a, b, f"{a}-media"]
        for k in range(6):
            speaker = speakers[k % len(speakers)]
            words = " ".join(r.choice(_WORDS) for _ in range(8))
            quote = f"We say that {words}"
            said = excerpt(f"Speaker {k} said: “{quote}.”")
            statement = n(f"{BASE}statement/{slug}-{k}")
            add(statement, RDF_TYPE, n(KG + "Statement"))
            if not (mistake == "StatementSpeaker" and k == 0):
                add(statement, KG + "speaker", n(speaker))
            else:
                self.planted.append({"focus": statement.value, "source": "StatementSpeaker"})
            add(statement, KG + "attribution", n(KG + ("NamedPerson" if "person" in speaker else "SideOnly")))
            add(statement, KG + "quote", lit(quote))
            if (index + k) % 5:
                add(statement, KG + "date", lit(date, "date"))
            add(statement, KG + "evidence", said)
            stance = n(f"{BASE}stance/{slug}-{k}")
            add(statement, KG + "stance", stance)
            add(stance, RDF_TYPE, n(KG + "Stance"))
            add(stance, KG + "expressedIn", statement)
            add(stance, KG + "evidence", said)
            if not (mistake == "stance-quote" and k == 1):
                add(stance, KG + "stanceQuote", lit(quote))
            else:
                self.planted.append({"focus": stance.value, "source": "stance-quote"})
            if k < 3:
                stance_type, target = "Assert", claims[k]
            elif k == 3:
                stance_type, target = "Deny", claims[0]
            elif k == 4:
                stance_type, target = r.choice(("Welcome", "Criticize", "DeclineToComment")), meeting
            else:
                stance_type, target = r.choice(("CallFor", "Reject", "Praise")), n(r.choice(self.issues))
            add(stance, KG + "stanceType", n(KG + stance_type))
            if mistake == "StanceType" and k == 5:
                add(stance, KG + "stanceType", n(KG + "Analyse"))
                self.planted.append({"focus": stance.value, "source": "StanceType"})
            if mistake == "dangling-reference" and k == 4:
                target = n(f"{BASE}actor/nobody-{index}")
                self.planted.append({"focus": stance.value, "source": "dangling-reference"})
                self.planted.append({"focus": stance.value, "source": "StanceTargetKind"})
            add(stance, KG + "target", target)
        if mistake == "undeclared-term":
            add(n(f"{BASE}statement/{slug}-0"), RDF_TYPE, n(KG + "Statment"))
            self.planted.append({"focus": f"{BASE}statement/{slug}-0", "source": "undeclared-term"})

        text = "\n".join(sentences) + "\n"
        add(source, RDF_TYPE, n(KG + "NewsArticle"))
        add(source, DCTERMS + "title", lit(f"Synthetic article {index}"))
        add(source, DCTERMS + "issued", lit(published, "date"))
        add(source, KG + "textFile", lit(f"data/sources/{slug}.txt"))
        add(source, KG + "sha256", lit(hashlib.sha256(text.encode("utf-8")).hexdigest()))
        self.articles.append((slug, quads, text))

    def triples(self) -> int:
        return sum(len(q) for q in self.registry.values()) + sum(len(q) for _, q, _ in self.articles)

    def write(self, out: Path) -> None:
        data = out / "data"
        for folder in ("registry", "articles", "sources"):
            (data / folder).mkdir(parents=True, exist_ok=True)
        for name, quads in self.registry.items():
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
            (data / "registry" / f"{name}.ttl").write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE))
        for slug, quads, text in self.articles:
            (data / "articles" / f"{slug}.trig").write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
            (data / "sources" / f"{slug}.txt").write_text(text, encoding="utf-8")
        (out / "planted.json").write_text(json.dumps(self.planted, indent=1) + "\n", encoding="utf-8")


def generate(out: Path, triples: int, seed: int = 1, violation_every: int = 25) -> dict:
    """Write a corpus of about ``triples`` triples to ``out``; return its statistics."""
    corpus = Corpus(seed)
    scale = max(triples / 100_000, 0.01)
    corpus.build_registry(
        polities=max(6, int(40 * scale ** 0.5)),
        persons_per_polity=max(3, int(12 * scale ** 0.5)),
        places=max(10, int(100 * scale ** 0.5)),
        issues=max(10, int(60 * scale ** 0.5)),
    )
    index = 0
    while corpus.triples() < triples:
        mistake = None
        if violation_every and index % violation_every == violation_every - 1:
            mistake = MISTAKES[(index // violation_every) % len(MISTAKES)]
        corpus.build_article(index, mistake)
        index += 1
    corpus.write(out)
    return {"triples": corpus.triples(), "articles": len(corpus.articles), "planted": len(corpus.planted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violation-every", type=int, default=25,
                        help="plant one mistake in every Nth article (0: none)")
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.triples, args.seed, args.violation_every)))


if __name__ == "__main__":
    main()
