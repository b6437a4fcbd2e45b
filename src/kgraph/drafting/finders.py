"""What a news text says, found by rules a reviewer can follow: sentences,
names (the registry's, their variants, and new ones), quotes with their
speakers and cues, statements without quotation, reported claims, events,
issues, and dates.

Every finding is a :class:`Span` of the text (code points from 0, the end
excluded) with the exact characters it rests on, so that ``text[start:end]
== exact`` always holds. The rules are deliberately plain: a reviewer can
see why each suggestion was made (the ``why`` of each finding), and nothing
is suggested that the text does not say.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from ..identity.normalize import normal_form
from ..identity.resolver import Candidate, NameIndex

__all__ = ["Span", "Mention", "Quote", "Claim", "DateFound", "Event", "Reported", "sentences", "find_mentions",
           "find_quotes", "find_claims", "find_reported", "find_dates", "find_events", "find_issues"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])


@dataclass
class Mention:
    """A name in the text: of a registry entry (``iri``), a likely variant of
    one (``candidates``, never taken as it), or new (neither)."""

    span: Span
    iri: str | None = None
    label: str | None = None
    kind: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    guessed_kind: str | None = None  # for a new name: what the words around it say it is
    why: str = ""

    @property
    def known(self) -> bool:
        return self.iri is not None


@dataclass
class Quote:
    """Quoted words (one or more parts, a quote split by its speaker tag is
    one), the sentence around them, and who said them."""

    parts: list[Span]
    sentence: Span
    cue: Span | None = None
    stance: str | None = None  # a kg: stance type local name
    speaker: Mention | None = None
    speaker_why: str = ""

    @property
    def words(self) -> list[str]:
        return [p.exact for p in self.parts]


@dataclass
class Claim:
    """A sentence that reports something as said by someone, not as fact."""

    sentence: Span
    content: Span
    cue: Span
    reporter: Mention | None = None
    reporter_words: Span | None = None
    stance: str = "Assert"  # the reporter's stance on it: Assert, or the verb's ("denied that": Deny)


@dataclass
class DateFound:
    span: Span
    date: datetime.date | None  # None: relative, or no way to tell
    precision: str  # day, month, year
    needs_review: str = ""  # why a person must check it (no year given, a relative date)


# -- sentences ----------------------------------------------------------------

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "st", "jr", "sr", "no", "vs", "etc",
                  "u.s", "u.k", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                  "nov", "dec"}
_SENTENCE_END = re.compile(r"[.!?…]+[”’»\"')\]]*(?=\s+|$)")


def sentences(text: str) -> list[Span]:
    """The text's sentences (paragraph breaks end one too), trimmed."""
    found: list[Span] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        start = paragraph.start()
        for end_mark in _SENTENCE_END.finditer(text, paragraph.start(), paragraph.end()):
            before = re.search(r"([\w.]+)[.]$", text[start:end_mark.start() + 1])
            if before and before.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            after = text[end_mark.end():paragraph.end()].lstrip()
            if after and not (after[0].isupper() or after[0] in "“\"«„‘(["):
                continue  # "the U.S. side", a decimal, an ellipsis inside a sentence
            found.append(_trimmed(text, start, end_mark.end()))
            start = end_mark.end()
        if text[start:paragraph.end()].strip():
            found.append(_trimmed(text, start, paragraph.end()))
    return [s for s in found if s.exact]


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span.of(text, start, end)


# -- names --------------------------------------------------------------------

_WORD = re.compile(r"[^\W_](?:[\w]|[-’'.](?=\w))*")
_CONNECTORS = {"of", "the", "for", "and", "de", "al", "el", "on"}
#: Capitalised words that are not names at the start of a sentence (or anywhere).
_NOT_NAMES = set("""a an the this that these those it its he she they we i you his her their our my your
    but and or so yet if when while after before during since on in at by for from with without to of as
    according however meanwhile also earlier later then there here now today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december mr mrs ms dr president minister spokesman spokeswoman
    spokesperson representative representatives delegation delegations sources source reportedly""".split())
_PERSON_CUES = re.compile(r"\b(?:president|minister|spokes(?:man|woman|person)|secretary|ambassador|envoy|"
                          r"representative|deputy|mp|member of parliament|chairman|chair|commander|general|"
                          r"mr|mrs|ms|dr|prime minister|foreign minister|head|director|adviser|advisor|"
                          r"analyst|expert|journalist|ombudsman|mayor|governor)\.?\s*$", re.I)
_ORGANIZATION_WORDS = re.compile(r"\b(?:ministry|department|parliament|council|committee|office|agency|service|"
                                 r"assembly|government|party|union|organization|organisation|group|mission|"
                                 r"contingent|forces|army|court|commission|bank|institute|center|centre|news|"
                                 r"media|press|tv|radio|times|post)\b", re.I)
_PLACE_CUES = re.compile(r"\b(?:in|at|near|from|to|into|through|outside)\s*$", re.I)


def _words(text: str, span: Span | None = None) -> list[re.Match]:
    return list(_WORD.finditer(text, span.start if span else 0, span.end if span else len(text)))


def _case_fits(found: str, name: str) -> bool:
    """Whether ``found`` is written as ``name`` is, as far as capitals go:
    every capitalised word of the name is capitalised in the text ("the West",
    not "the west"; "The Azerbaijani side" at a sentence start is fine)."""
    words = name.split()
    for n, (a, b) in enumerate(zip(found.split(), words)):
        if n == 0 and len(words) >= 3:
            continue  # a descriptive name's first word is lower-case in a sentence: "the headquarters of ..."
        if b[:1].isupper() and not a[:1].isupper():
            return False
    return True


def find_mentions(text: str, index: NameIndex, *, max_words: int = 7) -> list[Mention]:
    """Every name in ``text``: the registry's by any of their names (the
    longest first, case as the name is written), then runs of capitalised
    words that are none of them: a likely variant of a registry name gets
    its candidates, anything else is new."""
    by_normal: dict[str, list] = {}
    for form in index.forms:
        by_normal.setdefault(form.normal, []).append(form)
    most = max((len(f.normal.split()) for f in index.forms), default=1)
    max_words = min(max_words, max(most, 1))
    mentions: list[Mention] = []
    taken = [False] * len(text)

    def named(start: int, end: int) -> Mention | None:
        for candidate_end in (end, _without_possessive(text, start, end)):
            found = text[start:candidate_end]
            forms = [f for f in by_normal.get(normal_form(found), ()) if _case_fits(found, f.text)]
            things = {f.named.iri: f for f in forms}
            if len(things) == 1:
                form = next(iter(things.values()))
                return Mention(Span.of(text, start, candidate_end), form.named.iri, form.named.label,
                               form.named.kind, why=_why_known(found, form))
        return None

    for sentence in sentences(text):
        words = _words(text, sentence)
        for i, n, mention in _longest_first(words, max_words, named):
            mentions.append(mention)
            for k in range(mention.span.start, mention.span.end):
                taken[k] = True
            # a name inside the name: "the headquarters of the Russian peacekeeping contingent"
            for _, _, inner in _longest_first(words[i + 1:i + n], n - 1, named):
                if inner.iri != mention.iri:
                    inner.why += f", inside {mention.span.exact!r}"
                    mentions.append(inner)
    mentions.extend(_new_names(text, index, taken))
    mentions.sort(key=lambda m: m.span.start)
    return mentions


def _longest_first(words: list[re.Match], limit: int, match):
    """Walk ``words`` from the left, taking at each place the longest run of
    at most ``limit`` words that ``match(start, end)`` turns into a mention:
    yields ``(first word, words taken, mention)``."""
    i = 0
    while i < len(words):
        for n in range(min(limit, len(words) - i), 0, -1):
            mention = match(words[i].start(), words[i + n - 1].end())
            if mention is not None:
                yield i, n, mention
                i += n
                break
        else:
            i += 1


def _without_possessive(text: str, start: int, end: int) -> int:
    if text[start:end].endswith(("’s", "'s")):
        return end - 2
    return end


def _why_known(found: str, form) -> str:
    if found == form.text:
        return f"the registry's name {form.text!r}"
    return f"the registry's name {form.text!r}, written {found!r}"


def _new_names(text: str, index: NameIndex, taken: list[bool]) -> list[Mention]:
    """Runs of capitalised words outside the registry's names."""
    found: list[Mention] = []
    for sentence in sentences(text):
        words = [w for w in _words(text, sentence) if not taken[w.start()]]
        run: list[re.Match] = []

        def close() -> None:
            while run and run[-1].group().lower() in _CONNECTORS:
                run.pop()
            if not run:
                return
            while run and run[0].start() == sentence.start and run[0].group().lower() in _NOT_NAMES:
                run.pop(0)  # "The", "According" opening the sentence
            while run and run[0].group().lower() in _CONNECTORS:
                run.pop(0)
            # "Secretary of the Security Council": the post's title goes, the body's name stays
            titled = next((i for i, w in enumerate(run) if w.group().lower() not in _TITLES), None)
            if titled and run[titled].group().lower() == "of":
                while titled < len(run) and run[titled].group().lower() in _CONNECTORS:
                    titled += 1
                del run[:titled]
            if not run:
                return
            first = run[0]
            names = [w for w in run if w.group()[:1].isupper()]
            if all(w.group().lower().strip("’'s") in _NOT_NAMES for w in names):
                run.clear()
                return
            opening = text[sentence.start:first.start()].strip(" “\"«„‘([")
            # a single capitalised word opening a sentence (or a quote) is too often not a name
            if len(names) == 1 and len(run) == 1 and (not opening or opening.endswith(":")) \
                    and not _lookup(index, first.group()):
                run.clear()
                return
            if sum(w.group().isupper() and len(w.group()) > 1 for w in run) >= 2:
                run.clear()  # a line in capitals: a heading or a label, not a name
                return
            if all(w.group().lower() in _TITLES or w.group().lower() in _CONNECTORS for w in run):
                run.clear()  # "Special Representative": a post's title, not who holds it
                return
            if len(run) == 1 and _is_adjective(text, first, index):
                run.clear()
                return
            start, end = first.start(), _without_possessive(text, first.start(), run[-1].end())
            span = Span.of(text, start, end)
            candidates = index.find(span.exact, limit=3, min_score=0.85)
            mention = Mention(span, candidates=[c for c in candidates if c.score >= 0.85],
                              guessed_kind=_guess_kind(text, span), why="capitalised words")
            found.append(mention)
            run.clear()

        for word in words:
            value = word.group()
            joined = bool(run) and text[run[-1].end():word.start()].strip() == ""
            if value[:1].isupper():
                if run and not joined:
                    close()  # a comma or another mark between them: two names
                run.append(word)
            elif joined and value.lower() in _CONNECTORS:
                run.append(word)  # "Ministry of Foreign Affairs"
            else:
                close()
        close()
    return found


_TITLES = set("""president vice prime minister foreign secretary general special representative envoy deputy
    spokesman spokeswoman spokesperson ambassador chairman chair commander head director adviser advisor
    press senior chief state""".split())
_DEMONYM = re.compile(r"(?:ian|ean|an|ese|ish|ern|ic|i)$")


def _is_adjective(text: str, word: re.Match, index: NameIndex) -> bool:
    """A people's or a region's adjective ("Russian", "Western"), or two
    known names joined by a hyphen ("Baku-Stepanakert"): not an actor."""
    value = word.group()
    parts = value.split("-")
    if len(parts) > 1 and all(_lookup(index, part) for part in parts):
        return True
    following = re.match(r"\s+([a-z][\w-]*)", text[word.end():])
    before_a_noun = following is None or following.group(1) not in _CONNECTORS
    return before_a_noun and any(_DEMONYM.search(part) or _lookup(index, part) for part in parts) and (
        len(parts) > 1 or bool(_DEMONYM.search(value)))


def _lookup(index: NameIndex, name: str) -> bool:
    return any(c.score >= 1.0 for c in index.find(name, limit=1))


def _guess_kind(text: str, span: Span) -> str | None:
    before = text[max(0, span.start - 40):span.start]
    if _ORGANIZATION_WORDS.search(span.exact):
        return "organization"
    if _PERSON_CUES.search(before):
        return "person"
    words = span.exact.split()
    if len(words) in (2, 3) and all(w[:1].isupper() for w in words) and _PLACE_CUES.search(before) is None:
        return "person"  # "Given Family": the commonest shape of a new name in news
    if _PLACE_CUES.search(before):
        return "place"
    return None


# -- quotes -------------------------------------------------------------------

#: Opening and closing marks, by style.
_PAIRS = [("“", "”"), ("«", "»"), ("„", "“"), ("„", "”"), ("‘", "’"), ('"', '"'), ("'", "'")]
_CUES = [
    ("DeclineToComment", r"declin\w* to comment|would not comment|refus\w* to comment|no comment|"
                         r"not comment(?:ing)?"),
    ("Deny", r"den(?:y|ied|ies|ying)|dismiss\w*|refut\w*"),
    ("Reject", r"reject\w*|rul(?:ed|es|ing) out|excluded"),
    ("Welcome", r"welcom\w*"),
    ("CallFor", r"call\w* (?:for|on)|urg\w*|demand\w*|insist\w*"),
    ("Praise", r"prais\w*|hail\w*|commend\w*"),
    ("Criticize", r"criticiz\w*|criticis\w*|condemn\w*|blam\w*|accus\w*"),
    ("Predict", r"predict\w*|expect\w*|warn\w*|forecast\w*"),
    ("Assert", r"said|says|say|stated|states|told|tells|wrote|writes|added|adds|noted|notes|stressed|"
               r"emphasi[sz]ed|declared|announced|explained|according to|claimed|claims|"
               r"insisted|recalled|saying|stating|reported|replied|answered|commented|remarked"),
]
_CUE = re.compile("|".join(rf"(?P<{name}>\b(?:{words})\b)" for name, words in _CUES), re.I)
_PRONOUN = re.compile(r"\b(he|she|they|it)\b", re.I)


def _quote_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for opening, closing in _PAIRS:
        position = 0
        while True:
            start = text.find(opening, position)
            if start < 0:
                break
            if opening in ("‘", '"', "'"):
                # an apostrophe or a straight quote opens a quote only after a space or mark, before a letter
                if (start > 0 and text[start - 1].isalnum()) or (opening == "'" and not (
                        start + 1 < len(text) and text[start + 1].isalnum())):
                    position = start + 1
                    continue
            if opening != closing and closing not in ("’", "'"):
                end = _closing(text, start, opening, closing)  # a quotation inside a quotation
            else:
                end = start + 1
                while True:
                    end = text.find(closing, end)
                    if end < 0 or closing not in ("’", "'") or end + 1 >= len(text) or not text[end + 1].isalpha():
                        break
                    end += 1  # an apostrophe inside a word ("NK’s", "it's")
            if end < 0 or "\n" in text[start:end]:
                end = _paragraphs_quoted(text, start, opening, closing)
                if end is None:
                    position = start + 1
                    continue
            if not any(a <= start < b or a < end <= b for a, b in taken) and text[start + 1:end].strip():
                spans.append(Span.of(text, start + 1, end))
                taken.append((start, end + 1))
            position = end + 1
    spans.sort(key=lambda s: s.start)
    return spans


def _closing(text: str, start: int, opening: str, closing: str) -> int:
    """Where the quotation opened at ``start`` closes in its paragraph, a
    quotation inside it opened and closed on the way; -1 if it does not."""
    depth, position = 0, start
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    while position < end:
        mark = text[position]
        if mark == opening and (opening != "„" or position == start or closing == "”"):
            depth += 1
        elif mark == closing:
            depth -= 1
            if depth == 0:
                return position
        position += 1
    return -1


def _attributed_quote(paragraph: str, opening: str, closing: str) -> bool:
    """Whether the paragraph quotes with a speech verb right by the quotation
    ("saying: “...”", "“...,” he said")."""
    for match in re.finditer(re.escape(opening) + r"[^" + re.escape(closing) + r"]*" + re.escape(closing), paragraph):
        before, after = paragraph[max(0, match.start() - 30):match.start()], paragraph[match.end():match.end() + 30]
        if re.search(rf"(?:{_CUE.pattern})[\s:,]*$", before, re.I) or re.match(
                rf"[\s,]*(?:\w+\s+){{0,3}}(?:{_CUE.pattern})", after, re.I):
            return True
    return False


def _paragraphs_quoted(text: str, start: int, opening: str, closing: str) -> int | None:
    """Where a quotation that does not close in its paragraph ends.

    News style lets a quotation run over paragraphs: each goes on without a
    closing mark, the last one closes it. It runs on to the next paragraph
    that opens a quotation of its own, or that ends without a full stop (a
    heading), or that closes it (at its last closing mark). Only for marks
    that differ at each end (``None`` for straight quotes)."""
    if opening == closing:
        return None
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    while end < len(text):
        following = text.find("\n", end + 1)
        following = len(text) if following < 0 else following
        paragraph = text[end + 1:following]
        if not paragraph.strip() or paragraph.lstrip().startswith(opening):
            break
        if paragraph.count(closing) > paragraph.count(opening):  # it closes here (what opens in it, closes in it)
            return end + 1 + paragraph.rindex(closing)
        if _attributed_quote(paragraph, opening, closing):
            break  # a paragraph of the narrative, quoting someone else with a speech verb
        if not re.search(r"[.!?…:;]\s*$", paragraph):
            break  # a heading between the paragraphs
        end = following
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _pieces(text: str, spans: list[Span]) -> list[tuple[int, Span]]:
    """Each quotation cut at the text's paragraph breaks: (its number, a piece)."""
    pieces = []
    for number, span in enumerate(spans):
        for line in re.finditer(r"[^\n]+", text[span.start:span.end]):
            piece = _trimmed(text, span.start + line.start(), span.start + line.end())
            piece = Span.of(text, piece.start + (piece.exact[:1] in "“«„‘\"'"), piece.end)
            if piece.exact.endswith(","):  # “We met,” he said: the comma is the sentence's
                piece = Span.of(text, piece.start, piece.end - 1)
            if piece.exact.strip(" “”«»„‘’\"'"):
                pieces.append((number, piece))
    return pieces


def find_quotes(text: str, mentions: list[Mention]) -> list[Quote]:
    """Quoted words in every quote style, grouped by sentence (a quote split
    by its speaker tag is one), each with its cue and speaker where the
    sentence gives them."""
    quotes: list[Quote] = []
    all_sentences = sentences(text)
    spans = _quote_spans(text)
    pieces = _pieces(text, spans)
    # one quote for each set of sentences that a quotation joins: a quotation
    # over several sentences is one, two quotations in one sentence are one
    groups: list[tuple[set[int], list[Span]]] = []  # quotations, sentences
    for sentence in all_sentences:
        numbers = {n for n, q in enumerate(spans) if q.start < sentence.end and sentence.start < q.end}
        if not numbers:
            continue
        if groups and groups[-1][0] & numbers:
            groups[-1][0].update(numbers)
            groups[-1][1].append(sentence)
        else:
            groups.append((numbers, [sentence]))
    for numbers, spanned in groups:
        sentence = Span.of(text, spanned[0].start, spanned[-1].end)
        inside = [p for n, p in pieces if n in numbers]
        if not inside:
            continue
        quote = Quote(inside, sentence)
        outside = _outside(text, sentence, inside)
        cues = [(m, start) for start, end in outside for m in _CUE.finditer(text, start, end)]
        if cues:
            cue, _ = cues[0]
            quote.cue = Span.of(text, cue.start(), cue.end())
            quote.stance = cue.lastgroup
        speakers = [m for m in mentions if m.known and m.kind != "place" and sentence.start <= m.span.start
                    and m.span.end <= sentence.end and any(a <= m.span.start and m.span.end <= b for a, b in outside)]
        new_speakers = [m for m in mentions if not m.known and m.guessed_kind in ("person", "organization")
                        and sentence.start <= m.span.start and m.span.end <= sentence.end
                        and any(a <= m.span.start and m.span.end <= b for a, b in outside)]
        pool = speakers or new_speakers
        if pool and quote.cue is not None:
            # "X, an analyst at Y, said": the clause's subject, before the verb (a person first);
            # "said X": the name after it
            before = [m for m in pool if m.span.end <= quote.cue.start]
            people = [m for m in before if (m.kind or m.guessed_kind) == "person"]
            if before:
                quote.speaker = (people or before)[0]
                quote.speaker_why = f"the {'person' if people else 'name'} before {quote.cue.exact!r}"
            else:
                quote.speaker = min(pool, key=lambda m: _distance(m.span, quote.cue))
                quote.speaker_why = f"the name after {quote.cue.exact!r}"
        elif pool and len(inside) == 1 and len(spanned) == 1:
            quote.speaker = pool[0]
            quote.speaker_why = "the only name outside the quote (no speech verb found)"
        elif quote.cue is not None and _PRONOUN.search(text, quote.cue.start - 12, quote.cue.end + 12):
            earlier = [m for m in mentions if m.known and m.kind == "person" and m.span.end <= sentence.start]
            if earlier:
                quote.speaker = earlier[-1]
                quote.speaker_why = f"a pronoun by {quote.cue.exact!r}: the person named last before it"
        if quote.speaker is None and quote.cue is None:
            byline = _byline(text, sentence.start, mentions)
            if byline is not None:
                quote.speaker = byline
                quote.speaker_why = "named alone on a line above the quotation (a byline or an interview's heading)"
        quotes.append(quote)
    return quotes


def _byline(text: str, before: int, mentions: list[Mention]) -> Mention | None:
    """The person a line above ``before`` names alone ("Hakob Badalyan,
    political commentator"), the nearest such line: in an interview or an
    opinion piece the quotations under it are theirs."""
    people = [m for m in mentions if m.known and m.kind == "person" and m.span.end <= before]
    for m in reversed(people):
        line_start = text.rfind("\n", 0, m.span.start) + 1
        line_end = text.find("\n", m.span.end)
        line_end = len(text) if line_end < 0 else line_end
        rest = text[m.span.end:line_end].strip()
        if not text[line_start:m.span.start].strip() and (not rest or (rest.startswith(",") and len(rest) < 80
                                                                       and not re.search(r"[.!?”\"»]$", rest))):
            return m
    return None


def _outside(text: str, sentence: Span, parts: list[Span]) -> list[tuple[int, int]]:
    """The stretches of ``sentence`` outside its quotes (marks excluded)."""
    stretches, position = [], sentence.start
    for part in parts:
        stretches.append((position, max(position, part.start - 1)))
        position = part.end + 1
    stretches.append((position, sentence.end))
    return [(a, b) for a, b in stretches if b > a]


def _distance(a: Span, b: Span) -> int:
    return max(b.start - a.end, a.start - b.end, 0)


# -- reported claims ------------------------------------------------------------

_REPORTED = re.compile(
    r"\b(?:it (?:is|was|has been) (?:reported|claimed|alleged|said)(?: (?:from|in|by) (?P<from>[^,]+?))? that"
    r"|according to (?P<source>[^,]+?),"
    r"|(?P<who>[A-Z][\w-]*(?: [A-Z][\w-]*)*(?: media| sources| outlets)?) (?:reported|claimed|alleged) that)\s*",
    re.I)
_ACCORDING_AT_END = re.compile(r",\s*according to (?P<source>[^,]+?)[.!]?$", re.I)
_SAID_THAT = re.compile(rf"(?P<cue>\b(?:{'|'.join(words for _, words in _CUES)}))\s+that\s+", re.I)


def find_claims(text: str, mentions: list[Mention], quotes: list[Quote] | None = None) -> list[Claim]:
    """Sentences that report something rather than state it ("It is reported
    from Baku that ...", "..., according to Azeri media", "X denied that
    ..."): the claim's words, who reports it, and the speech verb's stance."""
    claims = []
    quoted = {q.sentence.start for q in quotes or ()}
    for sentence in sentences(text):
        claim = None
        match = _REPORTED.search(text, sentence.start, sentence.end)
        if match:
            group = next(g for g in ("from", "source", "who") if match.group(g))
            words = Span.of(text, match.start(group), match.end(group))
            claim = Claim(sentence, _trimmed(text, match.end(), sentence.end), Span.of(text, match.start(),
                                                                                    match.end()), None, words)
        elif (end := _ACCORDING_AT_END.search(text, sentence.start, sentence.end)) is not None:
            words = Span.of(text, end.start("source"), end.end("source"))
            claim = Claim(sentence, _trimmed(text, sentence.start, end.start()),
                          Span.of(text, end.start(), end.end()), None, words)
        elif sentence.start not in quoted and (said := _SAID_THAT.search(text, sentence.start, sentence.end)):
            before = [m for m in mentions if m.known and m.kind != "place" and sentence.start <= m.span.start
                      and m.span.end <= said.start()]
            if before:
                who = before[-1]
                stance = next(name for name, _ in _CUES if re.fullmatch(dict(_CUES)[name], said.group("cue"), re.I))
                claim = Claim(sentence, _trimmed(text, said.end(), sentence.end), Span.of(text, said.start("cue"),
                              said.end("cue")), who, who.span, stance=stance)
        if claim is None or not claim.content.exact:
            continue
        if claim.reporter is None:
            claim.reporter = next((m for m in mentions if m.known and claim.reporter_words.start <= m.span.start
                                   and m.span.end <= claim.reporter_words.end), None)
        claims.append(claim)
    return claims


@dataclass
class Reported:
    """A sentence in which an actor says or does something with words, told
    without quotation marks or "that" ("NK denies information published by
    Azeri media", "Ned Price declined to comment")."""

    sentence: Span
    speaker: Mention
    cue: Span
    stance: str


#: Between the speaker and the verb: nothing, an adverb, or an apposition between commas.
_SUBJECT_GAP = re.compile(r"\s*(?:,[^,.;:]{1,80},\s*|\s(?:also|again|then|now|later|once again|repeatedly|"
                          r"strongly|firmly|publicly|reportedly)\s+)?")


def find_reported(text: str, mentions: list[Mention], quotes: list[Quote] | None = None,
                  claims: list[Claim] | None = None) -> list[Reported]:
    """Statements without quotation: an actor of the registry followed by a
    speech verb ("X denies", "X, the envoy, declined to comment", "which X
    demands"), in sentences that give no quote or claim already."""
    taken = [(q.sentence.start, q.sentence.end) for q in quotes or ()]
    taken += [(c.sentence.start, c.sentence.end) for c in claims or ()]
    found = []
    for sentence in sentences(text):
        if any(a < sentence.end and sentence.start < b for a, b in taken):
            continue
        for cue in _CUE.finditer(text, sentence.start, sentence.end):
            if cue.group().lower() == "according to":
                continue
            speakers = [m for m in mentions if m.known and m.kind != "place" and sentence.start <= m.span.start
                        and m.span.end <= cue.start()
                        and _SUBJECT_GAP.fullmatch(text, m.span.end, cue.start())]
            if speakers:
                found.append(Reported(sentence, speakers[-1], Span.of(text, cue.start(), cue.end()), cue.lastgroup))
                break
    return found


# -- dates --------------------------------------------------------------------

_MONTHS = {m: i + 1 for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                           "september", "october", "november", "december"])}
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_DATE = re.compile(
    rf"\b(?:(?P<iso>(?P<y0>\d{{4}})-(?P<m0>\d{{2}})-(?P<d0>\d{{2}}))"
    rf"|{_MONTH}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>January|February|March|April|May|June|July|August|"
    rf"September|October|November|December)(?:\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<month3>January|February|March|April|May|June|July|August|September|October|November|December)"
    rf"\s+(?P<y3>\d{{4}})"
    rf"|(?<=\b(?:in|of|by) )(?P<y4>(?:1[89]|20)\d{{2}})(?![-–]?\d)"
    rf"|(?<=\b(?:since|until|after) )(?P<y5>(?:1[89]|20)\d{{2}})(?![-–]?\d)"
    rf"|(?<=\bbefore )(?P<y6>(?:1[89]|20)\d{{2}})(?![-–]?\d)"
    rf"|(?P<relative>(?:last|next|this|on)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|"
    rf"month|year)|yesterday|today|tomorrow|the day before|earlier this (?:week|month|year)))\b")


def find_dates(text: str, published: datetime.date | None = None) -> list[DateFound]:
    """Dates as the text writes them, resolved where they can be: a full
    date as it is; a day and month with the publication's year, marked for
    review; a relative date ("on Thursday") never resolved."""
    found = []
    for match in _DATE.finditer(text):
        span = Span.of(text, match.start(), match.end())
        if match.group("relative"):
            found.append(DateFound(span, None, "day", "a relative date: work it out from the publication date "
                                                     "and the context"))
            continue
        try:
            if match.group("iso"):
                found.append(DateFound(span, datetime.date(int(match["y0"]), int(match["m0"]), int(match["d0"])),
                                       "day"))
                continue
            year = match["y4"] or match["y5"] or match["y6"]
            if year:  # "in 2020", "the war of 2020": a year, after a preposition that makes it a date
                found.append(DateFound(span, datetime.date(int(year), 1, 1), "year"))
                continue
            if match.group("month3"):
                month = _MONTHS[match["month3"].lower()]
                found.append(DateFound(span, datetime.date(int(match["y3"]), month, 1), "month"))
                continue
            name = (match["month"] or match["month2"]).lower().rstrip(".")
            month = next(v for k, v in _MONTHS.items() if k.startswith(name[:3]))
            day = int(match["d1"] or match["d2"])
            year = match["y1"] or match["y2"]
            if year:
                found.append(DateFound(span, datetime.date(int(year), month, day), "day"))
            elif published is not None:
                guess = datetime.date(published.year, month, day)
                if guess > published:  # "December 30" in a January article: last year
                    guess = datetime.date(published.year - 1, month, day)
                found.append(DateFound(span, guess, "day", f"no year in the text: {guess.year} from the publication "
                                                           f"date {published.isoformat()}"))
            else:
                found.append(DateFound(span, None, "day", "no year in the text and no publication date given"))
        except ValueError:
            continue  # "February 30": not a date
    return found


# -- events -------------------------------------------------------------------

@dataclass
class Event:
    """A sentence that reports an event: its kind (a kg: class), the cue, who
    took part in which role, where, and the dates the sentence gives."""

    sentence: Span
    kind: str
    cue: Span
    roles: list[tuple[Mention, str, Span | None]] = field(default_factory=list)  # who, kg: role, the words
    excluded: list[Mention] = field(default_factory=list)  # "without the participation of X"
    places: list[Mention] = field(default_factory=list)
    dates: list[DateFound] = field(default_factory=list)
    by: list[Mention] = field(default_factory=list)  # a blockade's blockaders ("blocked by X")


#: Event cues, the first that matches a sentence wins: what will happen before what happened.
_EVENT_CUES = [
    ("ProposedMeeting", r"\b(?:will|would|shall|to|could|should) (?:meet|be held|take place|hold (?:talks|a meeting|"
                        r"meetings|negotiations))\b|\b(?:next|subsequent|future|proposed|planned|upcoming) (?:meeting|"
                        r"meetings|talks|round)\b"),
    ("Meeting", r"\bmet\b|\b(?:held|holding) (?:a |the |their |new )?(?:meeting|meetings|talks|negotiations)\b|"
                r"\b(?:meeting|talks|negotiations) (?:was |were )?(?:held|took place)\b|"
                r"\bparticipated in the (?:meeting|talks|negotiations)\b|\b(?:took|taken|taking) place\b"),
    ("Blockade", r"\bblock(?:ed|ade|aded|ading|ing)\b"),
    ("Protest", r"\bprotest(?:s|ed|ers|ing)?\b|\bdemonstrations?\b|\bsit-in\b"),
    ("War", r"\bwar\b"),
]
_EVENT = [(kind, re.compile(words, re.I)) for kind, words in _EVENT_CUES]
_MEETING_WORDS = re.compile(r"\b(?:meeting|meetings|talks|negotiations|met)\b", re.I)
_ROLE_CUES = [
    ("Mediator", re.compile(r"\b(?:(?:with )?the mediation of|mediated by|under the auspices of|brokered by)\s", re.I)),
    ("Host", re.compile(r"\b(?:headquarters of|hosted by|at the invitation of|host(?:ed)? in the [\w ]+ of)\s", re.I)),
]
_EXCLUDED = re.compile(r"\bwithout (?:the )?(?:participation|presence|mediation) of\s", re.I)
_ON_BEHALF = re.compile(r"\bon behalf of\s", re.I)
_AT = re.compile(r"\b(?:in|at|near|on)\s+(?:the\s+)?$", re.I)


def find_events(text: str, mentions: list[Mention], dates: list[DateFound], quotes: list[Quote] | None = None,
                claims: list[Claim] | None = None) -> list[Event]:
    """Sentences that report a meeting, a meeting to come, a blockade, a
    protest or a war, outside quotations (what a speaker says happened is
    their claim), with who took part and how: a name after "the mediation
    of" mediates, after "the headquarters of" hosts, after "without the
    participation of" is left out; a person represents a side (which one is
    for the reviewer); the other actors are parties. Whoever reports the
    sentence ("according to Azeri media") takes no part."""
    quoted = [(p.start, p.end) for q in quotes or () for p in q.parts]
    reporting = [(c.cue.start, c.cue.end) for c in claims or ()]
    found = []
    for sentence in sentences(text):
        cue = None
        for kind, pattern in _EVENT:
            for match in pattern.finditer(text, sentence.start, sentence.end):
                if any(a <= match.start() < b for a, b in quoted):
                    continue
                if kind == "Meeting" and "place" in match.group().lower() \
                        and not _MEETING_WORDS.search(text, sentence.start, sentence.end):
                    continue  # "took place" with no meeting in the sentence
                cue = (kind, match)
                break
            if cue:
                break
        if cue is None:
            continue
        kind, match = cue
        event = Event(sentence, kind, Span.of(text, match.start(), match.end()))
        inside = [m for m in mentions if m.known and sentence.start <= m.span.start and m.span.end <= sentence.end
                  and not any(a <= m.span.start < b for a, b in reporting)]
        for m in inside:
            before = text[sentence.start:m.span.start]
            if m.kind == "place":
                listed = event.places and re.fullmatch(r"\s*(?:,|and|or|, and)\s*",
                                                       text[event.places[-1].span.end:m.span.start])
                if _AT.search(before) or kind == "Blockade" or listed:  # "in Ganja and Aghdam"
                    event.places.append(m)
                continue
            clause = before[max(before.rfind(","), before.rfind(";"), before.rfind(" and ") - 1, 0):]
            if _EXCLUDED.search(clause):
                event.excluded.append(m)
            elif _ON_BEHALF.search(before[-20:]):
                continue  # the side a representative acts for: settled with the representative
            elif kind == "Blockade":
                if re.search(r"\bby\s+(?:the\s+)?$", before):
                    event.by.append(m)
            elif kind in ("Meeting", "ProposedMeeting"):
                role = next((r for r, p in _ROLE_CUES if p.search(clause)), None)
                if role is None:
                    role = "Representative" if m.kind == "person" else "Party"
                event.roles.append((m, role, None))
        event.dates = [d for d in dates if sentence.start <= d.span.start and d.span.end <= sentence.end]
        found.append(event)
    return found


# -- issues -------------------------------------------------------------------

def find_issues(text: str, issues: dict[str, list[str]]) -> list[Mention]:
    """Where the text writes an issue's label or alternative label
    (``issues``: IRI to its names), in any case and spacing: "the unblocking
    of the Lachin corridor". The longest name wins where two overlap."""
    by_normal: dict[str, tuple[str, str]] = {}
    for iri, names in issues.items():
        for name in names:
            by_normal.setdefault(normal_form(name).casefold(), (iri, name))
    most = max((len(n.split()) for n in by_normal), default=0)

    def named(start: int, end: int) -> Mention | None:
        hit = by_normal.get(normal_form(text[start:end]).casefold())
        return None if hit is None else Mention(Span.of(text, start, end), hit[0], hit[1], "issue",
                                                why=f"the registry's issue {hit[1]!r}")

    found: list[Mention] = []
    for sentence in sentences(text):
        found.extend(mention for _, _, mention in _longest_first(_words(text, sentence), most, named))
    return found
