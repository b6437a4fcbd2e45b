"""Terms shortened for people to read."""

from __future__ import annotations

import re
from pathlib import Path

from ..namespaces import compact

__all__ = ["short_term", "display_path"]

_IRI = re.compile(r"<([^<>\s]+)>")


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


def display_path(path: Path | str, relative_to: Path | None = None) -> str:
    """``path`` relative to ``relative_to`` when it lies inside it, else as it is.

    >>> display_path(Path("/p/data/a.ttl"), Path("/p"))
    'data/a.ttl'
    >>> display_path(Path("/elsewhere/a.ttl"), Path("/p"))
    '/elsewhere/a.ttl'
    """
    path = Path(path)
    if relative_to is None:
        return str(path)
    for mine, theirs in ((path.absolute(), relative_to.absolute()), (path.resolve(), relative_to.resolve())):
        try:
            return mine.relative_to(theirs).as_posix()
        except (ValueError, OSError):
            continue
    return str(path)
