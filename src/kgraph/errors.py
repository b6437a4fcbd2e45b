"""The exceptions kgraph raises.

Every error derives from :class:`KGraphError`. The command line maps
:class:`InputError` (and its children) to exit code 2; the library itself
never exits or prints.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "KGraphError",
    "InputError",
    "RDFSyntaxError",
    "EmptyInputError",
    "EncodingError",
    "GraphConflictError",
]


class KGraphError(Exception):
    """Base class of every error kgraph raises."""


class InputError(KGraphError):
    """An input could not be found, read or parsed (command line exit code 2)."""

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(f"{path}: {message}" if path is not None else message)


class RDFSyntaxError(InputError):
    """A file is not valid in its RDF syntax; ``line`` and ``column`` are 1-based."""

    def __init__(self, path: str | Path, line: int | None, column: int | None, message: str) -> None:
        self.line = line
        self.column = column
        self.detail = message
        where = str(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        InputError.__init__(self, message, path)
        Exception.__init__(self, f"{where}: {message}")


class EmptyInputError(InputError):
    """A file holds no RDF statements at all."""


class EncodingError(InputError):
    """A file is not valid UTF-8."""


class GraphConflictError(InputError):
    """Two files fill the same named graph."""
