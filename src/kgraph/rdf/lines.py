"""Where in a file a node is described: the line where it is the subject.

Reports point at ``FILE:LINE``. For Turtle, TriG, N-Triples and N-Quads the
file is read token by token and the statement structure followed (subject,
predicate, object lists after ``,``, predicate lists after ``;``, blank-node
property lists ``[ ... ]``, collections ``( ... )``, graph blocks ``{ ... }``),
so that an IRI is placed on the line where it opens a description, never on
an indented item of another node's object list. Prefixes and the base are
taken from the file's own directives as they come. A node that is never a
subject is placed where it is first mentioned. For JSON-LD and RDF/XML the
first line that mentions the IRI is used.

>>> text = '''@prefix ex: <http://example.org/> .
... ex:meeting ex:participation
...     ex:part-a,
...     ex:part-b .
... ex:part-a ex:role ex:Party . ex:part-b ex:role [ ex:p ex:c ] .
... ex:c ex:p "x" .'''
>>> index = SubjectIndex.of_text(text)
>>> [index.line("http://example.org/" + name) for name in ("meeting", "part-a", "part-b", "c", "Party")]
[2, 5, 5, 6, 5]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

__all__ = ["SubjectIndex", "subject_line"]

_TURTLE_LIKE = {".ttl", ".trig", ".nt", ".nq"}

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r]+)
  | (?P<nl>\n)
  | (?P<comment>\#[^\n]*)
  | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\[uU][0-9A-Fa-f]{4,8})*>)
  | (?P<open_triple><<)
  | (?P<close_triple>>>)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[a-z]+)?)
  | (?P<datatype>\^\^)
  | (?P<bnode>_:[^\s;,.\[\]()<>{}"']+(?<!\.))
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?:(?:[\w\-:%\u00B7\u00C0-\uFFFF]|\\.|\.+(?=[\w\-:%\\\u00B7\u00C0-\uFFFF]))*)
  | (?P<number>[+-]?(?:\d+\.\d*[eE][+-]?\d+|\d+\.\d+|\d+[eE][+-]?\d+|\d+|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<word>[A-Za-z][A-Za-z0-9_\-]*)
  | (?P<punct>\{\||\|\}|[.;,\[\](){}~])
  | (?P<other>.)
    """,
    re.X,
)

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_SUBJECT, _PREDICATE, _OBJECT, _AFTER, _QUOTED = "subject", "predicate", "object", "after", "quoted"


@dataclass
class SubjectIndex:
    """The first line where each IRI is a subject, and where each is first mentioned."""

    subjects: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, int] = field(default_factory=dict)

    def line(self, iri: str) -> int | None:
        """Where ``iri`` is described (or, failing that, first mentioned)."""
        return self.subjects.get(iri) or self.mentions.get(iri)

    @classmethod
    def of_text(cls, text: str, base: str = "") -> "SubjectIndex":
        """Index Turtle, TriG, N-Triples or N-Quads text."""
        return _Scanner(text, base).run()


class _Scanner:
    """Follows the statement structure of Turtle-family text token by token."""

    def __init__(self, text: str, base: str) -> None:
        self.tokens = _tokenize(text)
        self.prefixes: dict[str, str] = {}
        self.base = base
        self.index = SubjectIndex()

    def run(self) -> SubjectIndex:
        tokens, i, n = self.tokens, 0, len(self.tokens)
        # each frame: the state to resume in, and what closes it
        stack: list[tuple[str, str]] = []
        state = _SUBJECT
        while i < n:
            kind, text, line = tokens[i]
            if kind == "word" and text.upper() in ("PREFIX", "BASE") or kind == "lang" and text in ("@prefix", "@base"):
                i = self._directive(i)
                continue
            if kind == "word" and text.upper() == "GRAPH" and state == _SUBJECT:
                i += 1
                continue
            if kind == "word" and text.upper() == "VERSION" or kind == "lang" and text == "@version":
                i += 3 if i + 2 < n and tokens[i + 2][1] == "." and kind == "lang" else 2
                continue
            if text == "~":
                # a reifier: the name after it is described by the annotation that follows
                if i + 1 < n and tokens[i + 1][0] in ("iri", "pname"):
                    iri = self._expand(tokens[i + 1][0], tokens[i + 1][1])
                    if iri is not None:
                        self.index.subjects.setdefault(iri, tokens[i + 1][2])
                        self.index.mentions.setdefault(iri, tokens[i + 1][2])
                    i += 2
                else:
                    i += 1
                continue
            if text == "{":
                stack.append((_SUBJECT, "}"))
                state = _SUBJECT
            elif text == "}":
                state = stack.pop()[0] if stack else _SUBJECT
            elif text == "[":
                # a blank node: as a subject its property list may be followed by more predicates
                stack.append((_PREDICATE if state == _SUBJECT else _AFTER, "]"))
                state = _PREDICATE
            elif text == "]":
                state = stack.pop()[0] if stack else _AFTER
            elif text == "(":
                stack.append((_PREDICATE if state == _SUBJECT else _AFTER, ")"))
                state = _OBJECT
            elif text == ")":
                state = stack.pop()[0] if stack else _AFTER
            elif text == "<<":
                # a quoted triple (RDF 1.2): its terms describe nothing here
                stack.append((_PREDICATE if state == _SUBJECT else _AFTER, ">>"))
                state = _QUOTED
            elif text == ">>":
                state = stack.pop()[0] if stack else _AFTER
            elif text == "{|":
                stack.append((_AFTER, "|}"))
                state = _PREDICATE
            elif text == "|}":
                state = stack.pop()[0] if stack else _AFTER
            elif text == ".":
                state = _SUBJECT
            elif text == ";":
                state = _PREDICATE
            elif text == ",":
                state = _OBJECT
            elif kind in ("iri", "pname", "bnode", "string", "long", "number", "word"):
                iri = self._expand(kind, text)
                if iri is not None:
                    self.index.mentions.setdefault(iri, line)
                if state == _SUBJECT:
                    following = tokens[i + 1][1] if i + 1 < n else ""
                    if following != "{" and iri is not None and (not stack or stack[-1][1] != ")"):
                        self.index.subjects.setdefault(iri, line)
                    state = _SUBJECT if following == "{" else _PREDICATE
                elif state == _PREDICATE:
                    state = _OBJECT
                elif state == _OBJECT:
                    state = _OBJECT if stack and stack[-1][1] == ")" else _AFTER
                # _AFTER: an N-Quads graph name, or an annotation: nothing to record
            i += 1
        return self.index

    def _directive(self, i: int) -> int:
        """Read ``@prefix p: <iri> .``, ``PREFIX p: <iri>``, ``@base <iri> .`` or ``BASE <iri>``."""
        tokens = self.tokens
        keyword = tokens[i][1].lstrip("@").lower()
        i += 1
        if keyword == "prefix" and i + 1 < len(tokens) and tokens[i][0] == "pname" and tokens[i + 1][0] == "iri":
            self.prefixes[tokens[i][1][:-1]] = self._resolve(tokens[i + 1][1][1:-1])
            i += 2
        elif keyword == "base" and i < len(tokens) and tokens[i][0] == "iri":
            self.base = self._resolve(tokens[i][1][1:-1])
            i += 1
        if i < len(tokens) and tokens[i][1] == "." and tokens[i - 1][0] != "punct":
            i += 1
        return i

    def _resolve(self, reference: str) -> str:
        return urljoin(self.base, reference) if self.base else reference

    def _expand(self, kind: str, text: str) -> str | None:
        if kind == "iri":
            return self._resolve(_UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text[1:-1]))
        if kind == "pname":
            prefix, _, local = text.partition(":")
            namespace = self.prefixes.get(prefix)
            return None if namespace is None else namespace + re.sub(r"\\(.)", r"\1", local)
        if kind == "word" and text == "a":
            return None
        return None


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    """``(kind, text, line)`` for every token that matters (no spaces or comments)."""
    found = []
    line = 1
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "nl":
            line += 1
            continue
        if kind not in ("ws", "comment"):
            found.append((kind, value, line))
        if kind == "long":
            line += value.count("\n")
    return found


@lru_cache(maxsize=64)
def _index_of(path: Path, mtime: float, base: str) -> SubjectIndex | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix.lower() in _TURTLE_LIKE:
        return SubjectIndex.of_text(text, base)
    return _MentionIndex(text.splitlines())


class _MentionIndex(SubjectIndex):
    """For formats kgraph does not follow token by token: the first line that mentions an IRI."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self._lines = lines

    def line(self, iri: str) -> int | None:
        for number, text in enumerate(self._lines, start=1):
            if iri in text:
                return number
        return None


def subject_line(path: Path, iri: str, prefixes: dict[str, str] | None = None) -> int | None:
    """The 1-based line of ``path`` where ``iri`` is described, or None.

    ``prefixes`` are unused (the file's own directives are read); they are
    accepted for callers that hold them.
    """
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    index = _index_of(path, mtime, path.resolve().as_uri())
    return index.line(iri) if index is not None else None
