"""What a validation finds: one :class:`Violation` per result, gathered in a
:class:`ValidationReport`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["SEVERITIES", "Violation", "ValidationReport"]

#: The check that reports a source whose text is not available.
SKIPPED_SOURCE = "check:source-text-not-available"

#: Severities from most to least serious, named as SHACL names them (lower case).
SEVERITIES = ("violation", "warning", "info")


@dataclass(frozen=True)
class Violation:
    """One validation result.

    Terms (``focus``, ``path``, ``value``) are in N-Triples syntax
    (``<iri>``, ``_:b0``, ``"text"@en``); ``path`` may be a SPARQL property path.
    ``source`` is the shape's IRI, ``check:NAME``, or for an input that
    could not be read ``kgraph:syntax``, ``kgraph:encoding``, ``kgraph:conflict``
    or ``kgraph:input`` (severity ``error``). ``hint`` says what is most likely
    wrong and how to fix it, where kgraph can tell.
    """

    severity: str
    message: str
    focus: str | None = None
    path: str | None = None
    value: str | None = None
    source: str | None = None
    component: str | None = None
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["file"] = str(self.file) if self.file else None
        return data


@dataclass
class ValidationReport:
    """The outcome of :func:`kgraph.validate`.

    ``conforms`` is true when no result has severity ``violation`` (with
    ``strict``, when there is no result at all) and every input could be read.
    ``errors`` holds the inputs that could not be read (syntax, encoding,
    conflicting graphs, unreadable files): then nothing was validated, and
    ``failed`` is true.
    """

    violations: list[Violation] = field(default_factory=list)
    errors: list[Violation] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    triples: int = 0
    shapes: int = 0
    checks: int = 0
    unchecked_triples: int = 0
    strict: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Some input could not be read, so the data was not validated."""
        return bool(self.errors)

    @property
    def conforms(self) -> bool:
        if self.errors:
            return False
        if self.strict:
            return not self.violations
        return not any(v.severity == "violation" for v in self.violations)

    @property
    def skipped_sources(self) -> int:
        """Sources whose text is kept outside the repository and was not
        available, so that their quotes were not checked against it."""
        return sum(1 for v in self.violations if v.source == SKIPPED_SOURCE)

    def count(self, severity: str) -> int:
        return sum(1 for v in self.violations if v.severity == severity)

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "files": [str(p) for p in self.files],
            "triples": self.triples,
            "shapes": self.shapes,
            "checks": self.checks,
            "unchecked_triples": self.unchecked_triples,
            "skipped_sources": self.skipped_sources,
            "counts": {s: self.count(s) for s in SEVERITIES} | {"error": len(self.errors)},
            "notes": self.notes,
            "errors": [e.to_dict() for e in self.errors],
            "violations": [v.to_dict() for v in self.violations],
        }
