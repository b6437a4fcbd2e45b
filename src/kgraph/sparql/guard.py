"""The one guard against ``SERVICE``: kgraph never lets a query reach the
network on its own.

Every path that runs SPARQL asks :func:`refuse_service` first: saved and
ad-hoc queries on either engine, the checks in ``queries/checks/``, the
network projections, SHACL-SPARQL in the shapes, queries sent to a server and
the queries ``kgraph serve`` answers for its clients. The decision comes from
the parsed query, not from a text search:

1. SPARQL's codepoint escapes (``\\u0053`` is ``S``) are expanded first, as
   the SPARQL grammar (section 19.2) says every parser must; after that a
   ``SERVICE`` keyword can only be the seven letters themselves, so a query
   whose expanded text does not contain them cannot call a service (the
   fast path every saved query takes).
2. Otherwise the query is parsed (rdflib's SPARQL 1.1 parser) and its parse
   tree searched for a ``ServiceGraphPattern``. A query that cannot be parsed
   cannot be shown to be safe and is refused unless services are allowed.

>>> calls_service("SELECT * WHERE { ?s ?p ?o }")
False
>>> calls_service("SELECT * WHERE { \\\\u0053ERVICE <http://x.example/> { ?s ?p ?o } }")
True
>>> calls_service("PREFIX ex: <http://e.example/> SELECT * WHERE { ex:a\\\\#b ex:service ?o }")
False
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import QueryError

__all__ = ["calls_service", "refuse_service", "expand_escapes"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def expand_escapes(text: str) -> str:
    """SPARQL's codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``) replaced by
    their characters, as a parser does before it reads the query."""
    def one(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(one, text)


@lru_cache(maxsize=256)
def calls_service(text: str) -> bool | None:
    """Whether the query or update ``text`` has a ``SERVICE`` clause: True,
    False, or None when it cannot be parsed (so nobody can tell)."""
    expanded = expand_escapes(text)
    if "service" not in expanded.lower():
        return False
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    for parse in (parseQuery, parseUpdate):
        try:
            tree = parse(expanded)
        except (ParseException, ValueError, TypeError):
            continue
        return _has_service(tree)
    return None


def _has_service(node) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_has_service(value) for value in node.values())
    if isinstance(node, (ParseResults, list, tuple)):
        return any(_has_service(item) for item in node)
    if isinstance(node, dict):
        return any(_has_service(value) for value in node.values())
    return False


def refuse_service(text: str, where: str = "the query", allow: bool = False) -> None:
    """Raise :class:`~kgraph.errors.QueryError` if ``text`` calls ``SERVICE``
    (or cannot be shown not to), unless ``allow``."""
    if allow:
        return
    found = calls_service(text)
    if found:
        raise QueryError(f"{where} calls SERVICE (a remote endpoint), which kgraph refuses unless it is allowed",
                         option="allow_service")
    if found is None:
        raise QueryError(f"{where} mentions SERVICE and does not parse as SPARQL 1.1, so kgraph cannot tell "
                         "whether it calls a remote endpoint; it is refused unless remote endpoints are allowed",
                         option="allow_service")
