"""Where the graph lives: in memory (default), in an on-disk store, or in any
SPARQL 1.1 server.

One option chooses the backend (``--store``, ``$KGRAPH_STORE``):

- ``memory`` (default): ``data/`` and the ontology are loaded on each run;
- a folder path: a persistent pyoxigraph (RocksDB) store;
- an ``http(s)://`` query URL: a SPARQL 1.1 endpoint. The update URL comes from
  ``$KGRAPH_UPDATE_URL`` (default: the query URL with ``/query`` replaced by
  ``/update``); credentials only from the environment (``$KGRAPH_SPARQL_TOKEN``
  for a bearer token, or ``$KGRAPH_SPARQL_USER`` and ``$KGRAPH_SPARQL_PASSWORD``),
  never from the command line; ``$KGRAPH_SPARQL_TIMEOUT`` seconds (default 30).

Loading replaces each file's graph atomically and skips a file whose content
hash is unchanged; hashes live in the graph ``graph:kgraph-meta``. On disk a
replacement is one transaction; on a server the file goes into a staging graph
that one update then ``MOVE``s onto the target, so a failure midway leaves the
target as it was. A server must treat its default graph as the union of the
named graphs (Oxigraph ``--union-default-graph``, Fuseki ``unionDefaultGraph``,
GraphDB and Virtuoso by default).
"""

from __future__ import annotations

import base64
import http.client
import hashlib
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .dataset import Dataset, SourceFile, graph_term
from .errors import InputError
from .errors import GraphConflictError
from .loader import ScannedFile, collect_files, graph_name_for, parse_file, scanned
from .namespaces import BASE, GRAPH
from .project import Project

__all__ = ["StoreError", "Backend", "MemoryBackend", "DiskBackend", "RemoteBackend", "open_store", "LoadReport", "META_GRAPH"]

META_GRAPH = GRAPH + "kgraph-meta"
_META = BASE + "meta#"


class StoreError(InputError):
    """A store cannot be opened, read or written (exit code 2)."""


@dataclass
class LoadReport:
    """What :meth:`Backend.load` did, file by file."""

    loaded: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    triples: int = 0


def _serialize_block(quads) -> str:
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def _meta_update(graph: str, source: Path, digest: str) -> str:
    g = f"<{graph}>"
    return (
        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {g} ?p ?o }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {g} <{_META}sourceFile> {ox.Literal(str(source))} ; "
        f"<{_META}sha256> {ox.Literal(digest)} . }} }}"
    )


class Backend:
    """A place the graph lives. Subclasses: memory, disk, remote."""

    name = "backend"

    def __init__(self, project: Project) -> None:
        self.project = project

    def _files(self, paths: Sequence[str | Path] | None) -> list[Path]:
        files = collect_files(list(paths) if paths else [self.project.data_dir])
        return files + [f for f in self.project.ontology_files() if f.resolve() not in {p.resolve() for p in files}]

    def _graph_root(self, path: Path) -> Path:
        data = self.project.data_dir.resolve()
        return self.project.data_dir if data == path.resolve() or data in path.resolve().parents else self.project.root

    def load(self, paths: Sequence[str | Path] | None = None, progress: Callable[[Path], None] | None = None) -> LoadReport:
        """Load files (default: ``data/``; the ontology always) each into its own graph.

        Every changed file is parsed strictly first. Graphs the store does not
        hold yet are stored as their file's scan passes (the next file's parse
        overlaps); graphs that replace stored ones only once every file has
        passed, on disk all in one transaction. If any file fails, or the load
        is interrupted before that transaction, the graphs new in this load are
        dropped again and no stored graph has been replaced. (On a server the
        replacements go file by file, each graph at once: an interruption
        there can leave some files replaced and others not.)
        """
        report = LoadReport()
        meta = self._meta()
        recorded: dict[Path, set[str]] = {}
        for _, (file, digest) in meta.items():
            recorded.setdefault(Path(file).resolve(), set()).add(digest)
        changed: list[Path] = []
        for path in self._files(paths):
            known = recorded.get(path.resolve())
            if known is not None and len(known) == 1:
                try:
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError as exc:
                    raise InputError(f"cannot read file: {exc.strerror or exc}", path) from None
                if known == {digest}:
                    report.unchanged.append(path)
                    if progress:
                        progress(path)
                    continue
            changed.append(path)
        owners: dict[str, Path] = {}
        # graphs recorded for another file of this load that is not being reloaded
        in_load = {p.resolve() for p in report.unchanged}
        for graph, (file, _) in meta.items():
            if Path(file).resolve() in in_load:
                owners[graph] = Path(file)
        replacements: list[ScannedFile] = []
        added: list[str] = []
        committed = False
        try:
            for item in scanned(changed, data_dir=self._graph_root):
                if item.blank_graphs:
                    raise InputError("a graph named by a blank node cannot be kept in a store "
                                     "(it would get a new name on every load); name it with an IRI", item.path)
                for graph in item.graphs:
                    if graph in owners:
                        raise GraphConflictError(
                            f"graph <{graph}> is also filled by {owners[graph]}; "
                            "each file must have a graph of its own", item.path)
                    owners[graph] = item.path
                if self._holds_any(item.graphs, meta):
                    replacements.append(item)
                else:
                    added.extend(item.graphs)
                    self._store_new(item)
                    report.loaded.append(item.path)
                    report.triples += item.triples
                    if progress:
                        progress(item.path)
            # Every file has passed: now the replacements.
            self._store_replacements(replacements)
            committed = True
        except BaseException:
            if not committed:
                self._drop_new(added)
            raise
        for item in replacements:
            report.loaded.append(item.path)
            report.triples += item.triples
            if progress:
                progress(item.path)
        return report

    def _store_replacements(self, replacements: list[ScannedFile]) -> None:
        """Replace the graphs of files the store already holds. Here: one file
        at a time, each graph at once (a server cannot do more); the on-disk
        store replaces them all in one transaction."""
        for item in replacements:
            for graph, quads in item.quads_by_graph().items():
                self._replace(graph, quads, item.path, item.sha256)

    def _holds_any(self, graphs: Sequence[str], meta: dict[str, tuple[str, str]]) -> bool:
        """Whether the store may already hold one of ``graphs`` (data or a
        record): such a file is stored only once every file has passed."""
        return True

    def _store_new(self, item: ScannedFile) -> None:
        """Store a file whose graphs the store does not hold yet."""
        self._store_replacements([item])

    def _drop_new(self, graphs: Sequence[str]) -> None:
        """Undo :meth:`_store_new` for ``graphs`` (and their records)."""
        for graph in graphs:
            self.update(f"DROP SILENT GRAPH {graph_term(graph)} ;\n"
                        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {graph_term(graph)} ?p ?o }} }}")

    # to implement
    def _replace(self, graph: str, quads: list, source: Path, digest: str) -> None:
        raise NotImplementedError

    def dataset(self) -> Dataset:
        """The data and ontology, ready to query."""
        raise NotImplementedError

    def validation_dataset(self) -> Dataset:
        """A local dataset holding every data graph (not the ontology), with
        the files they came from, for validation."""
        raise NotImplementedError


class MemoryBackend(Backend):
    """The default: everything is read from the files on each run."""

    name = "memory"

    def dataset(self) -> Dataset:
        from .summary import load_project

        return load_project(None, self.project)[0]

    def _meta(self) -> dict[str, tuple[str, str]]:
        return {}

    def _holds_any(self, graphs, meta) -> bool:
        return False

    def _store_new(self, item) -> None:
        pass  # nothing persists: loading only checks that the files parse

    def _drop_new(self, graphs) -> None:
        pass

    def validation_dataset(self) -> Dataset:
        from .loader import load

        return load([self.project.data_dir], data_dir=self.project.data_dir)


class _StoredGraphs(Backend):
    """Shared logic of the backends that keep graphs between runs."""

    def _meta(self) -> dict[str, tuple[str, str]]:
        query = (f"SELECT ?g ?file ?hash WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{_META}sourceFile> ?file ; "
                 f"<{_META}sha256> ?hash }} }}")
        return {row["g"].value: (row["file"].value, row["hash"].value) for row in self._select(query)}

    def _select(self, query: str):
        raise NotImplementedError

    def _graph_quads(self, graph: str) -> list[ox.Quad]:
        raise NotImplementedError

    def validation_dataset(self) -> Dataset:
        ontology = {graph_name_for(p, self.project.root) for p in self.project.ontology_files()}
        dataset = Dataset()
        for graph, (file, _) in sorted(self._meta().items()):
            if graph in ontology:
                continue
            quads = self._graph_quads(graph)
            path = Path(file)
            dataset.add(SourceFile(path, "stored", (graph,), len(quads), _prefixes(path)), quads)
        return dataset


def _prefixes(path: Path) -> dict[str, str]:
    """The prefixes of a source file that is still on disk (for line numbers)."""
    try:
        return dict(parse_file(path, allow_empty=True).prefixes)
    except (InputError, OSError):
        return {}


#: RocksDB lets a process hold one handle per store folder: share it.
_OPEN: dict[Path, ox.Store] = {}


class DiskBackend(_StoredGraphs):
    """A persistent pyoxigraph store in a folder."""

    name = "disk"

    def __init__(self, project: Project, path: str | Path) -> None:
        super().__init__(project)
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError("is a file, not a store folder", self.path)
        key = self.path.resolve()
        if key not in _OPEN:
            try:
                _OPEN[key] = ox.Store(str(self.path))
            except OSError as exc:
                raise StoreError(f"cannot open the store: {exc}", self.path) from None
        self.store = _OPEN[key]

    def close(self) -> None:
        """Release the store (other processes may then open it)."""
        _OPEN.pop(self.path.resolve(), None)
        self.store = None

    def _select(self, query: str):
        return self.store.query(query)

    def update(self, text: str) -> None:
        self.store.update(text)

    def _holds_any(self, graphs: Sequence[str], meta: dict[str, tuple[str, str]]) -> bool:
        return any(g in meta or self.store.contains_named_graph(graph_term(g)) for g in graphs)

    def _store_new(self, item: ScannedFile) -> None:
        # The engine's load is one transaction: the file's graphs are stored
        # whole or not at all. A crash before the record below leaves whole
        # graphs without a record, which the next load replaces.
        item.load_into(self.store)
        self.store.update(" ;\n".join(_meta_update(g, item.path, item.sha256) for g in item.graphs))

    def _store_replacements(self, replacements: list[ScannedFile]) -> None:
        # one update request is one transaction: every replaced graph is old or
        # every one is new, whatever stops the load
        parts = [
            f"DROP SILENT GRAPH {graph_term(graph)} ;\n"
            f"INSERT DATA {{ GRAPH {graph_term(graph)} {{\n{_serialize_block(quads)}\n}} }} ;\n"
            + _meta_update(graph, item.path, item.sha256)
            for item in replacements
            for graph, quads in item.quads_by_graph().items()
        ]
        if parts:
            self.store.update(" ;\n".join(parts))

    def _graph_quads(self, graph: str) -> list[ox.Quad]:
        return list(self.store.quads_for_pattern(None, None, None, graph_term(graph)))

    def dataset(self) -> Dataset:
        dataset = Dataset(self.store)
        for graph, (file, _) in sorted(self._meta().items()):
            # no prefixes: they only serve line numbers, which validation_dataset() provides
            dataset.add(SourceFile(Path(file), "stored", (graph,), 0), ())
        return dataset


class RemoteBackend(_StoredGraphs):
    """A SPARQL 1.1 server: queries over HTTP, loads through SPARQL Update."""

    name = "remote"

    def __init__(self, project: Project, query_url: str, update_url: str | None = None, timeout: float | None = None) -> None:
        super().__init__(project)
        self.query_url = query_url
        self.update_url = update_url or os.environ.get("KGRAPH_UPDATE_URL") or (
            query_url[: -len("/query")] + "/update" if query_url.endswith("/query") else query_url
        )
        self.timeout = float(timeout or os.environ.get("KGRAPH_SPARQL_TIMEOUT") or 30)
        self.chunk = 20_000

    def _headers(self) -> dict[str, str]:
        headers = {"User-Agent": "kgraph"}
        token = os.environ.get("KGRAPH_SPARQL_TOKEN")
        user, password = os.environ.get("KGRAPH_SPARQL_USER"), os.environ.get("KGRAPH_SPARQL_PASSWORD")
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
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read()
                expected = response.headers.get("Content-Length")
                if expected is not None and len(data) != int(expected):
                    raise StoreError(f"{url}: the response was cut short ({len(data)} of {expected} bytes)")
                return data
        except urllib.error.HTTPError as exc:
            message = exc.read().decode("utf-8", "replace").strip()[:500]
            raise StoreError(f"{url}: HTTP {exc.code} {exc.reason}: {message}") from None
        except (TimeoutError, socket.timeout):
            raise StoreError(f"{url}: no answer within {self.timeout:g} s (set KGRAPH_SPARQL_TIMEOUT)") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise StoreError(f"{url}: no answer within {self.timeout:g} s (set KGRAPH_SPARQL_TIMEOUT)") from None
            raise StoreError(f"{url}: cannot connect: {reason}") from None
        except http.client.IncompleteRead as exc:
            raise StoreError(f"{url}: the response was cut short ({len(exc.partial)} bytes, {exc.expected} missing)") from None
        except (ConnectionError, OSError, http.client.HTTPException) as exc:
            raise StoreError(f"{url}: the connection failed: {exc}") from None

    def query(self, text: str, **kwargs):
        """Run a query on the server; results as pyoxigraph objects."""
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
            raise StoreError(f"{self.query_url}: malformed results: {exc}") from None

    def update(self, text: str) -> None:
        self._post(self.update_url, text.encode("utf-8"), "application/sparql-update")

    def _select(self, query: str):
        return self.query(query)

    def _replace(self, graph: str, quads: list, source: Path, digest: str) -> None:
        target = graph_term(graph)
        staging = ox.NamedNode(f"{GRAPH}kgraph-staging/{uuid.uuid4()}")
        try:
            for start in range(0, max(len(quads), 1), self.chunk):
                block = [ox.Quad(q.subject, q.predicate, q.object, staging) for q in quads[start:start + self.chunk]]
                self.update(f"INSERT DATA {{ GRAPH {staging} {{\n{_serialize_block(block)}\n}} }}")
            # one request: the target becomes the new graph at once, or stays as it was
            self.update(f"MOVE SILENT GRAPH {staging} TO GRAPH {target} ;\n" + _meta_update(graph, source, digest))
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

    def dataset(self) -> "RemoteDataset":
        return RemoteDataset(self)


class RemoteDataset(Dataset):
    """A dataset whose queries run on the server. Quads are fetched on demand."""

    def __init__(self, backend: RemoteBackend) -> None:
        super().__init__()
        self.backend = backend
        for graph, (file, _) in sorted(backend._meta().items()):
            self.add(SourceFile(Path(file), "remote", (graph,), 0), ())

    def query(self, sparql: str, **kwargs):
        kwargs.pop("use_default_graph_as_union", None)
        return self.backend.query(sparql, **kwargs)

    def quads(self, graphs=None):
        for graph in (graphs if graphs is not None else self.graphs):
            yield from self.backend._graph_quads(graph)

    def __len__(self) -> int:
        rows = list(self.backend.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0]["n"].value)


def open_store(spec: str | None, project: Project, timeout: float | None = None) -> Backend:
    """The backend named by ``spec`` (``None``/``memory``, a folder, or a URL)."""
    spec = spec or os.environ.get("KGRAPH_STORE") or "memory"
    if spec == "memory":
        return MemoryBackend(project)
    if spec.startswith(("http://", "https://")):
        return RemoteBackend(project, spec, timeout=timeout)
    return DiskBackend(project, spec)
