"""SPARQL checks: saved queries in ``queries/checks/`` whose every row is a result.

A check catches what shapes cannot (a mediator who is also a party, a quote
not found in the article's text, ...). It must be a SELECT with ``?focus``,
and may select ``?path``, ``?value`` and ``?message``; its header's
``severity`` (default ``violation``) applies to every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..sparql.saved import SavedQuery
from .report import SEVERITIES, Violation
from .shacl import n3

__all__ = ["run_checks"]


def run_checks(graph, checks: Sequence[SavedQuery], root: Path, texts=None) -> list[Violation]:
    """Run every check over ``graph`` (data and ontology together); the
    extension functions read files inside ``root`` only, and the texts kept
    outside it through ``texts`` (a :class:`~kgraph.sparql.functions.SourceTexts`)."""
    from ..sparql.functions import check_functions

    functions = check_functions(root, texts=texts)
    violations = []
    for check in checks:
        severity = str(check.header.get("severity", "violation")).lower()
        if severity not in SEVERITIES:
            raise InputError(
                f"severity '{severity}' is not one of {', '.join(SEVERITIES)}", check.path
            )
        from ..sparql.guard import refuse_service

        refuse_service(check.text, f"the check {check.path}")
        try:
            solutions = graph.query(check.text, custom_functions=functions)
        except SyntaxError as exc:
            raise InputError(f"check is not valid SPARQL: {exc}", check.path) from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError("a check must be a SELECT query", check.path)
        names = {v.value for v in solutions.variables}
        if "focus" not in names:
            raise InputError("a check must select ?focus (and may select ?path ?value ?message)", check.path)
        for row in solutions:
            message = row["message"] if "message" in names else None
            path = row["path"] if "path" in names else None
            violations.append(
                Violation(
                    severity=severity,
                    message=message.value if message is not None else check.title,
                    focus=n3(row["focus"]),
                    path=n3(path) if path is not None else None,
                    value=n3(row["value"]) if "value" in names else None,
                    source=f"check:{check.name}",
                    component="SPARQLCheck",
                )
            )
    return violations
