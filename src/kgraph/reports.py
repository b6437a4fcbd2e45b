"""Rendering a :class:`~kgraph.validation.ValidationReport` for people and machines.

Each renderer returns a string; printing is the command line's job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from .namespaces import compact
from .validation import SEVERITIES, ValidationReport, Violation

_IRI = re.compile(r"<([^<>\s]+)>")

__all__ = ["RENDERERS", "render", "render_text", "render_json", "short_term"]


def short_term(term: str | None) -> str:
    """An N-Triples term with known namespaces shortened to prefixed names.

    >>> short_term("<https://w3id.org/kgraph/ontology#Meeting>")
    'kg:Meeting'
    >>> short_term('"2023-03-01"^^<http://www.w3.org/2001/XMLSchema#date>')
    '"2023-03-01"^^xsd:date'
    >>> short_term("<https://w3id.org/kgraph/ontology#evidence>/<http://www.w3.org/ns/prov#wasQuotedFrom>")
    'kg:evidence/prov:wasQuotedFrom'
    """
    if not term:
        return ""
    if term.startswith('"'):
        if term.endswith(">") and "^^<" in term:
            lexical, _, datatype = term.rpartition("^^<")
            return f"{lexical}^^{compact(datatype[:-1])}"
        return term
    # an IRI, or a property path made of IRIs
    return _IRI.sub(lambda match: compact(match.group(1)), term)


def _where(v: Violation, relative_to: Path | None) -> str:
    if v.file is None:
        return "-"
    path = v.file
    if relative_to is not None:
        try:
            path = v.file.resolve().relative_to(relative_to.resolve())
        except ValueError:
            pass
    return f"{path}:{v.line}" if v.line else str(path)


def render_text(report: ValidationReport, relative_to: Path | None = None) -> str:
    """One line per result, ``FILE:LINE: severity: message [focus path value]``,
    then a summary line."""
    lines = []
    for v in report.violations:
        context = " ".join(t for t in (short_term(v.focus), short_term(v.path), short_term(v.value)) if t)
        lines.append(f"{_where(v, relative_to)}: {v.severity}: {v.message}" + (f" [{context}]" if context else ""))
    counts = ", ".join(f"{report.count(s)} {s}{'s' if report.count(s) != 1 else ''}" for s in SEVERITIES)
    verdict = "conforms" if report.conforms else "does not conform"
    lines.append(
        f"{verdict}: {len(report.files)} file{'s' if len(report.files) != 1 else ''}, "
        f"{report.triples} triples, {report.shapes} shapes, {report.checks} checks; {counts}"
    )
    if report.unchecked_triples:
        lines.append(
            f"note: {report.unchecked_triples} triples use RDF 1.2 terms that the SHACL engine cannot read; "
            "the shapes did not check them"
        )
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport, relative_to: Path | None = None) -> str:
    """The report as JSON (see :meth:`ValidationReport.to_dict`)."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[..., str]] = {"text": render_text, "json": render_json}


def render(report: ValidationReport, fmt: str = "text", relative_to: Path | None = None) -> str:
    """Render ``report`` in format ``fmt`` (a key of :data:`RENDERERS`)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(RENDERERS)}") from None
    return renderer(report, relative_to=relative_to)
