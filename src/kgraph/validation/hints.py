"""Hints a contributor can act on: what a syntax error most likely means, and
where a quote that is not in the article's text differs from the closest
passage that is.

>>> quote_hint("It's good", "Klaar wrote: It’s good that the talks go on.")
"closest passage in the text: «It’s good»; they differ at character 3: the quote has ' (APOSTROPHE, a straight quote) where the text has ’ (RIGHT SINGLE QUOTATION MARK, a curly quote)"
"""

from __future__ import annotations

import re
import unicodedata

from ..namespaces import PREFIXES

__all__ = ["syntax_hint", "quote_hint", "describe_character"]

_STRAIGHT = {"'": "a straight quote", '"': "a straight quote"}
_CURLY = {"‘", "’", "“", "”", "„", "‚", "«", "»", "‹", "›"}
_DASHES = {"-", "‐", "‑", "‒", "–", "—", "―", "−"}


def describe_character(char: str) -> str:
    """A character by its Unicode name, with what kind of look-alike it is.

    >>> describe_character("\\u00a0")
    'U+00A0 (NO-BREAK SPACE, an invisible difference)'
    """
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    if char in _STRAIGHT:
        kind = "a straight quote"
    elif char in _CURLY:
        kind = "a curly quote"
    elif char in _DASHES and char != "-":
        kind = "a dash, not a hyphen"
    elif char in ("\u00a0", "\u202f", "\u2007", "\u200b", "\u200c", "\u200d", "\ufeff", "\t", "\r"):
        kind = "an invisible difference"
    elif unicodedata.combining(char):
        kind = "a combining accent: the text may use the composed letter (NFC)"
    else:
        kind = ""
    shown = repr(char)[1:-1] if not char.isprintable() or char.isspace() and char != " " else char
    if kind == "an invisible difference":
        return f"U+{ord(char):04X} ({name}, {kind})"
    return f"{shown} ({name}{', ' + kind if kind else ''})"


def quote_hint(quote: str, text: str) -> str | None:
    """Where ``quote`` differs from the passage of ``text`` closest to it."""
    if not quote or not text:
        return None
    if quote in text:
        return None
    if unicodedata.normalize("NFC", quote) in unicodedata.normalize("NFC", text):
        return ("the words match the text only once accents are composed the same way: the quote or the text uses "
                "decomposed characters (a letter followed by a combining accent); copy the words from the text again")
    if "\r" in text and quote.replace("\r", "") in text.replace("\r", ""):
        return "the text file has Windows line ends (CRLF) inside these words; save it with LF line ends"
    from rapidfuzz import fuzz

    alignment = fuzz.partial_ratio_alignment(quote, text)
    if alignment is None or alignment.score < 60:
        return "no passage of the text is close to these words: is the quote from this article?"
    start, end = alignment.dest_start, alignment.dest_end
    passage = text[start:end]
    # align the quote with the passage from their common start
    offset = _first_difference(quote, passage)
    where = f"closest passage in the text: «{_excerpt(passage)}»"
    if offset is None:
        return f"{where}; the quote is longer than any passage that matches it"
    if offset >= len(passage):
        return f"{where}; the quote goes on where the text does not: «{quote[offset:offset + 20]}»"
    if offset >= len(quote):
        return f"{where}"
    return (f"{where}; they differ at character {offset + 1}: the quote has {describe_character(quote[offset])} "
            f"where the text has {describe_character(passage[offset])}")


def _first_difference(a: str, b: str) -> int | None:
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return index
    return min(len(a), len(b)) if len(a) != len(b) else None


def _excerpt(passage: str, limit: int = 120) -> str:
    shown = " ".join(passage.split())
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


_NOT_VALID = re.compile(r"(\S+) is not a valid (?:subject or graph name|RDF object|predicate)")
_PREFIX = re.compile(r"The prefix (\S*): has not been declared")
_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


def syntax_hint(message: str, lines: list[str], line: int | None, column: int | None) -> str | None:
    """The common Turtle mistake behind a parser ``message`` at ``line``
    (1-based) of a file whose text is ``lines``, or None."""
    text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    before = text[: column - 1] if column else text
    prefix = _PREFIX.search(message)
    if prefix:
        name = prefix.group(1)
        if name in PREFIXES:
            return f"declare it at the top of the file: @prefix {name}: <{PREFIXES[name]}> ."
        return f"declare it at the top of the file: @prefix {name}: <...> . (or fix the spelling of the prefix)"
    if "is not allowed at the beginning of a prefix name" in message and any(q in message for q in _CURLY):
        return "curly quotes cannot delimit a literal in Turtle: write straight quotes \"...\" around it " \
               "(curly quotes inside the literal are fine)"
    if _DATE.search(text) and re.search(r"-\d", message) and not re.search(r'"\d{4}-\d{2}', text):
        return 'a date must be a typed literal: write "2023-02-24"^^xsd:date (and years as "2020"^^xsd:gYear)'
    if _NOT_VALID.search(message):
        if before.count('"') >= 2 and not before.rstrip().endswith(('.', ';', ',')) or "'" in before and before.count("'") % 2 == 0:
            return ("a quotation mark inside a literal ends it early: escape it as \\\" (or \\'), or delimit the "
                    "literal with the other quote or with \"\"\"...\"\"\"")
        if ". is not a valid RDF object" in message:
            return "a ',' must be followed by another object: remove the comma, or add the object"
    if "dot is expected" in message or "should be followed by a dot" in message:
        previous = next((n for n in range(line - 1, 0, -1) if lines[n - 1].strip() and
                         not lines[n - 1].lstrip().startswith("#")), None) if line else None
        where = f" (line {previous})" if previous and previous != line else ""
        return (f"the statement before this point{where} is not closed: end it with ' .', or with ' ;' to add "
                "another property of the same subject")
    if message.startswith("Unexpected end"):
        whole = "\n".join(lines)
        if whole.count("{") > whole.count("}"):
            return "a graph block opened with '{' is not closed with '}'"
        return "the file ends in the middle of a statement: close it with ' .'"
    return None
