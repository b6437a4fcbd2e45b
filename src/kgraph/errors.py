"""Every exception kgraph raises, in one tree.

::

    KGraphError                 anything kgraph refuses or cannot do
    ├── InputError              an input is wrong: a file, a query, a parameter, an option's value
    │   ├── RDFSyntaxError      a file breaks its RDF syntax (line and column)
    │   ├── EncodingError       a file is not UTF-8 (line and column of the first bad byte)
    │   ├── EmptyInputError     a file holds no triple
    │   ├── GraphConflictError  two files fill one named graph
    │   ├── QueryError          a query cannot be found, parsed or run
    │   │   └── ParameterError  a query parameter is unknown, missing or mistyped
    │   ├── NetworkError        an unknown network projection or option
    │   └── ScaffoldError       a new article cannot be scaffolded
    ├── OutputError             an output cannot be written (folder, format, disk)
    │   └── ExportError         a network cannot be exported
    ├── StoreError              a store cannot be opened, read or written
    │   └── RemoteError         a SPARQL server failed, refused or did not answer
    └── LimitError              work was stopped by a limit
        ├── TimeLimitError      ... of time
        └── MemoryLimitError    ... of memory (refused before the engine runs out)

The library raises these and never prints or exits; the command line turns
every one into ``Error: ...`` and exit code 2. Messages name what is wrong in
the library's terms; an error may name the library parameter it is about
(``option``), which the command line shows as its flag.

>>> err = RDFSyntaxError("data/a.ttl", 3, 11, "Unexpected end of file")
>>> str(err)
'data/a.ttl:3:11: Unexpected end of file'
>>> isinstance(err, InputError), err.line, err.column
(True, 3, 11)
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "KGraphError",
    "InputError",
    "RDFSyntaxError",
    "EncodingError",
    "EmptyInputError",
    "GraphConflictError",
    "QueryError",
    "ParameterError",
    "NetworkError",
    "ScaffoldError",
    "MergeError",
    "OutputError",
    "ExportError",
    "StoreError",
    "RemoteError",
    "LimitError",
    "TimeLimitError",
    "MemoryLimitError",
]


class KGraphError(Exception):
    """Base class of every error kgraph raises.

    ``path``, ``line`` and ``column`` (1-based) say where, when known;
    ``option`` names the library parameter the error is about, if any.
    """

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        option: str | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.option = option
        super().__init__(self._text())

    @property
    def where(self) -> str | None:
        """``FILE[:LINE[:COLUMN]]``, or None when no file is known."""
        if self.path is None:
            return None
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def _text(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(KGraphError):
    """An input could not be found, read or parsed, or is not what it must be."""


class RDFSyntaxError(InputError):
    """A file is not valid in its RDF syntax; ``line`` and ``column`` are 1-based."""

    def __init__(self, path: str | Path, line: int | None, column: int | None, message: str) -> None:
        super().__init__(message, path, line=line, column=column)

    @property
    def detail(self) -> str:
        """The parser's message, without the place."""
        return self.message


class EncodingError(InputError):
    """A file is not valid UTF-8."""


class EmptyInputError(InputError):
    """A file holds no RDF statements at all."""


class GraphConflictError(InputError):
    """Two files fill the same named graph, or a file would replace another file's graph."""


class QueryError(InputError):
    """A query cannot be found, parsed or run."""


class ParameterError(QueryError):
    """A query parameter is unknown, missing, or not of its declared type;
    ``parameter`` names it."""

    def __init__(self, message: str, path: str | Path | None = None, *, parameter: str | None = None,
                 **where) -> None:
        self.parameter = parameter
        super().__init__(message, path, **where)


class NetworkError(InputError):
    """An unknown network projection, level, normalization or date."""


class ScaffoldError(InputError):
    """A new article cannot be scaffolded (bad slug, existing article, unreadable text)."""


class MergeError(InputError):
    """Two IRIs cannot be merged (unknown, the same, of different kinds, a file
    that cannot be rewritten), or the merged data would not conform; then
    ``merge`` holds the planned :class:`~kgraph.identity.merge.Merge` with
    its validation report. Nothing was written."""

    merge = None


class OutputError(KGraphError):
    """An output cannot be written: its folder is missing, its format unknown, the disk full."""


class ExportError(OutputError):
    """A network cannot be exported (unknown format, missing folder)."""


class StoreError(KGraphError):
    """A store cannot be opened, read or written."""


class RemoteError(StoreError):
    """A SPARQL server refused a request, failed, or did not answer in time."""

    #: True when the server did not answer within the timeout (it may still do the work).
    timed_out: bool = False
    #: The HTTP status of an error answer, if there was one.
    status: int | None = None


class LimitError(KGraphError):
    """Work was stopped, or refused before it started, by a limit."""


class TimeLimitError(LimitError):
    """Work did not finish within its time limit."""


class MemoryLimitError(LimitError):
    """Files would not fit in the memory left (refused before loading)."""
