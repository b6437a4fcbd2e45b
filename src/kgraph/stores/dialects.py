"""What differs between SPARQL servers, in one place.

kgraph speaks SPARQL 1.1 Query, Update and, where the server has it, the
Graph Store HTTP Protocol. Where an engine departs from the standard (or
adds graphs of its own), its :class:`Dialect` says how to reach it; the
queries themselves are never changed to suit an engine (they are written in
SPARQL that means the same on every engine: ``IF(BOUND(?x), ...)`` rather
than an error from ``CONCAT`` of an unbound value, which Virtuoso does not
raise).

- :class:`Oxigraph`: ``/query``, ``/update``, the Graph Store Protocol at
  ``/store``; run it with ``--union-default-graph``.
- :class:`Virtuoso`: everything at ``/sparql`` (form-encoded: a POST with
  ``Content-Type: application/sparql-query`` hangs), the Graph Store
  Protocol at ``/sparql-graph-crud``; the default graph is the union of all
  graphs, Virtuoso's own system graphs included (they hold no kgraph terms,
  so the saved queries answer as elsewhere; listings of the store's graphs
  leave them out); JSON results use the old ``typed-literal`` type and
  ``nodeID://`` blank nodes.
- :class:`Generic`: any other SPARQL 1.1 server, through Query and Update
  only (``$KGRAPH_UPDATE_URL``, ``$KGRAPH_GSP_URL`` name the other endpoints).

The dialect is found from the server's ``Server`` header on the first
request, or named with ``$KGRAPH_SPARQL_DIALECT`` (``oxigraph``,
``virtuoso``, ``generic``).
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse

__all__ = ["Dialect", "Oxigraph", "Virtuoso", "Generic", "DIALECTS", "dialect_for"]


class Dialect:
    """The standard behaviour; engines override what they do differently."""

    name = "generic"
    #: How updates are sent: the body as ``application/sparql-update``, or a form field.
    update_as_form = False

    def __init__(self, query_url: str) -> None:
        self.query_url = query_url

    def update_url(self) -> str:
        given = os.environ.get("KGRAPH_UPDATE_URL")
        if given:
            return given
        url = self.query_url
        return url[: -len("/query")] + "/update" if url.endswith("/query") else url

    def gsp_url(self) -> str | None:
        """The Graph Store Protocol endpoint, or None where the server has none
        (``$KGRAPH_GSP_URL`` names it; ``none`` turns it off)."""
        return _given_gsp() or None

    def is_system_graph(self, graph: str) -> bool:
        """A graph the engine keeps for itself (never data)."""
        return False

    def prepare_query(self, text: str) -> str:
        """The query as this engine must receive it."""
        return text

    def results(self, data: bytes) -> bytes:
        """JSON results as SPARQL 1.1 writes them."""
        return data

    def rolled_back(self, message: str) -> bool:
        """Whether an error answer says the engine rolled the request back
        whole to break a deadlock with another writer (safe to send again)."""
        return False


class Oxigraph(Dialect):
    name = "oxigraph"

    def update_url(self) -> str:
        return os.environ.get("KGRAPH_UPDATE_URL") or _sibling(self.query_url, "update")

    def gsp_url(self) -> str | None:
        given = _given_gsp()
        return given if given is not None else _sibling(self.query_url, "store")


class Virtuoso(Dialect):
    name = "virtuoso"
    update_as_form = True
    #: Graphs a fresh Virtuoso holds for itself.
    SYSTEM = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://www.w3.org/2002/07/owl#",
              "urn:activitystreams-owl:map", "urn:core:services:sparql")

    def update_url(self) -> str:
        return os.environ.get("KGRAPH_UPDATE_URL") or self.query_url

    def gsp_url(self) -> str | None:
        given = _given_gsp()
        return given if given is not None else _sibling(self.query_url, "sparql-graph-crud")

    def rolled_back(self, message: str) -> bool:
        # SQLSTATE 40001, "Transaction deadlocked": Virtuoso picked this
        # update as the victim of a deadlock and undid all of it
        return "40001" in message and "deadlock" in message.lower()

    def is_system_graph(self, graph: str) -> bool:
        base = _origin(self.query_url)
        return graph.startswith(self.SYSTEM) or graph.startswith(base + "/") or graph.startswith(
            base.replace("127.0.0.1", "localhost") + "/")

    def results(self, data: bytes) -> bytes:
        document = json.loads(data)
        for binding in document.get("results", {}).get("bindings", []):
            for term in binding.values():
                if term.get("type") == "typed-literal":
                    term["type"] = "literal"
                if term.get("type") == "bnode" or term.get("type") == "uri" and term["value"].startswith("nodeID://"):
                    term["type"] = "bnode"
                    term["value"] = re.sub(r"\W", "_", term["value"].removeprefix("nodeID://"))
        document.get("head", {}).pop("link", None)
        return json.dumps(document).encode("utf-8")


class Generic(Dialect):
    pass


DIALECTS = {d.name: d for d in (Oxigraph, Virtuoso, Generic)}


def dialect_for(query_url: str, server_header: str | None) -> Dialect:
    """The dialect named by ``$KGRAPH_SPARQL_DIALECT``, or the one the
    server's ``Server`` header names.

    >>> dialect_for("http://h/sparql", "Virtuoso/07.20.3229 (Linux)").name
    'virtuoso'
    >>> dialect_for("http://h/query", "Oxigraph/0.5.13").name
    'oxigraph'
    """
    named = os.environ.get("KGRAPH_SPARQL_DIALECT")
    if named:
        try:
            return DIALECTS[named.lower()](query_url)
        except KeyError:
            from ..errors import StoreError

            raise StoreError(f"unknown SPARQL dialect {named!r}; choose one of {', '.join(DIALECTS)}") from None
    header = (server_header or "").lower()
    if header.startswith("virtuoso"):
        return Virtuoso(query_url)
    if header.startswith("oxigraph"):
        return Oxigraph(query_url)
    return Generic(query_url)


def _given_gsp() -> str | None:
    """``$KGRAPH_GSP_URL``: a URL, ``""`` for "none" (the protocol off), or None when unset."""
    given = os.environ.get("KGRAPH_GSP_URL")
    if given is None or given == "":
        return None
    return "" if given.lower() == "none" else given


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _sibling(url: str, name: str) -> str:
    """The endpoint ``name`` beside ``url``'s last path segment (``.../query`` -> ``.../store``)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + "/" + name
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
