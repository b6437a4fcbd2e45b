"""Remote stores on two real engines, Oxigraph and Virtuoso: every request of
a load failing in every way, two loads at once, and the same answers as the
embedded store."""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from kgraph.errors import KGraphError, StoreError
from kgraph.namespaces import SKOLEM, STAGING_GRAPHS
from kgraph.networks.projections import PROJECTIONS, network
from kgraph.project import find_project
from kgraph.sparql.run import run_query
from kgraph.sparql.saved import read_queries
from kgraph.stores.memory import MemoryBackend
from kgraph.stores.remote import RemoteBackend

from conftest import ROOT
from servers import ENGINES, FaultyProxy, start

ARTICLE = "https://w3id.org/kgraph/graph/articles/baku-stepanakert-contacts-opinion"


def _select(url: str, query: str) -> list[dict]:
    """Rows of a SELECT sent straight to the server (not through kgraph)."""
    from kgraph.stores.dialects import Virtuoso

    request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    data = Virtuoso("").results(urllib.request.urlopen(request, timeout=30).read())  # standard JSON is left as it is
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in parsed.variables]
    return [dict(zip(names, row)) for row in parsed]


def _triples(url: str, graph: str) -> set:
    rows = _select(url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(str(r["s"]), str(r["p"]), _literal_key(r["o"])) for r in rows}


def _literal_key(term) -> str:
    """A term as engines agree on it (Virtuoso lower-cases language tags)."""
    if isinstance(term, ox.Literal) and term.language:
        return f'"{term.value}"@{term.language.lower()}'
    return str(term)


def _staging(url: str) -> list[str]:
    rows = _select(url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return [r["g"].value for r in rows if r["g"].value.startswith(STAGING_GRAPHS)]


def _projects(tmp_path, padding: int):
    """The shipped project (old), and a copy whose article has ``padding`` more triples (new)."""
    old = tmp_path / "old"
    new = tmp_path / "new"
    for root in (old, new):
        for part in ("ontology", "queries", "data"):
            shutil.copytree(ROOT / part, root / part)
    article = new / "data" / "articles" / "baku-stepanakert-contacts-opinion.trig"
    extra = "".join(f'<https://w3id.org/kgraph/excerpt/padding/{i}> <http://www.w3.org/2000/01/rdf-schema#comment> '
                    f'"padding {i}" .\n' for i in range(padding))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.rstrip().removesuffix("}") + extra + "}\n", encoding="utf-8")
    return find_project(old), find_project(new)


@pytest.fixture(params=ENGINES)
def server(request, tmp_path):
    running = start(request.param, tmp_path / request.param)
    yield running
    running.stop()


# every way of writing a graph: the Graph Store Protocol, and (the protocol
# turned off) staging in chunks for a graph too large for one update
@pytest.mark.parametrize("path", ["gsp", "staging"])
def test_every_request_of_a_load_can_fail_in_every_way(server, tmp_path, monkeypatch, path):
    """A fault at each request of a load (HTTP 500, the connection closed, a
    response cut short, the server answering after the client gave up):
    afterwards the article's graph is exactly the old or exactly the new one,
    no staging graph is left, and a clean load succeeds."""
    monkeypatch.setenv("KGRAPH_LOCK_EXPIRY", "4")  # a lock taken by a request that landed late expires soon
    if path == "staging":
        monkeypatch.setenv("KGRAPH_GSP_URL", "none")
    old, new = _projects(tmp_path, padding=300)
    RemoteBackend(old, server.query_url).load()
    before = _triples(server.url + _endpoint(server), ARTICLE)
    counting = FaultyProxy(server.url)
    backend = RemoteBackend(new, counting.url + _endpoint(server))
    backend.chunk = 200  # the article needs several chunks on the staging path
    backend.load()
    requests = counting.count
    counting.close()
    assert backend.dialect.name == server.engine  # the proxy passes the engine's Server header on
    assert ("PUT" in counting.methods) == (path == "gsp")
    after = _triples(server.url + _endpoint(server), ARTICLE)
    assert after != before and len(after) == len(before) + 300
    assert requests >= 8
    seen = {"old": 0, "new": 0}
    lingering = 0
    for nth in range(1, requests + 1):
        for mode in _modes(nth, path):
            RemoteBackend(old, server.query_url, lock_wait=15).load()
            assert _triples(server.url + _endpoint(server), ARTICLE) == before
            proxy = FaultyProxy(server.url, mode, nth, delay=1.5)
            faulty = RemoteBackend(new, proxy.url + _endpoint(server), timeout=0.5)
            faulty.chunk = 200
            succeeded = False
            try:
                faulty.load()
                succeeded = True
            except KGraphError:
                pass
            finally:
                proxy.close()  # waits for a stalled request to reach the server
            content = _triples(server.url + _endpoint(server), ARTICLE)
            assert content in (before, after), (mode, nth, len(content))
            if succeeded:  # a load that reports success (after reading back what a timeout hid) did it all
                assert content == after, (mode, nth)
                assert RemoteBackend(new, server.query_url).stale().changed == [], (mode, nth)
            seen["old" if content == before else "new"] += 1
            left = _staging(server.url + _endpoint(server))
            if left:  # only a write that reached the server after kgraph gave up can leave one...
                assert mode == "stall", (mode, nth, left)
                assert RemoteBackend(new, server.query_url).check().staging == left  # ...and store check names it
                lingering += 1
            report = RemoteBackend(new, server.query_url, lock_wait=15).load()  # a clean load succeeds
            assert _triples(server.url + _endpoint(server), ARTICLE) == after, (mode, nth, report)
            assert _staging(server.url + _endpoint(server)) == [], (mode, nth)  # and sweeps it
    assert seen["old"] and seen["new"]
    assert lingering == 0 or path == "staging"  # the Graph Store Protocol path stages nothing


MODES = ("500", "close", "cut", "stall")


def _modes(nth: int, path: str) -> tuple[str, ...]:
    """The faults tried at the nth request: all four (what CI runs), or with
    KGRAPH_FAULTS=sample, for a quick run by hand, one, turning with the
    request so that each mode lands at every fourth one."""
    if os.environ.get("KGRAPH_FAULTS") == "sample":
        return (MODES[(nth + (path == "staging") * 2) % len(MODES)],)
    return MODES


def _endpoint(server) -> str:
    return "/sparql" if server.engine == "virtuoso" else "/query"


def test_two_concurrent_loads_never_merge(server, tmp_path):
    """Two kgraph loads of different versions at once, as processes: one takes
    the lock, the other waits for it, and the graph ends up as one version,
    never both."""
    old, new = _projects(tmp_path, padding=20_000)
    RemoteBackend(old, server.query_url).load()
    before = _triples(server.url + _endpoint(server), ARTICLE)
    command = [sys.executable, "-m", "kgraph.cli", "--store", server.query_url, "load", "--lock-wait", "120"]
    env = os.environ | {"KGRAPH_STORE": ""}
    first = subprocess.Popen([*command[:3], "--project", str(new.root), *command[3:]], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([*command[:3], "--project", str(old.root), *command[3:]], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outs = [p.communicate(timeout=300) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outs
    content = _triples(server.url + _endpoint(server), ARTICLE)
    assert len(content) in (len(before), len(before) + 20_000), len(content)
    records = _select(server.url + _endpoint(server),
                      f"SELECT ?file WHERE {{ GRAPH <https://w3id.org/kgraph/graph/kgraph-meta> {{ <{ARTICLE}> "
                      "<https://w3id.org/kgraph/meta#sourceFile> ?file } }")
    assert len(records) == 1


def test_the_lock_admits_one_writer_at_a_time(server, tmp_path):
    """Four writers, three turns each, all at once: no two ever hold the lock
    together (Virtuoso does not isolate concurrent updates, so this rests on
    the claims read back, not on the server)."""
    from kgraph.stores.lock import ServerLock

    old, _ = _projects(tmp_path, padding=0)
    spans, errors = [], []

    def writer():
        backend = RemoteBackend(old, server.query_url)
        for _ in range(3):
            lock = ServerLock(backend, wait=120)
            try:
                lock.acquire()
                start = time.monotonic()
                time.sleep(0.2)
                lock.refresh()
                spans.append((start, time.monotonic()))
                lock.release()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(spans) == 12
    spans.sort()
    assert all(later[0] >= earlier[1] for earlier, later in zip(spans, spans[1:])), spans
    assert ServerLock(RemoteBackend(old, server.query_url)).claims() == []


def test_a_load_that_lost_its_lock_stops(server, tmp_path):
    from kgraph.stores.lock import ServerLock

    old, _ = _projects(tmp_path, padding=0)
    backend = RemoteBackend(old, server.query_url)
    first = ServerLock(backend, expiry=1)
    first.acquire()
    time.sleep(2.1)  # it expires; another writer takes the lock
    second = ServerLock(backend)
    second.acquire()
    with pytest.raises(StoreError, match="lost the store's load lock .* holds it now"):
        first.refresh()
    second.release()
    broken = ServerLock(backend)
    broken.acquire()
    assert [h[0] for h in ServerLock(backend).break_lock()] == [broken.owner]
    with pytest.raises(StoreError, match="it was broken"):
        broken.refresh()


def test_a_long_load_refreshes_its_lock_at_intervals_not_every_file(server, tmp_path):
    from kgraph.stores.lock import ServerLock

    old, _ = _projects(tmp_path, padding=0)
    lock = ServerLock(RemoteBackend(old, server.query_url), expiry=2)
    assert lock.interval == pytest.approx(0.2) and not lock.due()
    lock.acquire()
    assert not lock.due()
    time.sleep(0.25)
    assert lock.due()
    lock.refresh()
    assert not lock.due()
    lock.release()
    assert not lock.due()


def test_a_second_load_that_will_not_wait_fails_clearly(server, tmp_path):
    old, _ = _projects(tmp_path, padding=0)
    holder = RemoteBackend(old, server.query_url)
    from kgraph.stores.lock import ServerLock

    lock = ServerLock(holder)
    lock.acquire()
    try:
        with pytest.raises(StoreError, match="the store is being loaded by"):
            RemoteBackend(old, server.query_url).load()
        out = subprocess.run([sys.executable, "-m", "kgraph.cli", "--project", str(old.root), "--store",
                              server.query_url, "load"], capture_output=True, text=True, env=os.environ | {"KGRAPH_STORE": ""})
        assert out.returncode == 2 and "is being loaded by" in out.stderr and "--lock-wait" in out.stderr
    finally:
        lock.release()
    assert RemoteBackend(old, server.query_url).load().loaded


def test_a_failed_first_load_drops_what_it_stored(server, tmp_path):
    old, _ = _projects(tmp_path, padding=0)
    broken = old.data_dir / "registry" / "zz-broken.ttl"
    broken.write_text("<http://example.org/s> <http://example.org/p> .\n")
    with pytest.raises(KGraphError):
        RemoteBackend(old, server.query_url).load()
    graphs = {r["g"].value for r in _select(server.url + _endpoint(server),
                                            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert not any(g.startswith("https://w3id.org/kgraph/graph/") and "kgraph-" not in g for g in graphs), graphs


VIRTUOSO_DIFFERS = {"reactions", "timeline", "topics-discussed"}


def test_saved_queries_networks_and_validation_match_the_embedded_store(server, tmp_path):
    project = find_project(ROOT)
    remote = RemoteBackend(project, server.query_url)
    remote.load()
    here, there = MemoryBackend(project).graph(), remote.graph()
    params = {"actor-profile": {"actor": "Baku"}, "stances": {"actor": "NK"}}
    differ = set()
    for saved in read_queries(project.queries_dir):
        ours = run_query(here, saved, params.get(saved.name))
        theirs = run_query(there, saved, params.get(saved.name))
        if _rows(ours) != _rows(theirs):
            differ.add(saved.name)
    # Known Virtuoso 7.2 departures not yet worked round (docs/stores.md lists
    # them); checked both ways, so that a new difference or a fix shows here.
    assert differ == (VIRTUOSO_DIFFERS if server.engine == "virtuoso" else set())
    for name in PROJECTIONS:
        a, b = network(name, here), network(name, there)
        def ties(G):
            return {(u, v) if G.is_directed() else frozenset((u, v)) for u, v in G.edges}

        assert sorted(a.nodes) == sorted(b.nodes) and ties(a) == ties(b), name
        assert all(a.nodes[n]["label"] == b.nodes[n]["label"] for n in a), name
    from kgraph.validation.run import validate

    report = validate(project=project, store=remote)
    assert report.conforms and len(report.files) == 5 and report.triples == validate(project=project).triples
    # what validation read back is exactly what was stored: every term, datatype and language tag, and a
    # blank node (a label's node, stored as a skolem IRI) as a blank node again
    back, here_quads = list(remote.validation_graph().quads()), list(MemoryBackend(project).validation_graph().quads())
    assert any(isinstance(q.object, ox.BlankNode) for q in here_quads)
    assert not any(q.subject.value.startswith(SKOLEM) or q.object.value.startswith(SKOLEM) for q in back)
    assert _canonical(back) == _canonical(here_quads)


def _canonical(quads) -> set:
    """``quads`` with each blank node named by what it says (enough for the data's label nodes)."""
    said = collections.defaultdict(list)
    for q in quads:
        if isinstance(q.subject, ox.BlankNode):
            said[q.subject.value].append((str(q.predicate), str(q.object), str(q.graph_name)))
    name = {node: "_:" + repr(sorted(pairs)) for node, pairs in said.items()}

    def term(t):
        return name.get(t.value, str(t)) if isinstance(t, ox.BlankNode) else str(t)

    return {(term(q.subject), str(q.predicate), term(q.object), str(q.graph_name)) for q in quads}


def _rows(result) -> list:
    def key(term):
        if term is None:
            return None
        if isinstance(term, ox.Literal):
            return (term.value, term.language.lower() if term.language else None, term.datatype.value)
        return str(term)

    return sorted(tuple(key(t) for t in row) for row in result.rows)


def test_store_check_and_repair_find_and_clear_leftovers(server, tmp_path):
    old, _ = _projects(tmp_path, padding=0)
    backend = RemoteBackend(old, server.query_url)
    backend.load()
    leftover = f"{STAGING_GRAPHS}left-by-a-crash"
    backend.update(f"INSERT DATA {{ GRAPH <{leftover}> {{ <http://example.org/s> <http://example.org/p> 1 }} }}")
    run = [sys.executable, "-m", "kgraph.cli", "--project", str(old.root), "--store", server.query_url, "store"]
    checked = subprocess.run([*run, "check"], capture_output=True, text=True, env=os.environ | {"KGRAPH_STORE": ""})
    assert checked.returncode == 1 and f"staging graph left by an interrupted load: <{leftover}>" in checked.stdout
    repaired = subprocess.run([*run, "repair"], capture_output=True, text=True, env=os.environ | {"KGRAPH_STORE": ""})
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert _staging(server.url + _endpoint(server)) == []
    assert subprocess.run([*run, "check"], capture_output=True, env=os.environ | {"KGRAPH_STORE": ""}).returncode == 0


def test_the_next_load_sweeps_staging_leftovers(server, tmp_path):
    old, _ = _projects(tmp_path, padding=0)
    backend = RemoteBackend(old, server.query_url)
    backend.load()
    backend.update(f"INSERT DATA {{ GRAPH <{STAGING_GRAPHS}old-one> {{ <http://example.org/s> <http://example.org/p> 1 }} }}")
    RemoteBackend(old, server.query_url).load()
    assert _staging(server.url + _endpoint(server)) == []


def test_a_repair_never_touches_a_running_loads_graphs(server, tmp_path):
    """While a load holds the lock (its staging graph on the server), repair
    exits 2 naming the holder and drops nothing; --break-lock then clears both."""
    from kgraph.stores.lock import ServerLock

    old, _ = _projects(tmp_path, padding=0)
    backend = RemoteBackend(old, server.query_url)
    backend.load()
    running = ServerLock(backend, wait=0, expiry=60)
    running.acquire()
    staging = f"{STAGING_GRAPHS}of-a-running-load"
    backend.update(f"INSERT DATA {{ GRAPH <{staging}> {{ <http://example.org/s> <http://example.org/p> 1 }} }}")
    run = [sys.executable, "-m", "kgraph.cli", "--project", str(old.root), "--store", server.query_url, "store", "repair"]
    env = os.environ | {"KGRAPH_STORE": ""}
    refused = subprocess.run(run, capture_output=True, text=True, env=env)
    assert refused.returncode == 2 and "being loaded by" in refused.stderr and running.owner in refused.stderr
    assert "Traceback" not in refused.stderr
    assert _staging(server.url + _endpoint(server)) == [staging]
    broken = subprocess.run([*run, "--break-lock"], capture_output=True, text=True, env=env)
    assert broken.returncode == 0, broken.stdout + broken.stderr
    assert _staging(server.url + _endpoint(server)) == [] and RemoteBackend(old, server.query_url).check().locks == []
