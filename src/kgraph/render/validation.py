"""Rendering a :class:`~kgraph.validation.ValidationReport` for people and
machines: text, JSON, GitHub Actions annotations, JUnit XML and SARIF.

Each renderer returns a string; printing is the command line's job.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .._version import __version__
from ..validation.report import SEVERITIES, ValidationReport, Violation
from .terms import short_term

__all__ = ["REPORT_FORMATS", "render_report", "render_text", "render_json", "render_github", "render_junit",
           "render_sarif"]


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


def _summary(report: ValidationReport) -> str:
    counts = ", ".join(f"{report.count(s)} {s}{'s' if report.count(s) != 1 else ''}" for s in SEVERITIES)
    verdict = "conforms" if report.conforms else "does not conform"
    return (
        f"{verdict}: {len(report.files)} file{'s' if len(report.files) != 1 else ''}, "
        f"{report.triples} triples, {report.shapes} shapes, {report.checks} checks; {counts}"
    )


def render_text(report: ValidationReport, relative_to: Path | None = None) -> str:
    """One line per result, ``FILE:LINE: severity: message [focus path value]``,
    then a summary line."""
    lines = []
    for v in report.violations:
        context = " ".join(t for t in (short_term(v.focus), short_term(v.path), short_term(v.value)) if t)
        lines.append(f"{_where(v, relative_to)}: {v.severity}: {v.message}" + (f" [{context}]" if context else ""))
    lines.append(_summary(report))
    lines += [f"note: {note}" for note in report.notes]
    if report.unchecked_triples:
        lines.append(
            f"note: {report.unchecked_triples} triples use RDF 1.2 terms that the SHACL engine cannot read; "
            "the shapes did not check them"
        )
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport, relative_to: Path | None = None) -> str:
    """The report as JSON (see :meth:`ValidationReport.to_dict`)."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _rule(v: Violation) -> str:
    """A short rule name: the shape's local name or ``check:NAME``."""
    if not v.source:
        return "kgraph"
    if v.source.startswith("check:"):
        return v.source
    return v.source.strip("<>").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or "kgraph"


def _path(v: Violation, relative_to: Path | None) -> str | None:
    if v.file is None:
        return None
    where = _where(v, relative_to)
    return where.rsplit(":", 1)[0] if v.line else where


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: ValidationReport, relative_to: Path | None = None) -> str:
    """GitHub Actions workflow commands (``::error file=F,line=L,title=T::message``),
    so each result shows on the pull request's diff; then the summary line."""
    level = {"violation": "error", "warning": "warning", "info": "notice"}
    lines = []
    for v in report.violations:
        properties = []
        path = _path(v, relative_to)
        if path:
            properties.append(f"file={_escape_property(path)}")
            if v.line:
                properties.append(f"line={v.line}")
        properties.append(f"title={_escape_property(_rule(v))}")
        context = " ".join(t for t in (short_term(v.focus), short_term(v.path), short_term(v.value)) if t)
        message = v.message + (f" [{context}]" if context else "")
        lines.append(f"::{level[v.severity]} {','.join(properties)}::{_escape_data(message)}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def render_junit(report: ValidationReport, relative_to: Path | None = None) -> str:
    """JUnit XML: one test case per file checked; a file's violations are its
    failure, its warnings and infos its standard output."""
    from xml.etree import ElementTree as ET

    by_file: dict[str, list[Violation]] = {}
    for path in report.files:
        by_file.setdefault(_where(Violation("info", "", file=Path(path)), relative_to), [])
    for v in report.violations:
        by_file.setdefault(_path(v, relative_to) or "(no file)", []).append(v)
    failing = sum(1 for found in by_file.values() if any(v.severity == "violation" for v in found))
    suites = ET.Element("testsuites", name="kgraph validate", tests=str(len(by_file)), failures=str(failing))
    suite = ET.SubElement(suites, "testsuite", name="kgraph validate", tests=str(len(by_file)),
                          failures=str(failing), errors="0", skipped="0")
    for path, found in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="kgraph.validate", name=path)

        def text(items):
            return "\n".join(
                f"{path}:{v.line or ''}: {v.severity}: {v.message} [{_rule(v)}]" for v in items
            )

        violations = [v for v in found if v.severity == "violation"]
        if violations:
            failure = ET.SubElement(case, "failure", type="violation",
                                    message=f"{len(violations)} violation{'s' if len(violations) != 1 else ''}")
            failure.text = text(violations)
        others = [v for v in found if v.severity != "violation"]
        if others:
            ET.SubElement(case, "system-out").text = text(others)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def render_sarif(report: ValidationReport, relative_to: Path | None = None) -> str:
    """SARIF 2.1.0, for code-scanning dashboards."""
    level = {"violation": "error", "warning": "warning", "info": "note"}
    rules: dict[str, dict] = {}
    results = []
    for v in report.violations:
        rule = _rule(v)
        rules.setdefault(rule, {"id": rule, "shortDescription": {"text": v.message}})
        result = {"ruleId": rule, "level": level[v.severity], "message": {"text": v.message}}
        path = _path(v, relative_to)
        if path:
            location = {"artifactLocation": {"uri": Path(path).as_posix()}}
            if v.line:
                location["region"] = {"startLine": v.line}
            result["locations"] = [{"physicalLocation": location}]
        properties = {k: getattr(v, k) for k in ("focus", "path", "value") if getattr(v, k)}
        if properties:
            result["properties"] = properties
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kgraph", "version": __version__, "rules": list(rules.values())}},
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


REPORT_FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "junit": render_junit,
    "sarif": render_sarif,
}


def render_report(report: ValidationReport, fmt: str = "text", relative_to: Path | None = None) -> str:
    """Render ``report`` in format ``fmt`` (a key of :data:`REPORT_FORMATS`).

    >>> import kgraph
    >>> print(render_report(kgraph.validate(), "text"), end="")
    conforms: 5 files, ... triples, ... shapes, ... checks; 0 violations, 0 warnings, 0 infos
    """
    try:
        renderer = REPORT_FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(REPORT_FORMATS)}") from None
    return renderer(report, relative_to=relative_to)
