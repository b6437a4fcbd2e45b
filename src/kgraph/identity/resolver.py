"""The registry's names, indexed for lookup and for duplicate review.

A :class:`NameIndex` holds :class:`Named` things (an IRI, its kind, its
names with their language tags) and answers two questions:

- :meth:`NameIndex.find`: which things a typed name may mean, ranked, each
  with a score and the reason it matched;
- :meth:`NameIndex.likely_duplicates`: which pairs of *different* IRIs of
  the same kind carry what looks like one name.

Both use blocking keys, never all pairs: every name is filed under its
normal form, its romanisation and the skeleton of each of its words; a
lookup also asks RapidFuzz for the closest romanised names (a typing slip
changes the skeleton too).

How a name matches, best first (the score, and the reason given):

===== ========================================================================
1.00  same name (once case, spaces, invisible and look-alike letters are set aside)
0.97  same name in Latin letters (another script, or another romanisation of it)
0.93  same consonants: a spelling or transliteration variant (Mamedov, Mammadov)
0.85  every word of the name typed is a word of this name (a family name alone)
<0.9  similar spelling: 0.9 x the Jaro-Winkler similarity of the romanised names
===== ========================================================================
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from .keys import STOPWORDS, key_of, skeleton
from .normalize import normal_form
from .romanize import romanizations

__all__ = ["Named", "Candidate", "NameIndex", "SCORES"]

_DIGIT = re.compile(r"\d")

SCORES = {"same": 1.0, "romanised": 0.97, "skeleton": 0.93, "part": 0.85, "similar": 0.9}


@dataclass(frozen=True)
class Named:
    """One thing a name may mean: an actor or a place of the registry."""

    iri: str
    kind: str  # person, organization, polity, place, actor
    label: str
    names: tuple[tuple[str, str | None], ...]  # (name, language tag or None), the label first
    classes: tuple[str, ...] = ()


@dataclass
class Candidate:
    """A thing a typed name may mean, with how well and why."""

    iri: str
    label: str
    kind: str
    score: float
    matched: str  # which of its names matched
    reason: str

    def to_dict(self) -> dict:
        return {"iri": self.iri, "label": self.label, "kind": self.kind, "score": round(self.score, 3),
                "matched": self.matched, "reason": self.reason}


@dataclass
class _Form:
    named: Named
    text: str
    language: str | None
    normal: str
    romanised: tuple[str, ...]
    keys: frozenset[tuple[str, ...]]
    skeletons: frozenset[str] = field(default_factory=frozenset)


def _form(named: Named, text: str, language: str | None) -> _Form:
    romanised = tuple(romanizations(text, language))
    keys = frozenset().union(*(key_of(r) for r in romanised))
    return _Form(named, text, language, normal_form(text), romanised, keys, frozenset(itertools.chain(*keys)))


def _sorted_words(romanised: str) -> str:
    return " ".join(sorted(romanised.split()))


class NameIndex:
    """Names of actors and places, filed under their blocking keys."""

    def __init__(self, things: Iterable[Named]) -> None:
        self.things: dict[str, Named] = {}
        self.forms: list[_Form] = []
        self._by_normal: dict[str, list[_Form]] = defaultdict(list)
        self._by_romanised: dict[str, list[_Form]] = defaultdict(list)
        self._by_key: dict[tuple[str, ...], list[_Form]] = defaultdict(list)
        self._by_word: dict[str, list[_Form]] = defaultdict(list)
        for named in things:
            self.things[named.iri] = named
            for text, language in dict.fromkeys(named.names):
                form = _form(named, text, language)
                self.forms.append(form)
                self._by_normal[form.normal].append(form)
                for romanised in form.romanised:
                    self._by_romanised[romanised].append(form)
                for key in form.keys:
                    self._by_key[key].append(form)
                for word in form.skeletons:
                    self._by_word[word].append(form)
        self._choices = [_sorted_words(r) for f in self.forms for r in f.romanised]
        self._choice_form = [f for f in self.forms for _ in f.romanised]

    def __len__(self) -> int:
        return len(self.things)

    # -- lookup -------------------------------------------------------------

    def find(self, name: str, *, language: str | None = None, kinds: Iterable[str] | None = None,
             limit: int = 5, min_score: float = 0.8) -> list[Candidate]:
        """The things ``name`` may mean, best first, one candidate per thing."""
        query = _form(Named("", "", name, ((name, language),)), name, language)
        wanted = set(kinds) if kinds else None
        best: dict[str, Candidate] = {}

        def offer(form: _Form, score: float, reason: str) -> None:
            named = form.named
            if wanted is not None and named.kind not in wanted:
                return
            if score < min_score:
                return
            held = best.get(named.iri)
            # ties go to the label, then to the first name in code-point order (never to set order)
            if held is None or (score, form.text == named.label, _negated(form.text)) > (
                    held.score, held.matched == named.label, _negated(held.matched)):
                best[named.iri] = Candidate(named.iri, named.label, named.kind, score, form.text, reason)

        for form in self._by_normal.get(query.normal, ()):
            offer(form, SCORES["same"], "same name" if form.text == name else
                  "same name once case, spaces and look-alike letters are set aside")
        for romanised in query.romanised:
            for form in self._by_romanised.get(romanised, ()):
                offer(form, SCORES["romanised"], f"same name in Latin letters, read as {romanised!r}")
        for key in query.keys:
            for form in self._by_key.get(key, ()):
                offer(form, SCORES["skeleton"], "same consonants: a spelling or transliteration variant")
        # every word typed is a word of the name (a family name alone)
        if query.keys and all(query.keys):
            for key in query.keys:
                pools = [self._by_word.get(word, []) for word in key]
                if not all(pools):
                    continue
                smallest = min(pools, key=len)
                for form in smallest:
                    if any(set(key) <= set(k) and len(k) > len(key) for k in form.keys):
                        offer(form, SCORES["part"], "every word typed is a word of this name")
        # similar spellings: the closest romanised names
        for romanised in query.romanised:
            hits = process.extract(_sorted_words(romanised), self._choices, scorer=JaroWinkler.similarity,
                                   limit=max(limit * 4, 20), score_cutoff=min_score / SCORES["similar"])
            for _, similarity, position in hits:
                offer(self._choice_form[position], SCORES["similar"] * similarity,
                      f"similar spelling (Jaro-Winkler {similarity:.2f})")
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.label, c.iri))
        return ranked[:limit]

    # -- review -------------------------------------------------------------

    def likely_duplicates(self, *, similarity: float = 0.95, any_actor_kind: bool = False
                          ) -> list[tuple[Named, Named, str, str, str, int]]:
        """Pairs of different things of one kind whose names look like one
        name: ``(a, b, a's name, b's name, reason, rank)``, each pair once
        (the strongest reason: rank 0 same normal form, 1 same romanisation,
        2 same skeleton, 3 close spellings), ``a.iri < b.iri``. With
        ``any_actor_kind``, pairs of rank 0 between actors of different kinds
        are kept too."""
        found: dict[tuple[str, str], tuple[int, Named, Named, str, str, str]] = {}

        def pair(x: _Form, y: _Form, rank: int, reason: str) -> None:
            a, b = x.named, y.named
            if a.iri == b.iri:
                return
            if a.kind != b.kind and not (any_actor_kind and rank == 0 and "place" not in (a.kind, b.kind)):
                return
            if b.iri < a.iri:
                a, b, x, y = b, a, y, x
            held = found.get((a.iri, b.iri))
            if held is None or (rank, x.text, y.text) < (held[0], held[3], held[4]):
                found[(a.iri, b.iri)] = (rank, a, b, x.text, y.text, reason)

        for forms in self._by_normal.values():
            for x, y in itertools.combinations(forms, 2):
                pair(x, y, 0, "the same name once case, spaces and look-alike letters are set aside")
        for romanised, forms in self._by_romanised.items():
            for x, y in itertools.combinations(forms, 2):
                pair(x, y, 1, f"the same name in Latin letters, read as {romanised!r}")
        for forms in self._by_key.values():
            for x, y in itertools.combinations(forms, 2):
                pair(x, y, 2, "the same consonants: a spelling or transliteration variant")
        # close spellings: names of as many words, all but one word the same,
        # the other close (blocked on the other words and its first letter)
        buckets: dict[tuple, list[tuple[_Form, str]]] = defaultdict(list)
        for form in self.forms:
            for romanised in form.romanised:
                words = [w for w in romanised.split() if w not in STOPWORDS]
                if len(words) < 2:
                    continue
                shapes = [skeleton(w) for w in words]
                for i, word in enumerate(words):
                    if _DIGIT.search(word):
                        continue  # numbers differ on purpose (Person 1, Person 2)
                    rest = tuple(sorted(shapes[:i] + shapes[i + 1:]))
                    buckets[rest + ("*" + shapes[i][:1],)].append((form, word))
        for members in buckets.values():
            for (x, u), (y, v) in itertools.combinations(members, 2):
                if x.named.iri == y.named.iri or x.named.kind != y.named.kind or u == v:
                    continue
                score = JaroWinkler.similarity(u, v)
                if score >= similarity:
                    pair(x, y, 3, f"close spellings: {u!r} and {v!r} (Jaro-Winkler {score:.2f}), the other words the same")
        return [(a, b, s, t, reason, rank)
                for rank, a, b, s, t, reason in sorted(found.values(), key=lambda v: (v[1].iri, v[2].iri))]


def _negated(text: str) -> tuple[int, ...]:
    """A key under which the first string in code-point order is the largest."""
    return tuple(-ord(c) for c in text) + (1,)


