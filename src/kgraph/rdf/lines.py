"""Where in a file a node is described: the line of the triple it is the subject of.

Reports point at ``FILE:LINE``; the line is found in the file's text, with
the prefixes the file itself declares.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["subject_line"]


def subject_line(path: Path, iri: str, prefixes: dict[str, str]) -> int | None:
    """The 1-based line of ``path`` where ``iri`` is described, or None."""
    return _find_line(path, iri, tuple(sorted(prefixes.items())))


@lru_cache(maxsize=64)
def _file_lines(path: Path, mtime: float) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


def _tokens(iri: str, prefixes: tuple[tuple[str, str], ...]) -> list[str]:
    tokens = [f"<{iri}>"]
    for prefix, namespace in prefixes:
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if local == "" or _PN_LOCAL.match(local):
                tokens.append(f"{prefix}:{local}")
    return tokens


def _find_line(path: Path, iri: str, prefixes: tuple[tuple[str, str], ...]) -> int | None:
    try:
        lines = _file_lines(path, path.stat().st_mtime)
    except (OSError, UnicodeDecodeError):
        return None
    alternatives = "|".join(re.escape(t) for t in _tokens(iri, prefixes))
    # A subject usually opens its line; fall back to any mention.
    as_subject = re.compile(rf"^\s*(?:{alternatives})(?![\w:.\-%])")
    anywhere = re.compile(rf"(?<![\w:.\-])(?:{alternatives})(?![\w:\-%]|\.[\w\-])")
    for pattern in (as_subject, anywhere):
        for number, text in enumerate(lines, start=1):
            if pattern.search(text):
                return number
    return None
