"""Keys that two spellings of one name share.

A name is romanised (:mod:`kgraph.identity.romanize`) and cut into words;
each word gets a *skeleton*: its consonants after the letters that
transliterations of one sound differ by are made one (``dzh``, ``dj``, ``zh``
and ``j``; ``g``, ``q`` and ``k``; ``kh``, ``gh`` and ``h``, and no ``h`` at
the start of a word, as Russian spellings of Armenian names drop it:
Harutyunyan, Arutyunyan; Karabakh, Garabagh), repeated letters once, vowels
and ``y`` gone
(Mammadov, Mamedov; Aliyev, Aliev). An ``x`` is read as in English (``ks``);
the Azerbaijani reading of a name (``x`` as ``kh``) is tried separately. A word too short to keep two
consonants keeps its vowels. The name's key is its words' skeletons, in
order of the alphabet, so that "Mamedov Ramin" (family name first) is the
same name as "Ramin Mamedov"; numbers stay as written, in their order.

>>> skeleton("shakhramanyan") == skeleton("shahramanyan")
True
>>> same_name("Ramin Mamedov", "Ramin Mammadov") and same_name("Ramin Mamedov", "Рамин Мамедов")
True
>>> same_name("Ramil Mammadov", "Ramin Mammadov")
False
"""

from __future__ import annotations

from functools import lru_cache

import re

from .romanize import romanize, romanizations

__all__ = ["words", "skeleton", "skeletons", "key_of", "name_keys", "same_name", "STOPWORDS"]

#: Words that do not tell names apart.
STOPWORDS = frozenset({"the", "of", "and", "de", "la", "al", "el"})

_DIGRAPHS = (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("tch", "C"), ("sch", "S"), ("sh", "S"), ("ch", "C"),
             ("kh", "h"), ("gh", "h"), ("x", "ks"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("q", "k"),
             ("g", "k"), ("b", "p"), ("d", "t"), ("w", "v"), ("tz", "c"), ("ts", "c"))
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


def words(name: str, language: str | None = None) -> list[str]:
    """The romanised words of a name, without :data:`STOPWORDS`."""
    return [w for w in romanize(name, language).split() if w not in STOPWORDS]


@lru_cache(maxsize=65536)
def skeletons(word: str) -> tuple[str, ...]:
    """The skeletons of one romanised word, the usual reading first: ``kh``
    and ``gh`` are read as ``h`` and, in a second reading, as ``k`` (Armenian
    Shahramanyan is Russian Shakhramanyan; Azerbaijani Ağdam is Russian
    Агдам)."""
    readings = [word]
    if "kh" in word or "gh" in word:
        readings.append(word.replace("kh", "k").replace("gh", "k"))
    return tuple(dict.fromkeys(_skeleton(w) for w in readings))


def skeleton(word: str) -> str:
    """The usual skeleton of one romanised word (see the module's description)."""
    return skeletons(word)[0]


_DIGIT = re.compile(r"\d")


def _skeleton(word: str) -> str:
    if _DIGIT.search(word):
        return "#" + word  # a number is kept as written
    text = word
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    consonants = _REPEATS.sub(r"\1", _VOWELS.sub("", text.removeprefix("h")))
    if len(consonants) < 2:
        return "~" + _REPEATS.sub(r"\1", text)
    return consonants


def key_of(romanised: str) -> frozenset[tuple[str, ...]]:
    """The keys of a romanised name: its words' skeletons, sorted, for every
    reading of its words (at most 16)."""
    kept = [w for w in romanised.split() if w not in STOPWORDS]
    if not _DIGIT.search(romanised):
        numbers: tuple[str, ...] = ()
        options = [skeletons(w) for w in kept]
    else:
        numbers = tuple("#" + w for w in kept if _DIGIT.search(w))  # in order, as written
        options = [skeletons(w) for w in kept if not _DIGIT.search(w)]
    if all(len(choices) == 1 for choices in options):
        return frozenset({tuple(sorted(choices[0] for choices in options)) + numbers})
    keys = {()}
    for choices in options:
        keys = {k + (c,) for k in keys for c in choices}
        if len(keys) > 16:
            keys = set(sorted(keys)[:16])
    return frozenset(tuple(sorted(k)) + numbers for k in keys)


def name_keys(name: str, language: str | None = None) -> set[tuple[str, ...]]:
    """Every key of a name, over all its romanisations."""
    return set().union(*(key_of(r) for r in romanizations(name, language)))


def same_name(a: str, b: str, a_language: str | None = None, b_language: str | None = None) -> bool:
    """Whether two names share a key."""
    return bool(name_keys(a, a_language) & name_keys(b, b_language))
