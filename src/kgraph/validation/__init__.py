"""Validation: SHACL engines, SPARQL checks, what changed since a git
revision, and the report they fill."""

from .._util.lazy import lazy_exports

__all__ = ["validate", "check", "ValidationReport", "Violation", "SEVERITIES", "ENGINES"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "validate": "run", "check": "run", "ValidationReport": "report", "Violation": "report",
    "SEVERITIES": "report", "ENGINES": "shacl",
})
