"""``kgraph draft``: a news text turned into a reviewable draft encoding.

:func:`draft` reads a text, finds what it says (:mod:`.finders`) and writes
two files under the project's ``drafts/`` folder, never into ``data/``:

- ``drafts/SLUG.trig``: the article's named graph as ``kgraph new article``
  scaffolds it, marked ``kg:reviewStatus kg:Unreviewed``, holding every
  suggestion as triples with a ``# TODO`` comment saying what a person must
  check: an excerpt for each quote and reported claim (``oa:exact`` with
  its ``oa:start``/``oa:end``), the statement with its quote, speaker and
  attribution, a stance typed from the speech verb, a claim for what the
  text reports; the names found, as comments (the registry's IRI, a
  variant's candidates, a new name's likely kind); the dates, as written
  and as resolved;
- ``drafts/SLUG.txt``: the text, which the excerpts are checked against;
- ``drafts/SLUG.html`` (the review page): the text with every suggestion
  highlighted, and each suggestion with its status and the triples it adds.

The gate: every literal the draft writes is a piece of the text, checked
(``text[start:end] == exact``) before the file is written; every IRI it
uses is the registry's, or the draft's own new ones (statements, stances,
claims, excerpts). What the text does not settle is left out, and
validation of the draft reports it: those results are the review. The mark
makes validation of ``data/`` refuse a draft moved there by hand;
:func:`accept_draft` checks a reviewed draft and moves it into ``data/``.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .._util.atomic import write_bytes_atomic
from ..authoring.scaffold import _turtle_string
from ..errors import ScaffoldError
from ..namespaces import BASE, PREFIXES, compact
from ..project import Project, find_project
from .finders import (Claim, DateFound, Event, Mention, Quote, Reported, Span, find_claims, find_dates, find_events,
                      find_issues, find_mentions, find_quotes, find_reported)

__all__ = ["Draft", "Suggestion", "draft", "accept_draft"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_ATTRIBUTION = {"person": "kg:NamedPerson", "organization": "kg:NamedBody", "polity": "kg:SideOnly",
                "group": "kg:SideOnly", "actor": "kg:NamedBody"}


@dataclass
class Suggestion:
    """One thing the draft proposes, with the characters it rests on."""

    kind: str  # actor, issue, new-name, variant, event, quote, statement, claim, date
    spans: list[Span]
    summary: str
    status: str  # found, check, new, todo
    turtle: str = ""  # the triples it adds (empty for a comment-only suggestion)
    todo: list[str] = field(default_factory=list)
    why: str = ""
    iri: str | None = None  # a registry name: its IRI
    candidates: list[str] = field(default_factory=list)  # a possible variant: the IRIs it may be
    value: str | None = None  # a date: as read (YYYY-MM-DD, YYYY-MM or YYYY), None when it cannot be told


@dataclass
class Draft:
    """What :func:`draft` wrote, and what it found."""

    slug: str
    article: Path
    text: Path
    review: Path
    suggestions: list[Suggestion]
    other_todos: int = 0  # TODOs that are no suggestion's (a publisher the registry lacks)

    def count(self, kind: str) -> int:
        return sum(s.kind == kind for s in self.suggestions)

    @property
    def todos(self) -> int:
        return sum(len(s.todo) for s in self.suggestions) + self.other_todos

    def summary(self) -> str:
        known = len({s.summary for s in self.suggestions if s.kind == "actor"})
        issues = len({s.summary for s in self.suggestions if s.kind == "issue"})
        claims = sum("a kg:Claim" in s.turtle for s in self.suggestions)
        counts = [(known, "registry actor or place", "registry actors and places"),
                  (issues, "issue", "issues"),
                  (self.count("new-name"), "new name", "new names"),
                  (self.count("variant"), "possible variant", "possible variants"),
                  (self.count("event"), "event", "events"),
                  (self.count("quote"), "quote", "quotes"),
                  (self.count("statement"), "statement without a quote", "statements without a quote"),
                  (claims, "reported claim", "reported claims"),
                  (self.count("date"), "date", "dates")]
        found = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)
        return f"{found}; {self.todos} TODO{'' if self.todos == 1 else 's'} to review"


@dataclass
class Names:
    """What a draft looks names up in: the registry (with the ontology), its
    name index and its issues' names. Built once for a batch of drafts."""

    graph: object
    index: object
    issues: dict[str, list[str]]

    @classmethod
    def of(cls, project: Project) -> "Names":
        from ..identity.registry import name_index

        graph = project.load_registry()
        return cls(graph, name_index(graph), _issue_names(graph))


def draft(text_path: str | Path, *, title: str | None = None, url: str | None = None,
          published: str | None = None, slug: str | None = None, project: Project | None = None,
          output: str | Path | None = None, publisher: str | None = None, names: Names | None = None) -> Draft:
    """Draft the encoding of the text in ``text_path`` (see the module's
    description). ``output`` is the draft's TriG file (default
    ``drafts/SLUG.trig``); its text and review page are written beside it.
    ``publisher`` is the outlet's name (or IRI): when the registry has
    exactly that one, it becomes ``dcterms:publisher``; otherwise the draft
    says so in a TODO, with the candidates. ``names`` (:meth:`Names.of`)
    spares a batch from reading the registry for every text.

    Raises :class:`~kgraph.errors.ScaffoldError` for a text that is empty or
    not UTF-8, a bad slug, URL or date, or a draft that exists already.
    """
    from ..authoring.scaffold import slugify

    project = project or find_project()
    path = Path(text_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScaffoldError(f"cannot read the text: {exc.strerror or exc}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScaffoldError(f"the text is not UTF-8 (byte {exc.start})", path) from None
    if not text.strip():
        raise ScaffoldError("the text is empty", path)
    if text.startswith("\ufeff"):
        raise ScaffoldError("the text starts with a byte-order mark: save it as UTF-8 without BOM", path)
    title = " ".join((title or _first_line(text)).split())
    slug = slug or slugify(title)
    if not _SLUG.match(slug or ""):
        raise ScaffoldError(f"slug {slug!r} must be 1-80 lower-case letters, digits and hyphens", option="slug")
    date = None
    if published is not None:
        try:
            date = datetime.date.fromisoformat(published)
        except ValueError:
            raise ScaffoldError(f"publication date {published!r} is not a date (YYYY-MM-DD)", option="published") \
                from None
    if url is not None and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
        raise ScaffoldError(f"URL {url!r} must be an http or https address", option="url")
    article = Path(output) if output else project.drafts_dir / f"{slug}.trig"
    if article.suffix != ".trig":
        raise ScaffoldError("the draft is a TriG file: give -o a name ending in .trig", article, option="output")
    text_file, review = article.with_suffix(".txt"), article.with_suffix(".html")
    for target in (article, text_file, review, project.articles_dir / f"{slug}.trig"):
        if target.exists():
            raise ScaffoldError("already exists; choose another slug, or remove the old draft", target,
                                option="slug")
    root = project.root.resolve()
    if root not in article.resolve().parents:
        raise ScaffoldError(f"a draft is written inside the project ({project.root})", article, option="output")

    names = names or Names.of(project)
    index = names.index
    publisher_line = _publisher(publisher, index) if publisher is not None and publisher.strip() else None
    mentions = find_mentions(text, index)
    issues = find_issues(text, names.issues)
    quotes = find_quotes(text, mentions)
    claims = find_claims(text, mentions, quotes)
    dates = find_dates(text, date)
    events = find_events(text, mentions, dates, quotes, claims)
    reported = find_reported(text, mentions, quotes, claims)
    relative_text = article.with_suffix(".txt").resolve().relative_to(root).as_posix()
    writer = _Writer(text, slug, index, issues)
    suggestions = (writer.names(mentions) + writer.issues(issues) + writer.events(events) + writer.statements(quotes, claims)
                   + writer.reported(reported) + writer.dates(dates))
    header = [f"src:{slug} a kg:NewsArticle ;", f"    dcterms:title {_turtle_string(title)} ;"]
    if url:
        header.append(f"    dcterms:source <{url}> ;")
    if date:
        header.append(f'    dcterms:issued "{date.isoformat()}"^^xsd:date ;')
    if publisher_line:
        header.append(publisher_line)
    header += [f'    kg:textFile "{relative_text}" ;', f'    kg:sha256 "{hashlib.sha256(data).hexdigest()}" ;',
               "    # TODO review: settle every TODO below, then run kgraph draft --accept on this file",
               "    kg:reviewStatus kg:Unreviewed ."]
    document = _document(slug, title, relative_text, "\n".join(header), suggestions)
    _check_gate(document, text)
    article.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(text_file, data)
    try:
        write_bytes_atomic(article, document.encode("utf-8"))
        from .review import review_page

        write_bytes_atomic(review, review_page(text, title, suggestions, article.name).encode("utf-8"))
    except BaseException:
        for made in (text_file, article, review):
            made.unlink(missing_ok=True)
        raise
    return Draft(slug, article, text_file, review, suggestions,
                 other_todos=int(bool(publisher_line and "# TODO" in publisher_line)))


def _publisher(name: str, index) -> str:
    """The ``dcterms:publisher`` line for an outlet given by name or IRI, or a
    TODO comment with the candidates when the registry has no one such outlet."""
    from ..identity.registry import resolve_name
    from ..sparql.params import parse_iri

    wanted = " ".join(name.split())
    try:
        iri = parse_iri(wanted).value
    except ValueError:
        iri = None
    if iri is not None and iri in index.things:
        return f"    dcterms:publisher {compact(iri)} ;"
    if iri is None:
        try:
            found = resolve_name(wanted, index=index, kinds=("organization", "actor"),
                                 nothing="no actor of the registry has this name")
            return f"    dcterms:publisher {compact(found.iri)} ;"
        except ValueError as error:
            why = str(error)
    else:
        why = f"the registry has no actor {compact(iri)}"
    return f"    # TODO publisher {_comment(wanted)}: {_comment(why)} (add it to data/registry/actors.ttl as a kg:MediaOutlet)"


def _comment(words: str) -> str:
    return " ".join(words.split())


def _issue_names(graph) -> dict[str, list[str]]:
    """Every issue of the registry with its labels."""
    names: dict[str, list[str]] = {}
    for row in graph.query("""
            PREFIX kg: <https://w3id.org/kgraph/ontology#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?issue ?name WHERE {
              ?issue a kg:Issue ; skos:prefLabel|skos:altLabel|rdfs:label ?name .
            }"""):
        names.setdefault(row["issue"].value, []).append(row["name"].value)
    return names


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "untitled")[:200]


# -- writing ------------------------------------------------------------------


class _Writer:
    def __init__(self, text: str, slug: str, index, issues: list[Mention] = ()) -> None:
        self.text = text
        self.slug = slug
        self.index = index
        self.issue_mentions = list(issues)
        self.excerpts: dict[tuple[int, int], str] = {}
        self.new_iris: dict[str, str] = {}

    def excerpt(self, span: Span, name: str) -> tuple[str, str]:
        """The excerpt's prefixed name, and its triples (once per span)."""
        key = (span.start, span.end)
        if key in self.excerpts:
            return f"x:{self.excerpts[key]}", ""
        local = name
        n = 2
        while local in self.excerpts.values():
            local, n = f"{name}-{n}", n + 1
        self.excerpts[key] = local
        return f"x:{local}", (f"x:{local} a kg:Excerpt ; prov:wasQuotedFrom src:{self.slug} ;\n"
                              f"    oa:exact {_turtle_string(span.exact)} ;\n"
                              f"    oa:start {span.start} ; oa:end {span.end} .\n")

    def names(self, mentions: list[Mention]) -> list[Suggestion]:
        out = []
        for m in mentions:
            where = f"{m.span.start}-{m.span.end}"
            if m.known:
                out.append(Suggestion("actor", [m.span], f"{compact(m.iri)} ({m.label})", "found",
                                      why=f"{m.why} at {where}", iri=m.iri))
            elif m.candidates:
                best = ", or ".join(f"{compact(c.iri)} ({c.label}: {c.reason})" for c in m.candidates)
                out.append(Suggestion("variant", [m.span], f"{m.span.exact!r} may be {best}", "check",
                                      todo=[f"{m.span.exact!r} at {where}: is it {best}? If so, use that IRI (and "
                                            "add this spelling as skos:altLabel in the registry); if not, describe "
                                            "a new actor"], candidates=[c.iri for c in m.candidates]))
            else:
                kind = m.guessed_kind or "actor, place or neither"
                out.append(Suggestion("new-name", [m.span], f"{m.span.exact!r}: a new name ({kind}?)", "new",
                                      todo=[f"{m.span.exact!r} at {where}: not in the registry; if it is an actor "
                                            f"or place ({kind}?) the article relies on, describe it in "
                                            "data/registry/"]))
        return out

    def statements(self, quotes: list[Quote], claims: list[Claim]) -> list[Suggestion]:
        out = []
        claim_of_sentence: dict[int, tuple[str, Claim]] = {}
        for n, claim in enumerate(claims, 1):
            iri = f"claim:{self.slug}-claim-{n}"
            claim_of_sentence[claim.sentence.start] = (iri, claim, n)
        for n, quote in enumerate(quotes, 1):
            name = f"quote-{n}"
            excerpt, excerpt_turtle = self.excerpt(quote.sentence, name)
            todo = []
            lines = [f"stmt:{self.slug}-{name} a kg:Statement ;"]
            speaker = quote.speaker
            if speaker is not None and speaker.known:
                lines.append(f"    kg:speaker {compact(speaker.iri)} ;  # {quote.speaker_why}: check")
                attribution = _ATTRIBUTION.get(speaker.kind)
                if attribution:
                    lines.append(f"    kg:attribution {attribution} ;")
                todo.append(f"the speaker {compact(speaker.iri)} ({quote.speaker_why})")
            elif speaker is not None:
                lines.append(f"    # TODO speaker: {speaker.span.exact!r} (a new name), or who else said it")
                todo.append(f"the speaker: {speaker.span.exact!r} is not in the registry")
            else:
                lines.append("    # TODO speaker: the text names none near the quote")
                todo.append("the speaker: none found")
            for words in quote.parts:
                lines.append(f"    kg:quote {_turtle_string(words.exact)} ;")
            lines.append(f"    kg:evidence {excerpt} ;")
            claimed = claim_of_sentence.pop(quote.sentence.start, None)
            stance_lines = []
            if quote.stance is not None:
                lines.append(f"    kg:stance stance:{self.slug}-{name} .")
                stance_lines = [f"stance:{self.slug}-{name} a kg:Stance ;",
                                f"    kg:expressedIn stmt:{self.slug}-{name} ;",
                                f"    kg:stanceType kg:{quote.stance} ;  # from {quote.cue.exact!r}: check"]
                if claimed:
                    stance_lines.append(f"    kg:target {claimed[0]} ;")
                else:
                    stance_lines.append("    # TODO target: the claim, issue, event or statement this is about"
                                        + self.target_hint(quote.sentence))
                    todo.append("the stance's target")
                # the quote the stance rests on: the parts of the quote that its excerpt (the sentence) holds
                held = [w.exact for w in quote.parts if w.exact in quote.sentence.exact]
                if held:
                    stance_lines.append(f"    kg:stanceQuote {', '.join(_turtle_string(w) for w in held)} ;")
                stance_lines.append(f"    kg:evidence {excerpt} .")
                todo.append(f"the stance type kg:{quote.stance} (from {quote.cue.exact!r})")
            else:
                lines[-1] = lines[-1].rstrip(" ;") + " ."
                lines.insert(1, "    # TODO no speech verb found: add a stance if these words express one "
                                "(or delete the statement if they are a title or a phrase in quotes)")
                todo.append("whether the words are a statement at all")
            body = excerpt_turtle + "\n".join(lines) + "\n" + ("\n".join(stance_lines) + "\n" if stance_lines else "")
            if claimed:
                body += self._claim_turtle(claimed[0], claimed[1], excerpt)
                todo += ["the claim's proposition and kind"]
            who = compact(speaker.iri) if speaker is not None and speaker.known else "?"
            out.append(Suggestion("quote", [*quote.parts] + ([quote.cue] if quote.cue else []),
                                  f"{who} {quote.stance or 'said?'}: “{' … '.join(quote.words)}”", "todo",
                                  body, todo))
        for iri, claim, n in claim_of_sentence.values():
            excerpt, excerpt_turtle = self.excerpt(claim.sentence, f"claim-{n}")
            todo = ["the claim's proposition and kind"]
            lines = [f"stmt:{self.slug}-claim-{n} a kg:Statement ;"]
            if claim.reporter is not None:
                verb = "denies it" if claim.stance == "Deny" else "reports it"
                lines.append(f"    kg:speaker {compact(claim.reporter.iri)} ;  # {verb}: "
                             f"{claim.reporter_words.exact!r}: check")
                lines.append(f"    kg:attribution {_ATTRIBUTION.get(claim.reporter.kind, 'kg:SideOnly')} ;")
            else:
                lines.append(f"    # TODO speaker: who {claim.reporter_words.exact!r} is, in the registry")
                todo.append(f"who reports it: {claim.reporter_words.exact!r}")
            lines += [f"    kg:paraphrase {_turtle_string(claim.content.exact)} ;  # the text's own words",
                      f"    kg:evidence {excerpt} ;", f"    kg:stance stance:{self.slug}-claim-{n} .",
                      f"stance:{self.slug}-claim-{n} a kg:Stance ;",
                      f"    kg:expressedIn stmt:{self.slug}-claim-{n} ;",
                      f"    kg:stanceType kg:{claim.stance} ;  # from {claim.cue.exact.strip(' ,')!r}: check",
                      f"    kg:target {iri} ;", f"    kg:evidence {excerpt} ."]
            body = excerpt_turtle + "\n".join(lines) + "\n" + self._claim_turtle(iri, claim, excerpt)
            out.append(Suggestion("claim", [claim.cue, claim.content],
                                  f"{compact(claim.reporter.iri) if claim.reporter else '?'} "
                                  f"{'denies' if claim.stance == 'Deny' else 'reports'}: "
                                  f"{claim.content.exact[:80]}", "todo", body, todo))
        return out

    def reported(self, reported: list[Reported]) -> list[Suggestion]:
        out = []
        for n, r in enumerate(reported, 1):
            name = f"said-{n}"
            excerpt, excerpt_turtle = self.excerpt(r.sentence, name)
            lines = [f"stmt:{self.slug}-{name} a kg:Statement ;",
                     f"    kg:speaker {compact(r.speaker.iri)} ;  # the name before {r.cue.exact!r}: check",
                     f"    kg:attribution {_ATTRIBUTION.get(r.speaker.kind, 'kg:SideOnly')} ;",
                     f"    kg:paraphrase {_turtle_string(r.sentence.exact)} ;  # the text's own words; no quote",
                     f"    kg:evidence {excerpt} ;", f"    kg:stance stance:{self.slug}-{name} .",
                     f"stance:{self.slug}-{name} a kg:Stance ;", f"    kg:expressedIn stmt:{self.slug}-{name} ;",
                     f"    kg:stanceType kg:{r.stance} ;  # from {r.cue.exact!r}: check",
                     "    # TODO target: the claim, issue, event or statement this is about"
                     + self.target_hint(r.sentence),
                     f"    kg:evidence {excerpt} ."]
            todo = [f"the speaker {compact(r.speaker.iri)}", f"the stance type kg:{r.stance} (from {r.cue.exact!r})",
                    "the stance's target"]
            out.append(Suggestion("statement", [r.speaker.span, r.cue],
                                  f"{compact(r.speaker.iri)} {r.stance} (no quote): {r.sentence.exact[:80]}", "todo",
                                  excerpt_turtle + "\n".join(lines) + "\n", todo))
        return out

    def _claim_turtle(self, iri: str, claim: Claim, excerpt: str) -> str:
        return (f"{iri} a kg:Claim ;\n"
                "    # TODO kind: kg:claimKind (kg:TopicDiscussed, kg:PlannedEvent, kg:PositionClaim, ...)"
                f"{self.target_hint(claim.sentence, 'kg:topic? the sentence names')}\n"
                f"    kg:proposition {_turtle_string(claim.content.exact)} ;  # TODO say it as one plain sentence\n"
                f"    kg:evidence {excerpt} .\n")

    def issues(self, issues: list[Mention]) -> list[Suggestion]:
        return [Suggestion("issue", [m.span], f"{compact(m.iri)} ({m.label})", "found",
                           why=f"{m.why} at {m.span.start}-{m.span.end}", iri=m.iri) for m in issues]

    def target_hint(self, span: Span, lead: str = "the sentence names") -> str:
        """The issues the text names inside ``span``, as a hint for a stance's target."""
        named = []
        for m in self.issue_mentions:
            if span.start <= m.span.start and m.span.end <= span.end and compact(m.iri) not in named:
                named.append(compact(m.iri))
        return f" ({lead} {', '.join(named)})" if named else ""

    def events(self, events: list[Event]) -> list[Suggestion]:
        out = []
        for n, event in enumerate(events, 1):
            name = f"event-{n}"
            excerpt, excerpt_turtle = self.excerpt(event.sentence, name)
            iri = f"event:{self.slug}-{name}"
            todo = [f"what the event is (kg:{event.kind}, from {event.cue.exact!r}), and whether another sentence "
                    "reports the same one (then keep one event with both excerpts)", "its rdfs:label"]
            lines = [f"{iri} a kg:{event.kind} ;  # from {event.cue.exact!r}: check",
                     "    # TODO label: rdfs:label saying what, who and when"
                     + (' ("Meeting of ... in ..., 1 March 2023")' if "Meeting" in event.kind else "")]
            for d in event.dates:
                words = _turtle_string(d.span.exact)
                if d.date is None or d.needs_review:
                    lines.append(f"    # TODO date: {d.span.exact!r} ({d.needs_review or 'not a date kgraph can read'})")
                    todo.append(f"the date {d.span.exact!r}")
                elif d.precision == "year":
                    lines.append(f'    kg:year "{d.date.year}"^^xsd:gYear ; kg:dateAsWritten {words} ;')
                elif d.precision == "day":
                    since = re.search(r"\b(?:since|from)\s+$", self.text[event.sentence.start:d.span.start])
                    prop = "kg:startDate" if since else "kg:date"
                    lines.append(f'    {prop} "{d.date.isoformat()}"^^xsd:date ; kg:dateAsWritten {words} ;')
                else:
                    lines.append(f"    # TODO date: {d.span.exact!r} is a month: put it in kg:dateAsWritten or a "
                                 "kg:startDate/kg:endDate pair")
                    todo.append(f"the date {d.span.exact!r}")
            if event.kind == "Blockade":
                lines += [f"    kg:blockadeOf {compact(m.iri)} ;" for m in event.places[:1]]
                lines += [f"    kg:blockadedBy {compact(m.iri)} ;" for m in event.by]
            elif event.kind == "ProposedMeeting":
                lines += [f"    kg:proposedPlace {compact(m.iri)} ;" for m in event.places]
                lines += [f"    kg:excludedParticipant {compact(m.iri)} ;  # 'without ... of': check"
                          for m in event.excluded]
            elif event.places:
                lines.append(f"    kg:place {compact(event.places[0].iri)} ;  # check")
            participations, seen = [], set()
            for who, role, _ in event.roles:
                if (who.iri, role) in seen:
                    continue
                seen.add((who.iri, role))
                part = f"part:{self.slug}-{name}-{who.iri.rsplit('/', 1)[-1]}-{role.lower()}"
                body = f"{part} a kg:Participation ; kg:participant {compact(who.iri)} ; kg:role kg:{role} ;"
                if role == "Representative":
                    body += "\n    # TODO onBehalfOf: kg:onBehalfOf the side this person represents"
                    todo.append(f"whom {who.label} represents")
                participations.append((part, body + f"\n    kg:evidence {excerpt} ."))
            if participations:
                lines.append(f"    kg:participation {', '.join(p for p, _ in participations)} ;  # check each role")
            if event.kind == "Meeting" and sum(role == "Party" for _, role, _ in event.roles) < 2:
                lines.append("    # TODO parties: a meeting needs two participations with kg:role kg:Party")
                todo.append("the meeting's two parties")
            lines.append(f"    kg:evidence {excerpt} .")
            body = excerpt_turtle + "\n".join(lines) + "\n" + "".join(b + "\n" for _, b in participations)
            who = ", ".join(f"{compact(m.iri)} ({role})" for m, role, _ in event.roles) or "no participant named"
            spans = [event.cue] + [m.span for m, _, _ in event.roles] + [m.span for m in event.places] \
                + [d.span for d in event.dates]
            out.append(Suggestion("event", spans, f"kg:{event.kind} from {event.cue.exact!r}: {who}", "todo", body,
                                  todo))
        return out

    def dates(self, dates: list[DateFound]) -> list[Suggestion]:
        out = []
        for d in dates:
            value = "?" if d.date is None else {"year": f"{d.date.year}", "month": d.date.isoformat()[:7]}.get(
                d.precision, d.date.isoformat())
            todo = [f"{d.span.exact!r} at {d.span.start}: {d.needs_review}"] if d.needs_review else []
            out.append(Suggestion("date", [d.span], f"{d.span.exact!r} = {value}", "check" if todo else "found",
                                  todo=todo, value=None if d.date is None else value))
        return out


def _document(slug: str, title: str, text_file: str, header: str, suggestions: list[Suggestion]) -> str:
    prefixes = ["kg", "actor", "place", "issue", "event", "part", "stmt", "stance", "claim", "src", "rdfs", "skos", "xsd",
                "dcterms", "prov", "oa", "post", "org"]
    width = max(len(p) for p in prefixes + ["x"]) + 1
    block = "\n".join(f"@prefix {(p + ':').ljust(width)} <{PREFIXES[p]}> ." for p in prefixes if p in PREFIXES)
    block += f"\n@prefix {'x:'.ljust(width)} <{PREFIXES['excerpt']}{slug}/> ."
    found = [s for s in suggestions if s.kind == "actor"]
    seen: dict[str, list[str]] = {}
    for s in found:
        seen.setdefault(s.summary, []).append(f"{s.spans[0].start}-{s.spans[0].end}")
    lines = [f"# Draft of the encoding of {title!r}, written by kgraph draft: NOT REVIEWED.",
             f"# The text is {text_file}; every excerpt below is a piece of it (oa:start/oa:end, code points).",
             "# Check each suggestion against the text, fix or delete it, settle each TODO; then",
             f"#     kgraph validate {Path(text_file).with_suffix('.trig').as_posix()}",
             "# shows what is left, and kgraph draft --accept on this file moves it into data/.",
             "", block, "", "# Names of the registry in the text (IRI, then where):"]
    lines += [f"#   {name}: {', '.join(places)}" for name, places in seen.items()]
    others = [s for s in suggestions if s.kind in ("variant", "new-name")]
    if others:
        lines += ["#", "# Names to settle:"] + [f"#   TODO {t}" for s in others for t in s.todo]
    dates = [s for s in suggestions if s.kind == "date"]
    if dates:
        lines += ["#", "# Dates in the text (as written = as read):"]
        lines += [f"#   {'TODO ' if s.todo else ''}{s.summary}{' (' + s.todo[0].split(': ', 1)[1] + ')' if s.todo else ''}"
                  f" at {s.spans[0].start}" for s in dates]
    lines += ["", f"<{BASE}graph/articles/{slug}> {{", "", header, ""]
    for s in suggestions:
        if s.turtle:
            lines += [f"# --- {s.kind}: {s.summary}", s.turtle]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _check_gate(document: str, text: str) -> None:
    """Every excerpt's words are the text between its positions, every quote
    and paraphrase is in the text, and the draft parses: else a bug, never a
    draft that says what the text does not."""
    import pyoxigraph as ox

    from ..namespaces import KG

    graph = list(ox.parse(document.encode("utf-8"), format=ox.RdfFormat.TRIG))
    by_subject: dict[str, dict[str, str]] = {}
    for q in graph:
        by_subject.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
        if q.predicate.value in (KG + "quote", KG + "paraphrase", KG + "dateAsWritten", KG + "proposition",
                                 PREFIXES["oa"] + "exact") \
                and q.object.value not in text:
            raise AssertionError(f"kgraph draft would write words that are not in the text: {q.object.value!r}")
    oa = PREFIXES["oa"]
    for subject, values in by_subject.items():
        if oa + "start" in values:
            start, end = int(values[oa + "start"]), int(values[oa + "end"])
            if text[start:end] != values[oa + "exact"]:
                raise AssertionError(f"kgraph draft: the positions of {subject} do not hold its words")


# -- accepting ------------------------------------------------------------------


def accept_draft(path: str | Path, *, project: Project | None = None, sources: str | Path | None = None):
    """Move a reviewed draft into ``data/``: its text to
    ``data/sources/SLUG.txt``, its encoding (without the unreviewed mark,
    pointing at the moved text) to ``data/articles/SLUG.trig``. Nothing
    moves while a ``# TODO`` is left in the file, or unless the draft, so
    changed, validates with no violation.

    With ``sources`` (a folder: the sources folder, see
    :func:`kgraph.validate`), the text is one that may not be redistributed:
    it goes to ``SOURCES/SLUG.txt`` instead, and the encoding names it with
    ``kg:textName "SLUG.txt"``; nothing of the text enters the repository
    but the excerpts.

    Returns the validation report, its results pointing at the draft's own
    lines (``accepted`` is the new article's path when it moved). Raises
    ScaffoldError when the file is not a draft or its destination exists.
    """
    import dataclasses
    import shutil
    import tempfile

    from ..validation.report import ValidationReport, Violation
    from ..validation.run import validate

    project = project or find_project()
    path = Path(path)
    try:
        document = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScaffoldError(f"cannot read the draft: {exc}", path) from None
    mark = re.search(r"^[ \t]*kg:reviewStatus kg:Unreviewed \.[ \t]*$", document, re.M)
    source = re.search(r'kg:textFile "([^"]+)"', document)
    if not mark or not source:
        raise ScaffoldError("not a draft of kgraph draft (no kg:reviewStatus kg:Unreviewed line, or no kg:textFile)",
                            path)
    slug = path.stem
    outside = Path(sources).expanduser() if sources is not None else None
    folder = outside if outside is not None else project.sources_dir
    article, text = project.articles_dir / f"{slug}.trig", folder / f"{slug}.txt"
    old_text = project.root / source.group(1)
    if not old_text.is_file():
        raise ScaffoldError(f"the draft's text {source.group(1)} is missing", path)
    for target in (article, text):
        # a copy already in the sources folder is taken as it is if it holds the same text
        same = target == text and outside is not None and target.is_file() \
            and target.read_bytes() == old_text.read_bytes()
        if target.exists() and not same:
            raise ScaffoldError("already exists: the draft would overwrite it", target)
    # the line before the mark ends with ";" in the draft: it ends the description now. The mark and its
    # TODO line become empty lines, so that every other line keeps its number.
    before = document[:mark.start()]
    review = re.search(r"\n([^\n]*# TODO review:[^\n]*)\n[ \t]*$", before)
    removed = 1
    if review:
        before, removed = before[:review.start() + 1], 2
    body = before.rstrip()
    if not body.endswith(";"):
        raise ScaffoldError("the line before kg:reviewStatus must end with ';' (as the draft wrote it)", path)
    accepted = body[:-1].rstrip() + " ." + "\n" * (before.count("\n") - body.count("\n") + removed - 1) \
        + document[mark.end():]
    assert accepted.count("\n") == document.count("\n")
    left = [Violation("violation", f"a TODO is left: {line.strip()}", file=path, line=n, source="kgraph:draft")
            for n, line in enumerate(accepted.splitlines(), 1) if re.search(r"#\s*TODO\b", line)]
    if left:
        return ValidationReport(violations=left, files=[path])
    if outside is None:
        relative = text.resolve().relative_to(project.root.resolve()).as_posix()
        accepted = accepted.replace(f'kg:textFile "{source.group(1)}"', f'kg:textFile "{relative}"', 1)
    else:
        relative = f"kept-outside/{slug}.txt"  # in the trial copy only
        accepted = accepted.replace(f'kg:textFile "{source.group(1)}"', f'kg:textName "{slug}.txt"', 1)
    with tempfile.TemporaryDirectory(prefix="kgraph-accept-") as scratch:
        trial = Path(scratch)
        for part in ("ontology", "queries", "data"):
            if (project.root / part).is_dir():
                shutil.copytree(project.root / part, trial / part)
        for part in ("data/articles", "data/sources", "kept-outside"):
            (trial / part).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(old_text, trial / relative)
        trial_article = trial / "data" / "articles" / f"{slug}.trig"
        trial_article.write_text(accepted, encoding="utf-8")
        report = validate([trial_article], project=find_project(trial), sources=trial / "kept-outside",
                          require_sources=True)

        def home(v: Violation) -> Violation:  # a result in the trial copy, pointed at the user's file
            if v.file is None or trial.resolve() not in Path(v.file).resolve().parents:
                return v
            inside = Path(v.file).resolve().relative_to(trial.resolve())
            return dataclasses.replace(v, file=path if inside == Path("data/articles", f"{slug}.trig")
                                       else project.root / inside)

        report.violations = [home(v) for v in report.violations]
        report.errors = [home(v) for v in report.errors]
        if report.violations or report.errors:
            return report
    for needed in (project.articles_dir, folder):
        needed.mkdir(parents=True, exist_ok=True)
    kept = text.exists()
    if not kept:
        write_bytes_atomic(text, old_text.read_bytes())
    try:
        write_bytes_atomic(article, accepted.encode("utf-8"))
    except BaseException:
        if not kept:
            text.unlink(missing_ok=True)
        raise
    for done in (path, old_text, path.with_suffix(".html")):
        done.unlink(missing_ok=True)
    report.accepted = article
    return report
