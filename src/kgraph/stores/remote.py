"""Any SPARQL 1.1 server: queries over HTTP, each file's graphs written whole.

How a load writes (see also :mod:`.dialects` and :mod:`.lock`):

1. It takes the server's load lock, so that no other load writes at once,
   and sweeps away staging graphs an interrupted load may have left.
2. Each graph is replaced in one request: a Graph Store Protocol ``PUT``
   where the server has the protocol (Oxigraph, Virtuoso), else one update
   that drops and inserts it; only a graph too large for one update goes
   through a staging graph and one guarded update that replaces the target
   with it. Every graph is therefore old or new, never a mix, and no staging
   graph stays once the load ends. Then the graph's record (file, SHA-256)
   is written.
3. If a file fails, the graphs this load added are dropped again; graphs it
   replaced stay replaced (a server offers no transaction over several
   requests: each graph is whole, old or new).
4. When the server does not answer in time, kgraph reads the graph back to
   find out whether the write landed, and says which.

The server must treat its default graph as the union of the named graphs
(Oxigraph ``--union-default-graph``, Fuseki ``unionDefaultGraph``, GraphDB
and Virtuoso by default).
"""

from __future__ import annotations

import contextlib
import os
import random
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import RemoteError, StoreError
from ..namespaces import META_GRAPH, RESERVED_GRAPHS, SKOLEM, STAGING_GRAPHS
from ..project import Project, ProjectGraph
from ..rdf.dataset import Dataset, graph_term
from ..rdf.parse import ScannedFile
from ..sparql.text import query_form
from .base import LoadReport, StoreCheck, StoredGraphs, meta_update, serialize_block
from .dialects import Dialect, dialect_for
from .http import Client, without_userinfo
from .lock import ServerLock

__all__ = ["RemoteBackend", "RemoteDataset"]

_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"


class RemoteBackend(StoredGraphs):
    """A SPARQL 1.1 server (see the module's description)."""

    name = "remote"

    def __init__(self, project: Project, query_url: str, update_url: str | None = None, timeout: float | None = None,
                 lock_wait: float | None = None) -> None:
        super().__init__(project)
        self.query_url, user, password = without_userinfo(query_url)
        self._given_update = without_userinfo(update_url)[0] if update_url else None
        self.client = Client(user, password, float(timeout or os.environ.get("KGRAPH_SPARQL_TIMEOUT") or 30))
        self.lock_wait = float(lock_wait if lock_wait is not None else os.environ.get("KGRAPH_LOCK_WAIT") or 0)
        self.chunk = 20_000
        self._dialect: Dialect | None = None
        self._graphs_on_server: set[str] | None = None
        self.lock: ServerLock | None = None

    @property
    def timeout(self) -> float:
        return self.client.timeout

    # -- the server's dialect and endpoints ------------------------------------

    @property
    def dialect(self) -> Dialect:
        if self._dialect is None:
            answer = self.client.request("POST", self.query_url, urllib.parse.urlencode({"query": "ASK {}"}).encode(),
                                         "application/x-www-form-urlencoded", _RESULTS)
            server = next((v for k, v in answer.headers.items() if k.lower() == "server"), None)
            self._dialect = dialect_for(self.query_url, server)
            update = self._given_update or self._dialect.update_url()
            if urllib.parse.urlsplit(update)[:2] != urllib.parse.urlsplit(self.query_url)[:2]:
                raise StoreError("the update URL must be on the same host as the query URL (credentials go to "
                                 f"one origin only): {update}")
        return self._dialect

    @property
    def update_url(self) -> str:
        return self._given_update or self.dialect.update_url()

    # -- queries and updates ---------------------------------------------------

    def query(self, text: str, *, allow_service: bool = False, **kwargs):
        """Run a query on the server; results as pyoxigraph objects. A query
        that calls ``SERVICE`` is refused unless ``allow_service``."""
        from ..sparql.guard import refuse_service

        refuse_service(text, allow=allow_service)
        if kwargs.get("custom_functions"):
            raise StoreError("extension functions run only on a local store")
        return self._query(self.dialect.prepare_query(text))

    def _query(self, text: str):
        # triples are asked for as N-Triples: given a choice, some engines
        # (Virtuoso) answer a CONSTRUCT with a table of ?s ?p ?o
        accept = _TRIPLES if query_form(text) in ("CONSTRUCT", "DESCRIBE") else _RESULTS
        answer = self.client.request("POST", self.query_url, urllib.parse.urlencode({"query": text}).encode(),
                                     "application/x-www-form-urlencoded", accept)
        data = answer.body
        try:
            if data.lstrip().startswith(b"{"):
                return ox.parse_query_results(self._dialect.results(data) if self._dialect else data,
                                              format=ox.QueryResultsFormat.JSON)
            return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"{self.query_url}: malformed results: {exc}") from None

    def update(self, text: str) -> None:
        """Send one update. One that the engine rolled back whole to break a
        deadlock with another writer is sent again (a few times, after a
        random pause), since none of it was applied."""
        if self.dialect.update_as_form:
            body, kind = urllib.parse.urlencode({"update": text}).encode(), "application/x-www-form-urlencoded"
        else:
            body, kind = text.encode("utf-8"), "application/sparql-update"
        for attempt in range(5):
            try:
                self.client.request("POST", self.update_url, body, kind)
                return
            except RemoteError as error:
                if attempt == 4 or not self.dialect.rolled_back(error.message):
                    raise
                time.sleep(0.05 + random.random() * 0.2 * (attempt + 1))

    def _select(self, query: str):
        return self.query(query)

    def _all_named_graphs(self) -> list[str]:
        rows = self._query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode)]

    def _named_graphs(self) -> list[str]:
        return [g for g in self._all_named_graphs() if not self.dialect.is_system_graph(g)]

    # -- loading -----------------------------------------------------------------

    def load(self, paths: Sequence[str | Path] | None = None,
             progress: Callable[[Path], None] | None = None) -> LoadReport:
        """As :meth:`Backend.load`, under the server's load lock (see the module's description)."""
        try:
            with self._locked() as self.lock:
                graphs = self._all_named_graphs()  # one listing for both (it scans every quad on Virtuoso)
                self.sweep(graphs)
                self._graphs_on_server = {g for g in graphs if not g.startswith(STAGING_GRAPHS)
                                          and not self.dialect.is_system_graph(g)}
                return super().load(paths, progress)
        finally:
            self._graphs_on_server = None
            self.lock = None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[ServerLock]:
        """The server's load lock, held for the block (see :mod:`.lock`)."""
        lock = ServerLock(self, wait=self.lock_wait, expiry=float(os.environ.get("KGRAPH_LOCK_EXPIRY") or 600))
        lock.acquire()
        try:
            yield lock
        finally:
            try:
                lock.release()
            except RemoteError:
                pass  # the lock expires on its own

    def _holds_any(self, graphs: Sequence[str], meta) -> bool:
        on_server = self._graphs_on_server or set()
        return any(g in meta or g in on_server for g in graphs)

    def _store_new(self, item: ScannedFile) -> None:
        groups = skolemized(item.quads_by_graph(), item.sha256)
        for graph, quads in groups.items():
            self._put(graph, quads)
        self._record(item, list(groups))
        if self.lock is not None and self.lock.due():
            self.lock.refresh()

    def _record(self, item: ScannedFile, graphs: list[str]) -> None:
        """Write the graphs' records; after a timeout, read them back to know whether they landed."""
        try:
            self.update(" ;\n".join(meta_update(g, item.path, item.sha256, self.project.root) for g in graphs))
        except RemoteError as error:
            if not error.timed_out:
                raise
            def recorded() -> bool:
                meta = self._meta()
                return all(meta.get(g, (None, None))[1] == item.sha256 for g in graphs)

            if self._poll(recorded):
                return  # the server wrote them after all
            raise RemoteError(f"{error.message}; read back {self.timeout:g} s later, the records of "
                              f"{item.path.name} are not there: the graphs are new but not recorded, and a later "
                              "load writes them again", option="timeout") from None

    def _store_replacements(self, replacements: list[ScannedFile]) -> None:
        for item in replacements:
            self._store_new(item)

    def _drop_new(self, graphs: Sequence[str]) -> None:
        for graph in graphs:
            self.update(f"DROP SILENT GRAPH {graph_term(graph)} ;\n"
                        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {graph_term(graph)} ?p ?o }} }}")

    def _put(self, graph: str, quads: list[ox.Quad]) -> None:
        """Replace ``graph`` with ``quads`` in one request where the server
        allows it; after a timeout, find out whether the write landed."""
        triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
        target = graph_term(graph)
        gsp = self.dialect.gsp_url()
        try:
            if gsp:
                body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
                url = f"{gsp}?{urllib.parse.urlencode({'graph': graph})}"
                self.client.request("PUT", url, body, "application/n-triples")
            elif len(triples) <= self.chunk:
                block = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
                self.update(f"DROP SILENT GRAPH {target} ;\nINSERT DATA {{ GRAPH {target} {{\n{block}\n}} }}")
            else:
                self._put_through_staging(target, quads)
        except RemoteError as error:
            if not error.timed_out:
                raise
            if self._landed(target, triples):
                return  # the server finished after all: the graph is new
            raise RemoteError(f"{error.message}; read back {self.timeout:g} s later, {graph} still holds its old "
                              "content, so the load stops here (the server may yet finish the write; a later "
                              "load puts it right)", option="timeout") from None

    def _put_through_staging(self, target: ox.NamedNode, quads: list[ox.Quad]) -> None:
        staging = ox.NamedNode(f"{STAGING_GRAPHS}{uuid.uuid4()}")
        try:
            for start in range(0, len(quads), self.chunk):
                block = [ox.Quad(q.subject, q.predicate, q.object, staging) for q in quads[start:start + self.chunk]]
                self.update(f"INSERT DATA {{ GRAPH {staging} {{\n{serialize_block(block)}\n}} }}")
            # One request: the target becomes the new graph at once, or stays as
            # it was. Not MOVE: a MOVE from a graph that is gone (dropped after a
            # MOVE that timed out, then landed late) clears its target, on
            # Oxigraph and Virtuoso alike; this replaces the target only while
            # the staging graph holds something.
            self.update(f"DELETE {{ GRAPH {target} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {target} {{ ?s ?p ?o }} "
                        f"FILTER EXISTS {{ GRAPH {staging} {{ ?a ?b ?c }} }} }} ;\n"
                        f"INSERT {{ GRAPH {target} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {staging} {{ ?s ?p ?o }} }} ;\n"
                        f"DROP SILENT GRAPH {staging}")
        except RemoteError as error:
            if not error.timed_out:
                try:
                    self.update(f"DROP SILENT GRAPH {staging}")
                except RemoteError:
                    pass  # the next load, or kgraph store repair, sweeps it
            raise

    def _landed(self, target: ox.NamedNode, triples: list[ox.Triple]) -> bool:
        """Whether ``target`` holds exactly ``triples``, waiting up to one more timeout for it."""
        sample = triples[:: max(len(triples) // 8, 1)][:8]
        probe = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in sample)

        def holds() -> bool:
            rows = list(self._query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {target} {{ ?s ?p ?o }} }}"))
            count = int(rows[0]["n"].value) if rows else 0
            return count == len(triples) and (not sample or bool(self._query(f"ASK {{ GRAPH {target} {{\n{probe}\n}} }}")))

        return self._poll(holds)

    def _poll(self, done: Callable[[], bool]) -> bool:
        """Ask ``done`` (a read-back) until it says yes, for up to one more
        timeout; a failing read-back counts as no."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if done():
                    return True
            except RemoteError:
                pass
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.5, max(deadline - time.monotonic(), 0.05)))

    # -- upkeep --------------------------------------------------------------------

    def sweep(self, graphs: Sequence[str] | None = None) -> list[str]:
        """Drop every staging graph an interrupted load left (among ``graphs``,
        default: all the server holds); returns their names."""
        left = [g for g in (self._all_named_graphs() if graphs is None else graphs) if g.startswith(STAGING_GRAPHS)]
        for graph in left:
            self.update(f"DROP SILENT GRAPH <{graph}>")
        return left

    def repair(self, *, break_lock: bool = False) -> StoreCheck:
        """As :meth:`StoredGraphs.repair`, under the load lock (broken first
        with ``break_lock``), so that a repair never drops the staging graph of
        a load that is running."""
        broken = self._break_lock() if break_lock else 0
        with self._locked() as lock:
            found = super().repair()
        found.locks = [held for held in found.locks if held[0] != lock.owner]  # not this repair's own claim
        found.repaired += broken
        return found

    def _graph_quads(self, graph: str) -> list[ox.Quad]:
        term = graph_term(graph)
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {term} {{ ?s ?p ?o }} }}")
        # a skolem IRI read back is the blank node the file had (see skolemized)
        return [ox.Quad(_unskolemized(t.subject), t.predicate, _unskolemized(t.object), term) for t in triples]

    def graph(self, *, scans: bool = False) -> ProjectGraph:
        return self._stored_graph(RemoteDataset(self))

    def _lock_holders(self) -> list[tuple[str, str, str]]:
        return ServerLock(self).holders()

    def _break_lock(self) -> int:
        return len(ServerLock(self).break_lock())


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
        """Triples in the data and ontology graphs (not the engine's own, nor kgraph's records)."""
        rows = self.backend._query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        dialect = self.backend.dialect
        return sum(int(r["n"].value) for r in rows if isinstance(r["g"], ox.NamedNode)
                   and not dialect.is_system_graph(r["g"].value) and not r["g"].value.startswith(RESERVED_GRAPHS))


def skolemized(groups: dict[str, list[ox.Quad]], digest: str) -> dict[str, list[ox.Quad]]:
    """``groups`` (one file's quads by graph) with every blank node replaced
    by a skolem IRI (RDF 1.1, section 3.5) named after the file's digest and
    the order in which the node first appears.

    A blank node cannot cross requests: a graph staged in several updates
    would split it in two, Virtuoso refuses one in ``INSERT DATA``, and a
    read-back cannot name it. The same file always gets the same IRIs.
    """
    names: dict[str, ox.NamedNode] = {}

    def term(node):
        if isinstance(node, ox.BlankNode):
            if node.value not in names:
                names[node.value] = ox.NamedNode(f"{SKOLEM}{digest[:16]}-{len(names) + 1}")
            return names[node.value]
        return node

    return {graph: [ox.Quad(term(q.subject), q.predicate, term(q.object), q.graph_name)
                    if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) else q
                    for q in quads]
            for graph, quads in groups.items()}


def _unskolemized(term):
    """The blank node a skolem IRI of :func:`skolemized` stands for; any other term as it is."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(SKOLEM):
        return ox.BlankNode("sk" + term.value[len(SKOLEM):].replace("-", "n"))
    return term
