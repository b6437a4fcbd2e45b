"""SPARQL extension functions for the checks in ``queries/checks/``.

Some checks need what no triple holds: the text of an article. A source's
text is either shipped in the repository (``kg:textFile``, a path inside the
project) or kept outside it (``kg:textName`` with ``kg:sha256``), in a
*sources folder* the user gives (``--sources DIR`` or ``KGRAPH_SOURCES``)
because the text may not be redistributed. The functions, in the namespace
``https://w3id.org/kgraph/function#`` (prefix ``kgfn:``), take a *locator*:
the ``kg:textFile`` path, or ``corpus:NAME#SHA256`` for a text kept outside
(the file ``NAME`` in the sources folder if it has that SHA-256, else any
``.txt`` file there that has it):

- ``kgfn:sourceContains(locator, words)``: true if the words occur verbatim
  in the text;
- ``kgfn:sourceSlice(locator, start, end)``: the text between two positions
  (code points from 0, the end excluded), or unbound where the positions
  are not within the text;
- ``kgfn:sha256(locator)``: the SHA-256 of the text's bytes
  (``corpus:NAME``, without a digest, reads the file ``NAME`` as it is);
- ``kgfn:textAvailable(locator)``: whether the text can be read;
- ``kgfn:textMissing(name, sha256)``: for a text kept outside, unbound when
  it is available, else why it is not (for the check that reports it).

A shipped file that is missing, unreadable or outside the project gives an
error (unbound), which the checks treat as a failure; a text kept outside
that is absent makes the checks skip it, and ``source-text-not-available``
says so.
"""

from __future__ import annotations

import hashlib
from functools import cached_property, lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import KGFN

__all__ = ["FUNCTIONS_NS", "CORPUS_PREFIX", "SourceTexts", "check_functions", "corpus_locator"]

FUNCTIONS_NS = KGFN

#: How a locator names a text kept in the sources folder.
CORPUS_PREFIX = "corpus:"


def corpus_locator(name: str, digest: str | None = None) -> str:
    """The locator of a text kept outside the repository."""
    return f"{CORPUS_PREFIX}{name}#{digest}" if digest else f"{CORPUS_PREFIX}{name}"


class SourceTexts:
    """The texts of a project's sources: shipped files inside ``root``, and
    texts kept in the sources folder ``corpus`` (``None``: none given)."""

    def __init__(self, root: Path, corpus: Path | None = None) -> None:
        self.root = Path(root).resolve()
        self.corpus = Path(corpus).resolve() if corpus is not None else None
        self.bytes = lru_cache(maxsize=None)(self._bytes)
        self.text = lru_cache(maxsize=None)(self._text)

    @cached_property
    def _by_digest(self) -> dict[str, Path]:
        """Every ``.txt`` file of the sources folder, by SHA-256 (first path wins)."""
        index: dict[str, Path] = {}
        if self.corpus is not None and self.corpus.is_dir():
            for path in sorted(self.corpus.rglob("*.txt")):
                data = _read(path)
                if data is not None:
                    index.setdefault(hashlib.sha256(data).hexdigest(), path)
        return index

    def _named(self, name: str) -> Path | None:
        """The file ``name`` in the sources folder, if it is there (and inside it)."""
        if self.corpus is None or not name:
            return None
        path = (self.corpus / name).resolve()
        return path if self.corpus in path.parents and path.is_file() else None

    def path(self, locator: str) -> Path | None:
        """The file a locator names, if it can be found."""
        if locator.startswith(CORPUS_PREFIX):
            name, _, digest = locator[len(CORPUS_PREFIX):].partition("#")
            named = self._named(name)
            if not digest:
                return named
            if named is not None:
                data = _read(named)
                if data is not None and hashlib.sha256(data).hexdigest() == digest:
                    return named
            return self._by_digest.get(digest)
        path = (self.root / locator).resolve()
        return path if self.root in path.parents and path.is_file() else None

    def _bytes(self, locator: str) -> bytes | None:
        path = self.path(locator)
        return None if path is None else _read(path)

    def _text(self, locator: str) -> str | None:
        data = self.bytes(locator)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def missing(self, name: str, digest: str) -> str | None:
        """Why a text kept outside cannot be read (``None`` when it can)."""
        if self.text(corpus_locator(name, digest)) is not None:
            return None
        if self.corpus is None:
            return ("its text is kept outside the repository and no sources folder was given "
                    "(--sources DIR or KGRAPH_SOURCES)")
        if not self.corpus.is_dir():
            return f"the sources folder {self.corpus} does not exist"
        named = self._named(name)
        if named is not None:
            data = _read(named)
            if data is not None and hashlib.sha256(data).hexdigest() == digest:
                return f"{named} is not UTF-8 text"
            actual = hashlib.sha256(data).hexdigest() if data is not None else "unreadable"
            return (f"{named} has SHA-256 {actual}, not the recorded one, and no other file in the "
                    f"sources folder has it")
        return f"no file in the sources folder {self.corpus} is {name} or has the recorded SHA-256"


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def check_functions(root: Path, corpus: Path | None = None, texts: SourceTexts | None = None) -> dict:
    """The extension functions, reading shipped texts relative to the project
    ``root`` and texts kept outside from the sources folder ``corpus``."""
    texts = texts or SourceTexts(root, corpus)

    def source_contains(file, words):
        if not isinstance(file, ox.Literal) or not isinstance(words, ox.Literal):
            return None
        body = texts.text(file.value)
        return None if body is None else ox.Literal(words.value in body)

    def source_slice(file, start, end):
        if not all(isinstance(t, ox.Literal) for t in (file, start, end)):
            return None
        body = texts.text(file.value)
        try:
            first, last = int(start.value), int(end.value)
        except ValueError:
            return None
        if body is None or not 0 <= first <= last <= len(body):
            return None
        return ox.Literal(body[first:last])

    def sha256(file):
        if not isinstance(file, ox.Literal):
            return None
        data = texts.bytes(file.value)
        return None if data is None else ox.Literal(hashlib.sha256(data).hexdigest())

    def text_available(file):
        if not isinstance(file, ox.Literal):
            return None
        return ox.Literal(texts.text(file.value) is not None)

    def text_missing(name, digest):
        if not isinstance(name, ox.Literal) or not isinstance(digest, ox.Literal):
            return None
        why = texts.missing(name.value, digest.value)
        return None if why is None else ox.Literal(why)

    return {
        ox.NamedNode(FUNCTIONS_NS + "sourceContains"): source_contains,
        ox.NamedNode(FUNCTIONS_NS + "sourceSlice"): source_slice,
        ox.NamedNode(FUNCTIONS_NS + "sha256"): sha256,
        ox.NamedNode(FUNCTIONS_NS + "textAvailable"): text_available,
        ox.NamedNode(FUNCTIONS_NS + "textMissing"): text_missing,
    }
