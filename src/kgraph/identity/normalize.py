"""Names as a person types them, made comparable: one normal form, and what
was wrong with the form given.

:func:`normal_form` is what two spellings of the *same characters* share:
Unicode NFKC (a decomposed accent, a ligature, a full-width letter become
their usual code points), every run of whitespace (a non-breaking or an
ideographic space, a tab) one space, invisible characters (zero-width
spaces and joiners, the soft hyphen, a byte-order mark) removed, letters
that merely look Latin in a Latin name (a Cyrillic ``а``, a Greek ``ο``)
read as the Latin letters, curly apostrophes straight, and case folded.

>>> normal_form("Ramin\\u00a0 Mammadov ")
'ramin mammadov'
>>> normal_form("R\\u0430min Mammadov")  # a Cyrillic a among Latin letters
'ramin mammadov'
>>> normal_form("Mammadov") == normal_form("Mamma\\u200bdov")
True
>>> [p.code for p in name_problems("Ramin  Mammadov\\u200b")]
['double-space', 'invisible']
"""

from __future__ import annotations

from functools import lru_cache

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["normal_form", "name_problems", "NameProblem", "script_of"]

#: Characters that take no space and carry no letter.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'", "`": "'", "\u00b4": "'"})

#: Letters of other scripts drawn like Latin ones (Unicode's confusables
#: for the Cyrillic and Greek letters that occur in Latin-script names).
_LOOKALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ә": "ə", "һ": "h",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ә": "Ə", "Һ": "H",
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})


@lru_cache(maxsize=None)
def script_of(char: str) -> str:
    """The script of a letter, from its Unicode name: ``LATIN``,
    ``CYRILLIC``, ``ARMENIAN``, ``GREEK``, ``GEORGIAN``, ... (``""`` for a
    character that is not a letter)."""
    if not char.isalpha():
        return ""
    return unicodedata.name(char, "").split(" ", 1)[0]


def _scripts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char in text:
        script = script_of(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return counts


def _mostly_latin(text: str) -> bool:
    if text.isascii():
        return any(c.isalpha() for c in text)
    counts = _scripts(text)
    latin = counts.get("LATIN", 0)
    return latin > 0 and latin >= sum(counts.values()) - latin


def _clean(text: str) -> str:
    if text.isascii():  # already NFKC, nothing invisible, no look-alikes
        return _SPACES.sub(" ", text.translate(_APOSTROPHES)).strip()
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_APOSTROPHES)
    if _mostly_latin(text):
        text = text.translate(_LOOKALIKES)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def normal_form(name: str) -> str:
    """The name in kgraph's normal form (see the module's description)."""
    return _clean(name).casefold()


@dataclass(frozen=True)
class NameProblem:
    """Something in a name's form that a reader cannot see."""

    code: str
    message: str


def name_problems(name: str) -> list[NameProblem]:
    """What is wrong with the form of ``name``, in reading order: space at
    either end, two spaces in a row, a space other than U+0020, an invisible
    character, a decomposed accent, letters of two scripts in one word."""
    if name.isascii() and name.isprintable():
        # printable ASCII can only be wrong in its spaces (one script, no invisible or odd spaces)
        if name == name.strip() and "  " not in name:
            return []
    found = []
    if name != name.strip():
        found.append(NameProblem("edge-space", "starts or ends with a space"))
    if "  " in name:
        found.append(NameProblem("double-space", "has two spaces in a row"))
    odd = sorted({c for c in name if c.isspace() and c != " "})
    if odd:
        found.append(NameProblem("odd-space", "has a space that is not U+0020: "
                                 + ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in odd)))
    hidden = sorted({c for c in name if ord(c) in _INVISIBLE})
    if hidden:
        found.append(NameProblem("invisible", "has an invisible character: "
                                 + ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in hidden)))
    if unicodedata.normalize("NFC", name) != name:
        found.append(NameProblem("decomposed", "is not in Unicode NFC (an accent typed as a separate mark)"))
    for word in name.split():
        counts = _scripts(word)
        if len(counts) > 1:
            found.append(NameProblem("mixed-script", f"mixes scripts in the word {word!r}: "
                                     + ", ".join(s.lower() for s in sorted(counts))))
            break
    return found
