"""Rendering a :class:`~kgraph.validation.ValidationReport` for people and
machines: text, JSON, GitHub Actions annotations, JUnit XML and SARIF.

Every format carries every result: the inputs that could not be read
(``report.errors``: syntax, encoding, conflicting graphs, unreadable files,
with line and column) as well as the violations, warnings and infos, each
with its hint where kgraph has one. Paths are written relative to
``relative_to`` (the command line passes the project's root, which is what
GitHub annotations need) when they lie inside it.

Each renderer returns a string; printing is the command line's job.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .._version import __version__
from ..validation.report import SEVERITIES, ValidationReport, Violation
from .terms import display_path, short_term

__all__ = ["REPORT_FORMATS", "render_report", "render_text", "render_json", "render_github", "render_junit",
           "render_sarif", "render_errors"]


def _file(v: Violation, relative_to: Path | None) -> str | None:
    return display_path(v.file, relative_to) if v.file is not None else None


def _where(v: Violation, relative_to: Path | None) -> str:
    path = _file(v, relative_to)
    if path is None:
        return "-"
    if v.line:
        path += f":{v.line}"
        if v.column:
            path += f":{v.column}"
    return path


def _context(v: Violation) -> str:
    return " ".join(t for t in (short_term(v.focus), short_term(v.path), short_term(v.value)) if t)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _summary(report: ValidationReport) -> str:
    if report.failed:
        files = {str(e.file) for e in report.errors if e.file is not None}
        return (f"cannot be validated: {_plural(len(report.errors), 'error')} in {_plural(len(files), 'file')} "
                "(fix them, then validate again)")
    counts = ", ".join(_plural(report.count(s), s) for s in SEVERITIES)
    verdict = "conforms" if report.conforms else "does not conform"
    return (
        f"{verdict}: {_plural(len(report.files), 'file')}, "
        f"{report.triples} triples, {report.shapes} shapes, {report.checks} checks; {counts}"
        + (f"; {_plural(report.skipped_sources, 'source')} without its text (quote checks skipped)"
           if report.skipped_sources else "")
    )


def render_errors(report: ValidationReport, relative_to: Path | None = None) -> str:
    """The inputs that could not be read, as the command line prints them on
    stderr: ``Error: FILE:LINE:COL: message``, each with its hint."""
    lines = []
    for e in report.errors:
        where = _where(e, relative_to)
        lines.append(f"Error: {where + ': ' if where != '-' else ''}{e.message}")
        if e.hint:
            lines.append(f"  hint: {e.hint}")
    return "\n".join(lines) + "\n" if lines else ""


def render_text(report: ValidationReport, relative_to: Path | None = None) -> str:
    """One line per result, ``FILE:LINE: severity: message [focus path value]``
    (and its hint on the next line), then a summary line."""
    lines = []
    for v in [*report.errors, *report.violations]:
        context = _context(v)
        lines.append(f"{_where(v, relative_to)}: {v.severity}: {v.message}" + (f" [{context}]" if context else ""))
        if v.hint:
            lines.append(f"  hint: {v.hint}")
    lines.append(_summary(report))
    lines += [f"note: {note}" for note in report.notes]
    if report.unchecked_triples:
        lines.append(
            f"note: {report.unchecked_triples} triples use RDF 1.2 terms that the SHACL engine cannot read; "
            "the shapes did not check them"
        )
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport, relative_to: Path | None = None) -> str:
    """The report as JSON (see :meth:`ValidationReport.to_dict`), paths relative."""
    data = report.to_dict()
    data["files"] = [display_path(Path(p), relative_to) for p in data["files"]]
    for entry in data["errors"] + data["violations"]:
        if entry["file"]:
            entry["file"] = display_path(Path(entry["file"]), relative_to)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _rule(v: Violation) -> str:
    """A short rule name: the shape's local name, ``check:NAME`` or ``kgraph:KIND``."""
    if not v.source:
        return "kgraph"
    if v.source.startswith(("check:", "kgraph:")):
        return v.source
    return v.source.strip("<>").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or "kgraph"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _full_message(v: Violation) -> str:
    context = _context(v)
    message = v.message + (f" [{context}]" if context else "")
    return message + (f"\nhint: {v.hint}" if v.hint else "")


def render_github(report: ValidationReport, relative_to: Path | None = None) -> str:
    """GitHub Actions workflow commands (``::error file=F,line=L,col=C,title=T::message``),
    so each result shows on the pull request's diff; then the summary line."""
    level = {"error": "error", "violation": "error", "warning": "warning", "info": "notice"}
    lines = []
    for v in [*report.errors, *report.violations]:
        properties = []
        path = _file(v, relative_to)
        if path:
            properties.append(f"file={_escape_property(path)}")
            if v.line:
                properties.append(f"line={v.line}")
                if v.column:
                    properties.append(f"col={v.column}")
        properties.append(f"title={_escape_property(_rule(v))}")
        lines.append(f"::{level[v.severity]} {','.join(properties)}::{_escape_data(_full_message(v))}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def render_junit(report: ValidationReport, relative_to: Path | None = None) -> str:
    """JUnit XML: one test case per file checked. A file that cannot be read
    has an ``<error>``, its violations are its ``<failure>``, its warnings and
    infos its standard output."""
    from xml.etree import ElementTree as ET

    by_file: dict[str, list[Violation]] = {}
    for path in report.files:
        by_file.setdefault(display_path(Path(path), relative_to), [])
    for v in [*report.errors, *report.violations]:
        by_file.setdefault(_file(v, relative_to) or "(no file)", []).append(v)
    errors = sum(1 for found in by_file.values() if any(v.severity == "error" for v in found))
    failing = sum(1 for found in by_file.values()
                  if any(v.severity == "violation" for v in found) and not any(v.severity == "error" for v in found))
    suites = ET.Element("testsuites", name="kgraph validate", tests=str(len(by_file)), failures=str(failing),
                        errors=str(errors))
    suite = ET.SubElement(suites, "testsuite", name="kgraph validate", tests=str(len(by_file)),
                          failures=str(failing), errors=str(errors), skipped="0")
    for path, found in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="kgraph.validate", name=path)

        def text(items):
            return "\n".join(
                f"{_where(v, relative_to)}: {v.severity}: {v.message} [{_rule(v)}]"
                + (f"\n  hint: {v.hint}" if v.hint else "") for v in items
            )

        unreadable = [v for v in found if v.severity == "error"]
        violations = [v for v in found if v.severity == "violation"]
        if unreadable:
            element = ET.SubElement(case, "error", type=_rule(unreadable[0]), message=unreadable[0].message)
            element.text = text(unreadable)
        elif violations:
            failure = ET.SubElement(case, "failure", type="violation",
                                    message=_plural(len(violations), "violation"))
            failure.text = text(violations)
        others = [v for v in found if v.severity not in ("violation", "error")]
        if others:
            ET.SubElement(case, "system-out").text = text(others)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def render_sarif(report: ValidationReport, relative_to: Path | None = None) -> str:
    """SARIF 2.1.0, for code-scanning dashboards."""
    level = {"error": "error", "violation": "error", "warning": "warning", "info": "note"}
    rules: dict[str, dict] = {}
    results = []
    for v in [*report.errors, *report.violations]:
        rule = _rule(v)
        rules.setdefault(rule, {"id": rule, "shortDescription": {"text": v.message}})
        result = {"ruleId": rule, "level": level[v.severity], "message": {"text": _full_message(v)}}
        path = _file(v, relative_to)
        if path:
            location = {"artifactLocation": {"uri": Path(path).as_posix()}}
            if v.line:
                location["region"] = {"startLine": v.line} | ({"startColumn": v.column} if v.column else {})
            result["locations"] = [{"physicalLocation": location}]
        properties = {k: getattr(v, k) for k in ("focus", "path", "value", "hint") if getattr(v, k)}
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
