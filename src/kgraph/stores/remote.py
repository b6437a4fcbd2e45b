"""Any SPARQL 1.1 server: queries over HTTP, loads through SPARQL Update.

The update URL comes from ``$KGRAPH_UPDATE_URL`` (default: the query URL with
``/query`` replaced by ``/update``); credentials only from the environment
(``$KGRAPH_SPARQL_TOKEN`` for a bearer token, or ``$KGRAPH_SPARQL_USER`` and
``$KGRAPH_SPARQL_PASSWORD``); the timeout from ``timeout`` or
``$KGRAPH_SPARQL_TIMEOUT`` (seconds, default 30).

A file goes into a staging graph that one update then ``MOVE``s onto the
target, so a failure midway leaves the target as it was. The server must
treat its default graph as the union of the named graphs (Oxigraph
``--union-default-graph``, Fuseki ``unionDefaultGraph``, GraphDB and Virtuoso
by default).
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pyoxigraph as ox

from ..errors import RemoteError, StoreError
from ..namespaces import STAGING_GRAPHS
from ..project import Project, ProjectGraph
from ..rdf.dataset import Dataset, graph_term
from .base import StoredGraphs, meta_update, serialize_block

__all__ = ["RemoteBackend", "RemoteDataset"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: a SPARQL endpoint is given by its own URL, and
    credentials must never travel to an address the server names."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _without_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """``url`` without ``user:password@`` (which never appears in a message),
    and the user and password it held.

    >>> _without_userinfo("https://ann:s%40cret@sparql.example/kg/query")
    ('https://sparql.example/kg/query', 'ann', 's@cret')
    """
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, urllib.parse.unquote(parts.username or ""), urllib.parse.unquote(parts.password or "")


class RemoteBackend(StoredGraphs):
    """A SPARQL 1.1 server: queries over HTTP, loads through SPARQL Update."""

    name = "remote"

    def __init__(self, project: Project, query_url: str, update_url: str | None = None, timeout: float | None = None) -> None:
        super().__init__(project)
        self.query_url, self._url_user, self._url_password = _without_userinfo(query_url)
        update = update_url or os.environ.get("KGRAPH_UPDATE_URL") or (
            query_url[: -len("/query")] + "/update" if query_url.endswith("/query") else query_url
        )
        self.update_url, update_user, update_password = _without_userinfo(update)
        self._url_user = self._url_user or update_user
        self._url_password = self._url_password or update_password
        if urllib.parse.urlsplit(self.update_url)[:2] != urllib.parse.urlsplit(self.query_url)[:2]:
            raise StoreError("the update URL must be on the same host as the query URL (credentials go to one "
                             f"origin only): {self.update_url}")
        self.timeout = float(timeout or os.environ.get("KGRAPH_SPARQL_TIMEOUT") or 30)
        self.chunk = 20_000

    def _headers(self) -> dict[str, str]:
        headers = {"User-Agent": "kgraph"}
        token = os.environ.get("KGRAPH_SPARQL_TOKEN")
        user, password = os.environ.get("KGRAPH_SPARQL_USER"), os.environ.get("KGRAPH_SPARQL_PASSWORD")
        if user is None and self._url_user is not None:
            user, password = self._url_user, self._url_password
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif user is not None:
            credentials = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {credentials}"
        return headers

    def _post(self, url: str, body: bytes, content_type: str, accept: str | None = None) -> bytes:
        headers = self._headers() | {"Content-Type": content_type}
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                data = response.read()
                expected = response.headers.get("Content-Length")
                if expected is not None and len(data) != int(expected):
                    raise RemoteError(f"{url}: the response was cut short ({len(data)} of {expected} bytes)")
                return data
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                target, _, _ = _without_userinfo(exc.headers.get("Location") or "")
                raise RemoteError(f"{url}: the server redirects ({exc.code}) to {target or 'elsewhere'}; kgraph "
                                  "follows no redirect (credentials must never go to another address): give it "
                                  "the endpoint's own URL") from None
            message = self._scrub(exc.read().decode("utf-8", "replace").strip()[:500])
            raise RemoteError(f"{url}: HTTP {exc.code} {exc.reason}: {message}") from None
        except (TimeoutError, socket.timeout):
            raise RemoteError(f"{url}: no answer within {self.timeout:g} s", option="timeout") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise RemoteError(f"{url}: no answer within {self.timeout:g} s", option="timeout") from None
            raise RemoteError(f"{url}: cannot connect: {reason}") from None
        except http.client.IncompleteRead as exc:
            raise RemoteError(f"{url}: the response was cut short ({len(exc.partial)} bytes, {exc.expected} missing)") from None
        except (ConnectionError, OSError, http.client.HTTPException) as exc:
            raise RemoteError(f"{url}: the connection failed: {exc}") from None

    def _scrub(self, text: str) -> str:
        """``text`` with any credential kgraph holds blanked out."""
        for secret in (os.environ.get("KGRAPH_SPARQL_TOKEN"), os.environ.get("KGRAPH_SPARQL_PASSWORD"),
                       self._url_password):
            if secret:
                text = text.replace(secret, "***")
        return text

    def query(self, text: str, *, allow_service: bool = False, **kwargs):
        """Run a query on the server; results as pyoxigraph objects. A query
        that calls ``SERVICE`` is refused unless ``allow_service``."""
        from ..sparql.guard import refuse_service

        refuse_service(text, allow=allow_service)
        if kwargs.get("custom_functions"):
            raise StoreError("extension functions run only on a local store")
        data = self._post(self.query_url, urllib.parse.urlencode({"query": text}).encode(),
                          "application/x-www-form-urlencoded",
                          "application/sparql-results+json, application/n-triples;q=0.9")
        try:
            if data.lstrip().startswith(b"{"):
                return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
            return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"{self.query_url}: malformed results: {exc}") from None

    def update(self, text: str) -> None:
        self._post(self.update_url, text.encode("utf-8"), "application/sparql-update")

    def _select(self, query: str):
        return self.query(query)

    def _replace(self, graph: str, quads: list, source: Path, digest: str) -> None:
        target = graph_term(graph)
        staging = ox.NamedNode(f"{STAGING_GRAPHS}{uuid.uuid4()}")
        try:
            for start in range(0, max(len(quads), 1), self.chunk):
                block = [ox.Quad(q.subject, q.predicate, q.object, staging) for q in quads[start:start + self.chunk]]
                self.update(f"INSERT DATA {{ GRAPH {staging} {{\n{serialize_block(block)}\n}} }}")
            # one request: the target becomes the new graph at once, or stays as it was
            self.update(f"MOVE SILENT GRAPH {staging} TO GRAPH {target} ;\n" + meta_update(graph, source, digest, self.project.root))
        except StoreError:
            try:
                self.update(f"DROP SILENT GRAPH {staging}")
            except StoreError:
                pass
            raise

    def _graph_quads(self, graph: str) -> list[ox.Quad]:
        term = graph_term(graph)
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {term} {{ ?s ?p ?o }} }}")
        return [ox.Quad(t.subject, t.predicate, t.object, term) for t in triples]

    def graph(self) -> ProjectGraph:
        return self._stored_graph(RemoteDataset(self))


class RemoteDataset(Dataset):
    """A dataset whose queries run on the server. Quads are fetched on demand."""

    def __init__(self, backend: RemoteBackend) -> None:
        super().__init__()
        self.backend = backend

    def query(self, sparql: str, *, allow_service: bool = False, **kwargs):
        kwargs.pop("use_default_graph_as_union", None)
        return self.backend.query(sparql, allow_service=allow_service, **kwargs)

    def quads(self, graphs=None):
        for graph in (graphs if graphs is not None else self.graphs):
            yield from self.backend._graph_quads(graph)

    def __len__(self) -> int:
        rows = list(self.backend.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0]["n"].value)
