"""Saved SPARQL queries and the metadata header they carry.

A saved query is a ``.rq`` file whose leading comment lines hold its
metadata, one ``key: value`` per line (an indented comment line continues
the value above it)::

    # title: Mediator is also a party
    # description: A meeting's mediator cannot also be one of its parties.
    # severity: violation
    SELECT ?focus ?path ?value ?message WHERE { ... }

Keys that may repeat (``param``, ``column``) collect into lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

__all__ = ["SavedQuery", "read_query", "read_queries", "parse_header"]

_REPEATABLE = {"param", "column"}
_KEY_LINE = re.compile(r"^#\s?([a-z][a-z0-9_-]*):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")


def parse_header(text: str) -> dict[str, str | list[str]]:
    """Read the metadata header of a saved query.

    >>> parse_header("# title: Posts\\n# column: person\\n# column: post\\nSELECT * {}")
    {'title': 'Posts', 'column': ['person', 'post']}
    """
    header: dict[str, str | list[str]] = {}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.rstrip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        key_match = _KEY_LINE.match(stripped)
        more = _CONTINUATION.match(stripped)
        if more and last is not None:
            value = header[last]
            if isinstance(value, list):
                value[-1] = f"{value[-1]} {more.group(1)}"
            else:
                header[last] = f"{value} {more.group(1)}".strip()
        elif key_match:
            key, value = key_match.group(1), key_match.group(2).strip()
            if key in _REPEATABLE:
                header.setdefault(key, [])
                header[key].append(value)  # type: ignore[union-attr]
            else:
                header[key] = value
            last = key
        else:
            last = None
    return header


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: its name (the file name without ``.rq``), text and header."""

    name: str
    path: Path
    text: str
    header: dict[str, str | list[str]] = field(compare=False)

    @property
    def title(self) -> str:
        value = self.header.get("title")
        return value if isinstance(value, str) else self.name

    @property
    def description(self) -> str:
        value = self.header.get("description")
        return value if isinstance(value, str) else ""


def read_query(path: str | Path) -> SavedQuery:
    """Read one saved query file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such query file", path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"query file is not UTF-8 ({exc.reason})", path) from None
    return SavedQuery(path.stem, path, text, parse_header(text))


def read_queries(folder: str | Path) -> list[SavedQuery]:
    """Every saved query directly inside ``folder``, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [read_query(p) for p in sorted(folder.glob("*.rq"))]
