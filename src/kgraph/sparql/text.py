"""Lexical helpers for SPARQL query text: the query's form, and where the
WHERE group opens, so that parameters can be bound there. (Whether a query calls ``SERVICE`` is
decided from the parsed query, in :mod:`kgraph.sparql.guard`.)

This is not a SPARQL parser (the engines parse); it only walks the text
token by token, stepping over comments, strings and IRIs, so that a brace or
a keyword inside them is never mistaken for structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["tokens", "query_form", "where_group_offset", "values_block"]

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_STRINGS = (
    re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""', re.S),
    re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''", re.S),
    re.compile(r'"(?:[^"\\\n\r]|\\.)*"'),
    re.compile(r"'(?:[^'\\\n\r]|\\.)*'"),
)
_LOCAL = r"(?:[A-Za-z0-9_\-.:%]|\\[_~.\-!$&'()*+,;=/?#@%])*"
_WORD = re.compile(rf"[A-Za-z_][A-Za-z0-9_\-.]*(?::{_LOCAL})?|[?$][A-Za-z0-9_]+|:{_LOCAL}")


def tokens(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, token)`` for words, variables, prefixed names and
    punctuation; comments, strings and IRIs are yielded whole as ``"#"``,
    ``'"'`` and ``"<"`` tokens so callers can skip them."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            yield i, "#"
            i = end
            continue
        if c in "\"'":
            for pattern in _STRINGS:
                match = pattern.match(text, i)
                if match:
                    yield i, '"'
                    i = match.end()
                    break
            else:  # unterminated string: the engine will report it
                yield i, '"'
                i = n
            continue
        if c == "<":
            match = _IRI.match(text, i)
            if match:
                yield i, "<"
                i = match.end()
                continue
        match = _WORD.match(text, i)
        if match:
            yield i, match.group(0)
            i = match.end()
            continue
        yield i, c
        i += 1


def query_form(text: str) -> str | None:
    """The query's form (``SELECT``, ``CONSTRUCT``, ``ASK``, ``DESCRIBE``),
    read from its tokens (never from inside a string, an IRI or a comment),
    or None when it has none.

    >>> query_form('PREFIX ex: <http://e.example/select> # ASK\\nCONSTRUCT { ?s ?p "SELECT" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    for _, token in tokens(text):
        upper = token.upper()
        if upper in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}:
            return upper
    return None


def where_group_offset(text: str) -> int:
    """Offset just after the ``{`` that opens the query's WHERE group.

    Raises ``ValueError`` for a query whose pattern cannot take inline data
    (``CONSTRUCT WHERE { ... }``, the short form) or that has no group.
    """
    depth = 0
    form = None
    seen_where = False
    groups_at_top = 0
    previous = None
    for offset, token in tokens(text):
        upper = token.upper()
        if depth == 0 and form is None and upper in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}:
            form = upper
        elif depth == 0 and upper == "WHERE":
            if form == "CONSTRUCT" and previous == "CONSTRUCT":
                raise ValueError("the short form CONSTRUCT WHERE { ... } cannot take parameters; write the template out")
            seen_where = True
        elif token == "{":
            if depth == 0:
                groups_at_top += 1
                if seen_where or form != "CONSTRUCT" or groups_at_top == 2:
                    return offset + 1
            depth += 1
        elif token == "}":
            depth -= 1
        if token not in {"#"}:
            previous = upper
    raise ValueError("no WHERE group found in the query")


def values_block(bindings: dict[str, str | None]) -> str:
    """An inline ``VALUES`` block binding each variable to a term already in
    SPARQL/N-Triples syntax, or leaving it unbound (``UNDEF``)."""
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(term if term is not None else "UNDEF" for term in bindings.values())
    return f" VALUES ({names}) {{ ({row}) }} "
