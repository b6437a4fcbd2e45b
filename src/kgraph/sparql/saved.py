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
from typing import TYPE_CHECKING

from ..errors import InputError, QueryError

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project

__all__ = ["SavedQuery", "Param", "PARAM_TYPES", "read_query", "read_queries", "find_query", "parse_header", "parse_param"]

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

    @property
    def scans(self) -> bool:
        """``scans: true`` in the header: the query reads most of the graph, so
        the project cache is loaded into memory for it (see
        :mod:`kgraph.stores.cache`)."""
        value = self.header.get("scans")
        return isinstance(value, str) and value.split("--", 1)[0].strip().lower() in ("true", "yes")

    @property
    def params(self) -> list["Param"]:
        specs = self.header.get("param", [])
        return [parse_param(spec, self.path) for spec in (specs if isinstance(specs, list) else [specs])]

    @property
    def columns(self) -> list[str]:
        """Declared output columns: the name before any ``--`` of each ``column`` line."""
        specs = self.header.get("column", [])
        return [spec.split("--", 1)[0].strip() for spec in (specs if isinstance(specs, list) else [specs])]


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


def find_query(name_or_path: str | Path, project: "Project | None" = None) -> SavedQuery:
    """A saved query by name (``who-mediates-whom``) or a ``.rq`` file by path.

    >>> find_query("who-mediates-whom").title
    'Who mediates whom'
    """
    from ..project import find_project

    project = project or find_project()
    text = str(name_or_path)
    if text.endswith(".rq") or "/" in text or Path(text).is_file():
        return read_query(Path(text))
    path = project.queries_dir / f"{text}.rq"
    if not path.is_file():
        names = ", ".join(q.name for q in read_queries(project.queries_dir))
        raise QueryError(f"no saved query named {text!r}; saved queries: {names}")
    return read_query(path)


# -- parameters ------------------------------------------------------------

#: Parameter types a saved query may declare, and what each accepts.
PARAM_TYPES = {
    "iri": "an IRI: <http://...>, http://..., or a prefixed name such as actor:russia",
    "resource": "an IRI or prefixed name, or the label of something in the graph",
    "date": "a date, YYYY-MM-DD",
    "integer": "a whole number",
    "string": "a text",
    "langstring": "a text with a language tag, text@en",
}


@dataclass(frozen=True)
class Param:
    """A declared parameter: ``# param: NAME TYPE [optional] [default=VALUE] [var=VARIABLE] -- description``.

    The value is bound to the query variable ``?NAME``, or to ``?VARIABLE``
    when the declaration names one (so a parameter can filter a column of the
    same name that the query computes itself).
    """

    name: str
    type: str
    required: bool = True
    default: str | None = None
    description: str = ""
    var: str = ""

    @property
    def variable(self) -> str:
        return self.var or self.name

    def __str__(self) -> str:
        text = f"{self.name} ({self.type}"
        if self.default is not None:
            text += f", default {self.default}"
        elif not self.required:
            text += ", optional"
        return text + ")"


_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)(?P<flags>[^-]*?)(?:\s+--\s+(?P<text>.*))?$")


def parse_param(spec: str, where: Path | None = None) -> Param:
    """Read one ``param`` header line.

    >>> parse_param("from date optional -- Earliest date")
    Param(name='from', type='date', required=False, default=None, description='Earliest date', var='')
    >>> parse_param("polity resource optional var=polityFilter -- Only this polity").variable
    'polityFilter'
    """
    match = _PARAM.match(spec.strip())
    if not match or match.group("type") not in PARAM_TYPES:
        raise InputError(
            f"bad parameter declaration {spec!r}; write NAME TYPE [optional] [default=VALUE] -- description, "
            f"with TYPE one of {', '.join(PARAM_TYPES)}",
            where,
        )
    flags = match.group("flags").split()
    default = next((f.split("=", 1)[1] for f in flags if f.startswith("default=")), None)
    var = next((f.split("=", 1)[1] for f in flags if f.startswith("var=")), "")
    if var and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
        raise InputError(f"bad variable name {var!r} in {spec!r}", where)
    unknown = [f for f in flags if f != "optional" and not f.startswith(("default=", "var="))]
    if unknown:
        raise InputError(f"unknown parameter flag {unknown[0]!r} in {spec!r}", where)
    required = "optional" not in flags and default is None
    return Param(match.group("name"), match.group("type"), required, default, (match.group("text") or "").strip(), var)
