"""Stores: memory, on-disk and a real Oxigraph server on loopback give the same
answers; loads are atomic and skip unchanged files; faults leave data intact."""

from __future__ import annotations

import collections
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kgraph.networks.export import to_gexf
from kgraph.networks.projections import PROJECTIONS, network
from kgraph.project import find_project
from kgraph.sparql.saved import read_queries
from kgraph.sparql.run import run_query
from kgraph.errors import InputError
from kgraph.errors import StoreError
from kgraph.stores.disk import DiskBackend
from kgraph.stores.memory import MemoryBackend
from kgraph.stores.remote import RemoteBackend

from conftest import ROOT
from servers import OXIGRAPH, FaultyProxy, OxigraphServer, free_port  # noqa: F401

ARTICLE = "https://w3id.org/kgraph/graph/articles/baku-stepanakert-contacts-opinion"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def backends(project, server, tmp_path_factory):
    disk = DiskBackend(project, tmp_path_factory.mktemp("disk") / "store")
    remote = RemoteBackend(project, f"{server.url}/query")
    for backend in (disk, remote):
        report = backend.load()
        assert len(report.loaded) == 7
    return {"memory": MemoryBackend(project), "disk": disk, "remote": remote}


@pytest.fixture(scope="module")
def datasets(backends):
    return {name: backend.graph() for name, backend in backends.items()}


def _params(name):
    return {"actor-profile": {"actor": "Baku"}, "stances": {"actor": "NK"}}.get(name, {})


@pytest.mark.parametrize("backend", ["disk", "remote"])
@pytest.mark.parametrize("query", [q.name for q in read_queries(ROOT / "queries")])
def test_saved_queries_answer_the_same_on_every_backend(datasets, backend, query):
    from kgraph.sparql.saved import find_query

    saved = find_query(query, find_project(ROOT))
    expected = run_query(datasets["memory"], saved, _params(query))
    found = run_query(datasets[backend], saved, _params(query))
    assert found.variables == expected.variables
    assert len(found.rows) > 0
    assert collections.Counter(found.rows) == collections.Counter(expected.rows)


@pytest.mark.parametrize("backend", ["disk", "remote"])
@pytest.mark.parametrize("name", list(PROJECTIONS))
def test_networks_and_exports_are_the_same_on_every_backend(datasets, project, backend, name):
    expected = network(name, datasets["memory"], project=project, level="polity")
    found = network(name, datasets[backend], project=project, level="polity")
    assert dict(found.nodes(data=True)) == dict(expected.nodes(data=True))
    def ties(G):
        return {((u, v) if G.is_directed() else frozenset((u, v))): d for u, v, d in G.edges(data=True)}

    assert ties(found) == ties(expected)
    import io

    a, b = nx.read_gexf(io.BytesIO(to_gexf(found))), nx.read_gexf(io.BytesIO(to_gexf(expected)))
    assert set(ties(a)) == set(ties(b)) and dict(a.nodes(data=True)) == dict(b.nodes(data=True))


@pytest.mark.parametrize("backend", ["disk", "remote"])
def test_validation_is_the_same_on_every_backend(backends, project, backend):
    from kgraph.validation.run import check

    report = check(backends[backend].validation_graph())
    expected = check(backends["memory"].validation_graph())
    assert report.conforms and report.violations == []
    assert report.triples == expected.triples and report.triples > 900
    assert {p.name for p in report.files} == {"baku-stepanakert-contacts-opinion.trig", "actors.ttl", "issues.ttl", "places.ttl", "posts.ttl"}


@pytest.mark.parametrize("backend", ["disk", "remote"])
def test_loading_unchanged_files_is_a_no_op(backends, backend):
    report = backends[backend].load()
    assert report.loaded == [] and len(report.unchanged) == 7


def test_cli_on_each_store(run, server, tmp_path):
    disk = tmp_path / "store"
    for store in (str(disk), f"{server.url}/query"):
        loaded = run("--store", store, "load")
        assert loaded.exit_code == 0, loaded.output
        out = run("--store", store, "query", "who-mediates-whom", "--format", "csv")
        assert out.exit_code == 0 and out.stdout.count("\n") == 3
        assert run("--store", store, "validate").exit_code == 0
        assert "liaison" in run("--store", store, "analyze", "mediation", "--format", "csv").stdout


# -- faults -----------------------------------------------------------------------------


def _graph_size(url: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    data = urllib.request.urlopen(
        urllib.request.Request(f"{url}/query", data=urllib.parse.urlencode({"query": query}).encode(),
                               headers={"Accept": "application/sparql-results+json"}), timeout=10).read()
    return int(next(iter(ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)))["n"].value)


@pytest.fixture
def loaded_server(project, tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph")
    RemoteBackend(project, f"{server.url}/query").load()
    yield server
    server.stop()


def _changed_project(tmp_path) -> tuple:
    """A copy of the project whose article has one more statement."""
    root = tmp_path / "changed"
    for folder in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    article = root / "data" / "articles" / "baku-stepanakert-contacts-opinion.trig"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('    oa:exact "encouraging"', '    oa:exact "encouraging"'), encoding="utf-8")
    extra = "".join(
        f'<https://w3id.org/kgraph/excerpt/padding/{i}> <http://www.w3.org/2000/01/rdf-schema#comment> "padding {i}" .\n'
        for i in range(500)
    )
    article.write_text(text.rstrip().removesuffix("}") + extra + "}\n", encoding="utf-8")
    return find_project(root), article


@pytest.mark.parametrize("mode, nth", [("500", 3), ("500", 7), ("cut", 1)])
def test_a_failing_server_leaves_the_target_graph_as_it_was(loaded_server, tmp_path, mode, nth):
    before = _graph_size(loaded_server.url, ARTICLE)
    project, _ = _changed_project(tmp_path)
    proxy = FaultyProxy(loaded_server.url, mode, nth)
    try:
        backend = RemoteBackend(project, f"{proxy.url}/query")
        backend.chunk = 100  # several requests per file
        with pytest.raises(StoreError) as caught:
            backend.load()
        assert ("HTTP 500" in str(caught.value) and "store exploded" in str(caught.value)) or "cut short" in str(caught.value) or "failed" in str(caught.value)
    finally:
        proxy.close()
    assert _graph_size(loaded_server.url, ARTICLE) == before
    # and the load succeeds once the server behaves
    RemoteBackend(project, f"{loaded_server.url}/query").load()
    assert _graph_size(loaded_server.url, ARTICLE) == before + 500


def test_a_slow_server_times_out(loaded_server, project):
    proxy = FaultyProxy(loaded_server.url, "stall", 1, delay=3)
    try:
        backend = RemoteBackend(project, f"{proxy.url}/query", timeout=0.5)
        started = time.monotonic()
        with pytest.raises(StoreError, match="no answer within 0.5 s"):
            backend.graph()
        assert time.monotonic() - started < 3
    finally:
        proxy.close()


def test_a_stopped_server_gives_a_clear_error(project, tmp_path, run):
    server = OxigraphServer(tmp_path / "gone")
    url = f"{server.url}/query"
    server.stop()
    with pytest.raises(StoreError, match="cannot connect"):
        RemoteBackend(project, url).graph()
    out = run("--store", url, "query", "posts")
    assert out.exit_code == 2 and "cannot connect" in out.stderr


def test_http_errors_carry_the_servers_message(loaded_server, project):
    backend = RemoteBackend(project, f"{loaded_server.url}/query")
    with pytest.raises(StoreError, match=r"HTTP 400 .*"):
        backend.query("SELECT WHERE {")


def test_a_store_path_that_is_a_file_is_refused(run, tmp_path):
    path = tmp_path / "not-a-store"
    path.write_text("x")
    out = run("--store", path, "load")
    assert out.exit_code == 2 and "not a store folder" in out.stderr


KILL_SCRIPT = """
import sys
from kgraph.project import find_project
from kgraph.stores.disk import DiskBackend


class Marked:
    # the store, saying when the replacement transaction starts and ends
    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def update(self, text):
        replacing = "DROP SILENT GRAPH" in text
        if replacing:
            print("writing", flush=True)
        self.store.update(text)
        if replacing:
            print("written", flush=True)


backend = DiskBackend(find_project(sys.argv[1]), sys.argv[2])
backend.store = Marked(backend.store)
print("ready", flush=True)
backend.load([sys.argv[3]])
"""


def test_kill_9_during_a_load_leaves_the_old_or_the_new_graph(project, tmp_path):
    """kill -9 while the engine is inside the replacement transaction: the
    graph afterwards is all old or all new."""
    store = tmp_path / "store"
    data = tmp_path / "data"
    data.mkdir()
    big = data / "big.ttl"
    old = "".join(f"<http://example.org/s{i}> <http://example.org/p> {i} .\n" for i in range(20_000))
    new = "".join(f"<http://example.org/s{i}> <http://example.org/q> {i} .\n" for i in range(120_000))
    big.write_text(old)
    first = DiskBackend(project, store)
    first.load([big])
    first.close()
    del first
    import gc

    gc.collect()
    graph = big.resolve().as_uri()
    big.write_text(new)
    mid_transaction = 0
    for attempt in range(6):
        process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(ROOT), str(store), str(big)],
                                   stdout=subprocess.PIPE, env=os.environ | {"PYTHONUNBUFFERED": "1"})
        assert process.stdout.readline() == b"ready\n"
        marker = process.stdout.readline()
        if marker == b"writing\n":
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        finished = b"written" in process.stdout.read()
        reopened = ox.Store(str(store))
        quads = list(reopened.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        predicates = frozenset(q.predicate.value for q in quads)
        assert (len(quads), predicates) in {(20_000, frozenset({"http://example.org/p"})),
                                            (120_000, frozenset({"http://example.org/q"}))}
        del reopened
        gc.collect()
        if marker == b"writing\n" and not finished:
            mid_transaction += 1
        if len(quads) == 120_000:
            break  # the new graph is in: nothing left to replace
    assert mid_transaction >= 1, "no kill landed inside the transaction"


def test_kgraph_serve_answers_queries_read_only(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph.cli", "--project", str(ROOT), "--store", str(tmp_path / "served"),
         "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, process.stderr.read() if process.poll() is not None else "server did not start"
                time.sleep(0.2)
        # as many triples as the article's file holds in its graph
        expected = sum(1 for q in ox.parse(path=str(ROOT / "data" / "articles" / "baku-stepanakert-contacts-opinion.trig"),
                                           format=ox.RdfFormat.TRIG) if q.graph_name == ox.NamedNode(ARTICLE))
        assert expected > 700 and _graph_size(url, ARTICLE) == expected
        request = urllib.request.Request(f"{url}/update", data=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
        assert _graph_size(url, ARTICLE) == expected
    finally:
        process.send_signal(signal.SIGINT)
        try:
            out, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate()
    assert f"SPARQL endpoint: http://127.0.0.1:{port}/query (read-only)" in out


def _snapshot(store: ox.Store) -> set:
    """Every quad of a store, blank nodes included (their ids are stable within one store)."""
    return set(store.quads_for_pattern(None, None, None, None))


def _folder_of_files(folder: Path, count: int, predicate: str = "p") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(count):
        path = folder / f"part-{n:03d}.ttl"
        path.write_text("".join(f"<http://example.org/s{n}-{i}> <http://example.org/{predicate}> {i} .\n" for i in range(200)))
        files.append(path)
    return files


def test_a_broken_file_leaves_a_disk_store_exactly_as_it_was(project, tmp_path):
    backend = DiskBackend(project, tmp_path / "store")
    files = _folder_of_files(tmp_path / "data", 4)
    backend.load([tmp_path / "data"])
    before = _snapshot(backend.store)
    # one changed file (a replacement), new files before and after the broken one
    files[1].write_text("<http://example.org/changed> <http://example.org/p> 1 .\n")
    _folder_of_files(tmp_path / "data" / "more", 6)
    (tmp_path / "data" / "more" / "part-003.ttl").write_text("<http://example.org/s> <http://example.org/p> .\n")
    with pytest.raises(InputError, match=r"part-003\.ttl:1:"):
        backend.load([tmp_path / "data"])
    assert _snapshot(backend.store) == before
    backend.close()


def test_an_interrupted_load_is_rolled_back(project, tmp_path, monkeypatch):
    backend = DiskBackend(project, tmp_path / "store")
    _folder_of_files(tmp_path / "data", 3)
    backend.load([tmp_path / "data"])
    before = _snapshot(backend.store)
    _folder_of_files(tmp_path / "data" / "more", 8)
    stored = DiskBackend._store_new
    calls = []

    def interrupted(self, item):
        calls.append(item.path)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return stored(self, item)

    monkeypatch.setattr(DiskBackend, "_store_new", interrupted)
    with pytest.raises(KeyboardInterrupt):
        backend.load([tmp_path / "data"])
    assert _snapshot(backend.store) == before
    monkeypatch.setattr(DiskBackend, "_store_new", stored)
    report = backend.load([tmp_path / "data"])  # and the next load completes
    assert len(report.loaded) == 8 and len(report.unchanged) == 3 + 2  # and the two ontology files
    backend.close()


def _store_is_busy(store: Path, since: dict[str, int]) -> bool:
    """Whether the engine has written to the store's files since ``since``."""
    return any(p.stat().st_size != since.get(p.name) for p in store.glob("*.log"))


def test_ctrl_c_during_a_cli_load_exits_130_and_changes_nothing(project, tmp_path):
    """A real SIGINT sent to `kgraph load` once it is storing (its write-ahead
    log grows): exit 130, "Interrupted", and the store exactly as before."""
    store = tmp_path / "store"
    data = tmp_path / "data"
    _folder_of_files(data, 2)
    command = [sys.executable, "-m", "kgraph.cli", "--project", str(ROOT), "--store", str(store), "load", str(data)]
    subprocess.run(command, check=True, capture_output=True)
    _folder_of_files(data / "more", 400, predicate="q")
    interrupted = 0
    for attempt in range(5):
        reopened = ox.Store(str(store))
        before = _snapshot(reopened)
        del reopened
        import gc

        gc.collect()
        sizes = {p.name: p.stat().st_size for p in store.glob("*.log")}
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not _store_is_busy(store, sizes) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        if process.returncode == 0:
            continue  # the load finished first; the store holds it all: try again from there
        assert process.returncode == 130, (process.returncode, err)
        assert b"Interrupted" in err
        reopened = ox.Store(str(store))
        assert _snapshot(reopened) == before
        del reopened
        gc.collect()
        interrupted += 1
        if interrupted == 2:
            break
        for path in (data / "more").glob("*.ttl"):  # change them again, for another try
            path.write_text(path.read_text().replace("/q>", f"/q{attempt}>"))
    assert interrupted >= 1, "no signal landed while the load was storing"


class _SlowUpdates:
    """The store, whose update (the replacement transaction) gets a real
    SIGINT from another thread while the engine is inside it."""

    def __init__(self, store, delay: float) -> None:
        self._store, self._delay, self.signalled = store, delay, False

    def __getattr__(self, name):
        return getattr(self._store, name)

    def update(self, text: str) -> None:
        if "DROP SILENT GRAPH" in text and "INSERT DATA" in text and not self.signalled:
            self.signalled = True
            threading.Timer(self._delay, os.kill, (os.getpid(), signal.SIGINT)).start()
        self._store.update(text)


def test_replacements_are_one_transaction_and_roll_back_with_new_graphs(project, tmp_path):
    """A Ctrl-C that arrives while the engine commits the replacements (the
    signal is real, sent while the native update runs) leaves the load whole:
    the replacements and the new graphs, never the replacements without the
    new graphs. A failure before the commit leaves the store as it was."""
    backend = DiskBackend(project, tmp_path / "store")
    files = _folder_of_files(tmp_path / "data", 3)
    backend.load([tmp_path / "data"])
    before = _snapshot(backend.store)
    for path in files[:2]:  # two large replacements, so the transaction takes a while
        path.write_text("".join(f"<http://example.org/r{path.stem}-{i}> <http://example.org/changed> {i} .\n"
                                for i in range(60_000)))
    _folder_of_files(tmp_path / "data" / "more", 2)
    real = backend.store
    backend.store = _SlowUpdates(real, delay=0.05)
    with pytest.raises(KeyboardInterrupt):
        backend.load([tmp_path / "data"])
    assert backend.store.signalled
    backend.store = real
    after = _snapshot(real)
    changed = {q.graph_name.value for q in real.quads_for_pattern(None, ox.NamedNode("http://example.org/changed"), None, None)}
    new = {q.graph_name.value for q in after if "/more/" in q.graph_name.value}
    assert changed == {f.resolve().as_uri() for f in files[:2]}, "the replacements were committed"
    assert len(new) == 2, "so the new graphs of the same load are kept with them"
    assert backend.load([tmp_path / "data"]).loaded == [], "nothing is left to do"

    # a failure before the commit: a broken file among changed and new ones
    files[2].write_text("<http://example.org/x> <http://example.org/changed> 1 .\n")
    _folder_of_files(tmp_path / "data" / "later", 2)
    (tmp_path / "data" / "later" / "part-001.ttl").write_text("<http://example.org/broken> .\n")
    before = _snapshot(real)
    with pytest.raises(InputError):
        backend.load([tmp_path / "data"])
    assert _snapshot(real) == before
    backend.close()


def test_two_files_filling_one_graph_are_refused_by_a_store_too(project, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.ttl").write_text('<http://example.org/s> <http://example.org/p> "from ttl" .\n')
    (data / "a.nt").write_text('<http://example.org/s> <http://example.org/p> "from nt" .\n')
    from kgraph.project import Project

    # a project whose data/ holds both: a.ttl and a.nt both fill graph:a
    own = Project(root=tmp_path, ontology_dir=ROOT / "ontology", queries_dir=ROOT / "queries", data_dir=data)
    backend = DiskBackend(own, tmp_path / "store")
    with pytest.raises(InputError, match="each file must have a graph of its own"):
        backend.load([data])
    backend.close()


def test_a_blank_node_graph_is_refused_by_a_store(project, tmp_path):
    path = tmp_path / "blank.trig"
    path.write_text("_:g { <http://example.org/a> <http://example.org/p> <http://example.org/b> }\n")
    backend = DiskBackend(project, tmp_path / "store")
    with pytest.raises(InputError, match="blank node"):
        backend.load([path])
    backend.close()


class _DeadlockingVirtuoso(http.server.BaseHTTPRequestHandler):
    """Answers as Virtuoso does; the first ``deadlocks`` updates are rolled back
    as deadlock victims (HTTP 500, SQLSTATE 40001), or fail otherwise when
    ``other_error`` is set. ``updates`` counts the updates received."""

    deadlocks = 1
    other_error = False
    updates = 0

    def version_string(self) -> str:
        return "Virtuoso/07.20.3240 (Linux) x86_64-pc-linux-gnu"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if body.startswith(b"update="):
            type(self).updates += 1
            if type(self).updates <= type(self).deadlocks:
                text = (b"Virtuoso 42000 Error SQ200: no such table" if self.other_error else
                        b"Virtuoso 40001 Error SR172: Transaction deadlocked")
                self.send_response(500)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)
                return
        answer = b'{"head": {}, "boolean": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.mark.parametrize("other_error", [False, True])
def test_an_update_rolled_back_by_a_deadlock_is_sent_again(project, other_error):
    """Virtuoso undoes an update it picks as a deadlock victim: kgraph sends it
    again; any other error is not retried."""
    handler = type("Handler", (_DeadlockingVirtuoso,), {"deadlocks": 2, "other_error": other_error, "updates": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        backend = RemoteBackend(project, f"http://127.0.0.1:{server.server_address[1]}/sparql")
        if other_error:
            with pytest.raises(StoreError, match="no such table"):
                backend.update("INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }")
            assert handler.updates == 1
        else:
            backend.update("INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }")
            assert backend.dialect.name == "virtuoso" and handler.updates == 3
    finally:
        server.shutdown()
        server.server_close()
