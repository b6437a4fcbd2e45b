"""SPARQL extension functions for the checks in ``queries/checks/``.

Some checks need what no triple holds: the text of an article. These
functions, in the namespace ``https://w3id.org/kgraph/function#`` (prefix
``kgfn:``), read a source's text file, always inside the project folder:

- ``kgfn:sourceContains(file, words)``: true if the words occur verbatim in
  the text file;
- ``kgfn:sourceSlice(file, start, end)``: the text between two positions
  (code points from 0, the end excluded), or unbound where the positions
  are not within the text;
- ``kgfn:sha256(file)``: the SHA-256 of the text file's bytes.

A file that is missing, unreadable or outside the project gives an error
(unbound), which the checks treat as a failure.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import KGFN

__all__ = ["FUNCTIONS_NS", "check_functions"]

FUNCTIONS_NS = KGFN


def check_functions(root: Path) -> dict:
    """The extension functions, reading files relative to the project ``root``."""
    root = Path(root).resolve()

    @lru_cache(maxsize=None)
    def read(name: str) -> bytes | None:
        path = (root / name).resolve()
        if root not in path.parents or not path.is_file():
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    @lru_cache(maxsize=None)
    def text(name: str) -> str | None:
        data = read(name)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def source_contains(file, words):
        if not isinstance(file, ox.Literal) or not isinstance(words, ox.Literal):
            return None
        body = text(file.value)
        return None if body is None else ox.Literal(words.value in body)

    def source_slice(file, start, end):
        if not all(isinstance(t, ox.Literal) for t in (file, start, end)):
            return None
        body = text(file.value)
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
        data = read(file.value)
        return None if data is None else ox.Literal(hashlib.sha256(data).hexdigest())

    return {
        ox.NamedNode(FUNCTIONS_NS + "sourceContains"): source_contains,
        ox.NamedNode(FUNCTIONS_NS + "sourceSlice"): source_slice,
        ox.NamedNode(FUNCTIONS_NS + "sha256"): sha256,
    }
